"""Shared pieces of the benchmark harness: the app as a subprocess, headless Chromium with
in-page timing, /proc readings, machine info and statistics. Standard library + the project's
own dependencies (playwright) only; everything targets 127.0.0.1."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PAGES = BENCH / "pages"
PY = sys.executable
CHROMIUM = os.environ.get("LAOVN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 1000}
IFRAME = 'iframe[title*="streamlit_folium"]'
START_TIMEOUT_S = 60.0
READY_TIMEOUT_S = 90.0


# --- statistics --------------------------------------------------------------------------------

def summary(samples: list[float]) -> dict[str, Any]:
    """Median, min and max of the samples (None when there are none)."""
    vals = [float(s) for s in samples if s is not None]
    if not vals:
        return {"n": 0, "median": None, "min": None, "max": None, "samples": []}
    return {"n": len(vals), "median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "samples": [round(v, 4) for v in vals]}


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
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
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


# --- the app as a subprocess --------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """`streamlit run <script>` on a free 127.0.0.1 port, in its own process group."""

    script: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        return [PY, "-m", "streamlit", "run", str(self.script), "--server.headless=true",
                f"--server.port={self.port}", "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]

    def start(self) -> float:
        """Start and wait for the first 200 from /_stcore/health; return the seconds it took."""
        self.port = free_port()
        fd, name = tempfile.mkstemp(prefix="laovn-bench-", suffix=".log")
        self.log = Path(name)
        env = {**os.environ, "PYTHONWARNINGS": "ignore", **self.env}
        t0 = time.perf_counter()
        with os.fdopen(fd, "wb") as out:
            self.proc = subprocess.Popen(self.command(), cwd=ROOT, env=env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = t0 + START_TIMEOUT_S
        health = f"{self.url}_stcore/health"
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n"
                                   f"{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(health, timeout=1) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - t0
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"streamlit not healthy after {START_TIMEOUT_S:.0f} s")

    def rss_kb(self) -> int | None:
        return proc_status_kb(self.proc.pid, "VmRSS") if self.proc else None

    def hwm_kb(self) -> int | None:
        return proc_status_kb(self.proc.pid, "VmHWM") if self.proc else None

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # the group we created, nothing else
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.proc = None
        if self.log is not None:
            with contextlib.suppress(OSError):
                self.log.unlink()


@contextlib.contextmanager
def running(script: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(script, env=dict(env or {}))
    server.start()
    try:
        yield server
    finally:
        server.stop()


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

    def ready_cfg(self) -> dict[str, Any]:
        return {"mission": self.mission_sel, "missionN": self.mission_n,
                "province": self.province_sel, "provinceN": self.province_n}


# Runs in the top page at document start. It keeps a log of the map frame's marker and province
# counts and of the Streamlit status widget, each stamped with the top page's performance.now()
# (milliseconds since its navigation start), so every figure is measured in the page.
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
    if (document.querySelector('iframe[title*="streamlit_folium"]')) mark('iframe_element');
    const s = !!document.querySelector('[data-testid="stStatusWidget"]');
    if (s !== busy) { busy = s; lb.status.push([performance.now(), s]); }
  };
  new MutationObserver(status).observe(document, {childList: true, subtree: true});
  // The component iframe first holds about:blank, then its own document: watch each
  // component document as soon as it exists (same origin, so readable from here).
  const seen = new WeakSet();
  const attach = () => {
    for (const frame of document.querySelectorAll('iframe')) {
      let doc = null;
      try { doc = frame.contentDocument; } catch (e) { continue; }
      if (!doc || seen.has(doc) || !String(doc.URL).includes('/component/')) continue;
      seen.add(doc);
      mark('component_doc');
      let last = '';
      const count = (sel) => sel ? doc.querySelectorAll(sel).length : 0;
      const check = () => {
        if (doc.querySelector('.leaflet-container')) mark('leaflet_container');
        if (doc.querySelector('.leaflet-overlay-pane path')) mark('first_vector');
        const m = count(CFG.mission), p = count(CFG.province);
        const key = m + '/' + p;
        if (key !== last) { last = key; lb.log.push([performance.now(), m, p]); }
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
  const sel = '.leaflet-overlay-pane path, .leaflet-marker-pane > *';
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


def is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlparse(url).hostname in ("127.0.0.1", "localhost")


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

    def state(self) -> tuple[list[Any], list[Any], dict[str, Any]] | None:
        got = self.page.evaluate("() => window.__lb && [window.__lb.log, window.__lb.status, "
                                 "window.__lb.cfg]")
        return (got[0], got[1], got[2]) if got else None

    def wait_ready(self, after_ms: float = 0.0, pred: Any = None, settle: bool = False,
                   timeout_s: float = READY_TIMEOUT_S) -> float | None:
        """Top-page ms at which the map frame's counts (missions, provinces) first satisfied
        `pred` (default: the page's full counts) after `after_ms` and still do; with `settle`,
        also after the Streamlit status widget had gone. None on timeout."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            state = self.state()
            if state:
                log, status, cfg = state
                want = (cfg["missionN"], cfg["provinceN"])
                ok = pred or (lambda m, p, want=want: (m, p) == want)
                hits = [t for t, m, p in log if t >= after_ms and ok(m, p)]
                if hits and ok(log[-1][1], log[-1][2]):
                    t_map = hits[0]
                    if not settle:
                        return float(t_map)
                    if not (status[-1][1] if status else False):
                        gone = [t for t, s in status if t >= after_ms and not s]
                        return float(max([t_map, *gone]))
            self.page.wait_for_timeout(50)
        return None


class Browser:
    """Playwright + Debian Chromium; every page gets a fresh profile and offline routing."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw_cm = sync_playwright()
        self.pw = self._pw_cm.__enter__()

    def close(self) -> None:
        self._pw_cm.__exit__(None, None, None)

    def session(self, spec: PageSpec) -> Session:
        """A new page in a fresh on-disk profile (a new browser process)."""
        kwargs: dict[str, Any] = {"viewport": VIEWPORT, "service_workers": "block"}
        profile = Path(tempfile.mkdtemp(prefix="laovn-bench-profile-"))
        context = self.pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **kwargs)
        page = context.pages[0] if context.pages else context.new_page()
        sess = Session(page=page, context=context, profile=profile)

        def route(r: Any) -> None:
            if is_local(r.request.url):
                r.continue_()
            else:
                sess.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        context.add_init_script(INIT_JS.replace("__CFG__", json.dumps(spec.ready_cfg())))
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
    for frame in page.frames:
        if "/component/streamlit_folium" in frame.url:
            return frame
    return None
