"""The dashboards under /berichte/ (namespace "reporting")."""

from django.urls import path

from ankommen.reporting.views import dashboards

urlpatterns = [
    path("zentrum/", dashboards.centre_dashboard, name="centre_dashboard"),
    path("zentrum/kennzahlen.csv", dashboards.centre_dashboard_csv, name="centre_dashboard_csv"),
    path("zentrum/kennzahlen.xlsx", dashboards.centre_dashboard_xlsx, name="centre_dashboard_xlsx"),
    path("zentrum/eigene-zahlen/", dashboards.manual_figure_edit, name="manual_figure_edit"),
    path("zentrum/ziele/", dashboards.target_edit, name="target_edit"),
    path("land/", dashboards.state_dashboard, name="state_dashboard"),
    path("land/kennzahlen.csv", dashboards.state_dashboard_csv, name="state_dashboard_csv"),
    path("land/kennzahlen.xlsx", dashboards.state_dashboard_xlsx, name="state_dashboard_xlsx"),
    path("land/ampel/", dashboards.threshold_edit, name="threshold_edit"),
]
