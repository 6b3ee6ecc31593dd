"""Tests of laovn_map.build.merger (the 2025 units from the converter) and of the dissolve in derive."""

from __future__ import annotations

import json
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, shape

from laovn_map.build import merger
from laovn_map.build.derive import geodesic_area_m2
from laovn_map.build.merger import Conversion, assign
from laovn_map.build.sources import Province
from laovn_map.catalog import LAYER_FILES
from laovn_map.errors import GeocodeError

from ..conftest import GEO


def province(key: str, iso: str, name: str) -> Province:
    return Province(key, iso, "VNM", {"name": name, "name_en": name}, Point(0, 0))


PROVINCES = [province("k1", "VN-01", "Một"), province("k2", "VN-02", "Hai"),
             province("k3", "VN-03", "Ba")]
#: Một and Hai merge into unit 10; Ba stays alone as unit 30.
TABLE = {"Một": Conversion("old1", "1", "new10", "10", "Mười", "Tỉnh Mười"),
         "Hai": Conversion("old2", "2", "new10", "10", "Mười", "Tỉnh Mười"),
         "Ba": Conversion("old3", "3", "new30", "30", "Ba", "Tỉnh Ba")}
MEMBERS = {"new10": ("old1", "old2"), "new30": ("old3",)}


def test_units_hold_every_member_the_converter_lists() -> None:
    units = assign(PROVINCES, TABLE.get, MEMBERS, ["k1", "k3"])
    assert [(u.code, u.members, u.merged) for u in units] == [("10", ("k1", "k2"), True),
                                                              ("30", ("k3",), False)]
    assert units[0].member_names == ("VN-01 Một", "VN-02 Hai")
    assert [u.code for u in assign(PROVINCES, TABLE.get, MEMBERS, ["k3"])] == ["30"]


@pytest.mark.parametrize(("table", "members", "message"), [
    ({**TABLE, "Hai": None}, MEMBERS, "knows no province named 'Hai' (VN-02)"),
    ({**TABLE, "Hai": TABLE["Một"]}, MEMBERS, "Provinces VN-01 and VN-02 both convert as 'old1'"),
    (TABLE, {**MEMBERS, "new10": ("old1", "old2", "old9")}, "(unassigned: old9; not listed: none)"),
    (TABLE, {**MEMBERS, "new10": ("old1",)}, "(unassigned: none; not listed: old2)"),
])
def test_a_mapping_that_loses_or_doubles_a_province_is_refused(
        table: dict[str, Conversion | None], members: dict[str, tuple[str, ...]], message: str) -> None:
    with pytest.raises(GeocodeError) as info:
        assign(PROVINCES, table.get, members, ["k1"])
    assert message in str(info.value)
    assert merger.CONVERTER_DATA in str(info.value)


def test_the_package_maps_the_border_provinces_as_the_2025_resolution_does() -> None:
    """The issue's facts, checked against the installed converter (not typed into the code)."""
    convert, _members, version = merger.read_converter()
    assert version
    new = {name: convert(name) for name in ("Quảng Bình", "Quảng Trị", "Quảng Nam", "Đà Nẵng",
                                             "Kon Tum", "Quảng Ngãi", "Thừa Thiên Huế", "Nghệ An")}
    assert {n: c.new_name for n, c in new.items() if c} == {
        "Quảng Bình": "Quảng Trị", "Quảng Trị": "Quảng Trị", "Quảng Nam": "Đà Nẵng",
        "Đà Nẵng": "Đà Nẵng", "Kon Tum": "Quảng Ngãi", "Quảng Ngãi": "Quảng Ngãi",
        "Thừa Thiên Huế": "Huế", "Nghệ An": "Nghệ An"}


# --- the real build --------------------------------------------------------------------------

def _layer(name: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads((GEO / LAYER_FILES[name]).read_text())["features"]
    return features


def test_nine_units_border_laos_since_2025_three_of_them_merged() -> None:
    units = _layer("provinces_vn_2025")
    assert len(units) == 9
    merged = {u["properties"]["name_vi"]: u["properties"]["merged_codes"] for u in units
              if u["properties"]["merged"]}
    assert merged == {"Quảng Trị": "VN-24;VN-25", "Đà Nẵng": "VN-27;VN-DN",
                      "Quảng Ngãi": "VN-28;VN-29"}
    assert all(u["properties"]["iso_3166_2"] == "" and u["properties"]["national_code"] for u in units)


@pytest.mark.slow
def test_each_unit_is_its_members_whole_without_holes_or_slivers() -> None:
    for unit in _layer("provinces_vn_2025"):
        p = unit["properties"]
        polygon = shape(unit["geometry"])
        assert all(not part.interiors for part in shapely.get_parts(polygon)), unit["id"]
        assert abs(p["area_km2"] - p["area_km2_members"]) <= 1e-4 * p["area_km2_members"], unit["id"]
        assert abs(geodesic_area_m2(polygon) / 1e6 - p["area_km2"]) < 0.01
    before = {f["id"]: shape(f["geometry"]) for f in _layer("provinces_vn")}
    for unit in _layer("provinces_vn_2025"):
        for code in unit["properties"]["merged_codes"].split(";"):
            if code in before:  # a border province of before lies inside its unit
                assert shape(unit["geometry"]).buffer(1e-6).covers(before[code]), (unit["id"], code)


def test_segments_since_2025_add_up_to_the_same_border() -> None:
    (line,) = [f for f in _layer("border") if f["id"] == "border"]
    new = _layer("segments_2025")
    units = {u["properties"]["national_code"] for u in _layer("provinces_vn_2025")}
    assert {s["properties"]["vn_code"] for s in new} == units
    total = sum(s["properties"]["length_km"] for s in new)
    assert total == pytest.approx(line["properties"]["length_km_osm"], abs=0.01)
    pairs = [(s["properties"]["vn_code"], s["properties"]["la_code"]) for s in new]
    assert len(pairs) == len(set(pairs))  # one segment per pair here
