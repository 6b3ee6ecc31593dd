"""Tests of the province popups' areas (laovn_map.page.popups) and the provinces table: the
measured area, the official one with its source and year, the difference, and the note, in both
languages, on the real layers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest

from laovn_map import catalog
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page import pagetext
from laovn_map.page.labels import esc, fmt_num, in_lang, km2, per_unit
from laovn_map.page.pagetext import KM2
from laovn_map.page.popups import feature_texts

from ..conftest import REAL

LANGS = ("en", "vi")


@pytest.fixture(scope="module")
def real() -> Layers:
    return load_layers(REAL)


def _props(layers: Layers, layer: str, feature_id: str) -> Mapping[str, Any]:
    (props,) = [f["properties"] for f in layers.features(layer) if f["properties"]["id"] == feature_id]
    return props


def _off(lang: str) -> str:
    """The start of the note that an outline is off (before the dataset it names)."""
    return esc(t("area.boundary_off", lang).split("{", 1)[0])


def _off_note(popup: str, lang: str) -> str:
    """The text of the popup's note that the outline is off ('' when it has none)."""
    for note in popup.split('<div class="laovn-note">')[1:]:
        text = note.split("</div>", 1)[0]
        if text.startswith(_off(lang)):
            return text
    return ""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("layer", "feature_id"), [("provinces_vn", "VN-71"),
                                                   ("provinces_vn_2025", "vn2025-11")])
def test_dien_bien_shows_both_areas_the_difference_and_that_its_outline_is_off(
        real: Layers, lang: str, layer: str, feature_id: str) -> None:
    props = _props(real, layer, feature_id)
    _, popup = feature_texts("provinces_vn", props, lang)
    # the measured area on the dataset's outline, and the official one of the package with its year
    assert esc(t("prop.area_measured", lang)) in popup
    assert km2(props["area_km2"], lang) in popup and props["area_km2"] > 11_000
    official = t("area.official_value", lang).format(area=km2(9750.79, lang, 2), year=2025)
    assert esc(official) in popup
    assert "vietnamadminunits" in popup and "danhmuchanhchinh.gso.gov.vn" in popup
    assert "province_areas.csv:" in popup
    assert esc("+" + fmt_num(props["area_difference_pct"], lang, 1) + " %") in popup
    assert props["area_difference_pct"] > catalog.AREA_OFF_PCT
    assert _off(lang) in popup
    assert esc(t("area.no_official", lang)) not in popup


@pytest.mark.parametrize("lang", [*LANGS, "lo"])
def test_the_off_note_names_the_dataset_the_outline_comes_from(real: Layers, lang: str) -> None:
    """A 2025 unit's outline is its members' dissolved by vietnamadminunits (the layer's
    `dataset` says so): its note names that chain, in the page's language; a province before
    2025 names Natural Earth alone. And no note calls the unit a province (Huế is a city)."""
    hue = _props(real, "provinces_vn_2025", "vn2025-46")
    thua_thien = _props(real, "provinces_vn", "VN-26")
    assert hue["area_boundary_off"] and thua_thien["area_boundary_off"]
    unit_note = _off_note(feature_texts("provinces_vn", hue, lang)[1], lang)
    old_note = _off_note(feature_texts("provinces_vn", thua_thien, lang)[1], lang)
    assert "vietnamadminunits" in unit_note
    assert esc(in_lang(hue, "dataset", lang)) in unit_note
    assert "Natural Earth" in old_note and "vietnamadminunits" not in old_note
    assert esc(in_lang(thua_thien, "dataset", lang)) in old_note
    for note in (unit_note, old_note):
        assert esc(fmt_num(catalog.AREA_OFF_PCT, lang, 0)) in note
    # the message's own words do not call the unit a province (the dataset's title may)
    province = t("Provinces", lang).lower().rstrip("s")
    assert province not in t("area.boundary_off", lang).lower()


@pytest.mark.parametrize("lang", LANGS)
def test_a_province_within_the_threshold_has_no_note(real: Layers, lang: str) -> None:
    props = _props(real, "provinces_vn", "VN-22")  # Nghệ An: 0.4 %
    _, popup = feature_texts("provinces_vn", props, lang)
    assert esc(t("prop.area_official", lang)) in popup
    assert abs(props["area_difference_pct"]) <= catalog.AREA_OFF_PCT
    assert _off(lang) not in popup
    assert esc(t("area.no_official", lang)) not in popup


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("layer", "feature_id"), [("provinces_la", "LA-PH"),
                                                   ("provinces_vn", "VN-24")])
def test_without_an_official_area_the_popup_says_so(real: Layers, lang: str, layer: str,
                                                    feature_id: str) -> None:
    props = _props(real, layer, feature_id)
    _, popup = feature_texts(layer, props, lang)
    assert km2(props["area_km2"], lang) in popup
    assert esc(t("area.no_official", lang)) in popup
    assert esc(t("prop.area_official", lang)) not in popup
    assert esc(t("prop.area_difference", lang)) not in popup
    assert _off(lang) not in popup


@pytest.mark.parametrize("lang", LANGS)
def test_the_provinces_table_has_both_areas_the_year_the_difference_and_the_source(
        real: Layers, lang: str) -> None:
    rows = {r[t("prop.code", lang)]: r for r in pagetext.province_rows(real, lang)}
    dien_bien = rows["VN-71"]
    assert dien_bien[per_unit(t("prop.area_official", lang), KM2, lang)] == 9750.79
    assert dien_bien[per_unit(t("prop.area_measured", lang), KM2, lang)] > 11_000
    assert dien_bien[t("official.year", lang)] == 2025
    assert dien_bien[t("prop.area_difference", lang) + " (%)"] == 15.0
    assert "vietnamadminunits" in dien_bien[t("prop.area_source", lang)]
    lao = rows["LA-PH"]
    assert lao[per_unit(t("prop.area_measured", lang), KM2, lang)] > 0
    assert lao[per_unit(t("prop.area_official", lang), KM2, lang)] is None


@pytest.mark.parametrize("lang", LANGS)
def test_the_official_areas_source_is_a_note_under_the_table(real: Layers, lang: str) -> None:
    """The source (a package and site names that cannot break) is no table row: in a row it
    left the values' column no width on a 390 px phone."""
    _, popup = feature_texts("provinces_vn", _props(real, "provinces_vn", "VN-71"), lang)
    table, _, after = popup.partition("</table>")
    assert "danhmuchanhchinh.gso.gov.vn" not in table
    note = after.split('<div class="laovn-note">', 1)[1].split("</div>", 1)[0]
    assert note.startswith(esc(t("area.source_note", lang).split("{", 1)[0]))
    assert "vietnamadminunits" in note and "danhmuchanhchinh.gso.gov.vn" in note


CONSULATES = ("vn-consulate-luang-prabang", "vn-consulate-pakse", "vn-consulate-savannakhet",
              "la-consulate-da-nang", "la-consulate-ho-chi-minh-city")


def test_the_build_gives_each_of_the_five_consulates_its_sourced_rank(real: Layers) -> None:
    ranked = {f["properties"]["id"]: f["properties"] for f in real.features("missions")
              if f["properties"]["rank"]}
    assert sorted(ranked) == sorted(CONSULATES)
    for props in ranked.values():
        assert props["kind"] == catalog.CONSULATE and props["rank"] == catalog.CONSULATE_GENERAL
        assert props["rank_source_url"].startswith("https://")
        assert props["rank_source_row"].startswith("official/mission_ranks.csv:")
        assert props["city"] in props["rank_source_phrase"]


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("Consulate (the text&#x27;s word) — a consulate-general, per Vietnam News Agency, 2023",
            "The rank&#x27;s source: Vietnam News Agency, 2023-11, https://en.vietnamplus.vn/vietnamese-diplomat-"
            "congratulates-lao-provinces-on-national-day/272053.vnp (mission_ranks.csv:3)")),
    ("vi", ("Lãnh sự quán (từ của văn bản) — là tổng lãnh sự quán, theo Thông tấn xã Việt Nam, 2023",
            "Nguồn về cấp: Thông tấn xã Việt Nam, 2023-11, https://en.vietnamplus.vn/")),
])
def test_a_consulate_popup_says_the_texts_word_and_the_sourced_rank(
        real: Layers, lang: str, words: tuple[str, str]) -> None:
    _tooltip, popup = feature_texts("consulates", _props(real, "missions", "vn-consulate-pakse"), lang)
    for word in words:
        assert word in popup


@pytest.mark.parametrize("lang", LANGS)
def test_an_embassy_popup_has_no_rank(real: Layers, lang: str) -> None:
    _tooltip, popup = feature_texts("embassies", _props(real, "missions", "vn-embassy-vientiane"), lang)
    assert f"<td>{esc(t('embassy', lang))}</td>" in popup
    assert esc(t("rank.source_note", lang).format(source="")) not in popup


def test_a_rank_is_escaped_where_it_is_shown() -> None:
    props = {"id": "x", "kind": "consulate", "rank": "consulate-general", "rank_source": "T",
             "rank_source_publisher": "<i>P</i>", "rank_source_date": "2023", "rank_source_url":
             "https://x/<script>", "rank_source_row": "official/mission_ranks.csv:2"}
    _tooltip, popup = feature_texts("consulates", props, "en")
    assert "<i>" not in popup and "<script>" not in popup and "&lt;script&gt;" in popup
    assert "&lt;i&gt;P&lt;/i&gt;, 2023" in popup


@pytest.mark.parametrize(("lang", "kind", "source"), [
    ("en", "Consulate (the text's word) — a consulate-general, per Da Nang Today, 2019",
     "Da Nang Today, 2019-04, https://baodanang.vn/english/politics/201904/city-leader-extends-wishes-to-"
     "laos-consulate-staff-on-their-special-festival-3173538 (mission_ranks.csv:5)"),
    ("vi", "Lãnh sự quán (từ của văn bản) — là tổng lãnh sự quán, theo Báo Đà Nẵng, 2019",
     "Báo Đà Nẵng, 2019-04, https://baodanang.vn/"),
])
def test_the_missions_table_gives_the_rank_and_its_source_beside_the_texts_word(
        real: Layers, lang: str, kind: str, source: str) -> None:
    rows = pagetext.mission_rows(real, lang)
    by_city = {row[t("prop.city", lang)]: row for row in rows}
    da_nang = by_city["Da Nang" if lang == "en" else "Đà Nẵng"]
    assert da_nang[t("prop.kind", lang)] == kind
    assert da_nang[t("prop.rank_source", lang)].startswith(source)
    embassies = [row for row in rows if row[t("prop.kind", lang)] == t("embassy", lang)]
    assert len(embassies) == 2 and all(row[t("prop.rank_source", lang)] == "" for row in embassies)


# --- the quotes' citations: article and section, file and line ----------------------------------

def _heading_above(layers: Layers, file: str, line: int) -> str:
    """The heading above *line* of the text *file* as geo/seeds/ holds it, read here from the
    text itself: a ``== … ==`` line of the English text, a short plain line of the Vietnamese."""
    lines = layers.texts[file].text.split("\n")
    for number in range(line, 0, -1):
        text = lines[number - 1].strip()
        if text.startswith("==") and text.endswith("=="):
            return text.strip("= ")
        if file.endswith(".vi.txt") and 0 < len(text) <= 30 and not any(c in text for c in ".,:0123456789"):
            return text
    return ""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("layer", "source", "feature_id", "section"), [
    ("border", "border", "border", "Lịch sử"),
    ("consulates", "missions", "vn-consulate-pakse", "Diplomatic missions"),
    ("events", "events", "vi-025-1-ne-LAO-3278", "Chính trị và quân sự"),
])
def test_a_popup_names_the_article_and_section_of_its_quote_and_keeps_file_and_line(
        real: Layers, lang: str, layer: str, source: str, feature_id: str, section: str) -> None:
    props = _props(real, source, feature_id)
    file, line = props["source_file"], props["source_line"]
    (text,) = [x for x in real.manifest["texts"] if x["file"] == file]
    assert _heading_above(real, file, line) == section == props["source_section"]
    _, popup = feature_texts(layer, props, lang)
    language = text["language"]
    cited = t("cite.source", lang).format(language=language, title=text["title"], section=section)
    assert esc(cited) + f" — {file}:{line}" in re.sub(r"<span[^>]*>|</span>", "", popup)
    # the title and section are marked with the text's language
    assert f'<span lang="{language}">{esc(text["title"])}</span>' in popup
    assert f'<span lang="{language}">{esc(section)}</span>' in popup


@pytest.mark.parametrize("lang", LANGS)
def test_the_other_texts_statement_is_cited_with_its_article_and_section(real: Layers,
                                                                         lang: str) -> None:
    props = _props(real, "events", "vi-018-0-geonames-1651944")
    assert props["link_file"].endswith(".en.txt")
    section = _heading_above(real, props["link_file"], props["link_line"])
    assert section == props["link_section"] == "Modern era"
    _, popup = feature_texts("events", props, lang)
    plain = re.sub(r"<span[^>]*>|</span>", "", popup)
    assert esc(t("cite.source", lang).format(language="en", title="Laos–Vietnam relations",
                                             section=section)) + \
        f" — {props['link_file']}:{props['link_line']}" in plain


@pytest.mark.parametrize("lang", LANGS)
def test_a_quote_from_the_lead_says_so(lang: str) -> None:
    props = {"id": "x", "kind": "embassy", "source_file": "seeds/a.en.txt", "source_line": 5,
             "source_quote": "q", "source_article": "A <b>", "source_section": ""}
    _, popup = feature_texts("embassies", props, lang)
    assert esc(t("cite.lead", lang)) in popup and "A &lt;b&gt;" in popup and "<b>" not in popup
    assert "seeds/a.en.txt:5" in popup


def test_a_build_without_articles_cites_file_and_line_as_before() -> None:
    props = {"id": "x", "kind": "embassy", "source_file": "x.en.txt", "source_line": 3,
             "source_quote": "q"}
    _, popup = feature_texts("embassies", props, "en")
    assert '<span class="laovn-cite">x.en.txt:3</span>' in popup


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_unit_of_2025_says_its_resolutions_note_in_the_page_s_language(
        real: Layers, lang: str) -> None:
    """The table's note in the page's language; where the table has none in it, its English,
    marked so for screen readers (a language whose column a translator has not filled yet)."""
    props = dict(_props(real, "provinces_vn_2025", "vn2025-48"))
    own = props[f"change_note{LANGUAGES[lang].field_suffix}"]
    _, popup = feature_texts("provinces_vn", props, lang)
    assert own and f'<div class="laovn-note">{esc(own)}</div>' in popup
    if LANGUAGES[lang].field_suffix:
        del props[f"change_note{LANGUAGES[lang].field_suffix}"]
        _, popup = feature_texts("provinces_vn", props, lang)
        assert f'<div class="laovn-note" lang="en">{esc(props["change_note"])}</div>' in popup
