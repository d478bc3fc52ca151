"""The placement problem's vocabulary: children, seats, school forms, stages and input validation."""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius

# The forms of the NRW school directory as the platform stores them (ankommen.regions.models.SchoolForm);
# repeated here because this package must not import Django.
SCHOOL_FORMS: tuple[str, ...] = (
    "Grundschule",
    "Hauptschule",
    "Realschule",
    "Sekundarschule",
    "Gesamtschule",
    "Gymnasium",
    "Berufskolleg",
    "Förderschule",
    "Sonstige",
)
SCHOOL_FORM_BIT = {form: 1 << position for position, form in enumerate(SCHOOL_FORMS)}
ALL_FORMS_MASK = (1 << len(SCHOOL_FORMS)) - 1

MIN_GRADE = 1
MAX_GRADE = 13

PRIMARY_MAX_KM = 10.0
SECONDARY_MAX_KM = 25.0
LAST_PRIMARY_GRADE = 4

# A generous rectangle around Germany; points outside it are typos (swapped lat/lon, missing decimals).
GERMANY_LATITUDE = (47.2, 55.1)
GERMANY_LONGITUDE = (5.8, 15.1)


class Stage(enum.IntEnum):
    PRIMARY = 1  # grades 1-4
    LOWER_SECONDARY = 2  # grades 5-10
    UPPER_SECONDARY = 3  # grades 11-13


def stage_of(grade: int) -> Stage:
    if grade <= LAST_PRIMARY_GRADE:
        return Stage.PRIMARY
    if grade <= 10:
        return Stage.LOWER_SECONDARY
    return Stage.UPPER_SECONDARY


def default_max_km(grade: int) -> float:
    return PRIMARY_MAX_KM if grade <= LAST_PRIMARY_GRADE else SECONDARY_MAX_KM


@dataclass(frozen=True, slots=True)
class Child:
    child_id: str
    family_id: str
    grade: int
    lat: float
    lon: float
    school_forms: frozenset[str] = frozenset()  # empty: any form
    max_km: float | None = None  # None: the default for the grade
    fixed_school_id: str | None = None  # a confirmed placement, kept as it is
    excluded_schools: frozenset[str] = frozenset()  # schools that declined this child before: never proposed

    @property
    def effective_max_km(self) -> float:
        return self.max_km if self.max_km is not None else default_max_km(self.grade)


@dataclass(frozen=True, slots=True)
class SeatGroup:
    school_id: str
    school_form: str
    grade: int
    seats: int
    lat: float
    lon: float


class InputErrorCode(enum.StrEnum):
    UNKNOWN_GRADE = "unknown_grade"
    UNKNOWN_SCHOOL_FORM = "unknown_school_form"
    NEGATIVE_SEATS = "negative_seats"
    OUTSIDE_GERMANY = "outside_germany"
    DUPLICATE_CHILD_ID = "duplicate_child_id"
    DUPLICATE_SEAT_GROUP = "duplicate_seat_group"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE_MAX_KM = "negative_max_km"
    MISSING_VALUE = "missing_value"
    MISSING_COLUMN = "missing_column"


@dataclass(frozen=True, slots=True)
class RowError:
    source: str  # "children" or "seats"
    row: int  # the line in a CSV file (header = 1), or the 1-based position in a list
    column: str
    code: InputErrorCode
    value: str

    def __str__(self) -> str:
        return f"{self.source} row {self.row}, {self.column}: {self.code.value} ({self.value!r})"


class PlacementInputError(ValueError):
    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors: list[RowError] = sorted(errors, key=lambda error: (error.source, error.row, error.column))
        super().__init__("\n".join(str(error) for error in self.errors))


def _coordinate_errors(source: str, row: int, lat: float, lon: float) -> list[RowError]:
    errors = []
    if not (math.isfinite(lat) and GERMANY_LATITUDE[0] <= lat <= GERMANY_LATITUDE[1]):
        errors.append(RowError(source, row, "lat", InputErrorCode.OUTSIDE_GERMANY, str(lat)))
    if not (math.isfinite(lon) and GERMANY_LONGITUDE[0] <= lon <= GERMANY_LONGITUDE[1]):
        errors.append(RowError(source, row, "lon", InputErrorCode.OUTSIDE_GERMANY, str(lon)))
    return errors


def _grade_errors(source: str, row: int, grade: int) -> list[RowError]:
    if MIN_GRADE <= grade <= MAX_GRADE:
        return []
    return [RowError(source, row, "grade", InputErrorCode.UNKNOWN_GRADE, str(grade))]


def validation_errors(
    children: Sequence[Child],
    seats: Sequence[SeatGroup],
    *,
    child_rows: Sequence[int] | None = None,
    seat_rows: Sequence[int] | None = None,
) -> list[RowError]:
    """Every error of the instance at once; rows are CSV lines when given, else 1-based positions."""
    errors: list[RowError] = []
    first_row_of_child: dict[str, int] = {}
    for position, child in enumerate(children):
        row = child_rows[position] if child_rows is not None else position + 1
        errors += _grade_errors("children", row, child.grade)
        errors += _coordinate_errors("children", row, child.lat, child.lon)
        errors += [
            RowError("children", row, "school_forms", InputErrorCode.UNKNOWN_SCHOOL_FORM, form)
            for form in sorted(child.school_forms)
            if form not in SCHOOL_FORM_BIT
        ]
        if child.max_km is not None and not (child.max_km >= 0):
            errors.append(RowError("children", row, "max_km", InputErrorCode.NEGATIVE_MAX_KM, str(child.max_km)))
        if child.child_id in first_row_of_child:
            errors.append(
                RowError(
                    "children",
                    row,
                    "child_id",
                    InputErrorCode.DUPLICATE_CHILD_ID,
                    f"{child.child_id} (first in row {first_row_of_child[child.child_id]})",
                )
            )
        else:
            first_row_of_child[child.child_id] = row
    first_row_of_group: dict[tuple[str, int], int] = {}
    for position, group in enumerate(seats):
        row = seat_rows[position] if seat_rows is not None else position + 1
        errors += _grade_errors("seats", row, group.grade)
        errors += _coordinate_errors("seats", row, group.lat, group.lon)
        if group.school_form not in SCHOOL_FORM_BIT:
            errors.append(RowError("seats", row, "school_form", InputErrorCode.UNKNOWN_SCHOOL_FORM, group.school_form))
        if group.seats < 0:
            errors.append(RowError("seats", row, "seats", InputErrorCode.NEGATIVE_SEATS, str(group.seats)))
        key = (group.school_id, group.grade)
        if key in first_row_of_group:
            errors.append(
                RowError(
                    "seats",
                    row,
                    "grade",
                    InputErrorCode.DUPLICATE_SEAT_GROUP,
                    f"{group.school_id} grade {group.grade} (first in row {first_row_of_group[key]})",
                )
            )
        else:
            first_row_of_group[key] = row
    return errors


def validate(
    children: Sequence[Child],
    seats: Sequence[SeatGroup],
    *,
    child_rows: Sequence[int] | None = None,
    seat_rows: Sequence[int] | None = None,
) -> None:
    errors = validation_errors(children, seats, child_rows=child_rows, seat_rows=seat_rows)
    if errors:
        raise PlacementInputError(errors)
