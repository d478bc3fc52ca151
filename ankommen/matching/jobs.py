"""Candidates and offers for work and training, matched both ways with the reasons. Plain Python and numpy.

Hard rules exclude a pair: the work permit must allow the kind of offer (directly or with approval), and the
candidate must have the offer's minimum age. Soft scores rank the rest, out of 100 points:

- occupation (40): the best of the candidate's wishes along the ESCO/ISCO hierarchy — the same ESCO occupation,
  the same ISCO unit group (4 digits), minor group (3), sub-major group (2), major group (1);
- German (20): the candidate's CEFR level against the level the offer needs;
- distance (20): within the candidate's mobility radius, nearer is better; beyond it the points fall to none at
  twice the radius;
- start (10): available by the start date, or how many days later;
- languages (5) and driving licence (5);
- a permit that allows the offer only with approval costs 10 points.

`assess` scores one pair and says why; `CandidatePool`/`OfferPool` hold many as arrays and rank thousands at once
with the same arithmetic (the tests check that both agree). `propose_all` proposes candidates for every offer.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

LEVELS = ("none", "A1", "A2", "B1", "B2", "C1", "C2")
EARTH_RADIUS_KM = 6371.0088

WEIGHT_OCCUPATION = 40.0
WEIGHT_GERMAN = 20.0
WEIGHT_DISTANCE = 20.0
WEIGHT_START = 10.0
WEIGHT_LANGUAGES = 5.0
WEIGHT_DRIVING = 5.0
APPROVAL_PENALTY = 10.0
START_GRACE_DAYS = 90.0

# Share of the occupation points by the deepest level the two occupations share.
OCCUPATION_LEVELS: tuple[tuple[str, float], ...] = (
    ("same_occupation", 1.0),
    ("same_unit_group", 0.75),
    ("same_minor_group", 0.5),
    ("same_sub_major_group", 0.25),
    ("same_major_group", 0.1),
    ("other_field", 0.0),
)
GERMAN_BY_GAP = {0: 1.0, -1: 0.5, -2: 0.15}

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def level_index(level: str) -> int:
    """0 for no German, 1 for A1 … 6 for C2."""
    return LEVELS.index(level) if level in LEVELS else 0


@dataclass(frozen=True)
class PermitRule:
    code: str
    allowed_kinds: frozenset[str]
    approval_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Wish:
    uri: str
    isco_code: str


@dataclass(frozen=True)
class Candidate:
    id: Any
    wishes: tuple[Wish, ...]
    german_level: int
    languages: frozenset[str]
    latitude: float
    longitude: float
    radius_km: float
    permit: str
    age: int | None
    available_from: datetime.date
    driving_licence: bool = False


@dataclass(frozen=True)
class Offer:
    id: Any
    kind: str
    occupation_uri: str
    isco_code: str
    german_level: int
    latitude: float
    longitude: float
    start_date: datetime.date
    minimum_age: int = 15
    useful_languages: frozenset[str] = frozenset()
    driving_licence_needed: bool = False


@dataclass(frozen=True)
class Reason:
    """One part of a score: `code` names the rule, `points` what it gave, `detail` the numbers behind it."""

    code: str
    points: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    candidate_id: Any
    offer_id: Any
    score: float
    reasons: tuple[Reason, ...]
    excluded_by: str | None = None

    @property
    def is_excluded(self) -> bool:
        return self.excluded_by is not None


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((phi2 - phi1) / 2.0) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2.0) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def occupation_level(wishes: Iterable[Wish], offer_uri: str, offer_isco: str) -> tuple[str, float]:
    """The deepest level of the ESCO/ISCO hierarchy that one of the wishes shares with the offer's occupation."""
    best = OCCUPATION_LEVELS[-1]
    for wish in wishes:
        if wish.uri == offer_uri:
            return OCCUPATION_LEVELS[0]
        for digits, level in zip((4, 3, 2, 1), OCCUPATION_LEVELS[1:5], strict=True):
            if wish.isco_code[:digits] == offer_isco[:digits]:
                if level[1] > best[1]:
                    best = level
                break
    return best


def german_share(gap: int) -> float:
    return 1.0 if gap >= 0 else GERMAN_BY_GAP.get(gap, 0.0)


def distance_share(distance_km: Any, radius_km: Any) -> Any:
    ratio = np.asarray(distance_km, dtype=np.float64) / np.maximum(np.asarray(radius_km, dtype=np.float64), 1e-9)
    return np.where(ratio <= 1.0, 1.0 - 0.5 * ratio, np.clip(0.5 * (2.0 - ratio), 0.0, 0.5))


def start_share(delay_days: Any) -> Any:
    return np.clip(1.0 - np.maximum(np.asarray(delay_days, dtype=np.float64), 0.0) / START_GRACE_DAYS, 0.0, 1.0)


def assess(candidate: Candidate, offer: Offer, permits: dict[str, PermitRule]) -> Assessment:
    """Score one candidate for one offer, with every reason; an excluded pair scores 0 and names its rule."""
    rule = permits.get(candidate.permit)
    needs_approval = rule is not None and offer.kind in rule.approval_kinds
    if rule is None or (offer.kind not in rule.allowed_kinds and not needs_approval):
        reason = Reason("permit_excludes", 0.0, {"permit": candidate.permit, "kind": offer.kind})
        return Assessment(candidate.id, offer.id, 0.0, (reason,), excluded_by="permit")
    if candidate.age is not None and candidate.age < offer.minimum_age:
        reason = Reason("too_young", 0.0, {"age": candidate.age, "minimum_age": offer.minimum_age})
        return Assessment(candidate.id, offer.id, 0.0, (reason,), excluded_by="age")

    reasons: list[Reason] = []
    code, share = occupation_level(candidate.wishes, offer.occupation_uri, offer.isco_code)
    reasons.append(Reason(code, WEIGHT_OCCUPATION * share))

    gap = candidate.german_level - offer.german_level
    reasons.append(
        Reason(
            "german_meets" if gap >= 0 else "german_below",
            WEIGHT_GERMAN * german_share(gap),
            {"has": LEVELS[candidate.german_level], "needs": LEVELS[offer.german_level], "gap": gap},
        )
    )

    distance = float(haversine_km(candidate.latitude, candidate.longitude, offer.latitude, offer.longitude))
    reasons.append(
        Reason(
            "within_radius" if distance <= candidate.radius_km else "beyond_radius",
            WEIGHT_DISTANCE * float(distance_share(distance, candidate.radius_km)),
            {"km": round(distance, 1), "radius_km": candidate.radius_km},
        )
    )

    delay = (candidate.available_from - offer.start_date).days
    reasons.append(
        Reason(
            "available_in_time" if delay <= 0 else "available_later",
            WEIGHT_START * float(start_share(delay)),
            {"days_late": max(delay, 0)},
        )
    )

    if offer.useful_languages:
        shared = sorted(candidate.languages & offer.useful_languages)
        reasons.append(
            Reason(
                "useful_language" if shared else "no_useful_language",
                WEIGHT_LANGUAGES if shared else 0.0,
                {"languages": shared},
            )
        )
    else:
        reasons.append(Reason("no_language_asked", WEIGHT_LANGUAGES))

    if offer.driving_licence_needed and not candidate.driving_licence:
        reasons.append(Reason("driving_licence_missing", 0.0))
    else:
        reasons.append(Reason("driving_licence_fine", WEIGHT_DRIVING))

    if needs_approval:
        reasons.append(Reason("permit_needs_approval", -APPROVAL_PENALTY, {"permit": candidate.permit}))
    if candidate.age is None:
        reasons.append(Reason("age_unknown", 0.0))

    score = max(0.0, sum(reason.points for reason in reasons))
    return Assessment(candidate.id, offer.id, round(score, 6), tuple(reasons))


# --- many at once -------------------------------------------------------------------------------------------------


def _isco_int(code: str) -> int:
    return int(code) if code.isdigit() else -1


class _PermitTable:
    def __init__(self, permits: dict[str, PermitRule]) -> None:
        self.codes = sorted(permits)
        self.index = {code: position for position, code in enumerate(self.codes)}
        self.permits = permits

    def masks(self, kind: str) -> tuple[BoolArray, BoolArray]:
        """Per permit index (+1 slot for unknown permits): allowed at all, and allowed only with approval."""
        allowed = np.zeros(len(self.codes) + 1, dtype=bool)
        approval = np.zeros(len(self.codes) + 1, dtype=bool)
        for position, code in enumerate(self.codes):
            rule = self.permits[code]
            approval[position] = kind in rule.approval_kinds
            allowed[position] = kind in rule.allowed_kinds or approval[position]
        return allowed, approval


def _members_by_prefix(prefixes: npt.NDArray[np.int64]) -> dict[int, npt.NDArray[np.int64]]:
    rows = np.repeat(np.arange(prefixes.shape[0]), prefixes.shape[1])
    values = prefixes.ravel()
    keep = values >= 0
    pairs = np.unique(np.column_stack((values[keep], rows[keep])), axis=0)  # sorted by prefix, then row
    if pairs.size == 0:
        return {}
    cuts = np.flatnonzero(np.diff(pairs[:, 0])) + 1
    return {int(group[0, 0]): group[:, 1].copy() for group in np.split(pairs, cuts)}


class CandidatePool:
    """Candidates as arrays, so that ranking them for one offer is a handful of vector operations."""

    def __init__(self, candidates: Sequence[Candidate], permits: dict[str, PermitRule]) -> None:
        self.candidates = list(candidates)
        self.permit_table = _PermitTable(permits)
        count = len(self.candidates)
        width = max((len(c.wishes) for c in self.candidates), default=0) or 1
        self.uri_ids: dict[str, int] = {}
        self.wish_uri = np.full((count, width), -1, dtype=np.int64)
        self.wish_isco = np.full((count, width), -10_000, dtype=np.int64)
        self.language_masks: dict[str, BoolArray] = {}
        for row, candidate in enumerate(self.candidates):
            for column, wish in enumerate(candidate.wishes):
                self.wish_uri[row, column] = self.uri_ids.setdefault(wish.uri, len(self.uri_ids))
                self.wish_isco[row, column] = _isco_int(wish.isco_code)
            for language in candidate.languages:
                mask = self.language_masks.setdefault(language, np.zeros(count, dtype=bool))
                mask[row] = True
        self.german = np.array([c.german_level for c in self.candidates], dtype=np.int64)
        self.latitude = np.array([c.latitude for c in self.candidates], dtype=np.float64)
        self.longitude = np.array([c.longitude for c in self.candidates], dtype=np.float64)
        self.radius = np.array([c.radius_km for c in self.candidates], dtype=np.float64)
        unknown = len(self.permit_table.codes)
        self.permit = np.array(
            [self.permit_table.index.get(c.permit, unknown) for c in self.candidates], dtype=np.int64
        )
        self.age = np.array([np.nan if c.age is None else c.age for c in self.candidates], dtype=np.float64)
        self.available = np.array([c.available_from.toordinal() for c in self.candidates], dtype=np.int64)
        self.driving = np.array([c.driving_licence for c in self.candidates], dtype=bool)
        # The wishes' ISCO prefixes (unit, minor, sub-major, major group), computed once; -1 where there is no wish.
        self.wish_prefixes = tuple(
            np.where(self.wish_isco >= 0, self.wish_isco // divisor, -1) for divisor in (1, 10, 100, 1000)
        )
        # Per level of the hierarchy (unit, minor, sub-major, major group) and prefix: the candidates with a wish
        # there, in their order. propose_all looks there, from the finest level outwards.
        self.level_members = tuple(_members_by_prefix(prefix) for prefix in self.wish_prefixes)
        self._columns = self._gather(None)
        self._level_columns: dict[tuple[int, int], dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.candidates)

    def _gather(self, rows: npt.NDArray[np.int64] | None) -> dict[str, Any]:
        def take(array: Any) -> Any:
            return array if rows is None else array[rows]

        return {
            "wish_uri": take(self.wish_uri),
            "wish_prefixes": tuple(take(prefix) for prefix in self.wish_prefixes),
            "german": take(self.german),
            "latitude": take(self.latitude),
            "longitude": take(self.longitude),
            "radius": take(self.radius),
            "permit": take(self.permit),
            "age": take(self.age),
            "available": take(self.available),
            "driving": take(self.driving),
            "languages": {language: take(mask) for language, mask in self.language_masks.items()},
        }

    def level_columns(self, level: int, prefix: int) -> dict[str, Any]:
        """The arrays of the candidates with a wish under one ISCO prefix, sliced once and kept."""
        key = (level, prefix)
        if key not in self._level_columns:
            self._level_columns[key] = self._gather(self.level_members[level][prefix])
        return self._level_columns[key]

    def scores_for(self, offer: Offer, rows: npt.NDArray[np.int64] | None = None) -> tuple[FloatArray, FloatArray]:
        """(score, occupation share) of each candidate (or of `rows`) for the offer; excluded candidates get -1."""
        return self.scores_of(self._columns if rows is None else self._gather(rows), offer)

    def scores_of(self, columns: dict[str, Any], offer: Offer) -> tuple[FloatArray, FloatArray]:
        count = columns["wish_uri"].shape[0]
        offer_uri = self.uri_ids.get(offer.occupation_uri, -2)
        isco = _isco_int(offer.isco_code)
        occupation = np.zeros(count, dtype=np.float64)
        if isco >= 0:
            # From the coarsest level to the finest, so that the deepest shared level wins.
            levels = zip(OCCUPATION_LEVELS[4:0:-1], columns["wish_prefixes"][::-1], (1000, 100, 10, 1), strict=True)
            for (_code, share), prefix, divisor in levels:
                occupation = np.where((prefix == isco // divisor).any(axis=1), share, occupation)
        occupation = np.where((columns["wish_uri"] == offer_uri).any(axis=1), 1.0, occupation)

        gap = columns["german"] - offer.german_level
        german = np.select([gap >= 0, gap == -1, gap == -2], [1.0, GERMAN_BY_GAP[-1], GERMAN_BY_GAP[-2]], 0.0)
        distance = haversine_km(columns["latitude"], columns["longitude"], offer.latitude, offer.longitude)
        delay = columns["available"] - offer.start_date.toordinal()
        if offer.useful_languages:
            speaks = np.zeros(count, dtype=bool)
            for language in offer.useful_languages:
                if language in columns["languages"]:
                    speaks |= columns["languages"][language]
            languages = np.where(speaks, WEIGHT_LANGUAGES, 0.0)
        else:
            languages = np.full(count, WEIGHT_LANGUAGES)
        driving = np.where(columns["driving"], WEIGHT_DRIVING, 0.0) if offer.driving_licence_needed else WEIGHT_DRIVING
        allowed, approval = self.permit_table.masks(offer.kind)
        permit = columns["permit"]
        score = (
            WEIGHT_OCCUPATION * occupation
            + WEIGHT_GERMAN * german
            + WEIGHT_DISTANCE * distance_share(distance, columns["radius"])
            + WEIGHT_START * start_share(delay)
            + languages
            + driving
            - np.where(approval[permit], APPROVAL_PENALTY, 0.0)
        )
        score = np.maximum(score, 0.0)
        age = columns["age"]
        excluded = ~allowed[permit] | (~np.isnan(age) & (age < offer.minimum_age))
        return np.where(excluded, -1.0, score), occupation


def _top(scores: FloatArray, limit: int) -> npt.NDArray[np.int64]:
    eligible = np.flatnonzero(scores >= 0)
    if eligible.size > limit:
        eligible = eligible[np.argpartition(-scores[eligible], limit - 1)[:limit]]
    # Highest score first; equal scores by position, so the order does not depend on the partition.
    return eligible[np.lexsort((eligible, -scores[eligible]))]


def rank_candidates(pool: CandidatePool, offer: Offer, *, limit: int = 20) -> list[Assessment]:
    """The best `limit` candidates for the offer, best first, each with its reasons."""
    scores, _occupation = pool.scores_for(offer)
    permits = pool.permit_table.permits
    return [assess(pool.candidates[row], offer, permits) for row in _top(scores, limit)]


class OfferPool:
    """Offers as arrays, so that ranking them for one candidate is a handful of vector operations."""

    def __init__(self, offers: Sequence[Offer], permits: dict[str, PermitRule]) -> None:
        self.offers = list(offers)
        self.permits = permits
        count = len(self.offers)
        self.uri = np.array([offer.occupation_uri for offer in self.offers], dtype=object)
        self.isco = np.array([_isco_int(offer.isco_code) for offer in self.offers], dtype=np.int64)
        self.german = np.array([offer.german_level for offer in self.offers], dtype=np.int64)
        self.latitude = np.array([offer.latitude for offer in self.offers], dtype=np.float64)
        self.longitude = np.array([offer.longitude for offer in self.offers], dtype=np.float64)
        self.start = np.array([offer.start_date.toordinal() for offer in self.offers], dtype=np.int64)
        self.minimum_age = np.array([offer.minimum_age for offer in self.offers], dtype=np.float64)
        self.driving_needed = np.array([offer.driving_licence_needed for offer in self.offers], dtype=bool)
        self.kinds = sorted({offer.kind for offer in self.offers})
        self.kind = np.array([self.kinds.index(offer.kind) for offer in self.offers], dtype=np.int64)
        self.asks_language = np.array([bool(offer.useful_languages) for offer in self.offers], dtype=bool)
        self.language_masks: dict[str, BoolArray] = {}
        for row, offer in enumerate(self.offers):
            for language in offer.useful_languages:
                self.language_masks.setdefault(language, np.zeros(count, dtype=bool))[row] = True

    def __len__(self) -> int:
        return len(self.offers)

    def scores_for(self, candidate: Candidate) -> FloatArray:
        """The candidate's score for each offer; excluded offers get -1."""
        occupation = np.zeros(len(self.offers), dtype=np.float64)
        for wish in candidate.wishes:
            isco = _isco_int(wish.isco_code)
            for (_code, share), divisor in zip(OCCUPATION_LEVELS[1:5], (1, 10, 100, 1000), strict=True):
                hit = (self.isco // divisor == isco // divisor) & (self.isco >= 0) & (isco >= 0)
                occupation = np.maximum(occupation, np.where(hit, share, 0.0))
            occupation = np.where(self.uri == wish.uri, 1.0, occupation)
        gap = candidate.german_level - self.german
        german = np.select([gap >= 0, gap == -1, gap == -2], [1.0, GERMAN_BY_GAP[-1], GERMAN_BY_GAP[-2]], 0.0)
        distance = haversine_km(candidate.latitude, candidate.longitude, self.latitude, self.longitude)
        delay = candidate.available_from.toordinal() - self.start
        speaks = np.zeros(len(self.offers), dtype=bool)
        for language in candidate.languages:
            if language in self.language_masks:
                speaks |= self.language_masks[language]
        languages = np.where(~self.asks_language | speaks, WEIGHT_LANGUAGES, 0.0)
        driving = np.where(self.driving_needed & (not candidate.driving_licence), 0.0, WEIGHT_DRIVING)
        rule = self.permits.get(candidate.permit)
        allowed_kind = np.array(
            [rule is not None and (kind in rule.allowed_kinds or kind in rule.approval_kinds) for kind in self.kinds]
            or [False],
            dtype=bool,
        )
        approval_kind = np.array(
            [rule is not None and kind in rule.approval_kinds for kind in self.kinds] or [False], dtype=bool
        )
        score = (
            WEIGHT_OCCUPATION * occupation
            + WEIGHT_GERMAN * german
            + WEIGHT_DISTANCE * distance_share(distance, candidate.radius_km)
            + WEIGHT_START * start_share(delay)
            + languages
            + driving
            - np.where(approval_kind[self.kind], APPROVAL_PENALTY, 0.0)
        )
        score = np.maximum(score, 0.0)
        excluded = ~allowed_kind[self.kind]
        if candidate.age is not None:
            excluded = excluded | (candidate.age < self.minimum_age)
        return np.where(excluded, -1.0, score)


def rank_offers(pool: OfferPool, candidate: Candidate, *, limit: int = 20) -> list[Assessment]:
    """The best `limit` offers for the candidate, best first, each with its reasons."""
    if not pool.offers:
        return []
    scores = pool.scores_for(candidate)
    return [assess(candidate, pool.offers[row], pool.permits) for row in _top(scores, limit)]


def propose_all(
    pool: CandidatePool, offers: Sequence[Offer], *, per_offer: int = 5, minimum_score: float = 0.0
) -> dict[Any, list[tuple[Any, float]]]:
    """For every offer the best `per_offer` candidates (id, score) among those who wish for work in the same ISCO
    major group at least: a proposal needs an occupational link, the other soft scores only order them.

    Exact branch and bound over the hierarchy: the candidates of the offer's unit group are scored first; the search
    widens to the minor, sub-major and major group only while a candidate there could still beat the ones found
    (their occupation points are lower, the other points are at most 100 - 40)."""
    proposals: dict[Any, list[tuple[Any, float]]] = {}
    other_points = 100.0 - WEIGHT_OCCUPATION
    for offer in offers:
        isco = _isco_int(offer.isco_code)
        found: list[tuple[Any, float]] = []
        if isco >= 0:
            for level, divisor in enumerate((1, 10, 100, 1000)):
                prefix = isco // divisor
                if prefix not in pool.level_members[level]:
                    continue
                rows = pool.level_members[level][prefix]
                scores, occupation = pool.scores_of(pool.level_columns(level, prefix), offer)
                scores = np.where((occupation > 0) & (scores >= minimum_score), scores, -1.0)
                best = _top(scores, per_offer)
                found = [(pool.candidates[rows[i]].id, float(scores[i])) for i in best]
                if level == 3 or len(found) < per_offer:
                    continue
                coarser_bound = WEIGHT_OCCUPATION * OCCUPATION_LEVELS[level + 2][1] + other_points
                if found[-1][1] > coarser_bound:
                    break
        proposals[offer.id] = found
    return proposals


# --- the naive baseline: one Python call per pair, for the benchmark and as the tests' reference ----------------


def rank_candidates_naive(
    candidates: Sequence[Candidate], offer: Offer, permits: dict[str, PermitRule], *, limit: int = 20
) -> list[Assessment]:
    assessed = [assess(candidate, offer, permits) for candidate in candidates]
    ranked = sorted((a for a in assessed if not a.is_excluded), key=lambda a: -a.score)
    return ranked[:limit]


def propose_all_naive(
    candidates: Sequence[Candidate],
    offers: Sequence[Offer],
    permits: dict[str, PermitRule],
    *,
    per_offer: int = 5,
) -> dict[Any, list[tuple[Any, float]]]:
    proposals: dict[Any, list[tuple[Any, float]]] = {}
    for offer in offers:
        scored = []
        for candidate in candidates:
            assessment = assess(candidate, offer, permits)
            if not assessment.is_excluded and assessment.reasons[0].points > 0:
                scored.append((candidate.id, assessment.score))
        scored.sort(key=lambda pair: -pair[1])
        proposals[offer.id] = scored[:per_offer]
    return proposals


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
