"""The story in headless Chromium: every statement of the texts opens by `?event=` and by a row
of the events table, and Previous, Next (buttons and arrow keys) and play step through them in
date order, the address following, a live region saying each step, in English and Vietnamese.
Run on the real build: the statements and the rule table's features are the real texts'."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from laovn_map.catalog import LAYER_FILES
from laovn_map.i18n import t
from laovn_map.page import browserdata
from tests import harness

from ..conftest import REAL
from .conftest import serve
from .test_page import _expect
from .test_state import _frame, _params, _ready

pytestmark = pytest.mark.browser

#: Where the screenshots of the story go, for a person to look at.
SHOTS = Path("/tmp/story23")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.AppServer]:
    """The page on the real build only: the hand-made fixture build has no statements."""
    if not (REAL / "manifest.json").exists():
        pytest.fail(f"no build in {REAL}: run laovn-map build")
    yield from serve(REAL, tmp_path_factory)


def _statements(lang: str) -> dict[str, dict[str, Any]]:
    manifest = json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))
    points = json.loads((REAL / LAYER_FILES["events"]).read_text(encoding="utf-8"))
    said = browserdata.story_statements(manifest["figures"]["events"], lang,
                                        browserdata.event_points(points))
    return {s["id"]: s for s in said}


def _order(lang: str) -> list[str]:
    return list(_statements(lang))


def _event_becomes(page: Any, event_id: str) -> None:
    _expect()(page).to_have_url(re.compile(rf"[?&]event={re.escape(event_id)}(&|$)"))


def _marked(frame: Any) -> list[str]:
    ids: list[str] = frame.evaluate("""() => [...window.laovn.byId.entries()]
        .filter(([, s]) => s.getElement && s.getElement() &&
                s.getElement().classList.contains('laovn-story-place'))
        .map(([id]) => id).sort()""")
    return ids


def _panel(frame: Any) -> Any:
    return frame.locator(".laovn-story")


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_statement_about_the_border_opens_with_the_border_selected(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    said = _statements(lang)["vi-022-0"]  # the 1986 protocol on the border and its markers
    assert said["features"] == ["border"] and said["places"] == []
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}&event=vi-022-0", lang)
    panel = _panel(frame)
    _expect()(panel.locator(".laovn-story-body")).to_be_visible()
    # the date as the Vietnamese text writes it; on another language's page, its own first
    written = "Ngày 24 tháng 1 năm 1986"
    when = written if lang == "vi" else f"{said['date']} ({written})"
    _expect()(panel.locator(".laovn-story-when")).to_have_text(f"{when} · {said['language']}")
    _expect()(panel.locator(".laovn-story-said")).to_have_text(said["quote"])
    assert panel.locator(".laovn-story-said").get_attribute("lang") == "vi"
    _expect()(panel.locator(".laovn-story-where")).to_contain_text("statement_features.csv:2")
    assert _marked(frame) == ["border"]
    # the border is in view, and the address keeps the statement
    assert frame.evaluate("""() => window.laovn.map.getBounds()
        .intersects(window.laovn.byId.get('border').getBounds())""")
    assert _params(page)["event"] == "vi-022-0"
    _shot(page, f"border-{lang}")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_regroupment_selects_its_two_provinces_and_its_points(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    said = _statements(lang)["vi-015-0"]
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}&event=vi-015-0", lang)
    _expect()(_panel(frame).locator(".laovn-story-where")).to_contain_text(
        "statement_features.csv:4")
    assert _marked(frame) == sorted([*said["places"], "LA-HO", "LA-PH"])
    inside = frame.evaluate("""(ids) => ids.map((id) => {
        const s = window.laovn.byId.get(id), b = window.laovn.map.getBounds();
        return s.getLatLng ? b.contains(s.getLatLng()) : b.intersects(s.getBounds()); })""",
        [*said["places"], "LA-HO", "LA-PH"])
    assert all(inside)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_statement_without_a_place_says_so_and_gives_the_other_texts_statement(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    said = _statements(lang)["en-029-0"]  # the 1977 treaty, linked to the Vietnamese text
    assert said["places"] == [] and said["features"] == [] and said["link"]
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}&event=en-029-0", lang)
    panel = _panel(frame)
    _expect()(panel.locator(".laovn-story-said")).to_have_text(said["quote"])
    _expect()(panel.locator(".laovn-story-where")).to_have_text(t("story.noplace", lang))
    other = panel.locator(".laovn-story-other")
    _expect()(other).to_contain_text(said["link"]["written"])
    _expect()(other.locator("q")).to_have_text(said["link"]["quote"])
    assert "vi-019-0" not in other.inner_text()  # its words, not its id
    assert _marked(frame) == []
    _shot(page, f"noplace-{lang}")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_bad_event_is_ignored_and_leaves_the_address(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}&event=constructor", lang)
    page.wait_for_function("() => !location.search.includes('event=')", timeout=10_000)
    _expect()(_panel(frame).locator(".laovn-story-body")).to_be_hidden()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_row_of_the_events_table_opens_its_statement(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    order = _order(lang)
    first = _statements(lang)[order[0]]
    assert first["places"] == [] and first["features"] == []  # a row that did nothing before
    page = new_page()
    _ready(page, f"{server.url}?lang={lang}", lang)
    page.get_by_text(t("table.events", lang), exact=True).click()
    table = page.locator('[data-testid="stDataFrame"]')
    # the grid draws its rows once it has them all (header included)
    _expect()(table.locator("table[role=grid]")).to_have_attribute(
        "aria-rowcount", str(len(order) + 1), timeout=20_000)
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    _expect()(page).to_have_url(re.compile(rf"[?&]event={order[0]}(&|$)"), timeout=30_000)
    frame = _frame(page)
    _expect()(_panel(frame).locator(".laovn-story-said")).to_have_text(first["quote"])
    _expect()(_panel(frame).locator(".laovn-story-where")).to_have_text(t("story.noplace", lang))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_previous_and_next_step_in_date_order_with_buttons_and_arrow_keys(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    order, said = _order(lang), _statements(lang)
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}", lang)
    panel = _panel(frame)
    # folded to its button at first; opened, it shows the first statement
    _expect()(panel.locator(".laovn-story-body")).to_be_hidden()
    toggle = frame.get_by_role("button", name=t("story.open", lang), exact=True)
    _expect()(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    _expect()(toggle).to_have_attribute("aria-expanded", "true")
    _event_becomes(page, order[0])
    live = panel.locator("[role=status][aria-live=polite]")
    count = t("story.count", lang)
    total = len(order)

    def heard(i: int) -> str:
        s = said[order[i]]
        where = count.format(n=i + 1, total=total)
        when = s["written"] if s["code"] == lang else f"{s['date']} ({s['written']})"
        return f"{where}: {when} ({s['language']}): {s['quote']}"

    _expect()(live).to_have_text(heard(0))
    _expect()(panel.locator(".laovn-story-prev")).to_be_disabled()
    panel.locator(".laovn-story-next").click()
    _event_becomes(page, order[1])
    _expect()(live).to_have_text(heard(1))
    _expect()(panel.locator(".laovn-story-count")).to_have_text(count.format(n=2, total=total))
    # the arrow keys, where the keyboard is (on the panel's buttons)
    page.keyboard.press("ArrowRight")
    _event_becomes(page, order[2])
    page.keyboard.press("ArrowRight")
    _event_becomes(page, order[3])
    page.keyboard.press("ArrowLeft")
    _event_becomes(page, order[2])
    _expect()(live).to_have_text(heard(2))
    panel.locator(".laovn-story-prev").click()
    _event_becomes(page, order[1])
    _shot(page, f"step-{lang}")
    # the last statement: Next is off
    frame = _ready(page, f"{server.url}?lang={lang}&event={order[-1]}", lang)
    _expect()(_panel(frame).locator(".laovn-story-next")).to_be_disabled()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_play_advances_on_its_own_and_pause_stops_it(
        new_page: Callable[..., Any], server: Any, lang: str) -> None:
    order = _order(lang)
    page = new_page()
    frame = _ready(page, f"{server.url}?lang={lang}&event={order[5]}", lang)
    play = _panel(frame).locator(".laovn-story-play")
    _expect()(play).to_have_attribute("aria-pressed", "false")
    _expect()(play).to_contain_text(t("story.play", lang))
    play.click()
    _expect()(play).to_have_attribute("aria-pressed", "true")
    _expect()(play).to_contain_text(t("story.pause", lang))
    _event_becomes(page, order[6])
    _event_becomes(page, order[7])
    play.click()
    _expect()(play).to_have_attribute("aria-pressed", "false")
    paused = _params(page)["event"]
    page.wait_for_timeout(6_000)  # longer than a played step: nothing moves while paused
    assert _params(page)["event"] == paused
