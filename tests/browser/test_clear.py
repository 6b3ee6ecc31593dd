"""What a click or a tap opens is readable and tappable where the reader opened it: the first
view of a 1440×900 desktop and of a 390×844 touch phone, in English and in Lao, each feature
clicked at the pixel where it is drawn (found by what the browser draws there), as the reader
of the Lao review did (its items 1 and 2).

The popup, or the "several features here" list, lies inside the map and meets none of the
map's controls, its title shows, each entry of the list shows and, tapped, opens its
feature's popup, clear as well; the selection panel then names the feature whole, under no
control. (tests/browser/test_clicks.py centres each feature first: these click it where the
first view has it, near the top of a map that cannot pan further north.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from laovn_map.page.browserdata import _css_id
from tests.harness import MAP_IFRAME

from ..conftest import REAL
from .test_map import DESKTOP, PHONE
from .test_page import _wait_until_still
from .test_state import _frame, _ready

pytestmark = pytest.mark.browser

#: The features the reader clicked, and how each is drawn (a line is hit on its stroke).
CASES = [("VN-71", "area"), ("LA-HO", "area"), ("border", "line"),
         ("la-embassy-hanoi", "point"), ("vi-015-0-ne-LAO-3288", "point"),
         ("vn-embassy-vientiane", "point"), ("water-000", "area"),
         ("la-consulate-da-nang", "point")]

#: The pixel (in the map's frame) where a feature's own shape is what the browser draws, the
#: one with the most of the same shape around it (a finger lands there): the reader's way.
DRAWN_AT_JS = """([id, kind]) => {
    const el = document.querySelector('path.laovn-id-' + id);
    if (!el) { return null; }
    const r = el.getBoundingClientRect(), w = innerWidth, h = innerHeight;
    const x0 = Math.max(0, r.left), x1 = Math.min(w, r.right);
    const y0 = Math.max(0, r.top), y1 = Math.min(h, r.bottom);
    const step = Math.max(1, Math.min(3, Math.floor(Math.min(x1 - x0, y1 - y0) / 20) || 1));
    const hits = [];
    for (let x = x0 + 1; x < x1; x += step) {
        for (let y = y0 + 1; y < y1; y += step) {
            if (document.elementFromPoint(x, y) === el) { hits.push([x, y]); }
        }
    }
    const ring = kind === 'line' ? 4 : 14;
    let best = null, score = -1;
    const sample = hits.filter((_, i) => i % Math.ceil(hits.length / 400) === 0);
    for (const [x, y] of sample) {
        let s = 0;
        for (let a = 0; a < 16; a++) {
            const e = document.elementFromPoint(x + ring * Math.cos(a * Math.PI / 8),
                                                y + ring * Math.sin(a * Math.PI / 8));
            if (e === el) { s++; }
        }
        if (s > score) { score = s; best = [x, y]; }
    }
    return best;
}"""

#: What is open now: the popup's frame and tip (boxes in the frame's px), the map's box, the
#: controls it meets, whether its title and each list entry are what the browser draws at
#: their middle, and the selection panel's name and the controls it meets.
OPEN_JS = """() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const meets = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    const shown = (e) => { const r = e.getBoundingClientRect();
        const at = document.elementFromPoint(r.left + Math.min(8, r.width / 2), r.top + r.height / 2);
        return Boolean(at && e.contains(at)); };
    const controls = [...document.querySelectorAll('.leaflet-control')]
        .filter((c) => c.getClientRects().length);
    const popup = document.querySelector('.leaflet-popup');
    if (!popup) { return null; }
    const parts = [popup.querySelector('.leaflet-popup-content-wrapper'),
                   popup.querySelector('.leaflet-popup-tip')].map(box);
    const title = popup.querySelector('.laovn-title, .laovn-chooser-title');
    const panel = document.querySelector('.laovn-selection');
    const name = panel && !panel.hidden ? panel.querySelector('.laovn-selection-name') : null;
    return {
        map: box(document.querySelector('.leaflet-container')), parts: parts,
        under: controls.filter((c) => parts.some((p) => meets(p, box(c))))
            .map((c) => c.className.split(' ')[0] + ' ' + box(c).map(Math.round)),
        title: title ? title.textContent : null, titleShown: Boolean(title && shown(title)),
        chooser: Boolean(popup.querySelector('.laovn-chooser')),
        entries: [...popup.querySelectorAll('button.laovn-chooser-item')]
            .map((b) => [b.dataset.id, shown(b)]),
        panel: name ? {name: name.textContent, whole: name.scrollWidth <= name.clientWidth + 1 &&
                                                      name.scrollHeight <= name.clientHeight + 1,
                       shown: shown(name),
                       under: controls.filter((c) => c !== panel && !c.contains(panel) &&
                                                     meets(box(panel), box(c)))
                           .map((c) => c.className)} : null,
    };
}"""


#: Whether the newest popup's frame has kept its box over the last three readings.
STILL_JS = """() => {
    const popups = document.querySelectorAll('.leaflet-popup-content-wrapper');
    const now = popups.length ? JSON.stringify(popups[popups.length - 1].getBoundingClientRect()) : '';
    const seen = window.laovnTestSeen = (window.laovnTestSeen || []).concat([now]).slice(-3);
    return seen.length === 3 && seen.every((s) => s === now);
}"""


def _settled(page: Any) -> dict[str, Any]:
    """What is open once the popup and the map stand still (a pan may be under way)."""
    frame = _frame(page)
    frame.wait_for_selector(".leaflet-popup-content", timeout=5_000)
    # the map may pan the popup into its place, a frame after it opens: still for 300 ms
    frame.wait_for_function(STILL_JS, polling=100, timeout=10_000)
    state: dict[str, Any] = frame.evaluate(OPEN_JS)
    assert state, "nothing opened"
    return state


def _press(page: Any, x: float, y: float, tap: bool) -> None:
    (page.touchscreen.tap if tap else page.mouse.click)(x, y)


def _unclear(state: dict[str, Any], what: str) -> list[str]:
    """What is wrong with what is open: outside the map, under a control, its title hidden."""
    left, top, right, bottom = state["map"]
    wrong = [f"{what}: outside the map {[round(v) for v in part]}" for part in state["parts"]
             if not (left - 1 <= part[0] and part[2] <= right + 1 and
                     top - 1 <= part[1] and part[3] <= bottom + 1)]
    if state["under"]:
        wrong.append(f"{what}: under {state['under']}")
    if not state["titleShown"]:
        wrong.append(f"{what}: its title is hidden")
    return wrong


def _open_one(page: Any, frame: Any, fid: str, kind: str, tap: bool) -> list[str]:
    """Click (tap) `fid` where the first view draws it, choose it (or the first entry) where a
    list opens, as the reader did; what is wrong on the way."""
    _wait_until_still(page, MAP_IFRAME)
    at = frame.evaluate(DRAWN_AT_JS, [_css_id(fid), kind])
    assert at, f"{fid} is not drawn on the first view"
    corner = page.locator(MAP_IFRAME).first.bounding_box()
    assert corner
    _press(page, corner["x"] + at[0], corner["y"] + at[1], tap)
    state = _settled(page)
    wrong = _unclear(state, fid)
    chosen = fid
    if state["chooser"]:
        wrong += [f"{fid}: the list's entry {entry} is hidden"
                  for entry, seen in state["entries"] if not seen]
        ids = [entry for entry, _seen in state["entries"]]
        chosen = fid if fid in ids else ids[0]
        box = frame.locator(f'button.laovn-chooser-item[data-id="{chosen}"]').bounding_box()
        assert box
        _press(page, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, tap)
        try:
            page.wait_for_function(
                "(fid) => new URLSearchParams(location.search).get('sel') === fid",
                arg=chosen, polling=100, timeout=5_000)
            frame.wait_for_selector(".laovn-chooser", state="detached", timeout=5_000)
        except Exception:  # playwright's TimeoutError
            return [*wrong, f"{fid}: tapping the entry {chosen} opened nothing"]
        state = _settled(page)
        wrong += _unclear(state, f"{fid} → {chosen}")
    panel = state["panel"]
    if not panel:
        return [*wrong, f"{chosen}: no selection panel"]
    if not (panel["whole"] and panel["shown"]):
        wrong.append(f"{chosen}: the selection panel's name is cut or covered: {panel['name']}")
    if panel["under"]:
        wrong.append(f"{chosen}: the selection panel is under {panel['under']}")
    return wrong


@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
@pytest.mark.parametrize("lang", ["en", "lo"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_what_a_click_opens_on_the_first_view_is_clear_of_the_controls_and_inside_the_map(
        new_page: Callable[..., Any], server: Any, device: str, lang: str) -> None:
    tap = device == "phone"
    page = new_page(**(PHONE if tap else DESKTOP))
    wrong: list[str] = []
    for fid, kind in CASES:
        frame = _ready(page, server.url + f"?lang={lang}", lang)  # the first view, each time
        wrong += _open_one(page, frame, fid, kind, tap)
    assert not wrong, "\n".join(wrong)
