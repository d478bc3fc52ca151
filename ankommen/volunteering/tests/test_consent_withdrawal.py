# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ankommen.core.tests.form_fields import opened_version
from ankommen.volunteering import selectors, services, shifts, tasks
from ankommen.volunteering.models import (
    Assignment,
    AssignmentStatus,
    ClearanceInspection,
    RequestStatus,
    ShiftSignup,
    StepKind,
    VolunteerStatus,
)
from ankommen.volunteering.tests.factories import open_request, postcode_of, volunteer_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def koeln_postcode(centre):
    return postcode_of(centre)


@pytest.fixture
def engaged(centre, staff):
    """A verified volunteer with one proposal, one active assignment, a shift tomorrow and an expiring clearance."""
    volunteer = volunteer_in(centre, verified_by=staff, max_parallel=3)
    proposed_request = open_request(centre, staff)
    active_request = open_request(centre, staff)
    services.assignment_propose(centre=centre, by=staff, request=proposed_request, volunteer=volunteer)
    active = services.assignment_propose(centre=centre, by=staff, request=active_request, volunteer=volunteer)
    services.assignment_accept(volunteer=volunteer, assignment=active)
    today = timezone.localdate()
    point = shifts.meeting_point_create(centre=centre, by=staff, name="Ankommenscafé", address="Domplatz 1")
    shift = shifts.shift_create(
        centre=centre,
        by=staff,
        meeting_point=point,
        title="Café",
        weekday=(today + datetime.timedelta(days=1)).weekday(),
        starts_at=datetime.time(15),
        ends_at=datetime.time(18),
        slots=2,
        first_date=today,
        last_date=today + datetime.timedelta(days=30),
    )
    shifts.shift_sign_up(volunteer=volunteer, shift=shift, date=today + datetime.timedelta(days=1))
    services.clearance_record(
        centre=centre,
        by=staff,
        volunteer=volunteer,
        issued_on=today - datetime.timedelta(days=5 * 365 - 20),
        no_relevant_entry=True,
    )
    volunteer.refresh_from_db()
    mail.outbox.clear()
    return volunteer, proposed_request, active_request


def test_the_volunteer_withdraws_consent_in_the_portal_and_it_takes_effect_at_once(
    login, centre, staff, engaged, django_capture_on_commit_callbacks
):
    volunteer, proposed_request, active_request = engaged
    client = login(volunteer.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    url = reverse("volunteering:consent_withdraw")
    page = client.get(url)
    assert page.status_code == 200
    assert "سحب موافقتي" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN
    assert volunteer.consent_withdrawn_at is not None
    assert volunteer.open_assignments == 0
    statuses = dict(Assignment.objects.for_centre(centre).values_list("request_id", "status"))
    assert statuses == {proposed_request.pk: AssignmentStatus.WITHDRAWN, active_request.pk: AssignmentStatus.ENDED}
    for request in (proposed_request, active_request):
        request.refresh_from_db()
        assert request.status == RequestStatus.OPEN
        step = selectors.steps_of(centre=centre, request=request).last()
        assert step.kind == StepKind.WITHDRAWN
        assert step.note == "Die oder der Ehrenamtliche hat die Einwilligung widerrufen."
    assert not ShiftSignup.objects.for_centre(centre).filter(volunteer=volunteer, cancelled_at__isnull=True).exists()
    # The coordinator who verified and proposed is told, without the volunteer's name.
    [notice] = mail.outbox
    assert notice.to == [staff.email]
    assert "1 offene Vorschläge" in notice.body
    assert volunteer.user.display_name not in notice.body
    # No longer suggested, proposed or signed up.
    assert selectors.suggestions_for(centre=centre, request=proposed_request) == []
    with pytest.raises(ValidationError):
        services.assignment_propose(centre=centre, by=staff, request=proposed_request, volunteer=volunteer)
    portal = client.get(reverse("volunteering:portal")).content.decode()
    assert "لقد سحبت موافقتك" in portal


def test_queued_reminders_skip_a_volunteer_who_withdrew(centre, engaged):
    volunteer, _, _ = engaged
    # A sign-up the withdrawal could not reach (written behind its back) is still skipped by the job.
    services.volunteer_consent_withdraw(volunteer=volunteer)
    ShiftSignup.objects.for_centre(centre).filter(volunteer=volunteer).update(cancelled_at=None)
    mail.outbox.clear()
    assert tasks.shift_reminders_send() == 0
    assert tasks.clearance_expiry_notices_send() == 0
    assert mail.outbox == []
    assert ClearanceInspection.objects.for_centre(centre).get().expiry_notice_sent_on is None


def test_without_confirmation_nothing_changes_and_a_second_withdrawal_is_refused(login, centre, engaged):
    volunteer, _, _ = engaged
    client = login(volunteer.user)
    url = reverse("volunteering:consent_withdraw")
    assert client.post(url, {}).status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.VERIFIED
    services.volunteer_consent_withdraw(volunteer=volunteer)
    with pytest.raises(ValidationError):
        services.volunteer_consent_withdraw(volunteer=volunteer)
    profile = client.post(
        reverse("volunteering:profile_edit"),
        {
            "postcode": "50667",
            "radius_km": "5",
            "max_parallel": "1",
            "activities": ["leisure"],
            "day_0": ["0"],
            "language_0": "de",
            "level_0": "native",
            **opened_version(client, reverse("volunteering:profile_edit")),
        },
    )
    assert profile.status_code == 400
    assert "Das Profil kann nicht mehr geändert werden" in profile.text


def test_staff_see_the_withdrawal_on_the_volunteers_page(staff_client, engaged):
    volunteer, _, _ = engaged
    services.volunteer_consent_withdraw(volunteer=volunteer)
    body = staff_client.get(reverse("volunteering:volunteer_detail", args=[volunteer.pk])).content.decode()
    assert "hat die Einwilligung am" in body
