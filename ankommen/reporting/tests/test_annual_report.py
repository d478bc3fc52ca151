"""Annual reports: page, PDF with charts (prepared by a job), exports; own centre only; the state sees suppressed
figures."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ankommen.accounts.models import Role
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.annual_report import centre_annual_report, report_months, state_annual_report
from ankommen.reporting.indicators import INDICATOR_BY_KEY, SUPPRESSED_MARK
from ankommen.reporting.models import PreparedFile
from ankommen.reporting.prepared_files import prepared_file_execute
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
CHILD_NAME = "Zeynep-Unverwechselbar"


def registered_label():
    return str(INDICATOR_BY_KEY["children_registered"].label)


def children(centre, count, *, month=3):
    for day in range(1, count + 1):
        child = PersonFactory(centre=centre, given_names=CHILD_NAME, birth_date=datetime.date(2015, 3, 1))
        IntakeFactory(child=child, centre=centre, registered_on=datetime.date(YEAR, month, day))


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    result = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [shutil.which("pdftotext") or "pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def centre_client(login, make_member, centre):
    return login(make_member(Role.CENTRE_STAFF, centre=centre))


@pytest.fixture
def analyst_client(login, make_member):
    return login(make_member(Role.STATE_ANALYST))


def test_report_months_of_a_past_year_and_of_the_running_year():
    assert len(report_months(2024, today=datetime.date(2026, 5, 3))) == 12
    assert report_months(2026, today=datetime.date(2026, 5, 3))[-1] == datetime.date(2026, 5, 1)


def test_centre_report_counts_its_own_children_only(centre, other_centre):
    children(centre, 7)
    children(other_centre, 3)

    report = centre_annual_report(centre=centre, year=YEAR)

    registered = next(row for row in report.overview.rows if row[0] == registered_label())
    assert registered[2] == 7
    schooling_chart = report.sections[0].charts[0]
    march = schooling_chart.table.rows[2]
    assert march[1] == 7


def test_centre_page_shows_charts_tables_and_downloads(centre_client, centre):
    children(centre, 6)

    response = centre_client.get(reverse("reporting:annual_report_centre"), {"jahr": YEAR})

    assert response.status_code == 200
    html = response.content.decode()
    assert centre.name in html
    assert 'role="img"' in html
    assert "<caption" in html
    # The CSP allows no inline styles: the charts carry presentation attributes only.
    assert "style=" not in html
    assert "<style" not in html
    assert reverse("reporting:annual_report_centre_pdf", kwargs={"year": YEAR}) in html
    assert reverse("reporting:annual_report_centre_xlsx", kwargs={"year": YEAR}) in html
    assert CHILD_NAME not in html


def prepared_download(client, url):
    """Ask for a file on its page, let the job prepare it (as the worker would), download it."""
    asked = client.post(url)
    assert asked.status_code == 302, asked.status_code
    file_id = asked["Location"].rstrip("/").rsplit("/", 1)[1]
    prepared_file_execute(file_id=file_id)
    return client.get(reverse("reporting:prepared_file_download", kwargs={"file_id": file_id}))


def test_centre_pdf_has_the_charts_and_figures_and_no_person(centre_client, centre):
    children(centre, 6)

    response = prepared_download(centre_client, reverse("reporting:annual_report_centre_pdf", kwargs={"year": YEAR}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"].split(", ")
    assert f"jahresbericht-{centre.slug}-{YEAR}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert centre.name in text
    assert f"Jahresbericht {YEAR}" in text or f"Annual report {YEAR}" in text
    # Chart text stays text in the PDF: the series names and month labels of the charts.
    assert registered_label() in text
    assert f"Mär {YEAR}" in text or f"Mar {YEAR}" in text
    assert CHILD_NAME not in text


def test_centre_exports_round_trip(centre_client, centre):
    children(centre, 6)

    xlsx = centre_client.get(reverse("reporting:annual_report_centre_xlsx", kwargs={"year": YEAR}))
    first_csv = centre_client.get(reverse("reporting:annual_report_centre_csv", kwargs={"year": YEAR, "table": 1}))

    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert len(workbook.sheetnames) > 3
    assert first_csv.status_code == 200
    rows = list(csv.reader(io.StringIO(first_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert any(row[2] == "6" for row in rows[1:])
    assert CHILD_NAME not in first_csv.content.decode("utf-8-sig")


def test_csv_of_a_table_that_does_not_exist_is_404(centre_client):
    response = centre_client.get(reverse("reporting:annual_report_centre_csv", kwargs={"year": YEAR, "table": 999}))

    assert response.status_code == 404


@pytest.mark.parametrize("year", [1999, 3000])
def test_years_outside_the_reports_are_404(centre_client, year):
    response = centre_client.post(reverse("reporting:annual_report_centre_pdf", kwargs={"year": year}))

    assert response.status_code == 404
    assert not PreparedFile.objects.exists()


def test_centre_report_of_another_centre_shows_that_centres_figures_only(login, make_member, centre, other_centre):
    children(centre, 9)
    other = login(make_member(Role.CENTRE_LEAD, centre=other_centre))

    response = other.get(reverse("reporting:annual_report_centre_csv", kwargs={"year": YEAR, "table": 1}))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    registered = next(row for row in rows if row[0] == registered_label())
    assert registered[2] in {"0", ""}


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER, Role.VOLUNTEER, Role.SCHOOL_CONTACT])
def test_other_roles_cannot_open_a_centre_report(login, make_member, centre, role):
    client = login(make_member(role, centre=centre if role == Role.VOLUNTEER else None))

    assert client.get(reverse("reporting:annual_report_centre")).status_code == 403
    assert client.post(reverse("reporting:annual_report_centre_pdf", kwargs={"year": YEAR})).status_code == 403
    assert not PreparedFile.objects.exists()


@pytest.mark.parametrize("role", [Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER])
def test_centre_roles_cannot_open_the_state_report(login, make_member, centre, role):
    client = login(make_member(role, centre=centre))

    assert client.get(reverse("reporting:annual_report_state")).status_code == 403
    assert client.get(reverse("reporting:annual_report_state_xlsx", kwargs={"year": YEAR})).status_code == 403


def test_anonymous_callers_are_sent_to_the_login():
    response = pytest.importorskip("django.test").Client().get(reverse("reporting:annual_report_state"))

    assert response.status_code == 302


def test_state_report_hides_small_counts_and_what_would_give_them_back(centre, other_centre):
    children(centre, 3)  # small: hidden
    children(other_centre, 12)
    CentreFactory()

    report = state_annual_report(year=YEAR)

    comparison = next(section for section in report.sections if section.tables).tables[0]
    by_centre = {row[0]: row for row in comparison.rows}
    assert by_centre[centre.name][3] == SUPPRESSED_MARK
    assert by_centre[centre.name][4] == SUPPRESSED_MARK
    assert 3 not in by_centre[centre.name]
    for table in report.tables:
        for row in table.rows:
            assert 3 not in row[1:], (table.title, row)


def test_state_pdf_renders_with_charts_and_no_person(analyst_client, centre, other_centre):
    children(centre, 6)
    children(other_centre, 8)

    response = prepared_download(analyst_client, reverse("reporting:annual_report_state_pdf", kwargs={"year": YEAR}))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert centre.name in text
    assert other_centre.name in text
    assert CHILD_NAME not in text
    assert f"jahresbericht-nrw-{YEAR}.pdf" in response["Content-Disposition"]


def test_state_page_and_exports(analyst_client, centre):
    children(centre, 6)

    page = analyst_client.get(reverse("reporting:annual_report_state"), {"jahr": YEAR})
    xlsx = analyst_client.get(reverse("reporting:annual_report_state_xlsx", kwargs={"year": YEAR}))
    table = analyst_client.get(reverse("reporting:annual_report_state_csv", kwargs={"year": YEAR, "table": 1}))

    assert page.status_code == 200
    assert 'role="img"' in page.content.decode()
    assert xlsx.status_code == 200
    assert table.status_code == 200
    assert CHILD_NAME not in page.content.decode()


def test_state_report_has_the_map_with_every_centre(centre, other_centre):
    report = state_annual_report(year=YEAR)

    map_chart = report.sections[-1].charts[0]
    assert 'role="img"' in str(map_chart.svg)
    assert {row[0] for row in map_chart.table.rows} == {centre.name, other_centre.name}
