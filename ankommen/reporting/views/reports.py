"""Annual reports of a centre (its own figures) and of the state (suppressed figures): page, PDF, CSV, XLSX.

A centre's report is always the caller's own centre (`request.centre`): no centre is named in the URL, so no
other centre's report can be asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.exports import csv_response, xlsx_response
from ankommen.reporting.annual_report import (
    AnnualReport,
    available_years,
    centre_annual_report,
    report_filename,
    state_annual_report,
)
from ankommen.reporting.models import PreparedFileKind
from ankommen.reporting.prepared_files import prepared_file_request, prepared_files_of

centre_roles_required = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER)
state_roles_required = role_required(Role.STATE_ANALYST, Role.RESEARCHER)


@dataclass(frozen=True)
class Download:
    title: str
    url: str


def _year(value: object) -> int:
    """A year the reports cover; anything else is a page that does not exist."""
    try:
        year = int(str(value))
    except ValueError:
        raise Http404 from None
    if year not in available_years():
        raise Http404
    return year


def _chosen_year(request: HttpRequest) -> int:
    value = request.GET.get("jahr")
    if value:
        return _year(value)
    # Until March the last year is the one being reported on; from then on the running year.
    today = timezone.localdate()
    return today.year - 1 if today.month < 3 else today.year


def _page(request: HttpRequest, report: AnnualReport, *, prefix: str) -> HttpResponse:
    year = report.year
    return render(
        request,
        "reporting/annual_report.html",
        {
            "report": report,
            "years": available_years(),
            "pdf_url": reverse(f"reporting:{prefix}_pdf", kwargs={"year": year}),
            "prepared_files": list(
                prepared_files_of(user=request.user, membership=request.membership)[:10]  # type: ignore[arg-type, attr-defined]
            ),
            "xlsx_url": reverse(f"reporting:{prefix}_xlsx", kwargs={"year": year}),
            "csv_downloads": [
                Download(table.title, reverse(f"reporting:{prefix}_csv", kwargs={"year": year, "table": index}))
                for index, table in enumerate(report.tables, start=1)
            ],
        },
    )


def _prepare_pdf(request: HttpRequest, kind: PreparedFileKind, year: int, subject: str) -> HttpResponse:
    """Queue the PDF (seconds of CPU for charts and a dozen pages) and show its status page."""
    file = prepared_file_request(
        kind=kind,
        by=request.user,  # type: ignore[arg-type]
        membership=request.membership,  # type: ignore[attr-defined]
        parameters={"year": year, "language": get_language()},
        title=_("Annual report %(year)s: %(subject)s") % {"year": year, "subject": subject},
    )
    return redirect("reporting:prepared_file_detail", file_id=file.pk)


def _csv(report: AnnualReport, *, scope: str, table: int) -> HttpResponse:
    tables = report.tables
    if not 1 <= table <= len(tables):
        raise Http404
    return csv_response(tables[table - 1], filename=f"{report_filename(report, scope=scope)}-tabelle-{table}")


def _centre_report(request: HttpRequest, year: int) -> AnnualReport:
    return centre_annual_report(centre=request.centre, year=year)  # type: ignore[attr-defined]


def _centre_scope(request: HttpRequest) -> str:
    return str(request.centre.slug)  # type: ignore[attr-defined]


@centre_roles_required
@require_GET
def annual_report_centre(request: HttpRequest) -> HttpResponse:
    return _page(request, _centre_report(request, _chosen_year(request)), prefix="annual_report_centre")


@centre_roles_required
@require_POST
def annual_report_centre_pdf(request: HttpRequest, year: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    return _prepare_pdf(request, PreparedFileKind.CENTRE_ANNUAL_REPORT, _year(year), centre.name)


@centre_roles_required
@require_GET
def annual_report_centre_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    report = _centre_report(request, _year(year))
    return xlsx_response(report.tables, filename=report_filename(report, scope=_centre_scope(request)))


@centre_roles_required
@require_GET
def annual_report_centre_csv(request: HttpRequest, year: int, table: int) -> HttpResponse:
    return _csv(_centre_report(request, _year(year)), scope=_centre_scope(request), table=table)


STATE_SCOPE = "nrw"


@state_roles_required
@require_GET
def annual_report_state(request: HttpRequest) -> HttpResponse:
    return _page(request, state_annual_report(year=_chosen_year(request)), prefix="annual_report_state")


@state_roles_required
@require_POST
def annual_report_state_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return _prepare_pdf(request, PreparedFileKind.STATE_ANNUAL_REPORT, _year(year), _("North Rhine-Westphalia"))


@state_roles_required
@require_GET
def annual_report_state_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    report = state_annual_report(year=_year(year))
    return xlsx_response(report.tables, filename=report_filename(report, scope=STATE_SCOPE))


@state_roles_required
@require_GET
def annual_report_state_csv(request: HttpRequest, year: int, table: int) -> HttpResponse:
    return _csv(state_annual_report(year=_year(year)), scope=STATE_SCOPE, table=table)
