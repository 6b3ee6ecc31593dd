"""Accessibility of the running page in headless Chromium (WCAG 2.2 AA): axe-core on the
Streamlit page and in the map's frame (streamlit-folium's component iframe), with each kind of
popup open and with every section open, in both languages; then what axe-core does not see:
a name for every stop of the keyboard in the map, the skip link to the map, the tab title in
the page's language, and a base map without a pointer cursor.

axe-core is the npm package pinned in the project's package-lock.json, installed by
`python3 dev.py test` (`npm ci`); it is read from disk and injected into each document, so
nothing here uses the network. A serious or critical violation fails the test, listed with its
rule, target and axe's summary. Contrast that axe cannot see (map marks drawn in SVG over SVG
fills) is checked without a browser in tests/test_mapstyle.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from laovn_map.catalog import DOWNLOAD_NAMES, MAP_FRAME_ID
from laovn_map.export import formats
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import t
from laovn_map.page.pagetext import page_title
from tests.harness import MAP_IFRAME as IFRAME

from ..conftest import ROOT
from .conftest import _missing
from .test_map import DESKTOP, PHONE, _map_frame
from .test_page import _expect, _open, _wait_until_still

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: The rules axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_22_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
#: The impacts that fail a test (axe's others: minor, moderate).
BLOCKING = ("serious", "critical")
#: The map layers whose features open a popup, by their CSS class (`mapstyle`/`browserdata`).
POPUP_CLASSES = ("laovn-provinces_vn", "laovn-provinces_la", "laovn-segments", "laovn-border",
                 "laovn-embassies", "laovn-consulates", "laovn-water")

#: axe.run on this document, or only within `include` (CSS selectors): each violating node as
#: {rule, impact, help, target, summary}. `iframes: false`: every frame is checked on its own
#: (the map frame gets its own copy of axe), so each finding names its document.
RUN_AXE_JS = """async ([tags, include]) => {
    const context = include.length ? {include: include.map((s) => [s])} : document;
    const result = await window.axe.run(context, {
        runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], iframes: false});
    return result.violations.flatMap((v) => v.nodes.map((n) => ({
        rule: v.id, impact: n.impact || v.impact, help: v.help,
        target: n.target.join(" "), summary: n.failureSummary || ""})));
}"""

#: Open the popup of the first feature with CSS class `cls` as a click would show it, without
#: the click (which would rerun the Streamlit script); false when no such feature is drawn.
#: Done once it is the only popup and its fade-in is over (axe would read faded colours).
OPEN_POPUP_JS = """(cls) => new Promise((done) => {
    const map = window.laovn.map;
    let shape = null;
    map.eachLayer((layer) => {
        const classes = (layer.options && layer.options.className || "").split(" ");
        if (!shape && layer.getPopup && layer.getPopup() && classes.includes(cls)) shape = layer;
    });
    if (!shape) { done(false); return; }
    // the popup is checked where the reader sees it: faded in, and the map still after its
    // pan into view and Leaflet's pan back within the panning limit (each animated)
    let moving = false, lastMove = performance.now();
    map.on("movestart", () => { moving = true; lastMove = performance.now(); });
    map.on("moveend", () => { moving = false; lastMove = performance.now(); });
    const settled = () => {
        const popups = document.querySelectorAll(".leaflet-popup");
        if (popups.length === 1 && getComputedStyle(popups[0]).opacity === "1" && !moving
                && performance.now() - lastMove > 400) done(true);
        else setTimeout(settled, 50);
    };
    map.closePopup();
    shape.once("popupopen", settled);
    shape.openPopup();
})"""


@pytest.fixture(scope="module")
def axe_js() -> str:
    if not AXE_JS.exists():
        _missing(f"axe-core is not installed ({AXE_JS.relative_to(ROOT)} is missing): run "
                 "`python3 dev.py test`, or `npm ci` in the checkout")
    return AXE_JS.read_text(encoding="utf-8")


def _axe(frame: Any, axe_js: str, include: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """axe's violations in `frame` (a Playwright Page or Frame), injecting axe-core once."""
    if not frame.evaluate("() => !!window.axe"):
        frame.add_script_tag(content=axe_js)
    found: list[dict[str, str]] = frame.evaluate(RUN_AXE_JS, [list(WCAG_22_AA), list(include)])
    return found


def _blocking(where: str, found: list[dict[str, str]]) -> list[str]:
    return [f"{where}: [{v['impact']}] {v['rule']} at {v['target']}: {v['help']}. "
            + " ".join(v["summary"].split())
            for v in found if v["impact"] in BLOCKING]


def _open_section(page: Any, index: int) -> None:
    """Open the `index`-th expander with a click once the page has settled: the section
    opened before it draws its content a moment after it opens, which moves every summary
    below it, and a click aimed just before that lands beside this one (seen once in CI)."""
    details = page.locator('[data-testid="stExpander"] details').nth(index)
    for _ in range(3):
        page.wait_for_function(
            """(index) => new Promise((resolve) => {
                if (document.querySelector('[data-stale="true"]')) { resolve(false); return; }
                const summary = document.querySelectorAll('[data-testid="stExpander"] summary')[index];
                const box = () => JSON.stringify(summary && summary.getBoundingClientRect());
                const first = box();
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(first === box())));
            })""", arg=index, polling=100, timeout=20_000)
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        try:
            _expect()(details).to_have_attribute("open", re.compile(".*"), timeout=7_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"the expander {index} did not open after three clicks")


def _open_every_section(page: Any, server: Any) -> None:
    """Open every expander below the map and wait for what each one draws (tables,
    downloads, the seed texts): a section's content is sent only once it is open."""
    summaries = page.locator('[data-testid="stExpander"] summary')
    count = summaries.count()
    # provinces, missions, the statements' timeline, events, figures of the texts, official
    # lengths, downloads, cite this map, and one per seed text
    texts = len(load_layers(server.geo_dir).texts)
    assert count == 8 + texts, count
    for i in range(count):
        _open_section(page, i)
        _expect()(page.locator('[data-testid="stExpander"] details[open]')).to_have_count(i + 1)
    # provinces, missions, events, figures of the texts, official lengths
    _expect()(page.locator('[data-testid="stDataFrame"]')).to_have_count(5)
    # each layer, the zip, and every layer and event in each format; the buttons of the map
    # as shown
    _expect()(page.locator('[data-testid="stDownloadButton"]')).to_have_count(
        len(DOWNLOAD_NAMES) + 1 + len(formats.FORMATS))
    _expect()(page.locator(".laovn-exports button")).to_have_count(len(formats.FORMATS))
    _expect()(page.locator(".laovn-source")).to_have_count(texts)
    _expect()(page.locator('[data-stale="true"]')).to_have_count(0)


def _violations(new_page: Callable[..., Any], server: Any, query: str, axe_js: str
                ) -> list[str]:
    """Every serious or critical violation on the page at `query`: the Streamlit document,
    the map's frame as loaded, the map's frame with each kind of popup open, and the
    Streamlit document again with every section open."""
    page = new_page(**DESKTOP)
    _open(page, server.url + query)
    _wait_until_still(page, IFRAME)
    problems = _blocking("page", _axe(page, axe_js))
    frame = _map_frame(page)
    problems += _blocking("map frame", _axe(frame, axe_js))
    opened = []
    for cls in POPUP_CLASSES:
        if frame.evaluate(OPEN_POPUP_JS, cls):
            opened.append(cls)
            problems += _blocking(f"map frame, popup of .{cls}",
                                  _axe(frame, axe_js, (".leaflet-popup",)))
    # the check looked at popups at all: the fixture and the real layers draw every kind
    assert opened == list(POPUP_CLASSES), opened
    _open_every_section(page, server)
    problems += _blocking("page, every section open", _axe(page, axe_js))
    return problems


@pytest.mark.parametrize("query", ["", "?lang=vi", "?lang=lo"], ids=["en", "vi", "lo"])
def test_no_serious_or_critical_axe_violations(new_page: Callable[..., Any], server: Any,
                                               axe_js: str, query: str) -> None:
    problems = _violations(new_page, server, query, axe_js)
    assert not problems, (f"{len(problems)} serious or critical axe-core violations "
                          f"(WCAG 2.2 AA) at {query or '/'}:\n" + "\n".join(problems))


def test_axe_finds_a_planted_violation(new_page: Callable[..., Any], server: Any,
                                       axe_js: str) -> None:
    """The check can fail: text at 1.2:1 planted in the map's frame is reported, by rule and
    target."""
    page = new_page(**DESKTOP)
    _open(page, server.url)
    frame = _map_frame(page)
    frame.evaluate("""() => { const p = document.createElement("p");
        p.id = "laovn-planted"; p.textContent = "faint";
        p.style.cssText = "color:#eeeeee;background:#ffffff;position:relative;z-index:9999";
        document.body.prepend(p); }""")
    found = _blocking("map frame", _axe(frame, axe_js, ("#laovn-planted",)))
    assert found and all("color-contrast at #laovn-planted" in x for x in found), found


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_the_tab_title_is_in_the_pages_language(new_page: Callable[..., Any], server: Any,
                                                lang: str) -> None:
    page = new_page(**DESKTOP)
    _open(page, server.url + ("" if lang == "en" else f"?lang={lang}"))
    _expect()(page).to_have_title(page_title(lang))


#: The focused element: its classes, text, link target and box, and whether the box lies in
#: the window.
FOCUSED_JS = """() => { const a = document.activeElement, r = a.getBoundingClientRect();
    return {cls: String(a.className), text: a.textContent, href: a.getAttribute("href"),
            inWindow: r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth
                      && r.bottom <= innerHeight}; }"""
SKIP_LINK_BOX_JS = """() => { const r = document.querySelector("a.laovn-skip").getBoundingClientRect();
    return r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight; }"""


@pytest.mark.parametrize(("options", "query"), [(DESKTOP, ""), (PHONE, "?lang=vi")],
                         ids=["desktop-en", "phone-vi"])
def test_a_skip_link_to_the_map_comes_first_and_shows_only_on_focus(
        new_page: Callable[..., Any], server: Any, options: dict[str, Any], query: str) -> None:
    page = new_page(**options)
    _open(page, server.url + query)
    assert page.locator("a.laovn-skip").count() == 1
    assert not page.evaluate(SKIP_LINK_BOX_JS)  # out of the window until focused
    # the first Tab goes to Streamlit's own skip link (to the main column), the next to ours
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED_JS)
    assert "laovn-skip" in focused["cls"].split(), focused
    assert focused["text"] == t("skip.map", "vi" if query else "en")
    assert focused["href"] == f"#{MAP_FRAME_ID}" and focused["inWindow"], focused
    page.keyboard.press("Tab")
    assert not page.evaluate(SKIP_LINK_BOX_JS)  # and out of it again after


def test_the_skip_link_leads_into_the_map(new_page: Callable[..., Any], server: Any) -> None:
    """Its target is the map's frame (the map script gives the frame its id): Enter on the
    link, then Tab, puts the keyboard in the map."""
    page = new_page(**DESKTOP)
    _open(page, server.url)
    target = page.evaluate(f"() => document.getElementById('{MAP_FRAME_ID}')?.tagName")
    assert target == "IFRAME", f"no map frame with id {MAP_FRAME_ID!r}: found {target}"
    page.locator("a.laovn-skip").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == MAP_FRAME_ID
    assert _map_frame(page).evaluate(
        "() => !!document.activeElement.closest('.leaflet-container')")


def test_the_base_map_answers_no_pointer(new_page: Callable[..., Any], server: Any) -> None:
    """Countries do nothing when clicked, so they show the map's cursor, not a pointer."""
    page = new_page(**DESKTOP)
    _open(page, server.url)
    styles = _map_frame(page).evaluate("""() => [...document.querySelectorAll(
        "path.laovn-country")].map((p) => [getComputedStyle(p).cursor,
                                           getComputedStyle(p).pointerEvents])""")
    assert styles and all(s == ["grab", "none"] for s in styles), styles


#: What the keyboard's focus is on in this document: tag, classes, role and accessible name
#: (axe-core's computation), or null once the focus has left the document.
FOCUS_STOP_JS = """() => {
    const a = document.activeElement;
    if (!document.hasFocus() || !a || a === document.body) return null;
    window.axe.setup(document);
    try {
        return {tag: a.tagName.toLowerCase(), cls: String(a.className.baseVal ?? a.className),
                role: window.axe.commons.aria.getRole(a) || "",
                name: window.axe.commons.text.accessibleTextVirtual(
                    window.axe.utils.getNodeFromTree(a)).trim()};
    } finally { window.axe.teardown(); }
}"""


def test_every_keyboard_stop_in_the_map_has_a_name(new_page: Callable[..., Any], server: Any,
                                                   axe_js: str) -> None:
    """Tab through the map's frame as a keyboard user does. Chromium also stops on shapes
    that listen for focus (Leaflet's tooltips do), which axe-core does not count as
    focusable, so its rules never see them: each stop is checked here."""
    page = new_page(**DESKTOP)
    _open(page, server.url)
    _wait_until_still(page, IFRAME)
    frame = _map_frame(page)
    frame.add_script_tag(content=axe_js)
    frame.locator(".leaflet-container").focus()
    stops = [frame.evaluate(FOCUS_STOP_JS)]
    for _ in range(500):  # more stops than the map has
        page.keyboard.press("Tab")
        stop = frame.evaluate(FOCUS_STOP_JS)
        if stop is None:
            break
        stops.append(stop)
    else:
        pytest.fail("the keyboard never left the map's frame")
    paths = [s for s in stops if s["tag"] == "path"]
    assert paths, stops  # the shapes are stops: this test looks at them
    unnamed: dict[str, list[str]] = {}  # by kind (tag and layer class): the stops' classes
    for s in stops:
        if not s["name"]:
            classes = s["cls"].split()
            kind = next((c for c in classes if c.startswith("laovn-") and "-id-" not in c),
                        classes[0] if classes else "")
            unnamed.setdefault(f"{s['tag']}.{kind} (role {s['role'] or 'none'})", []).append(
                next((c for c in classes if c.startswith("laovn-id-")), " ".join(classes)))
    report = [f"{kind}: {len(ids)}, e.g. {', '.join(ids[:4])}" for kind, ids in unnamed.items()]
    assert not unnamed, (f"{sum(map(len, unnamed.values()))} of {len(stops)} keyboard stops "
                         "in the map have no accessible name:\n" + "\n".join(report))
