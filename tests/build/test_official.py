"""Tests of laovn_map.build.official: each published length beside the measured stretch it is about."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from laovn_map.build.border import BorderSegment
from laovn_map.build.official import compare
from laovn_map.build.sources import OfficialLength
from laovn_map.errors import SourceError

LINE = LineString([(0, 0), (0, 1)])
#: Two pairs for VN-01 (10 km and 5 km) and one for VN-02 (20 km).
SEGMENTS = [BorderSegment("k1", "VN-01", "l1", "LA-01", LINE, 10_000.0, 0),
            BorderSegment("k1", "VN-01", "l2", "LA-02", LINE, 5_000.0, 1),
            BorderSegment("k2", "VN-02", "l2", "LA-02", LINE, 20_000.0, 2)]
NAMES = {"VN-01": "A", "VN-02": "B", "LA-01": "C", "LA-02": "D"}


def row(scope: str, code: str, km: float, partner: str = "", part: str = "all") -> OfficialLength:
    return OfficialLength(scope, code, partner, km, part, 2016, "b", "high", "s", "t.csv:2")


def test_each_figure_is_set_beside_its_stretch() -> None:
    rows = [row("total", "VN-LA", 40.0), row("total", "VN-LA", 30.0, part="land"),
            row("province", "VN-01", 12.0), row("pair", "VN-01", 6.0, "LA-02"),
            row("province", "VN-02", 18.0, "LA-02")]
    got = compare(rows, SEGMENTS, 35.0, NAMES)
    assert [c.measured_km for c in got] == [35.0, None, 15.0, 5.0, 20.0]
    assert [c.difference_km for c in got] == [-5.0, None, 3.0, -1.0, 2.0]
    assert got[0].difference_pct == -12.5 and got[1].difference_pct is None
    record = got[3].record()
    assert record["official_km"] == 6.0 and record["source_row"] == "t.csv:2"


@pytest.mark.parametrize(("bad", "message"), [
    (row("total", "VN-01", 1.0), "a total row has the code 'VN-01'; expected VN-LA"),
    (row("province", "VN-99", 1.0), "'VN-99' is not one of the Vietnamese border provinces"),
    (row("province", "LA-01", 1.0), "'LA-01' is not one of the Vietnamese border provinces"),
    (row("pair", "VN-01", 1.0, "LA-99"), "'LA-99' is not one of the Lao border provinces"),
    (row("pair", "VN-02", 1.0, "LA-01"), "the measured border has no stretch between VN-02 and LA-01"),
])
def test_a_row_about_no_measured_stretch_is_refused_at_its_line(bad: OfficialLength, message: str) -> None:
    with pytest.raises(SourceError) as info:
        compare([bad], SEGMENTS, 35.0, NAMES)
    assert str(info.value) == f"Official lengths t.csv:2: {message}; correct the row."


def test_a_province_figure_naming_a_partner_must_be_its_only_one() -> None:
    with pytest.raises(SourceError, match=r"VN-01 faces LA-01, LA-02, not only LA-02"):
        compare([row("province", "VN-01", 15.0, "LA-02")], SEGMENTS, 35.0, NAMES)
