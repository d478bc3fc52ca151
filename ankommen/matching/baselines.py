"""What the engine is measured against: two simple mechanisms and the two flow bounds."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ankommen.matching.engine import WIDE_K, distances
from ankommen.matching.flow import max_placeable, metres, min_cost_assignment
from ankommen.matching.geometry import IntArray
from ankommen.matching.instance import NO_INDEX, Instance, build_instance, candidate_arcs
from ankommen.matching.metrics import Summary, summarise
from ankommen.matching.model import Child, SeatGroup, validate
from ankommen.matching.siblings import school_of


@dataclass(frozen=True)
class BaselineResult:
    school: IntArray  # school index per child, NO_INDEX when unplaced
    summary: Summary


@dataclass(frozen=True)
class BoundResult:
    placed: int
    arcs: int
    summary: Summary | None = None


def _prepare(children: Sequence[Child], seats: Sequence[SeatGroup]) -> Instance:
    validate(children, seats)
    return build_instance(children, seats)


def _result(instance: Instance, assignment: IntArray) -> BaselineResult:
    schools = school_of(instance, assignment)
    km = distances(instance, schools)
    return BaselineResult(schools, summarise(family=instance.family, stage=instance.stage, school=schools, km=km))


def greedy(children: Sequence[Child], seats: Sequence[SeatGroup], *, k: int = WIDE_K) -> BaselineResult:
    """Children in registration order, each taking the nearest acceptable seat still free."""
    instance = _prepare(children, seats)
    arcs = candidate_arcs(instance, np.flatnonzero(instance.fixed_school < 0), k)
    free = instance.group_capacity.copy()
    assignment = np.full(instance.size, NO_INDEX, dtype=np.int64)
    start = np.searchsorted(arcs.child, np.arange(instance.size), side="left")
    stop = np.searchsorted(arcs.child, np.arange(instance.size), side="right")
    groups = arcs.group.tolist()
    for child in range(instance.size):
        for position in range(start[child], stop[child]):
            group = groups[position]
            if free[group] > 0:
                free[group] -= 1
                assignment[child] = group
                break
    return _result(instance, assignment)


def deferred_acceptance(children: Sequence[Child], seats: Sequence[SeatGroup], *, k: int = WIDE_K) -> BaselineResult:
    """Children-proposing deferred acceptance: children prefer nearer schools; a school-grade prefers a child
    whose same-stage sibling it already holds, then the nearer child, then the earlier registration."""
    instance = _prepare(children, seats)
    arcs = candidate_arcs(instance, np.flatnonzero(instance.fixed_school < 0), k)
    start = np.searchsorted(arcs.child, np.arange(instance.size), side="left").tolist()
    stop = np.searchsorted(arcs.child, np.arange(instance.size), side="right").tolist()
    groups, cost = arcs.group.tolist(), metres(arcs.km).tolist()
    group_school = instance.group_school.tolist()
    capacity = instance.group_capacity.tolist()
    keys = (instance.family * 4 + instance.stage).tolist()
    siblings: dict[int, list[int]] = {}
    for child, key in enumerate(keys):
        siblings.setdefault(key, []).append(child)
    held_school = instance.fixed_school.tolist()
    assignment = [NO_INDEX] * instance.size
    next_choice = start.copy()
    # Each group holds a heap of (-priority...) so that its least preferred child is on top.
    held: dict[int, list[tuple[int, int, int, int]]] = {}
    waiting = list(range(instance.size - 1, -1, -1))
    while waiting:
        child = waiting.pop()
        if next_choice[child] >= stop[child]:
            continue
        position = next_choice[child]
        next_choice[child] += 1
        group = groups[position]
        school = group_school[group]
        has_sibling = any(held_school[other] == school for other in siblings[keys[child]] if other != child)
        entry = (-(0 if has_sibling else 1), -cost[position], -child, child)
        heap = held.setdefault(group, [])
        if len(heap) < capacity[group]:
            heapq.heappush(heap, entry)
        elif heap and entry > heap[0]:
            rejected = heapq.heapreplace(heap, entry)[3]
            assignment[rejected] = NO_INDEX
            held_school[rejected] = NO_INDEX
            waiting.append(rejected)
        else:
            waiting.append(child)
            continue
        assignment[child] = group
        held_school[child] = school
    return _result(instance, np.array(assignment, dtype=np.int64))


def max_placeable_bound(children: Sequence[Child], seats: Sequence[SeatGroup], *, k: int | None = None) -> BoundResult:
    """The most children any placement can seat (max-flow over every acceptable group within reach)."""
    instance = _prepare(children, seats)
    arcs = candidate_arcs(instance, np.flatnonzero(instance.fixed_school < 0), k)
    fixed = int((instance.fixed_school >= 0).sum())
    placed = max_placeable(arc_child=arcs.child, arc_group=arcs.group, capacity=instance.group_capacity)
    return BoundResult(placed + fixed, len(arcs))


def sibling_blind_bound(children: Sequence[Child], seats: Sequence[SeatGroup], *, k: int | None = None) -> BoundResult:
    """Most children placed, then least total distance, ignoring siblings: a lower bound for the distance."""
    instance = _prepare(children, seats)
    arcs = candidate_arcs(instance, np.flatnonzero(instance.fixed_school < 0), k)
    assignment = min_cost_assignment(
        num_children=instance.size,
        arc_child=arcs.child,
        arc_group=arcs.group,
        arc_cost=metres(arcs.km),
        capacity=instance.group_capacity,
        part=instance.group_grade[arcs.group],
    )
    result = _result(instance, assignment)
    return BoundResult(result.summary.placed, len(arcs), result.summary)
