"""Mails to participants. Sent after the transaction commits; each carries the participant's secret link."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.courses.calendar import course_calendar
from ankommen.courses.models import Registration, RegistrationStatus, Session

logger = logging.getLogger(__name__)


class MailKind:
    REGISTERED = "registered"
    MOVED_UP = "moved_up"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class RemovedSession:
    """What a mail says about a session that no longer exists (and the calendar file cancels)."""

    pk: int
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    place: str
    is_online: bool

    @classmethod
    def of(cls, session: Session) -> RemovedSession:
        return cls(session.pk, session.date, session.starts_at, session.ends_at, session.place, session.is_online)


def participation_url(secret: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('courses:participation_link', kwargs={'token': secret})}"


def registration_mail_send(*, registration_id: int, centre_id: int, secret: str, kind: str, language: str) -> None:
    registration = (
        Registration.objects.dangerously_unscoped()
        .select_related("course", "course__centre")
        .get(pk=registration_id, centre_id=centre_id)
    )
    course = registration.course
    sessions = list(Session.objects.for_centre(course.centre).filter(course=course))
    with translation.override(language):
        subjects = {
            MailKind.REGISTERED: _("Your registration: %(title)s"),
            MailKind.MOVED_UP: _("You have a seat now: %(title)s"),
            MailKind.CANCELLED: _("Cancelled: %(title)s"),
        }
        context = {
            "registration": registration,
            "course": course,
            "sessions": sessions,
            "kind": kind,
            "link": participation_url(secret),
            "is_confirmed": registration.status == RegistrationStatus.CONFIRMED,
        }
        body = render_to_string("courses/mail/registration.txt", context)
        message = EmailMessage(
            subject=subjects[kind] % {"title": course.title},
            body=body,
            to=[registration.email],
            reply_to=[course.contact_email] if course.contact_email else None,
        )
    if registration.status == RegistrationStatus.CONFIRMED and sessions:
        message.attach(
            "fortbildung.ics",
            course_calendar(course=course, sessions=sessions, stamp=timezone.now()),
            "text/calendar; method=PUBLISH",
        )
    try:
        message.send()
    except OSError:
        # The registration stands; staff see it and can reach the person. Ids only in the log line.
        logger.exception("Course mail %s for registration %s could not be sent.", kind, registration_id)


def session_removed_mail_send(*, registration_id: int, centre_id: int, removed: RemovedSession, reason: str) -> None:
    """Tell someone registered that a session was removed, with the dates that remain, in their language.

    Confirmed participants get a calendar file that cancels the removed event and lists the remaining ones. The
    mail carries no personal link: only its digest is stored; the link from the earlier mail still works.
    """
    registration = (
        Registration.objects.dangerously_unscoped()
        .select_related("course", "course__centre")
        .get(pk=registration_id, centre_id=centre_id)
    )
    if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        return  # cancelled meanwhile
    course = registration.course
    sessions = list(Session.objects.for_centre(course.centre).filter(course=course))
    is_confirmed = registration.status == RegistrationStatus.CONFIRMED
    with translation.override(registration.language or "de"):
        context = {
            "registration": registration,
            "course": course,
            "sessions": sessions,
            "removed": removed,
            "reason": reason,
            "is_confirmed": is_confirmed,
        }
        message = EmailMessage(
            subject=_("Changed dates: %(title)s") % {"title": course.title},
            body=render_to_string("courses/mail/session_removed.txt", context),
            to=[registration.email],
            reply_to=[course.contact_email] if course.contact_email else None,
        )
    if is_confirmed:
        message.attach(
            "fortbildung.ics",
            course_calendar(course=course, sessions=sessions, stamp=timezone.now(), cancelled=[removed]),
            "text/calendar; method=PUBLISH",
        )
    try:
        message.send()
    except OSError:
        logger.exception("Course mail session_removed for registration %s could not be sent.", registration_id)
