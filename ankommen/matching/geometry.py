"""Great-circle distances and the candidate arcs (child, seat group) within reach, vectorised with numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ankommen.matching.model import EARTH_RADIUS_KM

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Rows of the child x group dot-product matrix computed at once; 2,048 x 3,000 float64 is about 50 MB.
CHUNK_ROWS = 2048


def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> FloatArray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2.0
    half_dlambda = np.radians(np.subtract(lon2, lon1)) / 2.0
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    phi, lam = np.radians(lat), np.radians(lon)
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def _min_dot_within(max_km: FloatArray) -> FloatArray:
    # The dot product of unit vectors is cos(angle); a hair of slack here, the exact cut is by haversine.
    angle = np.minimum(max_km / EARTH_RADIUS_KM * 1.000001 + 1e-9, np.pi)
    return np.asarray(np.cos(angle), dtype=np.float64)


@dataclass(frozen=True)
class Arcs:
    """Candidate (child, group) pairs sorted by child, then distance, then group."""

    child: IntArray
    group: IntArray
    km: FloatArray

    @staticmethod
    def empty() -> Arcs:
        return Arcs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))

    @staticmethod
    def concatenate(parts: list[Arcs]) -> Arcs:
        if not parts:
            return Arcs.empty()
        child = np.concatenate([part.child for part in parts])
        group = np.concatenate([part.group for part in parts])
        km = np.concatenate([part.km for part in parts])
        order = np.lexsort((group, km, child))
        return Arcs(child[order], group[order], km[order])

    def __len__(self) -> int:
        return int(self.child.size)


def nearest_within(
    point_lat: FloatArray,
    point_lon: FloatArray,
    point_max_km: FloatArray,
    target_lat: FloatArray,
    target_lon: FloatArray,
    k: int | None,
) -> tuple[IntArray, IntArray, FloatArray]:
    """For each point its k nearest targets (all with k=None) within its max_km: (point, target, km) triples."""
    points, targets = point_lat.size, target_lat.size
    if points == 0 or targets == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    target_vectors = unit_vectors(target_lat, target_lon).T.copy()
    point_vectors = unit_vectors(point_lat, point_lon)
    min_dot = _min_dot_within(point_max_km)
    found_points, found_targets = [], []
    for start in range(0, points, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, points)
        dots = point_vectors[start:stop] @ target_vectors
        if k is not None and k < targets:
            nearest = np.argpartition(-dots, k - 1, axis=1)[:, :k]
            rows = np.repeat(np.arange(start, stop), k)
            columns = nearest.ravel()
            keep = dots[rows - start, columns] >= min_dot[rows]
            rows, columns = rows[keep], columns[keep]
        else:
            row_offsets, columns = np.nonzero(dots >= min_dot[start:stop, None])
            rows = row_offsets + start
        found_points.append(rows)
        found_targets.append(columns)
    rows = np.concatenate(found_points).astype(np.int64)
    columns = np.concatenate(found_targets).astype(np.int64)
    km = haversine_km(point_lat[rows], point_lon[rows], target_lat[columns], target_lon[columns])
    keep = km <= point_max_km[rows]
    return rows[keep], columns[keep], km[keep]
