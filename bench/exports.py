"""Benchmark of the exports: each format's time, and the offline HTML's time to map in Chromium
against the page's, in the same run.

    .venv/bin/python bench/exports.py              # 5 runs each (about 3 minutes)
    .venv/bin/python bench/exports.py --runs 2 --no-browser

Each export is timed three ways, wall and CPU: the first export of the process (it imports GDAL's
bindings, geopandas or matplotlib), the first export of a freshly loaded build (what a page pays
for the first download of a state after a start or a rebuild: geometries, label anchors and
display layers are derived once per build), and another state of the same build (the page's
other downloads). Time to map: navigation → 7 mission markers and 20 provinces in the DOM, each
load in a fresh browser profile; the HTML from file:// with every other request refused, the
page from its server on 127.0.0.1 as bench/run.py loads it. Writes bench/results/exports.json
and exports.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import benchlib as bl
from benchlib import summary

from laovn_map.export import dispatch, formats
from laovn_map.geo import reader
from tests import harness

RESULTS = bl.BENCH / "results"
BUDGET_S = 2.0
STATES = {"en": formats.ExportState(), "vi": formats.ExportState(lang="vi")}

# Top-document timing for a map page opened from disk: when the mission markers and the
# provinces of the map reach their counts (ms since navigation start).
FILE_INIT_JS = r"""
(() => {
  if (window !== window.top) return;
  const CFG = __CFG__;
  const lb = window.__lbFile = {ready: null};
  const check = () => {
    if (lb.ready !== null) return;
    const m = document.querySelectorAll(CFG.mission).length;
    const p = document.querySelectorAll(CFG.province).length;
    if (m === CFG.missionN && p === CFG.provinceN) lb.ready = performance.now();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""


def _timed(call: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bench_formats(geo: Path, runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fmt in formats.FORMATS:
        first_wall, first_cpu, data = _timed(
            lambda fmt=fmt: dispatch.export(reader.load_layers(geo), fmt, STATES["en"]))
        fresh: dict[str, list[float]] = {"wall": [], "cpu": []}
        again: dict[str, list[float]] = {"wall": [], "cpu": []}
        for i in range(runs):
            layers = reader.load_layers(geo)  # a new build object: nothing derived yet
            wall, cpu, data = _timed(lambda fmt=fmt, layers=layers, i=i: dispatch.export(
                layers, fmt, STATES[("en", "vi")[i % 2]]))
            fresh["wall"].append(wall)
            fresh["cpu"].append(cpu)
            wall, cpu, _ = _timed(lambda fmt=fmt, layers=layers, i=i: dispatch.export(
                layers, fmt, STATES[("vi", "en")[i % 2]]))
            again["wall"].append(wall)
            again["cpu"].append(cpu)
        out[fmt] = {"first_in_process": {"wall_s": first_wall, "cpu_s": first_cpu},
                    "fresh_build": {k: summary(v) for k, v in fresh.items()},
                    "same_build": {k: summary(v) for k, v in again.items()},
                    "bytes": len(data)}
        f = out[fmt]["fresh_build"]
        print(f"  {fmt}: first {first_wall:.2f} s, fresh build {f['wall']['median']:.2f} s wall "
              f"/ {f['cpu']['median']:.2f} s CPU, same build "
              f"{out[fmt]['same_build']['wall']['median']:.2f} s, {len(data):,} bytes", flush=True)
    return out


def _file_load(browser: bl.Browser, url: str, spec: bl.PageSpec) -> tuple[float | None, list[str]]:
    """One load of a file: URL in a fresh profile; (ms to map or None, refused requests)."""
    profile = Path(tempfile.mkdtemp(prefix="laovn-bench-profile-"))
    blocked: list[str] = []
    context = browser.pw.chromium.launch_persistent_context(
        str(profile), **harness.launch_options(), **harness.context_options())
    try:
        context.route(harness.EVERY_URL, harness.LocalOnly(blocked, files=True))
        cfg = {"mission": spec.mission_sel, "missionN": spec.mission_n,
               "province": spec.province_sel, "provinceN": spec.province_n}
        context.add_init_script(FILE_INIT_JS.replace("__CFG__", json.dumps(cfg)))
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url, wait_until="commit")
        deadline = time.monotonic() + bl.READY_TIMEOUT_S
        while time.monotonic() < deadline:
            ready = page.evaluate("() => window.__lbFile && window.__lbFile.ready")
            if ready is not None:
                return float(ready), blocked
            page.wait_for_timeout(50)
        return None, blocked
    finally:
        with contextlib.suppress(Exception):
            context.close()
        shutil.rmtree(profile, ignore_errors=True)


def bench_time_to_map(geo: Path, runs: int) -> dict[str, Any]:
    spec = bl.page_specs(geo)["ours"]
    folder = Path(tempfile.mkdtemp(prefix="laovn-bench-html-"))
    html = folder / formats.file_name("html", STATES["en"])
    html.write_bytes(dispatch.export(reader.load_layers(geo), "html", STATES["en"]))
    server = bl.serve(spec, geo)
    browser = bl.Browser()
    times: dict[str, list[float]] = {"html_file": [], "page": []}
    errors: list[str] = []
    try:
        server.start()
        warm = browser.session(spec)  # one unmeasured load: server caches, OS file cache
        try:
            warm.page.goto(server.url, wait_until="commit")
            warm.wait_ready()
        finally:
            warm.close()
        _file_load(browser, html.as_uri(), spec)
        for i in range(runs):
            for which in (("page", "html_file") if i % 2 == 0 else ("html_file", "page")):
                if which == "html_file":
                    ready, blocked = _file_load(browser, html.as_uri(), spec)
                    if blocked:
                        errors.append(f"run {i}: the file asked for {blocked[:3]}")
                else:
                    sess = browser.session(spec)
                    try:
                        sess.page.goto(server.url, wait_until="commit")
                        ready = sess.wait_ready()
                    finally:
                        sess.close()
                if ready is None:
                    errors.append(f"run {i}: {which} not ready")
                else:
                    times[which].append(ready)
            print(f"  time to map {i + 1}/{runs}: page {times['page'][-1:]} ms, "
                  f"file {times['html_file'][-1:]} ms", flush=True)
    finally:
        browser.close()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {**{k: summary(v) for k, v in times.items()}, "errors": errors,
            "html_bytes": html.stat().st_size if html.exists() else None}


def _fmt(s: dict[str, Any] | None, unit: str, digits: int = 2, scale: float = 1.0) -> str:
    if not s or s.get("median") is None:
        return "—"
    f = f"{{:.{digits}f}}"
    return (f"{f.format(s['median'] * scale)}{unit} ({f.format(s['min'] * scale)}–"
            f"{f.format(s['max'] * scale)})")


def table(r: dict[str, Any]) -> str:
    lines = ["| export | first of the process: wall / CPU | fresh build: wall | fresh build: CPU | "
             "same build, another state: wall | same build: CPU | size | ≤ 2 s (fresh build, "
             "median wall / CPU) |", "|---|---|---|---|---|---|---|---|"]
    for fmt, x in r.get("formats", {}).items():
        fresh = x["fresh_build"]
        status = "/".join("PASS" if fresh[k]["median"] <= BUDGET_S else "MISS"
                          for k in ("wall", "cpu"))
        lines.append(
            f"| {formats.FORMATS[fmt].extension} | {x['first_in_process']['wall_s']:.2f} / "
            f"{x['first_in_process']['cpu_s']:.2f} s | {_fmt(fresh['wall'], ' s')} | "
            f"{_fmt(fresh['cpu'], ' s')} | {_fmt(x['same_build']['wall'], ' s')} | "
            f"{_fmt(x['same_build']['cpu'], ' s')} | {x['bytes'] / 1024:,.0f} KB | {status} |")
    ttm = r.get("time_to_map")
    if ttm:
        page, file = ttm["page"].get("median"), ttm["html_file"].get("median")
        lines += ["", "| time to map (navigation → 7 missions + 20 provinces) | median (min–max) |",
                  "|---|---|",
                  f"| the page (Streamlit, 127.0.0.1) | {_fmt(ttm['page'], ' ms', 0)} |",
                  f"| the offline HTML export (file://, every other request refused) | "
                  f"{_fmt(ttm['html_file'], ' ms', 0)} |"]
        if page and file:
            lines.append(f"| file / page | {file / page:.2f} ({'faster' if file < page else 'slower'})"
                         " |")
        if ttm["errors"]:
            lines.append(f"| errors | {'; '.join(ttm['errors'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true", help="the export times only")
    ap.add_argument("--out", default=str(RESULTS / "exports.json"))
    args = ap.parse_args(argv)
    runs = max(1, min(args.runs, 50))
    geo = bl.default_geo()
    r: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                         "machine": bl.machine_info(), "app_state": bl.app_state(),
                         "config": {"runs": runs, "geo_dir": str(geo), "budget_s": BUDGET_S,
                                    "loadavg_start": bl.loadavg()}}
    print("exports …", flush=True)
    r["formats"] = bench_formats(geo, runs)
    if not args.no_browser:
        print("time to map: the offline HTML and the page …", flush=True)
        r["time_to_map"] = bench_time_to_map(geo, runs)
    r["config"]["loadavg_end"] = bl.loadavg()
    la = r["config"]
    header = (f"Measured {r['date']} on {r['machine']['cpu']}, {r['machine']['cores']} cores, "
              f"Python {r['machine']['python']}, {r['machine']['chromium']}; {runs} runs; load "
              f"average {la['loadavg_start'][:1]} at the start, {la['loadavg_end'][:1]} at the "
              f"end; code {r['app_state'].get('head', '?')}"
              + (" + local changes" if r["app_state"].get("changed") else "") + ".")
    text = table(r)
    print(f"\n{header}\n\n{text}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=1, ensure_ascii=False, default=str) + "\n")
    out.with_suffix(".md").write_text(header + "\n\n" + text + "\n")
    print(f"\nwrote {out} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
