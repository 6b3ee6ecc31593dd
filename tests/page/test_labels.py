"""laovn_map.page.labels: every text of the map escaped, names from the catalog, per language."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from babel.units import format_unit
from hypothesis import given, settings
from hypothesis import strategies as st

from laovn_map import catalog
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.i18n import LANGUAGES, territory_name
from laovn_map.page import labels, popups
from laovn_map.page.browserdata import prepare_texts
from laovn_map.page.mapview import MapState

from ..conftest import FIXTURE, REAL
from ..untranslated import english_in
from .test_mapview import HOSTILE_RAW, _Checker, layers, popups_and_tooltips, render, state_script

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_every_popup_and_tooltip_is_escaped(layers: Layers) -> None:
    for page in (render(layers), state_script(layers, MapState()),
                 state_script(layers, MapState("vi"))):
        for raw in HOSTILE_RAW:
            assert raw not in page
    for fragment in popups_and_tooltips(layers.collections):
        checker = _Checker()
        checker.feed(fragment)
        checker.close()
        assert not checker.problems, (checker.problems, fragment[:300])


def test_hostile_fixture_text_shows_as_text() -> None:
    fixture = load_layers(FIXTURE)
    page = state_script(fixture, MapState())
    pakse = next(p for p in popups_and_tooltips(fixture.collections)
                 if 'data-id="vn-consulate-pakse"' in p)
    checker = _Checker()
    checker.feed(pakse)
    text = "".join(checker.text)
    assert "Pakse (Consulate) <script>alert(1)</script> <img src=x onerror=alert(1)>" in text
    # the border's stated_text holds "${alert(1)}": shown as text, never interpolated
    border = next(p for p in popups_and_tooltips(fixture.collections) if "&#36;&#123;alert" in p)
    checker = _Checker()
    checker.feed(border)
    assert "khoảng 2.340km ${alert(1)} `tick` \\u{zz}" in "".join(checker.text)
    assert "${alert(1)}" not in page


@given(st.text())
def test_esc_is_inert_and_reversible(text: str) -> None:
    out = labels.esc(text)
    assert not set(out) & set("<>\"'`${}\\")
    assert html.unescape(out) == text


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=40), city=st.text(max_size=20), quote=st.text(max_size=80))
def test_any_text_in_a_feature_stays_text(name: str, city: str, quote: str) -> None:
    feature = {"type": "Feature", "id": "m", "geometry": {"type": "Point",
                                                         "coordinates": [105.0, 15.0]},
               "properties": {"id": "m", "name": name, "kind": "consulate", "city": city,
                              "sending_country": "VN", "source_file": "x.txt",
                              "source_line": 1, "source_quote": quote}}
    fc = {"type": "FeatureCollection", "features": [feature]}
    for lang in ("en", "vi"):
        for fragment in popups_and_tooltips({"missions": fc}, lang):
            checker = _Checker()
            checker.feed(fragment)
            checker.close()
            assert not checker.problems, checker.problems


def test_number_format() -> None:
    assert labels.fmt_num(2337.459, "en") == "2,337.5"
    assert labels.fmt_num(2337.459, "vi") == "2.337,5"
    assert labels.fmt_num("x", "en") == ""
    assert labels.fmt_num(True, "en") == ""


def test_country_names_and_kinds_come_from_the_catalog() -> None:
    for code, country in catalog.COUNTRIES.items():
        assert labels.country_name(code, "vi") == country.name_vi
        layer = catalog.PROVINCE_LAYERS[code]
        assert labels.layer_label(layer, "en") == f"{country.adjective_en} border provinces"
        assert labels.layer_label(layer, "vi") == f"Tỉnh biên giới của {country.name_vi}"
    assert labels.country_name("TH", "en", "Thailand") == "Thailand"
    assert labels.kind_label(catalog.EMBASSY, "vi") == "Đại sứ quán"
    props = {"kind": catalog.CONSULATE, "sending_country": "LA", "city": "Da Nang"}
    assert labels.mission_name(props, "vi") == "Lãnh sự quán Lào tại Da Nang"


def test_legend_names_both_countries_in_their_colours() -> None:
    legend = labels.legend_html(catalog.MAP_LAYERS, "vi")
    assert "Đại sứ quán Việt Nam" in legend and "Lãnh sự quán Lào" in legend
    assert "Mặt nước nội địa" in legend
    assert labels.legend_html(["border"], "en").count('class="laovn-legend-entry"') == 1
    assert labels.legend_html(["countries"], "en") == ""


def test_other_countries_are_named_by_cldr_and_the_parties_by_the_catalog() -> None:
    assert labels.any_country_name("KH", "vi") == "Campuchia"
    assert labels.any_country_name("CN", "en") == "China"
    for code, country in catalog.COUNTRIES.items():
        assert labels.any_country_name(code, "vi") == country.name_vi


def test_city_names_follow_the_page_language_where_the_build_found_one() -> None:
    hanoi = {"city": "Hanoi", "city_vi": "Hà Nội", "kind": "embassy", "sending_country": "LA"}
    pakse = {"city": "Pakse", "city_vi": "", "kind": "consulate", "sending_country": "VN"}
    assert labels.city_name(hanoi, "vi") == "Hà Nội" and labels.city_name(hanoi, "en") == "Hanoi"
    assert labels.city_name(pakse, "vi") == "Pakse"  # no Vietnamese form known: the text's
    assert "Hà Nội" in labels.mission_name(hanoi, "vi")


# --- Vietnamese throughout, Lao script, search and accessible names (issue 10, points 5-6) ---

MAP_LAYER_OF = {"provinces_vn": "provinces_vn", "provinces_la": "provinces_la",
                "provinces_vn_2025": "provinces_vn", "segments_2025": "segments",
                "water": "water"}
#: An element marked as English (a quote of the English text, an English name), not nested.
_EN_QUOTE = re.compile(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', re.S)


@pytest.fixture(scope="module")
def built() -> Layers:
    return load_layers(REAL)


def map_features(layers: Layers) -> list[tuple[str, dict[str, Any]]]:
    """(map layer, properties) of every feature the map draws with a popup, both periods."""
    out = [(MAP_LAYER_OF[name], f["properties"]) for name in MAP_LAYER_OF
           for f in layers.features(name)]
    kinds = {"segment": "segments", "border_line": "border", "embassy": "embassies",
             "consulate": "consulates"}
    out += [(kinds[f["properties"]["kind"]], f["properties"])
            for name in ("border", "segments", "missions") for f in layers.features(name)]
    return out


def text_of(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, without what is marked as English."""
    return html.unescape(re.sub(r"<[^>]+>", " ", _EN_QUOTE.sub(" ", fragment)))


def test_the_vietnamese_map_texts_say_no_english(built: Layers) -> None:
    for layer, props in map_features(built):
        tooltip, popup = popups.feature_texts(layer, props, "vi")
        assert english_in(text_of(tooltip + " " + popup)) == [], (layer, props["id"])
        # and the English page still says it in English
        assert popups.feature_texts(layer, props, "en") != (tooltip, popup)


def test_one_name_per_province_and_language(built: Layers) -> None:
    for lang in ("en", "vi"):
        names = {f["properties"]["iso_3166_2"]: labels.province_name(f["properties"], lang)
                 for name in catalog.PROVINCE_LAYERS.values() for f in built.features(name)}
        for layer, props in map_features(built):
            tooltip, popup = (text_of(part) for part in popups.feature_texts(layer, props, lang))
            if layer == "segments":
                assert names[props["la_code"]] in tooltip, (lang, props["id"], tooltip)
                if props["vn_code"] in names:  # a unit since 2025 has a national code
                    assert names[props["vn_code"]] in tooltip, (lang, props["id"], tooltip)
            elif layer.startswith("provinces"):
                for code in props["neighbour_codes"].split(";"):
                    assert f"{code} {names[code]}" in popup, (lang, props["id"], code)
        # a Lao province is never called by its English name on the Vietnamese page
        if lang == "vi":
            cities = {f["properties"]["city"] for f in built.features("missions")}
            english = {f["properties"]["name_en"] for f in built.features("provinces_la")} - cities
            for layer, props in map_features(built):
                shown = text_of(" ".join(popups.feature_texts(layer, props, lang)))
                assert not [n for n in english if re.search(rf"\b{n}\b", shown)], props["id"]


def test_the_vietnamese_name_of_a_lao_province_is_the_texts() -> None:
    props = {"iso_3166_2": "LA-HO", "country": "LA", "name_seed": "Hủa-phăn",
             "name_vi": "Houaphanh", "name_en": "Houaphanh", "name_lo": "ຫົວພັນ"}
    for lang in ("en", "vi"):
        popup = popups.feature_texts("provinces_la", props, lang)[1]
        row = re.search(r"<th>(?:Vietnamese name|Tên tiếng Việt)</th><td>(.*?)</td>", popup)
        assert row and row.group(1) == "Hủa-phăn", popup


def test_lao_script_names_beside_the_lao_provinces(built: Layers) -> None:
    for lang in ("en", "vi"):
        for f in built.features("provinces_la"):
            props = f["properties"]
            assert props["name_lo"] and all("\u0e80" <= ch <= "\u0eff" for ch in props["name_lo"])
            tooltip, popup = popups.feature_texts("provinces_la", props, lang)
            assert f"({props['name_lo']})" in tooltip and props["name_lo"] in popup
        for f in built.features("provinces_vn"):  # Vietnam's provinces: no Lao beside the name
            tooltip, _popup = popups.feature_texts("provinces_vn", f["properties"], lang)
            assert not any("\u0e80" <= ch <= "\u0eff" for ch in tooltip)


def test_match_rules_and_scores_stay_in_the_data(built: Layers) -> None:
    for lang in ("en", "vi"):
        for name in catalog.PROVINCE_LAYERS.values():
            for f in built.features(name):
                props = f["properties"]
                assert props["match_rule"] and props["match_score"]
                popup = popups.feature_texts(name, props, lang)[1]
                assert props["match_rule"] not in popup and str(props["match_score"]) not in popup
                assert labels.esc(labels.match_words(props["match_rule"], lang)) in popup


def test_ambassador_titles_in_the_page_language() -> None:
    props = {"kind": "embassy", "sending_country": "VN", "host_country": "LA",
             "ambassador": "Nguyễn Minh Tâm", "ambassador_title": "Vietnam Ambassador to Laos"}
    assert popups.ambassador_text(props, "vi") == "Nguyễn Minh Tâm (Đại sứ Việt Nam tại Lào)"
    assert popups.ambassador_text(props, "en") == "Nguyễn Minh Tâm (Vietnam Ambassador to Laos)"
    assert popups.ambassador_text({**props, "ambassador_title": ""}, "vi") == "Nguyễn Minh Tâm"


def test_quotes_are_marked_with_their_texts_language() -> None:
    for file, lang in (("seeds/a.en.txt", "en"), ("seeds/b.vi.txt", "vi"), ("notes.txt", "")):
        props = {"id": "m", "kind": "consulate", "sending_country": "VN", "city": "Pakse",
                 "source_file": file, "source_line": 3, "source_quote": "quoted"}
        popup = popups.feature_texts("consulates", props, "vi")[1]
        marked = f' lang="{lang}"' if lang else ""
        assert f'<blockquote class="laovn-quote" tabindex="0"{marked}>quoted</blockquote>' in popup


def test_lengths_and_areas_by_locale() -> None:
    assert labels.km(2199.215, "vi") == "2.199,2 km" and labels.km(2199.215, "en") == "2,199.2 km"
    assert labels.km(2340, "vi", 0) == "2.340 km"
    assert labels.km2(11213.71, "vi") == "11.213,7 km²"
    assert labels.km("x", "vi") == "" and labels.km2(None, "en") == ""


def test_search_names_hold_every_name_of_a_feature(built: Layers) -> None:
    for layer, props in map_features(built):
        names = labels.search_names(layer, props)
        assert len(names) == len(set(names)) and all(n == n.strip() and n for n in names)
        if layer == "water":
            assert names == []  # no dataset names them
            continue
        assert names, (layer, props["id"])
        for lang in ("en", "vi"):  # what the page calls it is findable in both languages
            shown = (labels.province_name(props, lang) if layer.startswith("provinces")
                     else labels.accessible_name(layer, props, lang))
            assert any(n in shown or shown in n for n in names), (layer, props["id"], lang)
        keys = {"provinces_vn": ("name_en", "name_seed", "name_lo"),
                "provinces_la": ("name_en", "name_seed", "name_lo", "name_local"),
                "embassies": ("city", "city_vi", "city_lo"),
                "consulates": ("city", "city_vi", "city_lo")}.get(layer, ())
        for key in keys:
            assert not props.get(key) or props[key] in names, (layer, props["id"], key)
    savannakhet = next(f["properties"] for f in built.features("provinces_la")
                       if f["properties"]["iso_3166_2"] == "LA-SV")
    assert "ສະຫວັນນະເຂດ" in labels.search_names("provinces_la", savannakhet)


def test_accessible_names_are_plain_text_in_the_page_language(built: Layers) -> None:
    pakse = next(f["properties"] for f in built.features("missions")
                 if f["properties"]["city"] == "Pakse")
    assert labels.accessible_name("consulates", pakse, "vi") == "Lãnh sự quán Việt Nam tại Pakse"
    assert labels.accessible_name("consulates", pakse, "en") == "Consulate of Vietnam in Pakse"
    dien_bien = next(f["properties"] for f in built.features("provinces_vn")
                     if f["properties"]["iso_3166_2"] == "VN-71")
    assert labels.accessible_name("provinces_vn", dien_bien, "vi") == \
        "Tỉnh biên giới Việt Nam: Điện Biên"
    for layer, props in map_features(built):
        for lang in ("en", "vi"):
            name = labels.accessible_name(layer, props, lang)
            assert name and "<" not in name and "&" not in name, (layer, props["id"])
        assert english_in(labels.accessible_name(layer, props, "vi")) == [], props["id"]
    # hostile text stays as it is: escaping is the caller's job
    hostile = {"kind": "consulate", "sending_country": "LA", "city": "<script>x</script>"}
    assert labels.accessible_name("consulates", hostile, "en") == \
        "Consulate of Laos in <script>x</script>"


def test_a_quote_scrolls_in_a_box_the_keyboard_can_reach() -> None:
    """axe-core's scrollable-region-focusable: a long quote scrolls, so its box takes focus."""
    props = {"kind": catalog.EMBASSY, "sending_country": "VN", "source_quote": "a\nb",
             "source_file": "x.en.txt", "source_line": 3}
    _tooltip, popup = popups.feature_texts("embassies", props, "en")
    assert '<span class="laovn-cite">x.en.txt:3</span>' in popup
    assert '<blockquote class="laovn-quote" tabindex="0" lang="en">a<br>b</blockquote>' in popup


def test_an_event_is_found_by_its_place_as_written_and_named_and_by_its_years(built: Layers) -> None:
    events = [f["properties"] for f in built.features("events")]
    samnua = next(p for p in events if p["place_written"] == "Sầm Nứa")
    names = labels.search_names("events", samnua)
    assert {"Sầm Nứa", "Houaphanh", "Sam Neua", "1955"} <= set(names)
    xayabury = next(p for p in events if p["place_name_vi"] == "Xayabury")
    assert {"Xayabury", "Sainyabuli", "1987", "1988"} <= set(labels.search_names("events", xayabury))
    vientiane = next(p for p in events if p["place_written"] == "Viên Chăn")
    assert {"Viên Chăn", "Vientiane", "1975"} <= set(labels.search_names("events", vientiane))
    # Sài Gòn is named before the clause of the date, which is Vientiane's: no point
    assert not [p for p in events if p["place_written"] == "Sài Gòn"]


def test_an_events_years_are_every_year_its_dates_span() -> None:
    assert labels.event_years({"start": "1987-12-01", "end": "1988-02-29"}) == ["1987", "1988"]
    assert labels.event_years({"start": "1975-12-01", "end": "1975-12-31"}) == ["1975"]
    assert labels.event_years({"start": "1975", "end": ""}) == ["1975"]
    assert labels.event_years({"start": "", "end": "1975"}) == []
    assert labels.event_years({"start": "1980-01-01", "end": "1979-01-01"}) == ["1980"]


def test_a_mission_is_found_by_the_province_its_city_lies_in_and_its_citys_other_names(
        built: Layers) -> None:
    pakse = next(f["properties"] for f in built.features("missions")
                 if f["properties"]["city"] == "Pakse")
    names = labels.search_names("consulates", pakse)
    assert {"Champasak", "ຈຳປາສັກ", "Pakxé"} <= set(names)
    assert labels.other_names({"other_names": "A|B||C"}) == ["A", "B", "C"]
    assert labels.other_names({}) == []


def test_lao_numbers_days_and_centuries_are_cldr_lo() -> None:
    # CLDR's lo: a comma for decimals, a dot for thousands, its month names; a century is the
    # bare number, which the catalog's "ສະຕະວັດທີ {century}" makes an ordinal (not "19th")
    assert labels.fmt_num(2199.25, "lo") == "2.199,2"
    assert labels.km(2199.2, "lo").startswith("2.199,2")
    assert labels.period_label("1945-09-04", "1945-09-04", "day", "lo") == "4 ກັນຍາ 1945"
    century = labels.period_label("1801-01-01", "1900-12-31", "century", "lo")
    assert "19" in century and "19th" not in century and "XIX" not in century


def test_the_lao_page_numbers_a_century_without_an_english_suffix() -> None:
    assert not re.search(r"\d(?:st|nd|rd|th)\b", labels.period_label(
        "1801-01-01", "1900-12-31", "century", "lo"))


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "Thành phố Đà Nẵng"), ("vi", "Thành phố Đà Nẵng"), ("lo", "ດານັງ (Thành phố Đà Nẵng)")])
def test_a_2025_unit_is_named_in_full_after_the_languages_own_name(lang: str, title: str) -> None:
    props = {"name_full": "Thành phố Đà Nẵng", "name_vi": "Đà Nẵng", "name_en": "Đà Nẵng",
             "name_lo": "ດານັງ", "period": catalog.PERIOD_2025}
    assert labels.unit_2025_name(props, lang) == title
    assert title in labels.accessible_name("provinces_vn", props, lang)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_text_s_language_is_not_named_as_its_country(lang: str) -> None:
    """CLDR's Lao names the language as it names the country (ຫວຽດນາມ): on the story panel and
    in the events table a bare name read as "Vietnam"; each language's catalog says language."""
    cldr = LANGUAGES[lang].cldr_locale
    for text, country in (("vi", "VN"), ("en", "GB")):
        assert labels.text_language_name(text, lang) not in {territory_name(country, cldr),
                                                      territory_name("US", cldr)}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_scale_bars_units_are_cldrs_in_each_language(lang: str) -> None:
    """The map's scale writes its lengths as the page writes a length (`labels.km`): the
    pattern filled with a number is Babel's own formatting of it."""
    units = labels.scale_units(lang)
    assert set(units) == {"m", "km"}
    assert units["km"].replace("{0}", "200") == labels.km(200, lang, 0)
    assert units["m"].replace("{0}", "500") == str(
        format_unit(500, "length-meter", length="short", locale=labels.cldr_locale(lang)))
    assert prepare_texts({}, lang)["scale"] == units
