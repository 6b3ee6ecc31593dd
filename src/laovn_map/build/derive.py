"""The "derive geometry" stage: from repaired polygons to the border line, lengths and segments.

Only geometries come in (no GeoJSON, no dataset records), so this stage can be tested with
boxes; :mod:`laovn_map.build.border` holds the algorithms, this module the order they run in.

The OSM land polygons have holes where inland water is (thousands: reservoirs, wide rivers,
specks of a few hundred m²). Administrative areas include their water, so the provinces are
conformed to the *filled* land polygons (:func:`fill_holes`), and the larger holes become a
water layer of their own (:func:`inland_water`), drawn as context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import cast

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from laovn_map.build import border
from laovn_map.build.conform import conform_provinces
from laovn_map.build.segments import split_border
from laovn_map.catalog import COUNTRIES, LAOS, PARTIES, VIETNAM

#: Holes of the land polygons at least this large (geodesic, km²) are drawn as water.
WATER_MIN_AREA_KM2 = 10.0

#: Fewer square degrees than any km² can have below 60° of latitude (1° × 1° is at most
#: ~12,400 km², at the equator): a hole smaller than this per km² asked is surely too small.
_MIN_DEG2_PER_KM2 = 1 / 12_500


def geodesic_area_m2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid, whatever the orientation of the rings."""
    return float(sum(abs(border.GEOD.geometry_area_perimeter(part)[0]) for part in shapely.get_parts(geom)))


def fill_holes(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """The area inside the outer rings of *geom*: its holes filled, islands in them dissolved."""
    shells = [Polygon(part.exterior) for part in shapely.get_parts(geom)]
    return cast(Polygon | MultiPolygon, shapely.union_all(shells))


@dataclass(frozen=True)
class WaterBody:
    """An inland water body: a hole of a national land polygon, less the islands inside it.

    ``part`` and ``ring`` say which hole of the source feature it is (its provenance).
    """

    alpha3: str
    part: int
    ring: int
    geometry: BaseGeometry
    area_m2: float


def inland_water(land: Mapping[str, BaseGeometry],
                 min_area_km2: float = WATER_MIN_AREA_KM2) -> tuple[WaterBody, ...]:
    """The holes of each land polygon (by alpha-3) of at least *min_area_km2*, largest first.

    Holes far below the threshold in planar square degrees are skipped before their geodesic
    area is computed: there are thousands of them, and pyproj takes each one in Python.
    """
    found = []
    for alpha3, geom in sorted(land.items()):
        parts = shapely.get_parts(geom)
        tree = shapely.STRtree(parts)
        for part_index, part in enumerate(parts):
            holes = [Polygon(ring) for ring in part.interiors]
            planar = shapely.area(holes) if holes else []
            for ring_index, (hole, deg2) in enumerate(zip(holes, planar, strict=True)):
                if deg2 < min_area_km2 * _MIN_DEG2_PER_KM2 or geodesic_area_m2(hole) < min_area_km2 * 1e6:
                    continue
                inside = [parts[i] for i in tree.query(hole, predicate="contains")]
                water = hole.difference(shapely.union_all(inside)) if inside else hole
                found.append(WaterBody(alpha3, part_index, ring_index, water,
                                       geodesic_area_m2(water)))
    return tuple(sorted(found, key=lambda w: (-w.area_m2, w.alpha3, w.part, w.ring)))


def dissolve(members: Sequence[str], provinces: Mapping[str, BaseGeometry]) -> BaseGeometry:
    """The union of whole conformed provinces (keys *members*): they tile their country, so the
    coverage union is exact (no sliver or gap appears between the members)."""
    return shapely.coverage_union_all([provinces[key] for key in members])


def merge_segments(segments: Sequence[border.BorderSegment], unit_of: Mapping[str, str]
                   ) -> tuple[border.BorderSegment, ...]:
    """The border's segments for other Vietnamese units: consecutive segments whose units (by
    *unit_of*, old key → new code) and Lao province agree become one, lengths added, so the
    new segments add up to the same border. ``vn_key`` and ``vn_code`` become the unit's code."""
    runs: list[list[border.BorderSegment]] = []
    for segment in sorted(segments, key=lambda s: s.order):
        if runs and (unit_of[runs[-1][-1].vn_key], runs[-1][-1].la_key) == (
                unit_of[segment.vn_key], segment.la_key):
            runs[-1].append(segment)
        else:
            runs.append([segment])
    out = []
    for order, run in enumerate(runs):
        line = shapely.line_merge(shapely.union_all([s.geometry for s in run])) if len(run) > 1 \
            else run[0].geometry
        code = unit_of[run[0].vn_key]
        out.append(border.BorderSegment(code, code, run[0].la_key, run[0].la_code, line,
                                        sum(s.length_m for s in run), order))
    return tuple(out)


@dataclass(frozen=True)
class UnitsGeometry:
    """Another division of the Vietnamese side: each unit's polygon (by its code) and the
    border's segments per (unit, Lao province)."""

    polygons: dict[str, BaseGeometry]
    segments: tuple[border.BorderSegment, ...]


def derive_units(provinces: Mapping[str, BaseGeometry], segments: Sequence[border.BorderSegment],
                 members: Mapping[str, Sequence[str]]) -> UnitsGeometry:
    """The units made of whole conformed provinces (*members*: unit code → province keys)."""
    unit_of = {key: code for code, keys in members.items() for key in keys}
    return UnitsGeometry({code: dissolve(keys, provinces) for code, keys in members.items()},
                         merge_segments(segments, unit_of))


@dataclass(frozen=True)
class BorderGeometry:
    """What the geometry stage derives: the OSM line with its two lengths, the conformed
    provinces by key (NE ``adm1_code``) and the per-pair segments, north end first."""

    line: BaseGeometry
    length_m_osm: float
    length_m_ne: float
    provinces: dict[str, BaseGeometry]
    segments: tuple[border.BorderSegment, ...]
    water: tuple[WaterBody, ...]


def derive_border(
    provinces: Sequence[border.ProvinceShape], osm_land: Mapping[str, BaseGeometry],
    ne_outlines: Mapping[str, BaseGeometry],
) -> BorderGeometry:
    """The OSM border line and its lengths, the conformed provinces and the per-pair segments.

    *osm_land* and *ne_outlines* are the repaired national polygons by alpha-3. The provinces
    are conformed to the OSM polygons with their holes filled, so they include their inland
    water; the holes themselves come back as :attr:`BorderGeometry.water`. The Natural Earth
    length comes from NE's national outlines, which are dissolves of the same admin-1
    provinces, so it measures the border those provinces imply.

    The two countries' provinces are conformed in two threads: conforming is mostly GEOS
    overlays, which run without the GIL. Every step is a pure function of its inputs and the
    threads only read what they share, so the result does not depend on the scheduling.
    """
    vn_a3, la_a3 = VIETNAM.alpha3, LAOS.alpha3
    shapes = {code: [p for p in provinces if p.country == code] for code in PARTIES}
    filled = {COUNTRIES[code].alpha3: fill_holes(osm_land[COUNTRIES[code].alpha3]) for code in PARTIES}
    for geom in filled.values():
        # Prepared here, before the threads read it: conform_provinces prepares its country
        # polygon, and a geometry must not be changed while another thread uses it.
        shapely.prepare(geom)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="conform") as pool:
        conforming = [pool.submit(conform_provinces, shapes[code],
                                  filled[COUNTRIES[code].alpha3]) for code in PARTIES]
        water = inland_water({a3: osm_land[a3] for a3 in filled})
        line = border.shared_boundary(filled[vn_a3], filled[la_a3])
        ne_line = border.shared_boundary(ne_outlines[vn_a3], ne_outlines[la_a3])
        conformed = {key: geom for future in conforming for key, geom in future.result().items()}
    by_key = {p.key: p for p in provinces}
    sides = {
        code: {k: replace(by_key[k], geometry=g) for k, g in sorted(conformed.items())
               if by_key[k].country == code}
        for code in PARTIES
    }
    segments = split_border(line, sides[VIETNAM.code], sides[LAOS.code])
    return BorderGeometry(line, border.geodesic_length_m(line), border.geodesic_length_m(ne_line),
                          conformed, tuple(segments), water)
