# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessLogEntry
from ankommen.people.tests.factories import PersonFactory
from ankommen.volunteering import batch, selectors, services
from ankommen.volunteering.models import (
    Assignment,
    AssignmentStatus,
    BatchRun,
    ClearanceInspection,
    HoursEntry,
    HoursStatus,
    RequestStatus,
    StepKind,
    SupportRequest,
    VolunteerStatus,
)
from ankommen.volunteering.tests.factories import open_request, postcode_of, volunteer_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def koeln_postcode(centre):
    return postcode_of(centre)


def test_a_request_needs_consent_for_volunteer_support(centre, staff):
    person = PersonFactory(centre=centre)
    with pytest.raises(ValidationError) as refused:
        services.support_request_create(
            centre=centre, by=staff, person=person, activity="homework_help", postcode="50667", expected_duration="once"
        )
    assert "person" in refused.value.message_dict
    assert not SupportRequest.objects.for_centre(centre).exists()


def test_staff_verify_identity_before_any_match(centre, staff):
    volunteer = volunteer_in(centre, status=VolunteerStatus.AWAITING_VERIFICATION)
    request = open_request(centre, staff)
    assert selectors.suggestions_for(centre=centre, request=request) == []
    with pytest.raises(ValidationError):
        services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    services.volunteer_verify(centre=centre, by=staff, volunteer=volunteer)
    [row] = selectors.suggestions_for(centre=centre, request=request)
    assert row.volunteer == volunteer


def test_clearance_stores_the_inspection_with_five_years_validity_and_opens_requests_with_minors(centre, staff):
    volunteer = volunteer_in(centre)
    request = open_request(centre, staff, involves_minors=True)
    assert selectors.suggestions_for(centre=centre, request=request) == []
    issued = timezone.localdate() - datetime.timedelta(days=30)
    inspection = services.clearance_record(
        centre=centre, by=staff, volunteer=volunteer, issued_on=issued, no_relevant_entry=True
    )
    assert inspection.valid_until == issued.replace(year=issued.year + 5) - datetime.timedelta(days=1)
    assert {f.name for f in ClearanceInspection._meta.fields}.isdisjoint({"document", "file", "scan"})
    [row] = selectors.suggestions_for(centre=centre, request=request)
    assert row.suggestion.parts["certificate"] == 5.0


@override_settings(ANKOMMEN_CLEARANCE_VALID_YEARS=3)
def test_the_validity_is_configurable_and_an_expired_certificate_is_refused(centre, staff):
    volunteer = volunteer_in(centre)
    issued = timezone.localdate() - datetime.timedelta(days=400)
    inspection = services.clearance_record(
        centre=centre, by=staff, volunteer=volunteer, issued_on=issued, no_relevant_entry=True
    )
    assert inspection.valid_until.year == issued.year + 3
    with pytest.raises(ValidationError) as refused:
        services.clearance_record(
            centre=centre,
            by=staff,
            volunteer=volunteer,
            issued_on=timezone.localdate() - datetime.timedelta(days=4 * 366),
            no_relevant_entry=True,
        )
    assert "issued_on" in refused.value.message_dict


def test_minors_are_never_proposed_to_a_volunteer_without_valid_clearance(centre, staff):
    volunteer = volunteer_in(centre, clearance_valid_until=timezone.localdate() - datetime.timedelta(days=1))
    request = open_request(centre, staff, involves_minors=True)
    with pytest.raises(ValidationError):
        services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    assert not Assignment.objects.for_centre(centre).exists()


def test_propose_accept_and_close_walk_the_statuses_and_write_every_step(centre, staff):
    volunteer = volunteer_in(centre)
    request = open_request(centre, staff)
    assignment = services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    request.refresh_from_db()
    volunteer.refresh_from_db()
    assert request.status == RequestStatus.PROPOSED
    assert volunteer.open_assignments == 1
    services.assignment_accept(volunteer=volunteer, assignment=assignment)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACTIVE
    assert request.matched_at is not None
    with pytest.raises(ValidationError):
        services.support_request_close(centre=centre, by=staff, request=request, reason="")
    services.support_request_close(centre=centre, by=staff, request=request, reason="completed")
    request.refresh_from_db()
    volunteer.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.close_reason == "completed"
    assert volunteer.open_assignments == 0
    assert [step.kind for step in selectors.steps_of(centre=centre, request=request)] == [
        StepKind.OPENED,
        StepKind.PROPOSED,
        StepKind.ACCEPTED,
        StepKind.CLOSED,
    ]


def test_a_decline_needs_a_reason_and_reopens_the_request(centre, staff):
    volunteer = volunteer_in(centre)
    request = open_request(centre, staff)
    assignment = services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    with pytest.raises(ValidationError):
        services.assignment_decline(volunteer=volunteer, assignment=assignment, reason=" ")
    services.assignment_decline(volunteer=volunteer, assignment=assignment, reason="no time in May")
    request.refresh_from_db()
    volunteer.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert volunteer.open_assignments == 0
    assert selectors.steps_of(centre=centre, request=request).last().note == "no time in May"


def test_a_full_volunteer_gets_no_further_proposal(centre, staff):
    volunteer = volunteer_in(centre, max_parallel=1)
    services.assignment_propose(centre=centre, by=staff, request=open_request(centre, staff), volunteer=volunteer)
    with pytest.raises(ValidationError):
        services.assignment_propose(centre=centre, by=staff, request=open_request(centre, staff), volunteer=volunteer)


def test_the_batch_proposes_more_requests_than_first_come_and_the_page_shows_both(centre, staff, staff_client):
    postcode_of(centre, code="50999", longitude=6.95 - 8.0 / 70.0)
    best = volunteer_in(centre, max_parallel=1)
    volunteer_in(centre, max_parallel=1, longitude=6.95 + 3.0 / 70.0, languages={"uk": "B1"})
    open_request(centre, staff)
    open_request(centre, staff, postcode="50999")
    comparison = selectors.batch_comparison(centre=centre)
    assert (comparison.optimal.matched, comparison.greedy.matched) == (2, 1)
    page = staff_client.get(reverse("volunteering:batch"))
    assert page.status_code == 200
    response = staff_client.post(reverse("volunteering:batch"))
    assert response.status_code == 302
    run = BatchRun.objects.for_centre(centre).get()
    batch.batch_run_execute(run_id=run.pk)
    assert staff_client.post(reverse("volunteering:batch_run_apply", args=[run.pk])).status_code == 302
    assignments = Assignment.objects.for_centre(centre)
    assert assignments.count() == 2
    assert assignments.get(volunteer=best).score["method"] == "batch"
    assert not SupportRequest.objects.for_centre(centre).filter(status=RequestStatus.OPEN).exists()


def test_suggestions_page_shows_the_score_breakdown_and_logs_the_read(centre, staff, staff_client):
    volunteer_in(centre)
    request = open_request(centre, staff)
    response = staff_client.get(reverse("volunteering:request_detail", kwargs={"request_id": request.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    # Everything fits but the clearance certificate (5 points), in German number format.
    assert "<strong>95,0</strong>" in content
    assert AccessLogEntry.objects.filter(record_type="volunteering.volunteer").exists()


def test_another_centres_request_answers_404(centre, other_centre, staff, login, make_member):
    request = open_request(centre, staff)
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.get(reverse("volunteering:request_detail", kwargs={"request_id": request.pk})).status_code == 404


def test_a_volunteer_sees_the_family_contact_only_after_accepting_and_never_another_volunteers_request(
    centre, staff, login
):
    volunteer = volunteer_in(centre)
    other = volunteer_in(centre)
    request = open_request(centre, staff)
    assignment = services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    client = login(volunteer.user)
    portal = client.get(reverse("volunteering:portal")).content.decode()
    assert "Kovalenko" not in portal
    other_client = login(other.user)
    refused = other_client.post(
        reverse("volunteering:assignment_respond", kwargs={"assignment_id": assignment.pk}), {"decision": "accept"}
    )
    assert refused.status_code == 404
    assert Assignment.objects.for_centre(centre).get().status == AssignmentStatus.PROPOSED
    client.post(
        reverse("volunteering:assignment_respond", kwargs={"assignment_id": assignment.pk}), {"decision": "accept"}
    )
    portal = client.get(reverse("volunteering:portal")).content.decode()
    assert "Kovalenko" in portal
    assert "Kovalenko" not in other_client.get(reverse("volunteering:portal")).content.decode()


def test_hours_are_logged_confirmed_and_the_certificate_is_a_pdf(centre, staff, staff_client, login):
    volunteer = volunteer_in(centre)
    request = open_request(centre, staff)
    assignment = services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    with pytest.raises(ValidationError):
        services.hours_log(volunteer=volunteer, assignment=assignment, date=timezone.localdate(), hours=2)
    services.assignment_accept(volunteer=volunteer, assignment=assignment)
    client = login(volunteer.user)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    client.post(reverse("volunteering:hours_log"), {"assignment": assignment.pk, "date": future, "hours": "2"})
    assert not HoursEntry.objects.for_centre(centre).exists()
    today = timezone.localdate().isoformat()
    client.post(reverse("volunteering:hours_log"), {"assignment": assignment.pk, "date": today, "hours": "2.5"})
    entry = HoursEntry.objects.for_centre(centre).get()
    staff_client.post(reverse("volunteering:hours_decide", kwargs={"entry_id": entry.pk}), {"decision": "confirm"})
    entry.refresh_from_db()
    assert entry.status == HoursStatus.CONFIRMED
    summary = selectors.engagement_summary(centre=centre, volunteer=volunteer)
    assert summary.hours == entry.hours
    pdf = staff_client.get(reverse("volunteering:engagement_certificate", kwargs={"volunteer_id": volunteer.pk}))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_requests_may_come_from_a_partner_organisation(centre, staff):
    request = open_request(centre, staff, partner_organisation="Caritas Köln")
    assert request.person is None
    assert request.status == RequestStatus.OPEN


def test_suggestions_follow_the_load_once_a_volunteer_is_full(centre, staff):
    full = volunteer_in(centre, max_parallel=1)
    free = volunteer_in(centre, max_parallel=1)
    first, second = open_request(centre, staff), open_request(centre, staff)
    assert {row.volunteer for row in selectors.suggestions_for(centre=centre, request=second)} == {full, free}
    services.assignment_propose(centre=centre, by=staff, request=first, volunteer=full)
    assert [row.volunteer for row in selectors.suggestions_for(centre=centre, request=second)] == [free]
