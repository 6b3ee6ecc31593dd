"""Tests of laovn_map.build.official: each published length beside the measured stretch it is about."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString

from laovn_map import catalog
from laovn_map.build.border import BorderSegment
from laovn_map.build.official import (
    AREA_OFF_PCT,
    NO_RANK,
    area_properties,
    compare,
    rank_properties,
)
from laovn_map.build.records import Mission, Provenance
from laovn_map.build.sources import MissionRank, OfficialArea, OfficialLength, Words
from laovn_map.errors import SourceError

LINE = LineString([(0, 0), (0, 1)])
#: Two pairs for VN-01 (10 km and 5 km) and one for VN-02 (20 km).
SEGMENTS = [BorderSegment("k1", "VN-01", "l1", "LA-01", LINE, 10_000.0, 0),
            BorderSegment("k1", "VN-01", "l2", "LA-02", LINE, 5_000.0, 1),
            BorderSegment("k2", "VN-02", "l2", "LA-02", LINE, 20_000.0, 2)]
NAMES = {"VN-01": "A", "VN-02": "B", "LA-01": "C", "LA-02": "D"}


def row(scope: str, code: str, km: float, partner: str = "", part: str = "all") -> OfficialLength:
    return OfficialLength(scope, code, partner, km, part, 2016, Words.of("b"), "high", Words.of("s"),
                          "t.csv:2")


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


def _area(km2: float | None) -> OfficialArea:
    return OfficialArea("pre-2025", "11", "Tỉnh Điện Biên", km2, 2025, "b", "pkg 1.0", "s",
                        "official/province_areas.csv:40")


@pytest.mark.parametrize(("measured", "official", "pct", "off"), [
    (11213.71, 9750.79, 15.0, True),
    (4552.02, 4947.14, -8.0, True),
    (14423.79, 13859.14, 4.1, False),
    (105.0, 100.0, 5.0, False),  # at the threshold: not yet off
    (105.1, 100.0, 5.1, True),
])
def test_the_area_difference_and_the_off_rule(measured: float, official: float, pct: float,
                                              off: bool) -> None:
    props = area_properties(measured, _area(official))
    assert props["area_km2"] == measured
    assert props["area_km2_official"] == official
    assert props["area_difference_pct"] == pct
    assert props["area_boundary_off"] is off
    assert (props["area_official_year"], props["area_official_package"],
            props["area_official_row"]) == (2025, "pkg 1.0", "official/province_areas.csv:40")
    assert AREA_OFF_PCT == catalog.AREA_OFF_PCT == 5.0


@pytest.mark.parametrize("official", [None, _area(None)], ids=["no-row", "row-without-area"])
def test_without_an_official_area_there_is_no_difference_and_no_verdict(
        official: OfficialArea | None) -> None:
    props = area_properties(9404.57, official)
    assert props["area_km2"] == 9404.57
    assert props["area_km2_official"] is props["area_difference_pct"] is None
    assert props["area_boundary_off"] is False
    assert props["area_official_source"] == ""


def _mission(country: str, city: str, kind: str) -> Mission:
    return Mission(country, catalog.other_party(country), city, kind, Provenance("t.txt", 1, "q"))


MISSIONS = [_mission("VN", "Vientiane", catalog.EMBASSY), _mission("VN", "Pakse", catalog.CONSULATE),
            _mission("LA", "Da Nang", catalog.CONSULATE)]


def _rank(country: str, city: str, line: int = 2) -> MissionRank:
    return MissionRank(country, city, catalog.CONSULATE_GENERAL, "Title",
                       Words.of("Publisher", vi="Nhà xuất bản", lo="ຜູ້ພິມ"),
                       "https://x.example/a", "2023-11", "Consulate General in " + city,
                       f"official/mission_ranks.csv:{line}")


def test_a_rank_is_attached_to_its_consulate_with_its_source() -> None:
    got = rank_properties(MISSIONS, [_rank("VN", "Pakse")])
    assert got[MISSIONS[1].slug] == {
        "rank": "consulate-general", "rank_source": "Title", "rank_source_publisher": "Publisher",
        "rank_source_publisher_vi": "Nhà xuất bản", "rank_source_publisher_lo": "ຜູ້ພິມ",
        "rank_source_url": "https://x.example/a",
        "rank_source_date": "2023-11", "rank_source_phrase": "Consulate General in Pakse",
        "rank_source_row": "official/mission_ranks.csv:2"}
    # the others have the same keys, empty: every feature of the layer has one schema
    assert got[MISSIONS[0].slug] == got[MISSIONS[2].slug] == NO_RANK


@pytest.mark.parametrize(("row", "message"), [
    (_rank("VN", "Luang Prabang", 4), "Mission ranks official/mission_ranks.csv:4: the text lists "
     "no consulate of VN in 'Luang Prabang' (its consulates: VN Pakse, LA Da Nang); correct the row."),
    (_rank("VN", "Vientiane", 3), "official/mission_ranks.csv:3: the text lists no consulate of VN "
     "in 'Vientiane'"),  # an embassy: a consulate's rank is not said of it
    (_rank("LA", "Pakse", 5), "official/mission_ranks.csv:5: the text lists no consulate of LA "
     "in 'Pakse'"),
], ids=["unknown-city", "embassy", "other-country"])
def test_a_rank_row_naming_no_consulate_of_the_text_is_refused_at_its_line(
        row: MissionRank, message: str) -> None:
    with pytest.raises(SourceError) as info:
        rank_properties(MISSIONS, [row])
    assert message in str(info.value) and "\n" not in str(info.value)
