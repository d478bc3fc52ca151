"""The instance as numpy arrays: children, schools and seat groups (school x grade) with their remaining seats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ankommen.matching.geometry import Arcs, FloatArray, IntArray, nearest_within
from ankommen.matching.model import (
    ALL_FORMS_MASK,
    LAST_PRIMARY_GRADE,
    PRIMARY_MAX_KM,
    SCHOOL_FORM_BIT,
    SECONDARY_MAX_KM,
    Child,
    SeatGroup,
)

NO_INDEX = -1


@dataclass
class Instance:
    children: Sequence[Child]
    seats: Sequence[SeatGroup]
    grade: IntArray
    stage: IntArray
    lat: FloatArray
    lon: FloatArray
    forms_mask: IntArray
    max_km: FloatArray
    family: IntArray  # index into family ids
    fixed_school: IntArray  # school index of a confirmed placement, NO_INDEX otherwise
    school_ids: list[str]
    school_lat: FloatArray
    school_lon: FloatArray
    school_forms_mask: IntArray  # the forms a school is listed with
    group_school: IntArray
    group_grade: IntArray
    group_form_bit: IntArray
    group_seats: IntArray
    group_capacity: IntArray  # seats left after the confirmed placements
    group_by_school_grade: dict[tuple[int, int], int]
    excluded: IntArray  # sorted keys child * schools + school of the schools each child must not go to

    def is_excluded(self, children: IntArray, schools: IntArray) -> np.ndarray:
        if self.excluded.size == 0:
            return np.zeros(np.shape(children), dtype=bool)
        return np.isin(np.asarray(children) * len(self.school_ids) + np.asarray(schools), self.excluded)

    @property
    def size(self) -> int:
        return int(self.grade.size)

    def group_of(self, school: int, grade: int) -> int:
        return self.group_by_school_grade.get((school, grade), NO_INDEX)

    def school_group_lookup(self) -> IntArray:
        """A (school, grade) -> group table, NO_INDEX where the school has no seats row for the grade."""
        table = np.full((len(self.school_ids), 14), NO_INDEX, dtype=np.int64)
        table[self.group_school, self.group_grade] = np.arange(self.group_school.size)
        return table


def build_instance(children: Sequence[Child], seats: Sequence[SeatGroup]) -> Instance:
    school_index: dict[str, int] = {}
    school_lat: list[float] = []
    school_lon: list[float] = []
    school_forms: list[int] = []
    for group in seats:
        index = school_index.setdefault(group.school_id, len(school_index))
        if index == len(school_lat):
            school_lat.append(group.lat)
            school_lon.append(group.lon)
            school_forms.append(0)
        school_forms[index] |= SCHOOL_FORM_BIT[group.school_form]
    group_school = np.array([school_index[group.school_id] for group in seats], dtype=np.int64)
    group_grade = np.array([group.grade for group in seats], dtype=np.int64)
    group_seats = np.array([group.seats for group in seats], dtype=np.int64)
    group_by_school_grade = {
        (int(school), int(grade)): position
        for position, (school, grade) in enumerate(zip(group_school, group_grade, strict=True))
    }
    family_index: dict[str, int] = {}
    grade = np.array([child.grade for child in children], dtype=np.int64)
    fixed_school = np.array(
        [
            school_index.get(child.fixed_school_id, NO_INDEX) if child.fixed_school_id else NO_INDEX
            for child in children
        ],
        dtype=np.int64,
    )
    # A confirmed placement at a school missing from the seats table still stays; it just takes no listed seat.
    group_capacity = group_seats.copy()
    for child_position in np.flatnonzero(fixed_school >= 0):
        fixed_group = group_by_school_grade.get((int(fixed_school[child_position]), int(grade[child_position])))
        if fixed_group is not None:
            group_capacity[fixed_group] -= 1
    np.maximum(group_capacity, 0, out=group_capacity)
    max_km = np.array(
        [
            child.max_km
            if child.max_km is not None
            else (PRIMARY_MAX_KM if child.grade <= LAST_PRIMARY_GRADE else SECONDARY_MAX_KM)
            for child in children
        ],
        dtype=np.float64,
    )
    stage = np.where(grade <= LAST_PRIMARY_GRADE, 1, np.where(grade <= 10, 2, 3)).astype(np.int64)
    # A school that declined the child but offers no seats now needs no exclusion.
    excluded = np.unique(
        np.array(
            [
                position * len(school_index) + school_index[school_id]
                for position, child in enumerate(children)
                for school_id in child.excluded_schools
                if school_id in school_index
            ],
            dtype=np.int64,
        )
    )
    return Instance(
        children=children,
        seats=seats,
        grade=grade,
        stage=stage,
        lat=np.array([child.lat for child in children], dtype=np.float64),
        lon=np.array([child.lon for child in children], dtype=np.float64),
        forms_mask=np.array(
            [
                sum(SCHOOL_FORM_BIT[form] for form in child.school_forms) if child.school_forms else ALL_FORMS_MASK
                for child in children
            ],
            dtype=np.int64,
        ),
        max_km=max_km,
        family=np.array([family_index.setdefault(child.family_id, len(family_index)) for child in children], np.int64),
        fixed_school=fixed_school,
        school_ids=list(school_index),
        school_lat=np.array(school_lat, dtype=np.float64),
        school_lon=np.array(school_lon, dtype=np.float64),
        school_forms_mask=np.array(school_forms, dtype=np.int64),
        group_school=group_school,
        group_grade=group_grade,
        group_form_bit=np.array([SCHOOL_FORM_BIT[group.school_form] for group in seats], dtype=np.int64),
        group_seats=group_seats,
        group_capacity=group_capacity,
        group_by_school_grade=group_by_school_grade,
        excluded=excluded,
    )


def candidate_arcs(
    instance: Instance, children: IntArray, k: int | None, *, open_only: bool = True, honour_exclusions: bool = True
) -> Arcs:
    """Each child's k nearest seat groups (all with k=None) of its grade and acceptable form, with seats left,
    leaving out the schools that declined the child before."""
    parts: list[Arcs] = []
    if children.size == 0:
        return Arcs.empty()
    open_groups = np.flatnonzero(instance.group_capacity > 0) if open_only else np.arange(instance.group_school.size)
    classes = np.stack((instance.grade[children], instance.forms_mask[children]), axis=1)
    keys, inverse = np.unique(classes, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    for class_number, (grade, forms_mask) in enumerate(keys):
        members = children[inverse == class_number]
        groups = open_groups[
            (instance.group_grade[open_groups] == grade) & ((instance.group_form_bit[open_groups] & forms_mask) != 0)
        ]
        if groups.size == 0:
            continue
        schools = instance.group_school[groups]
        rows, columns, km = nearest_within(
            instance.lat[members],
            instance.lon[members],
            instance.max_km[members],
            instance.school_lat[schools],
            instance.school_lon[schools],
            k,
        )
        arc_children, arc_groups = members[rows], groups[columns]
        if honour_exclusions and instance.excluded.size:
            # The k nearest are taken before the exclusions: a child declined by some gets fewer candidates.
            allowed = ~instance.is_excluded(arc_children, instance.group_school[arc_groups])
            arc_children, arc_groups, km = arc_children[allowed], arc_groups[allowed], km[allowed]
        parts.append(Arcs(arc_children, arc_groups, km))
    return Arcs.concatenate(parts)
