"""Seat prices: the dual values of a min-cost assignment, per seat group (school x grade), in metres.

For an optimal assignment of the transportation problem the LP duals satisfy, on every candidate arc,
`cost(child, group) + price(group) >= value(child)`, with equality on the arc the child uses, and price 0 where
seats are left. Two prices per group are useful:

- `gain_prices`: the least dual prices, i.e. what one more seat in the group saves (the shortest chain of moves
  ending in that group); a group reached from a child left unplaced gets UNPLACED_VALUE minus the chain, as one
  more seat there places one more child;
- `taking_prices`: what taking one seat from a full group costs (the shortest chain of moves from it to a free
  seat); UNPLACED_VALUE when no such chain exists within the arcs.

Both are label-correcting shortest paths over the arcs, vectorised per round with numpy.
"""

from __future__ import annotations

import numpy as np

from ankommen.matching.geometry import IntArray

# The value of placing one more child, in metres: above any chain of distances, far below int64's range.
UNPLACED_VALUE = 10**9
MAX_ROUNDS = 1000


def _own_cost(
    size: int, arc_child: IntArray, arc_group: IntArray, arc_cost: IntArray, assignment: IntArray
) -> IntArray:
    own = np.zeros(size, dtype=np.int64)
    used = assignment[arc_child] == arc_group
    own[arc_child[used]] = arc_cost[used]
    return own


def _full(assignment: IntArray, capacity: IntArray) -> np.ndarray:
    used = np.bincount(assignment[assignment >= 0], minlength=capacity.size)
    return np.asarray(used >= capacity)


def gain_prices(
    *, arc_child: IntArray, arc_group: IntArray, arc_cost: IntArray, capacity: IntArray, assignment: IntArray
) -> IntArray:
    """Per group: the cost one more seat there saves (UNPLACED_VALUE and above: it places a waiting child)."""
    prices = np.zeros(capacity.size, dtype=np.int64)
    full = _full(assignment, capacity)
    own = _own_cost(assignment.size, arc_child, arc_group, arc_cost, assignment)
    order = np.argsort(arc_group, kind="stable")
    child, group, cost = arc_child[order], arc_group[order], arc_cost[order]
    keep = full[group] & (assignment[child] != group)
    child, group, cost = child[keep], group[keep], cost[keep]
    if child.size == 0:
        return prices
    starts = np.flatnonzero(np.r_[True, np.diff(group) != 0])
    groups = group[starts]
    placed = assignment >= 0
    for _ in range(MAX_ROUNDS):
        value = np.where(placed, own + prices[np.maximum(assignment, 0)], UNPLACED_VALUE)
        new = np.maximum(np.maximum.reduceat(value[child] - cost, starts), 0)
        if np.array_equal(new, prices[groups]):
            break
        prices[groups] = new
    return prices


def taking_prices(
    *, arc_child: IntArray, arc_group: IntArray, arc_cost: IntArray, capacity: IntArray, assignment: IntArray
) -> IntArray:
    """Per group: the cost of freeing one seat there by moving its children on (0 where seats are left)."""
    full = _full(assignment, capacity)
    prices = np.where(full, UNPLACED_VALUE, 0).astype(np.int64)
    own = _own_cost(assignment.size, arc_child, arc_group, arc_cost, assignment)
    leaving = assignment[arc_child]
    keep = (leaving >= 0) & (leaving != arc_group)
    keep[keep] = full[leaving[keep]]
    source, destination = leaving[keep], arc_group[keep]
    step = arc_cost[keep] - own[arc_child[keep]]
    if source.size == 0:
        return prices
    order = np.argsort(source, kind="stable")
    source, destination, step = source[order], destination[order], step[order]
    starts = np.flatnonzero(np.r_[True, np.diff(source) != 0])
    groups = source[starts]
    for _ in range(MAX_ROUNDS):
        new = np.minimum(prices[groups], np.minimum.reduceat(step + prices[destination], starts))
        if np.array_equal(new, prices[groups]):
            break
        prices[groups] = new
    return prices


__all__ = ["UNPLACED_VALUE", "gain_prices", "taking_prices"]
