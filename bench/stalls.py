"""Stall test: many fresh page loads, one after another and a few at a time, each followed
request by request, with the floor page loaded alongside as the machine's reference.

    python3 dev.py bench --only stalls                  # through the harness (table + JSON)
    .venv/bin/python bench/stalls.py --sequential 20    # directly, prints JSON

One app process per page and one headless Chromium; every load gets a fresh browser context (no
cache, no cookies) with the harness's localhost-only routing, as the browser tests open pages.
A load *stalls* when its map is not ready STALL_S after navigation; it is followed on to
GIVE_UP_S so that the record says how long the stall lasted. The floor page (an empty map on the
same stack) is loaded every REFERENCE_EVERY-th time in the sequence and a few times in parallel
after the app: when the floor stalls too, the machine was too busy for any Streamlit page.

Each load's page is watched through the Chrome DevTools Protocol (Network domain:
requestWillBeSent, responseReceived, loadingFinished, loadingFailed and the websocket's events),
which gives its phases (document, script bundle, websocket, first message, the map's frame) and,
for a stalled load, every request still open at STALL_S and where it stood: sent with no
response headers yet (waiting for one of Chromium's six connections to the host, or for the
server), or headers received with the body incomplete. The CPU time of the server, of Chromium
and of the driver (this Python and Playwright's) is read from /proc around each group of loads.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import benchlib as bl

from tests import harness

SEQUENTIAL = 100
CONCURRENT = 40
PARALLEL = 4
#: A load whose map is not ready this long after navigation has stalled (issue #10, point 7).
STALL_S = 10.0
#: How long a stalled load is followed before it is given up.
GIVE_UP_S = 60.0
#: In the sequence, the floor page is loaded after every this many loads of the app; after the
#: app's parallel loads it is loaded REFERENCE_PARALLEL times, PARALLEL at a time.
REFERENCE_EVERY = 5
REFERENCE_PARALLEL = 8
_POLL_S = 0.1


def _short(url: str) -> str:
    """The URL's path (Streamlit's content hashes name the chunk), or its scheme alone."""
    parts = urlparse(url)
    if parts.scheme in ("data", "blob", "about"):
        return f"{parts.scheme}:…"
    return parts.path


@dataclass
class Request:
    """One request of a page as the DevTools Protocol reported it; times in ms from the page's
    document request."""

    url: str
    kind: str
    sent: float
    headers: float | None = None  # response headers in (from the response's own timing)
    finished: float | None = None  # loadingFinished
    failed: str | None = None  # loadingFailed's errorText
    status: int | None = None
    body_bytes: int = 0  # as received (loadingFinished's encodedDataLength)
    connection: int | None = None
    queued_ms: float | None = None  # network stack took it → sent on a connection

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}

    def state_at(self, t_ms: float) -> str:
        """Where this request stood at `t_ms`."""
        if self.finished is not None and self.finished <= t_ms:
            return "done"
        if self.failed is not None:
            return f"failed ({self.failed})"
        if self.headers is not None and self.headers <= t_ms:
            return "body incomplete"
        return "no response headers"


@dataclass
class NetLog:
    """The DevTools Network events of one page, by request id. CDP stamps its events in
    seconds on the browser's monotonic clock, which on Linux is CLOCK_MONOTONIC, Python's
    `time.monotonic()`; times here are ms from the first request (the document's), the page's
    navigation start to within a millisecond."""

    requests: dict[str, Request] = field(default_factory=dict)
    t0: float | None = None
    ws_frames: list[float] = field(default_factory=list)

    def _ms(self, ts: float) -> float:
        if self.t0 is None:
            self.t0 = ts
        return round((ts - self.t0) * 1000, 1)

    def sent(self, ev: dict[str, Any]) -> None:
        if ev["requestId"] not in self.requests:  # a redirect repeats the id
            self.requests[ev["requestId"]] = Request(
                _short(ev["request"]["url"]), ev.get("type", "?"), self._ms(ev["timestamp"]))

    def response(self, ev: dict[str, Any]) -> None:
        if not (req := self.requests.get(ev["requestId"])):
            return
        resp = ev["response"]
        req.status, req.connection = resp.get("status"), resp.get("connectionId")
        timing = resp.get("timing") or {}
        # The event can reach us after loadingFinished; the response's timing says when the
        # headers came: requestTime (the network stack took the request) + receiveHeadersEnd.
        if "requestTime" in timing:
            started = self._ms(timing["requestTime"])
            req.headers = round(started + max(timing.get("receiveHeadersEnd", 0.0), 0.0), 1)
            if timing.get("sendStart", -1) >= 0:
                req.queued_ms = round(timing["sendStart"], 1)
        else:  # data: URLs
            req.headers = self._ms(ev["timestamp"])

    def finished(self, ev: dict[str, Any]) -> None:
        if req := self.requests.get(ev["requestId"]):
            req.finished = self._ms(ev["timestamp"])
            req.body_bytes = int(ev.get("encodedDataLength") or 0)

    def failed(self, ev: dict[str, Any]) -> None:
        if req := self.requests.get(ev["requestId"]):
            req.failed = str(ev.get("errorText") or "?") + (" (canceled)" if ev.get("canceled")
                                                              else "")

    def ws_created(self, ev: dict[str, Any]) -> None:
        # no timestamp in this event: its arrival, a few ms late
        self.requests[ev["requestId"]] = Request(_short(ev["url"]), "WebSocket",
                                                 self._ms(time.monotonic()))

    def ws_handshake(self, ev: dict[str, Any]) -> None:
        if req := self.requests.get(ev["requestId"]):
            req.headers = req.finished = self._ms(ev["timestamp"])  # open: not a pending load
            req.status = (ev.get("response") or {}).get("status")

    def ws_frame(self, ev: dict[str, Any]) -> None:
        self.ws_frames.append(self._ms(ev["timestamp"]))

    def open_at(self, t_ms: float) -> list[dict[str, Any]]:
        """Every request sent by `t_ms` and not done by then, with where it stood."""
        return [{**r.as_dict(), "state": r.state_at(t_ms)}
                for r in self.requests.values() if r.sent <= t_ms and r.state_at(t_ms) != "done"]

    def phases(self) -> dict[str, Any]:
        """When the load's steps happened (ms from navigation), and its request counts."""
        reqs = list(self.requests.values())
        http = [r for r in reqs if r.kind not in ("WebSocket",) and not r.url.endswith(":…")]
        ws = [r for r in reqs if r.kind == "WebSocket"]
        ws_at = ws[0].sent if ws else None
        bundle = [r.finished for r in http if r.url.startswith("/static/") and r.finished
                  and (ws_at is None or r.sent < ws_at)]
        comp = [r.sent for r in http if r.url.startswith("/component/")]
        return {
            "document": next((r.finished for r in http if r.url == "/"), None),
            "bundle_loaded": max(bundle, default=None),
            "websocket_open": ws[0].headers if ws else None,
            "first_message": self.ws_frames[0] if self.ws_frames else None,
            "chunks_after_websocket": sum(1 for r in http if ws_at is not None
                                          and r.sent > ws_at and r.url.startswith("/static/")),
            "map_frame_requested": min(comp, default=None),
            "requests": len(http), "failed": sum(1 for r in http if r.failed),
            "connections": len({r.connection for r in http if r.connection}),
            "queued_max_ms": max((r.queued_ms or 0.0 for r in http), default=0.0),
        }


async def _ready(page: Any, timeout_s: float) -> float | None:
    """`benchlib.ready_at` on an async page, polled; None after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the page may be mid-navigation
            if (t := bl.ready_at(await page.evaluate(bl.STATE_JS))) is not None:
                return t
        await asyncio.sleep(_POLL_S)
    return None


async def _one_load(browser: Any, spec: bl.PageSpec, url: str, label: str) -> dict[str, Any]:
    """One fresh context, one page: navigation → map ready, with its network record."""
    log = NetLog()
    blocked: list[str] = []
    rec: dict[str, Any] = {"load": label, "page": spec.name, "ttm_ms": None, "errors": []}
    ctx = await browser.new_context(**harness.context_options())
    try:
        await ctx.route(harness.NOT_LOCAL, harness.LocalOnly(blocked))
        await ctx.add_init_script(spec.init_script())
        page = await ctx.new_page()
        page.on("pageerror", lambda e: rec["errors"].append(f"page error: {e}"[:300]))
        page.on("console", lambda m: rec["errors"].append(f"console: {m.text}"[:300])
                if m.type == "error" else None)
        cdp = await ctx.new_cdp_session(page)
        for event, handler in (("requestWillBeSent", log.sent),
                               ("responseReceived", log.response),
                               ("loadingFinished", log.finished),
                               ("loadingFailed", log.failed),
                               ("webSocketCreated", log.ws_created),
                               ("webSocketHandshakeResponseReceived", log.ws_handshake),
                               ("webSocketFrameReceived", log.ws_frame)):
            cdp.on(f"Network.{event}", handler)
        await cdp.send("Network.enable")
        await page.goto(url, wait_until="commit", timeout=GIVE_UP_S * 1000)
        rec["ttm_ms"] = await _ready(page, GIVE_UP_S)
    except Exception as exc:
        rec["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        with contextlib.suppress(Exception):
            await ctx.close()
    ttm = rec["ttm_ms"]
    rec["stalled"] = ttm is None or ttm > STALL_S * 1000
    rec["phases"] = {**log.phases(), "ready": ttm}
    rec["blocked"] = len(blocked)
    if rec["stalled"]:
        rec["open_at_stall"] = log.open_at(STALL_S * 1000)
        rec["requests"] = [r.as_dict() for r in log.requests.values()]
    return rec


def _cpu(servers: list[harness.AppServer]) -> dict[str, float]:
    return bl.cpu_by_part([s.pid for s in servers if s.pid])


def _per_load(before: dict[str, float], after: dict[str, float], loads: int
              ) -> dict[str, float]:
    """CPU seconds per load, by part, between two readings."""
    return {k: round((after[k] - before[k]) / max(loads, 1), 3) for k in before}


async def _parallel(browser: Any, spec: bl.PageSpec, url: str, n: int, parallel: int,
                    label: str) -> list[dict[str, Any]]:
    gate = asyncio.Semaphore(parallel)
    done: list[dict[str, Any]] = []

    async def gated(i: int) -> dict[str, Any]:
        async with gate:
            res = await _one_load(browser, spec, url, f"{label} {i}")
        done.append(res)
        _progress(f"{spec.name}, {parallel} at a time", done)
        return res

    return list(await asyncio.gather(*(gated(i) for i in range(n))))


async def _run(specs: tuple[bl.PageSpec, bl.PageSpec], servers: list[harness.AppServer],
               sequential: int, concurrent: int, parallel: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    (app, floor), (app_url, floor_url) = specs, [s.url for s in servers]
    out: dict[str, Any] = {"app_seq": [], "floor_seq": []}
    cpu_app = dict.fromkeys(("server", "browser", "driver"), 0.0)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**harness.launch_options())
        try:
            for spec, url in ((app, app_url), (floor, floor_url)):  # server caches, file cache
                await _one_load(browser, spec, url, "warm-up")
            for i in range(sequential):
                before = _cpu(servers)
                out["app_seq"].append(await _one_load(browser, app, app_url, f"seq {i}"))
                after = _cpu(servers)
                for k in cpu_app:
                    cpu_app[k] += after[k] - before[k]
                _progress(f"{app.name}, in sequence", out["app_seq"])
                if (i + 1) % REFERENCE_EVERY == 0:
                    out["floor_seq"].append(await _one_load(browser, floor, floor_url,
                                                            f"seq {i}"))
            out["cpu_app_seq"] = {k: round(v / max(sequential, 1), 3) for k, v in cpu_app.items()}
            before = _cpu(servers)
            out["app_par"] = await _parallel(browser, app, app_url, concurrent, parallel, "par")
            out["cpu_app_par"] = _per_load(before, _cpu(servers), concurrent)
            out["floor_par"] = await _parallel(browser, floor, floor_url,
                                               min(REFERENCE_PARALLEL, concurrent), parallel,
                                               "par")
        finally:
            await browser.close()
    return out


def _progress(what: str, recs: list[dict[str, Any]]) -> None:
    last = recs[-1]
    if len(recs) % 10 == 0 or last["stalled"]:
        ttm = last["ttm_ms"]
        print(f"  stalls, {what} {len(recs)}: last {'—' if ttm is None else f'{ttm:.0f} ms'}"
              f"{' STALLED' if last['stalled'] else ''}, stalls so far "
              f"{sum(r['stalled'] for r in recs)}, load average {bl.loadavg()[:1]}",
              flush=True, file=sys.stderr)


def _median_phases(recs: list[dict[str, Any]]) -> dict[str, float | None]:
    keys = [k for k, v in recs[0]["phases"].items() if isinstance(v, (int, float))] if recs else []
    out: dict[str, float | None] = {}
    for k in keys:
        vals = [r["phases"][k] for r in recs if r["phases"].get(k) is not None]
        out[k] = round(statistics.median(vals), 1) if vals else None
    return out


def _group(recs: list[dict[str, Any]], cpu: dict[str, float] | None = None) -> dict[str, Any]:
    ttms = [r["ttm_ms"] for r in recs if r["ttm_ms"] is not None]
    stalled = [r for r in recs if r["stalled"]]
    states = Counter(q["state"] for r in stalled for q in r["open_at_stall"])
    return {
        "loads": len(recs), "stalls": len(stalled),
        "not_ready_in_give_up": sum(1 for r in recs if r["ttm_ms"] is None),
        "ttm": bl.summary(ttms),
        "ttm_p90_ms": statistics.quantiles(ttms, n=10)[-1] if len(ttms) >= 10 else None,
        "errors": sum(len(r["errors"]) for r in recs),
        "error_samples": [e for r in recs for e in r["errors"]][:5],
        "blocked_requests": sum(r["blocked"] for r in recs),
        "cpu_s_per_load": cpu,
        "phases_median": _median_phases(recs),
        "phases_median_stalled": _median_phases(stalled),
        "open_at_stall_by_state": dict(states),
        "stalled_loads": stalled,
    }


def run_stalls(app: bl.PageSpec, floor: bl.PageSpec, geo: Path, sequential: int = SEQUENTIAL,
               concurrent: int = CONCURRENT, parallel: int = PARALLEL) -> dict[str, Any]:
    """`sequential` fresh loads of `app` one after another (the `floor` page after every
    REFERENCE_EVERY-th), then `concurrent` of them `parallel` at a time (then a few of the
    floor's): per group the time to map (median, min–max, 90th percentile), the stalls, the
    CPU per load and, for each stalled load, its open requests."""
    load_start = bl.loadavg()
    with bl.serve(app, geo) as app_server, bl.serve(floor, geo) as floor_server:
        raw = asyncio.run(_run((app, floor), [app_server, floor_server], sequential,
                               concurrent, parallel))
    return {"stall_s": STALL_S, "give_up_s": GIVE_UP_S, "parallel": parallel,
            "loadavg_start": load_start, "loadavg_end": bl.loadavg(),
            "sequential": _group(raw["app_seq"], raw["cpu_app_seq"]),
            "concurrent": _group(raw["app_par"], raw["cpu_app_par"]),
            "floor_sequential": _group(raw["floor_seq"]),
            "floor_concurrent": _group(raw["floor_par"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sequential", type=int, default=SEQUENTIAL)
    ap.add_argument("--concurrent", type=int, default=CONCURRENT)
    ap.add_argument("--parallel", type=int, default=PARALLEL)
    ap.add_argument("--page", default="ours", help="the page under test: ours, naive or map_alone")
    args = ap.parse_args()
    geo = bl.default_geo()
    specs = bl.page_specs(geo)
    res = run_stalls(specs[args.page], specs["floor"], geo, args.sequential, args.concurrent,
                     args.parallel)
    print(json.dumps(res, indent=1, default=str))
    return 0 if res["sequential"]["stalls"] + res["concurrent"]["stalls"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
