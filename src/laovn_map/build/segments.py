"""Cutting the border line into segments, each facing one Vietnamese and one Lao province.

The line is probed every ``SPLIT_MAX_STEP_M`` on each side; where the province on either side
changes between two probes, the change is bisected to under a millimetre, and runs shorter than
``SPLIT_MIN_RUN_M`` are absorbed by a neighbour (see :mod:`laovn_map.build.border` for the
constants and the records).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from laovn_map.build.border import (
    GEOD,
    SPLIT_MAX_STEP_M,
    SPLIT_MIN_RUN_M,
    BorderSegment,
    FloatArray,
    IntArray,
    ProvinceShape,
    geodesic_length_m,
    orient_north_to_south,
    polygon_parts,
)
from laovn_map.build.conform import ring_edges
from laovn_map.errors import GeometryError

_Label = TypeVar("_Label")

# Offset (degrees, ~1 cm) used to probe which polygon lies on each side of the border line.
# Much smaller than any province, much larger than the round-off of overlay operations.
_SIDE_PROBE_DEG = 1e-7
# Bisection steps refining a breakpoint between two samples: 40 m / 2**16 < 1 mm.
_BISECT_STEPS = 16

@dataclass(frozen=True)
class _Line:
    """The border line with per-vertex planar (degree) and geodesic (metre) positions.

    Planar positions are what ``shapely.ops.substring`` cuts by; metres are for deciding
    which runs are too short. Within one edge both grow linearly, so interpolating between
    them is exact enough (edges are ~200 m long).
    """

    geometry: LineString
    xy: FloatArray
    planar: FloatArray  # cumulative planar length at each vertex
    metres: FloatArray  # cumulative geodesic length at each vertex
    walked: list[float]  # cumulative planar length summed as shapely.ops.substring sums it

    @staticmethod
    def build(line: LineString) -> _Line:
        xy = np.asarray(line.coords, dtype=np.float64)[:, :2]
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        xy = xy[keep]
        if len(xy) < 2:
            raise GeometryError("split_border: the border line has fewer than two distinct points")
        geometry = orient_north_to_south(LineString(xy))
        xy = np.asarray(geometry.coords, dtype=np.float64)
        planar = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        steps = np.asarray(GEOD.line_lengths(xy[:, 0], xy[:, 1]), dtype=np.float64)
        metres = np.concatenate([[0.0], np.cumsum(steps)])
        walked = [0.0]
        for (x1, y1), (x2, y2) in zip(xy[:-1].tolist(), xy[1:].tolist(), strict=True):
            walked.append(walked[-1] + ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
        return _Line(geometry, xy, planar, metres, walked)

    @property
    def length(self) -> float:
        # The larger of the two sums, so that cutting up to it always reaches the last vertex
        # (substring clamps a distance past the end to the end).
        return max(float(self.planar[-1]), float(self.geometry.length))

    def cut(self, start: float, end: float) -> LineString:
        """``shapely.ops.substring(self.geometry, start, end)``, without walking the line again.

        Why: substring sums the edge lengths from the first vertex on every call, in Python,
        so cutting the long border into pieces walked it once per piece. The sums are kept in ``walked``, in
        the same order and arithmetic, so the vertices kept and the end points (GEOS
        interpolation) are the ones substring gives. Cases other than a forward cut that
        starts on the line are left to substring itself.
        """
        if not (0.0 <= start < end and start < self.geometry.length):
            piece: LineString = substring(self.geometry, start, end)
            return piece
        ends = shapely.get_coordinates(shapely.line_interpolate_point(self.geometry, [start, end]))
        # substring keeps each vertex but the last whose walked distance is strictly inside.
        first = bisect_right(self.walked, start)
        stop = min(bisect_left(self.walked, end), len(self.walked) - 1)
        return LineString(np.vstack([ends[:1], self.xy[first:stop], ends[1:]]))

    def to_metres(self, positions: FloatArray) -> FloatArray:
        return np.interp(positions, self.planar, self.metres)

    def samples(self, max_step_m: float) -> FloatArray:
        """Planar positions of sample points, at most ``max_step_m`` apart, never on a vertex."""
        edge_m = np.diff(self.metres)
        edge_p = np.diff(self.planar)
        counts = np.maximum(1, np.ceil(edge_m / max_step_m)).astype(np.int64)
        edge = np.repeat(np.arange(len(counts)), counts)
        rank = np.arange(edge.size) - np.repeat(np.cumsum(counts) - counts, counts)
        positions: FloatArray = self.planar[edge] + (rank + 0.5) / counts[edge] * edge_p[edge]
        return positions

    def frame(self, positions: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Points at ``positions`` and the unit left normal of the edge each lies on."""
        edge = np.clip(np.searchsorted(self.planar, positions, side="right") - 1, 0, len(self.xy) - 2)
        start, end = self.xy[edge], self.xy[edge + 1]
        span = self.planar[edge + 1] - self.planar[edge]
        t = (positions - self.planar[edge]) / span
        x = start[:, 0] + t * (end[:, 0] - start[:, 0])
        y = start[:, 1] + t * (end[:, 1] - start[:, 1])
        nx = -(end[:, 1] - start[:, 1]) / span
        ny = (end[:, 0] - start[:, 0]) / span
        return x, y, nx, ny


class _Side:
    """The provinces of one country, answering "which province is beside the line here?".

    Primary test: a probe ~1 cm to the left and right of the line falls inside a province
    (exact for conformed provinces, which reach the line). Fallback for probes inside no
    province (gaps in unconformed input, round-off): the province with the nearest edge.
    """

    def __init__(
        self, provinces: Mapping[str, ProvinceShape | BaseGeometry], side: str, codes: Mapping[str, str]
    ) -> None:
        if not provinces:
            raise GeometryError(f"split_border: no {side} provinces given")
        self.keys: list[str] = sorted(provinces)
        self.codes: list[str] = []
        geoms: list[BaseGeometry] = []
        for key in self.keys:
            value = provinces[key]
            geom = value.geometry if isinstance(value, ProvinceShape) else value
            if not polygon_parts(geom):
                raise GeometryError(f"split_border: {side} province {key} has no polygon")
            self.codes.append(value.code if isinstance(value, ProvinceShape) else codes.get(key, key))
            geoms.append(geom)
        self.geoms = np.array(geoms, dtype=object)
        shapely.prepare(self.geoms)
        self.bounds = shapely.bounds(self.geoms)
        self._edge_tree: Any = None
        self._edge_owner: IntArray = np.zeros(0, dtype=np.int64)

    def label(self, line: _Line, positions: FloatArray) -> IntArray:
        x, y, nx, ny = line.frame(positions)
        labels = np.full(len(positions), -1, dtype=np.int64)
        for sign in (1.0, -1.0):
            px = x + sign * _SIDE_PROBE_DEG * nx
            py = y + sign * _SIDE_PROBE_DEG * ny
            for index, (minx, miny, maxx, maxy) in enumerate(self.bounds):
                todo = np.flatnonzero(
                    (labels < 0) & (px >= minx) & (px <= maxx) & (py >= miny) & (py <= maxy)
                )
                if todo.size:
                    inside = shapely.contains_xy(self.geoms[index], px[todo], py[todo])
                    labels[todo[inside]] = index
        missing = np.flatnonzero(labels < 0)
        if missing.size:
            labels[missing] = self._nearest(x[missing], y[missing])
        return labels

    def _nearest(self, x: FloatArray, y: FloatArray) -> IntArray:
        if self._edge_tree is None:
            edges, owner = ring_edges(list(self.geoms))
            self._edge_tree = shapely.STRtree(shapely.linestrings(edges.reshape(-1, 2, 2)))
            self._edge_owner = owner
        nearest = self._edge_tree.query_nearest(shapely.points(x, y), all_matches=False)
        found = np.full(len(x), -1, dtype=np.int64)
        found[nearest[0]] = self._edge_owner[nearest[1]]
        return found

    def runs(self, line: _Line, samples: FloatArray, min_run_m: float) -> tuple[list[float], list[int]]:
        """Bounds (planar positions) and labels of the runs of one province along the line."""
        labels = self.label(line, samples)
        change = np.flatnonzero(labels[1:] != labels[:-1])
        # Refine each change between two samples by bisection on the same test.
        lo, hi = samples[change].copy(), samples[change + 1].copy()
        before = labels[change]
        for _ in range(_BISECT_STEPS):
            if lo.size == 0:
                break
            mid = (lo + hi) / 2
            same = self.label(line, mid) == before
            lo = np.where(same, mid, lo)
            hi = np.where(same, hi, mid)
        bounds = [0.0, *((lo + hi) / 2).tolist(), line.length]
        run_labels = [int(labels[0]), *labels[change + 1].tolist()]
        return _merge_short_runs(line, bounds, run_labels, min_run_m)


def _merge_short_runs(
    line: _Line, bounds: list[float], labels: list[_Label], min_run_m: float
) -> tuple[list[float], list[_Label]]:
    """Absorb runs shorter than ``min_run_m`` into a neighbour, shortest first.

    Why: where provinces meet the line at a slant, or where the leftover allocation left a
    jagged edge, a province can touch the line for a few metres; such runs are noise, but
    their length must not be lost, so a neighbour takes it over (both neighbours if they
    are the same province, else the longer one). Adjacent runs of one label are joined.
    """
    bounds, labels = list(bounds), list(labels)

    def coalesce() -> None:
        i = 1
        while i < len(labels):
            if labels[i] == labels[i - 1]:
                del labels[i]
                del bounds[i]
            else:
                i += 1

    coalesce()
    while len(labels) > 1:
        metres = line.to_metres(np.asarray(bounds))
        lengths = np.diff(metres)
        i = int(np.argmin(lengths))
        if lengths[i] >= min_run_m:
            break
        if i == 0:
            del labels[0], bounds[1]
        elif i == len(labels) - 1:
            del labels[i], bounds[i]
        elif labels[i - 1] == labels[i + 1] or lengths[i - 1] >= lengths[i + 1]:
            del labels[i], bounds[i + 1]  # the left neighbour grows
        else:
            del labels[i], bounds[i]  # the right neighbour grows
        coalesce()
    return bounds, labels


def split_border(
    line: LineString,
    vn_provinces: Mapping[str, ProvinceShape | BaseGeometry],
    la_provinces: Mapping[str, ProvinceShape | BaseGeometry],
    *,
    codes: Mapping[str, str] | None = None,
    max_step_m: float = SPLIT_MAX_STEP_M,
    min_run_m: float = SPLIT_MIN_RUN_M,
) -> list[BorderSegment]:
    """Cut the border line into runs that face one VN and one LA province each.

    Why: the line itself knows no provinces; the pair of provinces on either side is what
    the map labels and what the per-province border lengths are summed from.

    Method: the line is sampled at most ``max_step_m`` apart; at each sample the province of
    each side is the one containing a probe 1 cm off the line (conformed provinces, see
    :func:`conform_provinces`, reach the line exactly), else the one with the nearest edge.
    Where a side's province changes between two samples, the change point is bisected to
    < 1 mm. Runs shorter than ``min_run_m`` are absorbed by a neighbour, first per side, then
    per pair (a VN and a LA tripoint a few metres apart). The line is then cut at the run
    bounds (``_Line.cut``: what ``shapely.ops.substring`` gives, in one pass), so the
    segments cover it exactly, end to end.

    Mapping keys are province keys; a value is a ProvinceShape (its ``code`` is used) or a
    bare geometry, whose code is looked up in ``codes`` (else the key doubles as the code).
    The line is oriented north to south first, so ``order`` 0 is the northern end. Raises
    GeometryError on bad input.
    """
    if not isinstance(line, LineString) or line.is_empty:
        kind = "None" if line is None else line.geom_type
        raise GeometryError(f"split_border: expected a non-empty LineString, got {kind}")
    if not (max_step_m > 0 and math.isfinite(max_step_m)):
        raise GeometryError(f"split_border: max_step_m must be > 0, got {max_step_m}")
    if not (min_run_m >= 0 and math.isfinite(min_run_m)):
        raise GeometryError(f"split_border: min_run_m must be >= 0, got {min_run_m}")
    vn, la = _Side(vn_provinces, "VN", codes or {}), _Side(la_provinces, "LA", codes or {})
    border = _Line.build(line)
    samples = border.samples(max_step_m)
    try:
        vn_bounds, vn_labels = vn.runs(border, samples, min_run_m)
        la_bounds, la_labels = la.runs(border, samples, min_run_m)
    except GEOSException as exc:
        raise GeometryError(f"split_border: GEOS failed on the provinces: {exc}") from exc

    # Combine the two sides: a pair run ends wherever either side's province changes.
    cuts = sorted({*vn_bounds[1:-1], *la_bounds[1:-1]})
    bounds = [0.0, *cuts, border.length]
    mids = (np.asarray(bounds[:-1]) + np.asarray(bounds[1:])) / 2
    vn_at = np.searchsorted(np.asarray(vn_bounds), mids, side="right") - 1
    la_at = np.searchsorted(np.asarray(la_bounds), mids, side="right") - 1
    pairs = [(vn_labels[v], la_labels[a]) for v, a in zip(vn_at.tolist(), la_at.tolist(), strict=True)]
    bounds, pairs = _merge_short_runs(border, bounds, pairs, min_run_m)

    segments: list[BorderSegment] = []
    for order, ((v, a), start, end) in enumerate(zip(pairs, bounds[:-1], bounds[1:], strict=True)):
        piece = border.cut(start, end)
        segments.append(
            BorderSegment(
                vn_key=vn.keys[v],
                vn_code=vn.codes[v],
                la_key=la.keys[a],
                la_code=la.codes[a],
                geometry=piece,
                length_m=geodesic_length_m(piece),
                order=order,
            )
        )
    return segments
