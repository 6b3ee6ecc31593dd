"""The "derive geometry" stage: from repaired polygons to the border line, lengths and segments.

Only geometries come in (no GeoJSON, no dataset records), so this stage can be tested with
boxes; :mod:`laovn_map.border` holds the algorithms, this module the order they run in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import shapely
from shapely.geometry.base import BaseGeometry

from laovn_map import border
from laovn_map.catalog import COUNTRIES, LAOS, PARTIES, VIETNAM


@dataclass(frozen=True)
class BorderGeometry:
    """What the geometry stage derives: the OSM line with its two lengths, the conformed
    provinces by key (NE ``adm1_code``) and the per-pair segments, north end first."""

    line: BaseGeometry
    length_m_osm: float
    length_m_ne: float
    provinces: dict[str, BaseGeometry]
    segments: tuple[border.BorderSegment, ...]


def derive_border(
    provinces: Sequence[border.ProvinceShape], osm_land: Mapping[str, BaseGeometry],
    ne_outlines: Mapping[str, BaseGeometry],
) -> BorderGeometry:
    """The OSM border line and its lengths, the conformed provinces and the per-pair segments.

    *osm_land* and *ne_outlines* are the repaired national polygons by alpha-3. The Natural
    Earth length comes from NE's national outlines, which are dissolves of the same admin-1
    provinces, so it measures the border those provinces imply.

    The two countries' provinces are conformed in two threads: conforming is mostly GEOS
    overlays, which run without the GIL. Every step is a pure function of its inputs and the
    threads only read what they share, so the result does not depend on the scheduling.
    """
    vn_a3, la_a3 = VIETNAM.alpha3, LAOS.alpha3
    shapes = {code: [p for p in provinces if p.country == code] for code in PARTIES}
    for code in PARTIES:
        # Prepared here, before the threads read it: conform_provinces prepares its country
        # polygon, and a geometry must not be changed while another thread uses it.
        shapely.prepare(osm_land[COUNTRIES[code].alpha3])
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="conform") as pool:
        conforming = [pool.submit(border.conform_provinces, shapes[code],
                                  osm_land[COUNTRIES[code].alpha3]) for code in PARTIES]
        line = border.shared_boundary(osm_land[vn_a3], osm_land[la_a3])
        ne_line = border.shared_boundary(ne_outlines[vn_a3], ne_outlines[la_a3])
        conformed = {key: geom for future in conforming for key, geom in future.result().items()}
    by_key = {p.key: p for p in provinces}
    sides = {
        code: {k: replace(by_key[k], geometry=g) for k, g in sorted(conformed.items())
               if by_key[k].country == code}
        for code in PARTIES
    }
    segments = border.split_border(line, sides[VIETNAM.code], sides[LAOS.code])
    return BorderGeometry(line, border.geodesic_length_m(line), border.geodesic_length_m(ne_line),
                          conformed, tuple(segments))
