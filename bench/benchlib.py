"""Shared pieces of the benchmarks: the pages under test, headless Chromium with in-page timing,
/proc readings, machine info and statistics. The app server, the offline Chromium and the
localhost-only routing are `tests.harness`'s, as for the browser tests; everything targets
127.0.0.1."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from laovn_map.catalog import LAYER_FILES

ROOT = Path(__file__).resolve().parents[1]
# The harness is test tooling, kept out of the installed package: it lives in the checkout's tests/.
sys.path.insert(0, str(ROOT))
from tests import harness  # noqa: E402

BENCH = ROOT / "bench"
PAGES = BENCH / "pages"
PY = sys.executable
READY_TIMEOUT_S = 90.0
T = TypeVar("T")


# --- statistics --------------------------------------------------------------------------------

def summary(samples: list[float]) -> dict[str, Any]:
    """Median, min and max of the samples (None when there are none)."""
    vals = [float(s) for s in samples if s is not None]
    if not vals:
        return {"n": 0, "median": None, "min": None, "max": None, "samples": []}
    return {"n": len(vals), "median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "samples": [round(v, 4) for v in vals]}


def percentile(samples: Sequence[float], q: float) -> float | None:
    """The `q`th percentile (0–100) of the samples, interpolated between the two nearest ranks
    (numpy's default), None when there are none: the load test's 95th, from few sessions."""
    vals = sorted(float(s) for s in samples)
    if not vals:
        return None
    pos = (len(vals) - 1) * min(max(q, 0.0), 100.0) / 100.0
    low = int(pos)
    high = min(low + 1, len(vals) - 1)
    return vals[low] + (vals[high] - vals[low]) * (pos - low)


def rotated(items: Sequence[T], i: int) -> list[T]:
    """`items` started at the `i`th (modulo): run i's order, so that no page is always first
    and drift over a run hits every page alike."""
    k = i % len(items) if items else 0
    return [*items[k:], *items[:k]]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# --- /proc -----------------------------------------------------------------------------------

def proc_status_kb(pid: int, key: str) -> int | None:
    """A kB figure (VmRSS, VmHWM) from /proc/<pid>/status, None if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{key}:\s+(\d+)\s+kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def rss_kb(server: harness.AppServer, key: str = "VmRSS") -> int | None:
    """The server's resident memory now (VmRSS) or at its peak (VmHWM), in kB."""
    return proc_status_kb(server.pid, key) if server.pid else None


def _process_table() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command name, CPU seconds of it and of its reaped children)."""
    table: dict[int, tuple[int, str, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            text = (entry / "stat").read_text()
            comm = text[text.index("(") + 1:text.rindex(")")]
            fields = text[text.rindex(")") + 2:].split()  # from field 3 (state) on
            # utime, stime, cutime, cstime: fields 14-17
            table[int(entry.name)] = (int(fields[1]), comm,
                                      sum(int(x) for x in fields[11:15]) / tick)
    return table


def cpu_by_part(server_pids: Sequence[int]) -> dict[str, float]:
    """CPU seconds used so far by the app servers' process trees, by Chromium's (every process
    of it, ended renderers included once reaped) and by the rest of this process's tree (this
    Python and the Playwright driver)."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)

    def tree(root: int) -> list[int]:
        out, todo = [], [root]
        while todo:
            pid = todo.pop()
            if pid in table:
                out.append(pid)
                todo += children.get(pid, [])
        return out

    mine = tree(os.getpid())
    server = {q for pid in server_pids for q in tree(pid)}
    roots = [pid for pid in mine if table[pid][1] == "chromium"
             and table.get(table[pid][0], (0, "", 0.0))[1] != "chromium"]
    browser = {q for pid in roots for q in tree(pid)}
    return {"server": sum(table[p][2] for p in server),
            "browser": sum(table[p][2] for p in browser),
            "driver": sum(table[p][2] for p in mine if p not in server and p not in browser)}


def machine_info() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(),
                          re.MULTILINE)
        cpu = match.group(1).strip() if match else ""
    mem_kb = 0
    with contextlib.suppress(OSError):
        match = re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE)
        mem_kb = int(match.group(1)) if match else 0
    chromium = ""
    executable = harness.find_chromium()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run([str(executable), "--version"], capture_output=True, text=True,
                             timeout=30).stdout if executable else ""
        chromium = out.strip().splitlines()[0] if out.strip() else ""
    packages = {}
    for name in ("streamlit", "streamlit-folium", "folium", "branca", "shapely", "pyproj",
                 "playwright", "tornado", "numpy", "xstatic-leaflet", "xstatic-jquery",
                 "laovn-map"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            packages[name] = metadata.version(name)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "chromium": chromium, "packages": packages,
    }


def loadavg() -> list[float]:
    """1, 5 and 15 minute load averages: other work on the machine skews every figure."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        return []


def app_state() -> dict[str, Any]:
    """Which code was measured: HEAD and the files changed since (read-only git)."""
    state: dict[str, Any] = {}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        state["head"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                       capture_output=True, text=True, timeout=10).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout
        state["changed"] = sorted(line[3:] for line in status.splitlines()
                                  if not line[3:].startswith("bench/"))
    return state


# --- pages under test ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PageSpec:
    """A page and how the harness recognises its map as ready (CSS selectors in the map frame)."""

    name: str
    script: Path
    mission_sel: str
    mission_n: int
    province_sel: str
    province_n: int
    toggles: tuple[int | str, ...] = ()  # overlays to switch: a label, or an index (0, -1)
    #: Where the map's document is: a frame whose address holds this (streamlit-folium's
    #: component, the static site's embed page framed by its index), or "" for the top
    #: document itself (the site's embed page opened alone).
    map_doc_url: str = "/component/"
    #: The frame element that holds the map, for the `iframe_element` mark.
    map_iframe: str = harness.MAP_IFRAME

    def init_script(self) -> str:
        """INIT_JS set up to count this page's markers and provinces."""
        cfg = {"iframe": self.map_iframe, "mapDoc": self.map_doc_url,
               "mission": self.mission_sel, "missionN": self.mission_n,
               "province": self.province_sel, "provinceN": self.province_n}
        return INIT_JS.replace("__CFG__", json.dumps(cfg))


OURS_MISSIONS = "path.laovn-missions"
OURS_PROVINCES = "path.laovn-provinces_vn, path.laovn-provinces_la"
#: Overlays switched in the layer control: the second (Vietnamese provinces, the heaviest
#: vector layer, after the inland water) and the last (markers). By position, so relabelled
#: layers still work.
TOGGLES: tuple[int | str, ...] = (1, -1)


def page_specs(geo: Path) -> dict[str, PageSpec]:
    """The app, the naive baseline, the floor and the app's map alone, with the feature counts
    of the layers in `geo` (what "ready" means for each)."""
    counts = {}
    for name in ("missions", "provinces_vn", "provinces_la"):
        with contextlib.suppress(OSError, ValueError):
            counts[name] = len(json.loads((geo / LAYER_FILES[name]).read_text())["features"])
    n_m = counts.get("missions", 7)
    n_p = counts.get("provinces_vn", 10) + counts.get("provinces_la", 10)
    return {
        # The app's hooks: mapview gives every drawn feature the classes `laovn-<layer>` and
        # `laovn-id-<id>` (the browser tests use them too).
        "ours": PageSpec("ours", ROOT / "app.py", OURS_MISSIONS, n_m, OURS_PROVINCES, n_p,
                         TOGGLES),
        "naive": PageSpec("naive", PAGES / "naive_app.py", "img.leaflet-marker-icon", n_m,
                          "path.bench-province", n_p, TOGGLES),
        "floor": PageSpec("floor", PAGES / "floor_app.py", "path.bench-floor-marker", 1, "", 0),
        # ours without the page around the map: splits ours/floor into map and page UI
        "map_alone": PageSpec("map_alone", PAGES / "map_alone_app.py", OURS_MISSIONS, n_m,
                              OURS_PROVINCES, n_p),
    }


def default_geo() -> Path:
    """The layers the pages read: `$LAOVN_GEO_DIR`, else geo/, as the app resolves it."""
    from laovn_map.geo.reader import default_geo_dir

    return default_geo_dir(ROOT).resolve()


def serve(spec: PageSpec, geo: Path) -> harness.AppServer:
    """The page's server (not started), run from the repository like `streamlit run app.py`."""
    return harness.AppServer(spec.script, geo, cwd=ROOT)


# Runs in the top page at document start. It keeps a log of the map frame's marker and province
# counts, each stamped once the frame that shows it has been painted, and of the Streamlit
# status widget, with the top page's performance.now() (milliseconds since its navigation
# start), so every figure is measured in the page. Painted, not merely in the DOM: work a map
# leaves for just before its first paint (a measurement, a label placement) is counted.
INIT_JS = r"""
(() => {
  if (window !== window.top) return;
  const CFG = __CFG__;
  const lb = window.__lb = {log: [], status: [], cfg: CFG, marks: {}, long: []};
  const mark = (k) => { if (!(k in lb.marks)) lb.marks[k] = performance.now(); };
  try {  // main-thread tasks over 50 ms, in this page and its same-origin frames
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const a = (e.attribution && e.attribution[0]) || {};
        lb.long.push([e.startTime, e.duration, e.name, a.containerSrc || '']);
      }
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { /* no Long Tasks API */ }
  let busy = null;
  const status = () => {
    if (document.querySelector(CFG.iframe)) mark('iframe_element');
    const s = !!document.querySelector('[data-testid="stStatusWidget"]');
    if (s !== busy) { busy = s; lb.status.push([performance.now(), s]); }
  };
  new MutationObserver(status).observe(document, {childList: true, subtree: true});
  // The map's iframe first holds about:blank, then its own document: watch each map
  // document as soon as it exists (same origin, so readable from here); with no frame
  // address configured, the map is in this document.
  const seen = new WeakSet();
  const frameDocs = () => [...document.querySelectorAll('iframe')].map((frame) => {
    try { return frame.contentDocument; } catch (e) { return null; }
  });
  const attach = () => {
    for (const doc of CFG.mapDoc ? frameDocs() : [document]) {
      if (!doc || seen.has(doc) || (CFG.mapDoc && !String(doc.URL).includes(CFG.mapDoc))) continue;
      seen.add(doc);
      mark('component_doc');
      let last = '';
      const count = (sel) => sel ? doc.querySelectorAll(sel).length : 0;
      const win = doc.defaultView;
      const check = () => {
        if (doc.querySelector('.leaflet-container')) mark('leaflet_container');
        if (doc.querySelector('.leaflet-overlay-pane path')) mark('first_vector');
        const m = count(CFG.mission), p = count(CFG.province);
        const key = m + '/' + p;
        if (key === last) return;
        last = key;
        if (m === CFG.missionN && p === CFG.provinceN) mark('map_in_dom');
        // the count as painted: after the next frame of the map's document (its
        // requestAnimationFrame runs before that frame's layout and paint, the timer after)
        win.requestAnimationFrame(() => setTimeout(() => lb.log.push([performance.now(), m, p]), 0));
      };
      new MutationObserver(check).observe(doc, {childList: true, subtree: true});
      check();
    }
  };
  setInterval(attach, 10);
})();
"""

# Clicks an overlay checkbox of the Leaflet layer control inside the map frame (by label, or by
# index: 0 the first overlay, -1 the last) and times, in the frame, until the number of drawn
# vectors and markers changes, and until the next frame after that.
TOGGLE_JS = r"""
async ([which]) => {
  const labels = [...document.querySelectorAll('.leaflet-control-layers-overlays label')];
  if (!labels.length) return {error: 'no overlays in a layer control'};
  const lab = typeof which === 'number' ? labels[(which + labels.length) % labels.length]
    : labels.find((l) => l.textContent.trim() === which);
  if (!lab) return {error: 'no overlay labelled ' + which};
  const input = lab.querySelector('input');
  // every shape in any pane (the points have a pane of their own) and the labels
  const sel = '.leaflet-map-pane path, .leaflet-marker-pane > *';
  const count = () => document.querySelectorAll(sel).length;
  const before = count();
  const t0 = performance.now();
  input.click();
  let tDom = count() !== before ? performance.now() : null;
  if (tDom === null) {
    await new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (count() !== before) { tDom = performance.now(); mo.disconnect(); resolve(); }
      });
      mo.observe(document, {childList: true, subtree: true});
      setTimeout(() => { mo.disconnect(); resolve(); }, 5000);
    });
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return {label: lab.textContent.trim(), checked: input.checked, before: before,
          after: count(), dom: tDom === null ? null : tDom - t0, frame: performance.now() - t0};
}
"""

# Clicks a sidebar checkbox (by its label) and returns the top page's time of the click.
SIDEBAR_CLICK_JS = r"""
(label) => {
  const labs = [...document.querySelectorAll('[data-testid="stSidebar"] label')];
  const lab = labs.find((l) => l.textContent.trim() === label);
  if (!lab) return null;
  const t = performance.now();
  lab.querySelector('input').click();
  return t;
}
"""


#: What `ready_at` reads from the page: the count log, the status widget log and the config.
STATE_JS = "() => window.__lb && [window.__lb.log, window.__lb.status, window.__lb.cfg]"


def ready_at(state: Sequence[Any] | None, after_ms: float = 0.0,
             pred: Callable[[int, int], bool] | None = None, settle: bool = False
             ) -> float | None:
    """Top-page ms at which the map frame's counts (missions, provinces) first satisfied `pred`
    (default: the page's full counts) after `after_ms` and still do; with `settle`, also after
    the Streamlit status widget had gone. None while that has not happened. `state` is what
    STATE_JS returned (None before the page ran INIT_JS)."""
    if not state:
        return None
    log, status, cfg = state
    want = (cfg["missionN"], cfg["provinceN"])
    ok = pred or (lambda m, p: (m, p) == want)
    hits = [t for t, m, p in log if t >= after_ms and ok(m, p)]
    if not hits or not ok(log[-1][1], log[-1][2]):
        return None
    if not settle:
        return float(hits[0])
    if status and status[-1][1]:
        return None  # still running
    gone = [t for t, shown in status if t >= after_ms and not shown]
    return float(max([hits[0], *gone]))


def toggle_problem(step: str, res: dict[str, Any], before: object) -> str | None:
    """What went wrong in one click of TOGGLE_JS (`res`), None if nothing: `step` "on" must
    bring back the `before` count the "off" click started from."""
    label = res.get("label")
    if res.get("error"):
        return str(res["error"])
    if step == "on" and res.get("after") != before:
        return f"{label}: {before} drawn before, {res.get('after')} after off and on"
    if res.get("dom") is None:
        return f"{label}: the DOM did not change in 5 s"
    return None


@dataclass
class Session:
    """One page in a fresh browser profile, with what it sent and received."""

    page: Any
    context: Any
    profile: Path
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    ws_sent: list[tuple[float, int]] = field(default_factory=list)
    ws_recv: list[tuple[float, bytes]] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def sent_between(self, t0: float, t1: float) -> int:
        return sum(1 for t, _ in self.ws_sent if t0 <= t <= t1)

    def state(self) -> list[Any] | None:
        """The page's count log, status widget log and config (see STATE_JS)."""
        got: list[Any] | None = self.page.evaluate(STATE_JS)
        return got

    def wait_ready(self, after_ms: float = 0.0, pred: Callable[[int, int], bool] | None = None,
                   settle: bool = False, timeout_s: float = READY_TIMEOUT_S) -> float | None:
        """`ready_at` once it has a time, polled every 50 ms; None after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if (t := ready_at(self.state(), after_ms, pred, settle)) is not None:
                return t
            self.page.wait_for_timeout(50)
        return None


class Browser:
    """Playwright + the harness's offline Chromium; every page gets a fresh profile and the
    localhost-only routing."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw_cm = sync_playwright()
        self.pw = self._pw_cm.__enter__()

    def close(self) -> None:
        self._pw_cm.__exit__(None, None, None)

    def session(self, spec: PageSpec) -> Session:
        """A new page in a fresh on-disk profile (a new browser process)."""
        profile = Path(tempfile.mkdtemp(prefix="laovn-bench-profile-"))
        context = self.pw.chromium.launch_persistent_context(
            str(profile), **harness.launch_options(), **harness.context_options())
        page = context.pages[0] if context.pages else context.new_page()
        sess = Session(page=page, context=context, profile=profile)
        context.route(harness.NOT_LOCAL, harness.LocalOnly(sess.blocked))
        context.add_init_script(spec.init_script())
        page.set_default_timeout(30_000)
        page.on("pageerror", lambda e: sess.page_errors.append(str(e)))
        page.on("response", lambda r: sess.responses.append(r))

        def on_ws(ws: Any) -> None:
            ws.on("framesent", lambda p: sess.ws_sent.append((time.monotonic(), len(p))))
            ws.on("framereceived", lambda p: sess.ws_recv.append(
                (time.monotonic(), p if isinstance(p, bytes) else p.encode())))

        page.on("websocket", on_ws)
        return sess


def map_frame(page: Any) -> Any:
    """The map's frame in a sync or async Playwright page, None before it exists."""
    for frame in page.frames:
        if "/component/streamlit_folium" in frame.url:
            return frame
    return None
