"""The static site's time to map against the Streamlit page's, in one run: on this machine's
connection and under mobile emulation (DevTools' "Slow 4G" and a 4× slower CPU).

    .venv/bin/python bench/sitespeed.py                        # 5 runs, 3 throttled (~10 min)
    .venv/bin/python bench/sitespeed.py --runs 2 --throttled-runs 1

The site is built by `laovn-map site` from the same layers into a temporary folder and served
by `python -m http.server` (`tests.harness.static_server`); the page by `streamlit run app.py`
(`tests.harness.AppServer`). Time to map is bench/run.py's (`benchlib.INIT_JS`): navigation
start → the missions and provinces painted, each load in a fresh browser profile; the site's
index frames its embed page, whose document is watched as the page's map frame is; the embed
page alone is watched in its own document. Run i loads the three in a rotated order, so drift
hits all alike. Payload: every HTTP response body up to the map (raw, as transferred, and each
gzipped as a compressing host would send it) and the websocket frames received. Writes
bench/results/site.json and site.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchlib as bl
from benchlib import summary

from laovn_map.cli import main as laovn_map
from laovn_map.site.embed import EMBED_PAGE
from laovn_map.site.pages import INDEX_PAGE
from tests import harness

RESULTS = bl.BENCH / "results"
#: Issue #25: the static site's time to map at most half the page's.
BUDGET_SITE_VS_PAGE = 0.5
#: A throttled load of the page moves a few MB at 1.44 Mbit/s: minutes, not the desktop's 90 s.
THROTTLED_TIMEOUT_S = 300.0
PAGE, SITE_INDEX, SITE_EMBED = "page", "site_index", "site_embed"
LABELS = {PAGE: "the page (streamlit run app.py)",
          SITE_INDEX: f"the site's {INDEX_PAGE} (python -m http.server)",
          SITE_EMBED: f"the site's {EMBED_PAGE} (python -m http.server)"}


@dataclass(frozen=True)
class Throttle:
    """A network and CPU profile for Chromium's emulation, in DevTools' own terms: throughput
    in kbit/s (1 kbit = 1000 bit) and the round-trip latency it adds to each request."""

    name: str
    download_kbps: float
    upload_kbps: float
    latency_ms: float
    cpu_rate: float

    def network_conditions(self) -> dict[str, Any]:
        """The arguments of CDP's `Network.emulateNetworkConditions` (bytes per second)."""
        return {"offline": False, "latency": self.latency_ms,
                "downloadThroughput": self.download_kbps * 1000 / 8,
                "uploadThroughput": self.upload_kbps * 1000 / 8}


#: Chrome DevTools' "Slow 4G" preset (`SDK.NetworkManager.Slow4GConditions`, called "Fast 3G"
#: before May 2024): 1.6 Mbit/s down and 750 kbit/s up, each × 0.9, and a 150 ms round trip ×
#: 3.75 (DevTools' factors for what a real connection adds); with Lighthouse's 4× CPU.
SLOW_4G = Throttle("slow 4G, 4× CPU", download_kbps=1600 * 0.9, upload_kbps=750 * 0.9,
                   latency_ms=150 * 3.75, cpu_rate=4.0)


def specs(geo: Path) -> dict[str, bl.PageSpec]:
    """The page and the site's two map pages, each with bench/run.py's "ready" (the same
    counts and selectors), watched where each keeps its map."""
    ours = bl.page_specs(geo)["ours"]
    return {
        PAGE: ours,
        SITE_INDEX: dataclasses.replace(ours, name=SITE_INDEX, script=Path(INDEX_PAGE),
                                        toggles=(), map_doc_url=EMBED_PAGE,
                                        map_iframe=f'iframe[src*="{EMBED_PAGE}"]'),
        SITE_EMBED: dataclasses.replace(ours, name=SITE_EMBED, script=Path(EMBED_PAGE),
                                        toggles=(), map_doc_url=""),
    }


# --- the payload ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Body:
    """One HTTP response as received: its body's bytes, what crossed the wire for it (body as
    encoded, and headers) and its body gzipped (what a compressing host would send)."""

    raw: int
    transferred: int
    gzip: int


def payload_totals(bodies: Iterable[Body], ws_frames: Iterable[bytes]) -> dict[str, int]:
    """The sums of a load's HTTP responses and websocket frames. Streamlit's websocket is not
    compressed (`server.enableWebsocketCompression` is off by default): its frames count as
    transferred raw, and gzipped as one stream (what per-message deflate would reach at best)."""
    items = list(bodies)
    ws = b"".join(ws_frames)
    ws_gzip = bl.gz(ws) if ws else 0
    http = {"raw": sum(b.raw for b in items), "transferred": sum(b.transferred for b in items),
            "gzip": sum(b.gzip for b in items)}
    return {"http_responses": len(items), "http_raw": http["raw"],
            "http_transferred": http["transferred"], "http_gzip": http["gzip"],
            "ws_raw": len(ws), "ws_gzip": ws_gzip,
            "raw": http["raw"] + len(ws), "transferred": http["transferred"] + len(ws),
            "gzip": http["gzip"] + ws_gzip}


def _payload(sess: bl.Session) -> dict[str, int]:
    bodies = []
    for resp in list(sess.responses):
        try:
            data, sizes = resp.body(), resp.request.sizes()
        except Exception:  # no body: a redirect, or a request the page dropped
            continue
        bodies.append(Body(len(data), sizes["responseBodySize"] + sizes["responseHeadersSize"],
                           bl.gz(data)))
    return payload_totals(bodies, [p for _, p in sess.ws_recv])


# --- the loads -----------------------------------------------------------------------------------

def load(browser: bl.Browser, spec: bl.PageSpec, url: str, throttle: Throttle | None,
         with_payload: bool) -> dict[str, Any]:
    """One load in a fresh profile, throttled from before its navigation: its time to map
    (None if none), what the routing refused, the page's errors and, if asked, its payload."""
    sess = browser.session(spec)
    out: dict[str, Any] = {"ttm_ms": None}
    try:
        if throttle is not None:
            cdp = sess.context.new_cdp_session(sess.page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", throttle.network_conditions())
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle.cpu_rate})
        timeout_s = THROTTLED_TIMEOUT_S if throttle else bl.READY_TIMEOUT_S
        sess.page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        out["ttm_ms"] = sess.wait_ready(timeout_s=timeout_s)
        if out["ttm_ms"] is not None and with_payload:
            out["payload"] = _payload(sess)
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        out["blocked"], out["page_errors"] = list(sess.blocked), list(sess.page_errors)
        sess.close()
    return out


def bench_profile(browser: bl.Browser, targets: Mapping[str, tuple[bl.PageSpec, str]],
                  runs: int, throttle: Throttle | None) -> dict[str, Any]:
    """`runs` loads of each target, interleaved; the payload from each one's first load."""
    res: dict[str, Any] = {name: {"ttm_ms": [], "errors": []} for name in targets}
    load_start = bl.loadavg()
    for i in range(runs):
        for name in bl.rotated(list(targets), i):
            spec, url = targets[name]
            got = load(browser, spec, url, throttle, with_payload="payload" not in res[name])
            r = res[name]
            if got["ttm_ms"] is None:
                r["errors"].append(f"run {i}: {got.get('error') or 'map not ready'}")
            else:
                r["ttm_ms"].append(got["ttm_ms"])
            if "payload" in got:
                r["payload"] = got["payload"]
            r["errors"] += [f"run {i}: refused {u}" for u in got["blocked"][:3]]
            r["errors"] += [f"run {i}: page error: {e}"[:300] for e in got["page_errors"]]
        print(f"  {throttle.name if throttle else 'desktop'} {i + 1}/{runs}: " + ", ".join(
            f"{n} {res[n]['ttm_ms'][-1]:.0f} ms" if res[n]["ttm_ms"] else f"{n} -"
            for n in targets), flush=True)
    for r in res.values():
        r["ttm"] = summary(r.pop("ttm_ms"))
    res["ratios"] = ratios(res)
    res["loadavg"] = {"start": load_start, "end": bl.loadavg()}
    return res


def ratios(res: Mapping[str, Any]) -> dict[str, float | None]:
    """Each site page's median time to map over the page's (None where one has no median)."""
    page = res[PAGE]["ttm"]["median"]
    return {name: (res[name]["ttm"]["median"] / page
                   if page and res[name]["ttm"]["median"] is not None else None)
            for name in (SITE_INDEX, SITE_EMBED)}


def verdict(ratio: float | None, budget: float = BUDGET_SITE_VS_PAGE) -> str:
    """PASS within the budget, MISS beyond it, "—" with nothing measured."""
    if ratio is None:
        return "—"
    return "PASS" if ratio <= budget else "MISS"


def run(geo: Path, runs: int, throttled_runs: int) -> dict[str, Any]:
    page_specs = specs(geo)
    folder = Path(tempfile.mkdtemp(prefix="laovn-bench-site-"))
    out: dict[str, Any] = {}
    try:
        site = folder / "site"
        if laovn_map(["site", "--geo", str(geo), "--out", str(site)]) != 0:
            raise SystemExit("laovn-map site failed: see its message above")
        out["site_bytes"] = {name: (site / name).stat().st_size
                             for name in (INDEX_PAGE, EMBED_PAGE)}
        with harness.static_server(site) as origin, bl.serve(page_specs[PAGE], geo) as server:
            urls = {PAGE: server.url, SITE_INDEX: origin + INDEX_PAGE,
                    SITE_EMBED: origin + EMBED_PAGE}
            targets = {name: (page_specs[name], urls[name]) for name in page_specs}
            browser = bl.Browser()
            try:
                for name, (spec, url) in targets.items():  # unmeasured: caches, OS file cache
                    if load(browser, spec, url, None, False)["ttm_ms"] is None:
                        out.setdefault("warm_up_errors", []).append(name)
                print("desktop (no throttling) …", flush=True)
                out["desktop"] = bench_profile(browser, targets, runs, None)
                if throttled_runs:
                    print(f"mobile: {SLOW_4G.name} …", flush=True)
                    out["mobile"] = bench_profile(browser, targets, throttled_runs, SLOW_4G)
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return out


# --- the report ----------------------------------------------------------------------------------

def _ms(s: Mapping[str, Any]) -> str:
    if s.get("median") is None:
        return "—"
    return f"{s['median']:.0f} ms ({s['min']:.0f}–{s['max']:.0f}; n={s['n']})"


def _kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024:,.0f} KB"


def table(r: Mapping[str, Any]) -> str:
    lines = ["| profile | load | time to map, median (min–max) | / the page | "
             f"≤ {BUDGET_SITE_VS_PAGE} × the page |", "|---|---|---|---|---|"]
    for profile in ("desktop", "mobile"):
        res = r.get(profile)
        if not res:
            continue
        name = "desktop (no throttling)" if profile == "desktop" else SLOW_4G.name
        for target in (PAGE, SITE_INDEX, SITE_EMBED):
            ratio = res["ratios"].get(target)
            lines.append(f"| {name} | {LABELS[target]} | {_ms(res[target]['ttm'])} | "
                         + ("—" if ratio is None else f"{ratio:.2f}") + " | "
                         + ("" if target == PAGE else verdict(ratio)) + " |")
    lines += ["", "| load (desktop's first) | HTTP responses | HTTP raw | HTTP transferred | "
              "HTTP gzip-equivalent | websocket received (raw = transferred) | websocket gzip | "
              "total transferred | total gzip-equivalent |", "|---|---|---|---|---|---|---|---|---|"]
    for target in (PAGE, SITE_INDEX, SITE_EMBED):
        p = r.get("desktop", {}).get(target, {}).get("payload")
        if p:
            lines.append(f"| {LABELS[target]} | {p['http_responses']} | {_kb(p['http_raw'])} | "
                         f"{_kb(p['http_transferred'])} | {_kb(p['http_gzip'])} | "
                         f"{_kb(p['ws_raw'])} | {_kb(p['ws_gzip'])} | "
                         f"{_kb(p['transferred'])} | {_kb(p['gzip'])} |")
    errors = [f"{profile} {target}: {e}" for profile in ("desktop", "mobile")
              for target in (PAGE, SITE_INDEX, SITE_EMBED)
              for e in r.get(profile, {}).get(target, {}).get("errors", [])]
    if errors:
        lines += ["", "Errors: " + "; ".join(errors)]
    return "\n".join(lines)


def header(r: Mapping[str, Any]) -> str:
    m, c = r["machine"], r["config"]
    loads = "; ".join(f"{p} {r[p]['loadavg']['start'][:1]} → {r[p]['loadavg']['end'][:1]}"
                      for p in ("desktop", "mobile") if p in r)
    return (f"Measured {r['date']} on {m['cpu']}, {m['cores']} cores, {m['chromium']}; "
            f"{c['runs']} desktop runs, {c['throttled_runs']} throttled ({SLOW_4G.name}: "
            f"{SLOW_4G.download_kbps:.0f} kbit/s down, {SLOW_4G.upload_kbps:.0f} kbit/s up, "
            f"{SLOW_4G.latency_ms} ms latency, CPU ÷{SLOW_4G.cpu_rate:.0f}); load average "
            f"(1 min) {loads}; code {r['app_state'].get('head', '?')}"
            + (" + local changes" if r["app_state"].get("changed") else "") + ".")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="desktop loads of each (default 5)")
    ap.add_argument("--throttled-runs", type=int, default=3,
                    help="loads of each under mobile emulation (default 3; 0: none)")
    ap.add_argument("--out", default=str(RESULTS / "site.json"))
    args = ap.parse_args(argv)
    geo = bl.default_geo()
    r: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                         "machine": bl.machine_info(), "app_state": bl.app_state(),
                         "config": {"runs": max(1, min(args.runs, 50)),
                                    "throttled_runs": max(0, min(args.throttled_runs, 20)),
                                    "geo_dir": str(geo), "budget": BUDGET_SITE_VS_PAGE,
                                    "throttle": dataclasses.asdict(SLOW_4G),
                                    "network_conditions": SLOW_4G.network_conditions()}}
    r.update(run(geo, r["config"]["runs"], r["config"]["throttled_runs"]))
    text = f"{header(r)}\n\n{table(r)}"
    print(f"\n{text}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=1, ensure_ascii=False, default=str) + "\n")
    out.with_suffix(".md").write_text(text + "\n")
    print(f"\nwrote {out} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
