"""Conforming one country's provinces to its country polygon, so that they tile it exactly.

Why: Natural Earth's 1:10m provinces are generalised and neither share OpenStreetMap's border
line nor reach it everywhere (see :mod:`laovn_map.build.border`). Clipping them to the OSM
country polygon and handing each leftover sliver to the province nearest to it (by Voronoi
cells of sampled outline points) gives provinces that meet on the OSM line, so the line can be
cut where either side's province changes (:mod:`laovn_map.build.segments`).

Pure and deterministic, like the rest of the geometry stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.errors import GEOSException
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from laovn_map.build.border import (
    CONFORM_SAMPLE_STEP_DEG,
    FloatArray,
    IntArray,
    ProvinceShape,
    as_polygonal,
    polygon_parts,
    repair,
)
from laovn_map.errors import GeometryError


def ring_edges(geoms: Sequence[BaseGeometry]) -> tuple[FloatArray, IntArray]:
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
    parts = [p for p in polygon_parts(geom) if p.area > 0.0]
    if not parts:
        return Polygon()
    return as_polygonal(parts)


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
    again here would repeat the slowest check of the stage on the OSM Vietnam polygon). Returns key -> valid
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
    if not polygon_parts(country_polygon):
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
    pieces = np.array([p for p in polygon_parts(remainder) if p.area > 0.0], dtype=object)
    if pieces.size:
        _allocate(geoms, country, pieces, step, extra)

    out: list[BaseGeometry | None] = []
    for label in range(n):
        parts = [p for p in polygon_parts(clipped[label]) if p.area > 0.0]
        if extra[label]:
            parts = [p for p in polygon_parts(_dissolve([*parts, *extra[label]])) if p.area > 0.0]
        out.append(as_polygonal(parts) if parts else None)
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
    prov_edges, prov_owner = ring_edges(geoms)
    piece_edges, piece_owner = ring_edges(list(pieces))
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
            for part in polygon_parts(geom):
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
        for part in polygon_parts(shapely.difference(piece, taken)):
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
