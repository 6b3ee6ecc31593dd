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
    assert [thumbs.nth(i).input_value() for i in (0, 1)] == [str(low), str(high)]
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
    _expect()(page).to_have_url(re.compile(rf"years={low + 1}-{high}"))
    narrower = sorted(e["id"] for e in events if _meets(e, low + 1, high))
    page.wait_for_function(
        "([sel, n]) => document.querySelector(sel).contentWindow.laovn.shownEvents().length === n",
        arg=[IFRAME, len(narrower)], polling=100, timeout=30_000)
    frame = _frame(page)
    assert frame.evaluate("() => window.laovnMark") == 1
    after = _state(frame)
    assert (after["lat"], after["lon"], after["zoom"]) == (before["lat"], before["lon"],
                                                           before["zoom"])
    assert _params(page)["years"] == f"{low + 1}-{high}"


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
