"""The Laos–Vietnam land border as a line, and the provinces of each side that meet on it.

Why this module exists: the two open sources disagree. The OpenStreetMap (OSM) national land
polygons give a detailed border line (~2,199 km), while the Natural Earth (NE) 1:10m provinces
are generalised (their own shared boundary is ~1,750 km) and neither share the OSM line nor
reach it everywhere. To say "which Vietnamese and which Lao province face each other, and over
how many km", the provinces are first *conformed* to the OSM country polygons (so they tile
them and meet on the OSM line exactly), then the OSM line is cut where either side's province
changes.

All functions are pure (no I/O) and deterministic: the same input gives the same output,
whatever the order of the provinces given. Coordinates are WGS84 lon/lat degrees; lengths in
metres are geodesic on the WGS84 ellipsoid.

API
---
``ProvinceShape(key, code, country, geometry)``
    One province: ``key`` is unique (NE ``adm1_code``, because NE gives ISO code LA-VI to two
    features), ``code`` its ISO 3166-2 code, ``country`` "VN" or "LA".
``BorderSegment(vn_key, vn_code, la_key, la_code, geometry, length_m, order)``
    A piece of the border line between one VN and one LA province; ``order`` 0 is the
    northern end (the China tripoint), counting southwards.
``repair(geom) -> Polygon | MultiPolygon``
    Make a polygonal geometry valid, keeping only its areas.
``shared_boundary(a, b, tolerance_deg=0.0) -> LineString``
    The boundary two polygons share, as one LineString oriented north to south.
``geodesic_length_m(line) -> float``
    Length on the WGS84 ellipsoid.
``conform_provinces(provinces, country_polygon, *, sample_step_deg=0.01) -> dict[str, geometry]``
    Clip all provinces of one country to its (repaired) OSM polygon and hand the leftover
    area to the nearest province, so that they tile the country polygon.
``split_border(line, vn_provinces, la_provinces, *, codes=None, max_step_m=40.0,
min_run_m=1000.0) -> list[BorderSegment]``
    Cut the line into runs facing one (VN, LA) province pair each, ordered north to south.
    Provinces map key -> ProvinceShape or bare geometry (codes then from ``codes``).
``province_border_lengths(segments) -> dict[str, float]``
    Border length per province key.

Typical use::

    vn_poly, la_poly = repair(osm_vnm), repair(osm_lao)
    line = shared_boundary(vn_poly, la_poly)
    vn = conform_provinces(vn_shapes, vn_poly)   # key -> geometry
    la = conform_provinces(la_shapes, la_poly)
    codes = {p.key: p.code for p in (*vn_shapes, *la_shapes)}
    segments = split_border(line, vn, la, codes=codes)
    km_by_key = province_border_lengths(segments)

``PARAMETERS`` lists the tuning constants (for a build manifest).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.errors import GEOSException
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from laovn_map.errors import GeometryError

__all__ = [
    "CONFORM_SAMPLE_STEP_DEG",
    "GEOD",
    "PARAMETERS",
    "SHARED_BOUNDARY_TOLERANCE_DEG",
    "SPLIT_MAX_STEP_M",
    "SPLIT_MIN_RUN_M",
    "BorderSegment",
    "FloatArray",
    "IntArray",
    "ProvinceShape",
    "as_polygonal",
    "geodesic_length_m",
    "orient_north_to_south",
    "polygon_parts",
    "province_border_lengths",
    "repair",
    "shared_boundary",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

GEOD = Geod(ellps="WGS84")

#: Spacing of the outline points whose Voronoi cells share leftover area out (~1.1 km): the
#: leftover slivers are a few km wide, and finer spacing only costs time.
CONFORM_SAMPLE_STEP_DEG: Final = 0.01
#: Largest gap between two probes of the border line; a province change between two probes
#: is then bisected to < 1 mm, so this only bounds how short a run can be and still be seen.
SPLIT_MAX_STEP_M: Final = 40.0
#: Runs shorter than this are absorbed by a neighbour. NE 1:10m boundaries are generalised
#: to a few hundred metres; on the real data the one run it removes is a 250 m touch of
#: Kon Tum between two Quảng Nam runs, while every real province pair runs >= 20 km.
SPLIT_MIN_RUN_M: Final = 1000.0
#: Snapping tolerance for shared_boundary; 0 because both sources share exact vertices.
SHARED_BOUNDARY_TOLERANCE_DEG: Final = 0.0

#: The parameters above, for a build manifest.
PARAMETERS: Final[dict[str, float]] = {
    "border_conform_sample_step_deg": CONFORM_SAMPLE_STEP_DEG,
    "border_split_max_step_m": SPLIT_MAX_STEP_M,
    "border_split_min_run_m": SPLIT_MIN_RUN_M,
    "border_shared_boundary_tolerance_deg": SHARED_BOUNDARY_TOLERANCE_DEG,
}



@dataclass(frozen=True)
class ProvinceShape:
    """A first-order division with its polygon.

    ``key`` must be unique (NE ``adm1_code``): ISO 3166-2 codes are not unique in NE (LA-VI).
    """

    key: str
    code: str
    country: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class BorderSegment:
    """A stretch of the border line along which one VN and one LA province face each other."""

    vn_key: str
    vn_code: str
    la_key: str
    la_code: str
    geometry: LineString
    length_m: float
    order: int


# --------------------------------------------------------------------------------------------
# Repair, shared boundary, length
# --------------------------------------------------------------------------------------------


def polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """Non-empty Polygon members of any geometry, collections flattened, in input order."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        out: list[Polygon] = []
        for part in geom.geoms:
            out.extend(polygon_parts(part))
        return out
    return []


def as_polygonal(parts: Sequence[Polygon]) -> Polygon | MultiPolygon:
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(list(parts))


def _parts_clash(parts: Sequence[Polygon]) -> bool:
    """Whether two parts overlap or share an edge (which makes a MultiPolygon invalid).

    Envelope candidates first, then a prepared ``intersects`` with the bigger part prepared,
    then the full DE-9IM only for the few pairs that touch: checking the whole MultiPolygon
    with ``is_valid`` compares every ring with every other, and the OSM Vietnam polygon has
    thousands of holes (bench/README.md).
    """
    if len(parts) < 2:
        return False
    arr = np.array(parts, dtype=object)
    left, right = shapely.STRtree(arr).query(arr)
    keep = left < right
    left, right = left[keep], right[keep]
    if left.size == 0:
        return False
    sizes = shapely.get_num_coordinates(arr)
    big = np.where(sizes[left] >= sizes[right], left, right)
    small = np.where(sizes[left] >= sizes[right], right, left)
    shapely.prepare(arr)
    hits = shapely.intersects(arr[big], arr[small])
    if not hits.any():
        return False
    matrices = shapely.relate(arr[big[hits]], arr[small[hits]])
    # interior/interior not empty, or boundary/boundary 1-dimensional
    return any(m[0] != "F" or m[4] == "1" for m in matrices)


def repair(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Return a valid Polygon or MultiPolygon covering the areas of ``geom``.

    Why: the OSM land polygons are invalid (self-touching rings from their rasterised
    origin), and overlay operations on invalid input fail or give wrong areas. Only the
    invalid members are passed through ``make_valid`` ("structure" method: holes stay holes),
    several times faster than repairing the whole MultiPolygon; lines and points that
    ``make_valid`` may produce are dropped. Raises GeometryError when no area remains.
    """
    parts = polygon_parts(geom)
    if not parts:
        kind = "None" if geom is None else geom.geom_type
        raise GeometryError(f"repair: expected a polygon or multipolygon with area, got {kind}")
    try:
        valid = shapely.is_valid(np.array(parts, dtype=object))
        fixed: list[Polygon] = []
        for part, ok in zip(parts, valid, strict=True):
            if ok:
                fixed.append(part)
            else:
                fixed.extend(polygon_parts(shapely.make_valid(part, method="structure")))
        fixed = [p for p in fixed if p.area > 0.0]
        if not fixed:
            raise GeometryError("repair: the geometry has no area left once made valid")
        if _parts_clash(fixed):
            fixed = [p for p in polygon_parts(shapely.union_all(fixed)) if p.area > 0.0]
    except GEOSException as exc:
        raise GeometryError(f"repair: GEOS could not repair the geometry: {exc}") from exc
    return as_polygonal(fixed)


def orient_north_to_south(line: LineString) -> LineString:
    """Reverse the line if needed so it starts at its northern end (western end on a tie)."""
    (x0, y0), (x1, y1) = line.coords[0][:2], line.coords[-1][:2]
    if (y0, -x0) < (y1, -x1):
        return LineString(list(line.coords)[::-1])
    return line


def shared_boundary(
    a: BaseGeometry, b: BaseGeometry, tolerance_deg: float = SHARED_BOUNDARY_TOLERANCE_DEG
) -> LineString:
    """The boundary that polygons ``a`` and ``b`` share, merged into one north-to-south line.

    Why one line: the Laos–Vietnam border is a single open line from the China tripoint to
    the Cambodia tripoint; anything else means the inputs are not the two countries.
    Measured: the OSM polygons share 10,095 exact vertices (2,199.2 km) and the NE provinces
    dissolved per country also share exact vertices (1,749.7 km), so ``tolerance_deg=0``
    suffices for both. A positive tolerance snaps ``b`` onto ``a`` first, for sources whose
    common vertices differ by round-off. Raises GeometryError when the polygons share no
    line, or the shared parts do not join into one connected line.
    """
    if tolerance_deg < 0 or not math.isfinite(tolerance_deg):
        raise GeometryError(f"shared_boundary: tolerance_deg must be >= 0, got {tolerance_deg}")
    for name, geom in (("a", a), ("b", b)):
        if not polygon_parts(geom):
            kind = "None" if geom is None else geom.geom_type
            raise GeometryError(f"shared_boundary: {name} must be polygonal, got {kind}")
    try:
        if tolerance_deg > 0:
            b = shapely.snap(b, a, tolerance_deg)
        common = shapely.get_parts(shapely.intersection(a.boundary, b.boundary))
        # The overlay output is already noded: its lines (one per shared edge) only need
        # joining end to end; points are places where the outlines merely cross or touch.
        lines = common[(shapely.get_type_id(common) == 1) & (shapely.length(common) > 0)]
        if lines.size == 0:
            raise GeometryError(
                "shared_boundary: the two polygons share no boundary line "
                f"(their outlines meet at {common.size} point(s))"
            )
        merged = shapely.line_merge(shapely.multilinestrings(lines))
    except GEOSException as exc:
        raise GeometryError(f"shared_boundary: GEOS failed on the inputs: {exc}") from exc
    if merged.geom_type != "LineString":
        pieces = sorted((geodesic_length_m(g) for g in shapely.get_parts(merged)), reverse=True)
        shown = ", ".join(f"{p / 1000:.3f} km" for p in pieces[:5])
        raise GeometryError(
            f"shared_boundary: the shared boundary is {len(pieces)} disconnected lines "
            f"({shown}{', ...' if len(pieces) > 5 else ''}), expected one connected line; "
            "check the inputs or pass a small tolerance_deg"
        )
    return orient_north_to_south(merged)


def geodesic_length_m(line: BaseGeometry) -> float:
    """Length in metres on the WGS84 ellipsoid (lon/lat input), not in planar degrees."""
    if line is None or line.is_empty:
        return 0.0
    if not isinstance(line, LineString | MultiLineString):
        raise GeometryError(f"geodesic_length_m: expected a line, got {line.geom_type}")
    return float(GEOD.geometry_length(line))


def province_border_lengths(segments: Iterable[BorderSegment]) -> dict[str, float]:
    """Total border length in metres per province key (VN and LA keys together), key order.

    Why: a province can face several provinces of the other side; its border length is the
    sum over those segments, which is what province pages quote.
    """
    totals: dict[str, float] = {}
    for segment in segments:
        for key in (segment.vn_key, segment.la_key):
            totals[key] = totals.get(key, 0.0) + segment.length_m
    return dict(sorted(totals.items()))
