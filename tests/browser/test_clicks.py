"""What is drawn can be clicked, and what a link names is restored, in headless Chromium: the
border line stays over its segments, and a link's `sel` of every layer of the 2025 period.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from shapely.geometry import shape

from laovn_map.catalog import PERIOD_2025
from laovn_map.geo.reader import load_layers
from laovn_map.page.browserdata import _feature_id, _groups, prepare_texts
from laovn_map.page.labels import layer_label

from .test_map import DESKTOP, _overlay
from .test_page import _expect
from .test_state import _frame, _ready

pytestmark = pytest.mark.browser

_TITLE = re.compile(r'class="laovn-title">(.*?)</div>', re.S)


def _texts(server: Any, period: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The features of each map layer in `period`, and their English texts."""
    layers = load_layers(server.geo_dir).collections
    return _groups(layers, period), prepare_texts(layers, "en", period=period)["layers"]


def _title(texts: dict[str, Any], layer: str, fid: str) -> str:
    """A feature's popup title as the page shows it (its text, unescaped by the browser)."""
    match = _TITLE.search(texts[layer]["features"][fid][1])
    assert match, (layer, fid)
    return html.unescape(match.group(1))


def _sel(page: Any) -> str | None:
    values = parse_qs(urlsplit(page.url).query).get("sel")
    return values[0] if values else None


def _centre_on(frame: Any, lat: float, lon: float, zoom: float | None = None) -> None:
    """Pan (and zoom) the map so that the point is in the middle, as a reader drags it there,
    with no popup open."""
    frame.evaluate("""([lat, lon, zoom]) => new Promise((done) => {
        const m = window.laovn.map;
        const go = () => {
            if (m._animatingZoom) { setTimeout(go, 20); return; }
            m.closePopup();
            m.setView([lat, lon], zoom === null ? m.getZoom() : zoom, {animate: false});
            // a closed popup fades out before it leaves the page
            const gone = () => document.querySelector(".leaflet-popup") ? setTimeout(gone, 20)
                : setTimeout(done, 80);
            gone();
        };
        go();
    })""", [lat, lon, zoom])


def _pixel_of(page: Any, lat: float, lon: float) -> tuple[float, float]:
    """The map's pixel (from its top left corner) where a position is drawn now: the map may
    not centre a position near the edge of its panning limit."""
    at = _frame(page).evaluate(
        "([lat, lon]) => window.laovn.map.latLngToContainerPoint([lat, lon])", [lat, lon])
    return float(at["x"]), float(at["y"])


def _border_spots(server: Any, period: str) -> list[tuple[float, float, str]]:
    """Vertices of the border line spread along it, each where a segment lies too (lat, lon,
    the segment's id)."""
    groups, _ = _texts(server, period)
    line = shape(groups["border"][0]["geometry"])
    segments = [(f["properties"]["id"], shape(f["geometry"])) for f in groups["segments"]]
    vertices = shapely.get_coordinates(line)
    spots = []
    for share in (0.15, 0.4, 0.6, 0.85):
        lon, lat = vertices[int(share * (len(vertices) - 1))]
        point = shapely.Point(lon, lat)
        sid = next((s for s, g in segments if g.distance(point) < 1e-6), None)
        if sid:
            spots.append((float(lat), float(lon), sid))
    assert len(spots) >= 3, spots
    return spots


def test_a_link_restores_a_selection_of_each_layer_of_the_2025_period(
        new_page: Callable[..., Any], server: Any) -> None:
    groups, texts = _texts(server, PERIOD_2025)
    page = new_page(**DESKTOP)
    for layer in ("provinces_vn", "segments", "provinces_la", "border", "embassies",
                  "consulates", "events", "water"):
        index = len(groups[layer]) // 2
        fid = _feature_id(groups[layer][index], index)
        frame = _ready(page, f"{server.url}?since2025=true&sel={fid}")
        _expect()(frame.locator(".leaflet-popup-content")).to_be_visible()
        assert frame.evaluate("() => window.laovn.sel") == fid, layer
        if texts[layer]["features"][fid][1]:
            title = _title(texts, layer, fid)
            _expect()(frame.locator(".leaflet-popup-content .laovn-title")).to_have_text(title)
        page.wait_for_timeout(700)  # the map writes the address again after its state
        assert _sel(page) == fid, (layer, page.url)


def _on_top(page: Any, at: tuple[float, float]) -> str:
    """The classes of what the map shows on top at its pixel `at` (what a click there meets)."""
    classes: str = _frame(page).evaluate("""([x, y]) => {
        const r = document.querySelector(".leaflet-container").getBoundingClientRect();
        const e = document.elementFromPoint(r.left + x, r.top + y);
        return e ? String(e.getAttribute("class")) : "";
    }""", list(at))
    return classes


def test_the_border_line_stays_over_its_segments(new_page: Callable[..., Any],
                                                 server: Any) -> None:
    """Drawn again (the 2025 period) or switched off and on, the segments stay under the border
    line: a click on the line meets the line."""
    page = new_page(**DESKTOP)
    frame = _ready(page, server.url + "?since2025=true")
    lat, lon, _sid = _border_spots(server, PERIOD_2025)[1]
    _centre_on(frame, lat, lon, 9)
    assert "laovn-border" in _on_top(page, _pixel_of(page, lat, lon)).split()
    for check in (False, True):
        _overlay(frame, layer_label("segments", "en", PERIOD_2025)).set_checked(check)
    _centre_on(frame, lat, lon, 9)
    assert "laovn-border" in _on_top(page, _pixel_of(page, lat, lon)).split()
