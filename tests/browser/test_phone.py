"""The page on a 390×844 touch phone (and the credits on a desktop): how much of the map its
controls cover, a tapped province's popup clear of every control, the language choice and a
compact title in the first screen, and the map's place shown while it loads."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from laovn_map.geo.reader import load_layers
from laovn_map.i18n import DEFAULT_LANG, LANGS, t
from laovn_map.page import labels
from laovn_map.page.browserdata import label_anchors
from tests.harness import MAP_IFRAME as IFRAME

from ..conftest import REAL
from .test_map import DESKTOP, PHONE, _map_frame
from .test_page import _expect, _open, _wait_until_still

pytestmark = pytest.mark.browser

#: The share of a phone's map its controls and credits may cover together (issue #22).
MAX_COVERED = 0.12
#: The share of a phone's first screen the title and subtitle may take.
MAX_HEADING = 0.15

#: Every control drawn on the map now, and the map's own box, in the frame's pixels.
BOXES_JS = """() => {
    const box = (e) => { const r = e.getBoundingClientRect();
                         return [r.left, r.top, r.right, r.bottom]; };
    return {map: box(document.querySelector(".leaflet-container")),
            controls: [...document.querySelectorAll(".leaflet-control")]
                .filter((e) => e.getClientRects().length).map(box)};
}"""


def _covered(boxes: dict[str, Any]) -> float:
    """The share of the map's box under the union of the controls' boxes (pixel by pixel)."""
    left, top, right, bottom = boxes["map"]
    mask = np.zeros((round(bottom - top), round(right - left)), dtype=bool)
    for x0, y0, x1, y1 in boxes["controls"]:
        mask[max(0, round(y0 - top)):max(0, round(y1 - top)),
             max(0, round(x0 - left)):max(0, round(x1 - left))] = True
    return float(mask.mean())


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _settled(page: Any) -> None:
    """Wait until the map's popup keeps its box for two frames (a pan has ended)."""
    _map_frame(page).wait_for_function("""() => new Promise((done) => {
        const box = () => JSON.stringify(document.querySelector(".leaflet-popup")
                                          ?.getBoundingClientRect());
        const first = box();
        requestAnimationFrame(() => requestAnimationFrame(() => done(first === box())));
    })""", polling=100)


@pytest.mark.parametrize("query", ["", "?lang=vi"], ids=["en", "vi"])
def test_a_phones_controls_and_credits_cover_little_of_the_map(
        new_page: Callable[..., Any], server: Any, query: str) -> None:
    page = new_page(**PHONE)
    frame = _open(page, server.url + query)
    _expect()(page.locator("[data-testid='stExpander']").first).to_be_visible()
    _wait_until_still(page, IFRAME)
    lang = "vi" if query else "en"
    button = frame.get_by_role("button", name=t("credits", lang))
    _expect()(button).to_have_attribute("aria-expanded", "false")
    covered = _covered(_map_frame(page).evaluate(BOXES_JS))
    assert covered <= MAX_COVERED, f"{covered:.1%} of the map is under its controls"
    # the credits, folded, are one tap away, whole, with the licences' names
    line = frame.locator(".leaflet-control-attribution")
    _expect()(line).to_be_hidden()
    button.tap()
    _expect()(button).to_have_attribute("aria-expanded", "true")
    _expect()(line).to_be_visible()
    _expect()(line).to_contain_text("ODbL")
    _expect()(line).to_contain_text("CC BY-SA")
    button.tap()
    _expect()(line).to_be_hidden()


def test_a_tapped_provinces_popup_lies_clear_of_every_control(
        new_page: Callable[..., Any], server: Any) -> None:
    """Savannakhet tapped where it is drawn at the first view: its popup, once the map has
    panned, meets no control (it lay under the search, the zoom buttons, the tools and the
    layer control). The real layers only: the fixture's provinces lie at the map's panning
    limit, which no pan may cross (a popup there can still meet a control: docs/page.md)."""
    if server.geo_dir != REAL:
        pytest.skip("Savannakhet is in the real layers only")
    page = new_page(**PHONE)
    frame = _open(page, server.url)
    _expect()(page.locator("[data-testid='stExpander']").first).to_be_visible()
    _wait_until_still(page, IFRAME)
    layers = load_layers(server.geo_dir)
    provinces = layers.features("provinces_la")
    province = next(f for f in provinces if f["properties"]["id"] == "LA-SV")
    anchor = label_anchors(layers.collections)["provinces_la"][str(province["properties"]["id"])]
    # where the province is drawn: its label's place on screen
    x, y = _map_frame(page).evaluate(
        "([lat, lon]) => { const p = window.laovn.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }", [anchor.lat, anchor.lon])
    container = frame.locator(".leaflet-container")
    for _attempt in range(3):  # a fresh page's first touch can be lost (test_map)
        container.tap(position={"x": x, "y": y})
        try:
            _map_frame(page).wait_for_function(
                "() => document.querySelector('.leaflet-popup')", timeout=3_000)
            break
        except Exception:  # playwright's TimeoutError; the count below reports it
            continue
    _expect()(frame.locator(".leaflet-popup")).to_have_count(1)
    page.wait_for_timeout(100)
    _settled(page)
    boxes = _map_frame(page).evaluate(BOXES_JS)
    popup = _map_frame(page).evaluate("""() => { const e = document.querySelector(
        ".leaflet-popup"), r = e.getBoundingClientRect(),
        tip = parseFloat(getComputedStyle(e).marginBottom) || 0;
        return [r.left, r.top, r.right, r.bottom + tip]; }""")
    under = [c for c in boxes["controls"] if _overlaps(popup, c)]
    assert not under, (popup, under)
    left, top, right, _bottom = boxes["map"]
    assert left <= popup[0] and popup[2] <= right and top <= popup[1], (popup, boxes["map"])


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_the_language_choice_and_a_compact_title_are_in_a_phones_first_screen(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    page = new_page(**PHONE)
    query = "" if lang == DEFAULT_LANG else f"?lang={lang}"
    _open(page, server.url + query)
    height = PHONE["viewport"]["height"]
    choice = page.get_by_role("radiogroup")
    _expect()(choice).to_be_visible()
    box = choice.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, box
    # every language in its own name, on one row inside the screen's width
    options = [choice.get_by_text(own, exact=True) for own in LANGS.values()]
    boxes = [o.bounding_box() for o in options]
    assert all(b and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["viewport"]["width"]
               for b in boxes), boxes
    assert max(b["y"] for b in boxes if b) - min(b["y"] for b in boxes if b) < 4, boxes
    heading = page.evaluate("""() => { const boxes = [...document.querySelectorAll(
        ".laovn-title, .laovn-subtitle")].map((e) => e.getBoundingClientRect());
        return [Math.min(...boxes.map((b) => b.top)), Math.max(...boxes.map((b) => b.bottom))];
    }""")
    assert heading[1] - heading[0] <= MAX_HEADING * height, heading
    # each language by its own name; a tap changes the page's language and the URL
    codes = list(LANGS)
    other = codes[(codes.index(lang) + 1) % len(codes)]
    page.locator(".st-key-laovn-lang").get_by_text(LANGS[other], exact=True).tap()
    _expect()(page.locator(".laovn-title")).to_have_text(t("title", other))
    if other == DEFAULT_LANG:
        _expect()(page).not_to_have_url(re.compile(r"[?&]lang="))
    else:
        _expect()(page).to_have_url(re.compile(rf"[?&]lang={other}"))


def test_on_a_desktop_the_credits_are_read_on_the_map_and_fold(
        new_page: Callable[..., Any], server: Any) -> None:
    page = new_page(**DESKTOP)
    frame = _open(page, server.url)
    line = frame.locator(".leaflet-control-attribution")
    _expect()(line).to_be_visible()
    _expect()(line).to_contain_text("ODbL")
    button = frame.get_by_role("button", name=t("credits", "en"))
    _expect()(button).to_have_attribute("aria-expanded", "true")
    button.click()
    _expect()(line).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")  # and by the keyboard: one key away
    _expect()(line).to_be_visible()
    _expect()(line).to_contain_text("ODbL")


def test_the_maps_place_says_it_is_loading_until_the_map_is_drawn(
        new_page: Callable[..., Any], server: Any) -> None:
    """While the map's frame is held back, its place shows a line saying it loads, as tall
    as the map; once the map is drawn the line is gone and the map is where it was."""
    page = new_page(**DESKTOP)
    held: list[Any] = []

    def hold(route: Any) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/component/streamlit_folium\.st_folium/"), hold)
    page.goto(server.url)
    loading = page.locator(".laovn-loading")
    _expect()(loading).to_be_visible()
    _expect()(loading).to_have_text(t("map.loading", "en"))
    for _wait in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the map's frame was never asked for"
    place = loading.bounding_box()
    assert place and place["height"] >= 600, place
    held[0].continue_()
    page.wait_for_selector(IFRAME)
    frame = page.frame_locator(IFRAME)
    _expect()(frame.locator("path.laovn-missions").first).to_be_attached()
    _expect()(loading).to_have_count(0)
    _wait_until_still(page, IFRAME)
    drawn = page.locator(IFRAME).bounding_box()
    assert drawn and abs(drawn["y"] - place["y"]) <= 2 and abs(
        drawn["height"] - place["height"]) <= 2, (place, drawn)


#: Each control drawn on the map (not one inside another: the credit line in its box), by
#: its classes, with its box.
TOP_CONTROLS_JS = """() => [...document.querySelectorAll(".leaflet-control")]
    .filter((e) => e.getClientRects().length && !e.parentElement.closest(".leaflet-control"))
    .map((e) => { const r = e.getBoundingClientRect();
                  return {name: e.className, box: [r.left, r.top, r.right, r.bottom]}; })"""


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_no_control_lies_over_another(new_page: Callable[..., Any], server: Any, lang: str,
                                      screen: str) -> None:
    """With the credit line open (a desktop's start; a phone's after a tap), the scale, the
    legend, the layer control and the credits each stay clear of the others: the long credit
    line once covered the scale."""
    page = new_page(**(DESKTOP if screen == "desktop" else PHONE))
    frame = _open(page, server.url + ("" if lang == "en" else f"?lang={lang}"))
    button = frame.get_by_role("button", name=t("credits", lang))
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    _expect()(frame.locator(".leaflet-control-attribution")).to_be_visible()
    controls = _map_frame(page).evaluate(TOP_CONTROLS_JS)
    assert any("leaflet-control-scale" in c["name"] for c in controls)
    clashes = [(a["name"], b["name"]) for i, a in enumerate(controls) for b in controls[i + 1:]
               if _overlaps(a["box"], b["box"])]
    assert not clashes


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_on_a_phone_the_selection_panel_stays_clear_of_the_other_controls(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    """A feature selected, its name in the panel at the bottom left: the legend's button at the
    bottom right, as wide as its word, once covered the panel's clear button in Lao."""
    page = new_page(**PHONE)
    query = "?sel=vn-consulate-pakse" + ("" if lang == DEFAULT_LANG else f"&lang={lang}")
    frame = _open(page, server.url + query)
    _expect()(frame.locator(".laovn-selection")).to_be_visible()
    _expect()(frame.locator(".laovn-selection-clear")).to_be_visible()
    controls = _map_frame(page).evaluate(TOP_CONTROLS_JS)
    (panel,) = [c for c in controls if "laovn-selection" in c["name"]]
    clashes = [c["name"] for c in controls if c is not panel and _overlaps(panel["box"], c["box"])]
    assert not clashes, (panel, controls)


def _scale_number(text: str, pattern: str) -> int | None:
    """The number of a scale bar's *text* written in *pattern* ("{0} ກມ"), else None."""
    found = re.fullmatch(re.escape(pattern).replace(re.escape("{0}"), r"([\d.,\s]+)"), text)
    return int(re.sub(r"\D", "", found[1])) if found else None


@pytest.mark.parametrize(("lang", "screen"), [("lo", "desktop"), ("lo", "phone"),
                                              ("en", "desktop"), ("vi", "phone")])
def test_the_scale_bar_says_its_length_in_the_pages_language(
        new_page: Callable[..., Any], server: Any, lang: str, screen: str) -> None:
    """The scale bar reads as the page writes a length ("200 ກມ", as `labels.km` and the print
    do; Leaflet's own scale wrote English "km" on every page), and follows a zoom."""
    page = new_page(**(DESKTOP if screen == "desktop" else PHONE))
    frame = _open(page, server.url + ("" if lang == DEFAULT_LANG else f"?lang={lang}"))
    line = frame.locator(".leaflet-control-scale-line")
    _expect()(line).to_be_visible()
    _expect()(line).not_to_have_text("")
    units = labels.scale_units(lang)
    before = line.inner_text().strip()
    length = _scale_number(before, units["km"])
    assert length is not None, (before, units)
    assert before == labels.km(length, lang, 0)
    # a reader zooms in with the map's button: the bar says a shorter length, in the same words
    frame.get_by_role("button", name=t("zoom.in", lang)).click()
    _expect()(line).not_to_have_text(before)
    after = line.inner_text().strip()
    shorter = _scale_number(after, units["km"])
    assert shorter is not None and shorter < length, (before, after)
    assert after == labels.km(shorter, lang, 0)
