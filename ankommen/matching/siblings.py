"""Bringing same-stage siblings to one school without placing fewer children.

From the sibling-blind optimum (a min-cost flow), families are kept together by a Lagrangian relaxation of
"same school", with families treated lazily, as in constraint generation:

1. Each family split in the current solution gets a target school: the one where its children cost least,
   counting for every child the distance plus the seat price of the school-grade (the cost of taking a seat
   there, from the flow's duals: the shortest chain of moves that frees it). A family already together at
   another school than its target gets that school as target.
2. The flow is solved again, every child of a targeted family paying `penalty` metres on arcs to other schools.
   All arcs stay, so the flow still places the most children; it unites a family where that costs less than
   the penalty, moving other children on along the cheapest chains.
3. Repeated for a few rounds, until at most `split_share` of the families the sibling-blind optimum splits are
   still split (the penalty may grow per round from the third; by default it stays).
4. The families now together are pinned to their school and the flow is solved once more without penalties,
   which takes back the detours the penalties caused for everyone else. Then, while too many families are
   still split, the cheapest repairs: a split family is moved together (a sibling moves, or frees its seat by
   moving a child without siblings) when that costs at most a limit growing by a kilometre or two per pass.
   Last, children without siblings take nearer free seats.

On the benchmark (benchmarks/placement.py) this leaves under 10 % of the sibling-blind splits at about
+4 to +6 % distance, where repairing every family costs +10 % and more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankommen.matching.flow import min_cost_assignment
from ankommen.matching.geometry import Arcs, IntArray
from ankommen.matching.instance import NO_INDEX, Instance
from ankommen.matching.metrics import split_family_stages
from ankommen.matching.prices import taking_prices


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


def repair(context: _Context, assignment_array: IntArray, *, max_cost: int | None = None) -> IntArray:
    """Move split siblings together where seats are free or freeable, at most max_cost metres more per family."""
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
        if best_plan is None or (max_cost is not None and best_plan[0] > max_cost):
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


@dataclass(frozen=True)
class SiblingSettings:
    rounds: int
    penalty_m: int  # metres per child of a targeted family placed away from its target school, first rounds
    growth: float  # factor on the penalty per round from the third while too many families are split
    split_share: float  # the rounds stop once at most this share of the sibling-blind optimum's splits is left
    repair_step_m: int = 2_000  # the repairs' limit per family grows by this many metres
    repair_max_m: int = 20_000  # up to this limit


def _key_index(instance: Instance) -> tuple[IntArray, int]:
    _, index = np.unique(instance.family * 4 + instance.stage, return_inverse=True)
    index = np.asarray(index.ravel(), dtype=np.int64)
    return index, int(index.max()) + 1 if index.size else 0


def _split_children(instance: Instance, key: IntArray, schools: IntArray) -> np.ndarray:
    split_keys = split_family_stages(family=instance.family, stage=instance.stage, school=schools)
    return np.asarray(np.isin(instance.family * 4 + instance.stage, split_keys))


def _best_schools(
    context: _Context, key: IntArray, keys: int, assignment: IntArray, seat_price: IntArray, wanted: np.ndarray
) -> IntArray:
    """Per family key of the wanted children: the school where its placed children cost least, else NO_INDEX.

    Each child counts its distance plus the seat price of the school-grade, its own seat included (a contested
    seat is as dear to keep as to take); a confirmed child fixes the school."""
    instance, arcs = context.instance, context.arcs
    placed = (assignment >= 0) & (instance.fixed_school < 0)
    members = np.bincount(key, weights=placed, minlength=keys).astype(np.int64)
    on_arc = (placed & wanted)[arcs.child]
    arc_key = key[arcs.child[on_arc]]
    arc_school = instance.group_school[arcs.group[on_arc]]
    value = context.cost[on_arc] + seat_price[arcs.group[on_arc]]
    schools = len(instance.school_ids)
    pair, pair_index = np.unique(arc_key * schools + arc_school, return_inverse=True)
    total = np.bincount(pair_index, weights=value)
    count = np.bincount(pair_index)
    complete = count == members[pair // schools]
    pair, total = pair[complete], total[complete]
    order = np.lexsort((pair % schools, total, pair // schools))
    pair = pair[order]
    first = np.r_[True, np.diff(pair // schools) != 0] if pair.size else np.zeros(0, dtype=bool)
    best = np.full(keys, NO_INDEX, dtype=np.int64)
    best[pair[first] // schools] = pair[first] % schools
    fixed = instance.fixed_school >= 0
    best[key[fixed]] = instance.fixed_school[fixed]
    return best


def _penalised(context: _Context, target: IntArray, penalty: int) -> IntArray:
    instance, arcs = context.instance, context.arcs
    wanted = target[arcs.child]
    away = (wanted >= 0) & (instance.group_school[arcs.group] != wanted)
    return np.asarray(context.cost + penalty * away, dtype=np.int64)


def _solve(context: _Context, keep: np.ndarray | None, cost: IntArray) -> IntArray:
    instance, arcs = context.instance, context.arcs
    child, group = arcs.child, arcs.group
    if keep is not None:
        child, group, cost = child[keep], group[keep], cost[keep]
    return min_cost_assignment(
        num_children=instance.size,
        arc_child=child,
        arc_group=group,
        arc_cost=cost,
        capacity=instance.group_capacity,
        part=instance.group_grade[group],
    )


def lagrangian_rounds(context: _Context, assignment: IntArray, settings: SiblingSettings) -> tuple[IntArray, int]:
    """The penalised flows of steps 1-3; returns the last assignment and the last penalty."""
    instance = context.instance
    key, keys = _key_index(instance)
    target = np.full(instance.size, NO_INDEX, dtype=np.int64)
    penalty = settings.penalty_m
    blind_splits = count_families_split(instance, assignment)
    allowed = settings.split_share * blind_splits
    current = assignment
    for number in range(settings.rounds):
        schools = school_of(instance, current)
        split = _split_children(instance, key, schools)
        splits = count_families_split(instance, current)
        if splits == 0 or (number > 0 and splits <= allowed):
            break
        if number >= 2:
            penalty = int(penalty * settings.growth)
        cost = _penalised(context, target, penalty)
        seat_price = taking_prices(
            arc_child=context.arcs.child,
            arc_group=context.arcs.group,
            arc_cost=cost,
            capacity=instance.group_capacity,
            assignment=current,
        )
        best = _best_schools(context, key, keys, current, seat_price, split)
        target = np.where(split, best[key], target)
        together = (target >= 0) & ~split & (schools >= 0)
        target = np.where(together, schools, target)
        current = _solve(context, None, _penalised(context, target, penalty))
    return current, penalty


def pinned_resolve(context: _Context, assignment: IntArray) -> IntArray:
    """Step 4: families together stay at their school; everyone else gets the least distance around them."""
    instance, arcs = context.instance, context.arcs
    key, keys = _key_index(instance)
    schools = school_of(instance, assignment)
    split = _split_children(instance, key, schools)
    size = np.bincount(key, minlength=keys)
    school_of_key = np.full(keys, NO_INDEX, dtype=np.int64)
    np.maximum.at(school_of_key, key, schools)
    pin = np.where((size[key] >= 2) & ~split, school_of_key[key], NO_INDEX)
    keep = (pin[arcs.child] < 0) | (instance.group_school[arcs.group] == pin[arcs.child])
    return _solve(context, keep, context.cost)


def count_families_split(instance: Instance, assignment: IntArray) -> int:
    schools = school_of(instance, assignment)
    return int(np.unique(split_family_stages(family=instance.family, stage=instance.stage, school=schools) // 4).size)


def keep_siblings_together(
    instance: Instance, arcs: Arcs, assignment: IntArray, *, settings: SiblingSettings
) -> Candidate:
    context = _Context(instance, arcs)
    if len(arcs) == 0 or count_families_split(instance, assignment) == 0:
        return Candidate(polish(context, assignment), "lagrangian")
    allowed = settings.split_share * count_families_split(instance, assignment)
    penalised, _ = lagrangian_rounds(context, assignment, settings)
    current = pinned_resolve(context, penalised)
    # The cheapest repairs first: a family is moved together when that costs at most `limit` metres more.
    for limit in range(settings.repair_step_m, settings.repair_max_m + 1, settings.repair_step_m):
        if count_families_split(instance, current) <= allowed:
            break
        current = repair(context, current, max_cost=limit)
    # The repairs moved children one chain at a time: around the families now together, the flow finds the
    # least distance for everyone else once more.
    current = pinned_resolve(context, current)
    return Candidate(polish(context, current), "lagrangian")
