# mypy: disable-error-code="attr-defined"
"""The school placement's API: seats and proposals for the school contact, intakes, shortage and runs for the centre."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.schooling.models import IntakeStatus, PlacementRun, PlacementStatus, SeatOffer
from ankommen.schooling.tests.placement_factories import TERM, released_placement, school_in, seats_at, waiting_child

pytestmark = pytest.mark.django_db
URL = "/api/v1/schooling"


@pytest.fixture
def school(centre):
    return school_in(centre, latitude=50.9400, longitude=6.9600)


@pytest.fixture
def contact_client(make_member, login, school):
    return login(make_member(Role.SCHOOL_CONTACT, school=school))


def test_the_school_contact_sets_seats_and_a_second_put_changes_the_number(contact_client, school, centre):
    body = {"term": TERM, "grade": 5, "kind": "initial_support", "seats": 4}
    assert contact_client.put(f"{URL}/seats", body, content_type="application/json").status_code == 200
    body["seats"] = 6
    response = contact_client.put(f"{URL}/seats", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["seats"] == 6
    offers = SeatOffer.objects.for_centre(centre).filter(school=school)
    assert list(offers.values_list("grade", "seats")) == [(5, 6)]
    listed = contact_client.get(f"{URL}/seats", {"term": TERM}).json()
    assert [(row["grade"], row["seats"]) for row in listed] == [(5, 6)]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"term": TERM, "grade": 5, "kind": "initial_support", "seats": -1}, 422, "seats"),
        ({"term": TERM, "grade": 14, "kind": "initial_support", "seats": 1}, 422, "grade"),
        ({"term": TERM, "grade": 5, "kind": "evening_class", "seats": 1}, 422, "kind"),
        ({"term": "2026/28-1", "grade": 5, "kind": "initial_support", "seats": 1}, 400, "term"),
    ],
)
def test_bad_seats_are_refused_with_the_field_named_and_nothing_written(contact_client, centre, body, status, field):
    response = contact_client.put(f"{URL}/seats", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not SeatOffer.objects.for_centre(centre).exists()


def test_the_school_contact_confirms_a_proposal_and_the_read_is_logged(contact_client, centre, school, staff):
    proposal = released_placement(centre, school, staff)
    listed = contact_client.get(f"{URL}/proposals").json()
    assert [row["id"] for row in listed] == [proposal.pk]
    start = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = contact_client.post(
        f"{URL}/proposals/{proposal.pk}/confirm", {"start_date": start}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == PlacementStatus.CONFIRMED
    proposal.refresh_from_db()
    assert proposal.status == PlacementStatus.CONFIRMED
    assert AccessLogEntry.objects.filter(record_id=str(proposal.intake_id), action=AccessAction.API).exists()


def test_a_decline_needs_a_reason_and_then_the_child_waits_again(contact_client, centre, school, staff):
    proposal = released_placement(centre, school, staff)
    path = f"{URL}/proposals/{proposal.pk}/decline"
    assert contact_client.post(path, {"reason": ""}, content_type="application/json").status_code == 422
    assert contact_client.post(path, {"reason": "Klasse voll"}, content_type="application/json").status_code == 200
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (PlacementStatus.DECLINED, "Klasse voll")
    assert proposal.intake.status == IntakeStatus.ASSESSED


def test_a_proposal_to_another_school_is_404(make_member, login, centre, school, staff):
    proposal = released_placement(centre, school, staff)
    other = login(make_member(Role.SCHOOL_CONTACT, school=school_in(centre, latitude=50.95, longitude=6.97)))
    response = other.post(
        f"{URL}/proposals/{proposal.pk}/confirm", {"start_date": "2026-12-01"}, content_type="application/json"
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == PlacementStatus.RELEASED


def test_the_centre_lists_its_intakes_by_id_without_names_and_logs_them(staff_client, staff, centre, other_centre):
    mine = waiting_child(centre, given_names="Olena", family_name="Kovalenko")
    waiting_child(other_centre)
    response = staff_client.get(f"{URL}/intakes")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.pk
    assert body["items"][0]["grade"] == 5
    assert "Kovalenko" not in response.content.decode()
    assert AccessLogEntry.objects.filter(user=staff, record_id=str(mine.pk), action=AccessAction.API).exists()


def test_the_shortage_shows_missing_seats_per_area_and_grade(staff_client, centre, school):
    seats_at(school, grade=5, seats=1)
    for _ in range(3):
        waiting_child(centre, grade=5)
    rows = staff_client.get(f"{URL}/shortage", {"term": TERM}).json()
    grade_five = [row for row in rows if row["grade"] == 5]
    assert sum(row["waiting"] for row in grade_five) == 3
    assert sum(row["shortfall"] for row in grade_five) >= 2
    assert staff_client.get(f"{URL}/shortage", {"term": "2026-1"}).status_code == 400


def test_a_second_run_while_one_is_queued_is_refused(staff_client, centre):
    first = staff_client.post(f"{URL}/placement-runs", {"term": TERM}, content_type="application/json")
    assert first.status_code == 201
    run_id = first.json()["id"]
    assert staff_client.get(f"{URL}/placement-runs/{run_id}").json()["status"] == "queued"
    second = staff_client.post(f"{URL}/placement-runs", {"term": TERM}, content_type="application/json")
    assert second.status_code == 400
    assert PlacementRun.objects.for_centre(centre).count() == 1
