"""laovn_map.page.pagetext: the page's figures, tables and marked texts, without Streamlit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from laovn_map.geo.reader import Layers, load_layers
from laovn_map.i18n import LANGUAGES, t, tn
from laovn_map.page import pagetext
from laovn_map.page.labels import esc, event_place, text_language_name
from laovn_map.page.popups import feature_texts

from ..conftest import REAL
from ..layersets import copy_fixture, rewrite_manifest
from ..untranslated import english_in
from .test_mapview import layers

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_marked_source_marks_and_escapes() -> None:
    text = "Heading\n- Pakse (Consulate) <b>x</b>\nOther line $5 and $6\n"
    out = pagetext.marked_source_html(text, [
        (2, "Pakse (Consulate)"),                 # found on its line
        (3, "not in the text at all"),            # falls back to the cited line
        (None, "Heading / - Pakse"),              # parts of a joined quote
    ], name="x.en.txt")
    assert "<b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert '<mark class="laovn-mark">- Pakse (Consulate)</mark> &lt;b&gt;' in out
    assert '<mark class="laovn-mark">Other line &#36;5 and &#36;6</mark>' in out
    assert '<mark class="laovn-mark">Heading</mark>' in out
    assert "\n" not in out and out.count("<br>") == 2
    # a scrolling box: the keyboard can reach it, a screen reader names it
    assert out.startswith('<div class="laovn-source" tabindex="0" role="region" '
                          'aria-label="x.en.txt"')


def test_every_quote_is_found_in_the_builds_text(layers: Layers) -> None:
    for name in ("missions", "provinces_vn"):
        for feat in layers.features(name):
            p = feat["properties"]
            text = layers.texts[p["source_file"]].text
            out = pagetext.marked_source_html(text, [(p["source_line"], p["source_quote"])],
                                              name="x")
            assert "<mark" in out, p["id"]


def test_quotes_are_matched_by_source_file(layers: Layers) -> None:
    for file in layers.texts:
        quotes = pagetext.quotes_of(layers, file)
        assert quotes and len(set(quotes)) == len(quotes)
    assert pagetext.quotes_of(layers, "seeds/other.txt") == ()


def test_mission_counts_from_the_manifest_or_the_layer(tmp_path: Path) -> None:
    geo = copy_fixture(tmp_path / "geo")
    assert pagetext.missions_by_kind(load_layers(geo)) == {"embassy": 2, "consulate": 5}
    rewrite_manifest(geo, lambda m: m["figures"].update(
        missions_by_kind={"embassy": 1, "consulate": 6}))
    assert pagetext.missions_by_kind(load_layers(geo)) == {"embassy": 1, "consulate": 6}


def test_figures_in_vietnamese(layers: Layers) -> None:
    table = pagetext.figures_markdown(layers, "vi")
    assert "| Theo văn bản | 2.340 km |" in table
    assert "| Tỉnh biên giới Việt Nam |" in table and "| Lãnh sự quán | 5 |" in table


def test_rows_are_text(layers: Layers) -> None:
    rows = pagetext.province_rows(layers, "vi") + pagetext.mission_rows(layers, "vi")
    assert {r["Nước"] for r in pagetext.province_rows(layers, "vi")} == {"Việt Nam", "Lào"}
    assert all(isinstance(v, str | int | float | None) for r in rows for v in r.values())


def test_no_streamlit_import() -> None:
    source = Path(pagetext.__file__).read_text(encoding="utf-8")
    assert "import streamlit" not in source and "from streamlit" not in source


def test_source_lines_are_numbered_as_the_seeds_are() -> None:
    """U+2028 and a form feed are no line breaks to the seed reader, so not to the page either."""
    out = pagetext.marked_source_html("a\u2028b\fc\nquoted line\n", [(2, "quoted line")],
                                      name="x")
    assert out.count("<br>") == 1
    assert '2</span>&#160;&#160;<mark class="laovn-mark">quoted line</mark>' in out


# --- dates, events and the figures the texts state -----------------------------------------------

@pytest.mark.parametrize(("start", "end", "precision", "en", "vi"), [
    ("1945-09-04", "1945-09-04", "day", "September 4, 1945", "ngày 4 tháng 9 năm 1945"),
    ("1977-07-18", "1977-07-20", "day", "July 18, 1977 – July 20, 1977",
     "ngày 18 tháng 7 năm 1977 – ngày 20 tháng 7 năm 1977"),
    ("2012-04-01", "2012-04-30", "month", "April 2012", "tháng 4 năm 2012"),
    ("1987-12-01", "1988-02-29", "month", "December 1987 – February 1988",
     "tháng 12 năm 1987 – tháng 2 năm 1988"),
    ("1989-01-01", "2012-12-31", "year", "1989 – 2012", "1989 – 2012"),
    ("1980-01-01", "1989-12-31", "decade", "the 1980s", "thập niên 1980"),
    ("1401-01-01", "1500-12-31", "century", "the 15th century", "thế kỷ XV"),
    ("1801-01-01", "1900-12-31", "century", "the 19th century", "thế kỷ XIX"),
])
def test_period_labels(start: str, end: str, precision: str, en: str, vi: str) -> None:
    assert pagetext.period_label(start, end, precision, "en") == en
    assert pagetext.period_label(start, end, precision, "vi") == vi


def test_an_open_period_is_labelled_from_its_start_not_to_the_horizon() -> None:
    """ "since 1975": the text gives no end; 2012 is only where the timeline stops."""
    args = ("1975-01-01", "2012-12-31", "year")
    assert pagetext.period_label(*args, "en", True) == "since 1975"
    assert pagetext.period_label(*args, "vi", True) == "từ 1975"
    assert pagetext.period_label(*args, "en") == "1975 – 2012"
    props = {"start": "1975-01-01", "end": "2012-12-31", "precision": "year", "open_end": True,
             "date_text": "Kể từ năm 1975", "language": "vi", "id": "vi-001-0-x"}
    from laovn_map.page.popups import feature_texts

    title, body = feature_texts("events", props, "en")
    assert title.startswith("since 1975") and "Kể từ năm 1975" in body


def test_period_label_without_a_date() -> None:
    assert pagetext.period_label(None, None, None, "en") == ""
    assert pagetext.period_label("1977-01-01", "1977-12-31", "week", "vi") == ""


def test_figure_values_in_both_languages() -> None:
    money = {"value": 4_900_000_000, "unit": "usd", "qualifier": ""}
    trade = {"value": 725_000_000, "unit": "usd", "qualifier": "about"}
    assert pagetext.figure_value(money, "en") == "US$4.9 billion"
    assert pagetext.figure_value(money, "vi") == "4,9 tỷ USD"
    assert pagetext.figure_value(trade, "en") == "about US$725 million"
    assert pagetext.figure_value({**trade, "qualifier": "khoảng"}, "vi") == "khoảng 725 triệu USD"
    assert pagetext.figure_value({"value": 429, "unit": "projects"}, "vi") == "429 dự án"
    assert pagetext.figure_value({"value": None, "unit": "usd"}, "en") == "—"


def test_text_figure_rows_follow_the_manifest(layers: Layers) -> None:
    records = layers.figures.get("figures_from_texts", [])
    disagreeing = len(layers.figures.get("figure_disagreements", []))
    for lang in ("en", "vi"):
        rows = pagetext.text_figure_rows(layers, lang)[disagreeing:]
        assert len(rows) == len(records) > 0
        for row, record in zip(rows, records, strict=True):
            assert row[pagetext.t("tf.written", lang)] in row[pagetext.t("col.quote", lang)]
            assert row[pagetext.t("prop.source", lang)].endswith(f":{record['source_line']}")
    assert set(pagetext.text_figure_rows(layers, "vi")[0]).isdisjoint(
        pagetext.text_figure_rows(layers, "en")[0])


def test_new_figure_values_in_both_languages() -> None:
    term = {"value": 25, "unit": "years", "qualifier": ""}
    assert (pagetext.figure_value(term, "en"), pagetext.figure_value(term, "vi")) == (
        "25 years", "25 năm")
    among = {"value": 1, "unit": "rank", "among": 55, "qualifier": ""}
    assert pagetext.figure_value(among, "en") == "No. 1 of 55"
    assert pagetext.figure_value(among, "vi") == "thứ 1 trong 55"
    for written in ("hundreds", "hàng trăm"):
        hundreds = {"value": None, "unit": "people", "qualifier": written}
        assert pagetext.figure_value(hundreds, "en") == "hundreds"
        assert pagetext.figure_value(hundreds, "vi") == "hàng trăm"


def _real_rows(lang: str) -> list[dict[str, object]]:
    return pagetext.text_figure_rows(load_layers(REAL), lang)


def _row(lang: str, written: str) -> dict[str, object]:
    (found,) = [r for r in _real_rows(lang) if r[t("tf.written", lang)] == written]
    return found


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_real_texts_figures_are_in_the_table(lang: str) -> None:
    """Issue 23 point 6: the treaty's term, the "hundreds", Laos first among 55 countries, and
    "currently" without the sentence's 1989–2012, in the page's language."""
    def cell(written: str, column: str) -> object:
        return _row(lang, written)[t(column, lang)]
    assert cell("25-year Treaty", "tf.value") == tn("tf.unit.years", 25, lang).format(n=25)
    assert cell("hiệp ước 25 năm", "tf.period") == pagetext.period_label(
        "1977-01-01", "1977-12-31", "year", lang)
    for written, subject in (("hundreds of Vietnamese advisers", "tf.subject.advisers"),
                             ("Hundreds of LPRP stalwarts and technicians", "tf.subject.studied")):
        assert cell(written, "tf.value") == t("tf.q.hundreds", lang)
        assert cell(written, "tf.measure") == t(subject, lang)
    (destination,) = [r for r in _real_rows(lang) if "55" in str(r[t("tf.written", lang)])]
    assert destination[t("tf.value", lang)] == t("tf.unit.rank.among", lang).format(n=1, among=55)
    assert destination[t("tf.measure", lang)] == t("tf.subject.investment_destinations", lang)
    currently = cell("the largest foreign investor", "tf.period")
    assert currently == t("tf.present", lang).format(w="currently")
    assert "1989" not in str(currently) and "2012" not in str(currently)
    assert cell("429 projects", "tf.period") == pagetext.period_label(
        "1989-01-01", "2012-12-31", "year", lang)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_texts_disagreement_on_the_rank_is_a_row_citing_both_sentences(lang: str) -> None:
    rows = _real_rows(lang)
    marked = [r for r in rows if str(r[t("tf.measure", lang)]).startswith("⚠")]
    assert marked == rows[:1]
    (row,) = marked
    assert row[t("tf.measure", lang)] == t("tf.disagree", lang).format(
        what=t("tf.subject.foreign_investors", lang))
    english, vietnamese = (text_language_name(code, lang) for code in ("en", "vi"))
    assert row[t("tf.value", lang)] == (
        f"{t('tf.unit.rank', lang).format(n=1)} ({english}) ≠ "
        f"{t('tf.unit.rank', lang).format(n=2)} ({vietnamese})")
    assert row[t("prop.source", lang)] == (
        "laos-vietnam-relations.en.txt:42 · quan-he-lao-viet-nam.vi.txt:30")
    quote = str(row[t("col.quote", lang)])
    assert "currently the largest foreign investor in Laos" in quote
    assert "Đến thời điểm tháng 4 năm 2012, Việt Nam là quốc gia đứng thứ 2" in quote
    assert pagetext.period_label("2012-04-01", "2012-04-30", "month", lang) in str(
        row[t("tf.period", lang)])


def test_the_disagreement_reads_whole_in_one_note() -> None:
    layers = load_layers(REAL)
    assert pagetext.figure_disagreement_notes(layers, "en") == [
        "⚠ The texts disagree: Rank among foreign investors. English: No. 1, now (“currently”), "
        "no date (laos-vietnam-relations.en.txt:42); Vietnamese: No. 2, April 2012 "
        "(quan-he-lao-viet-nam.vi.txt:30)."]
    (vietnamese,) = pagetext.figure_disagreement_notes(layers, "vi")
    assert vietnamese.startswith("⚠ Hai văn bản nói khác nhau: Thứ hạng trong các nhà đầu tư")
    assert "thứ 1, hiện tại (“currently”)" in vietnamese and "thứ 2, tháng 4 năm 2012" in vietnamese
    assert english_in(vietnamese.replace("currently", "")) == []


def test_an_older_build_without_text_figures_or_events_gives_empty_tables(tmp_path: Path) -> None:
    geo = copy_fixture(tmp_path / "geo")
    rewrite_manifest(geo, lambda m: [m["figures"].pop(k) for k in ("figures_from_texts", "events")])
    old = load_layers(geo)
    assert pagetext.text_figure_rows(old, "en") == [] and pagetext.event_rows(old, "en") == []
    assert pagetext.timeline_range(old) is None


def test_events_are_sorted_and_filtered_by_the_range(layers: Layers) -> None:
    events = pagetext.timeline_events(layers)
    assert [e["start"] for e in events] == sorted(e["start"] for e in events)
    first, last = pagetext.timeline_range(layers) or ("", "")
    assert first == events[0]["start"] and last == max(e["end"] for e in events)
    everything = pagetext.event_rows(layers, "en")
    assert len(everything) == len(events)
    some = pagetext.event_rows(layers, "en", pagetext.years_timeline(1975, 1980))
    inside = [e for e in events if e["end"] >= "1975-01-01" and e["start"] <= "1980-12-31"]
    assert len(some) == len(inside) < len(everything)
    for row, event in zip(some, inside, strict=True):
        assert row["Quoted source"] == event["source_quote"]
        assert row["As written"] in event["source_quote"]


def test_the_tabs_title_follows_the_language() -> None:
    assert pagetext.page_title("en") != pagetext.page_title("vi")
    assert english_in(pagetext.page_title("vi")) == []
    assert "Laos" in pagetext.page_title("en")


def test_vietnamese_rows_say_no_english() -> None:
    built = load_layers(REAL)
    quotes = {t("col.quote", "vi"), t("prop.infobox", "vi"), t("prop.source", "vi")}
    for rows in (pagetext.province_rows(built, "vi"), pagetext.mission_rows(built, "vi"),
                 pagetext.official_rows(built, "vi")):
        for row in rows:
            # quotes and their citations are the texts' own words; the English name is English
            shown = {k: v for k, v in row.items() if k not in quotes and k != t("prop.name_en", "vi")}
            assert english_in(" ".join(str(v) for v in shown.values())) == [], row
    missions = pagetext.mission_rows(built, "vi")
    assert {r["Nước cử"] for r in missions} == {r["Nước tiếp nhận"] for r in missions} == {
        "Việt Nam", "Lào"}
    assert any("(Đại sứ Việt Nam tại Lào)" in r["Đại sứ"] for r in missions)
    by_code = {r["Mã"]: r for r in pagetext.province_rows(built, "vi")}
    for f in built.features("provinces_la"):  # the Vietnamese name is the text's, not Attapeu
        assert by_code[f["properties"]["iso_3166_2"]]["Tên tiếng Việt"] == \
            f["properties"]["name_seed"]


def test_table_numbers_read_in_the_page_language_and_stay_numbers() -> None:
    rows = [{"name": "a", "km": 65.668, "pct": -5.9, "year": 2016, "n": None},
            {"name": "b", "km": 2199.215, "pct": None, "year": None, "n": None}]
    styled = {lang: pagetext.table(rows, lang) for lang in ("en", "vi")}
    assert styled["vi"].data["km"].tolist() == [65.668, 2199.215]  # sorts by value
    vi, en = (styled[lang].to_html() for lang in ("vi", "en"))
    assert ">65,668<" in vi and ">2.199,215<" in vi and ">-5,9<" in vi
    assert ">65.668<" in en and ">2,199.215<" in en
    assert ">2016<" in vi  # a year is no decimal number: no grouping


@pytest.mark.parametrize(("text", "years"), [
    ("1945-1977", (1945, 1977)), (" 1945 - 1977 ", (1945, 1977)), ("1977-1945", (1977, 1945)),
    ("0-9999", (0, 9999)), ("²-1980", None), ("1945-²", None), ("١٩٤٥-١٩٧٧", None),
    ("1945\u00a0-1977", None), ("9" * 5000 + "-1977", None), ("19450-1977", None), ("1945", None),
    ("-1977", None), ("1945-", None), ("1945-1977-1980", None), ("", None), ("+1945-1977", None),
])
def test_years_are_read_in_ascii_digits_only(text: str, years: tuple[int, int] | None) -> None:
    """The URL's ?years= and the CLI's --years: digits `int` cannot read (superscripts,
    other scripts) and years beyond four digits are no years."""
    assert pagetext.parse_years(text) == years


def test_markdown_literal_escapes_every_mark_and_keeps_the_text() -> None:
    text = "a.geojson: kind '[x](http://e.com)' *b* _c_ `d` <e> #1 ~f~ $g$ :material/x: \\"
    literal = pagetext.markdown_literal(text)
    assert re.sub(r"\\(.)", r"\1", literal) == text
    assert not re.search(r"(?<!\\)[!-/:-@\[-`{-~]", re.sub(r"\\.", "", literal))



# --- issue 22: tables a person reads, the figures explained -------------------------------------

def _figure_rows(table: str) -> dict[str, tuple[str, str]]:
    """label → (value, why) of the figures table's Markdown, its escapes read back."""
    rows = re.findall(r"^\| (.+?) \| (.*?) \| (.*?) \|$", table, flags=re.M)
    return {label: (value, re.sub(r"\\(.)", r"\1", why)) for label, value, why in rows}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_each_length_of_the_figures_table_says_why_in_one_line(lang: str) -> None:
    real = load_layers(REAL)
    rows = _figure_rows(pagetext.figures_markdown(real, lang))
    figures = real.figures
    for key, figure in (("fig.osm", "border_length_km_osm"), ("fig.ne", "border_length_km_ne"),
                        ("fig.stated", "border_length_km_stated")):
        value, why = rows[t(key, lang)]
        assert value == pagetext.km(figures[figure], lang, 0) and why.strip(), (key, why)
    assert rows[t("fig.osm", lang)][1] != rows[t("fig.ne", lang)][1]
    # the official figure, from geo/sources/official through the manifest, with its split
    totals = {r["part"]: r for r in figures["official_lengths"] if r["scope"] == "total"}
    label = t("fig.official", lang).format(year=totals["all"]["year"])
    value, why = rows[label]
    assert value == pagetext.km(totals["all"]["official_km"], lang, 3)
    assert pagetext.km(totals["land"]["official_km"], lang, 1) in why
    assert pagetext.km(totals["river"]["official_km"], lang, 1) in why
    segments = pagetext.tn("fig.segments", figures["segments"], lang).format(n=figures["segments"])
    assert rows[segments][1].strip()
    # the counts need no reason
    assert rows[t("layer.embassies", lang)][1] == ""


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_same_event_column_gives_the_other_statements_date_and_words(lang: str) -> None:
    real = load_layers(REAL)
    events = {e["id"]: e for e in real.figures["events"]}
    rows = pagetext.event_rows(real, lang)
    linked = [(e, row) for e, row in zip(pagetext.timeline_events(real), rows, strict=True)
              if e.get("link_id")]
    assert linked
    for event, row in linked:
        cell = row[t("ev.linked", lang)]
        (other,) = [events[i] for i in event["link_id"].split("+")
                    if events[i]["language"] != event["language"]]
        assert cell == pagetext.event_date(other, lang) + ": " + other["source_quote"]
        assert event["id"] not in cell and other["id"] not in cell


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_events_table_names_a_place_as_its_marker_s_popup_does(lang: str) -> None:
    """A place on the map: in the page's language with the text's form beside it ("ຮ່າໂນ້ຍ (Hà
    Nội)" on the Lao page, as the marker's popup); a region or a place of nothing as written."""
    real = load_layers(REAL)
    rows = {e["id"]: row[t("ev.places", lang)]
            for e, row in zip(pagetext.timeline_events(real), pagetext.event_rows(real, lang),
                              strict=True)}
    markers = [f["properties"] for f in real.features("events")]
    assert markers
    for marker in markers:
        (_, popup) = feature_texts("events", marker, lang)
        place = event_place(marker, lang)
        assert esc(place) in popup and place in rows[marker["event_id"]].split("; ")
    named = {"en": "Hanoi (Hà Nội)", "vi": "Hà Nội", "lo": "ຮ່າໂນ້ຍ (Hà Nội)"}
    assert named[lang] in rows["vi-011-0"].split("; ")
    assert rows["vi-014-2"] == "Thượng Lào; Trung và Hạ Lào; Hạ Lào"


def test_mission_quotes_in_the_tables_hold_no_wiki_markup() -> None:
    real = load_layers(REAL)
    for lang in ("en", "vi"):
        for row in pagetext.mission_rows(real, lang):
            for key in ("col.quote", "prop.infobox"):
                quote = str(row[t(key, lang)] or "")
                assert not re.search(r"^\s*[;:*#-]", quote, flags=re.M), quote
    quotes = [str(r[t("col.quote", "en")]) for r in pagetext.mission_rows(real, "en")]
    assert "Of Vietnam\nPakse (Consulate)" in quotes


def test_an_event_popup_names_its_dataset_and_the_other_texts_statement_in_the_language() -> None:
    from laovn_map.catalog import DATASETS_BY_KEY
    from laovn_map.page.popups import feature_texts

    real = load_layers(REAL)
    events = [f["properties"] for f in real.features("events")]
    linked = next(p for p in events if p["link_quote"])
    for lang in ("en", "vi"):
        for props in events:
            _tooltip, popup = feature_texts("events", props, lang)
            assert pagetext.esc(DATASETS_BY_KEY[props["place_dataset"]].title_in(lang)) in popup
            shown = re.sub(r"<[^>]+>", " ", popup)
            assert "vi-0" not in shown and "en-0" not in shown  # no statement's id
        _tooltip, popup = feature_texts("events", linked, lang)
        assert pagetext.esc(linked["link_quote"]) in popup
        assert pagetext.period_label(linked["link_start"], linked["link_end"],
                                     linked["link_precision"], lang) in popup
    _tooltip, popup = feature_texts("events", events[0], "vi")
    assert english_in(re.sub(r'<[^>]*lang="en"[^>]*>.*?</blockquote>', " ", popup)) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_correction_note_names_the_languages_catalog_and_the_guide_as_they_are_in_the_repository(
        lang: str) -> None:
    note = pagetext.correction_note(lang)
    root = Path(__file__).resolve().parents[2]
    shown = re.sub(r"\\(.)", r"\1", note)  # as Markdown draws it
    paths = [f"src/laovn_map/locale/{lang}/LC_MESSAGES/laovn_map.po", "docs/translating.md"]
    assert shown == t("translation.correct", lang).format(catalog=paths[0], guide=paths[1])
    assert all((root / path).is_file() for path in paths)


@pytest.mark.parametrize(("lang", "km"), [("en", "km"), ("vi", "km"), ("lo", "ກມ")])
def test_the_tables_name_their_units_as_the_language_writes_them(lang: str, km: str) -> None:
    real = load_layers(REAL)
    columns = [*pagetext.province_rows(real, lang)[0], *pagetext.official_rows(real, lang)[0]]
    with_units = [c for c in columns if "(km" in c or f"({km}" in c]
    assert len(with_units) == 5, columns
    assert all(c.endswith((f"({km})", f"({km}²)")) for c in with_units), with_units


# --- the timeline's scale, eras and list ------------------------------------------------------


def _real() -> Layers:
    if not (REAL / "manifest.json").exists():
        pytest.fail("the committed build geo/ is missing")
    return load_layers(REAL)


def test_the_timelines_stops_give_1945_to_1991_most_of_the_slider() -> None:
    layers = _real()
    stops = pagetext.timeline_stops(layers)
    events = pagetext.timeline_events(layers)
    # every year a statement starts or ends in is a stop, and each era's first year
    assert {int(e["start"][:4]) for e in events} <= set(stops)
    assert {int(e["end"][:4]) for e in events} <= set(stops)
    assert {1401, 1930} <= set(stops) and stops == sorted(set(stops))
    # each stop gets the same room: 1945 to the first stop after 1991 is most of the width
    after = min(y for y in stops if y > 1991)
    assert (stops.index(after) - stops.index(1945)) / (len(stops) - 1) > 0.6
    # a year the URL gives is a stop too
    assert 1947 in pagetext.timeline_stops(layers, (1947, 1990))


def test_each_statement_in_range_is_listed_under_the_era_its_date_falls_in() -> None:
    layers = _real()
    groups = pagetext.statements_by_era(layers)
    assert [era["words"] for era, _ in groups if era] == ["Antiquity and medieval era",
                                                         "Modern era"]
    assert [len(events) for _, events in groups] == [4, len(pagetext.timeline_events(layers)) - 4]
    narrow = pagetext.years_timeline(1945, 1960)
    listed = pagetext.timeline_list(layers, "vi", narrow)
    assert [era["words"] for era in listed["eras"]] == ["Modern era"]
    items = listed["eras"][0]["items"]
    assert [i["id"] for i in items] == [e["id"] for e in pagetext.timeline_events(layers)
                                        if pagetext.in_timeline(e["start"], e["end"], narrow)]
    first = items[0]
    assert (first["written"], first["lang"], first["cite"]) == (
        "4/9/1945", "vi", "quan-he-lao-viet-nam.vi.txt:11")
    assert first["quote"].startswith("Ngày 4/9/1945, Chủ tịch Hồ Chí Minh")
    assert first["language"] == text_language_name("vi", "vi")
    assert listed["eras"][0]["count"] == tn("timeline.era.count", len(items), "vi").format(
        n=len(items))
    assert listed["open"] == t("timeline.open", "vi")
    assert pagetext.timeline_list(layers, "en", pagetext.years_timeline(1300, 1350))["eras"] == []


def test_the_scale_over_the_slider_is_escaped_and_counts_each_era(tmp_path: Path) -> None:
    layers = _real()
    stops = pagetext.timeline_stops(layers)
    html = pagetext.timeline_scale_html(layers, stops, "en")
    assert '<span lang="en">Modern era</span> · ' + tn("timeline.era.count", 46, "en").format(
        n=46) in html
    assert html.count('class="laovn-scale-bar"') == len(
        {e["start"][:4] for e in pagetext.timeline_events(layers)})
    geo = copy_fixture(tmp_path / "geo")
    rewrite_manifest(geo, lambda m: m["figures"].__setitem__("eras", [{
        "id": "x-001", "language": "en", "words": "<img src=x onerror=alert(1)>",
        "start": "1900-01-01", "end": "2012-12-31", "source_file": "seeds/x.en.txt",
        "source_line": 1, "source_quote": "==<img>=="}]))
    hostile = load_layers(geo)
    drawn = pagetext.timeline_scale_html(hostile, pagetext.timeline_stops(hostile), "en")
    assert "<img" not in drawn and "&lt;img src=x onerror=alert(1)&gt;" in drawn
