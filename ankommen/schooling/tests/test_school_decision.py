# mypy: disable-error-code="attr-defined, arg-type"

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.models import GuardianKind
from ankommen.people.services import guardian_relation_add
from ankommen.people.tests.factories import PersonFactory
from ankommen.schooling import placement
from ankommen.schooling.models import (
    Intake,
    IntakeStatus,
    Placement,
    PlacementStatus,
    PreRegistration,
    PreRegistrationStatus,
)
from ankommen.schooling.placement_jobs import placement_run_execute
from ankommen.schooling.tests.placement_factories import TERM, released_placement, school_in, seats_at

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def school(centre):
    return school_in(centre, latitude=50.9400, longitude=6.9600)


@pytest.fixture
def proposal(centre, school, staff):
    return released_placement(centre, school, staff)


@pytest.fixture
def contact_client(make_member, login, school):
    return login(make_member(Role.SCHOOL_CONTACT, school=school))


def _reload(placement_row):
    return Placement.objects.for_centre(placement_row.centre).select_related("intake").get(pk=placement_row.pk)


def _confirm(proposal, school, staff, start_date=TOMORROW):
    contact = staff  # any user may stand for the contact in service-level tests
    return placement.placement_confirm(school=school, by=contact, placement=proposal, start_date=start_date)


def test_the_school_contact_sees_the_proposals_to_their_school_only(contact_client, proposal, centre, staff):
    elsewhere = released_placement(centre, school_in(centre, latitude=50.9, longitude=6.9), staff)
    proposal.intake.child.languages = ["ukr"]
    proposal.intake.child.save()
    response = contact_client.get(reverse("schooling:school_proposal_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert proposal.intake.child.family_name in body
    assert elsewhere.intake.child.family_name not in body
    assert AccessLogEntry.objects.filter(
        record_type="schooling.intake", record_id=str(proposal.intake_id), action=AccessAction.LIST
    ).exists()


def test_the_school_confirms_with_a_start_date_and_the_intake_is_confirmed(contact_client, proposal):
    url = reverse("schooling:school_proposal_confirm", args=[proposal.pk])
    response = contact_client.post(url, {"start_date": TOMORROW.isoformat()})
    assert response.status_code == 302
    confirmed = _reload(proposal)
    assert confirmed.status == PlacementStatus.CONFIRMED
    assert confirmed.start_date == TOMORROW
    assert confirmed.decided_at is not None
    assert confirmed.intake.status == IntakeStatus.CONFIRMED


def test_confirming_without_a_start_date_shows_the_form_again(contact_client, proposal):
    response = contact_client.post(reverse("schooling:school_proposal_confirm", args=[proposal.pk]), {})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert _reload(proposal).status == PlacementStatus.RELEASED


def test_a_start_date_in_the_past_is_refused(contact_client, proposal):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    url = reverse("schooling:school_proposal_confirm", args=[proposal.pk])
    response = contact_client.post(url, {"start_date": yesterday.isoformat()})
    assert response.status_code == 400
    assert _reload(proposal).status == PlacementStatus.RELEASED


def test_the_school_declines_with_a_reason_and_the_child_waits_again(contact_client, proposal):
    url = reverse("schooling:school_proposal_decline", args=[proposal.pk])
    response = contact_client.post(url, {"reason": "Die Klasse ist voll."})
    assert response.status_code == 302
    declined = _reload(proposal)
    assert declined.status == PlacementStatus.DECLINED
    assert declined.decline_reason == "Die Klasse ist voll."
    assert declined.intake.status == IntakeStatus.ASSESSED


def test_declining_without_a_reason_is_refused(contact_client, proposal):
    url = reverse("schooling:school_proposal_decline", args=[proposal.pk])
    response = contact_client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert _reload(proposal).status == PlacementStatus.RELEASED
    assert _reload(proposal).intake.status == IntakeStatus.PROPOSED


def test_a_decided_placement_cannot_be_decided_again(proposal, school, staff):
    _confirm(proposal, school, staff)
    with pytest.raises(ValidationError):
        placement.placement_decline(school=school, by=staff, placement=proposal, reason="doch nicht")
    assert _reload(proposal).status == PlacementStatus.CONFIRMED


def test_another_schools_contact_gets_404_and_changes_nothing(make_member, login, centre, proposal):
    other_school = school_in(centre, latitude=50.9, longitude=6.9)
    client = login(make_member(Role.SCHOOL_CONTACT, school=other_school))
    confirm = reverse("schooling:school_proposal_confirm", args=[proposal.pk])
    decline = reverse("schooling:school_proposal_decline", args=[proposal.pk])
    assert client.get(confirm).status_code == 404
    assert client.post(confirm, {"start_date": TOMORROW.isoformat()}).status_code == 404
    assert client.post(decline, {"reason": "nein"}).status_code == 404
    unchanged = _reload(proposal)
    assert unchanged.status == PlacementStatus.RELEASED
    assert unchanged.intake.status == IntakeStatus.PROPOSED


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.STATE_ANALYST, Role.RESEARCHER])
def test_roles_other_than_school_contact_cannot_decide(role, make_member, login, centre, proposal):
    client = login(make_member(role, centre=centre if role == Role.CENTRE_STAFF else None))
    url = reverse("schooling:school_proposal_confirm", args=[proposal.pk])
    assert client.post(url, {"start_date": TOMORROW.isoformat()}).status_code == 403
    assert client.get(reverse("schooling:school_proposal_list")).status_code == 403
    assert _reload(proposal).status == PlacementStatus.RELEASED


def test_the_next_run_does_not_propose_the_declining_school_again(centre, staff, school, proposal):
    seats_at(school, seats=5)
    placement.placement_decline(school=school, by=staff, placement=proposal, reason="Klasse voll")
    run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    run = placement_run_execute(run_id=run.pk)
    row = Placement.objects.for_centre(centre).get(run=run, intake=proposal.intake)
    assert row.school is None
    assert row.explanation["reason"] == placement.DECLINED_BY_SCHOOL
    assert row.explanation["declined_schools"] == [str(school.pk)]


# The letter and the first school day --------------------------------------------------------------------------


def test_the_family_letter_is_a_pdf_for_centre_staff(staff_client, proposal, school, staff):
    _confirm(proposal, school, staff)
    response = staff_client.get(reverse("schooling:placement_letter", args=[proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert proposal.intake.child.family_name not in response["Content-Disposition"]


def test_the_letter_is_in_german_and_the_language_of_the_pre_registration(centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    mother = PersonFactory(centre=centre, family=proposal.intake.child.family)
    guardian_relation_add(
        centre=centre, by=staff, child=proposal.intake.child, guardian=mother, kind=GuardianKind.MOTHER
    )
    form = PreRegistration.objects.create(
        centre=centre, language="uk", status=PreRegistrationStatus.ACCEPTED, payload={"accepted": {}}
    )
    Intake.objects.for_centre(centre).filter(pk=proposal.intake_id).update(preregistration=form)
    html = placement.placement_letter_html(centre=centre, placement=_reload(proposal))
    assert 'lang="de"' in html
    assert 'lang="uk"' in html
    assert school.name in html
    assert school.street in html


def test_the_letter_is_german_only_without_a_pre_registration(centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    html = placement.placement_letter_html(centre=centre, placement=_reload(proposal))
    assert 'lang="de"' in html
    assert 'lang="uk"' not in html
    assert TOMORROW.strftime("%Y") in html


def test_no_letter_for_a_place_not_yet_confirmed(staff_client, proposal):
    assert staff_client.get(reverse("schooling:placement_letter", args=[proposal.pk])).status_code == 404


def test_another_centre_cannot_download_the_letter(make_member, login, other_centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    client = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert client.get(reverse("schooling:placement_letter", args=[proposal.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(record_id=str(proposal.intake_id), action=AccessAction.EXPORT).exists()


def test_the_confirmed_list_offers_letter_and_first_day(staff_client, proposal, school, staff):
    _confirm(proposal, school, staff)
    body = staff_client.get(reverse("schooling:placement_confirmed_list")).content.decode()
    assert reverse("schooling:placement_letter", args=[proposal.pk]) in body
    assert reverse("schooling:first_school_day", args=[proposal.intake_id]) in body


def test_recording_the_first_school_day_closes_the_intake(staff_client, centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    today = timezone.localdate()
    url = reverse("schooling:first_school_day", args=[proposal.intake_id])
    response = staff_client.post(url, {"first_school_day": today.isoformat()})
    assert response.status_code == 302
    intake = Intake.objects.for_centre(centre).get(pk=proposal.intake_id)
    assert intake.status == IntakeStatus.STARTED
    assert intake.first_school_day == today
    assert intake.closed_on == today


def test_the_first_school_day_needs_a_confirmed_place(staff_client, centre, proposal):
    url = reverse("schooling:first_school_day", args=[proposal.intake_id])
    response = staff_client.post(url, {"first_school_day": timezone.localdate().isoformat()})
    assert response.status_code == 400
    intake = Intake.objects.for_centre(centre).get(pk=proposal.intake_id)
    assert intake.status == IntakeStatus.PROPOSED
    assert intake.closed_on is None


def test_a_first_school_day_in_the_future_is_refused(staff_client, centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    url = reverse("schooling:first_school_day", args=[proposal.intake_id])
    response = staff_client.post(url, {"first_school_day": TOMORROW.isoformat()})
    assert response.status_code == 400
    assert Intake.objects.for_centre(centre).get(pk=proposal.intake_id).closed_on is None


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.SCHOOL_CONTACT])
def test_state_and_school_roles_cannot_record_the_first_day(role, make_member, login, centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    client = login(make_member(role))
    url = reverse("schooling:first_school_day", args=[proposal.intake_id])
    assert client.post(url, {"first_school_day": timezone.localdate().isoformat()}).status_code == 403
    assert client.get(reverse("schooling:placement_letter", args=[proposal.pk])).status_code == 403
    assert Intake.objects.for_centre(centre).get(pk=proposal.intake_id).status == IntakeStatus.CONFIRMED


def test_another_centre_cannot_record_the_first_day(make_member, login, other_centre, centre, proposal, school, staff):
    _confirm(proposal, school, staff)
    client = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    url = reverse("schooling:first_school_day", args=[proposal.intake_id])
    assert client.post(url, {"first_school_day": timezone.localdate().isoformat()}).status_code == 404
    assert Intake.objects.for_centre(centre).get(pk=proposal.intake_id).status == IntakeStatus.CONFIRMED
