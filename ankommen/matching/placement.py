"""Command line: `python -m ankommen.matching.placement --children children.csv --seats seats.csv --out out.csv`.

children.csv: child_id,family_id,grade,lat,lon,school_forms,max_km (school_forms separated by "|", empty = any;
max_km empty = the grade's default; an optional fixed_school_id column keeps confirmed placements, an optional
excluded_schools column, separated by "|", names schools that declined the child before).
seats.csv: school_id,school_form,grade,seats,lat,lon.
placements.csv: child_id,school_id,distance_km,reason, one row per child; school_id empty when unplaced.
Exit status 2 with every bad row on stderr, and no output file, when the input is bad.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ankommen.matching.engine import place
from ankommen.matching.model import Child, InputErrorCode, PlacementInputError, RowError, SeatGroup, validation_errors

CHILD_COLUMNS = ("child_id", "family_id", "grade", "lat", "lon", "school_forms", "max_km")
SEAT_COLUMNS = ("school_id", "school_form", "grade", "seats", "lat", "lon")
OUTPUT_COLUMNS = ("child_id", "school_id", "distance_km", "reason")
EXIT_BAD_INPUT = 2


class _RowReader:
    def __init__(self, source: str, row: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.source, self.row, self.values, self.errors = source, row, values, errors

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.values.get(column) or "").strip()
        if required and not value:
            self.errors.append(RowError(self.source, self.row, column, InputErrorCode.MISSING_VALUE, value))
        return value

    def number(self, column: str, kind: type[int] | type[float]) -> float:
        value = self.text(column)
        if not value:
            return kind(0)
        try:
            return kind(value)
        except ValueError:
            self.errors.append(RowError(self.source, self.row, column, InputErrorCode.NOT_A_NUMBER, value))
            return kind(0)


def _read_csv(path: Path, source: str, columns: Sequence[str], errors: list[RowError]) -> list[tuple[int, dict]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        errors += [RowError(source, 1, column, InputErrorCode.MISSING_COLUMN, column) for column in missing]
        if missing:
            return []
        # Row numbers are the file's lines: the header is line 1.
        return [(line, row) for line, row in enumerate(reader, start=2)]


def read_children(path: Path, errors: list[RowError]) -> tuple[list[Child], list[int]]:
    children, rows = [], []
    for line, values in _read_csv(path, "children", CHILD_COLUMNS, errors):
        reader = _RowReader("children", line, values, errors)
        forms = frozenset(
            form.strip() for form in reader.text("school_forms", required=False).split("|") if form.strip()
        )
        max_km_text = reader.text("max_km", required=False)
        children.append(
            Child(
                child_id=reader.text("child_id"),
                family_id=reader.text("family_id"),
                grade=int(reader.number("grade", int)),
                lat=reader.number("lat", float),
                lon=reader.number("lon", float),
                school_forms=forms,
                max_km=reader.number("max_km", float) if max_km_text else None,
                fixed_school_id=reader.text("fixed_school_id", required=False) or None,
                excluded_schools=frozenset(
                    school.strip()
                    for school in reader.text("excluded_schools", required=False).split("|")
                    if school.strip()
                ),
            )
        )
        rows.append(line)
    return children, rows


def read_seats(path: Path, errors: list[RowError]) -> tuple[list[SeatGroup], list[int]]:
    seats, rows = [], []
    for line, values in _read_csv(path, "seats", SEAT_COLUMNS, errors):
        reader = _RowReader("seats", line, values, errors)
        seats.append(
            SeatGroup(
                school_id=reader.text("school_id"),
                school_form=reader.text("school_form"),
                grade=int(reader.number("grade", int)),
                seats=int(reader.number("seats", int)),
                lat=reader.number("lat", float),
                lon=reader.number("lon", float),
            )
        )
        rows.append(line)
    return seats, rows


def _write_atomically(path: Path, rows: list[list[str]]) -> None:
    # A temporary file in the same directory, renamed at the end: readers never see half a file.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as output:
            writer = csv.writer(output)
            writer.writerow(OUTPUT_COLUMNS)
            writer.writerows(rows)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ankommen.matching.placement", description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=Path, required=True)
    parser.add_argument("--seats", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("-k", type=int, default=30, help="candidate schools per child (default 30)")
    arguments = parser.parse_args(argv)
    started = time.perf_counter()
    errors: list[RowError] = []
    children, child_rows = read_children(arguments.children, errors)
    seats, seat_rows = read_seats(arguments.seats, errors)
    # Rows that could not be read are reported once; their remaining checks would only repeat them.
    unreadable = {(error.source, error.row) for error in errors}
    readable_children = [position for position, row in enumerate(child_rows) if ("children", row) not in unreadable]
    readable_seats = [position for position, row in enumerate(seat_rows) if ("seats", row) not in unreadable]
    errors += validation_errors(
        [children[position] for position in readable_children],
        [seats[position] for position in readable_seats],
        child_rows=[child_rows[position] for position in readable_children],
        seat_rows=[seat_rows[position] for position in readable_seats],
    )
    if errors:
        for error in PlacementInputError(errors).errors:
            print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = place(children, seats, k=arguments.k)
    _write_atomically(
        arguments.out,
        [
            [
                placement.child_id,
                placement.school_id or "",
                f"{placement.distance_km:.3f}" if placement.distance_km is not None else "",
                placement.reason_text(),
            ]
            for placement in result.placements
        ],
    )
    summary = result.summary
    distances = np.array(
        [placement.distance_km for placement in result.placements if placement.distance_km is not None],
        dtype=np.float64,
    )
    p95_km = float(np.percentile(distances, 95)) if distances.size else 0.0
    print(
        f"placed {summary.placed} of {summary.children}, families split {summary.families_split}, "
        f"total {summary.total_km:.1f} km, p95 {p95_km:.2f} km, "
        f"time {time.perf_counter() - started:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
