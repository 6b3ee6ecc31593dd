"""laovn_map.labels: every text of the map escaped, names from the catalog, per language."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from laovn_map import catalog, labels
from laovn_map.layers_io import Layers, load_layers

from .conftest import FIXTURE
from .test_mapview import HOSTILE_RAW, _Checker, layers, popups_and_tooltips, render, render_collections

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_every_popup_and_tooltip_is_escaped(layers: Layers) -> None:
    page = render(layers)
    for raw in HOSTILE_RAW:
        assert raw not in page
    for fragment in popups_and_tooltips(page):
        checker = _Checker()
        checker.feed(fragment)
        checker.close()
        assert not checker.problems, (checker.problems, fragment[:300])


def test_hostile_fixture_text_shows_as_text() -> None:
    page = render(load_layers(FIXTURE))
    pakse = next(p for p in popups_and_tooltips(page) if 'data-id="vn-consulate-pakse"' in p)
    checker = _Checker()
    checker.feed(pakse)
    text = "".join(checker.text)
    assert "Pakse (Consulate) <script>alert(1)</script> <img src=x onerror=alert(1)>" in text
    # the border's stated_text holds "${alert(1)}": shown as text, never interpolated
    border = next(p for p in popups_and_tooltips(page) if "&#36;&#123;alert" in p)
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
        page = render_collections({"missions": fc}, lang=lang, visible=["consulates"])
        for fragment in popups_and_tooltips(page):
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


def test_a_quote_scrolls_in_a_box_the_keyboard_can_reach() -> None:
    """axe-core's scrollable-region-focusable: a long quote scrolls, so its box takes focus."""
    props = {"kind": catalog.EMBASSY, "sending_country": "VN", "source_quote": "a\nb",
             "source_file": "x.en.txt", "source_line": 3}
    _tooltip, popup = labels.feature_texts("embassies", props, "en")
    assert '<span class="laovn-cite">x.en.txt:3</span>' in popup
    assert '<blockquote class="laovn-quote" tabindex="0">a<br>b</blockquote>' in popup
