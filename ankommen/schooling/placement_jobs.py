"""The placement run as a background job: load the centre's waiting children and seats, place, write the proposals.

Progress is written in its own short transactions while the engine works; the proposals and the run's new status
are written in one transaction at the end, so a run never leaves half of its proposals behind.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from procrastinate.contrib.django import app

from ankommen import matching
from ankommen.core.row_level_security import centre_scope
from ankommen.matching import Child, PlacementInputError, SeatGroup
from ankommen.people.consent import withdrawn
from ankommen.people.models import Purpose
from ankommen.regions.models import Centre, Postcode
from ankommen.schooling.models import (
    Intake,
    IntakeStatus,
    Placement,
    PlacementRun,
    PlacementRunStatus,
    PlacementStatus,
    SeatOffer,
)
from ankommen.schooling.placement import NO_KNOWN_POSTCODE

logger = logging.getLogger(__name__)

PROGRESS_STEP = 0.05
# The seat groups where one more seat helps most, kept with the run's summary for the shortage report.
SEAT_PRICES_KEPT = 20
PROGRESS_SECONDS = 1.0
# Seats held by these placements of the term stay taken: the engine keeps them as fixed children.
SEAT_HOLDING_STATUSES = (PlacementStatus.RELEASED, PlacementStatus.CONFIRMED)


@dataclass
class RunInput:
    children: list[Child] = field(default_factory=list)
    seats: list[SeatGroup] = field(default_factory=list)
    intakes: dict[str, Intake] = field(default_factory=dict)  # child id (the intake's pk) -> intake
    without_postcode: list[Intake] = field(default_factory=list)
    declined: dict[str, set[str]] = field(default_factory=dict)  # child id -> school ids that declined


class ProgressWriter:
    """Writes the run's progress at most every few percent or second, each write its own transaction."""

    def __init__(self, run: PlacementRun, start: float, end: float) -> None:
        self.run = run
        self.start, self.end = start, end
        self.last_value = -1.0
        self.last_time = 0.0

    def __call__(self, fraction: float, stage: str) -> None:
        value = round(self.start + (self.end - self.start) * fraction, 3)
        now = time.monotonic()
        if value - self.last_value < PROGRESS_STEP and now - self.last_time < PROGRESS_SECONDS and fraction < 1.0:
            return
        self.last_value, self.last_time = value, now
        with transaction.atomic():
            PlacementRun.objects.for_centre(self.run.centre).filter(pk=self.run.pk).update(progress=value)


def _coordinates(postcodes: set[str]) -> dict[str, tuple[float, float]]:
    return {
        code: (latitude, longitude)
        for code, latitude, longitude in Postcode.objects.filter(code__in=postcodes).values_list(
            "code", "latitude", "longitude"
        )
    }


def _postcode_of(intake: Intake) -> str:
    child = intake.child
    return child.postcode or (child.family.postcode if child.family else "")


def _family_id(intake: Intake) -> str:
    return str(intake.child.family_id) if intake.child.family_id else f"intake-{intake.pk}"


def _seat_groups(centre: Centre, term: str) -> list[SeatGroup]:
    rows = (
        SeatOffer.objects.for_centre(centre)
        .filter(term=term, school__latitude__isnull=False, school__longitude__isnull=False)
        .values("school_id", "school__form", "school__latitude", "school__longitude", "grade")
        .annotate(total=Sum("seats"))
        .order_by("school_id", "grade")
    )
    # The filter above leaves out schools without coordinates; the engine measures distances from them.
    return [
        SeatGroup(
            school_id=str(row["school_id"]),
            school_form=row["school__form"],
            grade=row["grade"],
            seats=int(row["total"]),
            lat=row["school__latitude"] or 0.0,
            lon=row["school__longitude"] or 0.0,
        )
        for row in rows
    ]


def run_input(centre: Centre, term: str) -> RunInput:
    loaded = RunInput(seats=_seat_groups(centre, term))
    school_coordinates = {group.school_id: (group.lat, group.lon) for group in loaded.seats}
    waiting = list(
        Intake.objects.for_centre(centre)
        .filter(status=IntakeStatus.ASSESSED, closed_on__isnull=True, assessment__isnull=False)
        # Asked when the job runs, not when it was queued: a consent withdrawn meanwhile leaves the child out.
        .exclude(withdrawn(Purpose.SCHOOL_PLACEMENT, person="child"))
        .select_related("assessment", "child", "child__family")
        .order_by("registered_on", "pk")
    )
    holding = list(
        Placement.objects.for_centre(centre)
        .filter(run__term=term, status__in=SEAT_HOLDING_STATUSES, school__isnull=False)
        .select_related("intake", "intake__child", "intake__child__family")
    )
    coordinates = _coordinates({_postcode_of(intake) for intake in waiting} | {_postcode_of(p.intake) for p in holding})
    for declined_intake, declined_school in (
        Placement.objects.for_centre(centre)
        .filter(status=PlacementStatus.DECLINED, intake__in=waiting)
        .values_list("intake_id", "school_id")
    ):
        loaded.declined.setdefault(str(declined_intake), set()).add(str(declined_school))
    for intake in waiting:
        point = coordinates.get(_postcode_of(intake))
        if point is None:
            loaded.without_postcode.append(intake)
            continue
        assessment = intake.assessment
        child_id = str(intake.pk)
        loaded.intakes[child_id] = intake
        loaded.children.append(
            Child(
                child_id=child_id,
                family_id=_family_id(intake),
                grade=assessment.recommended_grade,
                lat=point[0],
                lon=point[1],
                school_forms=frozenset(assessment.acceptable_school_forms),
                max_km=float(intake.max_distance_km) if intake.max_distance_km is not None else None,
                excluded_schools=frozenset(loaded.declined.get(child_id, ())),
            )
        )
    for placement in holding:
        school_id = str(placement.school_id)
        if school_id not in school_coordinates:
            continue  # its school offers no seats this term: nothing to hold
        point = coordinates.get(_postcode_of(placement.intake), school_coordinates[school_id])
        loaded.children.append(
            Child(
                child_id=f"fixed-{placement.pk}",
                family_id=_family_id(placement.intake),
                grade=placement.grade,
                lat=point[0],
                lon=point[1],
                fixed_school_id=school_id,
            )
        )
    return loaded


def _explanation(result: matching.Placement) -> dict[str, Any]:
    return {
        "reason": result.reason.value,
        "max_km": result.max_km,
        "nearer_schools": [
            {"school_id": nearer.school_id, "distance_km": nearer.distance_km, "reason": nearer.reason.value}
            for nearer in result.nearer_schools
        ],
        "reachable_schools": result.reachable_schools,
    }


def _proposals(run: PlacementRun, loaded: RunInput, result: matching.PlacementResult) -> list[Placement]:
    by_child = result.by_child()
    proposals = []
    for child_id, intake in loaded.intakes.items():
        outcome = by_child[child_id]
        explanation = _explanation(outcome)
        declined = loaded.declined.get(child_id, set())
        school_id = outcome.school_id
        if declined:
            # The engine left these schools out for the child (Child.excluded_schools).
            explanation["declined_schools"] = sorted(declined)
        proposals.append(
            Placement(
                centre=run.centre,
                run=run,
                intake=intake,
                school_id=int(school_id) if school_id is not None else None,
                grade=intake.assessment.recommended_grade,
                distance_km=(
                    Decimal(f"{outcome.distance_km:.2f}")
                    if school_id is not None and outcome.distance_km is not None
                    else None
                ),
                explanation=explanation,
            )
        )
    for intake in loaded.without_postcode:
        proposals.append(
            Placement(
                centre=run.centre,
                run=run,
                intake=intake,
                grade=intake.assessment.recommended_grade,
                explanation={"reason": NO_KNOWN_POSTCODE},
            )
        )
    return proposals


def _summary(proposals: list[Placement], result: matching.PlacementResult) -> dict[str, Any]:
    distances = sorted(float(p.distance_km) for p in proposals if p.school_id is not None and p.distance_km is not None)
    p95 = distances[min(len(distances) - 1, int(0.95 * len(distances)))] if distances else 0.0
    return {
        "children": len(proposals),
        "placed": sum(1 for p in proposals if p.school_id is not None),
        "families_split": result.summary.families_split,
        "total_km": round(sum(distances), 2),
        "p95_km": round(p95, 2),
        "seconds": round(result.seconds, 2),
        "sibling_strategy": result.sibling_strategy,
        # Seat groups only (school and grade), no child: where one more seat places a waiting child or saves km.
        "seat_prices": [
            {
                "school_id": price.school_id,
                "grade": price.grade,
                "places_waiting_child": price.places_waiting_child,
                "km_saved": price.km_saved,
            }
            for price in result.seat_prices[:SEAT_PRICES_KEPT]
        ],
    }


def _claim(run_id: int) -> PlacementRun | None:
    with transaction.atomic():
        run = (
            PlacementRun.objects.dangerously_unscoped()  # the job knows only the run's id; its centre comes from it
            .select_for_update()
            .select_related("centre")
            # RUNNING too: a worker killed mid-run leaves its run there, and the retried job takes it over. A run
            # has no proposals before its end (they are written in one transaction), so it starts again cleanly.
            .filter(pk=run_id, status__in=[PlacementRunStatus.QUEUED, PlacementRunStatus.RUNNING])
            .first()
        )
        if run is None:
            return None
        run.status = PlacementRunStatus.RUNNING
        run.progress = 0.0
        with centre_scope(run.centre_id):
            run.save(update_fields=["status", "progress", "updated_at"])
    return run


def _still_ours(run: PlacementRun) -> bool:
    """Check and lock, inside the final transaction: the run is still running and has no proposals yet."""
    locked = PlacementRun.objects.for_centre(run.centre).select_for_update().filter(pk=run.pk).first()
    return (
        locked is not None
        and locked.status == PlacementRunStatus.RUNNING
        and not Placement.objects.for_centre(run.centre).filter(run=run).exists()
    )


def _fail(run: PlacementRun, error: dict[str, Any]) -> None:
    with transaction.atomic():
        PlacementRun.objects.for_centre(run.centre).filter(pk=run.pk, status=PlacementRunStatus.RUNNING).update(
            status=PlacementRunStatus.FAILED, summary={"error": error}, updated_at=timezone.now()
        )


def placement_run_execute(*, run_id: int) -> PlacementRun | None:
    """Run a queued run to its end: review with all proposals, or failed with none."""
    run = _claim(run_id)
    if run is None:
        return None
    # The run's centre from here on, also for the database's row-level security.
    with centre_scope(run.centre_id):
        centre = run.centre
        try:
            loaded = run_input(centre, run.term)
            ProgressWriter(run, 0.0, 0.1)(1.0, "loaded")
            result = matching.place(loaded.children, loaded.seats, progress=ProgressWriter(run, 0.1, 0.9))
            proposals = _proposals(run, loaded, result)
            with transaction.atomic():
                # Otherwise another run of the same job (a retry of a worker taken for dead) got there first.
                if _still_ours(run):
                    Placement.objects.bulk_create(proposals)
                    run.status = PlacementRunStatus.REVIEW
                    run.progress = 1.0
                    run.summary = _summary(proposals, result)
                    run.save(update_fields=["status", "progress", "summary", "updated_at"])
        except PlacementInputError as error:
            # Row errors name intake ids and school ids only, nothing personal.
            _fail(run, {"kind": "input", "rows": [str(row) for row in error.errors[:50]]})
            logger.warning("placement run %s: bad input (%d rows)", run.pk, len(error.errors))
        except Exception:
            _fail(run, {"kind": "internal"})
            logger.exception("placement run %s failed", run.pk)
        run.refresh_from_db()
        return run


@app.task(queue="placement", name="schooling.placement_run")
def placement_run_job(run_id: int) -> None:
    placement_run_execute(run_id=run_id)
