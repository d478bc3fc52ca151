"""Reads of the volunteers module, always for one centre (or one volunteer)."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ankommen.matching import volunteers as matching
from ankommen.people.consent import withdrawn, withdrawn_for_family
from ankommen.people.models import Purpose
from ankommen.volunteering.models import (
    Activity,
    Assignment,
    AssignmentStatus,
    BuiltinActivity,
    ClearanceInspection,
    HoursEntry,
    HoursStatus,
    RequestStatus,
    RequestStep,
    SupportRequest,
    Volunteer,
    VolunteerStatus,
)

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre


def activity_label(code: str) -> str:
    if code in BuiltinActivity.values:
        return str(BuiltinActivity(code).label)
    if code == "shifts":
        return str(_("shifts at meeting points"))
    activity = Activity.objects.filter(code=code).first()
    if activity is None:
        return code
    return activity.name_in(get_language() or "de")


def activity_choices() -> list[tuple[str, str]]:
    """The active activities named in the current language (built-in by the catalogue, added by their names)."""
    language = get_language() or "de"
    return [
        (activity.code, str(BuiltinActivity(activity.code).label))
        if activity.code in BuiltinActivity.values
        else (activity.code, activity.name_in(language))
        for activity in Activity.objects.filter(is_active=True)
    ]


def volunteer_of(user: User) -> Volunteer | None:
    """The volunteer profile of a logged-in volunteer (their own data: no centre to pass)."""
    return Volunteer.objects.dangerously_unscoped().select_related("user", "centre").filter(user=user).first()


def volunteer_list(*, centre: Centre, status: str = "") -> QuerySet[Volunteer]:
    volunteers = Volunteer.objects.for_centre(centre).select_related("user").order_by("user__display_name", "pk")
    if status:
        volunteers = volunteers.filter(status=status)
    return volunteers


def volunteer_get(*, centre: Centre, volunteer_id: int) -> Volunteer:
    volunteer: Volunteer = Volunteer.objects.for_centre(centre).select_related("user").get(pk=volunteer_id)
    return volunteer


def inspections_of(*, centre: Centre, volunteer: Volunteer) -> QuerySet[ClearanceInspection]:
    return ClearanceInspection.objects.for_centre(centre).filter(volunteer=volunteer).select_related("inspected_by")


def request_list(*, centre: Centre, status: str = "") -> QuerySet[SupportRequest]:
    requests = SupportRequest.objects.for_centre(centre).order_by("created_at", "pk")
    if status:
        requests = requests.filter(status=status)
    return requests


def requests_of_partner(*, organisation: Any) -> QuerySet[SupportRequest]:
    """The requests a partner organisation opened: the only ones its contacts see."""
    return SupportRequest.objects.for_centre(organisation.centre).filter(partner=organisation).order_by("-created_at")


def request_get(*, centre: Centre, request_id: int) -> SupportRequest:
    request: SupportRequest = (
        SupportRequest.objects.for_centre(centre)
        .select_related("person", "family", "created_by", "partner")
        .get(pk=request_id)
    )
    return request


def steps_of(*, centre: Centre, request: SupportRequest) -> QuerySet[RequestStep]:
    return (
        RequestStep.objects.for_centre(centre)
        .filter(request=request)
        .select_related("by", "assignment__volunteer__user")
    )


def assignments_of_request(*, centre: Centre, request: SupportRequest) -> QuerySet[Assignment]:
    return (
        Assignment.objects.for_centre(centre).filter(request=request).select_related("volunteer__user").order_by("pk")
    )


def assignments_of_volunteer(*, volunteer: Volunteer) -> QuerySet[Assignment]:
    return (
        Assignment.objects.for_centre(volunteer.centre)
        .filter(volunteer=volunteer)
        .select_related("request", "request__person", "request__family")
        .order_by("-pk")
    )


def assignments_shown_to_volunteer(*, volunteer: Volunteer) -> QuerySet[Assignment]:
    """What the volunteer sees of their assignments: none about a person who withdrew the consent to support."""
    return assignments_of_volunteer(volunteer=volunteer).exclude(
        withdrawn(Purpose.VOLUNTEER_SUPPORT, person="request__person")
        | withdrawn_for_family(Purpose.VOLUNTEER_SUPPORT, family="request__family")
    )


def assignment_of_volunteer(*, volunteer: Volunteer, assignment_id: int) -> Assignment:
    assignment: Assignment = assignments_shown_to_volunteer(volunteer=volunteer).get(pk=assignment_id)
    return assignment


def hours_of_volunteer(*, volunteer: Volunteer) -> QuerySet[HoursEntry]:
    return HoursEntry.objects.for_centre(volunteer.centre).filter(volunteer=volunteer)


def hours_to_confirm(*, centre: Centre) -> QuerySet[HoursEntry]:
    return (
        HoursEntry.objects.for_centre(centre)
        .filter(status=HoursStatus.LOGGED)
        .select_related("volunteer__user")
        .order_by("date", "pk")
    )


def hours_entry_get(*, centre: Centre, entry_id: int) -> HoursEntry:
    entry: HoursEntry = HoursEntry.objects.for_centre(centre).get(pk=entry_id)
    return entry


@dataclass(frozen=True)
class EngagementSummary:
    first_day: datetime.date | None
    last_day: datetime.date | None
    hours: Any
    activities: list[str]


def engagement_summary(*, centre: Centre, volunteer: Volunteer) -> EngagementSummary:
    confirmed = HoursEntry.objects.for_centre(centre).filter(volunteer=volunteer, status=HoursStatus.CONFIRMED)
    totals = confirmed.aggregate(hours=Sum("hours"), first=Min("date"), last=Max("date"))
    activities = sorted({activity_label(code) for code in confirmed.values_list("activity", flat=True)})
    return EngagementSummary(
        first_day=totals["first"], last_day=totals["last"], hours=totals["hours"] or 0, activities=activities
    )


def need_of(request: SupportRequest) -> matching.RequestNeed:
    return matching.RequestNeed(
        id=request.pk,
        latitude=request.latitude,
        longitude=request.longitude,
        activity=request.activity,
        languages=tuple(request.languages),
        availability=request.availability,
        involves_minors=request.involves_minors,
    )


# The centre's volunteers as arrays, per process, rebuilt when any volunteer of the centre changed (a profile,
# a verification, a clearance, the load) or the day changed (clearances expire).
# A bulk update (QuerySet.update) does not move updated_at: such a write must set updated_at itself.
_pools: dict[int, tuple[tuple[Any, datetime.date], matching.VolunteerPool]] = {}
_pools_lock = threading.Lock()


# Suggestions may lag behind a change committed late (its updated_at older than the newest) until the next change;
# the services check verification, capacity and clearance again under a lock, so a stale pool never proposes wrongly.
PATCH_WINDOW_SECONDS = 60
POOL_COLUMNS = (
    "pk",
    "latitude",
    "longitude",
    "radius_km",
    "languages",
    "activities",
    "availability",
    "max_parallel",
    "open_assignments",
    "status",
    "clearance_valid_until",
)


def _latest_change(centre: Centre) -> Any:
    # Every change of a volunteer goes through save() and moves updated_at (volunteers are never deleted, only made
    # inactive), so the latest updated_at of the centre, read from the index, tells whether the pool is current.
    return Volunteer.objects.for_centre(centre).aggregate(latest=Max("updated_at"))["latest"]


def _profiles(rows: Any, today: datetime.date) -> list[matching.VolunteerProfile]:
    return [
        matching.VolunteerProfile(
            id=pk,
            latitude=latitude,
            longitude=longitude,
            radius_km=float(radius),
            languages=languages or {},
            activities=frozenset(activities),
            availability=availability,
            capacity=capacity,
            load=load,
            verified=status == VolunteerStatus.VERIFIED,
            certificate_valid=valid_until is not None and valid_until >= today,
        )
        for (
            pk,
            latitude,
            longitude,
            radius,
            languages,
            activities,
            availability,
            capacity,
            load,
            status,
            valid_until,
        ) in rows
    ]


def volunteer_pool(*, centre: Centre) -> matching.VolunteerPool:
    """The centre's pool: cached per process; changed volunteers are patched in, anything else rebuilds it."""
    latest = _latest_change(centre)
    today = timezone.localdate()
    cached = _pools.get(centre.pk)
    if cached is not None and cached[0] == (latest, today):
        return cached[1]
    volunteers = Volunteer.objects.for_centre(centre)
    pool: matching.VolunteerPool | None = None
    if cached is not None and cached[0][1] == today and cached[0][0] is not None and latest is not None:
        # A change saved just before the cached one may have committed after it: look a little further back.
        since = cached[0][0] - datetime.timedelta(seconds=PATCH_WINDOW_SECONDS)
        changed = volunteers.filter(updated_at__gt=since).values_list(*POOL_COLUMNS)
        pool = cached[1].updated(_profiles(changed, today))
    if pool is None:
        pool = matching.VolunteerPool.build(
            _profiles(volunteers.order_by("pk").values_list(*POOL_COLUMNS).iterator(chunk_size=5000), today)
        )
    with _pools_lock:
        _pools[centre.pk] = ((latest, today), pool)
    return pool


@dataclass(frozen=True)
class SuggestionRow:
    volunteer: Volunteer
    suggestion: matching.Suggestion

    @property
    def parts(self) -> list[tuple[str, float, float]]:
        return [(part, self.suggestion.parts[part], matching.WEIGHTS[part]) for part in matching.PARTS]


def suggestions_for(*, centre: Centre, request: SupportRequest, limit: int = 10) -> list[SuggestionRow]:
    suggestions = matching.suggest(volunteer_pool(centre=centre), need_of(request), limit=limit)
    volunteers = (
        Volunteer.objects.for_centre(centre).select_related("user").in_bulk([s.volunteer_id for s in suggestions])
    )
    return [
        SuggestionRow(volunteer=volunteers[s.volunteer_id], suggestion=s)
        for s in suggestions
        if s.volunteer_id in volunteers
    ]


@dataclass(frozen=True)
class BatchComparison:
    optimal: matching.BatchResult
    greedy: matching.BatchResult
    open_requests: int
    requests: dict[int, SupportRequest]


def batch_comparison(*, centre: Centre) -> BatchComparison:
    # Asked when the batch job runs: a request whose person withdrew the consent meanwhile is left out.
    open_requests = list(
        request_list(centre=centre, status=RequestStatus.OPEN).exclude(
            withdrawn(Purpose.VOLUNTEER_SUPPORT, person="person")
            | withdrawn_for_family(Purpose.VOLUNTEER_SUPPORT, family="family")
        )
    )
    needs = [need_of(request) for request in open_requests]
    optimal, greedy = matching.batch_compare(volunteer_pool(centre=centre), needs)
    return BatchComparison(
        optimal=optimal,
        greedy=greedy,
        open_requests=len(open_requests),
        requests={request.pk: request for request in open_requests},
    )


def proposal_counts(*, centre: Centre) -> dict[str, int]:
    counts = request_list(centre=centre).values("status").annotate(n=Count("pk"))
    result = dict.fromkeys(RequestStatus.values, 0)
    result.update({row["status"]: row["n"] for row in counts})
    return result


def open_proposals_for(*, volunteer: Volunteer) -> QuerySet[Assignment]:
    return assignments_shown_to_volunteer(volunteer=volunteer).filter(status=AssignmentStatus.PROPOSED)


@dataclass(frozen=True)
class MonthFigures:
    month: str  # YYYY-MM
    sign_ups: int
    active_volunteers: int
    confirmed_hours: float
    requests_opened: int
    requests_matched: int
    median_days_to_match: float | None


def monthly_figures(*, centre: Centre) -> list[MonthFigures]:
    """Counts per month for the reporting module: no person, only numbers of one centre."""
    from statistics import median

    from django.db.models.functions import TruncMonth

    def by_month(queryset: Any, field: str, value: Any = None) -> dict[str, Any]:
        rows = queryset.annotate(month=TruncMonth(field)).values("month").annotate(value=value or Count("pk"))
        return {row["month"].strftime("%Y-%m"): row["value"] for row in rows if row["month"]}

    volunteers = Volunteer.objects.for_centre(centre)
    confirmed = HoursEntry.objects.for_centre(centre).filter(status=HoursStatus.CONFIRMED)
    requests = SupportRequest.objects.for_centre(centre)
    sign_ups = by_month(volunteers, "created_at")
    active = by_month(confirmed, "date", Count("volunteer", distinct=True))
    hours = by_month(confirmed, "date", Sum("hours"))
    opened = by_month(requests, "created_at")
    matched = by_month(requests.filter(matched_at__isnull=False), "matched_at")
    waits: dict[str, list[float]] = {}
    for created, matched_at in requests.filter(matched_at__isnull=False).values_list("created_at", "matched_at"):
        if matched_at is None:
            continue
        # The month in local time, as TruncMonth counts it above.
        month = timezone.localtime(matched_at).strftime("%Y-%m")
        waits.setdefault(month, []).append((matched_at - created).total_seconds() / 86400)
    months = sorted(set(sign_ups) | set(active) | set(hours) | set(opened) | set(matched))
    return [
        MonthFigures(
            month=month,
            sign_ups=sign_ups.get(month, 0),
            active_volunteers=active.get(month, 0),
            confirmed_hours=float(hours.get(month) or 0),
            requests_opened=opened.get(month, 0),
            requests_matched=matched.get(month, 0),
            median_days_to_match=round(median(waits[month]), 1) if month in waits else None,
        )
        for month in months
    ]
