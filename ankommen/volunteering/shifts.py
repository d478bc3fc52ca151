"""Meeting points with recurring shifts: sign-up, cancellation, unfilled slots and the volunteer's iCal feed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pghistory
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.volunteering.models import (
    HoursEntry,
    HoursStatus,
    MeetingPoint,
    Shift,
    ShiftSignup,
    Volunteer,
    VolunteerStatus,
)

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


def _shift_errors(
    *, starts_at: datetime.time, ends_at: datetime.time, first_date: datetime.date, last_date: datetime.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The shift must end after it starts.")]
    if last_date < first_date:
        errors["last_date"] = [_("The last date cannot be before the first date.")]
    return errors


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
    errors = _shift_errors(starts_at=starts_at, ends_at=ends_at, first_date=first_date, last_date=last_date)
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
    with pghistory.context(user=by.pk):
        shift.full_clean()
        shift.save()
    return shift


def _upcoming_signups(shift: Shift) -> QuerySet[ShiftSignup]:
    return ShiftSignup.objects.for_centre(shift.centre).filter(
        shift=shift, cancelled_at__isnull=True, date__gte=timezone.localdate()
    )


@transaction.atomic
def shift_update(
    *,
    centre: Centre,
    by: User,
    shift: Shift,
    meeting_point: MeetingPoint,
    title: str,
    weekday: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
    slots: int,
    first_date: datetime.date,
    last_date: datetime.date,
) -> Shift:
    """Change a shift; the volunteers signed up for its coming dates keep their places (checked here)."""
    if shift.centre_id != centre.pk or meeting_point.centre_id != centre.pk:
        raise ValidationError(_("This record belongs to another centre."))
    shift = Shift.objects.for_centre(centre).select_for_update().get(pk=shift.pk)
    errors = _shift_errors(starts_at=starts_at, ends_at=ends_at, first_date=first_date, last_date=last_date)
    upcoming = list(_upcoming_signups(shift).values("date").annotate(n=Count("pk")).order_by("date"))
    probe = Shift(weekday=weekday, first_date=first_date, last_date=last_date)
    lost = [row["date"] for row in upcoming if row["date"] not in _dates(probe, row["date"], row["date"])]
    if lost and not errors:
        errors["__all__"] = [
            _(
                "Volunteers are signed up for %(dates)s, which the changed shift would no longer have. Keep those "
                "dates in the shift, or ask the volunteers to cancel first."
            )
            % {"dates": ", ".join(day.strftime("%d.%m.%Y") for day in lost)}
        ]
    fullest = max((row["n"] for row in upcoming), default=0)
    if slots < fullest:
        errors["slots"] = [
            _(
                "%(count)d volunteers are signed up for one of the coming dates: "
                "the shift needs at least as many places."
            )
            % {"count": fullest}
        ]
    if errors:
        raise ValidationError(errors)
    shift.meeting_point = meeting_point
    shift.title = title.strip()
    shift.weekday = weekday
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.slots = slots
    shift.first_date, shift.last_date = first_date, last_date
    with pghistory.context(user=by.pk):
        shift.full_clean()
        shift.save()
    return shift


@transaction.atomic
def shift_delete(*, centre: Centre, by: User, shift: Shift) -> None:
    """Delete a shift nobody signed up for. With sign-ups it is refused: end it by its last date instead.

    Refusing (rather than cancelling and mailing the volunteers) keeps the decision with the coordinator, who talks
    to the volunteers first; past sign-ups stay as the record of the hours given.
    """
    if shift.centre_id != centre.pk:
        raise ValidationError(_("This record belongs to another centre."))
    shift = Shift.objects.for_centre(centre).select_for_update().get(pk=shift.pk)
    upcoming = _upcoming_signups(shift).count()
    if upcoming:
        raise ValidationError(
            _(
                "This shift cannot be deleted: %(count)d volunteers are signed up for its coming dates. Ask them to "
                "cancel, or end the shift after their dates by changing its last date."
            )
            % {"count": upcoming}
        )
    signups = ShiftSignup.objects.for_centre(centre).filter(shift=shift)
    if signups.filter(cancelled_at__isnull=True).exists():
        raise ValidationError(
            _(
                "This shift cannot be deleted: volunteers worked in it, and their sign-ups and hours stay as a "
                "record. End it by changing its last date instead."
            )
        )
    with pghistory.context(user=by.pk):
        signups.delete()
        shift.delete()


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


# The activity code of hours given in shifts (HoursEntry.activity), named by selectors.activity_label.
SHIFT_ACTIVITY = "shifts"
# How far back a volunteer may still log hours for a shift.
HOURS_LOOKBACK_DAYS = 28


@transaction.atomic
def shift_hours_log(*, volunteer: Volunteer, signup: ShiftSignup, hours: Any) -> HoursEntry:
    """A volunteer logs the hours of a shift they were signed up for, once per shift date."""
    if signup.volunteer_id != volunteer.pk:
        raise ValidationError(_("This record belongs to another centre."))
    if volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN:
        raise ValidationError(_("Your consent has been withdrawn."))
    signup = ShiftSignup.objects.for_centre(volunteer.centre).select_for_update().get(pk=signup.pk)
    if signup.cancelled_at is not None:
        raise ValidationError(_("This sign-up has been cancelled."))
    if signup.date > timezone.localdate():
        raise ValidationError({"date": _("This date lies in the future.")})
    logged = HoursEntry.objects.for_centre(volunteer.centre).filter(shift_signup=signup)
    if logged.exclude(status=HoursStatus.REJECTED).exists():
        raise ValidationError(_("You have already logged hours for this shift."))
    entry = HoursEntry(
        centre=volunteer.centre,
        volunteer=volunteer,
        shift_signup=signup,
        date=signup.date,
        hours=hours,
        activity=SHIFT_ACTIVITY,
    )
    with pghistory.context(user=volunteer.user_id):
        entry.full_clean()
        entry.save()
    return entry


def shifts_to_log(*, volunteer: Volunteer, today: datetime.date | None = None) -> list[ShiftSignup]:
    """The volunteer's shifts of the last weeks (today included) without hours yet, or with hours not confirmed."""
    today = today or timezone.localdate()
    signups = (
        ShiftSignup.objects.for_centre(volunteer.centre)
        .filter(
            volunteer=volunteer,
            cancelled_at__isnull=True,
            date__lte=today,
            date__gte=today - datetime.timedelta(days=HOURS_LOOKBACK_DAYS),
        )
        .select_related("shift__meeting_point")
        .order_by("-date")
    )
    logged = set(
        HoursEntry.objects.for_centre(volunteer.centre)
        .filter(shift_signup__in=signups)
        .exclude(status=HoursStatus.REJECTED)
        .values_list("shift_signup_id", flat=True)
    )
    return [signup for signup in signups if signup.pk not in logged]


def hours_of_shift(*, centre: Centre, shift: Shift) -> QuerySet[HoursEntry]:
    return (
        HoursEntry.objects.for_centre(centre)
        .filter(shift_signup__shift=shift)
        .select_related("volunteer__user", "confirmed_by")
        .order_by("-date", "pk")
    )


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
