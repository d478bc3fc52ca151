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
reader can get from each line. Interval reasoning alone can miss what a reader gets by
combining several lines (a cell on a "bridge" between two groups of hidden cells), so once
the intervals show nothing, every hidden cell is checked exactly by linear programming
(GLOP, on the group of hidden cells linked with it): its smallest and largest possible
values must differ. Secondary cells are protected as well as primary ones.

When the published table says only "hidden", not why (`marks_reasons=False`, as in the
evaluation extract), the reader knows less: a hidden cell is at least 1 (zeros are shown),
nothing more. Then fewer cells need to be hidden, and every table can be protected. When
the reasons are shown ("< 5" beside "x") a table may be impossible to protect (two cells
of 1 whose total is 2 and the threshold 3: the markers alone give the values away);
`SuppressedTable.safe` is False then and the table must not be published as it is.
See docs/evaluation.md for the proof by property tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

DEFAULT_THRESHOLD = 5
# With zeros shown, "< 2" would mean "1": the smallest threshold that can protect anything is 3.
MINIMUM_THRESHOLD = 3
# A tolerance for the floating-point results of the linear programs (their true optima are integers).
_EPSILON = 1e-6


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
    # False when no further cell could be hidden and a hidden count can still be worked out (see above).
    safe: bool = True


def is_small(value: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return 0 < value < threshold


def suppress_counts(
    values: Sequence[int], *, threshold: int = DEFAULT_THRESHOLD, with_total: bool = True, marks_reasons: bool = True
) -> tuple[list[Cell], Cell | None]:
    """One column of counts, optionally with its published total."""
    table = suppress_table(
        [[value] for value in values], threshold=threshold, column_totals=with_total, marks_reasons=marks_reasons
    )
    total = table.column_totals[0] if table.column_totals else None
    return [row[0] for row in table.cells], total


def suppress_table(
    rows: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    row_totals: bool = False,
    column_totals: bool = True,
    hidden_columns: Iterable[int] = (),
    marks_reasons: bool = True,
    linked_row_totals: Sequence[bool | None] | None = None,
    linked_grand_total: bool | None = None,
) -> SuppressedTable:
    """Suppress a table of counts and the totals published with it.

    `hidden_columns` are parts of a row that are never shown but follow from the others
    (adults = persons - children): they need row totals to make sense, and a small count
    in them is protected like a shown one. `marks_reasons` says whether the published table
    tells primary from secondary cells (two markers) or shows one marker for both.

    `linked_row_totals` and `linked_grand_total` say how the same totals are published in another
    table (a dashboard that shows each row's total as its own figure): True, published there, so
    they stay published here and are never picked to hide another cell (the reader knows them
    anyway); False, hidden there, so they are hidden here too (else this table would give them
    away); None, not linked. With the linked totals fixed so, the reader of both tables knows no
    more than the reader of this one, and this table is protected for that reader.
    """
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(f"The threshold must be at least {MINIMUM_THRESHOLD}: with zeros shown, '< 2' means 1.")
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("Every row must have the same number of cells.")
    if any(value < 0 for row in rows for value in row):
        raise ValueError("Counts cannot be negative.")
    hidden = frozenset(hidden_columns)
    if hidden and not row_totals:
        raise ValueError("Hidden columns follow from the row totals, so row totals are required.")

    grid = _Grid(threshold, marks_reasons=marks_reasons)
    body = [[grid.add(value, hidden=column in hidden) for column, value in enumerate(row)] for row in rows]
    row_total_ids: list[int] | None = None
    column_total_ids: list[int] | None = None
    grand_id: int | None = None
    if linked_row_totals is not None and (not row_totals or len(linked_row_totals) != len(rows)):
        raise ValueError("Linked row totals need row totals, one per row.")
    if linked_grand_total is not None and not (row_totals and column_totals):
        raise ValueError("A linked grand total needs row and column totals.")
    if row_totals:
        row_total_ids = [grid.add(sum(row)) for row in rows]
        for ids, total_id in zip(body, row_total_ids, strict=True):
            grid.equations.append((ids, total_id))
        for total_id, linked in zip(row_total_ids, linked_row_totals or [], strict=False):
            grid.link(total_id, linked)
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
        grid.link(grand_id, linked_grand_total)

    safe = grid.protect()
    return SuppressedTable(
        cells=[[grid.cell(cell_id) for cell_id in ids] for ids in body],
        row_totals=[grid.cell(i) for i in row_total_ids] if row_total_ids is not None else None,
        column_totals=[grid.cell(i) for i in column_total_ids] if column_total_ids is not None else None,
        grand_total=grid.cell(grand_id) if grand_id is not None else None,
        safe=safe,
    )


Interval = tuple[float, float]


class _Grid:
    """Cells as ids with values and statuses, and the equations `sum(parts) == total` between them."""

    def __init__(self, threshold: int, *, marks_reasons: bool = True) -> None:
        self.threshold = threshold
        self.marks_reasons = marks_reasons
        self.values: list[int] = []
        self.statuses: list[Status] = []
        self.equations: list[tuple[list[int], int]] = []
        # Cells published in a linked table: hiding them here would protect nothing.
        self.pinned: set[int] = set()

    def link(self, cell_id: int, published_elsewhere: bool | None) -> None:
        """Fix a cell to how a linked table publishes the same figure (see `suppress_table`)."""
        if published_elsewhere is None:
            return
        if not published_elsewhere:
            if self.values[cell_id] == 0:
                raise ValueError("Zeros are published: a linked table cannot have hidden this one.")
            if self.statuses[cell_id] is Status.PUBLISHED:
                self.statuses[cell_id] = Status.SECONDARY if self.values[cell_id] >= self.threshold else Status.PRIMARY
            return
        if self.statuses[cell_id] is not Status.PUBLISHED:
            raise ValueError("A small count cannot be published in a linked table: both must use the same threshold.")
        self.pinned.add(cell_id)

    def _close_pins(self) -> None:
        # A published cell whose line is otherwise made of pinned cells and zeros is known from them (a one-column
        # table's column total is its grand total; a row of one count beside zeros is its total): hiding it would
        # protect nothing, so it is pinned as well. Zeros are always shown.
        changed = bool(self.pinned)
        while changed:
            changed = False
            for parts, total in self.equations:
                free = [cell_id for cell_id in (*parts, total) if not self._known_for_good(cell_id)]
                if len(free) == 1 and self.statuses[free[0]] is Status.PUBLISHED:
                    self.pinned.add(free[0])
                    changed = True

    def _known_for_good(self, cell_id: int) -> bool:
        return cell_id in self.pinned or (self.statuses[cell_id] is Status.PUBLISHED and self.values[cell_id] == 0)

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

    def protect(self) -> bool:
        """Hide secondary cells until no hidden count can be worked out; False if that cannot be reached."""
        self._close_pins()
        # Each round hides at least one more cell, so this ends after at most len(values) rounds.
        # A round treats every cell the intervals show as revealed, except those whose lines got a new
        # secondary cell in the same round (that may already protect them): fewer rounds on large tables.
        while disclosed := self._disclosed():
            touched: set[int] = set()
            hidden_any = False
            for cell_id in disclosed:
                if cell_id in touched:
                    continue
                candidate = self._secondary_candidate(cell_id)
                if candidate is None:
                    continue
                self.statuses[candidate] = Status.SECONDARY
                hidden_any = True
                for parts, total in self.equations:
                    members = {*parts, total}
                    if candidate in members:
                        touched |= members
            if not hidden_any:
                # No candidate near the revealed cells (their lines hold only hidden or pinned cells). Hiding a
                # further count never narrows what a reader can work out, so widen to any line with a hidden
                # cell; nothing left to hide means the table cannot be protected.
                fallback = self._any_candidate()
                if fallback is None:
                    return False
                self.statuses[fallback] = Status.SECONDARY
        return True

    def _any_candidate(self) -> int | None:
        near = [
            cell_id
            for parts, total in self.equations
            if any(self.statuses[member] is not Status.PUBLISHED for member in (*parts, total))
            for cell_id in (*parts, total)
            if self._is_candidate(cell_id)
        ]
        pool = near or [cell_id for cell_id in range(len(self.values)) if self._is_candidate(cell_id)]
        return min(pool, key=lambda cell_id: (self.values[cell_id], cell_id)) if pool else None

    def _prior(self, cell_id: int) -> Interval:
        status = self.statuses[cell_id]
        if status is Status.PUBLISHED:
            return (self.values[cell_id], self.values[cell_id])
        if not self.marks_reasons and status in {Status.PRIMARY, Status.SECONDARY}:
            # One marker for both: the reader knows only that the cell is not zero.
            return (1, math.inf)
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
            if low == high:
                continue  # known already (most cells are published): nothing to narrow
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
        if status in {Status.PRIMARY, Status.SECONDARY}:
            return True
        return status is Status.HIDDEN and is_small(self.values[cell_id], self.threshold)

    def _disclosed(self) -> list[int]:
        bounds = self._reader_intervals()
        found = [
            cell_id for cell_id, (low, high) in enumerate(bounds) if self._must_stay_unknown(cell_id) and low == high
        ]
        if found:
            return found
        exact = self._first_disclosed_exactly()
        return [] if exact is None else [exact]

    def _first_disclosed_exactly(self) -> int | None:
        """The first hidden cell whose value a reader gets by combining lines, found by linear programming."""
        unknown = [cell_id for cell_id, status in enumerate(self.statuses) if status is not Status.PUBLISHED]
        protected = [cell_id for cell_id in unknown if self._must_stay_unknown(cell_id)]
        if not protected:
            return None
        from ortools.linear_solver import pywraplp

        for group in self._linked_groups(unknown):
            members = [cell_id for cell_id in group if self._must_stay_unknown(cell_id)]
            if not members:
                continue
            solver = pywraplp.Solver.CreateSolver("GLOP")
            if solver is None:  # pragma: no cover - GLOP ships with ortools
                raise RuntimeError("The GLOP solver of ortools is missing.")
            cap = self._cap()
            variables = {}
            for cell_id in group:
                low, high = self._prior(cell_id)
                variables[cell_id] = solver.NumVar(low, cap if math.isinf(high) else high, f"c{cell_id}")
            in_group = set(group)
            for parts, total in self.equations:
                if not in_group.intersection([*parts, total]):
                    continue
                known = sum(self.values[p] for p in [*parts, total] if p not in in_group and p in parts)
                known_total = self.values[total] if total not in in_group else 0
                left = sum(variables[p] for p in parts if p in in_group)
                right = variables[total] if total in in_group else 0
                solver.Add(left + known == right + known_total)
            for cell_id in members:
                # The true value is feasible: the cell is determined exactly when neither direction leaves it.
                determined = True
                for maximise in (True, False):
                    objective = solver.Objective()
                    objective.Clear()
                    objective.SetCoefficient(variables[cell_id], 1)
                    if maximise:
                        objective.SetMaximization()
                    else:
                        objective.SetMinimization()
                    if solver.Solve() != pywraplp.Solver.OPTIMAL:  # pragma: no cover - the true values are feasible
                        raise RuntimeError("The suppressed table has no solution; this is a bug.")
                    if abs(variables[cell_id].solution_value() - self.values[cell_id]) > _EPSILON:
                        determined = False
                        break
                if determined:
                    return cell_id
        return None

    def _cap(self) -> float:
        # Far above any count of the table: GLOP reports some unbounded problems as infeasible.
        return float(10 * (sum(self.values) + self.threshold) + 1000)

    def _linked_groups(self, unknown: list[int]) -> list[list[int]]:
        """Hidden cells that share an equation, directly or through other hidden cells."""
        parent = {cell_id: cell_id for cell_id in unknown}

        def root(cell_id: int) -> int:
            while parent[cell_id] != cell_id:
                parent[cell_id] = parent[parent[cell_id]]
                cell_id = parent[cell_id]
            return cell_id

        for parts, total in self.equations:
            members = [cell_id for cell_id in [*parts, total] if cell_id in parent]
            for other in members[1:]:
                parent[root(other)] = root(members[0])
        groups: dict[int, list[int]] = {}
        for cell_id in unknown:
            groups.setdefault(root(cell_id), []).append(cell_id)
        return list(groups.values())

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
        return (
            self.statuses[cell_id] is Status.PUBLISHED
            and self.values[cell_id] >= self.threshold
            and cell_id not in self.pinned
        )


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
