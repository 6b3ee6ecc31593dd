"""The harness's Chromium and routing as they behave in the real browser: a new context opens
only the test's page, and whatever leaves localhost is stopped and recorded while the app's
own requests never wait for Python."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests import harness

from .conftest import Guard

pytestmark = pytest.mark.browser


def test_a_new_context_opens_no_page_but_the_tests(browser: Any,
                                                   new_page: Callable[..., Any]) -> None:
    """Headless Chromium 156 opens the omnibox popup's two WebUI pages with every context (a
    renderer of their own, ~1.5 CPU s per load) unless the harness's flags turn them off."""
    page = new_page()
    page.goto("about:blank")
    session = browser.new_browser_cdp_session()
    try:
        targets = session.send("Target.getTargets")["targetInfos"]
    finally:
        session.detach()
    assert [t["url"] for t in targets if t["type"] != "page"] == []


def test_requests_off_localhost_are_stopped_and_recorded(new_page: Callable[..., Any],
                                                         guard: Guard) -> None:
    page = new_page()
    outside = ["https://example.com/a.png", "http://10.0.0.1/b.png",
               "http://127.0.0.1.example.com/c.png"]
    before = len(guard.blocked)
    page.set_content("".join(f"<img src='{url}'>" for url in outside))
    page.wait_for_function("() => [...document.images].every((i) => i.complete)")
    assert sorted(guard.blocked[before:]) == sorted(outside)
    assert page.evaluate("() => [...document.images].map((i) => i.naturalWidth)") == [0, 0, 0]


def test_the_apps_requests_go_through_without_a_round_trip_to_python(
        new_page: Callable[..., Any], server: harness.AppServer) -> None:
    """Local URLs do not match the route pattern, so Playwright's driver lets them on without
    calling the handler: a handler that records each call is never asked."""
    page = new_page()
    asked: list[str] = []

    def record(route: Any) -> None:
        asked.append(route.request.url)
        route.fallback()

    page.route(harness.NOT_LOCAL, record)
    response = page.goto(f"{server.url}_stcore/health")
    assert response is not None and response.ok and response.text() == "ok"
    assert asked == []
