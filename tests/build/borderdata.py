"""Shapes the border, conform and segments tests share: small synthetic ones, and the real
sources' line, provinces and segments, derived once per session."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, box, shape
from shapely.geometry.base import BaseGeometry

from laovn_map import catalog
from laovn_map.build.border import BorderSegment, ProvinceShape, repair, shared_boundary
from laovn_map.build.conform import conform_provinces
from laovn_map.build.segments import split_border

from ..conftest import SOURCES

GEOD = Geod(ellps="WGS84")
OSM_LAND = SOURCES / str(catalog.OSM_LAND.path)
NE_ADMIN1 = SOURCES / str(catalog.NE_ADMIN1.path)

# One metre in degrees is at most this (a degree of latitude is the longest degree, ~110.6 km
# at the equator, and we use the smaller figure so the bound errs on the strict side).
DEG_PER_M = 1 / 110_000


def province(key: str, geom: BaseGeometry, country: str = "VN", code: str | None = None) -> ProvinceShape:
    return ProvinceShape(key=key, code=code or f"{country}-{key}", country=country, geometry=geom)


def assert_tiles(pieces: dict[str, BaseGeometry], whole: BaseGeometry) -> None:
    """The pieces are valid, non-empty, do not overlap and cover ``whole`` exactly."""
    geoms = [pieces[k] for k in sorted(pieces)]
    assert all(shapely.is_valid(g) and not g.is_empty for g in geoms)
    assert all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms)
    total = sum(g.area for g in geoms)
    union = shapely.union_all(geoms)
    assert total == pytest.approx(whole.area, rel=1e-9)
    assert union.symmetric_difference(whole).area <= 1e-9 * whole.area



# A border along x = 1 from y = 3 (north) to y = 0: VN to the west, LA to the east.
VN_WEST = {
    "V1": province("V1", box(0, 2, 1, 3), "VN"),
    "V2": province("V2", box(0, 0, 1, 2), "VN"),
}
LA_EAST = {
    "L1": province("L1", box(1, 1, 2, 3), "LA"),
    "L2": province("L2", box(1, 0, 2, 1), "LA"),
}
LINE = LineString([(1, 0), (1, 3)])  # given south to north on purpose


def _pairs(segments: list[BorderSegment]) -> list[tuple[str, str]]:
    return [(s.vn_key, s.la_key) for s in segments]


EXPECTED_VN = {"VN-71", "VN-05", "VN-21", "VN-22", "VN-23", "VN-24", "VN-25", "VN-26", "VN-27", "VN-28"}
EXPECTED_LA = {"LA-PH", "LA-LP", "LA-HO", "LA-XI", "LA-BL", "LA-KH", "LA-SV", "LA-SL", "LA-XE", "LA-AT"}


def _features(path: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return features


@cache
def real_border() -> dict[str, Any]:
    """Everything derived from the real sources once: polygons, line, conformed provinces."""
    osm = {f["properties"]["A3"]: repair(shape(f["geometry"])) for f in _features(OSM_LAND)}
    shapes = [
        ProvinceShape(
            key=f["properties"]["adm1_code"],
            code=f["properties"]["iso_3166_2"],
            country="VN" if f["properties"]["adm0_a3"] == "VNM" else "LA",
            geometry=shape(f["geometry"]),
        )
        for f in _features(NE_ADMIN1)
    ]
    vn_shapes = [s for s in shapes if s.country == "VN"]
    la_shapes = [s for s in shapes if s.country == "LA"]
    line = shared_boundary(osm["VNM"], osm["LAO"])
    vn = conform_provinces(vn_shapes, osm["VNM"])
    la = conform_provinces(la_shapes, osm["LAO"])
    codes = {s.key: s.code for s in shapes}
    segments = split_border(line, vn, la, codes=codes)
    return {
        "osm": osm,
        "shapes": shapes,
        "line": line,
        "vn": vn,
        "la": la,
        "codes": codes,
        "segments": segments,
    }


