"""Tests of laovn_map.build.areas: the official areas of Vietnam's provinces, derived from the
communes of 2025 and the converter of the vietnamadminunits package."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from laovn_map.build import areas
from laovn_map.build.areas import Commune

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "geo" / "sources" / "official" / "province_areas.csv"

#: A small package: the 2025 province "p1" made of old "a" (communes x, y) and "b" (z, which also
#: took a piece of old "c"); "p2" made of old "c" (w, with no area) and "d" (v).
COMMUNES = [
    Commune("p1", "01", "Tỉnh Một", "x", 10.25),
    Commune("p1", "01", "Tỉnh Một", "y", 5.5),
    Commune("p1", "01", "Tỉnh Một", "z", 2.0),
    Commune("p2", "02", "Tỉnh Hai", "w", None),
    Commune("p2", "02", "Tỉnh Hai", "v", 7.0),
]
CONVERTER = {
    "DICT_PROVINCE": {"p1": ["a", "b"], "p2": ["c", "d"]},
    "DICT_PROVINCE_WARD_NO_DIVIDED": {
        "p1": {"x": ["a_d1_x1", "a_d1_x2"], "y": ["a_d2_y1"], "z": ["b_d3_z1"]},
        "p2": {"w": ["c_d4_w1"], "v": ["d_d5_v1"]},
    },
    "DICT_PROVINCE_WARD_DIVIDED": {
        "p1": {"c_d4_w9": [{"newWardKey": "z", "newWardAreaKm2": 1.0}]},
    },
}
LEGACY = {"a": ("10", "Tỉnh A"), "b": ("11", "Tỉnh B"), "c": ("12", "Tỉnh C"), "d": ("13", "Tỉnh D")}


def _rows(data: bytes) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["division"], r["code"]): r for r in csv.DictReader(io.StringIO(data.decode()))}


def test_a_2025_province_is_the_sum_of_its_communes_and_none_if_one_lacks_an_area() -> None:
    rows = _rows(areas.derive(COMMUNES, CONVERTER, LEGACY, "pkg 1.0"))
    assert rows[("2025", "01")]["area_km2"] == "17.75"
    assert rows[("2025", "01")]["communes"] == "3"
    assert rows[("2025", "02")]["area_km2"] == ""
    assert rows[("2025", "02")]["communes_without_area"] == "1"
    assert "1 of its 2 communes have no area" in rows[("2025", "02")]["basis"]


def test_an_old_province_gets_only_the_communes_made_from_it_alone() -> None:
    rows = _rows(areas.derive(COMMUNES, CONVERTER, LEGACY, "pkg 1.0"))
    assert rows[("pre-2025", "10")]["area_km2"] == "15.75"  # x + y
    # z was made from b and a piece of c: neither gets an area, each is told why
    for code in ("11", "12"):
        assert rows[("pre-2025", code)]["area_km2"] == ""
        assert "also made from other provinces" in rows[("pre-2025", code)]["basis"]
    assert rows[("pre-2025", "13")]["area_km2"] == "7.00"
    assert {r["package"] for r in rows.values()} == {"pkg 1.0"}
    assert {r["year"] for r in rows.values()} == {str(areas.YEAR)}


def test_the_table_is_the_same_bytes_whatever_the_order_of_the_communes() -> None:
    once = areas.derive(COMMUNES, CONVERTER, LEGACY, "pkg 1.0")
    assert areas.derive(list(reversed(COMMUNES)), CONVERTER, LEGACY, "pkg 1.0") == once


def test_the_committed_table_is_what_the_installed_package_gives() -> None:
    """The table in geo/sources/ is reproducible: the tool run on the package rewrites it as it is."""
    assert areas.derive(*areas.read_package()) == TABLE.read_bytes()


def test_the_tool_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "areas.csv"
    assert areas.main([str(out)]) == 0
    assert out.read_bytes() == TABLE.read_bytes()
    assert areas.main([]) == 2
