"""The Vietnamese page in headless Chromium: everything it shows is Vietnamese (issue 10,
points 5 and 6).

The test reads what a reader sees, not the map script's internals: the text of the page and of
the map's frame, the tooltip of every shape and marker (a mouse-over on each Leaflet shape), the
popups of a sample of them (a click), the layer control, the legend, the names on the map, the
"selected" panel and the cells of every table in the opened sections. Text marked as English
(`lang="en"`: the English text and its quotes, an English name labelled as such) is the
source's own words and is left out; so is the language switch, which names the language in
both so that a reader of either finds it.

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
from ..vietnamese import english_in

pytestmark = pytest.mark.browser

#: The visible text nodes of a document, leaving out what is marked as English inside the page
#: (the document's own `<html lang>` says what the page claims to be, not what a part is).
VISIBLE_TEXT_JS = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        // an icon is drawn from its name's ligature in an icon font: a picture, not a word;
        // a code block is the citation's forms, each naming the articles by their titles as
        // written (tests/test_cite.py holds the sentence's own words to the language)
        if (!el || !node.textContent.trim()
            || el.closest('script, style, [data-testid="stIconMaterial"], [data-testid="stCode"]'))
            continue;
        const part = el.closest("body [lang]");
        if (part && part.getAttribute("lang") === "en") continue;
        if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        out.push(node.textContent.trim());
    }
    return out;
}"""
#: The language a piece of a table's cell is marked as being in, after it: " (Tiếng Anh)".
_LANGUAGE_MARK = re.compile(r"\s*\([^()]*\)$")
#: The cells of the tables in the opened sections (Streamlit's grid draws on a canvas and
#: keeps its cells' text in an accessible table beside it), less the column of English names
#: (labelled as such: the table's counterpart of a `lang="en"` mark).
TABLE_CELLS_JS = """(englishColumn) => [...document.querySelectorAll(
    '[data-testid="stDataFrame"] [role="grid"]')].flatMap((grid) => {
    const skip = [...grid.querySelectorAll('[role="columnheader"]')]
        .filter((th) => th.textContent.trim() === englishColumn)
        .map((th) => th.getAttribute("aria-colindex"));
    return [...grid.querySelectorAll('[role="columnheader"], [role="gridcell"]')]
        .filter((cell) => !skip.includes(cell.getAttribute("aria-colindex"))
                          || cell.getAttribute("role") === "columnheader")
        .map((cell) => cell.textContent.trim()).filter(Boolean);
})"""
#: Every popup the map shows, kept the moment it opens (a rerun may redraw the map and close it).
WATCH_POPUPS_JS = """() => {
    window.viPopups = [];
    const keep = () => document.querySelectorAll(".leaflet-popup-content").forEach((el) => {
        const clone = el.cloneNode(true);
        clone.querySelectorAll('[lang="en"]').forEach((en) => en.remove());
        window.viPopups.push(clone.innerText);
    });
    new MutationObserver(keep).observe(document.body, {childList: true, subtree: true});
}"""


def _map_frame(page: Any) -> Any:
    """The frame that holds the Leaflet map, once its shapes are drawn."""
    for _ in range(300):
        for frame in page.frames:
            try:
                if frame.locator(".leaflet-interactive").count() > 20:
                    return frame
            except Exception:  # a frame detached while streamlit-folium swaps it
                continue
        page.wait_for_timeout(100)
    raise AssertionError("no map frame with its shapes")


def _language_switch(page: Any) -> list[str]:
    """The language choice's own labels (each language in its own name, on purpose)."""
    labels: list[str] = page.locator('.st-key-laovn-lang [data-testid="stRadio"]'
                                     ).first.all_inner_texts()
    return [line.strip() for text in labels for line in text.splitlines() if line.strip()]


#: A mouse-over on every shape and marker in turn, and the tooltip it opens (Leaflet opens a
#: tooltip on "mouseover" and closes it on "mouseout").
TOOLTIPS_JS = """() => [...document.querySelectorAll(".leaflet-interactive")].map((el) => {
    el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
    const tips = document.querySelectorAll(".leaflet-tooltip");
    const text = tips.length ? tips[tips.length - 1].innerText.trim() : "";
    el.dispatchEvent(new MouseEvent("mouseout", {bubbles: true}));
    return text;
})"""


def _tooltips(page: Any) -> dict[int, str]:
    """The tooltip of every shape and marker of the map, by its index among the shapes."""
    texts: list[str] = _map_frame(page).evaluate(TOOLTIPS_JS)
    return {i: text for i, text in enumerate(texts) if text}


def _popups(page: Any, indexes: list[int]) -> list[str]:
    """The popups of the shapes at `indexes`, each opened by a click as a reader would."""
    shown: list[str] = []
    for i in indexes:
        frame = _map_frame(page)
        frame.evaluate(WATCH_POPUPS_JS)
        for attempt in range(3):  # a click during a redraw is lost: click again, as a person would
            _map_frame(page).locator(".leaflet-interactive").nth(i).dispatch_event("click")
            try:
                frame.wait_for_function("() => window.viPopups.length > 0", timeout=5_000)
                break
            except Exception:  # playwright's TimeoutError, or the frame was swapped
                frame = _map_frame(page)
                frame.evaluate(WATCH_POPUPS_JS)
                if attempt == 2:
                    raise
        shown += frame.evaluate("() => window.viPopups")
    return shown


def _open_every_section(page: Any) -> None:
    summaries = page.locator('[data-testid="stExpander"] summary')
    for i in range(summaries.count()):
        summaries.nth(i).click()
        page.wait_for_timeout(300)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 3",
        timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"] [role=\"gridcell\"]')"
        ".length > 0", timeout=30_000)


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
    frame = _map_frame(page)
    page.wait_for_function("(title) => document.title === title",
                           arg=pagetext.page_title("vi"), timeout=30_000)

    # the map: names, layer control, legend, credits, then every tooltip and a sample of popups
    map_text: list[str] = frame.evaluate(VISIBLE_TEXT_JS)
    tooltips = _tooltips(page)
    assert len(tooltips) >= len(missions) + 20, "a tooltip for every province and mission"
    by_text = {text: i for i, text in tooltips.items()}
    wanted = [next(i for text, i in by_text.items() if key in text) for key in (
        *(m["city_vi"] or m["city"] for m in missions),   # every embassy and consulate
        "Phỏng-sả-lỳ", "Hủa-phăn", "Điện Biên",           # provinces of both sides
        "Đoạn biên giới",                                  # a border segment
        "Mặt nước nội địa",                                # inland water
        pagetext.period_label(event["start"], event["end"], event["precision"], "vi"),
    )]
    popups = _popups(page, list(dict.fromkeys(wanted)))
    assert popups, "no popup opened"

    # the page around the map, the selection panel included, then every section opened
    page_text: list[str] = page.evaluate(VISIBLE_TEXT_JS)
    _open_every_section(page)
    page_text += page.evaluate(VISIBLE_TEXT_JS)
    cells: list[str] = page.evaluate(TABLE_CELLS_JS, t("prop.name_en", "vi"))

    switch = set(_language_switch(page))
    english_quotes = {line.strip() for m in missions for key in ("source_quote", "infobox_quote")
                      for line in str(m.get(key) or "").splitlines() if line.strip()}
    # the English text's sentences, which the events table gives beside their Vietnamese
    # statement ("Same event in the other text"): the source's own words too
    english_quotes |= {str(e["source_quote"]) for e in layers.figures["events"]
                       if e.get("language") == "en" and e.get("source_quote")}
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
            if where == "table":
                # a cell that puts the two texts side by side ("… (Tiếng Anh) · … (Tiếng
                # Việt)", where they disagree): each piece of the English text is its words
                text = " · ".join(piece for piece in text.split(" · ")
                                  if _LANGUAGE_MARK.sub("", piece) not in english_text)
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
    frame = _map_frame(page)
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
