"""The Vietnamese page in headless Chromium: everything it shows is Vietnamese (issue 10,
points 5 and 6).

The test reads what a reader sees, not the map script's internals: the text of the page and of
the map's frame, the tooltip of every shape and marker (a mouse-over on each Leaflet shape), the
popups of a sample of them (a click), the layer control, the legend, the names on the map, the
"selected" panel and the cells of every table in the opened sections. Text marked as English
(`lang="en"`: the English text and its quotes, an English name labelled as such) is the
source's own words and is left out; so is the language switch, which names each language in
itself so that a reader of any finds it. The reading is tests/browser/reading.py's, shared with
the Lao page's test.

Run: `.venv/bin/pytest -m browser tests/browser/test_vietnamese.py` (the built layers only:
the hand-made fixture holds English test strings on purpose).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from laovn_map.geo.reader import load_layers
from laovn_map.i18n import t
from laovn_map.page import pagetext

from ..conftest import REAL
from ..untranslated import english_in
from . import reading

pytestmark = pytest.mark.browser

@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
def test_the_vietnamese_page_says_everything_in_vietnamese(
        new_page: Callable[..., Any], server: Any) -> None:
    layers = load_layers(server.geo_dir)
    missions = [f["properties"] for f in layers.features("missions")]
    # an event the other text states too: its popup gives that statement's date and words
    event = next(f["properties"] for f in layers.features("events")
                 if f["properties"]["link_quote"])
    page = new_page()
    page.goto(f"{server.url}?lang=vi")
    frame = reading.map_frame(page)
    page.wait_for_function("(title) => document.title === title",
                           arg=pagetext.page_title("vi"), timeout=30_000)

    # the map: names, layer control, legend, credits, then every tooltip and a sample of popups
    map_text = reading.visible_text(frame, "vi")
    tooltips = reading.tooltips(page)
    assert len(tooltips) >= len(missions) + 20, "a tooltip for every province and mission"
    by_text = {text: i for i, text in tooltips.items()}
    wanted = [next(i for text, i in by_text.items() if key in text) for key in (
        *(m["city_vi"] or m["city"] for m in missions),   # every embassy and consulate
        "Phỏng-sả-lỳ", "Hủa-phăn", "Điện Biên",           # provinces of both sides
        "Đoạn biên giới",                                  # a border segment
        "Mặt nước nội địa",                                # inland water
        pagetext.period_label(event["start"], event["end"], event["precision"], "vi"),
    )]
    popups = reading.popups(page, list(dict.fromkeys(wanted)), "vi")
    assert popups, "no popup opened"

    # the page around the map, the selection panel included, then every section opened
    page_text = reading.visible_text(page, "vi")
    reading.open_every_section(page)
    page_text += reading.visible_text(page, "vi")
    cells = reading.table_cells(page, t("prop.name_en", "vi"))

    switch = set(reading.language_switch(page))
    english_quotes = {line.strip() for m in missions for key in ("source_quote", "infobox_quote")
                      for line in str(m.get(key) or "").splitlines() if line.strip()}
    # the English text's sentences, which the events table gives beside their Vietnamese
    # statement ("Same event in the other text"): the source's own words too
    english_quotes |= {str(e["source_quote"]) for e in layers.figures["events"]
                       if e.get("language") == "en" and e.get("source_quote")}
    # the figures the English text states, as it writes them (the figures table's "As
    # written", where a disagreement puts both texts' words in one cell)
    english_quotes |= {str(f["text"]) for f in layers.figures["figures_from_texts"]
                       if f.get("language") == "en" and f.get("text")}
    # a table cell that is a piece of the English text (an event's sentence or its date as
    # written) is the source's own words
    english_text = "\n".join(text.text for text in layers.texts.values()
                             if text.file.endswith(".en.txt"))
    found: dict[str, list[str]] = {}
    for where, texts in (("map", map_text), ("tooltip", list(tooltips.values())),
                         ("popup", popups), ("page", page_text), ("table", cells)):
        for text in texts:
            if text in switch or (where == "table" and text in english_text):
                continue
            # the panel under the map repeats the popup's text, the English quotes with it
            for quote in english_quotes:
                text = text.replace(quote, " ")
            if words := english_in(text):
                found.setdefault(where, []).append(f"{words} in {text[:120]!r}")
    assert not found, found

    everything = "\n".join([*map_text, *tooltips.values(), *popups, *page_text, *cells])
    # the cities' Vietnamese names (GeoNames or the Vietnamese text), and no English form
    for name in ("Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Viêng Chăn"):
        assert name in everything, name
    for m in missions:
        if m["city_vi"]:
            assert m["city_vi"] in everything, m["id"]
    # one name per place: a city named as its province is called as the text writes both
    assert "Sa-vắn-nạ-khệt" in everything and "Savannakhet" not in everything
    # the event's popup: its dataset in Vietnamese, the other text's statement, days in words
    # (the other text's sentence is English, marked so, and left out of `popups`)
    event_popup = next(p for p in popups if p.startswith(
        pagetext.period_label(event["start"], event["end"], event["precision"], "vi")))
    assert t("ev.linked", "vi") in event_popup
    assert pagetext.period_label(event["link_start"], event["link_end"],
                                 event["link_precision"], "vi") in event_popup
    assert re.search(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}", everything), "a day in words"
    # tables a person reads: no statement's id, no wiki markup (the grid's "None" is drawn on
    # its canvas only: tests/test_app.py holds the tables to an empty placeholder)
    assert not [c for c in cells if re.fullmatch(r"(?:en|vi)-\d{3}-\d(?:; .*)?", c)]
    assert not [c for c in cells if re.match(r"[;*#]|- ", c)]
    # the Lao provinces' Lao-script names beside their names, in the tooltips
    for f in layers.features("provinces_la"):
        p = f["properties"]
        assert any(p["name_seed"] in t and p["name_lo"] in t for t in tooltips.values()), p["id"]
    # the numbers of the tables in Vietnamese form where the page writes them (the grid's
    # canvas; its accessible copy keeps the raw value), and in the figures table
    assert re.search(r"\d\.\d{3} km", everything), "a length over 1,000 km written as 2.199 km"


@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
def test_the_map_controls_are_vietnamese_and_metric(new_page: Callable[..., Any],
                                                    server: Any) -> None:
    """The scale bar and the map's own controls (their titles are what a mouse or a screen
    reader gets): metric only, and no English."""
    page = new_page()
    page.goto(f"{server.url}?lang=vi")
    frame = reading.map_frame(page)
    scale = " ".join(frame.locator(".leaflet-control-scale").all_inner_texts())
    assert "km" in scale or re.search(r"\d+ m\b", scale), scale
    assert not re.search(r"\b(mi|ft)\b", scale), f"an imperial scale: {scale!r}"
    titles: list[str] = frame.evaluate("""() => [...document.querySelectorAll(
        '.leaflet-control [title], .leaflet-control [aria-label]')]
        .map((el) => el.getAttribute('title') || el.getAttribute('aria-label'))""")
    assert english_in(" ".join(titles)) == [] and not {"Zoom in", "Zoom out"} & set(titles), titles
    # Leaflet's own link in the credits, its title included
    leaflet = frame.locator('.leaflet-control-attribution a[href="https://leafletjs.com"]')
    assert leaflet.get_attribute("title") == t("leaflet.title", "vi")
    # the search's example names are names the Vietnamese page gives (its labels, popups)
    example = frame.locator(".laovn-search input").get_attribute("placeholder") or ""
    assert example == t("search.placeholder", "vi")
    names = example.split(":", 1)[1].strip(" …").split(", ")
    shown = " ".join(frame.locator(".laovn-label, .leaflet-interactive").evaluate_all(
        "(els) => els.map((el) => el.textContent + ' ' + (el.getAttribute('aria-label') || ''))"))
    assert all(name in shown for name in names[:2]), (names, shown[:300])
