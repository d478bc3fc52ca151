"""The evaluation extract: what it counts, how it hides small counts and centres, who may take it, and the log."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict

import pytest
from django.test import override_settings
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.network.tests.factories import OrganisationFactory
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.models import Centre
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.evaluation import (
    ALL_CENTRES,
    TOTAL,
    VARIABLES,
    WITHHELD,
    age_band,
    centre_pseudonym,
    evaluation_extract,
    school_level,
)
from ankommen.reporting.indicators import state_indicators
from ankommen.reporting.models import PreparedFile
from ankommen.reporting.prepared_files import prepared_file_execute
from ankommen.reporting.suppression import Cell, Status, SuppressedTable
from ankommen.reporting.tests.lp_audit import flat_cells, reader_intervals
from ankommen.reporting.views.evaluation import default_period
from ankommen.reporting.views.prepared import EXTRACT_RECORD_TYPE as RECORD_TYPE
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 3, 1)
BIRTH_8 = datetime.date(2018, 1, 10)  # 8 years old in March 2026
BIRTH_12 = datetime.date(2014, 1, 10)


def register(centre: Centre, count: int, birth_date: datetime.date, family_name: str = "Markerovna") -> None:
    for index in range(count):
        child = PersonFactory(centre=centre, birth_date=birth_date, family_name=f"{family_name}{index}")
        IntakeFactory(child=child, registered_on=MONTH + datetime.timedelta(days=index % 20))


def rows_of(extract, variable: str, month: str = "2026-03"):
    return [row for row in extract.rows if row.variable == variable and row.month == month]


def table_from_rows(rows, truth: dict[tuple[str, str], int]) -> SuppressedTable:
    """The published table rebuilt from the extract's rows, with the true values the test knows."""
    centres = sorted({r.centre for r in rows if r.centre != ALL_CENTRES})
    codes = [r.category for r in rows if r.centre == centres[0] and r.category != TOTAL]
    shown = {(r.centre, r.category): r for r in rows}

    def cell(centre: str, code: str) -> Cell:
        row = shown[(centre, code)]
        value = truth.get((centre, code), 0)
        if row.suppressed:
            return Cell(value, Status.PRIMARY if 0 < value < 5 else Status.SECONDARY)
        assert row.count == value
        return Cell(value, Status.PUBLISHED)

    return SuppressedTable(
        cells=[[cell(c, code) for code in codes] for c in centres],
        row_totals=[cell(c, TOTAL) for c in centres],
        column_totals=[cell(ALL_CENTRES, code) for code in codes],
        grand_total=cell(ALL_CENTRES, TOTAL),
    )


def test_age_bands_and_school_levels():
    on = datetime.date(2026, 3, 1)
    assert age_band(None, on) == "unknown"
    assert age_band(datetime.date(2021, 3, 2), on) == "under_6"
    assert age_band(datetime.date(2020, 3, 1), on) == "6_9"
    assert age_band(datetime.date(2010, 3, 2), on) == "10_15"
    assert age_band(datetime.date(2010, 3, 1), on) == "16_over"
    assert [school_level(g) for g in (1, 4, 5, 10, 11, 13)] == [
        "primary",
        "primary",
        "lower_secondary",
        "lower_secondary",
        "upper_secondary",
        "upper_secondary",
    ]


def test_registered_children_are_counted_by_centre_month_and_age_band_with_small_counts_hidden(centre, other_centre):
    register(centre, 7, BIRTH_8)
    register(centre, 2, BIRTH_12)
    register(other_centre, 6, BIRTH_8)
    register(other_centre, 9, BIRTH_12)
    extract = evaluation_extract(first_month=MONTH, last_month=MONTH, threshold=5)
    rows = rows_of(extract, "children_registered")
    mine, theirs = centre_pseudonym(centre), centre_pseudonym(other_centre)
    by_key = {(r.centre, r.category): r for r in rows}
    assert by_key[(mine, "10_15")].suppressed
    assert by_key[(mine, "10_15")].count is None
    # 2 beside a published 7 and total 9 would follow: the smallest count of at least 5 in its row goes with it.
    assert by_key[(mine, "6_9")].suppressed
    assert by_key[(ALL_CENTRES, TOTAL)].count == 24
    for row in rows:
        assert row.count is None or row.count == 0 or row.count >= 5
    truth = {(mine, "6_9"): 7, (mine, "10_15"): 2, (theirs, "6_9"): 6, (theirs, "10_15"): 9}
    truth |= {(mine, TOTAL): 9, (theirs, TOTAL): 15, (ALL_CENTRES, "6_9"): 13, (ALL_CENTRES, "10_15"): 11}
    truth[(ALL_CENTRES, TOTAL)] = 24
    table = table_from_rows(rows, truth)
    cells = flat_cells(table)
    for index, feasible in reader_intervals(table, threshold=5, marks_reasons=False).items():
        assert feasible.width >= 1, (cells[index], feasible)


def test_every_variable_has_a_table_for_every_month_and_centre_with_totals(centre):
    OrganisationFactory(centre=centre)
    extract = evaluation_extract(first_month=datetime.date(2026, 1, 1), last_month=MONTH, threshold=5)
    centres = Centre.objects.count()
    for variable in VARIABLES:
        for month in ("2026-01", "2026-02", "2026-03"):
            rows = rows_of(extract, variable.name, month)
            codes = {r.category for r in rows}
            assert TOTAL in codes
            assert len(rows) == (centres + 1) * len(codes), variable.name
    assert {r.centre for r in extract.rows} >= {centre_pseudonym(centre), ALL_CENTRES}


def test_the_pseudonym_is_stable_for_one_key_and_differs_for_another(centre):
    first = centre_pseudonym(centre, key=b"key-one")
    assert first == centre_pseudonym(centre, key=b"key-one")
    assert first != centre_pseudonym(centre, key=b"key-two")
    assert centre.slug not in first
    assert len(first) == 17
    with override_settings(ANKOMMEN_PSEUDONYM_KEY="key-one"):
        assert centre_pseudonym(centre) == first


def test_a_period_longer_than_24_months_or_backwards_is_refused():
    with pytest.raises(ValueError, match="24"):
        evaluation_extract(first_month=datetime.date(2020, 1, 1), last_month=datetime.date(2022, 1, 1))
    with pytest.raises(ValueError, match="before"):
        evaluation_extract(first_month=MONTH, last_month=datetime.date(2026, 1, 1))


@override_settings(ANKOMMEN_SUPPRESSION_K=2)
def test_a_threshold_below_three_is_refused_by_the_setting():
    with pytest.raises(ValueError, match="at least 3"):
        evaluation_extract(first_month=MONTH, last_month=MONTH)


def prepared_extract(client, url_name, period):
    """Ask for the extract, let the job prepare it (as the worker would), download it."""
    asked = client.post(reverse(url_name), period)
    assert asked.status_code == 302, asked.status_code
    file_id = asked["Location"].rstrip("/").rsplit("/", 1)[1]
    assert not AccessLogEntry.objects.filter(record_type=RECORD_TYPE).exists()  # asking is not taking
    prepared_file_execute(file_id=file_id)
    return client.get(reverse("reporting:prepared_file_download", kwargs={"file_id": file_id}))


def test_researcher_downloads_the_csv_without_names_and_the_download_is_logged(centre, make_member, login):
    register(centre, 3, BIRTH_8, family_name="Zyxwvutsky")
    researcher = make_member(Role.RESEARCHER)
    client = login(researcher)
    response = prepared_extract(client, "evaluation:extract_csv", {"first": "2026-03", "last": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ankommen-auswertung-2026-03_2026-03.csv"'
    text = response.content.decode("utf-8-sig")
    assert "Zyxwvutsky" not in text
    assert centre.slug not in text
    assert centre.name not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["month", "centre", "variable", "category", "count", "suppressed"]
    mine = [r for r in rows if r[1] == centre_pseudonym(centre) and r[2] == "children_registered"]
    assert ["2026-03", centre_pseudonym(centre), "children_registered", "6_9", "", "1"] in mine
    entry = AccessLogEntry.objects.get(record_type=RECORD_TYPE)
    assert entry.user == researcher
    assert entry.action == AccessAction.EXPORT
    assert entry.record_id == "2026-03_2026-03.k5.csv"
    assert entry.centre is None


def test_researcher_downloads_the_xlsx_with_one_sheet_per_variable(make_member, login):
    from openpyxl import load_workbook

    client = login(make_member(Role.RESEARCHER))
    response = prepared_extract(client, "evaluation:extract_xlsx", {"first": "2026-02", "last": "2026-03"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [v.name for v in VARIABLES]
    assert AccessLogEntry.objects.filter(record_type=RECORD_TYPE, record_id="2026-02_2026-03.k5.xlsx").count() == 1


def test_a_bad_period_answers_400_and_logs_nothing(make_member, login):
    client = login(make_member(Role.RESEARCHER))
    for period in ({"first": "2026-13", "last": "2026-03"}, {"first": "2026-03", "last": "2026-01"}):
        response = client.post(reverse("evaluation:extract_csv"), period)
        assert response.status_code == 400
        assert "text/html" in response["Content-Type"]
    assert not AccessLogEntry.objects.filter(record_type=RECORD_TYPE).exists()
    assert not PreparedFile.objects.exists()


def test_state_analyst_reads_the_codebook_but_cannot_take_the_extract(make_member, login):
    client = login(make_member(Role.STATE_ANALYST))
    assert client.get(reverse("evaluation:codebook")).status_code == 200
    assert client.post(reverse("evaluation:extract_csv"), {"first": "2026-03", "last": "2026-03"}).status_code == 403
    assert client.get(reverse("evaluation:index")).status_code == 403
    assert not AccessLogEntry.objects.filter(record_type=RECORD_TYPE).exists()
    assert not PreparedFile.objects.exists()


def test_the_codebook_names_every_variable_category_and_the_marker(make_member, login):
    client = login(make_member(Role.RESEARCHER))
    page = client.get(reverse("evaluation:codebook")).content.decode()
    download = client.get(reverse("evaluation:codebook_download"))
    assert download["Content-Type"] == "text/markdown; charset=utf-8"
    markdown = download.content.decode()
    for variable in VARIABLES:
        assert variable.name in page
        assert f"### `{variable.name}`" in markdown
        for category in variable.categories():
            assert f"`{category.code}`" in markdown
    assert "HMAC-SHA256" in markdown
    assert "HMAC-SHA256" in page
    assert "k = 5" in markdown


def test_the_index_page_offers_the_last_twelve_months(make_member, login):
    client = login(make_member(Role.RESEARCHER))
    response = client.get(reverse("evaluation:index"))
    assert response.status_code == 200
    period = default_period()
    page = response.content.decode()
    assert f'name="first" value="{period["first"]}"' in page
    assert f'name="last" value="{period["last"]}"' in page
    assert reverse("evaluation:extract_csv") in page
    assert default_period(datetime.date(2026, 3, 15)) == {"first": "2025-03", "last": "2026-02"}


def test_all_published_counts_in_a_busy_month_leave_every_hidden_count_open(centre, other_centre):
    third = CentreFactory()
    register(centre, 1, BIRTH_8)
    register(centre, 12, BIRTH_12)
    register(other_centre, 3, BIRTH_8)
    register(other_centre, 1, BIRTH_12)
    register(third, 8, BIRTH_8)
    extract = evaluation_extract(first_month=MONTH, last_month=MONTH, threshold=5)
    rows = rows_of(extract, "children_registered")
    truth: dict[tuple[str, str], int] = defaultdict(int)
    for c, n8, n12 in ((centre, 1, 12), (other_centre, 3, 1), (third, 8, 0)):
        p = centre_pseudonym(c)
        truth[(p, "6_9")] += n8
        truth[(p, "10_15")] += n12
    for (p, code), n in list(truth.items()):
        truth[(p, TOTAL)] += n
        truth[(ALL_CENTRES, code)] += n
        truth[(ALL_CENTRES, TOTAL)] += n
    table = table_from_rows(rows, dict(truth))
    for feasible in reader_intervals(table, threshold=5, marks_reasons=False).values():
        assert feasible.width >= 1


def test_totals_follow_the_dashboard_and_a_breakdown_that_would_give_counts_away_is_withheld():
    # Five children, one in each age band: the dashboard shows the centre's 5, and five hidden cells of at least 1
    # each beside a shown 5 would all be 1. The breakdown is withheld; the total stays as the dashboard shows it.
    centre = CentreFactory()
    for birth_date in (datetime.date(2022, 1, 10), BIRTH_8, BIRTH_12, datetime.date(2008, 1, 10), None):
        register(centre, 1, birth_date)
    dashboard = state_indicators(month=MONTH)

    extract = evaluation_extract(first_month=MONTH, last_month=MONTH)

    assert dashboard.figure(centre.pk, MONTH, "children_registered").value == 5
    mine = [row for row in rows_of(extract, "children_registered") if row.centre == centre_pseudonym(centre)]
    total = next(row for row in mine if row.category == TOTAL)
    assert (total.count, total.suppressed, total.withheld) == (5, False, False)
    breakdown = [row for row in mine if row.category != TOTAL]
    assert breakdown
    assert all(row.withheld and row.count is None for row in breakdown)
    assert all(row.as_list()[-1] == WITHHELD for row in breakdown)
    # Other variables of the month are published as usual.
    placed = [row for row in rows_of(extract, "children_placed") if row.centre == centre_pseudonym(centre)]
    assert placed
    assert not any(row.withheld for row in placed)


def test_a_centre_total_the_dashboard_hides_is_hidden_in_the_extract_too():
    small, big, other = CentreFactory(), CentreFactory(), CentreFactory()
    register(small, 3, BIRTH_8)
    register(big, 9, BIRTH_8)
    register(other, 7, BIRTH_12)
    dashboard = state_indicators(month=MONTH)

    extract = evaluation_extract(first_month=MONTH, last_month=MONTH)

    totals = {row.centre: row for row in rows_of(extract, "children_registered") if row.category == TOTAL}
    for centre in (small, big, other):
        figure = dashboard.figure(centre.pk, MONTH, "children_registered")
        assert totals[centre_pseudonym(centre)].suppressed == figure.is_suppressed, centre
    assert totals[centre_pseudonym(small)].suppressed
