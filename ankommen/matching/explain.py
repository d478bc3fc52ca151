"""Why each child got its school, or none: codes and values only, so the caller can phrase them in any language."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from ankommen.matching.geometry import Arcs, FloatArray, IntArray, nearest_within
from ankommen.matching.instance import Instance, candidate_arcs

NEARER_SCHOOLS_SHOWN = 3


class ReasonCode(enum.StrEnum):
    CONFIRMED = "confirmed"  # a confirmed placement, kept
    NEAREST = "nearest"  # no school is nearer
    NEARER_UNAVAILABLE = "nearer_unavailable"  # nearer schools exist; see nearer_schools for why not
    NO_ACCEPTABLE_SCHOOL_WITHIN_MAX_KM = "no_acceptable_school_within_max_km"
    ALL_WITHIN_MAX_KM_FULL = "all_within_max_km_full"
    # Every acceptable school within max_km with seats for the grade has declined this child before.
    DECLINED_BY_SCHOOL = "declined_by_school"


class NearerReason(enum.StrEnum):
    FULL = "full"
    OTHER_SCHOOL_FORM = "other_school_form"
    NO_SEATS_FOR_GRADE = "no_seats_for_grade"
    BEYOND_MAX_DISTANCE = "beyond_max_distance"
    KEEPS_SIBLINGS_TOGETHER = "keeps_siblings_together"
    DECLINED_BEFORE = "declined_before"  # the school declined this child before


@dataclass(frozen=True, slots=True)
class NearerSchool:
    school_id: str
    distance_km: float
    reason: NearerReason


@dataclass(frozen=True, slots=True)
class Placement:
    child_id: str
    school_id: str | None
    distance_km: float | None
    reason: ReasonCode
    max_km: float
    nearer_schools: tuple[NearerSchool, ...] = ()
    reachable_schools: int = 0  # for an unplaced child: open seat groups within its max_km

    @property
    def placed(self) -> bool:
        return self.school_id is not None

    def reason_text(self) -> str:
        """The code, then its detail, for files: `nearer_unavailable 100020:full:1.23km;...`."""
        if self.reason == ReasonCode.NEARER_UNAVAILABLE:
            detail = ";".join(
                f"{school.school_id}:{school.reason.value}:{school.distance_km:.2f}km" for school in self.nearer_schools
            )
            return f"{self.reason.value} {detail}"
        if self.reason == ReasonCode.ALL_WITHIN_MAX_KM_FULL:
            return f"{self.reason.value} schools={self.reachable_schools};max_km={self.max_km:g}"
        if self.reason == ReasonCode.NO_ACCEPTABLE_SCHOOL_WITHIN_MAX_KM:
            return f"{self.reason.value} max_km={self.max_km:g}"
        return self.reason.value


def _nearer_reason(
    instance: Instance, child: int, school: int, km: float, free: IntArray, lookup: IntArray
) -> NearerReason:
    if instance.is_excluded(np.array([child]), np.array([school]))[0]:
        return NearerReason.DECLINED_BEFORE
    if instance.school_forms_mask[school] & instance.forms_mask[child] == 0:
        return NearerReason.OTHER_SCHOOL_FORM
    group = int(lookup[school, instance.grade[child]])
    if group < 0 or instance.group_seats[group] == 0:
        return NearerReason.NO_SEATS_FOR_GRADE
    if km > instance.max_km[child]:
        return NearerReason.BEYOND_MAX_DISTANCE
    if free[group] <= 0:
        return NearerReason.FULL
    return NearerReason.KEEPS_SIBLINGS_TOGETHER


def explain(
    instance: Instance, arcs: Arcs, assignment: IntArray, schools: IntArray, distance: FloatArray
) -> list[Placement]:
    used = np.bincount(assignment[assignment >= 0], minlength=instance.group_school.size)
    free = instance.group_capacity - used
    lookup = instance.school_group_lookup()
    placed = np.flatnonzero((schools >= 0) & (instance.fixed_school < 0))
    # The nearest few schools of any form closer than the chosen one; a millimetre off so the chosen one is out.
    rows, nearer, nearer_km = nearest_within(
        instance.lat[placed],
        instance.lon[placed],
        np.maximum(distance[placed] - 1e-6, 0.0),
        instance.school_lat,
        instance.school_lon,
        NEARER_SCHOOLS_SHOWN + 1,
    )
    order = np.lexsort((nearer, nearer_km, rows))
    nearer_by_child: dict[int, list[NearerSchool]] = {}
    for row, school, km in zip(rows[order], nearer[order], nearer_km[order], strict=True):
        child = int(placed[row])
        if school == schools[child]:
            continue
        shown = nearer_by_child.setdefault(child, [])
        if len(shown) < NEARER_SCHOOLS_SHOWN:
            reason = _nearer_reason(instance, child, int(school), float(km), free, lookup)
            shown.append(NearerSchool(instance.school_ids[school], round(float(km), 3), reason))
    reachable = np.bincount(arcs.child, minlength=instance.size)
    unplaced = np.flatnonzero(schools < 0)
    # An unplaced child without open groups in reach may still have full ones there: "all full", not "none".
    # With exclusions the nearest school may be a declined one: then all within reach are looked at.
    nearest = None if instance.excluded.size else 1
    any_within = candidate_arcs(instance, unplaced[reachable[unplaced] == 0], nearest, open_only=False)
    has_full_school = np.zeros(instance.size, dtype=bool)
    has_full_school[any_within.child] = True
    has_declined_school = np.zeros(instance.size, dtype=bool)
    if instance.excluded.size:
        lonely = unplaced[(reachable[unplaced] == 0) & ~has_full_school[unplaced]]
        declined = candidate_arcs(instance, lonely, 1, open_only=False, honour_exclusions=False)
        has_declined_school[declined.child] = True
    placements = []
    for child, record in enumerate(instance.children):
        max_km = float(instance.max_km[child])
        school = int(schools[child])
        if school < 0:
            if reachable[child] > 0 or has_full_school[child]:
                code = ReasonCode.ALL_WITHIN_MAX_KM_FULL
            elif has_declined_school[child]:
                code = ReasonCode.DECLINED_BY_SCHOOL
            else:
                code = ReasonCode.NO_ACCEPTABLE_SCHOOL_WITHIN_MAX_KM
            placements.append(Placement(record.child_id, None, None, code, max_km, (), int(reachable[child])))
            continue
        km = round(float(distance[child]), 3)
        shown_nearer: tuple[NearerSchool, ...] = ()
        if instance.fixed_school[child] >= 0:
            code = ReasonCode.CONFIRMED
        else:
            shown_nearer = tuple(nearer_by_child.get(child, ()))
            code = ReasonCode.NEARER_UNAVAILABLE if shown_nearer else ReasonCode.NEAREST
        placements.append(Placement(record.child_id, instance.school_ids[school], km, code, max_km, shown_nearer))
    return placements
