"""Writes of the courses module. Each runs in one transaction; registrations leave history rows.

Seats are counted under a row lock on the course (SELECT … FOR UPDATE): every registration, cancellation and change
of the number of seats takes the lock first, so two simultaneous registrations for the last seat are serialised and
the second one lands on the waiting list.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.courses.mails import MailKind, RemovedSession, registration_mail_send, session_removed_mail_send
from ankommen.courses.models import (
    ACTIVE_STATUSES,
    Attendance,
    Audience,
    Course,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
    Topic,
)

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre, School

COURSE_FIELDS = ("title", "description", "is_statewide", "seats", "credit_hours", "is_published", "contact_email")


def _send_after_commit(registration: Registration, secret: str, kind: str) -> None:
    transaction.on_commit(
        partial(
            registration_mail_send,
            registration_id=registration.pk,
            centre_id=registration.centre_id,
            secret=secret,
            kind=kind,
            language=registration.language or "de",
        )
    )


def _language_code(language: str | None) -> str:
    """The participant's language for later mails: the one given, else the language of the request; German if it
    is not one of the site's languages."""
    code = (language or translation.get_language() or "de").split("-")[0].lower()
    return code if code in {code for code, _name in settings.LANGUAGES} else "de"


def _new_secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(32)
    return secret, Registration.digest_of(secret)


def _locked(course: Course) -> Course:
    return Course.objects.for_centre(course.centre).select_for_update().get(pk=course.pk)


def _confirmed_count(course: Course) -> int:
    return (
        Registration.objects.for_centre(course.centre)
        .filter(course=course, status=RegistrationStatus.CONFIRMED)
        .count()
    )


def _move_up(course: Course, *, by: User | None) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. The course row must be locked."""
    free = course.seats - _confirmed_count(course)
    if free <= 0:
        return []
    waiting = list(
        Registration.objects.for_centre(course.centre)
        .filter(course=course, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        # Only the digest of the old link is stored: the mail brings a new link, which replaces the old one.
        secret, digest = _new_secret()
        registration.status = RegistrationStatus.CONFIRMED
        registration.moved_up_at = now
        registration.token_digest = digest
        with pghistory.context(user=by.pk if by else None):
            registration.save(update_fields=["status", "moved_up_at", "token_digest", "updated_at"])
        _send_after_commit(registration, secret, MailKind.MOVED_UP)
    return waiting


def _course_errors(fields: dict[str, Any], topic: Topic | None, audiences: Iterable[Audience]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if topic is None or not topic.is_active:
        errors["topic"] = [_("Choose a topic from the list.")]
    if not list(audiences):
        errors["audiences"] = [_("Choose at least one audience.")]
    return errors


@transaction.atomic
def course_create(*, centre: Centre, by: User, topic: Topic, audiences: Iterable[Audience], **fields: Any) -> Course:
    audiences = list(audiences)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    course = Course(centre=centre, topic=topic, **fields)
    errors = _course_errors(fields, topic, audiences)
    try:
        course.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    course.save()
    course.audiences.set(audiences)
    return course


@transaction.atomic
def course_update(*, course: Course, by: User, topic: Topic, audiences: Iterable[Audience], **fields: Any) -> Course:
    """Change a course. Fewer seats than confirmed participants are refused; more seats move people up."""
    audiences = list(audiences)
    course = _locked(course)
    previous_topic_id = course.topic_id
    for name, value in fields.items():
        if name not in COURSE_FIELDS:
            raise TypeError(f"Unknown course field: {name}")
        setattr(course, name, value)
    course.topic = topic
    errors = _course_errors(fields, topic, audiences)
    if topic.pk == previous_topic_id:
        errors.pop("topic", None)  # a course may keep a topic that is no longer offered for new courses
    try:
        course.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    confirmed = _confirmed_count(course)
    if isinstance(course.seats, int) and course.seats < confirmed:
        errors["seats"] = [
            _("%(count)d participants are confirmed already: the course needs at least as many seats.")
            % {"count": confirmed}
        ]
    if errors:
        raise ValidationError(errors)
    course.save()
    course.audiences.set(audiences)
    _move_up(course, by=by)
    return course


@transaction.atomic
def course_delete(*, course: Course, by: User) -> None:
    """Delete a course nobody is registered for (confirmed or waiting); cancelled registrations go with it."""
    course = _locked(course)
    registrations = Registration.objects.for_centre(course.centre).filter(course=course)
    if registrations.filter(status__in=ACTIVE_STATUSES).exists():
        raise ValidationError(
            _("People are registered for this course. Cancel their registrations before deleting the course.")
        )
    with pghistory.context(user=by.pk):
        Attendance.objects.for_centre(course.centre).filter(registration__course=course).delete()
        registrations.delete()
        course.delete()


@transaction.atomic
def session_add(
    *,
    course: Course,
    by: User,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str = "",
    is_online: bool = False,
    online_url: str = "",
) -> Session:
    session = Session(
        centre=course.centre,
        course=course,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        is_online=is_online,
        online_url=online_url,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_remove(*, session: Session, by: User, reason: str = "") -> list[Registration]:
    """Remove (cancel) a session; everyone registered (confirmed or waiting) gets a mail with the changed dates.

    The mails go out after the commit, each in the language the person registered in. Returns the registrations
    written to.
    """
    course = _locked(session.course)
    session = Session.objects.for_centre(course.centre).get(pk=session.pk)
    if Attendance.objects.for_centre(session.centre).filter(session=session, is_present=True).exists():
        raise ValidationError(_("Attendance has been recorded for this session; it cannot be removed."))
    removed = RemovedSession.of(session)
    with pghistory.context(user=by.pk):
        Attendance.objects.for_centre(session.centre).filter(session=session).delete()
        session.delete()
    informed = list(
        Registration.objects.for_centre(course.centre)
        .filter(course=course, status__in=ACTIVE_STATUSES)
        .order_by("created_at", "pk")
    )
    for registration in informed:
        transaction.on_commit(
            partial(
                session_removed_mail_send,
                registration_id=registration.pk,
                centre_id=registration.centre_id,
                removed=removed,
                reason=reason.strip(),
            )
        )
    return informed


def registration_is_open(course: Course, *, today: datetime.date) -> bool:
    first = Session.objects.for_centre(course.centre).filter(course=course).order_by("date").first()
    return course.is_published and first is not None and first.date >= today


@transaction.atomic
def registration_create(
    *,
    course: Course,
    given_name: str,
    family_name: str,
    email: str,
    audience: Audience,
    school: School | None = None,
    organisation: str = "",
    language: str | None = None,
) -> tuple[Registration, str]:
    """Register a participant: a confirmed seat while seats are free, else a place on the waiting list.

    Returns the registration and its secret (for the link in the mail; only its digest is stored).
    """
    course = _locked(course)
    errors: dict[str, list[str]] = {}
    if not registration_is_open(course, today=timezone.localdate()):
        raise ValidationError(_("Registration for this course is closed."))
    if not course.audiences.filter(pk=audience.pk).exists():
        errors["audience"] = [_("This course is not meant for this audience.")]
    if school is None and not organisation.strip():
        errors["school"] = [_("Choose your school, or enter where you work.")]
    secret, digest = _new_secret()
    status = RegistrationStatus.CONFIRMED if _confirmed_count(course) < course.seats else RegistrationStatus.WAITING
    registration = Registration(
        centre=course.centre,
        course=course,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email.strip().lower(),
        school=school,
        organisation=organisation.strip(),
        audience=audience,
        status=status,
        token_digest=digest,
        language=_language_code(language),
    )
    try:
        registration.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    registration.save()
    _send_after_commit(registration, secret, MailKind.REGISTERED)
    return registration, secret


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User | None = None) -> list[Registration]:
    """Cancel a registration (by the participant through their link, or by staff); free seats move people up.

    Returns the registrations that moved up.
    """
    course = _locked(registration.course)
    registration = Registration.objects.for_centre(course.centre).select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    if Attendance.objects.for_centre(course.centre).filter(registration=registration, is_present=True).exists():
        raise ValidationError(_("Attendance has been recorded already; the registration cannot be cancelled."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    with pghistory.context(user=by.pk if by else None):
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    return _move_up(course, by=by)


@transaction.atomic
def attendance_set(*, registration: Registration, session: Session, is_present: bool, by: User) -> Attendance:
    if session.course_id != registration.course_id or session.centre_id != registration.centre_id:
        raise ValidationError(_("This session belongs to another course."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can be checked off."))
    with pghistory.context(user=by.pk):
        attendance, _created = Attendance.objects.for_centre(registration.centre).update_or_create(
            registration=registration,
            session=session,
            defaults={"is_present": is_present, "recorded_by": by, "centre": registration.centre},
        )
    return attendance


def course_has_ended(course: Course, *, today: datetime.date) -> bool:
    last = Session.objects.for_centre(course.centre).filter(course=course).order_by("-date").first()
    return last is not None and last.date <= today


@transaction.atomic
def feedback_submit(
    *, registration: Registration, overall: int, usefulness: int, organisation_rating: int, comment: str = ""
) -> Feedback:
    """Anonymous feedback, once per participant who attended, after the course."""
    registration = Registration.objects.for_centre(registration.centre).select_for_update().get(pk=registration.pk)
    if registration.feedback_given:
        raise ValidationError(_("You have already given feedback on this course. Thank you!"))
    if not course_has_ended(registration.course, today=timezone.localdate()):
        raise ValidationError(_("Feedback opens on the last day of the course."))
    if (
        not Attendance.objects.for_centre(registration.centre)
        .filter(registration=registration, is_present=True)
        .exists()
    ):
        raise ValidationError(_("Feedback is for participants who attended the course."))
    feedback = Feedback(
        centre=registration.centre,
        course=registration.course,
        overall=overall,
        usefulness=usefulness,
        organisation_rating=organisation_rating,
        comment=comment.strip(),
    )
    feedback.full_clean()
    feedback.save()
    registration.feedback_given = True
    registration.save(update_fields=["feedback_given", "updated_at"])
    return feedback


def attended_hours(*, course: Course, sessions_attended: int, sessions_total: int) -> Decimal:
    """Credit hours in proportion to the sessions attended, rounded down to half hours."""
    if sessions_total <= 0 or sessions_attended <= 0:
        return Decimal(0)
    if sessions_attended >= sessions_total:
        return Decimal(course.credit_hours)
    share = Decimal(course.credit_hours) * sessions_attended / sessions_total
    return (share * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
