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


def _max_squared_chord_km(max_km: FloatArray) -> npt.NDArray[np.float32]:
    # The straight-line chord through the Earth grows with the great-circle distance, so it ranks the same way;
    # a little slack here covers float32 rounding, the exact cut is by haversine afterwards.
    chord = 2.0 * EARTH_RADIUS_KM * np.sin(np.minimum(max_km / EARTH_RADIUS_KM, np.pi) / 2.0)
    return np.asarray(chord * chord * 1.0001 + 0.05, dtype=np.float32)


def _centred_km(vectors: FloatArray, centre: FloatArray) -> npt.NDArray[np.float32]:
    # Points in km around the instance's centre: float32 keeps metre precision there and halves the work.
    return np.asarray((vectors - centre) * EARTH_RADIUS_KM, dtype=np.float32)


def _child_km_group_order(child: IntArray, km: FloatArray, group: IntArray) -> IntArray:
    """The order by child, then distance (to the micrometre), then group: one int64 key sorts much faster than
    lexsort's three passes; lexsort where the key would not fit."""
    if child.size == 0:
        return np.zeros(0, dtype=np.int64)
    micrometres = np.rint(km * 1e6).astype(np.int64)
    group_bits = int(group.max()).bit_length()
    km_bits = int(micrometres.max()).bit_length()
    if int(child.max()).bit_length() + km_bits + group_bits > 62 or micrometres.min() < 0:
        return np.asarray(np.lexsort((group, km, child)), dtype=np.int64)
    key = (child << (km_bits + group_bits)) | (micrometres << group_bits) | group
    return np.asarray(np.argsort(key, kind="stable"), dtype=np.int64)


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
        order = _child_km_group_order(child, km, group)
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
    point_unit, target_unit = unit_vectors(point_lat, point_lon), unit_vectors(target_lat, target_lon)
    centre = target_unit.mean(axis=0)
    point_vectors, target_vectors = _centred_km(point_unit, centre), _centred_km(target_unit, centre)
    target_squares = (target_vectors.astype(np.float64) ** 2).sum(axis=1).astype(np.float32)
    point_squares = (point_vectors.astype(np.float64) ** 2).sum(axis=1).astype(np.float32)
    target_vectors_t = np.ascontiguousarray(target_vectors.T)
    max_squared = _max_squared_chord_km(point_max_km)
    found_points, found_targets = [], []
    for start in range(0, points, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, points)
        squared = point_vectors[start:stop] @ target_vectors_t
        squared *= -2.0
        squared += point_squares[start:stop, None]
        squared += target_squares[None, :]
        within = squared <= max_squared[start:stop, None]
        hits = int(np.count_nonzero(within))
        if k is not None and k < targets and hits > (stop - start) * max(4 * k, 128):
            nearest = np.argpartition(squared, k - 1, axis=1)[:, :k]
            rows = np.repeat(np.arange(start, stop), k)
            columns = nearest.ravel()
            keep = squared[rows - start, columns] <= max_squared[rows]
            rows, columns = rows[keep], columns[keep]
        elif k is not None and k < targets:
            # Few targets within reach (small radii): the k nearest among them, without partitioning whole rows.
            row_offsets, columns = np.nonzero(within)
            order = np.lexsort((columns, squared[row_offsets, columns], row_offsets))
            row_offsets, columns = row_offsets[order], columns[order]
            first = np.searchsorted(row_offsets, row_offsets, side="left")
            keep = np.arange(row_offsets.size) - first < k
            rows, columns = row_offsets[keep] + start, columns[keep]
        else:
            row_offsets, columns = np.nonzero(within)
            rows = row_offsets + start
        found_points.append(rows)
        found_targets.append(columns)
    rows = np.concatenate(found_points).astype(np.int64)
    columns = np.concatenate(found_targets).astype(np.int64)
    km = haversine_km(point_lat[rows], point_lon[rows], target_lat[columns], target_lon[columns])
    keep = km <= point_max_km[rows]
    return rows[keep], columns[keep], km[keep]
