"""Suppression checked against a reader who tries every assignment consistent with the published table."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from ankommen.reporting.suppression import Cell, Status, suppress_counts, suppress_table

THRESHOLD = 5


def statuses(cells: Sequence[Cell]) -> list[Status]:
    return [cell.status for cell in cells]


def test_counts_from_one_to_four_are_suppressed_and_zero_is_shown():
    cells, _total = suppress_counts([0, 1, 4, 5, 12, 20], with_total=False)
    assert statuses(cells) == [
        Status.PUBLISHED,
        Status.PRIMARY,
        Status.PRIMARY,
        Status.PUBLISHED,
        Status.PUBLISHED,
        Status.PUBLISHED,
    ]
    assert [cell.shown for cell in cells] == [0, None, None, 5, 12, 20]


def test_single_small_count_in_a_column_with_total_gets_a_second_cell_hidden():
    cells, total = suppress_counts([3, 10, 12])
    assert statuses(cells) == [Status.PRIMARY, Status.SECONDARY, Status.PUBLISHED]
    assert total is not None
    assert total.status is Status.PUBLISHED
    assert total.shown == 25


def test_the_smallest_eligible_count_is_chosen_for_secondary_suppression():
    cells, _total = suppress_counts([2, 40, 7, 9])
    assert statuses(cells) == [Status.PRIMARY, Status.PUBLISHED, Status.SECONDARY, Status.PUBLISHED]


def test_two_small_counts_whose_sum_leaves_room_need_no_secondary_suppression():
    cells, total = suppress_counts([2, 3, 20])
    assert statuses(cells) == [Status.PRIMARY, Status.PRIMARY, Status.PUBLISHED]
    assert total is not None
    assert total.status is Status.PUBLISHED


def test_two_small_counts_that_can_only_be_ones_are_protected():
    # 22 - 20 = 2 and each hidden count is at least 1: both would be 1.
    cells, _total = suppress_counts([1, 1, 20])
    assert statuses(cells) == [Status.PRIMARY, Status.PRIMARY, Status.SECONDARY]


def test_two_small_counts_that_can_only_be_fours_hide_the_total():
    # 8 = 4 + 4 is the only way; no other count can be hidden, so the total is.
    cells, total = suppress_counts([4, 4])
    assert statuses(cells) == [Status.PRIMARY, Status.PRIMARY]
    assert total is not None
    assert total.status is Status.SECONDARY


def test_a_small_total_is_suppressed_itself():
    cells, total = suppress_counts([0, 3, 0])
    assert statuses(cells) == [Status.PUBLISHED, Status.PRIMARY, Status.PUBLISHED]
    assert total is not None
    assert total.status is Status.PRIMARY


def test_a_hidden_column_with_a_small_count_cannot_be_worked_out_from_the_row_total():
    # persons 12, children 9: adults 3 would follow. Rows: [children, adults], row total = persons.
    table = suppress_table([[9, 3], [20, 30]], row_totals=True, column_totals=False, hidden_columns={1})
    assert table.cells[0][1].status is Status.HIDDEN
    assert table.cells[0][1].shown is None
    assert table.row_totals is not None
    children, persons = table.cells[0][0], table.row_totals[0]
    assert children.is_suppressed or persons.is_suppressed


def test_hidden_columns_require_row_totals():
    with pytest.raises(ValueError, match="row totals"):
        suppress_table([[1, 2]], hidden_columns={1}, row_totals=False)


def test_negative_counts_and_ragged_rows_are_refused():
    with pytest.raises(ValueError, match="negative"):
        suppress_table([[1, -2]])
    with pytest.raises(ValueError, match="same number"):
        suppress_table([[1, 2], [3]])


def test_an_empty_table_is_empty():
    table = suppress_table([], row_totals=True, column_totals=True)
    assert table.cells == []
    assert table.grand_total is not None
    assert table.grand_total.shown == 0


def test_large_counts_are_published_unchanged():
    table = suppress_table([[10, 20], [30, 40]], row_totals=True, column_totals=True)
    assert all(cell.status is Status.PUBLISHED for row in table.cells for cell in row)
    assert table.grand_total is not None
    assert table.grand_total.shown == 100


# --- An exhaustive reader -------------------------------------------------------------------------


def reader_domains(table_cells: list[Cell], cap: int) -> list[range]:
    domains = []
    for cell in table_cells:
        if cell.status is Status.PUBLISHED:
            domains.append(range(cell.value, cell.value + 1))
        elif cell.status is Status.PRIMARY:
            domains.append(range(1, THRESHOLD))
        elif cell.status is Status.SECONDARY:
            domains.append(range(THRESHOLD, cap + 1))
        else:
            domains.append(range(0, cap + 1))
    return domains


def alternative_exists(domains: list[range], equations: list[tuple[list[int], int]], target: int, true: int) -> bool:
    """Is there an assignment satisfying every equation in which cell `target` differs from `true`?"""
    order = sorted(range(len(domains)), key=lambda i: len(domains[i]))
    assignment: dict[int, int] = {}

    def consistent() -> bool:
        for parts, total in equations:
            members = [*parts, total]
            if all(m in assignment for m in members):
                if sum(assignment[p] for p in parts) != assignment[total]:
                    return False
            elif total in assignment and sum(assignment.get(p, domains[p].start) for p in parts) > assignment[total]:
                return False
        return True

    def search(position: int) -> bool:
        if position == len(order):
            return True
        cell_id = order[position]
        for value in domains[cell_id]:
            if cell_id == target and value == true:
                continue
            assignment[cell_id] = value
            if consistent() and search(position + 1):
                return True
            del assignment[cell_id]
        return False

    return search(0)


def flatten(rows: list[list[int]], hidden: set[int]) -> tuple[list[Cell], list[tuple[list[int], int]], list[int]]:
    table = suppress_table(rows, row_totals=True, column_totals=True, hidden_columns=hidden)
    assert table.row_totals is not None
    assert table.column_totals is not None
    assert table.grand_total is not None
    width = len(rows[0])
    cells = [cell for row in table.cells for cell in row]
    body_ids = [[r * width + c for c in range(width)] for r in range(len(rows))]
    row_total_ids = list(range(len(cells), len(cells) + len(rows)))
    cells += table.row_totals
    column_total_ids = list(range(len(cells), len(cells) + width))
    cells += table.column_totals
    grand_id = len(cells)
    cells.append(table.grand_total)
    equations = [(ids, total) for ids, total in zip(body_ids, row_total_ids, strict=True)]
    equations += [([ids[c] for ids in body_ids], column_total_ids[c]) for c in range(width)]
    equations += [(row_total_ids, grand_id), (column_total_ids, grand_id)]
    values = [cell.value for cell in cells]
    return cells, equations, values


@pytest.mark.parametrize("seed", range(60))
def test_no_small_count_can_be_recomputed_by_trying_every_possibility(seed):
    rng = random.Random(seed)
    height, width = rng.choice([(2, 2), (3, 2), (2, 3)])
    hidden = {width - 1} if rng.random() < 0.4 else set()
    rows = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9]) for _ in range(width)] for _ in range(height)]
    cells, equations, values = flatten(rows, hidden)
    cap = values[-1]  # every count is at most the grand total
    domains = reader_domains(cells, cap)
    # The reader may not know the grand total when it is hidden; capping it only helps the reader.
    for cell_id, cell in enumerate(cells):
        small = 0 < cell.value < THRESHOLD
        must_stay_unknown = cell.status is Status.PRIMARY or (cell.status is Status.HIDDEN and small)
        if must_stay_unknown:
            assert alternative_exists(domains, equations, cell_id, values[cell_id]), (rows, hidden, cell_id)


@pytest.mark.parametrize("seed", range(40))
def test_a_column_of_centres_keeps_every_small_count_hidden(seed):
    rng = random.Random(1000 + seed)
    values = [rng.choice([0, 0, 1, 2, 3, 4, 6, 8, 15, 40]) for _ in range(rng.randint(1, 8))]
    cells, total = suppress_counts(values)
    assert total is not None
    known = sum(c.value for c in cells if c.status is Status.PUBLISHED)
    hidden = [c for c in cells if c.is_suppressed]
    if total.status is not Status.PUBLISHED or not hidden:
        return
    residual = total.value - known
    low = sum(1 if c.status is Status.PRIMARY else THRESHOLD for c in hidden)
    for cell in hidden:
        if cell.status is Status.PRIMARY:
            others_low = low - 1
            # The reader's range for this cell: [residual - others_high, residual - others_low] ∩ [1, 4].
            others_high = sum(
                (THRESHOLD - 1) if c.status is Status.PRIMARY else residual for c in hidden if c is not cell
            )
            candidates = [v for v in range(1, THRESHOLD) if residual - others_high <= v <= residual - others_low]
            assert len(candidates) >= 2, (values, cell)
