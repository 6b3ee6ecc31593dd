"""The start command warms the page: before any visit, the first visit's values are kept.

The server is started as `python3 dev.py app` starts it (`laovn_map.page.serve`); its log says
each value `component.kept` works out (the probe) and when the warm-up's run has finished.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from laovn_map.i18n import DEFAULT_LANG, t
from laovn_map.page.component import WORKED_OUT
from laovn_map.page.serve import NOT_WARMED, WARMED
from tests import harness

from ..conftest import APP, FIXTURE, ROOT

pytestmark = pytest.mark.browser

#: How long the warm-up may take on a busy machine before the test gives up waiting (a bound on
#: a wait, not a measure: nothing is asserted about how long it took).
WARM_WAIT_S = 120.0


def _worked_out(log: str) -> list[str]:
    """The kept functions whose values the log says were worked out, in order."""
    return re.findall(re.escape(WORKED_OUT) + r" (\w+)", log)


def _wait_for_line(log: Path, lines: tuple[str, ...]) -> str:
    deadline = time.monotonic() + WARM_WAIT_S
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if any(line in text for line in lines):
            return text
        time.sleep(0.1)
    pytest.fail(f"none of {lines} in the server's log within {WARM_WAIT_S:.0f} s:\n{text[-2000:]}")


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Callable[[Path], harness.AppServer]]:
    """Start the page as `dev.py app` does, on the given layers; stopped after the test."""
    servers: list[harness.AppServer] = []

    def start(geo_dir: Path) -> harness.AppServer:
        server = harness.AppServer(APP, geo_dir, cwd=ROOT, log=tmp_path / f"{geo_dir.name}.log",
                                   launcher=harness.STARTER)
        servers.append(server)
        try:
            server.start()
        except harness.HarnessError as exc:
            pytest.fail(str(exc))
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def test_the_first_visit_finds_its_values_kept_at_start_up(
        started: Callable[[Path], harness.AppServer], browser: Any) -> None:
    server = started(FIXTURE)
    assert server.log is not None
    before = _wait_for_line(server.log, (WARMED, NOT_WARMED))
    assert WARMED in before, before[-2000:]
    warmed = _worked_out(before)
    # the map's component arguments are the last the first run needs, built from the rest
    assert {"_load", "_display", "_prepared", "_map", "_texts_json"} <= set(warmed), warmed

    context = browser.new_context(**harness.context_options())
    try:
        context.route(harness.NOT_LOCAL, harness.LocalOnly())
        page = context.new_page()
        page.goto(server.url)
        frame = page.frame_locator(harness.MAP_IFRAME)
        frame.locator("path.laovn-missions").first.wait_for(timeout=30_000)
        # the run the drawn map asks for has come too: the sidebar's switches are there
        page.get_by_text(t("period.2025", DEFAULT_LANG)).wait_for(timeout=30_000)
    finally:
        context.close()
    after = server.log.read_text(errors="replace")[len(before):]
    assert _worked_out(after) == [], after
    assert "Traceback" not in server.log.read_text(errors="replace")


@pytest.mark.slow
def test_a_broken_build_is_the_pages_error_and_the_warm_up_still_ends(
        started: Callable[[Path], harness.AppServer], tmp_path: Path) -> None:
    broken = tmp_path / "geo"
    broken.mkdir()
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    server = started(broken)
    assert server.log is not None
    log = _wait_for_line(server.log, (WARMED, NOT_WARMED))
    assert "laovn_map.app: the layers in" in log and "manifest.json" in log, log[-2000:]
    assert "Traceback" not in log, log
