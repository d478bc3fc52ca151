"""Meeting points with recurring shifts: sign-up, cancellation, unfilled slots and the volunteer's iCal feed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pghistory
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.volunteering.models import MeetingPoint, Shift, ShiftSignup, Volunteer, VolunteerStatus

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

# How far ahead the shift board and the unfilled-slots view look.
HORIZON_DAYS = 28
FEED_SALT = "ankommen.volunteering.calendar"


@dataclass(frozen=True)
class Occurrence:
    shift: Shift
    date: datetime.date
    taken: int
    mine: ShiftSignup | None = None

    @property
    def free(self) -> int:
        return max(self.shift.slots - self.taken, 0)


@transaction.atomic
def meeting_point_create(*, centre: Centre, by: User, name: str, address: str) -> MeetingPoint:
    point = MeetingPoint(centre=centre, name=name.strip(), address=address.strip())
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def shift_create(
    *,
    centre: Centre,
    by: User,
    meeting_point: MeetingPoint,
    title: str,
    weekday: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
    slots: int,
    first_date: datetime.date,
    last_date: datetime.date,
) -> Shift:
    if meeting_point.centre_id != centre.pk:
        raise ValidationError(_("This record belongs to another centre."))
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The shift must end after it starts.")]
    if last_date < first_date:
        errors["last_date"] = [_("The last date cannot be before the first date.")]
    if errors:
        raise ValidationError(errors)
    shift = Shift(
        centre=centre,
        meeting_point=meeting_point,
        title=title.strip(),
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        slots=slots,
        first_date=first_date,
        last_date=last_date,
    )
    shift.full_clean()
    shift.save()
    return shift


def _dates(shift: Shift, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    first = max(shift.first_date, start)
    last = min(shift.last_date, end)
    if first > last:
        return []
    first += datetime.timedelta(days=(shift.weekday - first.weekday()) % 7)
    return [first + datetime.timedelta(weeks=n) for n in range(((last - first).days // 7) + 1)]


def occurrences(
    *, centre: Centre, volunteer: Volunteer | None = None, today: datetime.date | None = None
) -> list[Occurrence]:
    start = today or timezone.localdate()
    end = start + datetime.timedelta(days=HORIZON_DAYS)
    shifts = list(
        Shift.objects.for_centre(centre)
        .filter(first_date__lte=end, last_date__gte=start)
        .select_related("meeting_point")
    )
    active = ShiftSignup.objects.for_centre(centre).filter(cancelled_at__isnull=True, date__gte=start, date__lte=end)
    taken = {
        (row["shift_id"], row["date"]): row["n"] for row in active.values("shift_id", "date").annotate(n=Count("pk"))
    }
    mine = {}
    if volunteer is not None:
        mine = {(s.shift_id, s.date): s for s in active.filter(volunteer=volunteer)}
    result = [
        Occurrence(shift=shift, date=date, taken=taken.get((shift.pk, date), 0), mine=mine.get((shift.pk, date)))
        for shift in shifts
        for date in _dates(shift, start, end)
    ]
    return sorted(result, key=lambda o: (o.date, o.shift.starts_at, o.shift.pk))


def unfilled(*, centre: Centre, today: datetime.date | None = None) -> list[Occurrence]:
    return [occurrence for occurrence in occurrences(centre=centre, today=today) if occurrence.free > 0]


@transaction.atomic
def shift_sign_up(*, volunteer: Volunteer, shift: Shift, date: datetime.date) -> ShiftSignup:
    if shift.centre_id != volunteer.centre_id:
        raise ValidationError(_("This record belongs to another centre."))
    if volunteer.status != VolunteerStatus.VERIFIED:
        raise ValidationError(_("This volunteer's identity has not been verified yet."))
    shift = Shift.objects.for_centre(volunteer.centre).select_for_update().get(pk=shift.pk)
    today = timezone.localdate()
    if date < today or date not in _dates(shift, date, date):
        raise ValidationError(_("This shift does not take place on that day."))
    signups = ShiftSignup.objects.for_centre(volunteer.centre).filter(shift=shift, date=date, cancelled_at__isnull=True)
    if signups.filter(volunteer=volunteer).exists():
        raise ValidationError(_("You are already signed up for this shift."))
    if signups.count() >= shift.slots:
        raise ValidationError(_("This shift is already full."))
    signup = ShiftSignup(centre=volunteer.centre, shift=shift, date=date, volunteer=volunteer)
    with pghistory.context(user=volunteer.user_id):
        signup.full_clean()
        signup.save()
    return signup


@transaction.atomic
def shift_cancel(*, volunteer: Volunteer, signup: ShiftSignup) -> ShiftSignup:
    if signup.volunteer_id != volunteer.pk:
        raise ValidationError(_("This record belongs to another centre."))
    if signup.cancelled_at is not None:
        raise ValidationError(_("This sign-up has already been cancelled."))
    if signup.date < timezone.localdate():
        raise ValidationError(_("A past shift cannot be cancelled."))
    signup.cancelled_at = timezone.now()
    with pghistory.context(user=volunteer.user_id):
        signup.save()
    return signup


def feed_token(volunteer: Volunteer) -> str:
    return signing.dumps(volunteer.pk, salt=FEED_SALT)


def volunteer_for_feed(token: str) -> Volunteer | None:
    try:
        volunteer_id = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    found: Volunteer | None = Volunteer.objects.dangerously_unscoped().filter(pk=volunteer_id).first()
    return found


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_feed(*, volunteer: Volunteer) -> str:
    """The volunteer's shifts (not cancelled) as an iCalendar file (RFC 5545), local times of Europe/Berlin."""
    signups = (
        ShiftSignup.objects.for_centre(volunteer.centre)
        .filter(volunteer=volunteer, cancelled_at__isnull=True)
        .select_related("shift__meeting_point")
        .order_by("date")
    )
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Ankommen//KOMM-AN//DE", "CALSCALE:GREGORIAN"]
    for signup in signups:
        shift = signup.shift
        start = datetime.datetime.combine(signup.date, shift.starts_at)
        end = datetime.datetime.combine(signup.date, shift.ends_at)
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{signup.pk}@ankommen",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Berlin:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{_escape(shift.title)}",
            f"LOCATION:{_escape(shift.meeting_point.name + ', ' + shift.meeting_point.address)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
