"""Small-number suppression for published tables of counts. Plain Python: no Django.

Primary suppression hides every count from 1 to `threshold - 1` (shown as "< 5").
Secondary suppression hides further cells so that no hidden cell can be recomputed
from the totals that are published with the table.

The reader is modelled as someone who knows every published value, the totals and the
rules of this module: a primary cell lies in 1..threshold-1, a secondary cell is at
least `threshold` (secondary cells are chosen only among such counts), and a hidden
column (say "adults", when "persons" and "children" are published) is at least zero.
From each equation "the parts add up to the total" the reader narrows every unknown
cell to an interval; the intervals are tightened until nothing changes. A table is safe
when no small count (primary cell, or a small count in a hidden column) is narrowed to
one value. For one-way and two-way tables with totals this interval reasoning is what a
reader can get from each line; it is not a full linear-programming audit of arbitrary
linked tables, which Ankommen does not publish.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

DEFAULT_THRESHOLD = 5


class Status(Enum):
    PUBLISHED = "published"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class Cell:
    value: int
    status: Status

    @property
    def shown(self) -> int | None:
        return self.value if self.status is Status.PUBLISHED else None

    @property
    def is_suppressed(self) -> bool:
        return self.status in {Status.PRIMARY, Status.SECONDARY}


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell] | None
    grand_total: Cell | None


def is_small(value: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return 0 < value < threshold


def suppress_counts(
    values: Sequence[int], *, threshold: int = DEFAULT_THRESHOLD, with_total: bool = True
) -> tuple[list[Cell], Cell | None]:
    """One column of counts, optionally with its published total."""
    table = suppress_table([[value] for value in values], threshold=threshold, column_totals=with_total)
    total = table.column_totals[0] if table.column_totals else None
    return [row[0] for row in table.cells], total


def suppress_table(
    rows: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool = False,
    column_totals: bool = True,
    hidden_columns: Iterable[int] = (),
) -> SuppressedTable:
    """Suppress a table of counts and the totals published with it.

    `hidden_columns` are parts of a row that are never shown but follow from the others
    (adults = persons - children): they need row totals to make sense, and a small count
    in them is protected like a shown one.
    """
    if threshold < 2:
        raise ValueError("The threshold must be at least 2.")
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row must have the same number of cells.")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("Counts cannot be negative.")
    hidden = frozenset(hidden_columns)
    if hidden and not row_totals:
        raise ValueError("Hidden columns follow from the row totals, so row totals are required.")

    grid = _Grid(threshold)
    body = [[grid.add(value, hidden=column in hidden) for column, value in enumerate(row)] for row in rows]
    row_total_ids: list[int] | None = None
    column_total_ids: list[int] | None = None
    grand_id: int | None = None
    if row_totals:
        row_total_ids = [grid.add(sum(row)) for row in rows]
        for ids, total_id in zip(body, row_total_ids, strict=True):
            grid.equations.append((ids, total_id))
    if column_totals:
        column_total_ids = [
            grid.add(sum(row[column] for row in rows), hidden=column in hidden) for column in range(width)
        ]
        for column, total_id in enumerate(column_total_ids):
            grid.equations.append(([ids[column] for ids in body], total_id))
    if row_total_ids is not None and column_total_ids is not None:
        grand_id = grid.add(sum(sum(row) for row in rows))
        grid.equations.append((row_total_ids, grand_id))
        grid.equations.append((column_total_ids, grand_id))

    grid.protect()
    return SuppressedTable(
        cells=[[grid.cell(cell_id) for cell_id in ids] for ids in body],
        row_totals=[grid.cell(i) for i in row_total_ids] if row_total_ids is not None else None,
        column_totals=[grid.cell(i) for i in column_total_ids] if column_total_ids is not None else None,
        grand_total=grid.cell(grand_id) if grand_id is not None else None,
    )


Interval = tuple[float, float]


class _Grid:
    """Cells as ids with values and statuses, and the equations `sum(parts) == total` between them."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.values: list[int] = []
        self.statuses: list[Status] = []
        self.equations: list[tuple[list[int], int]] = []

    def add(self, value: int, *, hidden: bool = False) -> int:
        self.values.append(value)
        if hidden:
            status = Status.HIDDEN
        elif is_small(value, self.threshold):
            status = Status.PRIMARY
        else:
            status = Status.PUBLISHED
        self.statuses.append(status)
        return len(self.values) - 1

    def cell(self, cell_id: int) -> Cell:
        return Cell(value=self.values[cell_id], status=self.statuses[cell_id])

    def protect(self) -> None:
        # Each round hides at least one more cell, so this ends after at most len(values) rounds.
        while (disclosed := self._first_disclosed()) is not None:
            candidate = self._secondary_candidate(disclosed)
            if candidate is None:
                return
            self.statuses[candidate] = Status.SECONDARY

    def _prior(self, cell_id: int) -> Interval:
        status = self.statuses[cell_id]
        if status is Status.PUBLISHED:
            return (self.values[cell_id], self.values[cell_id])
        if status is Status.PRIMARY:
            return (1, self.threshold - 1)
        if status is Status.SECONDARY:
            return (self.threshold, math.inf)
        return (0, math.inf)

    def _reader_intervals(self) -> list[Interval]:
        bounds = [self._prior(cell_id) for cell_id in range(len(self.values))]
        for _ in range(len(self.values) + 1):
            changed = False
            for parts, total in self.equations:
                changed |= self._narrow(bounds, parts, total)
            if not changed:
                break
        return bounds

    @staticmethod
    def _narrow(bounds: list[Interval], parts: list[int], total: int) -> bool:
        changed = False
        parts_low = sum(bounds[part][0] for part in parts)
        parts_high = sum(bounds[part][1] for part in parts)
        changed |= _tighten(bounds, total, parts_low, parts_high)
        total_low, total_high = bounds[total]
        for part in parts:
            low, high = bounds[part]
            others_low = parts_low - low
            others_high = parts_high - high
            # inf - inf is undefined: with an unbounded other part the bound says nothing.
            derived_low = total_low - others_high if not math.isinf(others_high) else -math.inf
            derived_high = total_high - others_low if not math.isinf(total_high) else math.inf
            if _tighten(bounds, part, derived_low, derived_high):
                changed = True
                parts_low = sum(bounds[p][0] for p in parts)
                parts_high = sum(bounds[p][1] for p in parts)
        return changed

    def _must_stay_unknown(self, cell_id: int) -> bool:
        status = self.statuses[cell_id]
        if status is Status.PRIMARY:
            return True
        return status is Status.HIDDEN and is_small(self.values[cell_id], self.threshold)

    def _first_disclosed(self) -> int | None:
        bounds = self._reader_intervals()
        for cell_id, (low, high) in enumerate(bounds):
            if self._must_stay_unknown(cell_id) and low == high:
                return cell_id
        return None

    def _secondary_candidate(self, disclosed: int) -> int | None:
        """The smallest published count of at least `threshold` near the revealed cell.

        The equations holding the cell come first; if they offer no candidate, the search
        widens through the other unknown cells of those equations, which is how the value
        leaked. Inner cells are preferred to totals, so that totals stay published where possible.
        """
        reached = {disclosed}
        frontier = {disclosed}
        used: set[int] = set()
        while frontier:
            inner: list[int] = []
            totals: list[int] = []
            next_frontier: set[int] = set()
            for index, (parts, total) in enumerate(self.equations):
                if index in used or not frontier.intersection([*parts, total]):
                    continue
                used.add(index)
                inner.extend(part for part in parts if self._is_candidate(part))
                if self._is_candidate(total):
                    totals.append(total)
                next_frontier.update(
                    cell_id for cell_id in [*parts, total] if self.statuses[cell_id] is not Status.PUBLISHED
                )
            for pool in (inner, totals):
                if pool:
                    return min(pool, key=lambda cell_id: (self.values[cell_id], cell_id))
            frontier = next_frontier - reached
            reached |= next_frontier
        return None

    def _is_candidate(self, cell_id: int) -> bool:
        return self.statuses[cell_id] is Status.PUBLISHED and self.values[cell_id] >= self.threshold


def _tighten(bounds: list[Interval], cell_id: int, low: float, high: float) -> bool:
    old_low, old_high = bounds[cell_id]
    new = (max(old_low, low), min(old_high, high))
    if new[0] > new[1]:
        # Inconsistent only through rounding of infinities; keep what the reader already knew.
        return False
    if new != (old_low, old_high):
        bounds[cell_id] = new
        return True
    return False
