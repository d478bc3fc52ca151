# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.core.tests.form_fields import opened_version
from ankommen.volunteering import shifts
from ankommen.volunteering.models import HoursEntry, HoursStatus, Shift, ShiftSignup
from ankommen.volunteering.tests.factories import volunteer_in

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
        slots=2,
        first_date=today - datetime.timedelta(days=20),
        last_date=today + datetime.timedelta(days=60),
    )


def _form(shift, **overrides):
    data = {
        "shift-meeting_point": str(shift.meeting_point_id),
        "shift-title": shift.title,
        "shift-weekday": str(shift.weekday),
        "shift-starts_at": "15:00",
        "shift-ends_at": "18:00",
        "shift-slots": str(shift.slots),
        "shift-first_date": shift.first_date.isoformat(),
        "shift-last_date": shift.last_date.isoformat(),
    }
    data.update({f"shift-{key}": value for key, value in overrides.items()})
    return data


def test_a_coordinator_changes_a_shift_with_history(staff_client, staff, centre, weekly_shift):
    url = reverse("volunteering:shift_edit", args=[weekly_shift.pk])
    response = staff_client.post(
        url,
        {**_form(weekly_shift, title="Kleiderkammer", slots="4", ends_at="19:00"), **opened_version(staff_client, url)},
    )
    assert response.status_code == 302
    weekly_shift.refresh_from_db()
    assert (weekly_shift.title, weekly_shift.slots, weekly_shift.ends_at) == ("Kleiderkammer", 4, datetime.time(19))
    event = Shift.pgh_event_model.objects.filter(pgh_obj_id=weekly_shift.pk).order_by("pgh_id").last()
    assert event.pgh_label == "update"
    assert event.pgh_context.metadata["user"] == staff.pk


def test_a_change_that_would_drop_signed_up_volunteers_is_refused(staff_client, centre, weekly_shift):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for _ in range(2):
        shifts.shift_sign_up(volunteer=volunteer_in(centre), shift=weekly_shift, date=tomorrow)
    url = reverse("volunteering:shift_edit", args=[weekly_shift.pk])
    version = opened_version(staff_client, url)
    other_day = staff_client.post(url, {**_form(weekly_shift, weekday=str((tomorrow.weekday() + 1) % 7)), **version})
    assert other_day.status_code == 400
    assert tomorrow.strftime("%d.%m.%Y") in other_day.content.decode()
    fewer = staff_client.post(url, {**_form(weekly_shift, slots="1"), **version})
    assert fewer.status_code == 400
    assert "mindestens so viele Plätze" in fewer.content.decode()
    weekly_shift.refresh_from_db()
    assert (weekly_shift.weekday, weekly_shift.slots) == (tomorrow.weekday(), 2)


def test_deleting_is_refused_with_a_clear_message_while_volunteers_are_signed_up(staff_client, centre, weekly_shift):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    volunteer = volunteer_in(centre)
    signup = shifts.shift_sign_up(volunteer=volunteer, shift=weekly_shift, date=tomorrow)
    response = staff_client.post(reverse("volunteering:shift_delete", args=[weekly_shift.pk]), follow=True)
    assert "kann nicht gelöscht werden: Für ihre kommenden Termine sind 1 Ehrenamtliche" in response.content.decode()
    assert Shift.objects.for_centre(centre).filter(pk=weekly_shift.pk).exists()
    # Once the volunteer has cancelled, the shift can go.
    shifts.shift_cancel(volunteer=volunteer, signup=signup)
    response = staff_client.post(reverse("volunteering:shift_delete", args=[weekly_shift.pk]))
    assert response.status_code == 302
    assert not Shift.objects.for_centre(centre).filter(pk=weekly_shift.pk).exists()
    assert not ShiftSignup.objects.for_centre(centre).exists()


def test_a_shift_with_past_work_cannot_be_deleted(centre, staff, weekly_shift):
    past = ShiftSignup.objects.create(
        centre=centre,
        shift=weekly_shift,
        date=timezone.localdate() - datetime.timedelta(days=6),
        volunteer=volunteer_in(centre),
    )
    with pytest.raises(ValidationError) as refused:
        shifts.shift_delete(centre=centre, by=staff, shift=weekly_shift)
    assert "letzten Termin" in " ".join(refused.value.messages) or "last date" in " ".join(refused.value.messages)
    assert ShiftSignup.objects.for_centre(centre).filter(pk=past.pk).exists()


def test_volunteers_log_shift_hours_and_the_coordinator_confirms_them_on_the_shifts_page(
    login, staff_client, staff, centre, weekly_shift
):
    volunteer = volunteer_in(centre)
    worked = ShiftSignup.objects.create(
        centre=centre,
        shift=weekly_shift,
        date=timezone.localdate() - datetime.timedelta(days=6),
        volunteer=volunteer,
    )
    client = login(volunteer.user)
    board = client.get(reverse("volunteering:shift_board")).content.decode()
    assert f'action="{reverse("volunteering:shift_hours_log", args=[worked.pk])}"' in board
    log_url = reverse("volunteering:shift_hours_log", args=[worked.pk])
    assert client.post(log_url, {"hours": "3.5"}).status_code == 302
    assert client.post(log_url, {"hours": "2"}).status_code == 302  # refused: logged once per shift date
    [entry] = HoursEntry.objects.for_centre(centre).filter(shift_signup=worked)
    assert (entry.hours, entry.date, entry.activity) == (3.5, worked.date, "shifts")
    page = staff_client.get(reverse("volunteering:shift_hours", args=[weekly_shift.pk]))
    assert page.status_code == 200
    assert volunteer.user.display_name in page.content.decode()
    assert AccessLogEntry.objects.filter(
        user=staff, record_type="volunteering.volunteer", record_id=str(volunteer.pk), action=AccessAction.LIST
    ).exists()
    decided = staff_client.post(
        reverse("volunteering:hours_decide", args=[entry.pk]), {"decision": "confirm", "back": "shift"}
    )
    assert decided["Location"] == reverse("volunteering:shift_hours", args=[weekly_shift.pk])
    entry.refresh_from_db()
    assert entry.status == HoursStatus.CONFIRMED


def test_other_centres_and_volunteers_cannot_touch_shifts(make_member, login, other_centre, centre, weekly_shift):
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.post(reverse("volunteering:shift_delete", args=[weekly_shift.pk])).status_code == 404
    assert stranger.get(reverse("volunteering:shift_hours", args=[weekly_shift.pk])).status_code == 404
    volunteer = login(volunteer_in(centre).user)
    assert volunteer.post(reverse("volunteering:shift_delete", args=[weekly_shift.pk])).status_code == 403
    assert Shift.objects.for_centre(centre).filter(pk=weekly_shift.pk).exists()
