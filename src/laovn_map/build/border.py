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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.errors import GEOSException
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from laovn_map.errors import GeometryError

__all__ = [
    "CONFORM_SAMPLE_STEP_DEG",
    "PARAMETERS",
    "SHARED_BOUNDARY_TOLERANCE_DEG",
    "SPLIT_MAX_STEP_M",
    "SPLIT_MIN_RUN_M",
    "BorderSegment",
    "ProvinceShape",
    "conform_provinces",
    "geodesic_length_m",
    "province_border_lengths",
    "repair",
    "shared_boundary",
    "split_border",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_Label = TypeVar("_Label")

_GEOD = Geod(ellps="WGS84")

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

# Offset (degrees, ~1 cm) used to probe which polygon lies on each side of the border line.
# Much smaller than any province, much larger than the round-off of overlay operations.
_SIDE_PROBE_DEG = 1e-7
# Bisection steps refining a breakpoint between two samples: 40 m / 2**16 < 1 mm.
_BISECT_STEPS = 16


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


def _polygon_parts(geom: BaseGeometry) -> list[Polygon]:
    """Non-empty Polygon members of any geometry, collections flattened, in input order."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        out: list[Polygon] = []
        for part in geom.geoms:
            out.extend(_polygon_parts(part))
        return out
    return []


def _as_polygonal(parts: Sequence[Polygon]) -> Polygon | MultiPolygon:
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(list(parts))


def _parts_clash(parts: Sequence[Polygon]) -> bool:
    """Whether two parts overlap or share an edge (which makes a MultiPolygon invalid).

    Envelope candidates first, then a prepared ``intersects`` with the bigger part prepared,
    then the full DE-9IM only for the few pairs that touch: checking the whole MultiPolygon
    with ``is_valid`` costs ~0.5 s on the OSM Vietnam polygon (3,574 holes), this ~10 ms.
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
    parts = _polygon_parts(geom)
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
                fixed.extend(_polygon_parts(shapely.make_valid(part, method="structure")))
        fixed = [p for p in fixed if p.area > 0.0]
        if not fixed:
            raise GeometryError("repair: the geometry has no area left once made valid")
        if _parts_clash(fixed):
            fixed = [p for p in _polygon_parts(shapely.union_all(fixed)) if p.area > 0.0]
    except GEOSException as exc:
        raise GeometryError(f"repair: GEOS could not repair the geometry: {exc}") from exc
    return _as_polygonal(fixed)


def _orient_north_to_south(line: LineString) -> LineString:
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
        if not _polygon_parts(geom):
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
    return _orient_north_to_south(merged)


def geodesic_length_m(line: BaseGeometry) -> float:
    """Length in metres on the WGS84 ellipsoid (lon/lat input), not in planar degrees."""
    if line is None or line.is_empty:
        return 0.0
    if not isinstance(line, LineString | MultiLineString):
        raise GeometryError(f"geodesic_length_m: expected a line, got {line.geom_type}")
    return float(_GEOD.geometry_length(line))


# --------------------------------------------------------------------------------------------
# Conforming provinces to a country polygon
# --------------------------------------------------------------------------------------------


def _ring_edges(geoms: Sequence[BaseGeometry]) -> tuple[FloatArray, IntArray]:
    """All ring edges of polygonal ``geoms`` as rows (x1, y1, x2, y2), with the owner index.

    Each edge is normalised so its lexicographically smaller end comes first, so the same
    edge walked by two neighbouring polygons in opposite directions gets the same row.
    """
    parts, part_owner = shapely.get_parts(np.array(list(geoms), dtype=object), return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)  # rings of Polygons only
    ring_owner = part_owner[ring_part]
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    if len(coords) < 2:
        return np.zeros((0, 4)), np.zeros(0, dtype=np.int64)
    same = coord_ring[:-1] == coord_ring[1:]
    start, end = coords[:-1][same], coords[1:][same]
    owner = ring_owner[coord_ring[:-1][same]].astype(np.int64)
    swap = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    first = np.where(swap[:, None], end, start)
    second = np.where(swap[:, None], start, end)
    edges = np.hstack([first, second])
    nonzero = (edges[:, 0] != edges[:, 2]) | (edges[:, 1] != edges[:, 3])
    return edges[nonzero], owner[nonzero]


def _remove_overlaps(geoms: list[BaseGeometry]) -> tuple[list[BaseGeometry], bool]:
    """Make the provinces disjoint: an overlap stays with the province earlier in key order.

    NE's provinces of one country form a valid coverage (checked quickly first), so this
    normally changes nothing; it protects the tiling against other sources. The flag says
    whether the input was a valid coverage (then its union can use the fast coverage union).
    """
    arr = np.array(geoms, dtype=object)
    if shapely.coverage_is_valid(arr):
        return geoms, True
    tree = shapely.STRtree(arr)
    out = list(geoms)
    for i in range(len(out)):
        earlier = [j for j in sorted(tree.query(out[i], predicate="intersects")) if j < i]
        if earlier:
            rest = shapely.difference(out[i], shapely.union_all([out[j] for j in earlier]))
            out[i] = _as_polygonal_or_empty(rest)
    return out, False


def _as_polygonal_or_empty(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in _polygon_parts(geom) if p.area > 0.0]
    if not parts:
        return Polygon()
    return _as_polygonal(parts)


def _densify_labelled(edges: FloatArray, labels: IntArray, step: float) -> tuple[FloatArray, IntArray]:
    """Points along each edge at most ``step`` apart (start included, end excluded: it is the
    start of the next edge), each with the label of its edge."""
    dx = edges[:, 2] - edges[:, 0]
    dy = edges[:, 3] - edges[:, 1]
    counts = np.maximum(1, np.ceil(np.hypot(dx, dy) / step)).astype(np.int64)
    owner = np.repeat(np.arange(len(edges)), counts)
    offsets = np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)
    frac = offsets / counts[owner]
    points = np.column_stack([edges[owner, 0] + frac * dx[owner], edges[owner, 1] + frac * dy[owner]])
    return points, labels[owner]


def _edge_ids(*tables: FloatArray) -> list[IntArray]:
    """A common integer id per distinct edge row across several edge tables."""
    stacked = np.vstack(tables)
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    out: list[IntArray] = []
    start = 0
    for table in tables:
        out.append(inverse[start : start + len(table)].astype(np.int64))
        start += len(table)
    return out


def conform_provinces(
    provinces: Sequence[ProvinceShape],
    country_polygon: BaseGeometry,
    *,
    sample_step_deg: float = CONFORM_SAMPLE_STEP_DEG,
) -> dict[str, BaseGeometry]:
    """Reshape one country's provinces so that they tile ``country_polygon`` exactly.

    Why: NE provinces overshoot the OSM border in places and stop short of it elsewhere, so
    VN and LA provinces neither meet nor avoid overlapping along the OSM line. Pass *all*
    provinces of the country (not only border ones) so the interior is covered too.

    Method: each province is clipped to the country polygon; the leftover (country minus the
    union of all provinces: slivers along the border and coast, and islands) is split into
    its connected pieces. A piece that shares an edge with one province only goes to it
    whole; a piece touching no province (an island) goes whole to the province nearest to
    its representative point; a piece touching several provinces is divided between them by
    nearest province, using Voronoi cells of points spaced ``sample_step_deg`` along the
    province outlines. Overlaps between the input provinces, if any, stay with the
    province first in key order.

    ``country_polygon`` must be valid (pass it through :func:`repair`; checking validity
    again here would cost ~0.5 s on the OSM Vietnam polygon). Returns key -> valid
    Polygon/MultiPolygon, in key order; a province left with no area inside the country
    (and no leftover) is omitted. Raises GeometryError on duplicate keys, empty input, or
    provinces that do not reach the country polygon.
    """
    if not provinces:
        raise GeometryError("conform_provinces: no provinces given")
    keys = [p.key for p in provinces]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise GeometryError(f"conform_provinces: duplicate province keys {duplicates}")
    if not _polygon_parts(country_polygon):
        raise GeometryError("conform_provinces: the country polygon is empty or not polygonal")
    if not (0 < sample_step_deg < 1):
        raise GeometryError(f"conform_provinces: sample_step_deg must be in (0, 1), got {sample_step_deg}")
    ordered = sorted(provinces, key=lambda p: p.key)
    geoms: list[BaseGeometry] = []
    for p in ordered:
        try:
            geoms.append(repair(p.geometry))
        except GeometryError as exc:
            raise GeometryError(f"conform_provinces: province {p.key} ({p.code}): {exc}") from exc
    try:
        pieces_by_label = _conform(geoms, country_polygon, sample_step_deg)
    except GEOSException as exc:
        raise GeometryError(
            f"conform_provinces: GEOS failed (is the country polygon valid? use repair()): {exc}"
        ) from exc
    result: dict[str, BaseGeometry] = {}
    for label, p in enumerate(ordered):
        geom = pieces_by_label[label]
        if geom is not None:
            result[p.key] = geom
    return result


def _conform(geoms: list[BaseGeometry], country: BaseGeometry, step: float) -> list[BaseGeometry | None]:
    """Core of conform_provinces on key-ordered, repaired geometries; label = list index."""
    geoms, is_coverage = _remove_overlaps(geoms)
    n = len(geoms)
    arr = np.array(geoms, dtype=object)
    shapely.prepare(country)
    clipped = shapely.intersection(arr, country)
    covered = shapely.coverage_union_all(arr) if is_coverage else shapely.union_all(arr)
    remainder = shapely.difference(country, covered)
    if all(shapely.area(clipped) <= 0.0):
        raise GeometryError("conform_provinces: no province overlaps the country polygon")

    extra: list[list[BaseGeometry]] = [[] for _ in range(n)]
    pieces = np.array([p for p in _polygon_parts(remainder) if p.area > 0.0], dtype=object)
    if pieces.size:
        _allocate(geoms, country, pieces, step, extra)

    out: list[BaseGeometry | None] = []
    for label in range(n):
        parts = [p for p in _polygon_parts(clipped[label]) if p.area > 0.0]
        if extra[label]:
            parts = [p for p in _polygon_parts(_dissolve([*parts, *extra[label]])) if p.area > 0.0]
        out.append(_as_polygonal(parts) if parts else None)
    return out


def _dissolve(parts: list[BaseGeometry]) -> BaseGeometry:
    """Union of disjoint areas that share edges, via the fast coverage union when it is sound.

    The clipped province and its leftover pieces usually share exact vertices, where the
    coverage union is ~3x faster than a full overlay; where they do not (a node added by
    an overlay on one side only) it fails, or its result is invalid or loses area, and the
    full union is used instead.
    """
    try:
        merged = shapely.coverage_union_all(parts)
    except GEOSException:  # "cannot process incorrectly noded inputs"
        return shapely.union_all(parts)
    expected = float(np.sum(shapely.area(np.array(parts, dtype=object))))
    if shapely.is_valid(merged) and abs(merged.area - expected) <= 1e-9 * expected:
        return merged
    return shapely.union_all(parts)


def _allocate(
    geoms: list[BaseGeometry],
    country: BaseGeometry,
    pieces: npt.NDArray[Any],
    step: float,
    extra: list[list[BaseGeometry]],
) -> None:
    """Give each leftover piece (or its parts) to a province, appending to ``extra``."""
    # Outline edges: edges used by exactly one province, i.e. not shared between two of them.
    prov_edges, prov_owner = _ring_edges(geoms)
    piece_edges, piece_owner = _ring_edges(list(pieces))
    prov_ids, piece_ids = _edge_ids(prov_edges, piece_edges)
    outline = np.bincount(prov_ids)[prov_ids] == 1
    label_of_edge = np.full(int(max(prov_ids.max(initial=0), piece_ids.max(initial=0))) + 1, -1)
    label_of_edge[prov_ids[outline]] = prov_owner[outline]

    # Which provinces each piece touches, with the length of edge it shares with each.
    piece_label = label_of_edge[piece_ids]
    touching = piece_label >= 0
    edge_len = np.hypot(
        piece_edges[touching, 2] - piece_edges[touching, 0],
        piece_edges[touching, 3] - piece_edges[touching, 1],
    )
    touch: dict[int, dict[int, float]] = {}
    for piece, label, length in zip(
        piece_owner[touching].tolist(),
        piece_label[touching].tolist(),
        edge_len.tolist(),
        strict=True,
    ):
        by_label = touch.setdefault(piece, {})
        by_label[label] = by_label.get(label, 0.0) + length

    # Edges split by a new node (where a province edge crosses the country outline) do not
    # match exactly; for pieces with no matched edge, measure the contact geometrically.
    unmatched = [i for i in range(len(pieces)) if i not in touch]
    if unmatched:
        tree = shapely.STRtree(np.array(geoms, dtype=object))
        piece_index, geom_index = tree.query(pieces[unmatched], predicate="intersects")
        for i, j in zip(piece_index.tolist(), geom_index.tolist(), strict=True):
            contact = shapely.intersection(pieces[unmatched[i]].boundary, geoms[j].boundary)
            length = float(shapely.length(contact))
            if length > 0.0:
                by_label = touch.setdefault(unmatched[i], {})
                by_label[j] = by_label.get(j, 0.0) + length

    sites = _Sites.build(prov_edges[outline], prov_owner[outline], country, step)
    for index, piece in enumerate(pieces):
        by_label = touch.get(index, {})
        if len(by_label) == 1:
            extra[next(iter(by_label))].append(piece)
        elif not by_label:
            extra[sites.label_at(piece)].append(piece)
        else:
            neighbours = sorted(by_label)
            for label, part in _anchor_parts(sites.split(piece, neighbours), neighbours, geoms):
                extra[label].append(part)


def _contact(a: BaseGeometry, b: BaseGeometry) -> float:
    """Length of boundary that two areas share (0 when they only touch at points)."""
    if not shapely.intersects(a, b):
        return 0.0
    return float(shapely.length(shapely.intersection(a.boundary, b.boundary)))


def _anchor_parts(
    parts: list[tuple[int, Polygon]], touching: Sequence[int], geoms: Sequence[BaseGeometry]
) -> list[tuple[int, Polygon]]:
    """Re-own split parts that border no part of their province.

    Why: a Voronoi region can cut a leftover piece into bits that are nearest to province P
    yet cut off from P by another province's bit. Such a bit goes to whatever it borders
    most: a touching province, or a bit whose owner is settled; repeated until stable.
    """
    owners = [label for label, _ in parts]
    settled = [_contact(part, geoms[label]) > 0.0 for label, part in parts]
    changed = True
    while changed and not all(settled):
        changed = False
        for i, (_, part) in enumerate(parts):
            if settled[i]:
                continue
            contact: dict[int, float] = {}
            for other in touching:
                contact[other] = contact.get(other, 0.0) + _contact(part, geoms[other])
            for j, (_, neighbour) in enumerate(parts):
                if j != i and settled[j]:
                    contact[owners[j]] = contact.get(owners[j], 0.0) + _contact(part, neighbour)
            best = max(sorted(contact), key=lambda label: contact[label], default=None)
            if best is not None and contact[best] > 0.0:
                owners[i], settled[i], changed = best, True, True
    return [(owner, part) for owner, (_, part) in zip(owners, parts, strict=True)]


@dataclass(frozen=True)
class _Sites:
    """Points along the province outlines, labelled by province, and their Voronoi cells.

    The cell of a point is the area nearer to it than to any other point, so a leftover area
    inside the cells of province P is (to within the point spacing) nearer to P than to any
    other province.
    """

    points: FloatArray
    labels: IntArray
    cells: npt.NDArray[Any]
    tree: Any  # shapely.STRtree over cells, or None when all points share one label

    @staticmethod
    def build(edges: FloatArray, owners: IntArray, country: BaseGeometry, step: float) -> _Sites:
        # The leftover lies outside every province, so the province nearest to a leftover
        # point is the one owning the nearest point of the provinces' outer outline,
        # including outline parts that overshoot the country (e.g. NE coasts at sea).
        points, labels = _densify_labelled(edges, owners, step)
        if points.size == 0:
            raise GeometryError("conform_provinces: the provinces have no outline to measure from")
        # np.unique sorts the points: the diagram no longer depends on the input order.
        points, first = np.unique(points, axis=0, return_index=True)
        labels = labels[first]
        if np.unique(labels).size < 2:
            return _Sites(points, labels, np.empty(0, dtype=object), None)
        # Sites on a regular layout (straight edges sampled at equal steps) are cocircular by
        # the thousand, which makes GEOS return broken cells. A fixed pseudo-random nudge of
        # at most step/1000 (~1 m) breaks the ties and keeps the output deterministic.
        nudge = np.random.default_rng(20160316).uniform(-1.0, 1.0, points.shape)
        points = points + nudge * (step / 1000.0)
        minx, miny, maxx, maxy = country.bounds
        frame = box(minx - 1, miny - 1, maxx + 1, maxy + 1)
        diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame, ordered=True)
        cells = shapely.get_parts(diagram)
        if len(cells) != len(points):
            raise GeometryError(
                f"conform_provinces: Voronoi diagram gave {len(cells)} cells for {len(points)} sites"
            )
        # Should the nudge not suffice, repair self-intersecting cells (split() then checks
        # that the regions still tile each piece).
        broken = np.flatnonzero(~shapely.is_valid(cells))
        for index in broken.tolist():
            cells[index] = _as_polygonal_or_empty(shapely.make_valid(cells[index]))
        return _Sites(points, labels, cells, shapely.STRtree(cells))

    def nearest(self, geom: BaseGeometry, among: Sequence[int] | None = None) -> int:
        """Label of the site nearest to a point inside ``geom`` (optionally among labels)."""
        probe = shapely.get_coordinates(shapely.point_on_surface(geom))[0]
        mask = (
            np.ones(len(self.labels), dtype=bool)
            if among is None
            else np.isin(self.labels, np.asarray(among))
        )
        candidates = np.flatnonzero(mask)
        dist = np.hypot(self.points[candidates, 0] - probe[0], self.points[candidates, 1] - probe[1])
        return int(self.labels[candidates[int(np.argmin(dist))]])

    def label_at(self, geom: BaseGeometry) -> int:
        """Province owning the cell in which a point inside ``geom`` falls."""
        if self.tree is None:
            return int(self.labels[0])
        probe = shapely.point_on_surface(geom)
        hits = self.tree.query(probe, predicate="intersects")
        if hits.size == 0:
            return self.nearest(geom)
        return int(self.labels[hits].min())

    def split(self, piece: BaseGeometry, touching: Sequence[int]) -> list[tuple[int, Polygon]]:
        """Divide ``piece`` by nearest province; a part nearest to a province the piece does
        not touch goes to the nearest province it does touch, so no province gets a scrap
        away from its own area."""
        if self.tree is None:
            return [(int(self.labels[0]), piece)]
        near = np.sort(self.tree.query(piece))
        fragments: list[tuple[int, BaseGeometry]] = []
        for label in np.unique(self.labels[near]).tolist():
            region = _union_cells(self.cells[near[self.labels[near] == label]])
            fragments.append((label, shapely.intersection(piece, region)))
        covered = float(np.sum(shapely.area(np.array([g for _, g in fragments], dtype=object))))
        if abs(covered - piece.area) > 1e-9 * piece.area:
            fragments = self._exact_partition(piece, fragments, touching)
        out: list[tuple[int, Polygon]] = []
        for label, geom in fragments:
            for part in _polygon_parts(geom):
                if part.area > 0.0:
                    owner = label if label in touching else self.nearest(part, touching)
                    out.append((owner, part))
        return out

    def _exact_partition(
        self, piece: BaseGeometry, fragments: list[tuple[int, BaseGeometry]], touching: Sequence[int]
    ) -> list[tuple[int, BaseGeometry]]:
        """Make fragments disjoint and complete when the cells were not a clean tiling.

        Why: sites in a very regular layout (many on one circle, e.g. a grid) make GEOS
        return self-intersecting cells; once repaired they may overlap or leave holes. Each
        fragment then keeps only what earlier ones did not take, and what none covers goes
        to the nearest touching province.
        """
        out: list[tuple[int, BaseGeometry]] = []
        taken: BaseGeometry = Polygon()
        for label, geom in fragments:
            out.append((label, shapely.difference(geom, taken)))
            taken = shapely.union(taken, geom)
        for part in _polygon_parts(shapely.difference(piece, taken)):
            if part.area > 0.0:
                out.append((self.nearest(part, touching), part))
        return out


def _union_cells(cells: npt.NDArray[Any]) -> BaseGeometry:
    """Union of Voronoi cells: they share exact edges, so the fast coverage union usually
    applies; degenerate diagrams fall back to the full union."""
    try:
        return shapely.coverage_union_all(cells)
    except GEOSException:  # "cannot process incorrectly noded inputs"
        return shapely.union_all(cells)


# --------------------------------------------------------------------------------------------
# Splitting the border line by province pair
# --------------------------------------------------------------------------------------------


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
        geometry = _orient_north_to_south(LineString(xy))
        xy = np.asarray(geometry.coords, dtype=np.float64)
        planar = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        steps = np.asarray(_GEOD.line_lengths(xy[:, 0], xy[:, 1]), dtype=np.float64)
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

        Why: substring sums the edge lengths from the first vertex on every call, in Python
        (~10 ms per piece on the 10,000-vertex border). The sums are kept in ``walked``, in
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
            if not _polygon_parts(geom):
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
            edges, owner = _ring_edges(list(self.geoms))
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
