"""The static site in headless Chromium, served by `python -m http.server` from a subpath with
every other request refused: each language's map draws and reads its address, a mission is
clicked where it is drawn, a table page opens; the embed page works by itself and framed by
a page of another origin; the "Embed this map" snippet of the site and of the Streamlit page
is copied and read back as an iframe with the right address and title."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from laovn_map.cli import main
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page import pagetext
from laovn_map.page.browserdata import prepare_texts
from laovn_map.site import embed
from tests import harness

from ..conftest import FIXTURE, REAL
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

