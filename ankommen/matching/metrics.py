"""The figures every placement is judged by: placed, families split, distances."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ankommen.matching.geometry import FloatArray, IntArray


@dataclass(frozen=True)
class Summary:
    children: int
    placed: int
    families_split: int
    total_km: float
    mean_km: float
    p95_km: float


def split_family_stages(*, family: IntArray, stage: IntArray, school: IntArray) -> IntArray:
    """(family, stage) keys, as family * 4 + stage, whose placed children attend more than one school."""
    placed = school >= 0
    keys = family[placed] * 4 + stage[placed]
    pairs = np.unique(np.stack((keys, school[placed]), axis=1), axis=0) if keys.size else np.zeros((0, 2), np.int64)
    distinct_keys, counts = np.unique(pairs[:, 0], return_counts=True)
    return np.asarray(distinct_keys[counts > 1], dtype=np.int64)


def count_families_split(*, family: IntArray, stage: IntArray, school: IntArray) -> int:
    return int(np.unique(split_family_stages(family=family, stage=stage, school=school) // 4).size)


def summarise(*, family: IntArray, stage: IntArray, school: IntArray, km: FloatArray) -> Summary:
    placed = school >= 0
    placed_km = km[placed]
    return Summary(
        children=int(school.size),
        placed=int(placed.sum()),
        families_split=count_families_split(family=family, stage=stage, school=school),
        total_km=float(placed_km.sum()),
        mean_km=float(placed_km.mean()) if placed_km.size else 0.0,
        p95_km=float(np.percentile(placed_km, 95)) if placed_km.size else 0.0,
    )
