# mypy: disable-error-code="attr-defined, arg-type"

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen import matching
from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.tests.factories import FamilyFactory
from ankommen.regions.models import SchoolForm
from ankommen.schooling import placement
from ankommen.schooling.models import (
    Intake,
    IntakeStatus,
    Placement,
    PlacementRun,
    PlacementRunStatus,
    PlacementStatus,
)
from ankommen.schooling.placement_jobs import placement_run_execute
from ankommen.schooling.tests.placement_factories import (
    FAR_HOME,
    TERM,
    released_placement,
    school_in,
    seats_at,
    waiting_child,
)

pytestmark = pytest.mark.django_db


def _placements(centre):
    return Placement.objects.for_centre(centre)


def _runs(centre):
    return PlacementRun.objects.for_centre(centre)


@pytest.fixture
def two_schools(centre):
    near = school_in(centre, latitude=50.9400, longitude=6.9600)
    far = school_in(centre, latitude=50.9000, longitude=6.9000)
    seats_at(near, seats=2)
    seats_at(far, seats=5)
    return near, far


def _run(centre, staff):
    run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    return placement_run_execute(run_id=run.pk)


def test_starting_a_run_queues_it_and_defers_the_job_after_commit(centre, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    assert run.status == PlacementRunStatus.QUEUED
    assert len(callbacks) == 1
    job = ProcrastinateJob.objects.get(task_name="schooling.placement_run", args__run_id=run.pk)
    assert job.args == {"run_id": run.pk}


def test_the_job_places_every_child_with_one_placement_each(centre, staff, two_schools):
    near, far = two_schools
    intakes = [waiting_child(centre) for _ in range(3)]
    run = _run(centre, staff)
    assert run.status == PlacementRunStatus.REVIEW
    assert run.progress == 1.0
    rows = list(_placements(centre).filter(run=run))
    assert sorted(row.intake_id for row in rows) == sorted(intake.pk for intake in intakes)
    assert all(row.status == PlacementStatus.PROPOSED for row in rows)
    schools = sorted(row.school_id for row in rows)
    # The near school has two seats, the third child goes to the farther one.
    assert schools == sorted([near.pk, near.pk, far.pk])
    assert all(row.distance_km is not None for row in rows)
    assert run.summary["placed"] == 3
    assert run.summary["children"] == 3


def test_the_farther_childs_explanation_names_the_full_nearer_school(centre, staff, two_schools):
    near, far = two_schools
    for _ in range(3):
        waiting_child(centre)
    run = _run(centre, staff)
    farther = _placements(centre).get(run=run, school=far)
    assert farther.explanation["reason"] == matching.ReasonCode.NEARER_UNAVAILABLE
    assert farther.explanation["nearer_schools"][0]["reason"] == matching.NearerReason.FULL
    lines = placement.explanation_lines(farther, placement.school_names_of([farther]))
    assert any(near.name in line for line in lines)


def test_siblings_of_the_same_stage_go_to_the_same_school(centre, staff):
    near = school_in(centre, latitude=50.9400, longitude=6.9600)
    other = school_in(centre, latitude=50.9380, longitude=6.9570)
    seats_at(near, seats=1)
    seats_at(other, seats=2)
    family = FamilyFactory(centre=centre)
    first, second = waiting_child(centre, family=family), waiting_child(centre, family=family)
    run = _run(centre, staff)
    schools = {row.school_id for row in _placements(centre).filter(run=run, intake__in=[first, second])}
    assert len(schools) == 1
    assert run.summary["families_split"] == 0


def _declined_by(school, centre, staff):
    proposal = released_placement(centre, school, staff)
    placement.placement_decline(school=school, by=staff, placement=proposal, reason="Klasse voll")
    return proposal.intake


def test_the_next_run_places_a_declined_child_at_the_next_school_and_says_why(centre, staff, two_schools):
    near, far = two_schools
    intake = _declined_by(near, centre, staff)
    other = waiting_child(centre)
    run = _run(centre, staff)
    row = _placements(centre).get(run=run, intake=intake)
    # The near school still has a free seat, but it declined this child: the engine proposes the next school.
    assert row.school == far
    assert row.explanation["declined_schools"] == [str(near.pk)]
    assert row.explanation["nearer_schools"][0] == {
        "school_id": str(near.pk),
        "distance_km": row.explanation["nearer_schools"][0]["distance_km"],
        "reason": matching.NearerReason.DECLINED_BEFORE,
    }
    assert _placements(centre).get(run=run, intake=other).school == near
    with translation.override("de"):
        lines = placement.explanation_lines(row, placement.school_names_of([row]))
    assert any(near.name in line and "bereits abgelehnt" in line for line in lines)
    assert run.summary["placed"] == 2


def test_a_child_declined_by_every_school_in_reach_waits_with_that_reason(centre, staff):
    only = school_in(centre, latitude=50.9400, longitude=6.9600)
    seats_at(only, seats=3)
    intake = _declined_by(only, centre, staff)
    run = _run(centre, staff)
    row = _placements(centre).get(run=run, intake=intake)
    assert row.school is None
    assert row.explanation["reason"] == matching.ReasonCode.DECLINED_BY_SCHOOL
    with translation.override("en"):
        lines = placement.explanation_lines(row, {})
    assert lines[0].startswith("every acceptable school with seats within 25 km has declined")


def test_a_child_without_known_postcode_stays_unplaced_with_its_reason(centre, staff, two_schools):
    placed = waiting_child(centre)
    unknown = waiting_child(centre, postcode=("", 0.0, 0.0))
    run = _run(centre, staff)
    assert _placements(centre).get(run=run, intake=placed).school is not None
    row = _placements(centre).get(run=run, intake=unknown)
    assert row.school is None
    assert row.explanation["reason"] == placement.NO_KNOWN_POSTCODE


def test_a_child_beyond_the_maximum_distance_stays_unplaced(centre, staff, two_schools):
    intake = waiting_child(centre, postcode=FAR_HOME)
    intake.max_distance_km = 1
    intake.save()
    run = _run(centre, staff)
    row = _placements(centre).get(run=run, intake=intake)
    assert row.school is None
    assert row.explanation["reason"] in {
        matching.ReasonCode.NO_ACCEPTABLE_SCHOOL_WITHIN_MAX_KM,
        matching.ReasonCode.ALL_WITHIN_MAX_KM_FULL,
    }


def test_only_acceptable_school_forms_are_proposed(centre, staff):
    primary = school_in(centre, latitude=50.9390, longitude=6.9565, form=SchoolForm.PRIMARY)
    gymnasium = school_in(centre, latitude=50.9000, longitude=6.9000, form=SchoolForm.GYMNASIUM)
    seats_at(primary, seats=5)
    seats_at(gymnasium, seats=5)
    intake = waiting_child(centre)
    intake.assessment.acceptable_school_forms = [SchoolForm.GYMNASIUM]
    intake.assessment.save()
    run = _run(centre, staff)
    assert _placements(centre).get(run=run, intake=intake).school == gymnasium


def test_confirmed_placements_of_the_term_keep_their_seats(centre, staff):
    near = school_in(centre, latitude=50.9400, longitude=6.9600)
    far = school_in(centre, latitude=50.9000, longitude=6.9000)
    seats_at(near, seats=1)
    seats_at(far, seats=5)
    confirmed = released_placement(centre, near, staff)
    confirmed.status = PlacementStatus.CONFIRMED
    confirmed.save()
    newcomer = waiting_child(centre)
    run = _run(centre, staff)
    assert _placements(centre).get(run=run, intake=newcomer).school == far
    assert not _placements(centre).filter(run=run, intake=confirmed.intake).exists()


def test_a_second_start_while_one_is_running_is_refused(centre, staff):
    first = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    PlacementRun.objects.for_centre(centre).filter(pk=first.pk).update(status=PlacementRunStatus.RUNNING)
    with translation.override("en"), pytest.raises(ValidationError, match="already queued or running"):
        placement.placement_run_start(centre=centre, by=staff, term=TERM)
    assert _runs(centre).count() == 1


def test_the_database_refuses_a_second_active_run_even_past_the_check(centre, staff, monkeypatch):
    placement.placement_run_start(centre=centre, by=staff, term=TERM)
    # As if two requests passed the check at the same moment: only the constraint stands in the way.
    monkeypatch.setattr(placement, "ACTIVE_RUN_STATUSES", ())
    with translation.override("en"), pytest.raises(ValidationError, match="already queued or running"):
        placement.placement_run_start(centre=centre, by=staff, term=TERM)
    assert _runs(centre).count() == 1


def test_a_run_failing_midway_leaves_no_placements_and_is_marked_failed(centre, staff, two_schools, monkeypatch):
    waiting_child(centre)

    def explode(*args, **kwargs):
        kwargs["progress"](0.5, "flow")
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(matching, "place", explode)
    run = _run(centre, staff)
    assert run.status == PlacementRunStatus.FAILED
    assert not _placements(centre).exists()
    assert run.summary["error"]["kind"] == "internal"


def test_a_failure_while_writing_leaves_no_placements(centre, staff, two_schools, monkeypatch):
    waiting_child(centre)
    waiting_child(centre)
    original = Placement.objects.bulk_create

    def half_then_fail(objects, *args, **kwargs):
        original(objects[:1], *args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Placement.objects, "bulk_create", half_then_fail)
    run = _run(centre, staff)
    assert run.status == PlacementRunStatus.FAILED
    assert not _placements(centre).exists()


def test_release_sends_proposals_and_marks_intakes_proposed(centre, staff, two_schools):
    placed = waiting_child(centre)
    unplaced = waiting_child(centre, postcode=("", 0.0, 0.0))
    run = _run(centre, staff)
    placement.placement_run_release(centre=centre, by=staff, run=run)
    run.refresh_from_db()
    assert run.status == PlacementRunStatus.RELEASED
    assert _placements(centre).get(intake=placed).status == PlacementStatus.RELEASED
    assert _placements(centre).get(intake=unplaced).status == PlacementStatus.DISCARDED
    assert Intake.objects.for_centre(centre).get(pk=placed.pk).status == IntakeStatus.PROPOSED
    assert Intake.objects.for_centre(centre).get(pk=unplaced.pk).status == IntakeStatus.ASSESSED


def test_discard_leaves_the_children_waiting(centre, staff, two_schools):
    intake = waiting_child(centre)
    run = _run(centre, staff)
    placement.placement_run_discard(centre=centre, by=staff, run=run)
    assert _placements(centre).get(intake=intake).status == PlacementStatus.DISCARDED
    assert Intake.objects.for_centre(centre).get(pk=intake.pk).status == IntakeStatus.ASSESSED
    assert _runs(centre).get().status == PlacementRunStatus.DISCARDED


def test_a_run_under_review_blocks_a_new_start_until_decided(centre, staff, two_schools):
    waiting_child(centre)
    run = _run(centre, staff)
    with pytest.raises(ValidationError):
        placement.placement_run_start(centre=centre, by=staff, term=TERM)
    placement.placement_run_discard(centre=centre, by=staff, run=run)
    assert placement.placement_run_start(centre=centre, by=staff, term=TERM).status == PlacementRunStatus.QUEUED


# Pages ----------------------------------------------------------------------------------------------------------


def test_staff_start_a_run_from_the_page(staff_client, centre):
    response = staff_client.post(reverse("schooling:placement_run_start"), {"term": TERM})
    run = _runs(centre).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("schooling:placement_run_detail", args=[run.pk])


def test_a_second_start_on_the_page_shows_the_refusal(staff_client, centre, staff):
    placement.placement_run_start(centre=centre, by=staff, term=TERM)
    response = staff_client.post(reverse("schooling:placement_run_start"), {"term": TERM})
    assert response.status_code == 400
    assert "kern-alert--danger" in response.content.decode()
    assert _runs(centre).count() == 1


def test_an_unknown_term_is_refused_on_the_page(staff_client, centre):
    response = staff_client.post(reverse("schooling:placement_run_start"), {"term": "1999/00-1"})
    assert response.status_code == 400
    assert not _runs(centre).exists()


def test_the_review_page_shows_proposals_with_explanations_and_logs_access(staff_client, centre, staff, two_schools):
    intake = waiting_child(centre, given_names="Mariia")
    run = _run(centre, staff)
    response = staff_client.get(reverse("schooling:placement_run_detail", args=[run.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mariia" in body
    with translation.override("de"):
        assert gettext("nearest school") in body
    assert AccessLogEntry.objects.filter(
        user=staff, record_type="schooling.intake", record_id=str(intake.pk), action=AccessAction.LIST
    ).exists()


def test_the_progress_partial_polls_while_running_and_refreshes_when_done(staff_client, centre, staff):
    run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    url = reverse("schooling:placement_run_progress", args=[run.pk])
    polling = staff_client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in polling.content.decode()
    assert "HX-Refresh" not in polling
    placement_run_execute(run_id=run.pk)
    done = staff_client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "every 2s" not in done.content.decode()


def test_release_on_the_page_changes_statuses(staff_client, centre, staff, two_schools):
    intake = waiting_child(centre)
    run = _run(centre, staff)
    response = staff_client.post(reverse("schooling:placement_run_release", args=[run.pk]))
    assert response.status_code == 302
    assert Intake.objects.for_centre(centre).get(pk=intake.pk).status == IntakeStatus.PROPOSED


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER, Role.SCHOOL_CONTACT])
def test_other_roles_cannot_start_or_see_runs(role, make_member, login, centre, staff, two_schools):
    waiting_child(centre)
    run = _run(centre, staff)
    client = login(make_member(role))
    assert client.get(reverse("schooling:placement_run_detail", args=[run.pk])).status_code == 403
    assert client.post(reverse("schooling:placement_run_release", args=[run.pk])).status_code == 403
    assert client.post(reverse("schooling:placement_run_start"), {"term": TERM}).status_code == 403
    assert _runs(centre).get().status == PlacementRunStatus.REVIEW
    assert _runs(centre).count() == 1


def test_another_centres_staff_get_404_and_change_nothing(make_member, login, other_centre, centre, staff, two_schools):
    waiting_child(centre)
    run = _run(centre, staff)
    client = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert client.get(reverse("schooling:placement_run_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("schooling:placement_run_progress", args=[run.pk])).status_code == 404
    assert client.post(reverse("schooling:placement_run_release", args=[run.pk])).status_code == 404
    assert client.post(reverse("schooling:placement_run_discard", args=[run.pk])).status_code == 404
    assert _runs(centre).get().status == PlacementRunStatus.REVIEW
    assert set(_placements(centre).values_list("status", flat=True)) == {PlacementStatus.PROPOSED}
