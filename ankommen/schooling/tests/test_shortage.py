# mypy: disable-error-code="attr-defined"

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import MunicipalityFactory, SchoolFactory
from ankommen.schooling import placement
from ankommen.schooling.models import IntakeStatus, PlacementRun, PlacementRunStatus
from ankommen.schooling.placement_jobs import placement_run_execute
from ankommen.schooling.selectors import estimated_grade, seat_values, shortage_report, term_of
from ankommen.schooling.tests.factories import AssessmentFactory, IntakeFactory, SeatOfferFactory
from ankommen.schooling.tests.placement_factories import TERM as PLACEMENT_TERM
from ankommen.schooling.tests.placement_factories import school_in, seats_at, waiting_child

pytestmark = pytest.mark.django_db

TERM = "2026/27-1"
TODAY = datetime.date(2026, 11, 25)
# Ten years old on 1 August 2026: grade 5 by age.
TEN_ON_FIRST_AUGUST = datetime.date(2016, 3, 1)


def _waiting(centre, municipality, *, days, birth_date=TEN_ON_FIRST_AUGUST, status=IntakeStatus.REGISTERED):
    child = PersonFactory(centre=centre, birth_date=birth_date)
    return IntakeFactory(
        child=child, municipality=municipality, status=status, registered_on=TODAY - datetime.timedelta(days=days)
    )


@pytest.fixture
def town(centre):
    return MunicipalityFactory(centre=centre, name="Sankt Augustin", key="05382056")


@pytest.mark.parametrize(
    ("birth_date", "grade"),
    [
        (datetime.date(2016, 3, 1), 5),
        (datetime.date(2016, 8, 2), 4),
        (datetime.date(2023, 1, 1), 1),
        (datetime.date(2005, 1, 1), 13),
        (None, None),
    ],
)
def test_grade_is_estimated_from_the_age_on_first_august(birth_date, grade):
    assert estimated_grade(birth_date, datetime.date(2026, 8, 1)) == grade


def test_report_sets_waiting_children_against_seats_per_area_and_grade(centre, town):
    school = SchoolFactory(municipality=town)
    SeatOfferFactory(school=school, term=TERM, grade=5, seats=1)
    SeatOfferFactory(school=school, term="2026/27-2", grade=5, seats=50)
    for days in (10, 20, 60):
        _waiting(centre, town, days=days)
    _waiting(centre, town, days=5, status=IntakeStatus.PROPOSED)
    row = next(row for row in shortage_report(centre=centre, term=TERM, today=TODAY) if row.grade == 5)
    assert (row.municipality, row.seats, row.waiting, row.shortfall) == (town, 1, 3, 2)
    assert (row.median_days, row.longest_days) == (20, 60)


def test_the_recommended_grade_counts_before_the_age(centre, town):
    intake = _waiting(centre, town, days=3)
    AssessmentFactory(intake=intake, recommended_grade=3)
    rows = shortage_report(centre=centre, term=TERM, today=TODAY)
    assert [(row.grade, row.waiting) for row in rows] == [(3, 1)]


def test_shortfall_is_never_negative_and_rows_are_sorted_by_shortfall(centre, town):
    other = MunicipalityFactory(centre=centre, name="Alfter")
    SeatOfferFactory(school=SchoolFactory(municipality=other), term=TERM, grade=2, seats=30)
    _waiting(centre, other, days=1, birth_date=datetime.date(2019, 3, 1))
    for _ in range(4):
        _waiting(centre, town, days=15)
    rows = shortage_report(centre=centre, term=TERM, today=TODAY)
    assert [(row.municipality.name, row.grade, row.shortfall) for row in rows] == [
        ("Sankt Augustin", 5, 4),
        ("Alfter", 2, 0),
    ]


def test_another_centres_seats_and_children_do_not_count(centre, other_centre, town):
    elsewhere = MunicipalityFactory(centre=other_centre)
    SeatOfferFactory(school=SchoolFactory(municipality=elsewhere), term=TERM, grade=5, seats=9)
    _waiting(other_centre, elsewhere, days=4)
    assert shortage_report(centre=centre, term=TERM, today=TODAY) == []


def test_report_page_shows_the_rows_to_centre_staff(staff_client, centre, town):
    _waiting(centre, town, days=15)
    response = staff_client.get(reverse("schooling:shortage"), {"term": term_of(timezone.localdate())})
    assert response.status_code == 200
    assert "Sankt Augustin" in response.text
    assert response.context["total_shortfall"] == 1


def test_csv_counts_only_and_no_names(staff_client, centre, town):
    intake = _waiting(centre, town, days=15)
    term = term_of(timezone.localdate())
    response = staff_client.get(reverse("schooling:shortage_csv"), {"term": term})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[1][:7] == [term, "05382056", "Sankt Augustin", "5", "0", "1", "1"]
    assert intake.child.family_name not in response.content.decode()


def test_csv_download_guards_an_area_name_against_formulas(staff_client, centre):
    town = MunicipalityFactory(centre=centre, name="=cmd|' /C calc'!A0")
    _waiting(centre, town, days=15)
    response = staff_client.get(reverse("schooling:shortage_csv"), {"term": term_of(timezone.localdate())})
    rows = _csv_rows(response)
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER, Role.SCHOOL_CONTACT])
def test_state_roles_and_school_contacts_get_no_shortage_report(make_member, login, role):
    client = login(make_member(role))
    assert client.get(reverse("schooling:shortage")).status_code == 403
    assert client.get(reverse("schooling:shortage_csv")).status_code == 403


def test_the_report_names_the_seats_where_one_more_helps_most_after_a_run(staff_client, centre, staff, other_centre):
    near = school_in(centre, latitude=50.9400, longitude=6.9600)
    seats_at(near, seats=1)
    first, second = waiting_child(centre), waiting_child(centre)
    run = placement.placement_run_start(centre=centre, by=staff, term=PLACEMENT_TERM)
    run = placement_run_execute(run_id=run.pk)
    assert run.summary["placed"] == 1
    assert run.summary["seat_prices"] == [
        {"school_id": str(near.pk), "grade": 5, "places_waiting_child": True, "km_saved": 0.0}
    ]
    response = staff_client.get(reverse("schooling:shortage"), {"term": PLACEMENT_TERM})
    assert response.status_code == 200
    [value] = response.context["seat_values"]
    assert (value.school, value.grade, value.places_waiting_child) == (near, 5, True)
    assert near.name in response.text
    assert "bringt ein wartendes Kind unter" in response.text
    # Nothing of a child is shown, and another centre's report has no run to show.
    assert first.child.family_name not in response.text
    assert second.child.family_name not in response.text
    assert seat_values(centre=other_centre, term=PLACEMENT_TERM) == (None, [])


def test_a_discarded_run_does_not_count_for_the_seats_that_help_most(centre, staff):
    near = school_in(centre, latitude=50.9400, longitude=6.9600)
    seats_at(near, seats=1)
    waiting_child(centre)
    waiting_child(centre)
    run = placement_run_execute(run_id=placement.placement_run_start(centre=centre, by=staff, term=PLACEMENT_TERM).pk)
    assert seat_values(centre=centre, term=PLACEMENT_TERM)[0] == run
    PlacementRun.objects.for_centre(centre).filter(pk=run.pk).update(status=PlacementRunStatus.DISCARDED)
    assert seat_values(centre=centre, term=PLACEMENT_TERM) == (None, [])


def _csv_rows(response):
    """The rows of a CSV download for German Excel (UTF-8 with byte order mark, `;` between cells)."""
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
