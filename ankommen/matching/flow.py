"""Transportation problems on the candidate arcs, solved with OR-Tools' network-flow solvers."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from ankommen.matching.geometry import IntArray
from ankommen.matching.instance import NO_INDEX


class FlowSolverError(RuntimeError):
    pass


def min_cost_assignment(
    *,
    num_children: int,
    arc_child: IntArray,
    arc_group: IntArray,
    arc_cost: IntArray,
    capacity: IntArray,
    part: IntArray | None = None,
) -> IntArray:
    """As _min_cost_assignment, solved separately for each part (e.g. grade) of the arcs.

    Parts share no child and no group, so the optimum is the union of the parts' optima; several small
    networks solve much faster than one big one.
    """
    if part is None:
        return _min_cost_assignment(num_children, arc_child, arc_group, arc_cost, capacity)
    assignment = np.full(num_children, NO_INDEX, dtype=np.int64)
    order = np.argsort(part, kind="stable")
    boundaries = np.flatnonzero(np.diff(part[order])) + 1
    for arcs in np.split(order, boundaries):
        if arcs.size == 0:
            continue
        partial = _min_cost_assignment(num_children, arc_child[arcs], arc_group[arcs], arc_cost[arcs], capacity)
        placed = partial >= 0
        assignment[placed] = partial[placed]
    return assignment


def _min_cost_assignment(
    num_children: int, arc_child: IntArray, arc_group: IntArray, arc_cost: IntArray, capacity: IntArray
) -> IntArray:
    """The group of every child (NO_INDEX when unplaced): most children placed first, then least total cost.

    OR-Tools finds the maximum flow first and the cheapest among the maximum flows, which is exactly the
    lexicographic order wanted, without a big "unplaced" cost that slows its cost scaling down (costs may be
    negative).
    """
    assignment = np.full(num_children, NO_INDEX, dtype=np.int64)
    if arc_child.size == 0:
        return assignment
    # Only children and groups that have arcs enter the network, numbered densely.
    children, child_node = np.unique(arc_child, return_inverse=True)
    groups, group_offset = np.unique(arc_group, return_inverse=True)
    child_count, group_count = children.size, groups.size
    source, sink = child_count + group_count, child_count + group_count + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate((child_node, child_count + np.arange(group_count), np.full(child_count, source)))
    heads = np.concatenate((child_count + group_offset, np.full(group_count, sink), np.arange(child_count)))
    capacities = np.concatenate((np.ones(arc_child.size, np.int64), capacity[groups], np.ones(child_count, np.int64)))
    costs = np.concatenate((arc_cost.astype(np.int64), np.zeros(group_count + child_count, np.int64)))
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int64), heads.astype(np.int64), capacities.astype(np.int64), costs
    )
    solver.set_node_supply(source, child_count)
    solver.set_node_supply(sink, -child_count)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise FlowSolverError(f"min-cost flow ended with status {status}")
    used = solver.flows(np.arange(arc_child.size, dtype=np.int64)) > 0
    assignment[arc_child[used]] = arc_group[used]
    return assignment


def max_placeable(*, arc_child: IntArray, arc_group: IntArray, capacity: IntArray) -> int:
    """The largest number of children the arcs and seats allow (a bound for every placement on these arcs)."""
    if arc_child.size == 0:
        return 0
    children, child_node = np.unique(arc_child, return_inverse=True)
    groups, group_offset = np.unique(arc_group, return_inverse=True)
    child_count, group_count = children.size, groups.size
    source, sink = child_count + group_count, child_count + group_count + 1
    solver = max_flow.SimpleMaxFlow()
    tails = np.concatenate((np.full(child_count, source), child_node, child_count + np.arange(group_count)))
    heads = np.concatenate((np.arange(child_count), child_count + group_offset, np.full(group_count, sink)))
    capacities = np.concatenate((np.ones(child_count + arc_child.size, np.int64), capacity[groups]))
    solver.add_arcs_with_capacity(tails.astype(np.int64), heads.astype(np.int64), capacities.astype(np.int64))
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise FlowSolverError(f"max flow ended with status {status}")
    return int(solver.optimal_flow())


def metres(km: np.ndarray) -> IntArray:
    return np.rint(np.asarray(km) * 1000.0).astype(np.int64)


__all__ = ["NO_INDEX", "FlowSolverError", "max_placeable", "metres", "min_cost_assignment"]
