"""bench/'s pure helpers: the statistics, the run order, the throttling profile, the payload's
sums, the site-against-page verdict and where each page's map is watched. Fast: no browser, no
server (the figures themselves are bench/'s, not the tests')."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from laovn_map.site.embed import EMBED_PAGE

from .conftest import FIXTURE

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))  # bench/ is scripts: its modules import each other by name

import benchlib  # noqa: E402
import load  # noqa: E402
import sitespeed  # noqa: E402


@pytest.mark.parametrize(("samples", "q", "expected"), [
    ([10, 20, 30, 40, 50], 50, 30.0),
    ([50, 10, 40, 20, 30], 95, 48.0),  # unsorted in, between the two highest
    ([1, 2], 95, 1.95),
    ([7], 95, 7.0),
    ([3, 1, 2], 100, 3.0),
    ([3, 1, 2], 0, 1.0),
])
def test_percentile_interpolates_between_the_nearest_ranks(samples: list[float], q: float,
                                                           expected: float) -> None:
    assert benchlib.percentile(samples, q) == pytest.approx(expected)


def test_percentile_of_nothing_is_none() -> None:
    assert benchlib.percentile([], 95) is None


def test_each_run_starts_with_another_page_and_keeps_them_all() -> None:
    pages = ["page", "index", "embed"]
    orders = [benchlib.rotated(pages, i) for i in range(4)]
    assert [order[0] for order in orders] == ["page", "index", "embed", "page"]
    assert all(sorted(order) == sorted(pages) for order in orders)
    assert benchlib.rotated([], 3) == []


def test_slow_4g_is_devtools_preset_in_the_protocols_units() -> None:
    """DevTools' "Slow 4G" as CDP takes it: bytes per second and milliseconds."""
    assert sitespeed.SLOW_4G.network_conditions() == {
        "offline": False, "latency": 562.5, "downloadThroughput": 180_000.0,
        "uploadThroughput": 84_375.0}
    assert sitespeed.SLOW_4G.cpu_rate == 4.0


def test_payload_totals_add_http_and_the_websocket() -> None:
    frames = [b"a" * 1000, b"b" * 500]
    got = sitespeed.payload_totals(
        [sitespeed.Body(raw=100, transferred=130, gzip=40),
         sitespeed.Body(raw=1000, transferred=400, gzip=300)], frames)
    ws_gzip = len(gzip.compress(b"".join(frames), compresslevel=6, mtime=0))
    assert got == {"http_responses": 2, "http_raw": 1100, "http_transferred": 530,
                   "http_gzip": 340, "ws_raw": 1500, "ws_gzip": ws_gzip,
                   "raw": 2600, "transferred": 2030, "gzip": 340 + ws_gzip}
    assert sitespeed.payload_totals([], [])["gzip"] == 0


def _medians(page: float | None, index: float | None, embed: float | None) -> dict[str, Any]:
    return {name: {"ttm": benchlib.summary([] if m is None else [m])}
            for name, m in ((sitespeed.PAGE, page), (sitespeed.SITE_INDEX, index),
                            (sitespeed.SITE_EMBED, embed))}


def test_the_site_passes_at_half_the_pages_time_and_misses_beyond() -> None:
    ratios = sitespeed.ratios(_medians(1000.0, 500.0, 510.0))
    assert ratios == {sitespeed.SITE_INDEX: 0.5, sitespeed.SITE_EMBED: 0.51}
    assert sitespeed.verdict(ratios[sitespeed.SITE_INDEX]) == "PASS"
    assert sitespeed.verdict(ratios[sitespeed.SITE_EMBED]) == "MISS"


def test_no_ratio_without_both_medians() -> None:
    ratios = sitespeed.ratios(_medians(None, 500.0, None))
    assert ratios == {sitespeed.SITE_INDEX: None, sitespeed.SITE_EMBED: None}
    assert sitespeed.verdict(None) == "—"


def _config(spec: benchlib.PageSpec) -> dict[str, Any]:
    script = spec.init_script()
    start = script.index("const CFG = ") + len("const CFG = ")
    cfg: dict[str, Any] = json.loads(script[start:script.index(";\n", start)])
    return cfg


def test_each_page_is_watched_where_its_map_is_with_the_same_ready() -> None:
    specs = sitespeed.specs(FIXTURE)
    page, index, alone = (_config(specs[name]) for name in (
        sitespeed.PAGE, sitespeed.SITE_INDEX, sitespeed.SITE_EMBED))
    assert page["mapDoc"] == "/component/"  # streamlit-folium's frame, as bench/run.py has it
    assert index["mapDoc"] == EMBED_PAGE and EMBED_PAGE in index["iframe"]
    assert alone["mapDoc"] == ""  # the top document
    ready = ("mission", "missionN", "province", "provinceN")
    assert {k: index[k] for k in ready} == {k: page[k] for k in ready} == {
        k: alone[k] for k in ready}


def _session(ttm: float | None, *errors: str) -> dict[str, Any]:
    return {"ttm_ms": ttm, "errors": list(errors)}


def test_readers_count_failed_sessions_and_the_95th() -> None:
    recs = [_session(float(t)) for t in (100, 200, 300, 400)]
    recs.append(_session(None, "map not ready"))
    recs.append(_session(250.0, "no marker click opened a popup", "toggle 1 off: x"))
    got = load.readers(recs, n=7)  # one session never finished
    assert got["failures"] == 3
    assert got["errors"] == 4
    assert got["sessions_finished"] == 6
    assert got["ttm_median_ms"] == 250.0
    assert got["ttm_p95_ms"] == pytest.approx(380.0)
    assert got["ttm_max_ms"] == 400.0
