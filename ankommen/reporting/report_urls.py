"""Annual reports and their exports under /berichte/jahresbericht/, and the files prepared by a job under
/berichte/dateien/ (included into the "reporting" namespace)."""

from django.urls import path

from ankommen.reporting.views import prepared, reports

urlpatterns = [
    path("jahresbericht/", reports.annual_report_centre, name="annual_report_centre"),
    path("jahresbericht/<int:year>/pdf/", reports.annual_report_centre_pdf, name="annual_report_centre_pdf"),
    path("jahresbericht/<int:year>/tabellen.xlsx", reports.annual_report_centre_xlsx, name="annual_report_centre_xlsx"),
    path(
        "jahresbericht/<int:year>/tabelle-<int:table>.csv",
        reports.annual_report_centre_csv,
        name="annual_report_centre_csv",
    ),
    path("jahresbericht/land/", reports.annual_report_state, name="annual_report_state"),
    path("jahresbericht/land/<int:year>/pdf/", reports.annual_report_state_pdf, name="annual_report_state_pdf"),
    path(
        "jahresbericht/land/<int:year>/tabellen.xlsx",
        reports.annual_report_state_xlsx,
        name="annual_report_state_xlsx",
    ),
    path(
        "jahresbericht/land/<int:year>/tabelle-<int:table>.csv",
        reports.annual_report_state_csv,
        name="annual_report_state_csv",
    ),
    path("dateien/<uuid:file_id>/", prepared.prepared_file_detail, name="prepared_file_detail"),
    path("dateien/<uuid:file_id>/stand/", prepared.prepared_file_progress, name="prepared_file_progress"),
    path("dateien/<uuid:file_id>/datei/", prepared.prepared_file_download, name="prepared_file_download"),
]
