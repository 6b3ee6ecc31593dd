"""laovn_map.build.conform: provinces made to tile their country polygon."""

from __future__ import annotations

from typing import Any

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, box

from laovn_map.build.conform import conform_provinces
from laovn_map.errors import GeometryError

from .borderdata import assert_tiles, province


def test_conform_fills_a_gap_by_nearest_province() -> None:
    country = box(0, 0, 4, 2)
    provinces = [province("A", box(0, 0, 1.9, 2)), province("B", box(2.1, 0, 4, 2))]
    out = conform_provinces(provinces, country)
    assert_tiles(out, country)
    # The gap is split half-way (to within the outline point spacing).
    assert out["A"].bounds[2] == pytest.approx(2.0, abs=0.02)
    assert out["B"].bounds[0] == pytest.approx(2.0, abs=0.02)


def test_conform_removes_overlaps_and_clips_overshoots() -> None:
    country = box(0, 0, 4, 2)
    provinces = [province("A", box(-1, 0, 2.2, 2)), province("B", box(1.8, -1, 5, 2))]
    out = conform_provinces(provinces, country)
    assert_tiles(out, country)
    assert out["A"].equals(box(0, 0, 2.2, 2))  # the overlap stays with the first key
    assert out["B"].equals(box(2.2, 0, 4, 2))


def test_conform_gives_a_leftover_touching_one_province_to_it() -> None:
    country = box(0, 0, 4, 2)
    # B has a notch that only B touches; A is nearer to part of it but does not touch it.
    notch = box(2.1, 0.5, 2.6, 1.5)
    provinces = [province("A", box(0, 0, 2, 2)), province("B", box(2, 0, 4, 2).difference(notch))]
    out = conform_provinces(provinces, country)
    assert_tiles(out, country)
    assert out["B"].equals(box(2, 0, 4, 2))


def test_conform_gives_an_island_to_the_nearest_province() -> None:
    country = MultiPolygon([box(0, 0, 4, 2), box(4.5, 0.5, 4.7, 0.7), box(-0.6, 1, -0.4, 1.2)])
    provinces = [province("A", box(0, 0, 2, 2)), province("B", box(2, 0, 4, 2))]
    out = conform_provinces(provinces, country)
    assert_tiles(out, country)
    assert out["B"].contains(Point(4.6, 0.6))
    assert out["A"].contains(Point(-0.5, 1.1))


def test_conform_sliver_along_a_border_is_shared_by_the_provinces_beside_it() -> None:
    # Three provinces stop 0.05 short of the east edge of the country.
    country = box(0, 0, 1, 3)
    provinces = [province(k, box(0, y, 0.95, y + 1)) for k, y in (("A", 0), ("B", 1), ("C", 2))]
    out = conform_provinces(provinces, country)
    assert_tiles(out, country)
    for key, y in (("A", 0.5), ("B", 1.5), ("C", 2.5)):
        assert out[key].contains(Point(0.99, y))
        assert out[key].bounds[2] == pytest.approx(1.0)


def test_conform_is_independent_of_input_order() -> None:
    country = box(0, 0, 4, 2)
    provinces = [
        province("A", box(0, 0, 1.9, 1.1)),
        province("B", box(2.1, 0, 4, 2)),
        province("C", box(0, 1.1, 1.9, 2)),
    ]
    first = conform_provinces(provinces, country)
    second = conform_provinces(provinces[::-1], country)
    assert list(first) == list(second) == ["A", "B", "C"]
    assert all(shapely.to_wkb(first[k]) == shapely.to_wkb(second[k]) for k in first)


def test_conform_omits_a_province_outside_the_country() -> None:
    country = box(0, 0, 2, 2)
    provinces = [province("A", box(0, 0, 2, 2)), province("Z", box(10, 10, 11, 11))]
    assert list(conform_provinces(provinces, country)) == ["A"]


def test_conform_rejects_bad_input() -> None:
    country = box(0, 0, 2, 2)
    with pytest.raises(GeometryError, match="no provinces"):
        conform_provinces([], country)
    with pytest.raises(GeometryError, match="duplicate province keys"):
        conform_provinces([province("A", box(0, 0, 1, 1)), province("A", box(1, 0, 2, 1))], country)
    with pytest.raises(GeometryError, match="no province overlaps"):
        conform_provinces([province("A", box(5, 5, 6, 6))], country)
    with pytest.raises(GeometryError, match="province A"):
        conform_provinces([province("A", LineString([(0, 0), (1, 1)]))], country)
    with pytest.raises(GeometryError, match="not polygonal"):
        conform_provinces([province("A", box(0, 0, 1, 1))], LineString([(0, 0), (1, 1)]))


# --------------------------------------------------------------------------------------------
# split_border
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_conformed_provinces_tile_each_country(real: dict[str, Any]) -> None:
    assert len(real["vn"]) == 63
    assert len(real["la"]) == 17
    for side, a3 in (("vn", "VNM"), ("la", "LAO")):
        assert_tiles(real[side], real["osm"][a3])


@pytest.mark.slow
def test_real_conform_is_deterministic(real: dict[str, Any]) -> None:
    la_shapes = [s for s in real["shapes"] if s.country == "LA"]
    again = conform_provinces(la_shapes[::-1], real["osm"]["LAO"])
    assert list(again) == list(real["la"])
    assert all(shapely.to_wkb(again[k]) == shapely.to_wkb(real["la"][k]) for k in again)
