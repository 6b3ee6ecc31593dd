"""The offline HTML export in headless Chromium, opened from disk with every other request
refused: the whole map draws, with its popups, layer control, legend, labels and credits.

The page's own download buttons are not wired yet (the exports are offered by app.py later);
this drives the file the export makes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from laovn_map import exports, harness
from laovn_map.catalog import MAP_LAYERS, OSM_LAND
from laovn_map.i18n import t
from laovn_map.layers_io import load_layers

from ..conftest import REAL
from .test_page import _expect

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_page(browser: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A fresh page offline, every request but for files and in-memory URLs (data:, blob:)
    refused and recorded, and the page's script errors."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(**harness.context_options())
    blocked: list[str] = []
    errors: list[str] = []
    context.route(harness.EVERY_URL, harness.LocalOnly(blocked, files=True))
    context.set_offline(True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page, blocked, errors
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_offline_map_opens_from_disk_with_the_20_provinces_and_7_missions(
        offline_page: tuple[Any, list[str], list[str]], tmp_path: Path, lang: str) -> None:
    if not (REAL / "manifest.json").exists():
        pytest.skip("no committed build in geo/")
    page, blocked, errors = offline_page
    layers = load_layers(REAL)
    state = exports.ExportState(lang=lang)
    path = tmp_path / exports.file_name("html", state)
    path.write_bytes(exports.to_html(layers, state))
    page.goto(path.as_uri())
    expect = _expect()
    expect(page.locator("path.laovn-province")).to_have_count(20)
    expect(page.locator("path.laovn-missions")).to_have_count(7)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.title() == t("title", lang)
    # the layer control lists every layer, the legend and the names are there
    expect(page.locator(".leaflet-control-layers-overlays label")).to_have_count(len(MAP_LAYERS))
    expect(page.locator(".laovn-legend")).to_be_visible()
    assert page.locator(".laovn-label:not(.laovn-label-hidden)").count() > 10
    # the credits, OpenStreetMap's included, and the build
    credits = page.locator(".leaflet-control-attribution")
    expect(credits).to_contain_text(OSM_LAND.credit(lang))
    expect(credits).to_contain_text(exports.provenance(layers).manifest_sha256[:12])
    # a marker's popup quotes its sentence, with its file and line
    page.locator("path.laovn-missions").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    expect(popup.locator(".laovn-quote").first).to_be_visible()
    expect(popup.locator(".laovn-cite").first).to_contain_text("seeds/")
    # toggling a layer in the control hides it, with no server to ask
    page.locator(".leaflet-control-layers-overlays label",
                 has_text=t("layer.consulates", lang)).locator("input").click()
    expect(page.locator("path.laovn-missions")).to_have_count(2)
    assert blocked == [] and errors == []
