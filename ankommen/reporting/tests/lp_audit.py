"""An independent audit of a suppressed table: what can a reader work out by linear programming?

The reader sees only what is published: the shown counts, which cells are hidden and (if the table marks it)
why (primary "< k" or secondary), and the rule of the suppression module (a primary cell lies in 1..k-1, a
secondary cell is at least k, a hidden column is at least 0, zeros are shown; with one marker for both, a hidden
cell is at least 1). From the equations "every row, every column and the totals
add up" the reader computes, for each hidden cell, the smallest and the largest value any table consistent with
all of this allows. This is the strongest reader of linear constraints; it uses Google's GLOP simplex solver and
none of the module's own interval code.

The constraint matrix of a two-way table with its margins is that of a network flow (source → row total → cell →
column total → sink), hence totally unimodular: with integer bounds the LP's minimum and maximum are reached at
integer tables, so "the LP interval has width 0" is exactly "the cell's value is determined".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from ankommen.reporting.suppression import Cell, Status, SuppressedTable

INFINITY = math.inf
# GLOP reports some unbounded problems as infeasible; a cap far above any count keeps every problem bounded, and a
# maximum at the cap is read as "no upper bound".
CAP = 10_000_000


@dataclass(frozen=True)
class Feasible:
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def _prior(cell: Cell, threshold: int, marks_reasons: bool) -> tuple[float, float]:
    if cell.status is Status.PUBLISHED:
        return (cell.value, cell.value)
    if not marks_reasons and cell.status in {Status.PRIMARY, Status.SECONDARY}:
        return (1, INFINITY)
    if cell.status is Status.PRIMARY:
        return (1, threshold - 1)
    if cell.status is Status.SECONDARY:
        return (threshold, INFINITY)
    return (0, INFINITY)


def _published_layout(table: SuppressedTable) -> tuple[list[Cell], list[tuple[list[int], int]]]:
    cells: list[Cell] = [cell for row in table.cells for cell in row]
    height = len(table.cells)
    width = len(table.cells[0]) if table.cells else 0
    body = [[r * width + c for c in range(width)] for r in range(height)]
    equations: list[tuple[list[int], int]] = []
    row_ids: list[int] = []
    column_ids: list[int] = []
    if table.row_totals is not None:
        row_ids = list(range(len(cells), len(cells) + height))
        cells += table.row_totals
        equations += [(ids, total) for ids, total in zip(body, row_ids, strict=True)]
    if table.column_totals is not None:
        column_ids = list(range(len(cells), len(cells) + width))
        cells += table.column_totals
        equations += [([ids[c] for ids in body], column_ids[c]) for c in range(width)]
    if table.grand_total is not None:
        grand = len(cells)
        cells.append(table.grand_total)
        if row_ids:
            equations.append((row_ids, grand))
        if column_ids:
            equations.append((column_ids, grand))
    return cells, equations


def reader_intervals(table: SuppressedTable, *, threshold: int, marks_reasons: bool = True) -> dict[int, Feasible]:
    """For every cell that is not published (by its position in body, row totals, column totals, grand total).

    `marks_reasons`: the reader sees whether a cell is hidden as small (primary) or to protect another (secondary);
    without it they know only that a hidden cell is not zero.
    """
    cells, equations = _published_layout(table)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    assert solver is not None
    variables = []
    for index, cell in enumerate(cells):
        low, high = _prior(cell, threshold, marks_reasons)
        variables.append(solver.NumVar(low, CAP if math.isinf(high) else high, f"c{index}"))
    for parts, total in equations:
        solver.Add(sum(variables[p] for p in parts) == variables[total])
    result: dict[int, Feasible] = {}
    for index, cell in enumerate(cells):
        if cell.status is Status.PUBLISHED:
            continue
        bounds = []
        for maximise in (False, True):
            objective = solver.Objective()
            objective.Clear()
            objective.SetCoefficient(variables[index], 1)
            objective.SetMaximization() if maximise else objective.SetMinimization()
            status = solver.Solve()
            assert status == pywraplp.Solver.OPTIMAL, f"the published table is infeasible (status {status})"
            value = variables[index].solution_value()
            bounds.append(INFINITY if value >= CAP - 1 else value)
        result[index] = Feasible(low=bounds[0], high=bounds[1])
    return result


def flat_cells(table: SuppressedTable) -> list[Cell]:
    return _published_layout(table)[0]
