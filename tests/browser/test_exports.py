"""The exports in headless Chromium: the page's own buttons download every format of what the
map shows (read back with GDAL, Pillow, or opened offline), and the offline HTML map opened
from disk with every other request refused draws whole, with its popups, layer control,
legend, labels and credits.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from PIL import Image

from laovn_map.catalog import MAP_LAYERS, OSM_LAND
from laovn_map.export import dispatch, features, formats, html, provenance
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import t
from laovn_map.page import browserdata, mapview, pagetext, pressed
from laovn_map.page.labels import layer_label
from tests import harness

from ..conftest import REAL
from .test_page import _expect, _open
from .test_state import STILL_MAP, _wait_params

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
    state = formats.ExportState(lang=lang)
    path = tmp_path / formats.file_name("html", state)
    path.write_bytes(html.to_html(layers, state))
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
    expect(credits).to_contain_text(provenance.provenance(layers).manifest_sha256[:12])
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


#: What the page's map is set to before exporting: the base map and its water off, and the
#: timeline's inner years (so that the range leaves events out where there are any).
PAGE_OFF = ("countries", "water")


def _open_downloads(page: Any) -> Any:
    """Open the downloads section as a reader does; its group of the map as shown, once its
    buttons are drawn and the run that drew them has ended."""
    page.get_by_text(t("downloads", "en"), exact=True).click()
    shown = page.get_by_role("group", name=t("downloads.shown", "en"))
    _expect()(shown.get_by_role("button")).to_have_count(len(formats.FORMATS))
    _expect()(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
              ).to_be_attached()
    return shown


def _press(page: Any, button: Any, folder: Path) -> Path:
    """Press `button` (a click) and save the download it gives, under its own name."""
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_the_page_downloads_every_format_of_what_the_map_shows(
        guarded_page: Any, offline_page: tuple[Any, list[str], list[str]],
        tmp_path: Path) -> None:
    page, guard, server = guarded_page
    layers = load_layers(server.geo_dir)
    span = pagetext.timeline_range(layers)
    assert span
    first, last = int(span[0][:4]), int(span[1][:4])
    years = (first + 1, max(first + 1, last - 1))
    frame = _open(page, f"{server.url}?off={','.join(PAGE_OFF)}&years={years[0]}-{years[1]}")
    state = formats.ExportState(layers=tuple(n for n in MAP_LAYERS if n not in PAGE_OFF),
                                timeline=(f"{years[0]:04d}-01-01", f"{years[1]:04d}-12-31"))
    want = {name: len(features) for name, features in features.shown_layers(layers, state).items()}
    # what the map draws now, layer by layer, is what the exports hold
    _expect()(page.get_by_role("slider").first).to_be_visible()
    drawn = frame.locator(".leaflet-container").evaluate("""() => {
        const out = {};
        for (const [name, group] of Object.entries(window.laovn.groups)) {
            if (window.laovn.map.hasLayer(group)) {
                out[name] = Object.values(window.laovn.shapes[name] || {})
                    .filter((shape) => group.hasLayer(shape)).length;
            }
        }
        return out; }""")
    assert {k: v for k, v in drawn.items() if v} == want
    shown = _open_downloads(page)
    saved: dict[str, Path] = {}
    # the map's own state
    for fmt in formats.FORMATS:
        saved[fmt] = _press(page, shown.get_by_role(
            "button", name=formats.export_label(fmt, "en"), exact=True), tmp_path)
        assert saved[fmt].name == formats.file_name(fmt, state)
    tables = {formats.table_name(name, state.period): n for name, n in want.items()}
    assert {str(name): len(pyogrio.read_dataframe(saved["gpkg"], layer=str(name)))
            for name, _kind in pyogrio.list_layers(saved["gpkg"])} == tables
    assert {str(name): len(pyogrio.read_dataframe(saved["kml"], layer=str(name)))
            for name, _kind in pyogrio.list_layers(saved["kml"])} == {
        layer_label(name, "en"): n for name, n in want.items()}
    rows = pyogrio.read_dataframe(saved["csv"], GEOM_POSSIBLE_NAMES="wkt",
                                  KEEP_GEOM_COLUMNS="NO")
    assert Counter(rows["map_layer"]) == Counter(want)
    # every layer and event, among the data as built
    everything = formats.ExportState()
    built = page.get_by_test_id("stDownloadButton").filter(
        has_text=formats.export_label("csv", "en"))
    _expect()(built).to_have_count(1)
    path = _press(page, built, tmp_path)
    assert path.name == formats.file_name("csv", everything)
    rows = pyogrio.read_dataframe(path, GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
    assert Counter(rows["map_layer"]) == Counter(
        {name: len(f) for name, f in features.shown_layers(layers, everything).items()})
    with Image.open(saved["png"]) as image:
        assert image.size == state.page.pixels
    pdf = saved["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-") and re.search(rb"/MediaBox \[ ?0 0 841\.\d+ 595\.\d+ ?\]",
                                                    pdf)
    # the offline map opens from disk with the same features and nothing else
    offline, blocked, errors = offline_page
    offline.goto(saved["html"].as_uri())
    for cls, n in (("laovn-province", want.get("provinces_vn", 0) + want.get("provinces_la", 0)),
                   ("laovn-missions", want.get("embassies", 0) + want.get("consulates", 0)),
                   ("laovn-events", want.get("events", 0))):
        _expect()(offline.locator(f"path.{cls}")).to_have_count(n)
    assert offline.locator("path.laovn-country").count() == 0  # off, as on the page
    assert blocked == [] and errors == []
    assert not guard.page_errors, guard.page_errors


#: The layers a reader switches off once the downloads section is open.
READER_OFF = ("countries", "water", "segments", "consulates")


def _switch(frame: Any, name: str) -> None:
    """Tick or untick a layer in the map's layer control, as a reader clicks it."""
    frame.locator(".leaflet-control-layers-overlays label").filter(
        has_text=re.compile("^\\s*" + re.escape(layer_label(name, "en")) + "\\s*$")
    ).locator("input").click()


def _zoom(page: Any, frame: Any, button: str, times: int) -> None:
    """Click the map's zoom button (`in` or `out`) `times` times, each once the map is still."""
    for _ in range(times):
        frame.locator(f".leaflet-control-zoom-{button}").click()
        frame.locator(".leaflet-container").evaluate(STILL_MAP)


def _printed_pixels(path: Path) -> str:
    """The image's size and a digest of its pixels: a failure says so in a line, not in the
    30 MB of the pixels themselves."""
    with Image.open(path) as image:
        return f"{image.size} {hashlib.sha256(image.tobytes()).hexdigest()}"


def test_an_export_is_of_the_map_as_it_is_at_the_press(guarded_page: Any,
                                                        tmp_path: Path) -> None:
    """The section is opened first; then the layers and the view change on the map alone (the
    server is not told); each press exports what the map shows at that moment."""
    page, guard, server = guarded_page
    layers = load_layers(server.geo_dir)
    rule = mapview.view_rule(browserdata.prepare_layers(layers.collections))
    frame = _open(page, server.url)
    shown = _open_downloads(page)
    home = frame.locator(".leaflet-container").evaluate("() => window.laovn.map.getZoom()")

    def button(fmt: str) -> Any:
        return shown.get_by_role("button", name=formats.export_label(fmt, "en"), exact=True)

    def check(on: tuple[str, ...], zoom: float, folder: Path) -> None:
        """Press KML, PNG and PDF; each describes the map now: `on` and its view at `zoom`."""
        params = _wait_params(page, lambda p: _off(p) == set(MAP_LAYERS) - set(on)
                              and (p.get("view") or "").endswith(f",{zoom:g}"))
        view = rule.parse(params["view"])
        assert view is not None and view.zoom == zoom
        centre = frame.locator(".leaflet-container").evaluate(
            "() => { const c = window.laovn.map.getCenter(); return [c.lat, c.lng]; }")
        assert (view.lat, view.lon) == pytest.approx(tuple(centre), abs=1e-3)
        state = formats.ExportState(layers=on, view=pressed.view_box(view))
        folder.mkdir()
        kml = _press(page, button("kml"), folder)
        assert kml.name == formats.file_name("kml", state) and "-all" not in kml.name
        assert {str(name) for name, _kind in pyogrio.list_layers(kml)} == {
            layer_label(name, "en") for name in features.shown_layers(layers, state)}
        png = _press(page, button("png"), folder)
        assert png.name == formats.file_name("png", state) and png.name.endswith("-view.png")
        # the print is of the map's box at this view: the same pixels as a print of it
        printed = folder / "expected.png"
        printed.write_bytes(dispatch.export(layers, "png", state))
        assert _printed_pixels(png) == _printed_pixels(printed)
        pdf = _press(page, button("pdf"), folder)
        assert pdf.name == formats.file_name("pdf", state)
        assert pdf.read_bytes().startswith(b"%PDF-")

    for name in READER_OFF:
        _switch(frame, name)
    _zoom(page, frame, "in", 2)
    on = tuple(name for name in MAP_LAYERS if name not in READER_OFF)
    check(on, home + 2, tmp_path / "first")
    # a second change, then the second presses give the new state
    _switch(frame, "consulates")
    _zoom(page, frame, "out", 1)
    check(tuple(name for name in MAP_LAYERS if name in on or name == "consulates"), home + 1,
          tmp_path / "second")
    # from the keyboard: the button keeps its focus through the run that answers it
    kml = button("kml")
    kml.focus()
    with page.expect_download(timeout=60_000) as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".kml")
    _expect()(kml).to_be_focused()
    _expect()(shown.get_by_role("status")).to_have_text(
        t("export.saved", "en").format(name=info.value.suggested_filename))
    assert not guard.page_errors, guard.page_errors


def _off(params: dict[str, str]) -> set[str]:
    return set(filter(None, params.get("off", "").split(",")))


def test_a_print_of_the_page_opened_on_a_statement_marks_and_quotes_it(
        guarded_page: Any, tmp_path: Path) -> None:
    """`?event=` of a statement with places: once the map has written its address, the PDF
    pressed in Downloads says the statement's date as written and its quote's first words."""
    from ..export.test_print_pages import _pdftotext

    page, guard, server = guarded_page
    layers = load_layers(server.geo_dir)
    statement = next(s for s in browserdata.story_statements(
        layers.figures["events"], "en", browserdata.event_points(layers.collections["events"]))
        if s["places"])
    frame = _open(page, f"{server.url}?event={statement['id']}")
    _wait_params(page, lambda p: p.get("event") == statement["id"] and "view" in p)
    _expect()(frame.locator(".laovn-story-when")).to_contain_text(statement["written"])
    shown = _open_downloads(page)
    pdf = _press(page, shown.get_by_role("button", name=formats.export_label("pdf", "en"),
                                         exact=True), tmp_path)
    assert f"-event-{statement['id']}-" in pdf.name  # and "-view": the map framed it
    first_page = " ".join(_pdftotext(pdf.read_bytes(), tmp_path)[0].split())
    assert f"The statement shown: {statement['written']} (" in first_page
    assert " ".join(str(statement["quote"]).split()[:5]) in first_page
    assert not guard.page_errors, guard.page_errors
