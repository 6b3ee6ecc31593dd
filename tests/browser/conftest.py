"""Fixtures for the browser tests: the app in a subprocess, and headless Chromium.

Both come from `tests.harness`, as for bench/: `streamlit run app.py` on a free localhost
port, ready once `/_stcore/health` answers; the system Chromium (`LAOVN_CHROMIUM`, default
/usr/bin/chromium), offline, every non-localhost request blocked and recorded. When Chromium or
Playwright is missing the tests are skipped, or fail when CI=true.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests import harness

from ..conftest import APP, FIXTURE, REAL, ROOT


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this is an error)")
    pytest.skip(reason)


def _geo_params() -> list[object]:
    params: list[object] = [pytest.param(FIXTURE, id="fixture")]
    if (REAL / "manifest.json").exists():
        params.append(pytest.param(REAL, id="geo"))
    return params


@pytest.fixture(scope="module", params=_geo_params())
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[harness.AppServer]:
    yield from serve(request.param, tmp_path_factory)


def serve(geo_dir: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[harness.AppServer]:
    """The app on `geo_dir`, its log kept in a temporary folder, for a module's fixture."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    app = harness.AppServer(APP, geo_dir, cwd=ROOT, log=log)
    try:
        app.start()
    except harness.HarnessError as exc:
        pytest.fail(str(exc))
    try:
        yield app
    finally:
        app.stop()


@dataclass
class Guard:
    """Requests that tried to leave localhost, and JS dialogs (an alert means injection)."""

    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        options = harness.launch_options()
    except harness.HarnessError as exc:
        _missing(str(exc))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**options)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def guard() -> Guard:
    """What the pages of one layer set tried: shared so the last test can check them all."""
    return Guard()


@pytest.fixture
def new_page(browser: object, guard: Guard) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (no state carried over): `new_page(**options)`
    takes Playwright's context options over the shared ones (a phone's viewport, say). Every
    non-localhost request is blocked and recorded in the module's guard."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    expect.set_options(timeout=20_000)  # the first load of the real layers takes a few seconds
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = browser.new_context(**{**harness.context_options(), **options})
        contexts.append(context)
        context.route(harness.NOT_LOCAL, harness.LocalOnly(guard.blocked))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda d: (guard.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: guard.page_errors.append(str(e)))
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def guarded_page(new_page: Callable[..., Any], server: harness.AppServer,
                 guard: Guard) -> tuple[object, Guard, harness.AppServer]:
    """A page at the shared viewport, its module's guard and the server."""
    return new_page(accept_downloads=True), guard, server
