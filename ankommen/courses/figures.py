"""Figures of the courses module for the reporting issue: one centre's own figures, and the state's table.

A centre sees its own counts. The state (analysts, researchers) gets counts of people only after small-number
suppression (ankommen/reporting/suppression.py), and a satisfaction mean only from enough answers; the number
of courses is not about persons and is published as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q

from ankommen.courses.models import Attendance, Audience, Course, Feedback, Registration, RegistrationStatus, Session
from ankommen.regions.models import Centre
from ankommen.reporting.selectors import PublishedCount
from ankommen.reporting.suppression import DEFAULT_THRESHOLD, suppress_counts, suppress_table


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class CentreCourseFigures:
    courses: int
    sessions: int
    confirmed: int
    waiting: int
    attended: int
    attended_by_audience: dict[str, int]
    feedback_responses: int
    satisfaction: Decimal | None  # mean of "overall", 1..5


def _courses_in(period: Period) -> Q:
    # A course counts in the period in which one of its sessions lies.
    return Q(
        Exists(
            Session.objects.dangerously_unscoped().filter(
                course=OuterRef("pk"), date__gte=period.start, date__lte=period.end
            )
        )
    )


def _mean(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def centre_course_figures(*, centre: Centre, period: Period) -> CentreCourseFigures:
    courses = Course.objects.for_centre(centre).filter(_courses_in(period))
    registrations = Registration.objects.for_centre(centre).filter(course__in=courses)
    counts = registrations.aggregate(
        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING)),
    )
    present = Attendance.objects.for_centre(centre).filter(registration=OuterRef("pk"), is_present=True)
    attended = registrations.filter(Exists(present))
    by_audience = dict(attended.values_list("audience__key").annotate(n=Count("id")).order_by())
    feedback = (
        Feedback.objects.for_centre(centre).filter(course__in=courses).aggregate(n=Count("id"), mean=Avg("overall"))
    )
    return CentreCourseFigures(
        courses=courses.count(),
        sessions=Session.objects.for_centre(centre).filter(course__in=courses).count(),
        confirmed=counts["confirmed"],
        waiting=counts["waiting"],
        attended=attended.count(),
        attended_by_audience=by_audience,
        feedback_responses=feedback["n"],
        satisfaction=_mean(feedback["mean"]),
    )


@dataclass(frozen=True)
class StateCourseRow:
    centre_name: str
    courses: int
    participants: PublishedCount


@dataclass(frozen=True)
class StateCourseFigures:
    rows: list[StateCourseRow]
    courses: int
    participants: PublishedCount
    participants_by_audience: list[tuple[str, PublishedCount]]
    feedback_responses: PublishedCount
    satisfaction: Decimal | None


def state_course_figures(*, period: Period) -> StateCourseFigures:
    """All centres: participants who attended (suppressed), courses, satisfaction from enough answers."""
    courses = Course.objects.dangerously_unscoped().filter(_courses_in(period))
    present = Attendance.objects.dangerously_unscoped().filter(registration=OuterRef("pk"), is_present=True)
    attended = Registration.objects.dangerously_unscoped().filter(course__in=courses).filter(Exists(present))
    participants = dict(attended.values_list("centre_id").annotate(n=Count("id")).order_by())
    course_counts = dict(courses.values_list("centre_id").annotate(n=Count("id")).order_by())
    centres = list(Centre.objects.order_by("name"))
    cells, total = suppress_counts([participants.get(c.pk, 0) for c in centres])
    rows = [
        StateCourseRow(centre_name=c.name, courses=course_counts.get(c.pk, 0), participants=PublishedCount.of(cell))
        for c, cell in zip(centres, cells, strict=True)
    ]
    audiences = list(Audience.objects.all())
    by_audience = dict(attended.values_list("audience_id").annotate(n=Count("id")).order_by())
    audience_table = suppress_table([[by_audience.get(a.pk, 0)] for a in audiences], column_totals=False)
    feedback = (
        Feedback.objects.dangerously_unscoped().filter(course__in=courses).aggregate(n=Count("id"), mean=Avg("overall"))
    )
    response_cells, _total = suppress_counts([feedback["n"]], with_total=False)
    return StateCourseFigures(
        rows=rows,
        courses=sum(course_counts.values()),
        participants=PublishedCount.of(total) if total else PublishedCount(shown=0, status="published"),
        participants_by_audience=[
            (a.name, PublishedCount.of(row[0])) for a, row in zip(audiences, audience_table.cells, strict=True)
        ],
        feedback_responses=PublishedCount.of(response_cells[0]),
        # A mean of a few answers tells about the few who gave them.
        satisfaction=_mean(feedback["mean"]) if feedback["n"] >= DEFAULT_THRESHOLD else None,
    )
