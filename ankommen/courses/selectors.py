"""Reads of the courses module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ankommen.courses.models import (
    Attendance,
    Audience,
    Course,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
    Topic,
)
from ankommen.courses.services import attended_hours

if TYPE_CHECKING:
    from ankommen.regions.models import Centre


@dataclass(frozen=True)
class CatalogueFilters:
    centre: Centre | None = None
    topic: Topic | None = None
    audience: Audience | None = None
    date_from: datetime.date | None = None
    date_until: datetime.date | None = None


def _with_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
        ),
        waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING), distinct=True),
        first_date=Min("sessions__date"),
    )


def catalogue(*, filters: CatalogueFilters, today: datetime.date) -> list[Course]:
    """Published courses with a session from `today` on, of every centre: the public catalogue holds no person."""
    upcoming = Session.objects.dangerously_unscoped().filter(course=OuterRef("pk"), date__gte=today)
    courses = Course.objects.dangerously_unscoped().filter(is_published=True).filter(Exists(upcoming))
    if filters.centre is not None:
        # A centre's catalogue also lists the courses open to the whole state.
        courses = courses.filter(Q(centre=filters.centre) | Q(is_statewide=True))
    if filters.topic is not None:
        courses = courses.filter(topic=filters.topic)
    if filters.audience is not None:
        courses = courses.filter(audiences=filters.audience)
    if filters.date_from is not None:
        courses = courses.filter(
            Exists(Session.objects.dangerously_unscoped().filter(course=OuterRef("pk"), date__gte=filters.date_from))
        )
    if filters.date_until is not None:
        courses = courses.filter(
            Exists(Session.objects.dangerously_unscoped().filter(course=OuterRef("pk"), date__lte=filters.date_until))
        )
    sessions = Prefetch("sessions", queryset=Session.objects.dangerously_unscoped().order_by("date", "starts_at"))
    return list(
        _with_counts(courses)
        .select_related("centre", "topic")
        .prefetch_related("audiences", sessions)
        .order_by(F("first_date").asc(nulls_last=True), "title", "pk")
    )


def public_course(*, course_id: int) -> Course:
    sessions = Prefetch("sessions", queryset=Session.objects.dangerously_unscoped().order_by("date", "starts_at"))
    course = (
        _with_counts(Course.objects.dangerously_unscoped().filter(pk=course_id, is_published=True))
        .select_related("centre", "topic")
        .prefetch_related("audiences", sessions)
        .first()
    )
    if course is None:
        raise Http404
    return course


def registration_for_secret(*, secret: str) -> Registration:
    """The registration a participant's secret link names. The secret is the only key: it holds across centres."""
    return registration_for_digest(digest=Registration.digest_of(secret))


def registration_for_digest(*, digest: str) -> Registration:
    """The registration whose secret has this digest (kept in the session after the link was opened)."""
    if not digest:
        raise Http404
    registration = (
        Registration.objects.dangerously_unscoped()
        .select_related("course", "course__centre", "course__topic", "school", "audience")
        .filter(token_digest=digest)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def courses_of_centre(*, centre: Centre) -> list[Course]:
    return list(
        _with_counts(Course.objects.for_centre(centre))
        .select_related("topic")
        .order_by(F("first_date").desc(nulls_last=True), "title")
    )


def course_of_centre(*, centre: Centre, course_id: int) -> Course:
    course = (
        _with_counts(Course.objects.for_centre(centre).filter(pk=course_id))
        .select_related("topic", "centre")
        .prefetch_related("audiences")
        .first()
    )
    if course is None:
        raise Http404
    return course


def sessions_of_course(*, course: Course) -> list[Session]:
    return list(Session.objects.for_centre(course.centre).filter(course=course))


def session_of_centre(*, centre: Centre, session_id: int) -> Session:
    session = Session.objects.for_centre(centre).select_related("course").filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def registrations_of_course(*, course: Course, status: RegistrationStatus | None = None) -> list[Registration]:
    registrations = (
        Registration.objects.for_centre(course.centre)
        .filter(course=course)
        .select_related("school", "audience")
        .order_by("created_at", "pk")
    )
    if status is not None:
        registrations = registrations.filter(status=status)
    return list(registrations)


def registration_of_centre(*, centre: Centre, registration_id: int) -> Registration:
    registration = Registration.objects.for_centre(centre).select_related("course").filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    return registration


def present_session_ids(*, registration: Registration) -> set[int]:
    return set(
        Attendance.objects.for_centre(registration.centre)
        .filter(registration=registration, is_present=True)
        .values_list("session_id", flat=True)
    )


def attendance_of_session(*, session: Session) -> dict[int, bool]:
    """Registration id → present, for the check-off page."""
    return dict(
        Attendance.objects.for_centre(session.centre)
        .filter(session=session)
        .values_list("registration_id", "is_present")
    )


@dataclass(frozen=True)
class Certificate:
    registration: Registration
    sessions: list[Session]
    hours: Decimal


def certificate_for(*, registration: Registration) -> Certificate | None:
    """What a certificate of attendance says; None for someone who attended no session."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    sessions = sessions_of_course(course=registration.course)
    present = present_session_ids(registration=registration)
    attended = [session for session in sessions if session.pk in present]
    if not attended:
        return None
    hours = attended_hours(course=registration.course, sessions_attended=len(attended), sessions_total=len(sessions))
    return Certificate(registration=registration, sessions=attended, hours=hours)


@dataclass(frozen=True)
class RatingSummary:
    label: str
    mean: Decimal | None
    distribution: list[tuple[int, int]]  # (rating, count) for 1..5


@dataclass(frozen=True)
class FeedbackSummary:
    responses: int
    ratings: list[RatingSummary]
    comments: list[str]


RATING_FIELDS = {
    "overall": _("overall"),
    "usefulness": _("usefulness for my work"),
    "organisation_rating": _("organisation"),
}


def feedback_summary(*, course: Course) -> FeedbackSummary:
    feedback = list(Feedback.objects.for_centre(course.centre).filter(course=course).order_by("pk"))
    ratings = []
    for name, label in RATING_FIELDS.items():
        values = [getattr(item, name) for item in feedback]
        mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
        distribution = [(rating, values.count(rating)) for rating in range(1, 6)]
        ratings.append(RatingSummary(label=str(label), mean=mean, distribution=distribution))
    return FeedbackSummary(
        responses=len(feedback),
        ratings=ratings,
        comments=[item.comment for item in feedback if item.comment],
    )
