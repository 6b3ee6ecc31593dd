"""Tests of laovn_map.build.border: small synthetic shapes first, then the real OSM and NE sources."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from laovn_map import catalog
from laovn_map.build.border import (
    PARAMETERS,
    BorderSegment,
    ProvinceShape,
    _Line,
    conform_provinces,
    geodesic_length_m,
    province_border_lengths,
    repair,
    shared_boundary,
    split_border,
)
from laovn_map.errors import GeometryError

from ..conftest import SOURCES

GEOD = Geod(ellps="WGS84")
OSM_LAND = SOURCES / str(catalog.OSM_LAND.path)
NE_ADMIN1 = SOURCES / str(catalog.NE_ADMIN1.path)

# One metre in degrees is at most this (a degree of latitude is the longest degree, ~110.6 km
# at the equator, and we use the smaller figure so the bound errs on the strict side).
DEG_PER_M = 1 / 110_000


def _shape(key: str, geom: BaseGeometry, country: str = "VN", code: str | None = None) -> ProvinceShape:
    return ProvinceShape(key=key, code=code or f"{country}-{key}", country=country, geometry=geom)


def _tiles(pieces: dict[str, BaseGeometry], whole: BaseGeometry) -> None:
    """The pieces are valid, non-empty, do not overlap and cover ``whole`` exactly."""
    geoms = [pieces[k] for k in sorted(pieces)]
    assert all(shapely.is_valid(g) and not g.is_empty for g in geoms)
    assert all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms)
    total = sum(g.area for g in geoms)
    union = shapely.union_all(geoms)
    assert total == pytest.approx(whole.area, rel=1e-9)
    assert union.symmetric_difference(whole).area <= 1e-9 * whole.area


# --------------------------------------------------------------------------------------------
# repair
# --------------------------------------------------------------------------------------------


def test_repair_makes_a_bow_tie_valid_and_keeps_its_area() -> None:
    bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    assert not bow_tie.is_valid
    fixed = repair(bow_tie)
    assert fixed.is_valid
    assert isinstance(fixed, MultiPolygon)
    assert fixed.area == pytest.approx(2.0)


def test_repair_keeps_only_areas_of_a_collection() -> None:
    mixed = shapely.GeometryCollection([box(0, 0, 1, 1), LineString([(5, 5), (6, 6)]), Point(9, 9)])
    fixed = repair(mixed)
    assert isinstance(fixed, Polygon)
    assert fixed.equals(box(0, 0, 1, 1))


def test_repair_dissolves_overlapping_members() -> None:
    overlapping = MultiPolygon([box(0, 0, 2, 1), box(1, 0, 3, 1)])
    assert not overlapping.is_valid
    fixed = repair(overlapping)
    assert fixed.is_valid
    assert fixed.area == pytest.approx(3.0)


def test_repair_leaves_a_valid_multipolygon_alone() -> None:
    islands = MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)])
    assert repair(islands).equals(islands)


@pytest.mark.parametrize("geom", [LineString([(0, 0), (1, 1)]), Point(0, 0), Polygon(), None])
def test_repair_rejects_input_without_area(geom: Any) -> None:
    with pytest.raises(GeometryError, match="repair"):
        repair(geom)


# --------------------------------------------------------------------------------------------
# shared_boundary
# --------------------------------------------------------------------------------------------


def test_shared_boundary_of_two_squares_runs_north_to_south() -> None:
    west, east = box(0, 0, 1, 1), box(1, 0, 2, 1)
    for a, b in ((west, east), (east, west)):
        line = shared_boundary(a, b)
        assert isinstance(line, LineString)
        assert line.coords[0] == (1.0, 1.0)
        assert line.coords[-1] == (1.0, 0.0)


def test_shared_boundary_merges_many_edges_of_a_partial_contact() -> None:
    west = Polygon([(0, 0), (1, 0), (1, 0.5), (1, 1), (1, 1.5), (1, 3), (0, 3)])
    east = Polygon([(1, 0.5), (2, 0.5), (2, 1.5), (1, 1.5), (1, 1)])
    line = shared_boundary(west, east)
    assert list(line.coords) == [(1.0, 1.5), (1.0, 1.0), (1.0, 0.5)]


def test_shared_boundary_rejects_polygons_that_do_not_touch() -> None:
    with pytest.raises(GeometryError, match="share no boundary"):
        shared_boundary(box(0, 0, 1, 1), box(2, 0, 3, 1))


def test_shared_boundary_rejects_polygons_that_meet_at_a_point() -> None:
    with pytest.raises(GeometryError, match="share no boundary"):
        shared_boundary(box(0, 0, 1, 1), box(1, 1, 2, 2))


def test_shared_boundary_rejects_a_broken_line() -> None:
    # A U-shaped polygon around a square touches it along two separate stretches.
    u_shape = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    inside = box(1, 2, 2, 3.5)
    with pytest.raises(GeometryError, match="2 disconnected lines"):
        shared_boundary(u_shape, inside)


def test_shared_boundary_tolerance_snaps_near_coincident_vertices() -> None:
    west = box(0, 0, 1, 1)
    east = box(1 + 1e-9, 0, 2, 1)
    with pytest.raises(GeometryError):
        shared_boundary(west, east)
    line = shared_boundary(west, east, tolerance_deg=1e-6)
    assert line.length == pytest.approx(1.0)


def test_shared_boundary_rejects_lines_as_input() -> None:
    with pytest.raises(GeometryError, match="polygonal"):
        shared_boundary(LineString([(0, 0), (1, 1)]), box(0, 0, 1, 1))


# --------------------------------------------------------------------------------------------
# geodesic_length_m
# --------------------------------------------------------------------------------------------


def test_geodesic_length_of_a_meridian_degree_matches_pyproj_inverse() -> None:
    _, _, expected = GEOD.inv(0.0, 0.0, 0.0, 1.0)
    assert geodesic_length_m(LineString([(0, 0), (0, 1)])) == pytest.approx(expected, rel=1e-12)
    assert 110_500 < expected < 110_700  # sanity: one degree of latitude at the equator


def test_geodesic_length_sums_the_edges_and_is_not_planar() -> None:
    coords = [(102.0, 22.0), (103.0, 21.5), (104.0, 20.0)]
    expected = sum(GEOD.inv(*a, *b)[2] for a, b in itertools.pairwise(coords))
    assert geodesic_length_m(LineString(coords)) == pytest.approx(expected, rel=1e-12)
    assert geodesic_length_m(LineString()) == 0.0
    with pytest.raises(GeometryError):
        geodesic_length_m(box(0, 0, 1, 1))


# --------------------------------------------------------------------------------------------
# conform_provinces
# --------------------------------------------------------------------------------------------


def test_conform_fills_a_gap_by_nearest_province() -> None:
    country = box(0, 0, 4, 2)
    provinces = [_shape("A", box(0, 0, 1.9, 2)), _shape("B", box(2.1, 0, 4, 2))]
    out = conform_provinces(provinces, country)
    _tiles(out, country)
    # The gap is split half-way (to within the outline point spacing).
    assert out["A"].bounds[2] == pytest.approx(2.0, abs=0.02)
    assert out["B"].bounds[0] == pytest.approx(2.0, abs=0.02)


def test_conform_removes_overlaps_and_clips_overshoots() -> None:
    country = box(0, 0, 4, 2)
    provinces = [_shape("A", box(-1, 0, 2.2, 2)), _shape("B", box(1.8, -1, 5, 2))]
    out = conform_provinces(provinces, country)
    _tiles(out, country)
    assert out["A"].equals(box(0, 0, 2.2, 2))  # the overlap stays with the first key
    assert out["B"].equals(box(2.2, 0, 4, 2))


def test_conform_gives_a_leftover_touching_one_province_to_it() -> None:
    country = box(0, 0, 4, 2)
    # B has a notch that only B touches; A is nearer to part of it but does not touch it.
    notch = box(2.1, 0.5, 2.6, 1.5)
    provinces = [_shape("A", box(0, 0, 2, 2)), _shape("B", box(2, 0, 4, 2).difference(notch))]
    out = conform_provinces(provinces, country)
    _tiles(out, country)
    assert out["B"].equals(box(2, 0, 4, 2))


def test_conform_gives_an_island_to_the_nearest_province() -> None:
    country = MultiPolygon([box(0, 0, 4, 2), box(4.5, 0.5, 4.7, 0.7), box(-0.6, 1, -0.4, 1.2)])
    provinces = [_shape("A", box(0, 0, 2, 2)), _shape("B", box(2, 0, 4, 2))]
    out = conform_provinces(provinces, country)
    _tiles(out, country)
    assert out["B"].contains(Point(4.6, 0.6))
    assert out["A"].contains(Point(-0.5, 1.1))


def test_conform_sliver_along_a_border_is_shared_by_the_provinces_beside_it() -> None:
    # Three provinces stop 0.05 short of the east edge of the country.
    country = box(0, 0, 1, 3)
    provinces = [_shape(k, box(0, y, 0.95, y + 1)) for k, y in (("A", 0), ("B", 1), ("C", 2))]
    out = conform_provinces(provinces, country)
    _tiles(out, country)
    for key, y in (("A", 0.5), ("B", 1.5), ("C", 2.5)):
        assert out[key].contains(Point(0.99, y))
        assert out[key].bounds[2] == pytest.approx(1.0)


def test_conform_is_independent_of_input_order() -> None:
    country = box(0, 0, 4, 2)
    provinces = [
        _shape("A", box(0, 0, 1.9, 1.1)),
        _shape("B", box(2.1, 0, 4, 2)),
        _shape("C", box(0, 1.1, 1.9, 2)),
    ]
    first = conform_provinces(provinces, country)
    second = conform_provinces(provinces[::-1], country)
    assert list(first) == list(second) == ["A", "B", "C"]
    assert all(shapely.to_wkb(first[k]) == shapely.to_wkb(second[k]) for k in first)


def test_conform_omits_a_province_outside_the_country() -> None:
    country = box(0, 0, 2, 2)
    provinces = [_shape("A", box(0, 0, 2, 2)), _shape("Z", box(10, 10, 11, 11))]
    assert list(conform_provinces(provinces, country)) == ["A"]


def test_conform_rejects_bad_input() -> None:
    country = box(0, 0, 2, 2)
    with pytest.raises(GeometryError, match="no provinces"):
        conform_provinces([], country)
    with pytest.raises(GeometryError, match="duplicate province keys"):
        conform_provinces([_shape("A", box(0, 0, 1, 1)), _shape("A", box(1, 0, 2, 1))], country)
    with pytest.raises(GeometryError, match="no province overlaps"):
        conform_provinces([_shape("A", box(5, 5, 6, 6))], country)
    with pytest.raises(GeometryError, match="province A"):
        conform_provinces([_shape("A", LineString([(0, 0), (1, 1)]))], country)
    with pytest.raises(GeometryError, match="not polygonal"):
        conform_provinces([_shape("A", box(0, 0, 1, 1))], LineString([(0, 0), (1, 1)]))


# --------------------------------------------------------------------------------------------
# split_border
# --------------------------------------------------------------------------------------------

# A border along x = 1 from y = 3 (north) to y = 0: VN to the west, LA to the east.
VN_WEST = {
    "V1": _shape("V1", box(0, 2, 1, 3), "VN"),
    "V2": _shape("V2", box(0, 0, 1, 2), "VN"),
}
LA_EAST = {
    "L1": _shape("L1", box(1, 1, 2, 3), "LA"),
    "L2": _shape("L2", box(1, 0, 2, 1), "LA"),
}
LINE = LineString([(1, 0), (1, 3)])  # given south to north on purpose


def _pairs(segments: list[BorderSegment]) -> list[tuple[str, str]]:
    return [(s.vn_key, s.la_key) for s in segments]


def _assert_chain(segments: list[BorderSegment], line: LineString) -> None:
    """Segments are in order, end to end, and their lengths add up to the line's."""
    assert [s.order for s in segments] == list(range(len(segments)))
    for before, after in itertools.pairwise(segments):
        assert before.geometry.coords[-1] == after.geometry.coords[0]
    total = sum(s.length_m for s in segments)
    assert total == pytest.approx(geodesic_length_m(line), rel=1e-9)


def test_split_pairs_and_breakpoints_of_two_by_two_squares() -> None:
    segments = split_border(LINE, VN_WEST, LA_EAST)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L1"), ("V2", "L2")]
    assert segments[0].geometry.coords[0] == (1.0, 3.0)  # northern end first
    assert segments[-1].geometry.coords[-1] == (1.0, 0.0)
    breaks = [s.geometry.coords[-1][1] for s in segments[:-1]]
    assert breaks == pytest.approx([2.0, 1.0], abs=50 * DEG_PER_M)
    assert breaks == pytest.approx([2.0, 1.0], abs=0.01 * DEG_PER_M)  # bisection: < 1 cm
    assert [s.vn_code for s in segments] == ["VN-V1", "VN-V2", "VN-V2"]
    assert [s.la_code for s in segments] == ["LA-L1", "LA-L1", "LA-L2"]
    _assert_chain(segments, LINE)
    for segment in segments:
        assert segment.length_m == pytest.approx(geodesic_length_m(segment.geometry))


def test_split_accepts_bare_geometries_with_codes() -> None:
    vn = {k: v.geometry for k, v in VN_WEST.items()}
    la = {k: v.geometry for k, v in LA_EAST.items()}
    segments = split_border(LINE, vn, la, codes={"V1": "VN-01", "L2": "LA-02"})
    assert [(s.vn_code, s.la_code) for s in segments] == [
        ("VN-01", "L1"),
        ("V2", "L1"),
        ("V2", "LA-02"),
    ]


def test_split_absorbs_a_short_run_without_losing_length() -> None:
    # The LA change is ~55 m south of the VN change: the (V1, L2) run between them is noise.
    la = {
        "L1": _shape("L1", box(1, 2.0005, 2, 3), "LA"),
        "L2": _shape("L2", box(1, 0, 2, 2.0005), "LA"),
    }
    segments = split_border(LINE, VN_WEST, la)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L2")]
    _assert_chain(segments, LINE)
    kept = split_border(LINE, VN_WEST, la, min_run_m=10.0)
    assert _pairs(kept) == [("V1", "L1"), ("V1", "L2"), ("V2", "L2")]
    assert kept[1].length_m == pytest.approx(GEOD.inv(1, 2.0005, 1, 2.0)[2], rel=1e-4)
    _assert_chain(kept, LINE)


def test_split_absorbs_a_province_touching_the_line_for_a_few_metres() -> None:
    vn = {
        "V1": _shape("V1", box(0, 2, 1, 3), "VN"),
        "V2": _shape("V2", box(0, 0, 1, 2).difference(box(0.5, 1.5, 1, 1.5003)), "VN"),
        "V3": _shape("V3", box(0.5, 1.5, 1, 1.5003), "VN"),  # ~33 m of the line
    }
    segments = split_border(LINE, vn, LA_EAST)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L1"), ("V2", "L2")]
    _assert_chain(segments, LINE)


def test_split_uses_the_nearest_province_where_provinces_stop_short() -> None:
    vn = {
        k: _shape(k, shapely.affinity.scale(v.geometry, 0.98, 1.0, origin=(0, 0))) for k, v in VN_WEST.items()
    }
    la = {k: _shape(k, shapely.affinity.translate(v.geometry, 0.01, 0)) for k, v in LA_EAST.items()}
    segments = split_border(LINE, vn, la)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L1"), ("V2", "L2")]
    _assert_chain(segments, LINE)


def test_split_rejects_bad_input() -> None:
    with pytest.raises(GeometryError, match="no VN provinces"):
        split_border(LINE, {}, LA_EAST)
    with pytest.raises(GeometryError, match="LineString"):
        split_border(box(0, 0, 1, 1), VN_WEST, LA_EAST)
    with pytest.raises(GeometryError, match="two distinct points"):
        split_border(LineString([(1, 1), (1, 1)]), VN_WEST, LA_EAST)
    with pytest.raises(GeometryError, match="province X has no polygon"):
        split_border(LINE, VN_WEST, {"X": LineString([(0, 0), (1, 1)])})
    with pytest.raises(GeometryError, match="max_step_m"):
        split_border(LINE, VN_WEST, LA_EAST, max_step_m=0)


def _assert_cuts_are_substrings(line: LineString, count: int) -> None:
    """``_Line.cut`` gives substring's very bytes, also when cutting exactly on a vertex."""
    border = _Line.build(line)
    rng = np.random.default_rng(7)
    vertices = rng.choice(len(border.walked), min(count, len(border.walked)), replace=False)
    stops = sorted({0.0, border.length, *border.planar[vertices].tolist(),
                    *np.asarray(border.walked)[vertices].tolist(),
                    *rng.uniform(0.0, border.length, count).tolist()})
    pairs = [*itertools.pairwise(stops),
             *(tuple(sorted(rng.choice(stops, 2, replace=False))) for _ in range(count))]
    for start, end in pairs:
        if start < end:
            expected = substring(border.geometry, start, end)
            assert shapely.to_wkb(border.cut(start, end)) == shapely.to_wkb(expected), (start, end)


def test_line_cut_equals_substring() -> None:
    zigzag = LineString([(0.1 * i, 0.37 * (i % 3) + 1e-9 * i * i) for i in range(40)])
    _assert_cuts_are_substrings(zigzag, 200)


def test_province_border_lengths_sum_both_sides() -> None:
    segments = split_border(LINE, VN_WEST, LA_EAST)
    lengths = province_border_lengths(segments)
    assert list(lengths) == ["L1", "L2", "V1", "V2"]
    assert lengths["V1"] + lengths["V2"] == pytest.approx(geodesic_length_m(LINE))
    assert lengths["L1"] + lengths["L2"] == pytest.approx(geodesic_length_m(LINE))
    assert lengths["V2"] == pytest.approx(GEOD.inv(1, 2, 1, 0)[2], rel=1e-9)
    assert province_border_lengths([]) == {}


def test_parameters_are_plain_numbers_for_a_manifest() -> None:
    assert PARAMETERS and all(isinstance(v, float) for v in PARAMETERS.values())


# --------------------------------------------------------------------------------------------
# Real data
# --------------------------------------------------------------------------------------------

EXPECTED_VN = {"VN-71", "VN-05", "VN-21", "VN-22", "VN-23", "VN-24", "VN-25", "VN-26", "VN-27", "VN-28"}
EXPECTED_LA = {"LA-PH", "LA-LP", "LA-HO", "LA-XI", "LA-BL", "LA-KH", "LA-SV", "LA-SL", "LA-XE", "LA-AT"}


def _features(path: Path) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return features


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
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


@pytest.mark.slow
def test_real_osm_border_is_one_line_of_about_2199_km(real: dict[str, Any]) -> None:
    line = real["line"]
    assert isinstance(line, LineString)
    assert geodesic_length_m(line) == pytest.approx(2_199_000, rel=0.01)
    assert line.coords[0][1] > line.coords[-1][1]  # China tripoint first
    assert len(line.coords) > 10_000


@pytest.mark.slow
def test_real_natural_earth_border_is_about_1750_km(real: dict[str, Any]) -> None:
    by_country = {
        country: shapely.union_all([s.geometry for s in real["shapes"] if s.country == country])
        for country in ("VN", "LA")
    }
    line = shared_boundary(by_country["VN"], by_country["LA"])
    assert geodesic_length_m(line) == pytest.approx(1_750_000, rel=0.02)


@pytest.mark.slow
def test_real_conformed_provinces_tile_each_country(real: dict[str, Any]) -> None:
    assert len(real["vn"]) == 63
    assert len(real["la"]) == 17
    for side, a3 in (("vn", "VNM"), ("la", "LAO")):
        _tiles(real[side], real["osm"][a3])


@pytest.mark.slow
def test_real_provinces_of_both_sides_meet_on_the_line(real: dict[str, Any]) -> None:
    segments: list[BorderSegment] = real["segments"]
    line: LineString = real["line"]
    vn = shapely.union_all([real["vn"][k] for k in sorted({s.vn_key for s in segments})])
    la = shapely.union_all([real["la"][k] for k in sorted({s.la_key for s in segments})])
    count = int(geodesic_length_m(line) / 1000)  # a probe every ~1 km
    probes = shapely.line_interpolate_point(line, np.linspace(0, 1, count + 1), normalized=True)
    assert shapely.distance(vn, probes).max() <= 10 * DEG_PER_M
    assert shapely.distance(la, probes).max() <= 10 * DEG_PER_M
    overlap = shapely.intersection(vn, la)
    overlap_m2 = 0.0 if overlap.is_empty else abs(GEOD.geometry_area_perimeter(overlap)[0])
    assert overlap_m2 / geodesic_length_m(line) <= 10.0


@pytest.mark.slow
def test_real_segments_cover_the_line_between_the_expected_provinces(real: dict[str, Any]) -> None:
    segments: list[BorderSegment] = real["segments"]
    line: LineString = real["line"]
    total = geodesic_length_m(line)
    assert sum(s.length_m for s in segments) == pytest.approx(total, rel=0.001)
    _assert_chain(segments, line)
    assert {s.vn_code for s in segments} <= EXPECTED_VN
    assert {s.la_code for s in segments} <= EXPECTED_LA
    # Every expected province takes part, and the north end is Điện Biên / Phongsaly.
    assert {s.vn_code for s in segments} == EXPECTED_VN
    assert {s.la_code for s in segments} == EXPECTED_LA
    assert (segments[0].vn_code, segments[0].la_code) == ("VN-71", "LA-PH")
    assert (segments[-1].vn_code, segments[-1].la_code) == ("VN-28", "LA-AT")
    lengths = province_border_lengths(segments)
    assert sum(lengths.values()) == pytest.approx(2 * total, rel=0.001)


@pytest.mark.slow
def test_real_conform_is_deterministic(real: dict[str, Any]) -> None:
    la_shapes = [s for s in real["shapes"] if s.country == "LA"]
    again = conform_provinces(la_shapes[::-1], real["osm"]["LAO"])
    assert list(again) == list(real["la"])
    assert all(shapely.to_wkb(again[k]) == shapely.to_wkb(real["la"][k]) for k in again)


@pytest.mark.slow
def test_real_line_cut_equals_substring(real: dict[str, Any]) -> None:
    _assert_cuts_are_substrings(real["line"], 60)
