"""Bringing same-stage siblings to one school without placing fewer children.

Two routes from the sibling-blind optimum, both measured on every run and the better kept:
- repair: move a sibling to its brothers' and sisters' school where a seat is free, or free one there by moving
  another child (a swap or a move to a free seat elsewhere);
- penalty: give every sibling a bonus on the arc to its family's target school and solve the flow again
  (a Lagrangian relaxation of "same school" with a multiplier above any distance), retargeting the families
  still split for a few rounds, then repair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankommen.matching.flow import min_cost_assignment
from ankommen.matching.geometry import Arcs, IntArray
from ankommen.matching.instance import NO_INDEX, Instance
from ankommen.matching.metrics import split_family_stages


@dataclass
class Candidate:
    assignment: IntArray  # group per child, NO_INDEX when unplaced or confirmed
    strategy: str


def school_of(instance: Instance, assignment: IntArray) -> IntArray:
    return np.where(assignment >= 0, instance.group_school[np.maximum(assignment, 0)], instance.fixed_school)


class _Context:
    """The arcs as Python lists: the repair loops index single elements, which numpy makes slow."""

    def __init__(self, instance: Instance, arcs: Arcs) -> None:
        self.instance = instance
        self.arcs = arcs
        self.cost = np.rint(arcs.km * 1000.0).astype(np.int64)
        self.cost_list: list[int] = self.cost.tolist()
        self.group_list: list[int] = arcs.group.tolist()
        self.start: list[int] = np.searchsorted(arcs.child, np.arange(instance.size), side="left").tolist()
        self.stop: list[int] = np.searchsorted(arcs.child, np.arange(instance.size), side="right").tolist()
        self.group_school: list[int] = instance.group_school.tolist()
        self.fixed_school: list[int] = instance.fixed_school.tolist()
        self.grade: list[int] = instance.grade.tolist()
        self.lookup = instance.school_group_lookup()
        keys = instance.family * 4 + instance.stage
        order = np.argsort(keys, kind="stable")
        boundaries = np.flatnonzero(np.diff(keys[order])) + 1
        self.members: dict[int, list[int]] = {}
        for block in np.split(order, boundaries):
            if block.size > 1:
                self.members[int(keys[block[0]])] = block.tolist()
        self.key_of_child = keys

    def arc_cost(self, child: int, group: int) -> int | None:
        for position in range(self.start[child], self.stop[child]):
            if self.group_list[position] == group:
                return self.cost_list[position]
        return None

    def current_cost(self, child: int, assignment: list[int]) -> int:
        group = assignment[child]
        cost = self.arc_cost(child, group) if group >= 0 else None
        return cost if cost is not None else 0

    def school_of_child(self, child: int, assignment: list[int]) -> int:
        group = assignment[child]
        return self.group_school[group] if group >= 0 else self.fixed_school[child]

    def free_seats(self, assignment: IntArray) -> IntArray:
        used = np.bincount(assignment[assignment >= 0], minlength=self.instance.group_school.size)
        return np.asarray(self.instance.group_capacity - used, dtype=np.int64)

    def objective(self, assignment: IntArray) -> tuple[int, int, int]:
        instance = self.instance
        placed = int((assignment >= 0).sum() + (instance.fixed_school >= 0).sum())
        schools = school_of(instance, assignment)
        split = split_family_stages(family=instance.family, stage=instance.stage, school=schools)
        used = assignment[self.arcs.child] == self.arcs.group
        return -placed, int(np.unique(split // 4).size), int(self.cost[used].sum())


def _target_order(context: _Context, members: list[int], assignment: list[int], free: list[int]) -> list[int]:
    """Schools for a split family, best first: covering all its children, needing few seats freed, short."""
    fixed = [context.fixed_school[child] for child in members if context.fixed_school[child] >= 0]
    if fixed:
        return [fixed[0]]
    scores: dict[int, list[int]] = {}
    for child in members:
        current_group = assignment[child]
        current_cost = context.current_cost(child, assignment)
        for position in range(context.start[child], context.stop[child]):
            group = context.group_list[position]
            score = scores.setdefault(context.group_school[group], [0, 0, 0])
            score[0] -= 1
            if group != current_group:
                score[1] += 1 if free[group] <= 0 else 0
                score[2] += context.cost_list[position] - current_cost
    return sorted(scores, key=lambda school: (*scores[school], school))


def _targets(context: _Context, assignment: IntArray, tried: dict[int, set[int]]) -> IntArray:
    """Each sibling's target school: where its placed siblings are, or for a split family the best other."""
    instance = context.instance
    schools = school_of(instance, assignment)
    keys = context.key_of_child
    placed = schools >= 0
    # For families not split, the one school of their placed children (the largest is the only one).
    unique_keys, key_index = np.unique(keys, return_inverse=True)
    school_of_key = np.full(unique_keys.size, NO_INDEX, dtype=np.int64)
    np.maximum.at(school_of_key, key_index[placed], schools[placed])
    target = school_of_key[key_index]
    split_keys = split_family_stages(family=instance.family, stage=instance.stage, school=schools)
    assignment_list, free = assignment.tolist(), context.free_seats(assignment).tolist()
    for key in split_keys.tolist():
        members = context.members[key]
        order = _target_order(context, members, assignment_list, free)
        untried = [school for school in order if school not in tried.setdefault(key, set())]
        choice = (untried or order)[0]
        tried[key].add(choice)
        target[members] = choice
    return np.asarray(target, dtype=np.int64)


def penalty_rounds(context: _Context, assignment: IntArray, *, rounds: int) -> IntArray:
    instance, arcs = context.instance, context.arcs
    if len(arcs) == 0:
        return assignment
    multiplier = 2 * int(context.cost.max()) + 1
    tried: dict[int, set[int]] = {}
    best, best_objective = assignment, context.objective(assignment)
    current = assignment
    for _ in range(rounds):
        target_school = _targets(context, current, tried)
        target_group = np.where(
            target_school >= 0, context.lookup[np.maximum(target_school, 0), instance.grade], NO_INDEX
        )
        bonus = (arcs.group == target_group[arcs.child]) & (target_group[arcs.child] >= 0)
        current = min_cost_assignment(
            num_children=instance.size,
            arc_child=arcs.child,
            arc_group=arcs.group,
            arc_cost=context.cost - multiplier * bonus,
            capacity=instance.group_capacity,
            part=instance.group_grade[arcs.group],
        )
        objective = context.objective(current)
        if objective < best_objective:
            best, best_objective = current, objective
        if objective[1] == 0:
            break
    return best


def _movable(context: _Context, schools: IntArray) -> list[bool]:
    """Children who may be moved without splitting a family: placed, with no placed same-stage sibling."""
    instance = context.instance
    placed = schools >= 0
    keys, counts = np.unique(context.key_of_child[placed], return_counts=True)
    alone = ~np.isin(context.key_of_child, keys[counts > 1])
    return list((alone & placed & (instance.fixed_school < 0)).tolist())


def _best_seat_at(
    context: _Context,
    group: int,
    leaving: int,
    assignment: list[int],
    free: dict[int, int],
    occupants: dict[int, set[int]],
    movable: list[bool],
    taken: set[int],
) -> tuple[int, int, int] | None:
    """The cheapest way to get a seat in a group: (extra cost, child to move away or -1, its new group)."""
    if free[group] > 0:
        return 0, -1, NO_INDEX
    best: tuple[int, int, int] | None = None
    for other in sorted(occupants.get(group, ())):
        if not movable[other] or other in taken:
            continue
        other_cost = context.current_cost(other, assignment)
        for position in range(context.start[other], context.stop[other]):
            destination = context.group_list[position]
            # Arcs run nearest first, so the first seat found is this child's cheapest.
            if destination != group and (free[destination] > 0 or destination == leaving):
                option = (context.cost_list[position] - other_cost, other, destination)
                if best is None or option < best:
                    best = option
                break
    return best


class _FreeSeats(dict[int, int]):
    """Trial changes over the free seats, without copying the whole array for every plan."""

    def __init__(self, base: list[int]) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, group: int) -> int:
        return self.base[group]


def _plan_for_school(
    context: _Context,
    members: list[int],
    school: int,
    assignment: list[int],
    free: list[int],
    occupants: dict[int, set[int]],
    movable: list[bool],
) -> tuple[int, list[tuple[int, int]]] | None:
    plan_cost, moves = 0, []
    trial_free = _FreeSeats(free)
    taken: set[int] = set()
    for child in members:
        current_school = context.school_of_child(child, assignment)
        if current_school < 0 or current_school == school:
            continue  # an unplaced sibling does not split the family
        if context.fixed_school[child] >= 0:
            return None
        group = int(context.lookup[school, context.grade[child]])
        cost = context.arc_cost(child, group) if group >= 0 else None
        if cost is None:
            return None
        leaving = assignment[child]
        seat = _best_seat_at(context, group, leaving, assignment, trial_free, occupants, movable, taken)
        if seat is None:
            return None
        extra, other, destination = seat
        plan_cost += cost - context.current_cost(child, assignment) + extra
        moves.append((child, group))
        trial_free[group] = trial_free[group] - 1
        trial_free[leaving] = trial_free[leaving] + 1
        if other >= 0:
            moves.append((other, destination))
            trial_free[destination] = trial_free[destination] - 1
            trial_free[group] = trial_free[group] + 1
            taken.add(other)
    return plan_cost, moves


def repair(context: _Context, assignment_array: IntArray) -> IntArray:
    """Move split siblings together where seats are free or freeable, least distance increase first."""
    instance = context.instance
    schools = school_of(instance, assignment_array)
    split_keys = split_family_stages(family=instance.family, stage=instance.stage, school=schools)
    free = context.free_seats(assignment_array).tolist()
    movable = _movable(context, schools)
    assignment = assignment_array.tolist()
    occupants: dict[int, set[int]] = {}
    for child, group in enumerate(assignment):
        if group >= 0:
            occupants.setdefault(group, set()).add(child)
    for key in split_keys.tolist():
        members = context.members[key]
        best_plan: tuple[int, list[tuple[int, int]]] | None = None
        for school in _target_order(context, members, assignment, free)[:8]:
            plan = _plan_for_school(context, members, school, assignment, free, occupants, movable)
            if plan is not None and (best_plan is None or plan[0] < best_plan[0]):
                best_plan = plan
        if best_plan is None:
            continue
        for child, group in best_plan[1]:
            free[assignment[child]] += 1
            free[group] -= 1
            occupants[assignment[child]].discard(child)
            occupants.setdefault(group, set()).add(child)
            assignment[child] = group
    return np.array(assignment, dtype=np.int64)


def polish(context: _Context, assignment_array: IntArray) -> IntArray:
    """Children without a placed same-stage sibling take a nearer free seat when one exists."""
    movable = _movable(context, school_of(context.instance, assignment_array))
    free = context.free_seats(assignment_array).tolist()
    assignment = assignment_array.tolist()
    for child, group_now in enumerate(assignment):
        if not movable[child]:
            continue
        for position in range(context.start[child], context.stop[child]):
            group = context.group_list[position]
            if group == group_now:
                break
            if free[group] > 0:
                free[group_now] += 1
                free[group] -= 1
                assignment[child] = group
                break
    return np.array(assignment, dtype=np.int64)


def keep_siblings_together(instance: Instance, arcs: Arcs, assignment: IntArray, *, rounds: int) -> Candidate:
    context = _Context(instance, arcs)
    repaired = polish(context, repair(context, assignment))
    penalised = polish(context, repair(context, penalty_rounds(context, assignment, rounds=rounds)))
    if context.objective(penalised) < context.objective(repaired):
        return Candidate(penalised, "penalty")
    return Candidate(repaired, "repair")
