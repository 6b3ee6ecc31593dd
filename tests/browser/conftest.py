"""Fixtures for the browser tests: the app in a subprocess, and headless Chromium.

The app is started with `streamlit run app.py` on a free localhost port and the tests wait for
`/_stcore/health`. Chromium is the system one (`LAOVN_CHROMIUM`, default /usr/bin/chromium);
when it is missing the tests are skipped, or fail when CI=true.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "layers"
# the built layers: geo/, or another build named by LAOVN_TEST_REAL_GEO
REAL = Path(os.environ.get("LAOVN_TEST_REAL_GEO") or ROOT / "geo")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
START_TIMEOUT_S = 30.0


def _chromium() -> str | None:
    wanted = os.environ.get("LAOVN_CHROMIUM", "/usr/bin/chromium")
    return wanted if Path(wanted).exists() else shutil.which("chromium")


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this is an error)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    geo_dir: Path
    proc: subprocess.Popen[bytes] = field(repr=False)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.1)  # the poll interval, not a wait for readiness
    pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S:.0f} s:\n{log.read_text()[-3000:]}")


def _geo_params() -> list[object]:
    params: list[object] = [pytest.param(FIXTURE, id="fixture")]
    if (REAL / "manifest.json").exists():
        params.append(pytest.param(REAL, id="geo"))
    return params


@pytest.fixture(scope="module", params=_geo_params())
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Server]:
    geo_dir: Path = request.param
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {**os.environ, "LAOVN_GEO_DIR": str(geo_dir), "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           f"--server.port={port}", "--server.address=127.0.0.1", "--server.headless=true",
           "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, proc, log)
        yield Server(url=url, geo_dir=geo_dir, proc=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class Guard:
    """Requests that tried to leave localhost, and JS dialogs (an alert means injection)."""

    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    if executable is None:
        _missing("Chromium not found (set LAOVN_CHROMIUM or install Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def guard() -> Guard:
    """What the pages of one layer set tried: shared so the last test can check them all."""
    return Guard()


@pytest.fixture
def guarded_page(browser: object, server: Server,
                 guard: Guard) -> Iterator[tuple[object, Guard, Server]]:
    """A fresh browser context and page per test (no state carried over), every
    non-localhost request blocked and recorded in the module's guard."""
    from playwright.sync_api import Browser, Route, expect

    assert isinstance(browser, Browser)
    expect.set_options(timeout=20_000)  # the first load of the real layers takes a few seconds
    context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                  accept_downloads=True, service_workers="block")

    def only_localhost(route: Route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            guard.blocked.append(url)
            route.abort()

    context.route("**/*", only_localhost)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda d: (guard.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: guard.page_errors.append(str(e)))
    try:
        yield page, guard, server
    finally:
        context.close()
