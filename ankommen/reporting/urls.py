"""The reporting pages under /berichte/: dashboards (`dashboard_urls`), exports and annual reports (`report_urls`)."""

from ankommen.reporting import dashboard_urls, report_urls

app_name = "reporting"
urlpatterns = [*dashboard_urls.urlpatterns, *report_urls.urlpatterns]
