"""What is drawn can be clicked, and what a link names is restored, in headless Chromium: a
link's `sel` of every layer of the 2025 period.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from laovn_map.catalog import PERIOD_2025
from laovn_map.geo.reader import load_layers
from laovn_map.page.browserdata import _feature_id, _groups, prepare_texts

from .test_map import DESKTOP
from .test_page import _expect
from .test_state import _ready

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
