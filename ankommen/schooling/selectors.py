"""Reads of the schooling module: seats, waiting children, and the figures built from them."""

from __future__ import annotations

import datetime
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, F, Func, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.http import Http404
from django.utils import timezone

from ankommen.regions.models import Municipality, School
from ankommen.schooling.models import Intake, IntakeStatus, PlacementRun, SeatKind, SeatOffer

if TYPE_CHECKING:
    from ankommen.regions.models import Centre

MIN_GRADE, MAX_GRADE = 1, 13
GRADES = range(MIN_GRADE, MAX_GRADE + 1)
# Children who are registered but have no seat yet; later statuses have a school proposed or attend one.
WAITING_STATUSES = (IntakeStatus.REGISTERED, IntakeStatus.INVITED, IntakeStatus.ASSESSED)
TERM_PATTERN = re.compile(r"(\d{4})/(\d{2})-([12])")
# A child starts school in grade 1 in the school year it turns six: grade ≈ age on 1 August − 5.
SCHOOL_AGE_OFFSET = 5


# Terms -------------------------------------------------------------------------------------------------


def term_is_valid(term: str) -> bool:
    match = TERM_PATTERN.fullmatch(term or "")
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))  # type: ignore[union-attr]


def term_of(day: datetime.date) -> str:
    """The term a day falls in: the school year starts on 1 August, its second half on 1 February."""
    start_year = day.year if day.month >= 8 else day.year - 1
    half = 1 if day.month >= 8 or day.month == 1 else 2
    return f"{start_year}/{(start_year + 1) % 100:02d}-{half}"


def term_choices(today: datetime.date | None = None, count: int = 4) -> list[tuple[str, str]]:
    """The current term and the next ones: the terms a school plans seats for."""
    term = term_of(today or timezone.localdate())
    terms = [term]
    while len(terms) < count:
        terms.append(_next_term(terms[-1]))
    return [(value, value) for value in terms]


def _next_term(term: str) -> str:
    start_year, half = int(term[:4]), int(term[-1])
    if half == 1:
        return f"{term[:-1]}2"
    return f"{start_year + 1}/{(start_year + 2) % 100:02d}-1"


def school_year_start(term_or_day: str | datetime.date) -> datetime.date:
    if isinstance(term_or_day, datetime.date):
        term_or_day = term_of(term_or_day)
    return datetime.date(int(term_or_day[:4]), 8, 1)


def estimated_grade(birth_date: datetime.date | None, on: datetime.date) -> int | None:
    if birth_date is None:
        return None
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return max(MIN_GRADE, min(MAX_GRADE, age - SCHOOL_AGE_OFFSET))


# Seats -------------------------------------------------------------------------------------------------


def seat_offers_of_school(*, school: School, term: str | None = None) -> QuerySet[SeatOffer]:
    offers = SeatOffer.objects.for_centre(school.municipality.centre).filter(school=school)
    if term:
        offers = offers.filter(term=term)
    return offers.order_by("term", "grade", "kind")


def seat_offer_of_school(*, school: School, offer_id: Any) -> SeatOffer:
    """One of the school's own offers; another school's offer does not exist for its contact."""
    try:
        return seat_offers_of_school(school=school).get(pk=offer_id)
    except (SeatOffer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def seat_offer_events_of_school(*, school: School) -> QuerySet[Any]:
    return (
        SeatOffer.pgh_event_model.objects.filter(  # type: ignore[attr-defined]
            centre=school.municipality.centre, school=school
        )
        .select_related("pgh_context")
        .order_by("-pgh_created_at", "-pgh_id")
    )


@dataclass
class CapacityRow:
    municipality: Municipality
    grade: int
    initial_support: int = 0
    regular_class: int = 0

    @property
    def total(self) -> int:
        return self.initial_support + self.regular_class


def capacity_by_area(*, centre: Centre, term: str) -> list[CapacityRow]:
    """Seats for newcomers per municipality and grade in one term, both kinds side by side."""
    rows: dict[tuple[int, int], CapacityRow] = {}
    municipalities = Municipality.objects.in_bulk(
        SeatOffer.objects.for_centre(centre).filter(term=term).values_list("school__municipality", flat=True)
    )
    sums = (
        SeatOffer.objects.for_centre(centre)
        .filter(term=term)
        .values("school__municipality", "grade", "kind")
        .annotate(seats=Sum("seats"))
    )
    for item in sums:
        key = (item["school__municipality"], item["grade"])
        row = rows.setdefault(key, CapacityRow(municipalities[key[0]], key[1]))
        if item["kind"] == SeatKind.INITIAL_SUPPORT:
            row.initial_support += item["seats"]
        else:
            row.regular_class += item["seats"]
    return sorted(rows.values(), key=lambda row: (row.municipality.name, row.grade))


# Waiting children --------------------------------------------------------------------------------------


class _AgeInYears(Func):
    template = "CAST(DATE_PART('year', AGE(%(expressions)s)) AS integer)"
    output_field = IntegerField()


def grade_expression(on: datetime.date) -> Any:
    """The recommended grade of the assessment, else the grade estimated from the age on `on` (1 August)."""
    estimate = Case(
        When(child__birth_date__isnull=True, then=Value(None, output_field=IntegerField())),
        default=Greatest(
            Value(MIN_GRADE),
            Least(
                Value(MAX_GRADE),
                _AgeInYears(Value(on), F("child__birth_date")) - Value(SCHOOL_AGE_OFFSET),
            ),
        ),
        output_field=IntegerField(),
    )
    return Coalesce(F("assessment__recommended_grade"), estimate, output_field=IntegerField())


@dataclass(frozen=True)
class IntakeFilters:
    status: str = ""
    grade: int | None = None
    municipality_id: int | None = None
    over_limit_only: bool = False


def waiting_limit_days() -> int:
    return int(settings.SCHOOLING_WAITING_ALERT_DAYS)


def intake_list(
    *, centre: Centre, filters: IntakeFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Intake]:
    """The centre's open intakes with their grade, longest waiting first."""
    today = today or timezone.localdate()
    filters = filters or IntakeFilters()
    intakes = (
        Intake.objects.for_centre(centre)
        .filter(closed_on__isnull=True)
        .select_related("child", "municipality", "assessment")
        .annotate(grade=grade_expression(school_year_start(today)))
    )
    if filters.status:
        intakes = intakes.filter(status=filters.status)
    if filters.grade:
        intakes = intakes.filter(grade=filters.grade)
    if filters.municipality_id:
        intakes = intakes.filter(municipality_id=filters.municipality_id)
    if filters.over_limit_only:
        intakes = intakes.filter(
            status__in=WAITING_STATUSES, registered_on__lt=today - datetime.timedelta(days=waiting_limit_days())
        )
    return intakes.order_by("registered_on", "pk")


def waiting_intakes(*, centre: Centre, grade_on: datetime.date) -> QuerySet[Any]:
    """Children without a seat yet, each with its `grade` (recommended, else estimated on `grade_on`)."""
    return (
        Intake.objects.for_centre(centre)
        .filter(status__in=WAITING_STATUSES, closed_on__isnull=True)
        .annotate(grade=grade_expression(grade_on))
    )


def intake_get(*, centre: Centre, intake_id: Any, today: datetime.date | None = None) -> Intake:
    try:
        return intake_list(centre=centre, today=today).get(pk=intake_id)
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def days_waiting(intake: Intake, today: datetime.date | None = None) -> int:
    return ((today or timezone.localdate()) - intake.registered_on).days


def is_over_limit(intake: Intake, today: datetime.date | None = None) -> bool:
    return intake.status in WAITING_STATUSES and days_waiting(intake, today) > waiting_limit_days()


def centre_municipalities(*, centre: Centre) -> QuerySet[Municipality]:
    return Municipality.objects.filter(centre=centre).order_by("name")


@dataclass
class ShortageRow:
    municipality: Municipality | None
    grade: int
    seats: int
    waiting: int
    median_days: float | None
    longest_days: int | None

    @property
    def shortfall(self) -> int:
        return max(self.waiting - self.seats, 0)


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class SeatValueRow:
    school: School
    grade: int
    places_waiting_child: bool
    km_saved: float


# Runs whose result stands: under review or released (a discarded run's figures are not shown).
RUNS_WITH_RESULT = ("review", "released")


def seat_values(*, centre: Centre, term: str) -> tuple[PlacementRun | None, list[SeatValueRow]]:
    """Where one more seat helps most, from the seat prices of the term's latest placement run with a result."""
    run = (
        PlacementRun.objects.for_centre(centre)
        .filter(term=term, status__in=RUNS_WITH_RESULT)
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return None, []
    prices = [price for price in (run.summary or {}).get("seat_prices", []) if str(price.get("school_id")).isdigit()]
    schools = School.objects.select_related("municipality").in_bulk([int(price["school_id"]) for price in prices])
    return run, [
        SeatValueRow(
            school=schools[int(price["school_id"])],
            grade=int(price["grade"]),
            places_waiting_child=bool(price["places_waiting_child"]),
            km_saved=float(price["km_saved"]),
        )
        for price in prices
        if int(price["school_id"]) in schools
    ]


def shortage_report(*, centre: Centre, term: str, today: datetime.date | None = None) -> list[ShortageRow]:
    """Seats against waiting children per area and grade: where seats are missing, and how long children wait."""
    today = today or timezone.localdate()
    seats: dict[tuple[int | None, int], int] = defaultdict(int)
    for item in (
        SeatOffer.objects.for_centre(centre)
        .filter(term=term)
        .values("school__municipality", "grade")
        .annotate(seats=Sum("seats"))
    ):
        seats[(item["school__municipality"], item["grade"])] += item["seats"]
    waits: dict[tuple[int | None, int], list[int]] = defaultdict(list)
    for municipality_id, grade, registered_on in waiting_intakes(
        centre=centre, grade_on=school_year_start(term)
    ).values_list("municipality", "grade", "registered_on"):
        if grade is not None:
            waits[(municipality_id, grade)].append((today - registered_on).days)
    municipalities = Municipality.objects.in_bulk([key[0] for key in (*seats, *waits) if key[0] is not None])
    rows = [
        ShortageRow(
            municipality=municipalities.get(key[0]) if key[0] is not None else None,
            grade=key[1],
            seats=seats.get(key, 0),
            waiting=len(waits.get(key, [])),
            median_days=_median(waits.get(key, [])),
            longest_days=max(waits[key]) if waits.get(key) else None,
        )
        for key in set(seats) | set(waits)
    ]
    return sorted(
        rows,
        key=lambda row: (
            -row.shortfall,
            -(row.longest_days or 0),
            row.municipality.name if row.municipality else "",
            row.grade,
        ),
    )


def waiting_without_grade(*, centre: Centre, grade_on: datetime.date) -> int:
    return waiting_intakes(centre=centre, grade_on=grade_on).filter(grade__isnull=True).count()


@dataclass
class WaitingCell:
    municipality: Municipality | None
    grade: int | None
    waiting: int = 0
    over_limit: int = 0


def waiting_by_area_and_grade(*, centre: Centre, today: datetime.date | None = None) -> list[WaitingCell]:
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=waiting_limit_days())
    cells: dict[tuple[int | None, int | None], WaitingCell] = {}
    rows = waiting_intakes(centre=centre, grade_on=school_year_start(today)).values_list(
        "municipality", "grade", "registered_on"
    )
    municipalities = Municipality.objects.filter(centre=centre).in_bulk()
    for municipality_id, grade, registered_on in rows:
        cell = cells.setdefault((municipality_id, grade), WaitingCell(municipalities.get(municipality_id), grade))
        cell.waiting += 1
        cell.over_limit += registered_on < limit
    return sorted(
        cells.values(),
        key=lambda cell: (
            cell.municipality is None,
            cell.municipality.name if cell.municipality else "",
            cell.grade or 99,
        ),
    )


@dataclass
class MonthFigure:
    month: datetime.date
    started: int
    median_days: float | None


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def median_days_to_school_by_month(
    *, centre: Centre, today: datetime.date | None = None, months: int = 12
) -> list[MonthFigure]:
    """Per month of the first school day: how many children started, and the median days since registration."""
    today = today or timezone.localdate()
    first_months = _months_back(today, months)
    durations: dict[datetime.date, list[int]] = defaultdict(list)
    for registered_on, first_day in (
        Intake.objects.for_centre(centre)
        .filter(first_school_day__gte=first_months[0], first_school_day__lte=today)
        .values_list("registered_on", "first_school_day")
    ):
        if first_day is not None:
            durations[first_day.replace(day=1)].append((first_day - registered_on).days)
    return [MonthFigure(month, len(durations[month]), _median(durations[month])) for month in first_months]


def over_limit_counts(*, today: datetime.date | None = None) -> dict[int, int]:
    """Children waiting longer than the limit, per centre id: the nightly alert reads across all centres."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=waiting_limit_days())
    counts: dict[int, int] = defaultdict(int)
    for centre_id in (
        Intake.objects.dangerously_unscoped()
        .filter(status__in=WAITING_STATUSES, closed_on__isnull=True, registered_on__lt=limit)
        .values_list("centre_id", flat=True)
    ):
        counts[centre_id] += 1
    return dict(counts)


def lead_addresses(*, centre_ids: Iterable[int]) -> dict[int, list[str]]:
    from ankommen.accounts.models import Membership, Role

    addresses: dict[int, list[str]] = defaultdict(list)
    for centre_id, email in (
        Membership.objects.filter(
            centre_id__in=list(centre_ids), role=Role.CENTRE_LEAD, is_active=True, user__is_active=True
        )
        .order_by("user__email")
        .values_list("centre_id", "user__email")
    ):
        addresses[centre_id].append(email)
    return dict(addresses)
