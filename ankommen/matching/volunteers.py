"""Matching volunteers to support requests: scores, ranked suggestions and the batch proposal. No Django.

A volunteer can take a request when they are verified, have capacity left, live within their own radius of the
request's place and, for a request that involves minors, hold a valid clearance inspection. Among those, the score
(0–100) adds six weighted parts, each between 0 and 1:

- language: the best level the volunteer has in one of the languages the request needs (1 if it needs none);
- distance: 1 at the request's door, 0 at the edge of the volunteer's radius;
- availability: the share of the request's time windows the volunteer is available in (1 if it names none);
- activity: 1 if the volunteer offers the requested activity;
- certificate: 1 with a valid clearance inspection;
- load: 1 for a volunteer without open assignments, falling with each one, so that work is spread fairly.

`suggest` ranks the volunteers for one request, vectorised over the whole pool. `batch_optimal` proposes
assignments for many requests at once: as many requests matched as the capacities allow, and among those the
highest total score (a min-cost flow); `batch_greedy` is the first-come baseline: each request in the order it was
opened takes its best volunteer with capacity left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ankommen.matching.flow import min_cost_assignment
from ankommen.matching.geometry import haversine_km

# Seven days x three parts of the day: bit (day * 3 + part), Monday morning is bit 0.
DAYS = 7
PARTS_OF_DAY = 3
SLOT_COUNT = DAYS * PARTS_OF_DAY
ALL_SLOTS = (1 << SLOT_COUNT) - 1

# Self-assessed language levels and what each is worth for talking with a family.
LEVEL_VALUES: dict[str, float] = {
    "native": 1.0,
    "C2": 1.0,
    "C1": 0.9,
    "B2": 0.75,
    "B1": 0.6,
    "A2": 0.35,
    "A1": 0.2,
}
LEVEL_CODES = tuple(LEVEL_VALUES)

WEIGHTS: dict[str, float] = {
    "language": 30.0,
    "distance": 20.0,
    "availability": 20.0,
    "activity": 15.0,
    "certificate": 5.0,
    "load": 10.0,
}
PARTS = tuple(WEIGHTS)
# The batch proposal leaves a request open rather than propose a volunteer scoring below this.
MIN_BATCH_SCORE = 40.0
# The batch considers each request's best candidates only; more would change nothing in practice.
BATCH_CANDIDATES = 30


class MatchingInputError(ValueError):
    pass


@dataclass(frozen=True)
class VolunteerProfile:
    id: int
    latitude: float
    longitude: float
    radius_km: float
    languages: dict[str, str]  # language code -> level code
    activities: frozenset[str]
    availability: int  # bit mask of SLOT_COUNT slots
    capacity: int  # maximum parallel assignments
    load: int = 0  # open assignments (proposed or active)
    verified: bool = True
    certificate_valid: bool = False


@dataclass(frozen=True)
class RequestNeed:
    id: int
    latitude: float
    longitude: float
    activity: str
    languages: tuple[str, ...] = ()
    availability: int = 0
    involves_minors: bool = False


@dataclass(frozen=True)
class Suggestion:
    volunteer_id: int
    score: float
    distance_km: float
    parts: dict[str, float]  # part -> its points (weight x value), summing to the score


def popcount(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.asarray(np.bitwise_count(values), dtype=np.int64)


@dataclass
class VolunteerPool:
    """The volunteers of one centre as arrays, built once and scored against many requests."""

    ids: npt.NDArray[np.int64]
    latitude: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]
    radius_km: npt.NDArray[np.float64]
    availability: npt.NDArray[np.int64]
    capacity: npt.NDArray[np.int64]
    load: npt.NDArray[np.int64]
    eligible: npt.NDArray[np.bool_]  # verified
    certificate_valid: npt.NDArray[np.bool_]
    language_index: dict[str, int]
    language_values: npt.NDArray[np.float32]  # volunteers x languages
    activity_index: dict[str, int]
    activity_bits: npt.NDArray[np.int64]
    positions: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(cls, volunteers: Sequence[VolunteerProfile]) -> VolunteerPool:
        count = len(volunteers)
        language_index: dict[str, int] = {}
        activity_index: dict[str, int] = {}
        for volunteer in volunteers:
            for code in volunteer.languages:
                language_index.setdefault(code, len(language_index))
            for activity in volunteer.activities:
                activity_index.setdefault(activity, len(activity_index))
        if len(activity_index) > 62:
            raise MatchingInputError("At most 62 different activities can be matched.")
        language_values = np.zeros((count, max(len(language_index), 1)), dtype=np.float32)
        activity_bits = np.zeros(count, dtype=np.int64)
        for row, volunteer in enumerate(volunteers):
            for code, level in volunteer.languages.items():
                language_values[row, language_index[code]] = LEVEL_VALUES.get(level, 0.0)
            for activity in volunteer.activities:
                activity_bits[row] |= 1 << activity_index[activity]
        ids = np.fromiter((v.id for v in volunteers), dtype=np.int64, count=count)
        return cls(
            ids=ids,
            latitude=np.fromiter((v.latitude for v in volunteers), dtype=np.float64, count=count),
            longitude=np.fromiter((v.longitude for v in volunteers), dtype=np.float64, count=count),
            radius_km=np.fromiter((v.radius_km for v in volunteers), dtype=np.float64, count=count),
            availability=np.fromiter((v.availability for v in volunteers), dtype=np.int64, count=count),
            capacity=np.fromiter((v.capacity for v in volunteers), dtype=np.int64, count=count),
            load=np.fromiter((v.load for v in volunteers), dtype=np.int64, count=count),
            eligible=np.fromiter((v.verified for v in volunteers), dtype=np.bool_, count=count),
            certificate_valid=np.fromiter((v.certificate_valid for v in volunteers), dtype=np.bool_, count=count),
            language_index=language_index,
            language_values=language_values,
            activity_index=activity_index,
            activity_bits=activity_bits,
            positions={int(volunteer_id): row for row, volunteer_id in enumerate(ids)},
        )

    def __len__(self) -> int:
        return int(self.ids.size)

    def updated(self, profiles: Sequence[VolunteerProfile]) -> VolunteerPool | None:
        """A new pool with these volunteers' rows replaced; None when one is new or brings a language or activity
        the pool has no column for (then build the pool again). The pool itself is not changed."""
        rows = []
        for profile in profiles:
            row = self.positions.get(profile.id)
            if row is None or any(code not in self.language_index for code in profile.languages):
                return None
            if any(activity not in self.activity_index for activity in profile.activities):
                return None
            rows.append(row)
        latitude, longitude, radius_km = self.latitude.copy(), self.longitude.copy(), self.radius_km.copy()
        availability, capacity, load = self.availability.copy(), self.capacity.copy(), self.load.copy()
        eligible, certificate_valid = self.eligible.copy(), self.certificate_valid.copy()
        language_values, activity_bits = self.language_values.copy(), self.activity_bits.copy()
        for row, profile in zip(rows, profiles, strict=True):
            latitude[row], longitude[row], radius_km[row] = profile.latitude, profile.longitude, profile.radius_km
            availability[row], capacity[row], load[row] = profile.availability, profile.capacity, profile.load
            eligible[row], certificate_valid[row] = profile.verified, profile.certificate_valid
            language_values[row, :] = 0.0
            for code, level in profile.languages.items():
                language_values[row, self.language_index[code]] = LEVEL_VALUES.get(level, 0.0)
            activity_bits[row] = 0
            for activity in profile.activities:
                activity_bits[row] |= 1 << self.activity_index[activity]
        return VolunteerPool(
            ids=self.ids,
            latitude=latitude,
            longitude=longitude,
            radius_km=radius_km,
            availability=availability,
            capacity=capacity,
            load=load,
            eligible=eligible,
            certificate_valid=certificate_valid,
            language_index=self.language_index,
            language_values=language_values,
            activity_index=self.activity_index,
            activity_bits=activity_bits,
            positions=self.positions,
        )

    def subset(self, rows: npt.NDArray[np.int64]) -> VolunteerPool:
        """The pool of the volunteers at `rows` only (e.g. a scarce pool for a benchmark)."""
        ids = self.ids[rows]
        return VolunteerPool(
            ids=ids,
            latitude=self.latitude[rows],
            longitude=self.longitude[rows],
            radius_km=self.radius_km[rows],
            availability=self.availability[rows],
            capacity=self.capacity[rows],
            load=self.load[rows],
            eligible=self.eligible[rows],
            certificate_valid=self.certificate_valid[rows],
            language_index=self.language_index,
            language_values=self.language_values[rows],
            activity_index=self.activity_index,
            activity_bits=self.activity_bits[rows],
            positions={int(volunteer_id): row for row, volunteer_id in enumerate(ids)},
        )

    def part_values(
        self, need: RequestNeed, load: npt.NDArray[np.int64] | None = None
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64], dict[str, npt.NDArray[np.float64]]]:
        """(who may take the request, their distance in km, each part's value 0..1) for every volunteer."""
        load = self.load if load is None else load
        distance = haversine_km(self.latitude, self.longitude, need.latitude, need.longitude)
        possible = self.eligible & (load < self.capacity) & (distance <= self.radius_km)
        if need.involves_minors:
            possible &= self.certificate_valid
        columns = [self.language_index[code] for code in need.languages if code in self.language_index]
        if not need.languages:
            language = np.ones(len(self), dtype=np.float64)
        elif columns:
            language = self.language_values[:, columns].max(axis=1).astype(np.float64)
        else:
            language = np.zeros(len(self), dtype=np.float64)
        wanted = popcount(np.array([need.availability], dtype=np.int64))[0]
        if wanted:
            availability = popcount(self.availability & need.availability) / float(wanted)
        else:
            availability = np.ones(len(self), dtype=np.float64)
        bit = self.activity_index.get(need.activity)
        activity = ((self.activity_bits >> bit) & 1).astype(np.float64) if bit is not None else np.zeros(len(self))
        with np.errstate(divide="ignore", invalid="ignore"):
            closeness = np.clip(1.0 - distance / np.maximum(self.radius_km, 1e-9), 0.0, 1.0)
            free = np.clip(1.0 - load / np.maximum(self.capacity, 1), 0.0, 1.0)
        values = {
            "language": language,
            "distance": closeness,
            "availability": np.asarray(availability, dtype=np.float64),
            "activity": activity,
            "certificate": self.certificate_valid.astype(np.float64),
            "load": free,
        }
        return possible, distance, values

    def scores(
        self, need: RequestNeed, load: npt.NDArray[np.int64] | None = None
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        possible, distance, values = self.part_values(need, load)
        total = sum(WEIGHTS[part] * values[part] for part in PARTS)
        return possible, distance, np.asarray(total, dtype=np.float64)


def suggest(pool: VolunteerPool, need: RequestNeed, *, limit: int = 10) -> list[Suggestion]:
    """The best `limit` volunteers for one request, best first (ties: nearer first, then lower id)."""
    if limit < 1:
        raise MatchingInputError("The number of suggestions must be at least 1.")
    possible, distance, values = pool.part_values(need)
    candidates = np.flatnonzero(possible)
    if candidates.size == 0:
        return []
    total = np.zeros(candidates.size)
    for part in PARTS:
        total += WEIGHTS[part] * values[part][candidates]
    # Rounded before ranking so that the order shown agrees with the scores shown.
    rounded = np.round(total, 1)
    if candidates.size > limit:
        # Only those at or above the limit-th best score can be shown; ties there are ordered below.
        threshold = np.partition(rounded, candidates.size - limit)[candidates.size - limit]
        keep = np.flatnonzero(rounded >= threshold)
        candidates, rounded = candidates[keep], rounded[keep]
    order = np.lexsort((pool.ids[candidates], distance[candidates], -rounded))[:limit]
    return [
        Suggestion(
            volunteer_id=int(pool.ids[candidates[i]]),
            score=float(rounded[i]),
            distance_km=float(round(distance[candidates[i]], 2)),
            parts={part: float(round(WEIGHTS[part] * values[part][candidates[i]], 1)) for part in PARTS},
        )
        for i in order
    ]


@dataclass(frozen=True)
class BatchResult:
    assignments: dict[int, int]  # request id -> volunteer id
    total_score: float
    total_distance_km: float
    method: str
    # request id -> (score, km) of its pair
    pair_values: dict[int, tuple[float, float]] = field(default_factory=dict)

    @property
    def matched(self) -> int:
        return len(self.assignments)


def _candidate_arcs(
    pool: VolunteerPool, needs: Sequence[RequestNeed], per_request: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    request_rows: list[npt.NDArray[np.int64]] = []
    volunteer_rows: list[npt.NDArray[np.int64]] = []
    score_rows: list[npt.NDArray[np.float64]] = []
    distance_rows: list[npt.NDArray[np.float64]] = []
    for row, need in enumerate(needs):
        possible, distance, total = pool.scores(need)
        candidates = np.flatnonzero(possible & (total >= MIN_BATCH_SCORE))
        if candidates.size > per_request:
            best = np.argpartition(-total[candidates], per_request - 1)[:per_request]
            candidates = candidates[best]
        request_rows.append(np.full(candidates.size, row, dtype=np.int64))
        volunteer_rows.append(candidates.astype(np.int64))
        score_rows.append(total[candidates])
        distance_rows.append(distance[candidates])
    if not request_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0)
    return (
        np.concatenate(request_rows),
        np.concatenate(volunteer_rows),
        np.concatenate(score_rows),
        np.concatenate(distance_rows),
    )


def _result(
    pool: VolunteerPool,
    needs: Sequence[RequestNeed],
    chosen: Iterable[tuple[int, int, float, float]],
    method: str,
) -> BatchResult:
    assignments: dict[int, int] = {}
    pair_values: dict[int, tuple[float, float]] = {}
    total_score = 0.0
    total_distance = 0.0
    for request_row, volunteer_row, score, distance in chosen:
        assignments[needs[request_row].id] = int(pool.ids[volunteer_row])
        pair_values[needs[request_row].id] = (score, distance)
        total_score += score
        total_distance += distance
    return BatchResult(
        assignments=assignments,
        total_score=round(total_score, 1),
        total_distance_km=round(total_distance, 2),
        method=method,
        pair_values=pair_values,
    )


def batch_optimal(
    pool: VolunteerPool,
    needs: Sequence[RequestNeed],
    *,
    per_request: int = BATCH_CANDIDATES,
    also: BatchResult | None = None,
) -> BatchResult:
    """Most requests matched under every volunteer's free capacity, then the highest total score.

    The flow sees each request's `per_request` best candidates; the pairs of `also` (the greedy proposal) are
    added, so that the optimum on these arcs never matches fewer requests, nor a lower total, than greedy does.
    """
    request_row, volunteer_row, score, distance = _candidate_arcs(pool, needs, per_request)
    if also is not None and also.assignments:
        rows = {need.id: row for row, need in enumerate(needs)}
        extra_requests = np.array([rows[r] for r in also.assignments], dtype=np.int64)
        extra_volunteers = np.array([pool.positions[v] for v in also.assignments.values()], dtype=np.int64)
        extra_score = np.array([also.pair_values[r][0] for r in also.assignments], dtype=np.float64)
        extra_distance = np.array([also.pair_values[r][1] for r in also.assignments], dtype=np.float64)
        request_row = np.concatenate((request_row, extra_requests))
        volunteer_row = np.concatenate((volunteer_row, extra_volunteers))
        score = np.concatenate((score, extra_score))
        distance = np.concatenate((distance, extra_distance))
        # The same pair may now appear twice; keep one.
        _unique, first = np.unique(request_row * (len(pool) + 1) + volunteer_row, return_index=True)
        request_row, volunteer_row, score, distance = (
            request_row[first],
            volunteer_row[first],
            score[first],
            distance[first],
        )
    capacity = np.maximum(pool.capacity - pool.load, 0)
    # Costs in tenths of a point: the flow maximises the matched requests first, then minimises the lost score.
    cost = np.rint((100.0 - score) * 10.0).astype(np.int64)
    assignment = min_cost_assignment(
        num_children=len(needs), arc_child=request_row, arc_group=volunteer_row, arc_cost=cost, capacity=capacity
    )
    arc_of = {(int(r), int(v)): i for i, (r, v) in enumerate(zip(request_row, volunteer_row, strict=True))}
    chosen = []
    for row, volunteer in enumerate(assignment):
        if volunteer >= 0:
            arc = arc_of[(row, int(volunteer))]
            chosen.append((row, int(volunteer), float(score[arc]), float(distance[arc])))
    return _result(pool, needs, chosen, "optimal")


def batch_compare(pool: VolunteerPool, needs: Sequence[RequestNeed]) -> tuple[BatchResult, BatchResult]:
    """(optimal, greedy) on the same pool: greedy first, its pairs joining the optimal proposal's arcs."""
    greedy = batch_greedy(pool, needs)
    return batch_optimal(pool, needs, also=greedy), greedy


def batch_greedy(pool: VolunteerPool, needs: Sequence[RequestNeed]) -> BatchResult:
    """First come, first served: each request in turn takes its best volunteer with capacity left."""
    load = pool.load.copy()
    chosen = []
    for row, need in enumerate(needs):
        possible, distance, total = pool.scores(need, load)
        candidates = np.flatnonzero(possible & (total >= MIN_BATCH_SCORE))
        if candidates.size == 0:
            continue
        best = int(candidates[np.argmax(total[candidates])])
        load[best] += 1
        chosen.append((row, best, float(total[best]), float(distance[best])))
    return _result(pool, needs, chosen, "greedy")


def slots_from(pairs: Iterable[tuple[int, int]]) -> int:
    """The availability mask of (day 0-6, part of day 0-2) pairs; anything else is refused."""
    mask = 0
    for day, part in pairs:
        if not (0 <= day < DAYS and 0 <= part < PARTS_OF_DAY):
            raise MatchingInputError(f"No such time slot: day {day}, part {part}.")
        mask |= 1 << (day * PARTS_OF_DAY + part)
    return mask


def slot_pairs(mask: int) -> list[tuple[int, int]]:
    if not 0 <= mask <= ALL_SLOTS:
        raise MatchingInputError("The availability mask has bits outside the week.")
    return [(bit // PARTS_OF_DAY, bit % PARTS_OF_DAY) for bit in range(SLOT_COUNT) if mask >> bit & 1]


def suggest_for_volunteer(pool: VolunteerPool, need: RequestNeed, volunteer_id: int) -> list[dict[str, object]]:
    """The score breakdown of one volunteer for one request (empty when the volunteer is not in the pool)."""
    row = pool.positions.get(volunteer_id)
    if row is None:
        return []
    _possible, distance, values = pool.part_values(need)
    parts = {part: round(float(WEIGHTS[part] * values[part][row]), 1) for part in PARTS}
    return [{"score": round(sum(parts.values()), 1), "parts": parts, "distance_km": round(float(distance[row]), 2)}]
