"""Tests of laovn_map.build.border: small synthetic shapes first, then the real OSM and NE sources."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

from laovn_map.build.border import (
    PARAMETERS,
    geodesic_length_m,
    province_border_lengths,
    repair,
    shared_boundary,
)
from laovn_map.build.segments import split_border
from laovn_map.errors import GeometryError

from .borderdata import GEOD, LA_EAST, LINE, VN_WEST

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


