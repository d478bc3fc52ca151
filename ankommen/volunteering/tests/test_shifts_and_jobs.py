# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import datetime
import itertools

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ankommen.volunteering import services, shifts, tasks
from ankommen.volunteering.models import ClearanceInspection, ShiftSignup
from ankommen.volunteering.tests.factories import volunteer_in
from tests.rls import as_app_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def weekly_shift(centre, staff):
    point = shifts.meeting_point_create(centre=centre, by=staff, name="Ankommenscafé", address="Domplatz 1, Köln")
    today = timezone.localdate()
    return shifts.shift_create(
        centre=centre,
        by=staff,
        meeting_point=point,
        title="Café-Dienst",
        weekday=(today + datetime.timedelta(days=1)).weekday(),
        starts_at=datetime.time(15, 0),
        ends_at=datetime.time(18, 0),
        slots=1,
        first_date=today,
        last_date=today + datetime.timedelta(days=60),
    )


def test_a_recurring_shift_repeats_weekly_and_its_slots_fill_up(centre, weekly_shift):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    dates = [o.date for o in shifts.occurrences(centre=centre)]
    assert dates[0] == tomorrow
    assert all((b - a).days == 7 for a, b in itertools.pairwise(dates))
    first, second = volunteer_in(centre), volunteer_in(centre)
    shifts.shift_sign_up(volunteer=first, shift=weekly_shift, date=tomorrow)
    with pytest.raises(ValidationError):
        shifts.shift_sign_up(volunteer=second, shift=weekly_shift, date=tomorrow)
    assert tomorrow not in [o.date for o in shifts.unfilled(centre=centre)]
    with pytest.raises(ValidationError):
        shifts.shift_sign_up(volunteer=second, shift=weekly_shift, date=tomorrow + datetime.timedelta(days=1))


def test_cancelling_frees_the_slot(centre, weekly_shift):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    volunteer = volunteer_in(centre)
    signup = shifts.shift_sign_up(volunteer=volunteer, shift=weekly_shift, date=tomorrow)
    shifts.shift_cancel(volunteer=volunteer, signup=signup)
    assert tomorrow in [o.date for o in shifts.unfilled(centre=centre)]
    with pytest.raises(ValidationError):
        shifts.shift_cancel(volunteer=volunteer, signup=signup)


def test_a_shift_must_end_after_it_starts(centre, staff, weekly_shift):
    with pytest.raises(ValidationError):
        shifts.shift_create(
            centre=centre,
            by=staff,
            meeting_point=weekly_shift.meeting_point,
            title="x",
            weekday=0,
            starts_at=datetime.time(18, 0),
            ends_at=datetime.time(15, 0),
            slots=1,
            first_date=timezone.localdate(),
            last_date=timezone.localdate(),
        )


def test_the_ical_feed_lists_the_volunteers_shifts_and_a_forged_token_gets_nothing(client, centre, weekly_shift):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    volunteer = volunteer_in(centre)
    shifts.shift_sign_up(volunteer=volunteer, shift=weekly_shift, date=tomorrow)
    response = client.get(reverse("volunteering:calendar_feed", kwargs={"token": shifts.feed_token(volunteer)}))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART;TZID=Europe/Berlin:{tomorrow:%Y%m%d}T150000" in body
    assert "Domplatz 1\\, Köln" in body
    assert client.get(reverse("volunteering:calendar_feed", kwargs={"token": "forged"})).status_code == 404


def test_the_reminder_goes_out_the_day_before_and_only_once(centre, weekly_shift):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    volunteer = volunteer_in(centre)
    shifts.shift_sign_up(volunteer=volunteer, shift=weekly_shift, date=tomorrow)
    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        assert tasks.shift_reminders_send() == 1
        assert tasks.shift_reminders_send() == 0
    [message] = mail.outbox
    assert message.to == [volunteer.user.email]
    assert "Café-Dienst" in message.body
    assert ShiftSignup.objects.for_centre(centre).get().reminder_sent_at is not None


def test_the_expiry_notice_mails_volunteer_and_coordinator_once_and_not_after_renewal(centre, staff):
    today = timezone.localdate()
    volunteer = volunteer_in(centre)
    issued = today.replace(year=today.year - 5) + datetime.timedelta(days=30)
    services.clearance_record(centre=centre, by=staff, volunteer=volunteer, issued_on=issued, no_relevant_entry=True)
    renewed = volunteer_in(centre)
    services.clearance_record(centre=centre, by=staff, volunteer=renewed, issued_on=issued, no_relevant_entry=True)
    services.clearance_record(
        centre=centre, by=staff, volunteer=renewed, issued_on=today - datetime.timedelta(days=3), no_relevant_entry=True
    )
    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        assert tasks.clearance_expiry_notices_send() == 1
        assert tasks.clearance_expiry_notices_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([volunteer.user.email, staff.email])
    assert ClearanceInspection.objects.for_centre(centre).filter(expiry_notice_sent_on=today).count() == 1


def test_volunteer_signs_up_on_the_board_and_coordinator_sees_the_plan(centre, weekly_shift, login, staff_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    volunteer = volunteer_in(centre)
    client = login(volunteer.user)
    assert client.get(reverse("volunteering:shift_board")).status_code == 200
    client.post(
        reverse("volunteering:shift_sign_up", kwargs={"shift_id": weekly_shift.pk}), {"date": tomorrow.isoformat()}
    )
    assert ShiftSignup.objects.for_centre(centre).filter(volunteer=volunteer, date=tomorrow).exists()
    page = staff_client.get(reverse("volunteering:shift_plan"))
    assert page.status_code == 200
    assert volunteer.user.display_name in page.content.decode()
