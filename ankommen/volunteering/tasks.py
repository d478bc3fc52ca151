"""Background jobs of the volunteers module: clearance expiry notices, shift reminders, batch proposals."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from ankommen.volunteering.models import ClearanceInspection, ShiftSignup, VolunteerStatus

DEFAULT_NOTICE_DAYS = 60


def clearance_notice_days() -> int:
    days = int(getattr(settings, "ANKOMMEN_CLEARANCE_NOTICE_DAYS", DEFAULT_NOTICE_DAYS))
    if not 1 <= days <= 365:
        raise ValueError("ANKOMMEN_CLEARANCE_NOTICE_DAYS must lie between 1 and 365.")
    return days


def clearance_expiry_notices_send(*, today: datetime.date | None = None) -> int:
    """Mail each volunteer whose clearance runs out soon, and the coordinator who inspected it; once per inspection.

    Only the volunteer's latest inspection counts: one renewed in time is never announced as expiring.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=clearance_notice_days())
    # A job for every centre: the one named bypass of the centre scope, reading ids and addresses only.
    due = (
        ClearanceInspection.objects.dangerously_unscoped()
        .filter(
            no_relevant_entry=True,
            expiry_notice_sent_on__isnull=True,
            valid_until__gte=today,
            valid_until__lte=horizon,
            volunteer__clearance_valid_until=F("valid_until"),
        )
        .exclude(volunteer__status=VolunteerStatus.CONSENT_WITHDRAWN)
        .select_related("volunteer__user", "inspected_by")
        .order_by("pk")
    )
    sent = 0
    for inspection in due:
        volunteer = inspection.volunteer
        with transaction.atomic():
            claimed = (
                ClearanceInspection.objects.dangerously_unscoped()
                .filter(pk=inspection.pk, expiry_notice_sent_on__isnull=True)
                .update(expiry_notice_sent_on=today)
            )
            if not claimed:
                continue
            with translation.override(volunteer.user.preferred_language):
                send_mail(
                    subject=_("Your clearance certificate expires soon"),
                    message=_(
                        "Your extended police clearance certificate is valid until %(date)s. "
                        "Please apply for a new one in time and show it to the integration centre, "
                        "so that you can keep supporting children."
                    )
                    % {"date": inspection.valid_until.strftime("%d.%m.%Y")},
                    from_email=None,
                    recipient_list=[volunteer.user.email],
                )
            with translation.override(settings.LANGUAGE_CODE):
                link = f"{settings.SITE_URL.rstrip('/')}{reverse('volunteering:volunteer_detail', args=[volunteer.pk])}"
                send_mail(
                    subject=_("A volunteer's clearance certificate expires soon"),
                    message=_("A volunteer's clearance runs out on %(date)s. The volunteer, after logging in:")
                    % {"date": inspection.valid_until.strftime("%d.%m.%Y")}
                    + f"\n{link}\n",
                    from_email=None,
                    recipient_list=[inspection.inspected_by.email],
                )
        sent += 1
    return sent


def shift_reminders_send(*, today: datetime.date | None = None) -> int:
    """The day before a shift: a reminder to every volunteer signed up for it (not cancelled), once."""
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    signups = (
        ShiftSignup.objects.dangerously_unscoped()
        .filter(date=tomorrow, cancelled_at__isnull=True, reminder_sent_at__isnull=True)
        .exclude(volunteer__status=VolunteerStatus.CONSENT_WITHDRAWN)
        .select_related("volunteer__user", "shift__meeting_point")
        .order_by("pk")
    )
    sent = 0
    for signup in signups:
        with transaction.atomic():
            claimed = (
                ShiftSignup.objects.dangerously_unscoped()
                .filter(pk=signup.pk, reminder_sent_at__isnull=True)
                .update(reminder_sent_at=timezone.now())
            )
            if not claimed:
                continue
            user = signup.volunteer.user
            shift = signup.shift
            with translation.override(user.preferred_language):
                send_mail(
                    subject=_("Reminder: your shift tomorrow"),
                    message=_("Tomorrow, %(date)s, from %(start)s to %(end)s: %(title)s at %(place)s, %(address)s.")
                    % {
                        "date": signup.date.strftime("%d.%m.%Y"),
                        "start": shift.starts_at.strftime("%H:%M"),
                        "end": shift.ends_at.strftime("%H:%M"),
                        "title": shift.title,
                        "place": shift.meeting_point.name,
                        "address": shift.meeting_point.address,
                    },
                    from_email=None,
                    recipient_list=[user.email],
                )
        sent += 1
    return sent


@app.periodic(cron="0 7 * * *", periodic_id="volunteering_clearance_expiry")
@app.task(queue="notifications", queueing_lock="volunteering_clearance_expiry")
def clearance_expiry_notices(timestamp: int) -> int:
    """Every morning: clearances that run out within the notice period are announced once."""
    return clearance_expiry_notices_send()


@app.periodic(cron="0 17 * * *", periodic_id="volunteering_shift_reminders")
@app.task(queue="notifications", queueing_lock="volunteering_shift_reminders")
def shift_reminders(timestamp: int) -> int:
    """Every afternoon: the volunteers of tomorrow's shifts get a reminder."""
    return shift_reminders_send()


@app.task(queue="matching", name="volunteering.batch_run")
def batch_run_job(run_id: int) -> None:
    """The batch proposal for all open requests of a centre, started by a coordinator (batch.batch_run_start)."""
    from ankommen.volunteering.batch import batch_run_execute

    batch_run_execute(run_id=run_id)
