"""Indicators are computed from the modules' rows: create rows, read the indicator."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.courses.models import Attendance
from ankommen.courses.tests.factories import CourseFactory, RegistrationFactory
from ankommen.network.models import Cooperation, CooperationKind, CooperationTopic, Organisation
from ankommen.network.tests.factories import OrganisationFactory
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.indicators import (
    INDICATOR_BY_KEY,
    INDICATORS,
    FigureStatus,
    centre_indicators,
    last_months,
    month_start,
    previous_month,
    state_indicators,
)
from ankommen.reporting.models import ManualFigure
from ankommen.schooling.models import IntakeStatus
from ankommen.schooling.tests.factories import IntakeFactory
from ankommen.volunteering import services
from ankommen.volunteering.models import HoursEntry, HoursStatus, SupportRequest
from ankommen.volunteering.tests.factories import open_request, postcode_of, volunteer_in
from ankommen.work.models import Application, CandidateProfile, CandidateStatus, Stage
from ankommen.work.tests import factories as work

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def this_month(today) -> datetime.date:
    return month_start(today)


@pytest.fixture
def last_month(this_month) -> datetime.date:
    return previous_month(this_month)


def intake(centre, **fields):
    child = PersonFactory(centre=centre, birth_date=datetime.date(2015, 3, 1))
    return IntakeFactory(child=child, centre=centre, **fields)


def test_definitions_have_unique_keys_labels_and_sources():
    keys = [indicator.key for indicator in INDICATORS]
    assert len(keys) == len(set(keys))
    assert all(str(indicator.label) and str(indicator.source_label) for indicator in INDICATORS)
    assert {key for key in keys if INDICATOR_BY_KEY[key].manual} == {
        "counselling_contacts",
        "events_held",
        "event_participants",
        "schools_advised",
    }


def test_last_months_end_with_the_current_month():
    months = last_months(12, today=datetime.date(2026, 3, 15))
    assert months[0] == datetime.date(2025, 4, 1)
    assert months[-1] == datetime.date(2026, 3, 1)
    assert len(months) == 12


def test_schooling_indicators_come_from_the_intakes(centre, other_centre, this_month, last_month):
    early = last_month + datetime.timedelta(days=2)
    intake(centre, registered_on=early, first_school_day=this_month, status=IntakeStatus.STARTED)
    intake(centre, registered_on=early + datetime.timedelta(days=2), first_school_day=this_month)
    intake(centre, registered_on=early)  # still waiting
    intake(centre, registered_on=this_month)  # registered this month, waiting
    intake(centre, registered_on=early, status=IntakeStatus.WITHDRAWN, closed_on=early)  # gone
    intake(other_centre, registered_on=this_month)  # another centre's child

    figures = centre_indicators(centre=centre, months=[last_month, this_month])

    assert figures.series("children_registered") == [4, 1]
    assert figures.series("children_placed") == [0, 2]
    # End of last month: four registered minus the withdrawn one, none at school yet.
    assert figures.value("children_waiting", last_month) == 3
    assert figures.value("children_waiting", this_month) == 2
    days = (this_month - early).days
    assert figures.value("median_days_to_school", this_month) == days - 1
    assert figures.value("median_days_to_school", last_month) is None


def test_volunteering_indicators_count_confirmed_hours_and_matched_requests(centre, this_month, staff):
    postcode_of(centre)
    helper, other_helper = volunteer_in(centre), volunteer_in(centre)
    assignments = []
    for volunteer in (helper, other_helper):
        request = open_request(centre, staff)
        assignment = services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
        assignments.append(services.assignment_accept(volunteer=volunteer, assignment=assignment))
    for assignment, hours, status in [
        (assignments[0], "2.5", HoursStatus.CONFIRMED),
        (assignments[0], "1.5", HoursStatus.CONFIRMED),
        (assignments[1], "3", HoursStatus.LOGGED),
    ]:
        HoursEntry.objects.create(
            centre=centre,
            volunteer=assignment.volunteer,
            assignment=assignment,
            date=this_month,
            hours=Decimal(hours),
            activity="homework_help",
            status=status,
        )
    SupportRequest.objects.for_centre(centre).update(matched_at=timezone.now())

    figures = centre_indicators(centre=centre, months=[this_month])

    assert figures.value("volunteers_active", this_month) == 1
    assert figures.value("volunteer_hours", this_month) == 4.0
    assert figures.value("requests_matched", this_month) == 2


def test_work_indicators_follow_the_contracts(centre, staff, this_month, last_month):
    employer = work.employer(centre)
    job = work.offer(employer, staff)
    second_job = work.offer(employer, staff, title="Ausbildung Bäcker")
    placed = work.profile(centre, staff)
    looking = work.profile(centre, staff, subject=work.person(centre, "Omar", "Said", by=staff))
    paused = work.profile(centre, staff, subject=work.person(centre, "Lina", "Said", by=staff))
    CandidateProfile.objects.for_centre(centre).filter(pk=paused.pk).update(status=CandidateStatus.PAUSED)
    CandidateProfile.objects.for_centre(centre).update(
        created_at=timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(12)))
    )
    Application.objects.create(
        centre=centre, profile=placed, offer=job, stage=Stage.CONTRACT, contract_signed_on=this_month
    )
    Application.objects.create(
        centre=centre,
        profile=looking,
        offer=second_job,
        stage=Stage.FOLLOWED_UP,
        contract_signed_on=this_month - datetime.timedelta(days=200),
        follow_up_due=this_month,
        still_employed=True,
    )

    figures = centre_indicators(centre=centre, months=[last_month, this_month])

    # Last month both were still looking; this month the one with the earlier contract is no candidate.
    assert figures.series("candidates") == [1, 1]
    assert figures.series("placements") == [0, 1]
    assert figures.series("still_employed") == [0, 1]


def test_course_and_network_indicators(centre, staff, this_month):
    course = CourseFactory(centre=centre, with_sessions=0)
    session = course.sessions.create(
        centre=centre, date=this_month, starts_at=datetime.time(9), ends_at=datetime.time(12), place="KI"
    )
    present = RegistrationFactory(course=course)
    RegistrationFactory(course=course)  # registered, never came
    Attendance.objects.create(centre=centre, registration=present, session=session, is_present=True, recorded_by=staff)
    organisation = OrganisationFactory(centre=centre)
    OrganisationFactory(centre=centre)
    Cooperation.objects.create(
        centre=centre,
        organisation=organisation,
        kind=CooperationKind.AGREEMENT,
        since=this_month - datetime.timedelta(days=100),
        topics=[CooperationTopic.values[0]],
    )
    Cooperation.objects.create(
        centre=centre,
        organisation=organisation,
        kind=CooperationKind.AGREEMENT,
        since=this_month - datetime.timedelta(days=100),
        until=this_month - datetime.timedelta(days=1),
        topics=[CooperationTopic.values[0]],
    )

    figures = centre_indicators(centre=centre, months=[this_month])

    assert figures.value("courses", this_month) == 1
    assert figures.value("course_participants", this_month) == 1
    assert figures.value("organisations", this_month) == Organisation.objects.for_centre(centre).count() == 2
    assert figures.value("cooperations", this_month) == 1


def test_manual_figures_are_read_from_the_entries_and_unknown_without_one(centre, staff, this_month, last_month):
    ManualFigure.objects.create(
        centre=centre,
        month=this_month,
        counselling_contacts=12,
        events_held=2,
        event_participants=40,
        schools_advised=3,
        recorded_by=staff,
    )

    figures = centre_indicators(centre=centre, months=[last_month, this_month])

    assert figures.series("counselling_contacts") == [None, 12]
    assert figures.series("event_participants") == [None, 40]


def test_state_table_suppresses_small_counts_of_persons_and_their_rates(this_month, make_member):
    small, big, empty = CentreFactory(), CentreFactory(), CentreFactory()
    for _index in range(3):
        intake(small, registered_on=this_month)
    for _index in range(7):
        intake(big, registered_on=this_month)
    OrganisationFactory(centre=small)

    state = state_indicators(month=this_month)

    shown = state.figure(small.pk, this_month, "children_registered")
    assert shown.value is None
    assert shown.status is FigureStatus.SUPPRESSED
    assert shown.per_10000 is None
    assert shown.text == "×"
    # With one small cell and a published total, the big centre is hidden too, or it would give the small one away.
    assert state.figure(big.pk, this_month, "children_registered").is_suppressed
    assert state.figure(empty.pk, this_month, "children_registered").value == 0
    total = state.total(this_month, "children_registered")
    assert total is not None
    assert total.value == 10
    # Organisations are not persons: published as they are.
    assert state.figure(small.pk, this_month, "organisations").value == 1


def test_comparison_without_totals_hides_only_the_small_counts(this_month):
    small, big = CentreFactory(), CentreFactory()
    for _index in range(3):
        intake(small, registered_on=this_month)
    for _index in range(7):
        intake(big, registered_on=this_month)

    state = state_indicators(month=this_month, with_totals=False)

    assert state.figure(small.pk, this_month, "children_registered").is_suppressed
    assert state.figure(big.pk, this_month, "children_registered").value == 7
    assert state.total(this_month, "children_registered") is None


def test_median_is_hidden_with_the_count_it_describes(this_month, last_month):
    small = CentreFactory()
    intake(small, registered_on=last_month, first_school_day=this_month)

    state = state_indicators(month=this_month)

    assert state.figure(small.pk, this_month, "median_days_to_school").value is None
    assert state.figure(small.pk, this_month, "median_days_to_school").is_suppressed


def test_state_table_has_every_centre_in_one_row(this_month):
    centres = [CentreFactory() for _index in range(3)]

    state = state_indicators(months=last_months(3))

    rows = state.table(this_month)
    assert {row.centre.id for row in rows} == {centre.pk for centre in centres}
    assert all(set(row.figures) == {indicator.key for indicator in state.indicators} for row in rows)


def test_centre_indicators_read_only_the_own_centre(centre, other_centre, this_month, make_member):
    make_member(Role.CENTRE_STAFF, centre=other_centre)
    intake(other_centre, registered_on=this_month)

    figures = centre_indicators(centre=centre, months=[this_month])

    assert figures.value("children_registered", this_month) == 0
