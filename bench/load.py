"""Load test: N concurrent browser sessions against one app process.

    python3 dev.py bench --only load            # through the harness (table + JSON)
    .venv/bin/python bench/load.py --levels 1,5 # directly, prints JSON

For each N (default 1, 5, 10, 20) one headless Chromium opens N contexts at once; each loads
the map, clicks a mission marker (its popup must open) and switches two overlays off and on in
the layer control. Reported per N: errors (must be 0) and failed sessions, time to map (median,
95th percentile, max, measured in each page from its navigation start), the server's CPU
seconds over the level (its process tree, from /proc: per session, what one reader costs the
process, apart from the browsers on the same cores) and its RSS while the N sessions are open,
from /proc/<pid>/status. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import benchlib as bl

from tests import harness

SESSION_TIMEOUT_S = 240.0
MAX_SESSIONS = 40


async def _wait_ready(page: Any, timeout_s: float) -> float | None:
    """`benchlib.ready_at` for an async page, polled every 100 ms; None after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if (t := bl.ready_at(await page.evaluate(bl.STATE_JS))) is not None:
            return t
        await asyncio.sleep(0.1)
    return None


async def _one(browser: Any, spec: bl.PageSpec, url: str, idx: int) -> dict[str, Any]:
    rec: dict[str, Any] = {"i": idx, "errors": [], "blocked": [], "ttm_ms": None}
    ctx = await browser.new_context(**harness.context_options())
    rec["ctx"] = ctx
    await ctx.route(harness.NOT_LOCAL, harness.LocalOnly(rec["blocked"]))
    await ctx.add_init_script(spec.init_script())
    page = await ctx.new_page()
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda e: rec["errors"].append(f"page error: {e}"[:300]))
    try:
        await page.goto(url, wait_until="commit", timeout=60_000)
        rec["ttm_ms"] = await _wait_ready(page, SESSION_TIMEOUT_S)
        if rec["ttm_ms"] is None:
            rec["errors"].append("map not ready")
            return rec
        frame = page.frame_locator(harness.MAP_IFRAME)
        popup = frame.locator(".leaflet-popup-content")
        for i in range(spec.mission_n):  # a marker may be covered by another: try the next
            try:
                await frame.locator(spec.mission_sel).nth(i).click(timeout=10_000)
                await popup.wait_for(state="visible", timeout=10_000)
                rec["clicked"] = i
                break
            except Exception:
                continue
        else:
            rec["errors"].append("no marker click opened a popup")
        for which in spec.toggles:
            before = None
            for step in ("off", "on"):
                f = bl.map_frame(page)
                res = await f.evaluate(bl.TOGGLE_JS, [which]) if f else {"error": "no frame"}
                if step == "off":
                    before = res.get("before")
                if problem := bl.toggle_problem(step, res, before):
                    rec["errors"].append(f"toggle {which} {step}: {problem}"[:300])
    except Exception as exc:
        rec["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
    return rec


def readers(recs: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """What N readers got: errors (every error, and every session that did not finish),
    failures (sessions with any error, or none), time to map median, 95th percentile and max."""
    ttms = [r["ttm_ms"] for r in recs if r["ttm_ms"] is not None]
    return {
        "errors": sum(len(r["errors"]) for r in recs) + (n - len(recs)),
        "failures": sum(1 for r in recs if r["errors"]) + (n - len(recs)),
        "sessions_finished": len(recs),
        "ttm_median_ms": statistics.median(ttms) if ttms else None,
        "ttm_p95_ms": bl.percentile(ttms, 95),
        "ttm_max_ms": max(ttms) if ttms else None,
        "ttm_ms": [round(t) for t in ttms],
    }


async def _level(spec: bl.PageSpec, server: harness.AppServer, n: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    rss_before = bl.rss_kb(server) or 0
    cpu_before = bl.cpu_by_part([server.pid] if server.pid else [])["server"]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**harness.launch_options())
        try:
            t0 = time.monotonic()
            tasks = [asyncio.create_task(_one(browser, spec, server.url, i)) for i in range(n)]
            done, pending = await asyncio.wait(tasks, timeout=SESSION_TIMEOUT_S + 60)
            for task in pending:
                task.cancel()
            recs = [t.result() for t in done if not t.cancelled() and t.exception() is None]
            wall = time.monotonic() - t0
            await asyncio.sleep(1.0)
            rss_open = bl.rss_kb(server) or 0
            for rec in recs:
                ctx = rec.pop("ctx", None)
                if ctx is not None:
                    with contextlib.suppress(Exception):
                        await ctx.close()
        finally:
            await browser.close()
    await asyncio.sleep(2.0)
    server_cpu = bl.cpu_by_part([server.pid] if server.pid else [])["server"] - cpu_before
    return {
        "n": n, **readers(recs, n), "wall_s": round(wall, 1),
        "server_cpu_s": round(server_cpu, 2), "server_cpu_s_per_session": round(server_cpu / n, 3),
        "blocked_requests": sum(len(r["blocked"]) for r in recs),
        "rss_before_mb": round(rss_before / 1024, 1), "rss_open_mb": round(rss_open / 1024, 1),
        "rss_after_close_mb": round((bl.rss_kb(server) or 0) / 1024, 1),
        "rss_per_session_mb": round((rss_open - rss_before) / 1024 / n, 2),
        "error_samples": [e for r in recs for e in r["errors"]][:5],
    }


def run_load(spec: bl.PageSpec, levels: list[int], geo: Path) -> dict[str, Any]:
    levels = [max(1, min(n, MAX_SESSIONS)) for n in levels]
    out: dict[str, Any] = {"levels": []}
    with bl.serve(spec, geo) as server:
        out["rss_start_mb"] = round((bl.rss_kb(server) or 0) / 1024, 1)
        warm = asyncio.run(_level(spec, server, 1))  # loads the shared data once
        out["warm_up"] = {k: warm[k] for k in ("errors", "ttm_median_ms", "rss_open_mb")}
        for n in levels:
            res = asyncio.run(_level(spec, server, n))
            print(f"  load N={n}: ttm median {res['ttm_median_ms'] or 0:.0f} ms, 95th "
                  f"{res['ttm_p95_ms'] or 0:.0f} ms, max {res['ttm_max_ms'] or 0:.0f} ms, "
                  f"failures {res['failures']}/{n}, server CPU "
                  f"{res['server_cpu_s_per_session']:.2f} s a session, RSS "
                  f"{res['rss_before_mb']:.0f} → {res['rss_open_mb']:.0f} MB", flush=True,
                  file=sys.stderr)  # stdout is the JSON when run alone
            out["levels"].append(res)
        out["hwm_mb"] = round((bl.rss_kb(server, "VmHWM") or 0) / 1024, 1)
    # Server memory per extra open session: the least-squares slope of the RSS with all N
    # sessions open against N (freed memory is not always given back, so the level-by-level
    # differences understate it after the first level).
    pts = [(lv["n"], lv["rss_open_mb"]) for lv in out["levels"]]
    if len({n for n, _ in pts}) >= 2:
        mean_n = statistics.fmean(n for n, _ in pts)
        mean_r = statistics.fmean(r for _, r in pts)
        out["rss_per_session_mb"] = round(
            sum((n - mean_n) * (r - mean_r) for n, r in pts)
            / sum((n - mean_n) ** 2 for n, _ in pts), 2)
    elif pts:
        out["rss_per_session_mb"] = out["levels"][0]["rss_per_session_mb"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--levels", default="1,5,10,20")
    args = ap.parse_args()
    geo = bl.default_geo()
    spec = bl.page_specs(geo)["ours"]
    res = run_load(spec, [int(x) for x in args.levels.split(",") if x.strip()], geo)
    print(json.dumps(res, indent=1))
    return 0 if all(lv["errors"] == 0 for lv in res["levels"]) else 1


if __name__ == "__main__":
    sys.exit(main())
