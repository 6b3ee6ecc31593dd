"""One state for the map, in headless Chromium: the URL round trip, no reset when the sidebar or
the language changes, the search, a table row, the keyboard and screen reader, and a phone.

The state the page keeps (`?view=lat,lon,zoom&sel=id&off=a,b`, beside the page's own `lang`,
`since2025` and `tiles`) is read back from the map (`window.laovn` in its frame), the layer
control, the legend and the address bar, which must all agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from anyascii import anyascii

from laovn_map.export import formats
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import t
from laovn_map.page.labels import layer_label
from laovn_map.page.mapview import FOLD_BELOW_PX
from tests import harness
from tests.harness import MAP_IFRAME as IFRAME

from ..conftest import REAL
from .test_map import PHONE
from .test_page import _expect

pytestmark = pytest.mark.browser

PAKSE = "vn-consulate-pakse"


def _frame(page: Any) -> Any:
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def _ready(page: Any, url: str, lang: str = "en") -> Any:
    """Load `url`; return the map's frame once its state is applied in `lang`."""
    page.goto(url)
    page.wait_for_function(
        """([sel, lang]) => { const f = document.querySelector(sel);
            const w = f && f.contentWindow;
            return !!(w && w.laovn && w.laovn.ready && w.laovn.applied && w.laovn.lang === lang); }""",
        arg=[IFRAME, lang], polling=100, timeout=40_000)
    return _frame(page)


def _state(frame: Any) -> dict[str, Any]:
    state: dict[str, Any] = frame.evaluate("""() => {
        const l = window.laovn, m = l.map, c = m.getCenter();
        const boxes = [...document.querySelectorAll('.leaflet-control-layers-overlays label')];
        const popup = document.querySelector('.leaflet-popup-content');
        return {lat: c.lat, lon: c.lng, zoom: m.getZoom(), sel: l.sel, lang: l.lang,
                period: l.period,
                off: l.config.layers.filter((n) => !m.hasLayer(l.groups[n])),
                unticked: boxes.filter((b) => !b.querySelector('input').checked)
                               .map((b) => b.textContent.trim()),
                listed: boxes.length,
                legend: [...document.querySelectorAll('.laovn-legend-entry')]
                    .filter((e) => !e.hidden).map((e) => e.dataset.layer),
                popup: popup ? popup.innerText : null,
                selection: document.querySelector('.laovn-selection').hidden ? null
                    : document.querySelector('.laovn-selection-name').textContent};
    }""")
    return state


def _still(frame: Any) -> tuple[float, float]:
    """The map's centre once it has stopped moving (two reads a tenth of a second apart)."""
    last = None
    for _ in range(50):
        state = _state(frame)
        now = (state["lat"], state["lon"])
        if now == last:
            return now
        last = now
        frame.page.wait_for_timeout(100)
    raise AssertionError("the map never stopped moving")


def _params(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _wait_params(page: Any, check: Callable[[dict[str, str]], bool]) -> dict[str, str]:
    for _ in range(100):
        params = _params(page)
        if check(params):
            return params
        page.wait_for_timeout(50)
    raise AssertionError(f"the URL never matched: {page.url}")


def _sent(page: Any) -> list[str]:
    """Every websocket message the page sends to the server, from now on."""
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append("x")))
    return sent


def test_the_url_restores_view_selection_layers_and_language(
        new_page: Callable[..., Any], server: Any) -> None:
    page = new_page()
    url = f"{server.url}?lang=vi&view=15.4,105.9,8.5&sel={PAKSE}&off=countries,water"
    frame = _ready(page, url, "vi")
    state = _state(frame)
    # within a pixel (Leaflet rounds the view to whole pixels)
    assert state["lat"] == pytest.approx(15.4, abs=4e-3)
    assert state["lon"] == pytest.approx(105.9, abs=4e-3)
    assert state["zoom"] == 8.5
    assert state["sel"] == PAKSE and state["popup"]
    assert sorted(state["off"]) == ["countries", "water"]
    assert sorted(state["unticked"]) == sorted([layer_label("countries", "vi"),
                                                layer_label("water", "vi")])
    assert "water" not in state["legend"] and "embassies" in state["legend"]
    assert state["selection"]  # the panel names the selected feature
    # the page's language reaches the frame's title and both documents' lang
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert frame.evaluate("document.documentElement.lang") == "vi"
    assert page.locator(IFRAME).get_attribute("title") == t("map.title", "vi")
    # the URL is unchanged by the restore, and follows the map from now on
    params = _params(page)
    assert params["view"] == "15.4,105.9,8.5" and params["sel"] == PAKSE
    frame.evaluate("() => window.laovn.map.setView([17.2, 104.1], 9, {animate: false})")
    frame.locator(".leaflet-control-layers-overlays label",
                  has_text=layer_label("embassies", "vi")).locator("input").uncheck()
    params = _wait_params(page, lambda p: p.get("view") == "17.2,104.1,9"
                          and "embassies" in p.get("off", ""))
    # the same address in a new tab gives the same state
    now = _state(frame)
    again = _state(_ready(new_page(), page.url, "vi"))
    assert (again["lat"], again["lon"]) == pytest.approx((now["lat"], now["lon"]), abs=4e-3)
    for key in ("zoom", "sel", "off", "lang", "unticked", "legend"):
        assert again[key] == now[key], key


def test_bad_values_fall_back_to_their_defaults(new_page: Callable[..., Any], server: Any,
                                                guard: Any) -> None:
    page = new_page()
    plain = _state(_ready(page, server.url))
    errors = len(guard.page_errors)
    frame = _ready(page, f"{server.url}?view=91,abc,8&sel=<img>&off=nope,embassies&lang=xx")
    state = _state(frame)
    assert (state["lat"], state["lon"]) == pytest.approx((plain["lat"], plain["lon"]), abs=0.01)
    assert state["zoom"] == plain["zoom"]
    assert state["sel"] is None and state["popup"] is None
    assert state["off"] == ["embassies"] and state["lang"] == "en"
    # (the page's print box refuses the same: mapview.ViewRule, test_app)
    for view in ("1,2", "17,105,30", "60,105,8", "17,,8", "%zz", "17,105,5.5", "79,105,8",
                 "1e1,105,8", "0x11,105,8", "%2017,105,8", "17,105,Infinity"):
        state = _state(_ready(page, f"{server.url}?view={view}"))
        # the default view, within a pixel
        assert (state["lat"], state["lon"]) == pytest.approx((plain["lat"], plain["lon"]),
                                                             abs=0.01), view
        assert state["zoom"] == plain["zoom"], view
    assert len(guard.page_errors) == errors


@pytest.mark.parametrize("name", ["constructor", "__proto__", "toString", "hasOwnProperty",
                                  "valueOf"])
def test_a_built_in_name_is_no_feature_id(new_page: Callable[..., Any], server: Any,
                                          guard: Any, name: str) -> None:
    """`?sel=` with a name every script object has is dropped like any unknown id."""
    page = new_page()
    errors = len(guard.page_errors)
    state = _state(_ready(page, f"{server.url}?sel={name}&view=17.5,105.5,8"))
    assert state["sel"] is None and state["popup"] is None and state["selection"] is None
    assert guard.page_errors[errors:] == []
    _wait_params(page, lambda p: "sel" not in p and p.get("view") == "17.5,105.5,8")


def test_a_key_given_twice_means_its_first_value_on_the_map_and_the_page(
        new_page: Callable[..., Any], server: Any, guard: Any) -> None:
    page = new_page()
    errors = len(guard.page_errors)
    frame = _ready(page, f"{server.url}?off=countries&off=water&since2025=true&since2025=false"
                         "&lang=vi&lang=en", lang="vi")
    state = _state(frame)
    assert state["off"] == ["countries"] and state["period"] == "2025"
    query = _wait_params(page, lambda p: "since2025" in p and "off" in p)
    assert parse_qs(urlsplit(page.url).query)["since2025"] == ["true"]
    assert parse_qs(urlsplit(page.url).query)["off"] == ["countries"]
    assert query["lang"] == "vi"
    assert guard.page_errors[errors:] == []


def test_a_resize_before_any_move_keeps_the_first_view(new_page: Callable[..., Any],
                                                       server: Any) -> None:
    """The map's size changes while the page loads (the sidebar, a scroll bar, a phone turned):
    until the reader moves the map, its view is the first view for the size it has now, whatever
    sizes it had before. A wider map raises the zoom floor, and a view at that floor lies past
    the panning limit, where Leaflet starts a pan of its own: neither may stay behind."""
    page = new_page()
    frame = _ready(page, server.url)
    first = _state(frame)
    width = frame.evaluate("() => laovn.map.getSize().x")
    size = page.viewport_size
    for wider in (500, 160, 0):
        page.set_viewport_size({"width": size["width"] + wider, "height": size["height"]})
        frame.wait_for_function("(x) => laovn.map.getSize().x === x", arg=width + wider)
    now = _still(frame)
    state = _state(frame)
    assert frame.evaluate("() => laovn.untouched()")
    # the first view, within a pixel
    assert now == pytest.approx((first["lat"], first["lon"]), abs=0.01)
    assert state["zoom"] == first["zoom"]
    assert "view" not in parse_qs(urlsplit(page.url).query)


def test_the_older_layer_false_form_is_read_and_rewritten(new_page: Callable[..., Any],
                                                           server: Any) -> None:
    """Links made before `off=` said `?<layer>=false`: they still open with that layer off,
    and the address is rewritten in today's form."""
    page = new_page()
    state = _state(_ready(page, f"{server.url}?water=false&embassies=false"))
    assert sorted(state["off"]) == ["embassies", "water"]
    params = _wait_params(page, lambda p: "water" not in p and "embassies" not in p)
    assert sorted(params["off"].split(",")) == ["embassies", "water"]


def test_no_control_resets_another(new_page: Callable[..., Any], server: Any) -> None:
    """The sidebar's language and period switches rerun the page: the map stays the same
    map (its window keeps a mark), with its view, layer choices and open popup."""
    page = new_page()
    layers = load_layers(server.geo_dir)
    frame = _ready(page, server.url)
    frame.evaluate("() => { window.laovnMark = 1; }")
    frame.evaluate("() => window.laovn.map.setView([15.3, 105.9], 8.5, {animate: false})")
    frame.locator(".leaflet-control-layers-overlays label",
                  has_text=layer_label("embassies", "en")).locator("input").uncheck()
    frame.evaluate(f"() => window.laovn.select({PAKSE!r}, {{}})")
    _still(frame)  # its pan clear of the controls has ended
    before = _state(frame)
    assert before["popup"] and before["sel"] == PAKSE
    page.locator(".st-key-laovn-lang").get_by_text("Tiếng Việt", exact=True).click()
    page.wait_for_function(
        """(sel) => document.querySelector(sel).contentWindow.laovn.lang === "vi" """,
        arg=IFRAME, polling=100, timeout=30_000)
    after = _state(_frame(page))
    assert _frame(page).evaluate("() => window.laovnMark") == 1  # not redrawn
    for key in ("lat", "lon", "zoom", "sel", "off"):
        assert after[key] == before[key], key
    assert after["listed"] == before["listed"] and after["unticked"] == [
        layer_label("embassies", "vi")]  # still listed, unticked, in Vietnamese
    assert after["popup"] and after["popup"] != before["popup"]  # open, in Vietnamese
    assert "embassies" not in after["legend"]
    _expect()(page).to_have_url(re.compile(r"lang=vi"))
    assert _params(page)["sel"] == PAKSE and "embassies" in _params(page)["off"]
    # the period switch redraws Vietnam's provinces only
    page.locator('[data-testid="stSidebar"]').get_by_text(t("period.2025", "vi")).click()
    page.wait_for_function(
        """(sel) => document.querySelector(sel).contentWindow.laovn.period === "2025" """,
        arg=IFRAME, polling=100, timeout=30_000)
    frame = _frame(page)
    assert frame.evaluate("() => window.laovnMark") == 1
    later = _state(frame)
    for key in ("lat", "lon", "zoom", "off", "sel"):
        assert later[key] == before[key], key
    assert frame.locator("path.laovn-provinces_vn").count() == len(
        layers.features("provinces_vn_2025"))
    _expect()(page).to_have_url(re.compile(r"since2025=true"))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_search_finds_a_feature_by_any_of_its_names(new_page: Callable[..., Any], server: Any,
                                                    lang: str) -> None:
    layers = load_layers(server.geo_dir)
    pakse = next(f["properties"] for f in layers.features("missions")
                 if f["properties"]["city"] == "Pakse")
    hcmc = next(f["properties"]["id"] for f in layers.features("missions")
                if f["properties"]["city"] == "Ho Chi Minh City")
    houaphanh = next(f["properties"] for f in layers.features("provinces_la")
                     if f["properties"]["name_en"].startswith("Houaphanh"))
    queries: list[tuple[str, str]] = [
        ("pakse", pakse["id"]), ("ho chi minh", hcmc), ("HO CHI MINH", hcmc),
        ("houaphan", houaphanh["id"])]
    #: one letter off: found all the same, and what Enter selects is named Savannakhet
    savannakhet = {f["properties"]["id"] for name in ("provinces_la", "missions")
                   for f in layers.features(name)
                   if "Savannakhet" in str(f["properties"].get("name_en") or
                                           f["properties"].get("city") or "")}
    assert savannakhet
    # every script the data has: the text's Vietnamese form, without its marks and spaces
    # too, and the Lao script (the real layers have all of them)
    if houaphanh.get("name_seed"):
        queries += [(houaphanh["name_seed"], houaphanh["id"]),
                    (anyascii(houaphanh["name_seed"]).replace("-", " "), houaphanh["id"])]
    if pakse.get("city_lo"):
        queries.append((pakse["city_lo"], pakse["id"]))
    if server.geo_dir == REAL:
        assert ("Hủa-phăn", houaphanh["id"]) in queries and ("ປາກເຊ", pakse["id"]) in queries
    page = new_page()
    sent = _sent(page)
    frame = _ready(page, f"{server.url}?lang={lang}", lang)
    box = frame.locator("#laovn-search-input")
    assert frame.locator("label[for=laovn-search-input]").text_content() == t("search", lang)
    page.wait_for_timeout(300)
    quiet = len(sent)
    box.fill("savanakhet")
    _expect()(frame.locator(".laovn-search-result").first).to_be_visible()
    box.press("Enter")
    _wait_params(page, lambda p: p.get("sel") in savannakhet)
    for query, expected in queries:
        box.fill(query)
        _expect()(frame.locator(".laovn-search-result").first).to_be_visible()
        box.press("Enter")
        state = _state(frame)
        assert state["sel"] == expected, query
        assert state["popup"], query
        assert frame.evaluate("(id) => window.laovn.map.getBounds().contains("
                              "window.laovn.byId.get(id).getLatLng ? window.laovn.byId.get(id)"
                              ".getLatLng() : window.laovn.byId.get(id).getBounds().getCenter())",
                              expected), query
        _wait_params(page, lambda p, e=expected: p.get("sel") == e)  # type: ignore[misc]
    box.fill("zzzzqqq")
    _expect()(frame.locator(".laovn-search-results")).to_be_hidden()
    page.wait_for_timeout(300)
    assert len(sent) == quiet  # searching, selecting and zooming send nothing to the server


def test_a_table_row_selects_its_feature(new_page: Callable[..., Any], server: Any) -> None:
    page = new_page()
    layers = load_layers(server.geo_dir)
    first = layers.features("missions")[0]["properties"]["id"]
    frame = _ready(page, server.url)
    frame.evaluate("() => { window.laovnMark = 1; }")
    page.get_by_text("Diplomatic missions", exact=True).click()
    table = page.locator('[data-testid="stDataFrame"]')
    _expect()(table).to_be_visible()
    # the run that opened the section has ended and the grid has its rows: a click before
    # that may land on a grid the run is still replacing, and be lost
    _expect()(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
              ).to_be_attached()
    _expect()(table.locator("[role=row]").nth(1)).to_be_attached()
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    # the row's selection box: first column, below the 35 px header row
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    page.wait_for_function(
        """([sel, id]) => document.querySelector(sel).contentWindow.laovn.sel === id""",
        arg=[IFRAME, first], polling=100, timeout=30_000)
    state = _state(_frame(page))
    assert state["popup"] and state["selection"]
    assert _frame(page).evaluate("() => window.laovnMark") == 1
    _wait_params(page, lambda p: p.get("sel") == first)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_keyboard_reaches_and_selects_features_with_their_names(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}", lang)
    # every shape the keyboard reaches is a named button; one of them is in the Tab order
    names = frame.evaluate("""() => [...document.querySelectorAll('path[role=button]')]
        .map((p) => [p.getAttribute('aria-label') || '', p.getAttribute('tabindex')])""")
    assert names and all(name for name, _ in names)
    assert [tab for _, tab in names].count("0") == 1
    assert any(name.startswith(t("consulate", lang)) for name, _ in names)
    assert frame.locator("path.laovn-country[role=button], path.laovn-country[tabindex]"
                         ).count() == 0
    # from the map, Tab reaches the search, the first marker and the layer control
    frame.locator(".leaflet-container").focus()
    reached: dict[str, int] = {}
    for n in range(1, 11):
        page.keyboard.press("Tab")
        what = frame.evaluate("""() => { const e = document.activeElement;
            if (e.id === 'laovn-search-input') return 'search';
            if (e.classList.contains('laovn-layers-toggle')) return 'layers';
            if (e.matches('path.laovn-missions')) return 'marker';
            return e.tagName; }""")
        reached.setdefault(what, n)
    assert {"search", "layers", "marker"} <= set(reached), reached
    # Enter on the marker selects it as a click does; the arrows walk on without panning
    frame.locator("path.laovn-missions[tabindex='0']").focus()
    page.keyboard.press("Enter")
    state = _state(frame)
    assert state["sel"] and state["popup"] and state["selection"]
    first = state["sel"]
    page.keyboard.press("ArrowDown")
    assert frame.evaluate("() => document.activeElement.laovnShape.laovnId") != first
    page.keyboard.press(" ")
    state = _state(frame)
    assert state["sel"] != first and state["popup"]
    frame.evaluate("() => window.laovn.map.closePopup()")
    centre = _still(frame)  # the popup's pan into view is animated
    page.keyboard.press("ArrowUp")
    assert frame.evaluate("() => document.activeElement.laovnShape.laovnId") != state["sel"]
    assert _still(frame) == centre  # walked, not panned


def test_copy_link_and_reset_view(new_page: Callable[..., Any], server: Any) -> None:
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    frame = _ready(page, server.url)
    home = _state(frame)
    frame.evaluate("() => window.laovn.map.setView([18.5, 104.5], 8, {animate: false})")
    _wait_params(page, lambda p: p.get("view") == "18.5,104.5,8")
    frame.locator(".laovn-copy").click()
    _expect()(frame.locator(".laovn-copied")).to_have_text(t("link.copied", "en"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "view=18.5,104.5,8" in copied
    frame.locator(".laovn-reset").click()
    # back to the default view, as a fresh page settles on it (within a pixel)
    fresh = _ready(new_page(), server.url)
    fresh.page.wait_for_timeout(1500)
    default, state = _state(fresh), _state(frame)
    assert state["zoom"] == default["zoom"] == home["zoom"]
    assert (state["lat"], state["lon"]) == pytest.approx((default["lat"], default["lon"]),
                                                         abs=0.01)
    _wait_params(page, lambda p: "view" not in p)


def test_a_phone_folds_the_controls_and_one_finger_scrolls_the_page(
        new_page: Callable[..., Any], server: Any) -> None:
    page = new_page(**PHONE)
    frame = _ready(page, server.url)
    assert frame.evaluate("() => window.laovn.map.getSize().x") < FOLD_BELOW_PX
    layers_button = frame.locator(".laovn-layers-toggle")
    _expect()(layers_button).to_have_attribute("aria-expanded", "false")
    _expect()(frame.locator(".leaflet-control-layers-list")).to_be_hidden()
    _expect()(frame.locator(".laovn-legend-toggle")).to_have_attribute("aria-expanded", "false")
    # what the folded controls still cover of the map
    covered = frame.evaluate("""() => {
        const map = window.laovn.map.getContainer().getBoundingClientRect();
        const area = (el) => { const r = el.getBoundingClientRect(); return r.width * r.height; };
        return (area(document.querySelector('.leaflet-control-layers')) +
                area(document.querySelector('.laovn-legend'))) / (map.width * map.height); }""")
    assert covered < 0.05, covered
    layers_button.tap()
    _expect()(frame.locator(".leaflet-control-layers-list")).to_be_visible()
    layers_button.tap()
    # one finger over the map scrolls the page and leaves the map where it was
    before = _state(frame)
    box = page.locator(IFRAME).bounding_box()
    cdp = page.context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + 0.75 * box["height"]
    scrolled = page.evaluate(SCROLLED)
    _swipe(page, cdp, [(x, y)], 0, -220)
    after = _state(frame)
    assert (after["lat"], after["lon"]) == (before["lat"], before["lon"])
    assert page.evaluate(SCROLLED) > scrolled + 100
    # two fingers move the map
    box = page.locator(IFRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, max(box["y"], 0) + 200
    _swipe(page, cdp, [(x - 40, y), (x + 40, y)], 0, 120)
    moved = _state(frame)
    assert moved["lat"] > after["lat"] + 0.1, (after, moved)


#: How far the page is scrolled (Streamlit scrolls its main element, not the window).
SCROLLED = """() => (document.querySelector('[data-testid="stMain"]') ||
                    document.scrollingElement).scrollTop"""


def _swipe(page: Any, cdp: Any, fingers: list[tuple[float, float]], dx: float, dy: float,
           steps: int = 12) -> None:
    """Touch the screen with `fingers` and move them all by (dx, dy) px, as a hand does."""
    def points(share: float) -> list[dict[str, float]]:
        return [{"x": x + dx * share, "y": y + dy * share, "id": i}
                for i, (x, y) in enumerate(fingers)]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for step in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                              "touchPoints": points(step / steps)})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)


#: Resolves once the map has not moved for 300 ms (Leaflet's movestart/moveend).
STILL_MAP = """() => new Promise((resolve) => {
    const map = window.laovn.map;
    let timer = setTimeout(resolve, 300);
    map.on("movestart", () => clearTimeout(timer));
    map.on("moveend", () => { clearTimeout(timer); timer = setTimeout(resolve, 300); });
})"""


@pytest.mark.parametrize("section", [None, "downloads"], ids=["closed", "downloads-open"])
def test_toggles_and_pan_zoom_send_nothing(new_page: Callable[..., Any], server: Any,
                                           section: str | None) -> None:
    """Also with the downloads section open: its export buttons read the map's state from the
    address when pressed, and listen to nothing before."""
    page = new_page()
    sent = _sent(page)
    frame = _ready(page, server.url)
    idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    if section:
        page.get_by_text(t(section, "en"), exact=True).click()
        _expect()(page.get_by_role("group", name=t("downloads.shown", "en"))
                  .get_by_role("button")).to_have_count(len(formats.FORMATS))
    # the run the map's one value (or the section's click) started has ended: what the page
    # sends from now on is ours
    _expect()(idle).to_be_attached()
    quiet = len(sent)
    box = frame.locator(".leaflet-control-layers-overlays label",
                        has_text=layer_label("consulates", "en")).locator("input")
    box.uncheck()
    box.check()
    frame.locator(".leaflet-control-zoom-in").click()
    frame.evaluate("() => window.laovn.map.setView([18, 104], 9)")
    frame.evaluate(f"() => window.laovn.map.setView(window.laovn.byId.get({PAKSE!r}).getLatLng(), 8)")
    # a click on a marker (dispatched: on a busy machine a label or the popup of a slow
    # frame can lie over it; Leaflet's handlers run the same)
    frame.locator(f"path.laovn-id-{PAKSE}").dispatch_event("click")
    _expect()(frame.locator(".leaflet-popup-content")).to_be_visible()
    # The one way the map could still send is streamlit-folium's own value, which its frontend
    # sends `harness.STFOLIUM_DEBOUNCE_MS` after a move or a click; the pan the popup makes is
    # the last move. So: wait for the map to be still, then twice that debounce.
    frame.evaluate(STILL_MAP)
    page.wait_for_timeout(2 * harness.STFOLIUM_DEBOUNCE_MS)
    assert len(sent) == quiet
