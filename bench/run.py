"""Benchmark harness for laovn-map: build, cold start, time to map, toggle, rerun, payload,
geometry error, against a naive baseline page and a floor page measured in the same run.

    python3 dev.py bench                       # everything but the load test, 5 runs each
    python3 dev.py bench --quick               # 2 runs each: a smoke check
    python3 dev.py bench --only build,cold     # a subset: build,cold,map,payload,geometry,stalls,load
    python3 dev.py bench --only stalls         # 100 fresh loads in sequence, 40 four at a time
    python3 dev.py bench --load                # also the load test (bench/load.py)

Prints a table and writes bench/results/latest.json and bench/results/latest.md. Only
127.0.0.1 is contacted; the browser aborts every other request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import benchlib as bl
from benchlib import PageSpec, summary

from laovn_map.catalog import GEO_DIR_ENV

RESULTS = bl.BENCH / "results"
ALL = ("build", "cold", "map", "payload", "geometry", "stalls")
MAX_WALL_S = 20 * 60  # a hard stop for the whole harness

BUDGET = {
    "build_s": 3.0,
    "ttm_vs_floor": 1.2,  # issue #10 tightened it from 1.25
    "naive_vs_ttm": 3.0,
    "toggle_ms": 50.0,
    "payload_gzip_kb": 400.0,
    "hausdorff_m": 150.0,
}


def _jquery_source() -> str:
    sys.path.insert(0, str(bl.PAGES))
    from _offline import jquery_source
    return str(jquery_source())


# --- 1. build -------------------------------------------------------------------------------

def bench_build(runs: int) -> dict[str, Any]:
    exe = Path(bl.PY).parent / "laovn-map"
    walls: list[float] = []
    rss: list[float] = []
    tmp = Path(tempfile.mkdtemp(prefix="laovn-bench-build-"))
    try:
        for i in range(runs):
            out = tmp / f"geo{i}"
            t0 = time.perf_counter()
            proc = subprocess.Popen([str(exe), "build", "--out", str(out)], cwd=bl.ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone
            walls.append(time.perf_counter() - t0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"laovn-map build failed ({proc.returncode}): {err[-800:]}")
            if proc.stderr:
                proc.stderr.close()
            rss.append(usage.ru_maxrss / 1024)  # kB → MB
            print(f"  build {i + 1}/{runs}: {walls[-1]:.2f} s, {rss[-1]:.0f} MB", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"wall_s": summary(walls), "peak_rss_mb": summary(rss)}


# --- 2. cold start --------------------------------------------------------------------------------

def bench_cold(specs: dict[str, PageSpec], runs: int, geo: Path) -> dict[str, Any]:
    times: dict[str, list[float]] = {name: [] for name in specs}
    for i in range(runs):
        for name, spec in _rotate(specs, i):
            server = bl.serve(spec, geo)
            try:
                times[name].append(server.start())
            finally:
                server.stop()
        print(f"  cold {i + 1}/{runs}: " + ", ".join(f"{n} {times[n][-1]:.2f} s"
                                                     for n in specs), flush=True)
    return {name: summary(v) for name, v in times.items()}


def _rotate(specs: dict[str, PageSpec], i: int) -> list[tuple[str, PageSpec]]:
    return bl.rotated(list(specs.items()), i)


# --- 3–6. the pages in a browser --------------------------------------------------------------------

def _payload(sess: bl.Session, ready_at: float) -> dict[str, Any]:
    """Bytes the browser received for the map: the websocket frames that carry the component's
    arguments (its script, header, links), and the component's own HTTP files."""
    frames = [p for t, p in sess.ws_recv if t <= ready_at]
    map_frames = [p for p in frames if b"streamlit_folium" in p]
    ws_map = b"".join(map_frames)
    comp = b""
    for resp in sess.responses:
        if "/component/streamlit_folium" in resp.url:
            try:
                comp += resp.body()
            except Exception:
                continue
    return {
        "ws_map_frames": len(map_frames),
        "ws_map_raw": len(ws_map), "ws_map_gzip": bl.gz(ws_map),
        "ws_all_raw": sum(len(p) for p in frames),
        "component_http_raw": len(comp), "component_http_gzip": bl.gz(comp),
        "total_raw": len(ws_map) + len(comp),
        "total_gzip": bl.gz(ws_map) + bl.gz(comp),
    }


def _phases(sess: bl.Session, ready: float) -> dict[str, float]:
    """Where the time to map goes, from the in-page marks (ms since navigation start) and the
    main-thread long tasks before the map was ready."""
    got = sess.page.evaluate("() => [window.__lb.marks, window.__lb.long, "
                             "performance.getEntriesByType('navigation').map((e) => "
                             "[e.responseEnd, e.domContentLoadedEventEnd])[0] || []]")
    marks, longs, nav = got
    out = {f"at_{k}": round(v) for k, v in marks.items()}
    # websocket frames are stamped by Python (monotonic): map them onto the page's clock
    m0 = time.monotonic()
    p_now = sess.page.evaluate("() => performance.now()")
    offset_ms = (m0 + time.monotonic()) / 2 * 1000 - p_now
    if sess.ws_recv:
        out["at_first_ws_frame"] = round(sess.ws_recv[0][0] * 1000 - offset_ms)
    big = [t for t, p in sess.ws_recv if b"streamlit_folium" in p]
    if big:
        out["at_map_args_received"] = round(big[0] * 1000 - offset_ms)
    if nav:
        out["at_html_received"], out["at_dom_content_loaded"] = round(nav[0]), round(nav[1])
    out["at_ready"] = round(ready)
    before = [(t, d, src) for t, d, _name, src in longs if t < ready]
    out["long_tasks_ms"] = round(sum(d for _, d, _ in before))
    out["long_tasks_in_component_ms"] = round(sum(d for _, d, src in before
                                                  if "/component/" in src))
    out["longest_task_ms"] = round(max((d for _, d, _ in before), default=0))
    return out


def _toggles(sess: bl.Session, spec: PageSpec) -> list[dict[str, Any]]:
    out = []
    for which in spec.toggles:
        first: dict[str, Any] = {}
        for step in ("off", "on"):
            frame = bl.map_frame(sess.page)
            t0 = time.monotonic()
            res = frame.evaluate(bl.TOGGLE_JS, [which]) if frame else {"error": "no map frame"}
            sess.page.wait_for_timeout(300)  # let any message the toggle caused go out
            res["ws_sent"] = sess.sent_between(t0, time.monotonic())
            res["step"] = step
            if step == "off":
                first = res
            if problem := bl.toggle_problem(step, res, first.get("before")):
                res["error"] = problem
            out.append(res)
    return out


def _panzoom(sess: bl.Session) -> dict[str, Any]:
    """Wheel-zoom in, drag, wheel-zoom out over the map; count messages sent to the server."""
    frame = bl.map_frame(sess.page)
    box = frame.locator(".leaflet-container").bounding_box() if frame else None
    if not box:
        return {"error": "no map"}
    page = sess.page
    x, y = box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.6
    t0 = time.monotonic()
    page.mouse.move(x, y)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(700)
    page.mouse.down()
    page.mouse.move(x + 120, y + 70, steps=6)
    page.mouse.up()
    page.wait_for_timeout(700)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(1200)
    return {"ws_sent": sess.sent_between(t0, time.monotonic())}


def _reruns(sess: bl.Session, spec: PageSpec) -> list[dict[str, Any]]:
    """Switch the sidebar checkbox of the last overlay (or of the first) off and on again; time
    each click → map redrawn and the Streamlit status widget gone."""
    frame = bl.map_frame(sess.page)
    labels = frame.evaluate("() => [...document.querySelectorAll("
                            "'.leaflet-control-layers-overlays label')]"
                            ".map((l) => l.textContent.trim())") if frame else []
    state = sess.state()
    if not state or not state[0]:
        return [{"error": "no map state"}]
    m0, p0 = state[0][-1][1], state[0][-1][2]
    out: list[dict[str, Any]] = []
    for label in [labels[-1], labels[0]] if labels else []:
        for step in ("off", "on"):
            t0 = time.monotonic()
            t_click = sess.page.evaluate(bl.SIDEBAR_CLICK_JS, label)
            if t_click is None:
                break  # no sidebar checkbox with this label: try the next one

            def back(m: int, p: int) -> bool:
                return (m, p) == (m0, p0)

            def changed(m: int, p: int) -> bool:
                return (m, p) != (m0, p0)

            pred = changed if step == "off" else back
            settled = sess.wait_ready(after_ms=t_click, pred=pred, settle=True, timeout_s=60)
            sess.page.wait_for_timeout(300)
            if settled is not None:  # a status widget that came and went late counts too
                settled = sess.wait_ready(after_ms=t_click, pred=pred, settle=True,
                                          timeout_s=5)
            out.append({"label": label, "step": step,
                        "ms": None if settled is None else settled - t_click,
                        "ws_sent": sess.sent_between(t0, time.monotonic())})
        if out:
            return out
    return out or [{"error": f"no sidebar checkbox labelled like an overlay ({labels})"}]


def bench_pages(specs: dict[str, PageSpec], runs: int, geo: Path,
                interact: bool) -> dict[str, Any]:
    servers = {name: bl.serve(spec, geo) for name, spec in specs.items()}
    res: dict[str, Any] = {name: {"ttm_ms": [], "errors": [], "blocked": 0, "toggle": [],
                                  "panzoom": [], "rerun": [], "phases": []} for name in specs}
    browser = bl.Browser()
    try:
        for server in servers.values():
            server.start()
        for name, spec in specs.items():  # one unmeasured load: server caches, OS file cache
            res[name]["rss_idle_mb"] = (bl.rss_kb(servers[name]) or 0) / 1024
            sess = browser.session(spec)
            try:
                sess.page.goto(servers[name].url, wait_until="commit")
                if sess.wait_ready() is None:
                    res[name]["errors"].append("warm-up: map not ready")
            finally:
                sess.close()
            res[name]["rss_warm_mb"] = (bl.rss_kb(servers[name]) or 0) / 1024
        for i in range(runs):
            for name, spec in _rotate(specs, i):
                sess = browser.session(spec)
                r = res[name]
                try:
                    sess.page.goto(servers[name].url, wait_until="commit")
                    ready = sess.wait_ready()
                    ready_mono = time.monotonic()
                    if ready is None:
                        r["errors"].append(f"run {i}: map not ready in {bl.READY_TIMEOUT_S} s")
                        continue
                    r["ttm_ms"].append(ready)
                    sess.page.wait_for_timeout(500)
                    r["phases"].append(_phases(sess, ready))
                    if i == 0:
                        r["payload"] = _payload(sess, ready_mono + 0.5)
                    if interact and spec.toggles:
                        r["toggle"].extend(_toggles(sess, spec))
                        r["panzoom"].append(_panzoom(sess))
                        if name == "ours":
                            r["rerun"].extend(_reruns(sess, spec))
                    if i == 0 and name == "ours":
                        r["downloaded"] = _download_all(sess)
                    r["errors"].extend(f"run {i}: page error: {e}" for e in sess.page_errors)
                    r["blocked"] += len(sess.blocked)
                except Exception as exc:
                    r["errors"].append(f"run {i}: {type(exc).__name__}: {exc}"[:300])
                finally:
                    sess.close()
            print(f"  map {i + 1}/{runs}: " + ", ".join(
                f"{n} {res[n]['ttm_ms'][-1]:.0f} ms" if res[n]["ttm_ms"] else f"{n} -"
                for n in specs), flush=True)
        for name in specs:
            res[name]["rss_after_mb"] = (bl.rss_kb(servers[name]) or 0) / 1024
            res[name]["hwm_mb"] = (bl.rss_kb(servers[name], "VmHWM") or 0) / 1024
    finally:
        browser.close()
        for server in servers.values():
            server.stop()
    for r in res.values():
        r["ttm"] = summary(r.pop("ttm_ms"))
        tog = r["toggle"]
        r["toggle_dom"] = summary([x["dom"] for x in tog if x.get("dom") is not None])
        r["toggle_frame"] = summary([x["frame"] for x in tog if x.get("frame") is not None])
        r["toggle_ws_sent"] = sum(x.get("ws_sent", 0) for x in tog)
        r["toggle_errors"] = [x["error"] for x in tog if x.get("error")]
        r["panzoom_ws_sent"] = sum(x.get("ws_sent", 0) for x in r["panzoom"])
        r["rerun_ms"] = summary([x["ms"] for x in r["rerun"] if x.get("ms") is not None])
        r["rerun_errors"] = [x for x in r["rerun"] if x.get("ms") is None]
        keys = sorted({k for ph in r["phases"] for k in ph})
        r["phases_median"] = {k: _med(summary([ph[k] for ph in r["phases"] if k in ph]))
                              for k in keys}
    return res


# --- 7. geometry -----------------------------------------------------------------------------

def bench_geometry(geo: Path, env: dict[str, str]) -> dict[str, Any]:
    import probe
    import streamlit_folium

    from laovn_map.geo import reader
    from laovn_map.page import browserdata, mapview

    layers = reader.load_layers(geo)
    out: dict[str, Any] = {}
    cap = probe.capture(bl.ROOT / "app.py", env)
    if cap.get("exception"):
        out["app_exception"] = cap["exception"]
    if "fig" in cap:
        out["per_layer"] = probe.geometry_error(cap["fig"], layers.collections)
    if "args" in cap:
        out["python_payload"] = probe.payload_breakdown(cap["args"])
    tolerances = [25.0, 50.0, 75.0, 100.0, 150.0]
    try:
        from laovn_map.page import simplify

        fig = mapview.build_map(browserdata.prepare_layers(simplify.display_layers(layers.collections)))
        script = streamlit_folium._get_map_string(fig).encode()
        out["display_module"] = {
            "per_layer": probe.geometry_error(fig, layers.collections),
            "script_raw": len(script), "script_gzip": bl.gz(script)}
    except Exception as exc:
        out["display_module_error"] = f"{type(exc).__name__}: {exc}"
    try:
        out["simplify_scan"] = probe.simplify_table(
            layers.collections, lambda c: mapview.build_map(browserdata.prepare_layers(c)),
            streamlit_folium._get_map_string, tolerances)
    except Exception as exc:
        out["simplify_scan_error"] = f"{type(exc).__name__}: {exc}"
    return out


def bench_python_payload(specs: dict[str, PageSpec], env: dict[str, str]) -> dict[str, Any]:
    import probe

    out: dict[str, Any] = {}
    for name, spec in specs.items():
        cap = probe.capture(spec.script, env, repeat=3)
        if "args" in cap:
            out[name] = probe.payload_breakdown(cap["args"])
            # server side of one rerun with warm caches (bare AppTest, no browser)
            out[name]["server_rerun"] = {k: round(v, 3) for k, v in cap["runs"][-1].items()
                                         if v is not None}
            out[name]["server_first_run"] = {k: round(v, 3) for k, v in cap["runs"][0].items()
                                             if v is not None}
    return out


# --- report ----------------------------------------------------------------------------------

def _fmt(s: dict[str, Any] | None, unit: str = "", digits: int = 0) -> str:
    if not s or s.get("median") is None:
        return "—"
    f = f"{{:.{digits}f}}"
    return (f"{f.format(s['median'])}{unit} ({f.format(s['min'])}–{f.format(s['max'])})")


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if not a or not b else a / b


def _med(s: dict[str, Any] | None) -> float | None:
    return None if not s else s.get("median")


def budgets(r: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, ok: bool | None, note: str = "") -> None:
        rows.append({"budget": name, "value": value, "limit": limit,
                     "status": "—" if ok is None else ("PASS" if ok else "MISS"), "note": note})

    if "build" in r:
        v = _med(r["build"]["wall_s"])
        add("build wall time", f"{v:.2f} s" if v else "—", f"≤ {BUDGET['build_s']} s",
            None if v is None else v <= BUDGET["build_s"])
    pages = r.get("pages", {})
    ours, naive, floor = (pages.get(k, {}) for k in ("ours", "naive", "floor"))
    t_o, t_n, t_f = (_med(p.get("ttm")) for p in (ours, naive, floor))
    if t_o and t_f:
        q = t_o / t_f
        t_a = _med(pages.get("map_alone", {}).get("ttm"))
        add("time to map vs floor", f"{q:.2f}× ({t_o:.0f} / {t_f:.0f} ms)",
            f"≤ {BUDGET['ttm_vs_floor']}×", q <= BUDGET["ttm_vs_floor"],
            f"the map alone: {t_a / t_f:.2f}× ({t_a:.0f} ms)" if t_a else "")
    if t_o and t_n:
        q = t_n / t_o
        add("naive / ours time to map", f"{q:.2f}× ({t_n:.0f} / {t_o:.0f} ms)",
            f"≥ {BUDGET['naive_vs_ttm']}×", q >= BUDGET["naive_vs_ttm"])
    if ours.get("toggle"):
        worst = max((x["dom"] for x in ours["toggle"] if x.get("dom") is not None), default=None)
        per_layer: dict[str, list[float]] = {}
        for x in ours["toggle"]:
            if x.get("dom") is not None:
                per_layer.setdefault(x.get("label", "?"), []).append(x["dom"])
        meds = {k: sorted(v)[len(v) // 2] for k, v in per_layer.items()}
        worst_med = max(meds.values(), default=None)
        ok = (worst_med is not None and worst_med <= BUDGET["toggle_ms"]
              and not ours["toggle_errors"])
        add("layer-control toggle → DOM (median, worst layer)",
            f"{worst_med:.1f} ms (max {worst:.1f})" if worst_med is not None else "—",
            f"≤ {BUDGET['toggle_ms']:.0f} ms", ok,
            "; ".join(f"{k}: {v:.1f} ms" for k, v in meds.items()))
        add("toggle: messages sent to the server", ours["toggle_ws_sent"], "0",
            ours["toggle_ws_sent"] == 0)
    if ours.get("panzoom"):
        add("pan/zoom: messages sent (reruns)", ours["panzoom_ws_sent"], "0",
            ours["panzoom_ws_sent"] == 0,
            f"naive page: {naive.get('panzoom_ws_sent', '—')}")
    pay = ours.get("payload")
    if pay:
        kb = pay["total_gzip"] / 1024
        add("payload (map frames + component files), gzip", f"{kb:.0f} KB "
            f"(raw {pay['total_raw'] / 1024:.0f} KB)", f"≤ {BUDGET['payload_gzip_kb']:.0f} KB",
            kb <= BUDGET["payload_gzip_kb"])
    geo = r.get("geometry", {}).get("per_layer")
    if geo:
        worst = max(v["hausdorff_m"] for v in geo.values())
        add("displayed geometry error (Hausdorff, worst layer)", f"{worst:.1f} m",
            f"≤ {BUDGET['hausdorff_m']:.0f} m", worst <= BUDGET["hausdorff_m"])
    dl = r.get("downloads_full_resolution")
    if dl is not None:
        add("downloads are the full-resolution files", f"{dl['matched']}/{dl['expected']}",
            "all", dl["matched"] == dl["expected"])
    errors = sum(len(p.get("errors", [])) for p in pages.values())
    if pages:
        add("page errors during the runs", errors, "0", errors == 0)
    load = r.get("load")
    if load:
        n_err = sum(x["errors"] for x in load["levels"])
        add("load: errors over all sessions", n_err, "0", n_err == 0)
    st = r.get("stalls")
    if st:
        seq, par = st["sequential"], st["concurrent"]
        n = seq["stalls"] + par["stalls"]
        fl = st["floor_sequential"]["stalls"] + st["floor_concurrent"]["stalls"]
        fl_n = st["floor_sequential"]["loads"] + st["floor_concurrent"]["loads"]
        add(f"fresh loads with no map within {st['stall_s']:.0f} s (stalls)",
            f"{n} of {seq['loads'] + par['loads']}", "0", n == 0,
            f"{seq['stalls']} of {seq['loads']} in sequence, {par['stalls']} of {par['loads']} "
            f"{st['parallel']} at a time; the floor page meanwhile: {fl} of {fl_n}; load "
            f"average {_la(st.get('loadavg_start'))} → {_la(st.get('loadavg_end'))}")
    return rows


def _download_all(sess: bl.Session) -> dict[str, bytes]:
    """Open the page's Downloads section and click every GeoJSON button, as a person would:
    file name → the bytes the browser saved."""
    page = sess.page
    page.get_by_text("Downloads", exact=True).click()
    buttons = page.get_by_role("button", name=re.compile(r"\.geojson"))
    buttons.first.wait_for()
    out: dict[str, bytes] = {}
    for k in range(buttons.count()):
        with page.expect_download() as info:
            buttons.nth(k).click()
        download = info.value
        out[download.suggested_filename] = Path(download.path()).read_bytes()
    return out


def downloads_check(pages: dict[str, Any], geo: Path) -> dict[str, Any] | None:
    """Is each file the page's download buttons give, by its name, the bytes of geo/?"""
    from laovn_map.catalog import DOWNLOAD_NAMES, LAYER_FILES

    downloaded = pages.get("ours", {}).get("downloaded")
    if not downloaded:
        return None
    matched = [name for key, name in DOWNLOAD_NAMES.items()
               if downloaded.get(name) == (geo / LAYER_FILES[key]).read_bytes()]
    return {"expected": len(DOWNLOAD_NAMES), "matched": len(matched),
            "missing": sorted(set(DOWNLOAD_NAMES.values()) - set(matched)),
            "downloaded_raw": sum(len(b) for b in downloaded.values())}


def table(r: dict[str, Any]) -> str:
    pages = r.get("pages", {})
    ours, naive, floor = (pages.get(k, {}) for k in ("ours", "naive", "floor"))
    lines = ["| measure | ours: median (min–max) | naive | floor | ours/naive | ours/floor |",
             "|---|---|---|---|---|---|"]

    def row(name: str, *cells: str, qn: float | None = None, qf: float | None = None) -> None:
        """One measure: ours, naive and floor (missing ones "—"), then the two ratios."""
        o, n, f = (*cells, "—", "—", "—")[:3]
        lines.append(f"| {name} | {o} | {n} | {f} | {'—' if qn is None else f'{qn:.2f}'} | "
                     f"{'—' if qf is None else f'{qf:.2f}'} |")

    if "build" in r:
        b = r["build"]
        row("build `laovn-map build`, wall", _fmt(b["wall_s"], " s", 2))
        row("build, peak RSS of the child", _fmt(b["peak_rss_mb"], " MB"))
    if "cold" in r:
        c = r["cold"]
        row("cold start → /_stcore/health", _fmt(c.get("ours"), " s", 2),
            _fmt(c.get("naive"), " s", 2), _fmt(c.get("floor"), " s", 2),
            qn=_ratio(_med(c.get("ours")), _med(c.get("naive"))),
            qf=_ratio(_med(c.get("ours")), _med(c.get("floor"))))
    if pages:
        row("time to map (navigation → painted with 7 missions + 20 provinces)",
            _fmt(ours.get("ttm"), " ms"), _fmt(naive.get("ttm"), " ms"),
            _fmt(floor.get("ttm"), " ms"),
            qn=_ratio(_med(ours.get("ttm")), _med(naive.get("ttm"))),
            qf=_ratio(_med(ours.get("ttm")), _med(floor.get("ttm"))))
        alone = pages.get("map_alone", {})
        if alone.get("ttm"):
            row("time to map, the app's map alone (no title, sidebar, figures or sections)",
                _fmt(alone.get("ttm"), " ms"),
                qf=_ratio(_med(alone.get("ttm")), _med(floor.get("ttm"))))
        if ours.get("toggle"):
            row("layer-control toggle → DOM updated", _fmt(ours.get("toggle_dom"), " ms", 1),
                _fmt(naive.get("toggle_dom"), " ms", 1),
                qn=_ratio(_med(ours.get("toggle_dom")), _med(naive.get("toggle_dom"))))
            row("layer-control toggle → next frame", _fmt(ours.get("toggle_frame"), " ms", 1),
                _fmt(naive.get("toggle_frame"), " ms", 1),
                qn=_ratio(_med(ours.get("toggle_frame")), _med(naive.get("toggle_frame"))))
            row("messages to the server: toggles / pan+zoom",
                f"{ours.get('toggle_ws_sent')} / {ours.get('panzoom_ws_sent')}",
                f"{naive.get('toggle_ws_sent', '—')} / {naive.get('panzoom_ws_sent', '—')}")
        if ours.get("rerun_ms", {}).get("n"):
            row("sidebar checkbox → page settled (rerun)", _fmt(ours["rerun_ms"], " ms"))
        pays = [p.get("payload") for p in (ours, naive, floor)]
        if pays[0]:
            def kb(p: dict[str, Any] | None, key: str) -> str:
                return "—" if not p else f"{p[key] / 1024:.0f} KB"
            row("payload: map frames + component files, raw", *(kb(p, "total_raw") for p in pays),
                qn=_ratio(pays[0]["total_raw"], (pays[1] or {}).get("total_raw")),
                qf=_ratio(pays[0]["total_raw"], (pays[2] or {}).get("total_raw")))
            row("payload: the same, gzip", *(kb(p, "total_gzip") for p in pays),
                qn=_ratio(pays[0]["total_gzip"], (pays[1] or {}).get("total_gzip")),
                qf=_ratio(pays[0]["total_gzip"], (pays[2] or {}).get("total_gzip")))
            row("websocket bytes received until ready (whole page)",
                *(kb(p, "ws_all_raw") for p in pays))
        def phases(p: dict[str, Any]) -> str:
            ph = p.get("phases_median") or {}
            keys = ("at_dom_content_loaded", "at_first_ws_frame", "at_map_args_received",
                    "at_iframe_element", "at_map_in_dom", "at_ready")
            if not all(ph.get(k) is not None for k in keys):
                return "—"
            return " / ".join(f"{ph[k]:.0f}" for k in keys)

        row("where it goes (ms from navigation): DOMContentLoaded / first websocket message / "
            "map arguments received / map iframe created / map in the DOM / map painted",
            *(phases(p) for p in (ours, naive, floor)))
        row("main-thread long tasks before the map was ready (all / in the map frame)",
            *(f"{p['phases_median'].get('long_tasks_ms', 0):.0f} / "
              f"{p['phases_median'].get('long_tasks_in_component_ms', 0):.0f} ms"
              if p.get("phases_median") else "—" for p in (ours, naive, floor)))
        row("server RSS after warm-up / after the runs",
            *(f"{p['rss_warm_mb']:.0f} / {p['rss_after_mb']:.0f} MB" if "rss_warm_mb" in p
              else "—" for p in (ours, naive, floor)))
    py = r.get("python_payload")
    if py:
        def srv(p: dict[str, Any] | None) -> str:
            sr = (p or {}).get("server_rerun") or {}
            if sr.get("script_s") is None:
                return "—"
            return f"{sr['script_s']:.3f} / {sr.get('map_call_s', 0):.3f} s"

        row("server: one warm rerun of the script / of it handing the map over (AppTest)",
            *(srv(py.get(k)) for k in ("ours", "naive", "floor")))
        def part(p: dict[str, Any] | None, key: str) -> str:
            v = (p or {}).get(key)
            return "—" if not v else f"{v['raw'] / 1024:.0f} / {v['gzip'] / 1024:.0f} KB"

        for key, what in (("script", "map script"), ("js_links", "JS links (data: URLs)"),
                          ("css_links", "CSS links")):
            row(f"component args: {what}, raw / gzip",
                *(part(py.get(k), key) for k in ("ours", "naive", "floor")))
    geo = r.get("geometry", {}).get("per_layer")
    if geo:
        row("geometry error, Hausdorff per layer (m)",
            ", ".join(f"{k} {v['hausdorff_m']:.0f}" for k, v in geo.items()))
    load = r.get("load")
    if load:
        for lv in load["levels"]:
            row(f"load N={lv['n']}: time to map median / 95th / max, failed sessions",
                f"{lv['ttm_median_ms']:.0f} / {lv['ttm_p95_ms']:.0f} / {lv['ttm_max_ms']:.0f} ms, "
                f"{lv['failures']} of {lv['n']}"
                if lv["ttm_median_ms"] is not None else f"—, {lv['failures']} of {lv['n']}")
        row("load: server RSS per extra open session (slope over N)",
            f"{load['rss_per_session_mb']:.1f} MB"
            if load.get("rss_per_session_mb") is not None else "—")
    st = r.get("stalls")
    if st:
        for key, what in (("sequential", "one at a time"),
                          ("concurrent", f"{st['parallel']} at a time")):
            lv, fl = st[key], st[f"floor_{key}"]
            row(f"fresh loads, {what} (ours {lv['loads']}, floor {fl['loads']}): time to map; "
                f"stalls (no map in {st['stall_s']:.0f} s)",
                f"{_fmt(lv['ttm'], ' ms')}; {lv['stalls']} stalls",
                "", f"{_fmt(fl['ttm'], ' ms')}; {fl['stalls']} stalls",
                qf=_ratio(_med(lv["ttm"]), _med(fl["ttm"])))
        cpu = [st[k].get("cpu_s_per_load") or {} for k in ("sequential", "concurrent")]
        row("CPU per fresh load of ours, one / 4 at a time: server, Chromium, driver",
            "; ".join(", ".join(f"{c.get(k, 0):.2f}" for k in ("server", "browser", "driver"))
                      + " s" for c in cpu))
    scan = r.get("geometry", {}).get("simplify_scan")
    if scan:
        lines += ["", "Simplification scan (advice; `coverage_simplify` on the 20 provinces and "
                  "on the countries, Douglas–Peucker on lines, in UTM 48N):", "",
                  "| tolerance | map script raw / gzip | vertices | worst Hausdorff |",
                  "|---|---|---|---|"]
        for row_ in scan:
            worst = max(row_["hausdorff_m"].items(), key=lambda kv: kv[1])
            lines.append(f"| {row_['tolerance_m']:.0f} m | {row_['script_raw'] / 1024:.0f} / "
                         f"{row_['script_gzip'] / 1024:.0f} KB | {row_['vertices']} | "
                         f"{worst[1]:.0f} m ({worst[0]}) |")
    out = "\n".join(lines)
    rows = budgets(r)
    if rows:
        out += "\n\n| budget | value | limit | status |\n|---|---|---|---|\n" + "\n".join(
            f"| {b['budget']} | {b['value']}{' — ' + b['note'] if b['note'] else ''} | "
            f"{b['limit']} | {b['status']} |" for b in rows)
    return out


def _la(v: list[float] | None) -> str:
    return f"{v[0]:.1f}" if v else "?"


def header(r: dict[str, Any]) -> str:
    m = r["machine"]
    pk = m["packages"]
    return (f"Measured {r['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, "
            f"Python {m['python']}, {m['chromium']}; streamlit {pk.get('streamlit')}, "
            f"streamlit-folium {pk.get('streamlit-folium')}, folium {pk.get('folium')}; "
            f"{r['config']['runs']} runs per figure, fresh browser profile per run; "
            f"load average {_la(r['config'].get('loadavg_start'))} at the start, "
            f"{_la(r['config'].get('loadavg_end'))} at the end; "
            f"code {r['app_state'].get('head', '?')}"
            + (" + local changes" if r["app_state"].get("changed") else "") + ".")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="2 runs each, a smoke check")
    ap.add_argument("--only", default="", help="comma list of: " + ",".join((*ALL, "load")))
    ap.add_argument("--load", action="store_true", help="also run the load test")
    ap.add_argument("--load-levels", default="1,5,10,20")
    ap.add_argument("--no-interact", action="store_true",
                    help="time to map only: no toggle, pan/zoom or rerun")
    ap.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = ap.parse_args(argv)
    runs = 2 if args.quick else max(1, min(args.runs, 50))
    only = set(filter(None, args.only.split(","))) or set(ALL)
    if args.load:
        only.add("load")
    unknown = only - set(ALL) - {"load"}
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    geo = bl.default_geo()
    env = {GEO_DIR_ENV: str(geo)}
    specs = bl.page_specs(geo)
    started = time.monotonic()

    r: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": bl.machine_info(), "app_state": bl.app_state(),
        "config": {"runs": runs, "only": sorted(only), "geo_dir": str(geo),
                   "budgets": BUDGET, "naive_page_jquery": _jquery_source()},
    }

    r["config"]["loadavg_start"] = bl.loadavg()
    if r["config"]["loadavg_start"] and r["config"]["loadavg_start"][0] > (os.cpu_count() or 1):
        print(f"bench: warning, load average {r['config']['loadavg_start'][0]:.1f} on "
              f"{os.cpu_count()} cores: other work will skew the figures", file=sys.stderr)

    def over() -> bool:
        if time.monotonic() - started > MAX_WALL_S:
            print("bench: time limit reached, skipping the rest", file=sys.stderr)
            return True
        return False

    if "build" in only and not over():
        print("build …", flush=True)
        r["build"] = bench_build(runs)
    if "cold" in only and not over():
        print("cold start …", flush=True)
        r["cold"] = bench_cold(specs, runs, geo)
    if ("map" in only or "payload" in only) and not over():
        print("pages in the browser …", flush=True)
        r["pages"] = bench_pages(specs, runs if "map" in only else 1, geo,
                                 interact="map" in only and not args.no_interact)
        r["downloads_full_resolution"] = downloads_check(r["pages"], geo)
    if "payload" in only and not over():
        print("payload from the Python side …", flush=True)
        r["python_payload"] = bench_python_payload(specs, env)
    if "geometry" in only and not over():
        print("geometry …", flush=True)
        r["geometry"] = bench_geometry(geo, env)
    if "stalls" in only and not over():
        print("stalls …", flush=True)
        import stalls
        seq, par = (10, 8) if args.quick else (stalls.SEQUENTIAL, stalls.CONCURRENT)
        r["stalls"] = stalls.run_stalls(specs["ours"], specs["floor"], geo, seq, par)
    if "load" in only and not over():
        print("load …", flush=True)
        import load
        levels = [int(x) for x in args.load_levels.split(",") if x.strip()]
        r["load"] = load.run_load(specs["ours"], levels, geo)

    r["config"]["loadavg_end"] = bl.loadavg()
    r["config"]["wall_s"] = round(time.monotonic() - started)
    for p in r.get("pages", {}).values():  # bodies were only kept for the downloads check
        p.pop("downloaded", None)
    text = table(r)
    print()
    print(header(r))
    print()
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    r["budgets"] = budgets(r)
    out.write_text(json.dumps(r, indent=1, ensure_ascii=False, default=str) + "\n")
    out.with_suffix(".md").write_text(header(r) + "\n\n" + text + "\n")
    print(f"\nwrote {out} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
