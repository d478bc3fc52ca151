"""The placement engine: most children placed, then fewest families split, then least total distance."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ankommen.matching.explain import Placement, explain
from ankommen.matching.flow import metres, min_cost_assignment
from ankommen.matching.geometry import Arcs, FloatArray, IntArray, haversine_km
from ankommen.matching.instance import NO_INDEX, Instance, build_instance, candidate_arcs
from ankommen.matching.metrics import Summary, summarise
from ankommen.matching.model import Child, SeatGroup, validate
from ankommen.matching.prices import UNPLACED_VALUE, gain_prices
from ankommen.matching.siblings import SiblingSettings, keep_siblings_together, school_of

Progress = Callable[[float, str], None]

DEFAULT_K = 35  # 30 left the sibling-blind flow 0.3 % above the bound at 107,000 children; 35 about 0.2 %
# Children left unplaced by the k nearest get all groups within reach up to this many in a second round.
WIDE_K = 400
PENALTY_ROUNDS = 8
# Keeping a family together is worth this many metres per child at first (see siblings.py), growing by
# PENALTY_GROWTH per round while more than SPLIT_SHARE of the families the sibling-blind optimum splits are split.
PENALTY_M = 5_000
PENALTY_GROWTH = 1.0
SPLIT_SHARE = 0.10


class ProgressStep:
    """Names of the steps reported to the progress callback."""

    VALIDATE = "validate"
    CANDIDATES = "candidates"
    FLOW = "flow"
    WIDER_CANDIDATES = "wider_candidates"
    SIBLINGS = "siblings"
    EXPLAIN = "explain"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class SeatPrice:
    """What one more seat in a school's grade is worth: the flow's dual price of that seat group."""

    school_id: str
    grade: int
    places_waiting_child: bool  # one more seat here lets one more child be placed (through a chain of moves)
    km_saved: float  # otherwise: the travel distance one more seat here saves in all (0 when it places a child)


@dataclass(frozen=True)
class PlacementResult:
    placements: list[Placement]  # one per child, in input order
    summary: Summary
    seconds: float
    sibling_strategy: str  # how siblings were kept together: "lagrangian" (see siblings.py)
    # Seat groups where one more seat helps, most helpful first: those placing a waiting child, then by km saved.
    # From the sibling-blind flow, whose LP duals these are (an estimate for the placement with siblings).
    seat_prices: tuple[SeatPrice, ...] = ()

    def by_child(self) -> dict[str, Placement]:
        return {placement.child_id: placement for placement in self.placements}


def _no_progress(fraction: float, stage: str) -> None:
    return None


def sibling_blind(instance: Instance, *, k: int, wide_k: int) -> tuple[Arcs, IntArray]:
    """The transportation optimum without siblings on the k nearest arcs, widened for those left over."""
    free_children = np.flatnonzero(instance.fixed_school < 0)
    arcs = candidate_arcs(instance, free_children, k)
    assignment = _solve(instance, arcs)
    unplaced = free_children[assignment[free_children] < 0]
    if unplaced.size and wide_k > k:
        keep = ~np.isin(arcs.child, unplaced)
        wide = candidate_arcs(instance, unplaced, wide_k)
        arcs = Arcs.concatenate([Arcs(arcs.child[keep], arcs.group[keep], arcs.km[keep]), wide])
        # Grades are separate networks: only those of the children left over are solved again.
        again = np.isin(instance.grade[arcs.child], instance.grade[unplaced])
        widened = _solve(instance, Arcs(arcs.child[again], arcs.group[again], arcs.km[again]))
        changed = np.isin(instance.grade, instance.grade[unplaced])
        assignment = np.where(changed, widened, assignment)
    return arcs, assignment


def _solve(instance: Instance, arcs: Arcs) -> IntArray:
    return min_cost_assignment(
        num_children=instance.size,
        arc_child=arcs.child,
        arc_group=arcs.group,
        arc_cost=metres(arcs.km),
        capacity=instance.group_capacity,
        part=instance.group_grade[arcs.group],
    )


def seat_prices(instance: Instance, arcs: Arcs, assignment: IntArray) -> tuple[SeatPrice, ...]:
    prices = gain_prices(
        arc_child=arcs.child,
        arc_group=arcs.group,
        arc_cost=metres(arcs.km),
        capacity=instance.group_capacity,
        assignment=assignment,
    )
    helpful = np.flatnonzero(prices > 0)
    waiting = prices[helpful] >= UNPLACED_VALUE // 2
    saved = np.where(waiting, 0, prices[helpful])
    order = np.lexsort((helpful, -saved, ~waiting))
    return tuple(
        SeatPrice(
            school_id=instance.school_ids[int(instance.group_school[group])],
            grade=int(instance.group_grade[group]),
            places_waiting_child=bool(waiting[position]),
            km_saved=round(float(saved[position]) / 1000.0, 3),
        )
        for position, group in zip(order.tolist(), helpful[order].tolist(), strict=True)
    )


def distances(instance: Instance, schools: IntArray) -> FloatArray:
    km = np.zeros(instance.size, dtype=np.float64)
    placed = schools >= 0
    km[placed] = haversine_km(
        instance.lat[placed],
        instance.lon[placed],
        instance.school_lat[schools[placed]],
        instance.school_lon[schools[placed]],
    )
    return km


def place(
    children: Sequence[Child],
    seats: Sequence[SeatGroup],
    *,
    k: int = DEFAULT_K,
    wide_k: int = WIDE_K,
    penalty_rounds: int = PENALTY_ROUNDS,
    split_share: float = SPLIT_SHARE,
    progress: Progress | None = None,
) -> PlacementResult:
    """Place every child it can; raises PlacementInputError naming all bad rows before doing anything."""
    started = time.perf_counter()
    report = progress or _no_progress
    report(0.0, ProgressStep.VALIDATE)
    validate(children, seats)
    instance = build_instance(children, seats)
    report(0.05, ProgressStep.CANDIDATES)
    arcs, assignment = sibling_blind(instance, k=k, wide_k=wide_k)
    prices = seat_prices(instance, arcs, assignment)
    report(0.35, ProgressStep.SIBLINGS)
    settings = SiblingSettings(
        rounds=penalty_rounds, penalty_m=PENALTY_M, growth=PENALTY_GROWTH, split_share=split_share
    )
    candidate = keep_siblings_together(instance, arcs, assignment, settings=settings)
    report(0.8, ProgressStep.EXPLAIN)
    schools = school_of(instance, candidate.assignment)
    km = distances(instance, schools)
    placements = explain(instance, arcs, candidate.assignment, schools, km)
    summary = summarise(family=instance.family, stage=instance.stage, school=schools, km=km)
    report(1.0, ProgressStep.DONE)
    return PlacementResult(placements, summary, time.perf_counter() - started, candidate.strategy, prices)


__all__ = ["NO_INDEX", "PlacementResult", "Progress", "ProgressStep", "SeatPrice", "place"]
