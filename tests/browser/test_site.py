"""The static site in headless Chromium, served by `python -m http.server` from a subpath with
every other request refused: each language's map draws and reads its address, a mission is
clicked where it is drawn, a table page opens; the embed page works by itself and framed by
a page of another origin; the "Embed this map" snippet of the site and of the Streamlit page
is copied and read back as an iframe with the right address and title."""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from laovn_map.catalog import LAYER_FILES
from laovn_map.cli import main
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page import mapview, pagetext
from laovn_map.page.browserdata import prepare_texts
from laovn_map.site import embed, pages
from tests import harness

from ..conftest import FIXTURE, REAL
from .conftest import _missing
from .test_a11y import AXE_JS, _axe, _blocking
from .test_map import PHONE
from .test_page import _expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The site's folder under the served root: the site must work from any path.
SUBPATH = "deep/laovn-site/"


@pytest.fixture(scope="module")
def geo() -> Path:
    return REAL if (REAL / "manifest.json").exists() else FIXTURE


@pytest.fixture(scope="module")
def site(geo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of `geo`, built by the command and served from a subpath: its address."""
    root = tmp_path_factory.mktemp("served")
    (root / SUBPATH).parent.mkdir(parents=True)
    assert main(["site", "--geo", str(geo), "--out", str(root / SUBPATH)]) == 0
    try:
        with harness.static_server(root) as origin:
            yield origin + SUBPATH
    except harness.HarnessError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def site_page(browser: Any, site: str) -> Iterator[tuple[Any, list[str]]]:
    """A page whose every request not to the site's server is aborted and recorded."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(**harness.context_options())
    only_the_site = harness.LocalOnly(origin=site.split(SUBPATH)[0])
    context.route(harness.EVERY_URL, only_the_site)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page, only_the_site.blocked
    finally:
        context.close()


def _missions(geo: Path, lang: str) -> list[tuple[str, str]]:
    """Each mission's id and accessible name in `lang`, embassies first."""
    layers = prepare_texts(load_layers(geo).collections, lang)["layers"]
    return [(fid, str(layers[layer]["features"][fid][2]))
            for layer in ("embassies", "consulates") for fid in sorted(layers[layer]["features"])]


def _click_a_mission(page: Any, frame: Any, geo: Path, lang: str) -> str:
    """Click missions where they are drawn, as a reader does, until one opens its popup by
    itself (one sharing its spot with an event opens the chooser instead): its id."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for fid, name in _missions(geo, lang):
        try:  # a mark under another (an event at the same spot) is not clicked at all
            frame.locator(f'path.laovn-missions[aria-label="{name}"]').click(timeout=3_000)
            frame.locator(".leaflet-popup").wait_for(state="visible", timeout=2_000)
            return fid
        except PlaywrightTimeout:  # the chooser opened: leave it as a reader does
            page.keyboard.press("Escape")
    pytest.fail("no mission opened its popup when clicked")


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _map(page: Any) -> Any:
    """The index's map, once its missions are drawn (in view or not)."""
    frame = page.frame_locator("iframe.map")
    _expect()(frame.locator(".leaflet-container")).to_be_visible()
    _expect()(frame.locator("path.laovn-missions").first).to_be_attached()
    return frame


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_each_language_reads_its_address_and_a_click_selects(
        site_page: tuple[Any, list[str]], site: str, geo: Path, lang: str) -> None:
    page, blocked = site_page
    folder = embed.lang_folder(lang)
    page.goto(f"{site}{folder}index.html?off=water")
    frame = _map(page)
    _expect()(page).to_have_title(t("title", lang))
    assert page.locator("html").get_attribute("lang") == lang
    _expect()(frame.locator(".leaflet-container")).to_have_attribute("aria-label",
                                                                     t("map.label", lang))
    # the address's layers: water is off, and the layer control says so
    _expect()(frame.locator("path.laovn-water")).to_have_count(0)
    # a click where the mission is drawn selects it: its popup, and the address keeps it
    fid = _click_a_mission(page, frame, geo, lang)
    deadline = time.monotonic() + 10
    while _params(page.url).get("sel") != [fid] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert _params(page.url).get("sel") == [fid] and _params(page.url).get("off") == ["water"]
    # a table page, from the site's navigation, as a reader opens it
    page.get_by_role("link", name=t("table.missions", lang), exact=True).click()
    table = page.get_by_role("table")
    _expect()(table).to_be_visible()
    _expect()(table.locator("caption")).to_have_text(t("table.missions", lang))
    assert table.locator("tbody tr").count() == len(pagetext.mission_rows(load_layers(geo), lang))
    # its first row opens on the map, selected
    table.get_by_role("link", name=t("site.onmap", lang)).first.click()
    _expect()(_map(page).locator(".leaflet-popup")).to_be_visible()
    assert blocked == []


class _Iframe(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.found.append(dict(attrs))


def _iframe(snippet: str) -> dict[str, str | None]:
    parser = _Iframe()
    parser.feed(snippet)
    assert len(parser.found) == 1, snippet
    return parser.found[0]


#: Whether the map has written a view into the address (the index's, or its frame's).
_VIEW_WRITTEN = """() => [location.search,
    (document.querySelector("iframe.map") || {}).contentWindow?.location.search || ""]
    .some((search) => /[?&]view=/.test(search))"""


def _copied(page: Any, lang: str) -> str:
    """Press "Copy the code" as a reader does; what the clipboard then holds."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name=t("embed.copy", lang)).click()
    _expect()(page.get_by_role("status").filter(has_text=t("embed.copied", lang))).to_be_visible()
    text: str = page.evaluate("navigator.clipboard.readText()")
    return text


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_sites_snippet_frames_its_embed_page_of_the_state_and_it_works_alone_and_framed(
        site_page: tuple[Any, list[str]], site: str, geo: Path, lang: str,
        tmp_path: Path) -> None:
    page, blocked = site_page
    folder = embed.lang_folder(lang)
    fid = _missions(geo, lang)[-1][0]
    page.goto(f"{site}{folder}index.html?sel={fid}&off=events")
    _expect()(_map(page).locator(".leaflet-popup")).to_be_visible()
    # the map writes its address once the selection's move has ended: copied after that
    page.wait_for_function(_VIEW_WRITTEN, timeout=20_000)
    attrs = _iframe(_copied(page, lang))
    src = str(attrs["src"])
    # the selection framed the mission: the view it took is the state too
    assert src.split("?")[0] == f"{site}{folder}embed.html"
    assert {k: v for k, v in _params(src).items() if k != "view"} == {"sel": [fid],
                                                                      "off": ["events"]}
    assert set(_params(src)) == {"view", "sel", "off"}
    assert attrs["title"] == t("title", lang)
    # the embed page by itself: the map alone, its title, the address's state
    page.goto(str(attrs["src"]))
    _expect()(page).to_have_title(t("title", lang))
    _expect()(page.locator(".leaflet-popup")).to_be_visible()
    _expect()(page.locator("path.laovn-events")).to_have_count(0)
    assert page.locator("h1, nav").count() == 0
    # framed by an article on another origin (localhost is not 127.0.0.1): the map reads
    # its own address, since it cannot read its host's
    article = tmp_path / "article"
    article.mkdir()
    (article / "index.html").write_text(
        f"<!DOCTYPE html><html><body><p>An article</p>"
        f"{_copied_snippet(attrs)}</body></html>", encoding="utf-8")
    with harness.static_server(article) as origin:
        other = origin.replace("127.0.0.1", "localhost")
        # the two local servers, and nothing else
        page.context.unroute(harness.EVERY_URL)
        page.context.route(harness.NOT_LOCAL, harness.LocalOnly(blocked=blocked))
        page.goto(other + "index.html")
        framed = page.frame_locator("iframe")
        _expect()(framed.locator(".leaflet-popup")).to_be_visible()
        _expect()(framed.locator("path.laovn-events")).to_have_count(0)
    assert blocked == []


def _copied_snippet(attrs: dict[str, str | None]) -> str:
    return (f'<iframe src="{html.escape(str(attrs["src"]))}" title="{html.escape(str(attrs["title"]))}"'
            ' width="100%" height="640" style="border:0"></iframe>')


def test_the_pages_snippet_is_the_page_in_embed_mode_at_its_address(
        guarded_page: tuple[Any, Any, harness.AppServer]) -> None:
    page, guard, server = guarded_page
    page.goto(f"{server.url}?off=water")
    _expect()(page.frame_locator(harness.MAP_IFRAME)
              .locator("path.laovn-missions").first).to_be_visible()
    page.get_by_text(t("downloads", "en"), exact=True).click()
    _expect()(page.get_by_role("button", name=t("embed.copy", "en"))).to_be_visible()
    attrs = _iframe(_copied(page, "en"))
    src = urlsplit(str(attrs["src"]))
    assert f"{src.scheme}://{src.netloc}" == server.url.rstrip("/")
    assert parse_qs(src.query) == {"off": ["water"], "embed": ["true"]}
    assert attrs["title"] == t("title", "en")
    assert guard.blocked == [] and guard.page_errors == []



def _event_points(geo: Path) -> list[dict[str, Any]]:
    """Each event feature of the build: its id, dates and [lon, lat]."""
    collection = json.loads((geo / LAYER_FILES["events"]).read_text(encoding="utf-8"))
    return [{"id": f["properties"]["id"], "start": f["properties"]["start"],
             "end": f["properties"]["end"], "at": f["geometry"]["coordinates"]}
            for f in collection["features"]]


#: Which of the points ([lat, lon]) a drawn event marker is under, in the map's pixels: the
#: layer names what the reader's pointer meets there (all of it, not only the topmost).
_EVENTS_AT = """(points) => points.map(([lat, lon]) => {
    const p = window.laovn.map.latLngToContainerPoint([lat, lon]);
    const box = window.laovn.map.getContainer().getBoundingClientRect();
    return document.elementsFromPoint(box.left + p.x, box.top + p.y)
        .some((el) => el.matches("path.laovn-events"));
})"""


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_sites_map_shows_the_addresss_years_only(
        site_page: tuple[Any, list[str]], site: str, geo: Path, lang: str) -> None:
    """A range copied from the page (?years=1945-1960): the events outside it are not drawn,
    those in it are, each where it is; the years rule is the page's (`pagetext.YearsRule`)."""
    page, blocked = site_page
    rule = pagetext.years_rule(load_layers(geo))
    assert rule is not None
    low, high = 1945, 1960
    timeline = rule.timeline((low, high))
    assert rule.years(f"{low}-{high}") == (low, high) and timeline
    events = _event_points(geo)
    inside = [e for e in events if pagetext.in_timeline(e["start"], e["end"], timeline)]
    outside = [e for e in events if e not in inside]
    assert inside and outside, "the build's events must fall on both sides of the range"
    page.goto(f"{site}{embed.lang_folder(lang)}index.html?years={low}-{high}")
    frame = _map(page)
    markers = frame.locator("path.laovn-events")
    _expect()(markers).to_have_count(len(inside))
    page.wait_for_timeout(300)  # the map has settled on its view
    handle = page.locator("iframe.map").element_handle()
    assert handle is not None
    content = handle.content_frame()
    assert content is not None
    drawn_in = content.evaluate(_EVENTS_AT, [[e["at"][1], e["at"][0]] for e in inside])
    assert all(drawn_in), [e["id"] for e, d in zip(inside, drawn_in, strict=True) if not d]
    # where an event out of the range is (and no event of the range shares its spot), nothing
    alone = [e for e in outside if all(e["at"] != i["at"] for i in inside)]
    drawn_out = content.evaluate(_EVENTS_AT, [[e["at"][1], e["at"][0]] for e in alone])
    assert not any(drawn_out), [e["id"] for e, d in zip(alone, drawn_out, strict=True) if d]
    # the whole span is every event; a range the page refuses is too
    for years in (f"{rule.first}-{rule.last}", f"{high}-{low}", "1945-99999"):
        page.goto(f"{site}{embed.lang_folder(lang)}index.html?years={years}")
        _expect()(_map(page).locator("path.laovn-events")).to_have_count(len(events))
    assert blocked == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_sites_map_draws_the_2025_provinces_when_asked_and_the_snippet_keeps_it(
        site_page: tuple[Any, list[str]], site: str, geo: Path, lang: str) -> None:
    """?since2025=true&sel=vn2025-48 opens Đà Nẵng's 2025 popup: the 2025 period's file is
    loaded then, and only then; the embed snippet copied keeps the period and the years."""
    page, blocked = site_page
    folder = embed.lang_folder(lang)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    period_file = pages.PERIOD_FILES[0]
    param = mapview.PERIOD_PARAMS[period_file.period]
    layers = load_layers(geo)
    page.goto(f"{site}{folder}index.html?sel=VN-22")
    _expect()(_map(page).locator(".leaflet-popup")).to_be_visible()
    _expect()(_map(page).locator("path.laovn-provinces_vn")).to_have_count(
        len(layers.features("provinces_vn")))
    assert not [path for path in asked if path.endswith(period_file.file)]
    texts = prepare_texts(layers.collections, lang, period=period_file.period)
    name = texts["layers"]["provinces_vn"]["features"]["vn2025-48"][0]
    page.goto(f"{site}{folder}index.html?{param}=true&sel=vn2025-48&years=1945-1960")
    frame = _map(page)
    popup = frame.locator('.leaflet-popup .laovn-popup[data-id="vn2025-48"]')
    _expect()(popup).to_be_visible()
    _expect()(popup.locator(".laovn-title")).to_contain_text(name)
    assert [path for path in asked if path.endswith(folder + period_file.file)]
    # the 2025 provinces are drawn, the texts' are not
    count = len(texts["layers"]["provinces_vn"]["features"])
    _expect()(frame.locator("path.laovn-provinces_vn")).to_have_count(count)
    page.wait_for_function(_VIEW_WRITTEN, timeout=20_000)
    src = str(_iframe(_copied(page, lang))["src"])
    assert _params(src).get(param) == ["true"] and _params(src).get("years") == ["1945-1960"]
    assert _params(src).get("sel") == ["vn2025-48"]
    # the snippet's page by itself opens the same state
    page.goto(src)
    _expect()(page.locator('.leaflet-popup .laovn-popup[data-id="vn2025-48"]')).to_be_visible()
    assert blocked == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_language_link_keeps_the_maps_state(
        site_page: tuple[Any, list[str]], site: str, lang: str) -> None:
    """The reader switches the site's language on a map in a state: the other language's map
    opens in the same state (its address keeps the map's parameters)."""
    page, blocked = site_page
    other = next(code for code in LANGUAGES if code != lang)
    param = mapview.PERIOD_PARAMS[pages.PERIOD_FILES[0].period]
    page.goto(f"{site}{embed.lang_folder(lang)}index.html?{param}=true&years=1945-1960"
              "&sel=vn2025-48&utm=x")
    _expect()(_map(page).locator('.leaflet-popup .laovn-popup[data-id="vn2025-48"]')).to_be_visible()
    page.get_by_role("navigation", name=t("language", lang)).get_by_role(
        "link", name=LANGUAGES[other].own_name, exact=True).click()
    page.wait_for_url(f"{site}{embed.lang_folder(other)}index.html?*")
    params = _params(page.url)
    assert params.get(param) == ["true"] and params.get("years") == ["1945-1960"]
    assert params.get("sel") == ["vn2025-48"] and "utm" not in params
    _expect()(page.locator("html")).to_have_attribute("lang", other)
    _expect()(_map(page).locator('.leaflet-popup .laovn-popup[data-id="vn2025-48"]')).to_be_visible()
    assert blocked == []


#: Every page of a language's folder that a reader reads (the offline map's export is the map).
SITE_PAGES = (pages.INDEX_PAGE, pages.CREDITS_PAGE, pages.DOWNLOADS_PAGE,
              *(table.file for table in pages.TABLES), embed.EMBED_PAGE)
#: The elements the citation and credits show as code, each to scroll inside itself.
_CODE_BLOCKS = """() => [...document.querySelectorAll("pre")].map((pre) => ({
    scrolls: pre.scrollWidth > pre.clientWidth, right: pre.getBoundingClientRect().right}))"""


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe-core (test_a11y's), to run on the site's pages."""
    if not AXE_JS.exists():
        _missing(f"axe-core is not installed ({AXE_JS}): run `npm ci` in the checkout")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_page_of_the_site_is_wider_than_a_phone(browser: Any, site: str, lang: str,
                                                    axe_script: str) -> None:
    """On a 390×844 phone no page scrolls sideways: the citation's BibTeX and CSL-JSON and the
    credits' ATTRIBUTION.md scroll inside their box, which the keyboard reaches (Tab) and axe
    finds reachable (scrollable-region-focusable)."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(**{**harness.context_options(), **PHONE})
    only_the_site = harness.LocalOnly(origin=site.split(SUBPATH)[0])
    context.route(harness.EVERY_URL, only_the_site)
    page = context.new_page()
    page.set_default_timeout(20_000)
    width = PHONE["viewport"]["width"]
    folder = embed.lang_folder(lang)
    try:
        wide = {}
        for file in SITE_PAGES:
            page.goto(f"{site}{folder}{file}", wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            wide[file] = page.evaluate("document.documentElement.scrollWidth")
        assert {f: w for f, w in wide.items() if w > width} == {}
        page.goto(f"{site}{folder}{pages.CREDITS_PAGE}", wait_until="load")
        blocks = page.evaluate(_CODE_BLOCKS)
        assert len(blocks) == 3 and all(b["right"] <= width for b in blocks), blocks
        scrolling = sum(b["scrolls"] for b in blocks)
        assert scrolling, "no code block is wider than the phone: the test sees nothing"
        # the keyboard reaches each code block that scrolls, as Tab goes through the page
        reached = 0
        for _ in range(200):
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => { const e = document.activeElement;
                return e ? [e.tagName, e.scrollWidth > e.clientWidth] : null; }""")
            if focused is None or focused[0] == "BODY":
                break
            reached += focused == ["PRE", True]
        assert reached == scrolling
        assert _blocking("credits", _axe(page, axe_script, ("pre",))) == []
        assert only_the_site.blocked == []
    finally:
        context.close()
