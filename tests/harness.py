"""The page as the browser tests and the benchmarks drive it: ``streamlit run`` on a free
127.0.0.1 port reading a given geo folder, Debian's Chromium launched headless and offline, and
request routing that lets only localhost through and records what it blocked.

``tests/browser`` and ``bench/`` both use this module, so what the tests check and what the
benchmarks time is the same server on the same browser. Playwright is a development dependency:
it is named here for type checking only, and the callers bring their own sync or async API.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlparse

from laovn_map.catalog import GEO_DIR_ENV
from laovn_map.errors import HarnessError

HOST = "127.0.0.1"
#: Hosts and URL schemes the browser may load: the app itself and what a page makes in memory.
LOCAL_HOSTS = (HOST, "localhost")
LOCAL_SCHEMES = ("data:", "blob:", "about:")
#: The URL pattern the routing is given: every URL that `is_local` does not pass (in memory, or
#: the app's own host with an optional port, then the path; anything unusual, such as capitals
#: or a user name, is matched and left to `LocalOnly` to judge). Playwright matches it in its
#: driver, so only such requests come to Python to be aborted; the app's own (about 90 per
#: page load) go straight on. A round trip to Python per request put every wave of the page's
#: script chunks behind a starved test process on a busy machine (bench/README.md, Stalls).
NOT_LOCAL = re.compile(r"^(?!(?:data|blob|about):|[a-z][a-z0-9+.-]*://"
                       r"(?:127\.0\.0\.1|localhost)(?::\d+)?(?:[/?#]|$))")
#: Every request: the pattern of a page opened from disk (`LocalOnly(files=True)` decides).
EVERY_URL = "**/*"
START_TIMEOUT_S = 60.0
#: `python -m streamlit run SCRIPT …`, and the app's start command (`python3 dev.py app`):
#: `python -m laovn_map.page.serve SCRIPT …`, the same server with the page warmed at start-up.
STREAMLIT_RUN = ("-m", "streamlit", "run")
STARTER = ("-m", "laovn_map.page.serve")
_POLL_S = 0.01
_LOG_TAIL_CHARS = 3000

CHROMIUM_ENV = "LAOVN_CHROMIUM"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
#: Headless, and none of Chromium's own traffic (updates, sync, first-run pages, QUIC), so the
#: only requests are the page's, and every one of them passes the routing. Without the omnibox
#: popup's WebUI: headless Chromium 156 opens two of its pages (a renderer, ~1.5 CPU s) with
#: every browser context, which nobody sees (bench/README.md, Stalls).
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
)
#: The window the tests and the benchmarks load the page in (the map-alone bench page is sized
#: to the app's map at this viewport).
VIEWPORT = {"width": 1440, "height": 1000}
#: The streamlit-folium component frame that holds the map (by its address: the map's script
#: gives the frame a title in the page's language).
MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'


# --- the app server ------------------------------------------------------------------------------

def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


#: streamlit-folium's frontend sends the map's value this long after a move or a click
#: (`debouncedUpdateComponentValue`: underscore's debounce, in the package's built main.js;
#: tests/test_harness.py holds it to the installed package).
STFOLIUM_DEBOUNCE_MS = 250


@dataclass
class AppServer:
    """``streamlit run <script>`` on a free 127.0.0.1 port with ``LAOVN_GEO_DIR=<geo_dir>``, in
    its own process group so that stopping it stops everything it started.

    The output goes to ``log`` (kept), or to a temporary file removed at :meth:`stop`. Use it as
    a context manager, or call :meth:`start` and :meth:`stop`.
    """

    script: Path
    geo_dir: Path
    #: The working folder, where Streamlit reads `.streamlit/config.toml`; default the script's.
    cwd: Path | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    log: Path | None = None
    start_timeout_s: float = START_TIMEOUT_S
    #: How Python starts the page: `streamlit run` (the default), or the app's own start
    #: command, `STARTER` (`laovn_map.page.serve`: the same server, warmed at start-up).
    launcher: tuple[str, ...] = STREAMLIT_RUN
    port: int = field(default=0, init=False)
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _temporary_log: bool = field(default=False, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs (its process group has the same id)."""
        return self._proc.pid if self._proc else None

    def command(self) -> list[str]:
        return [sys.executable, *self.launcher, str(self.script),
                "--server.headless=true", f"--server.port={self.port}",
                f"--server.address={HOST}", "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none"]

    def start(self) -> float:
        """Start the server and wait for the first 200 from ``/_stcore/health``; return the
        seconds that took. Raises :class:`HarnessError`, with the end of the server's output,
        when it exits or does not answer within ``start_timeout_s``."""
        self.port = free_port()
        if self.log is None:
            fd, name = tempfile.mkstemp(prefix="laovn-streamlit-", suffix=".log")
            os.close(fd)
            self.log, self._temporary_log = Path(name), True
        env = {**os.environ, "PYTHONWARNINGS": "ignore", **self.env,
               GEO_DIR_ENV: str(self.geo_dir)}
        started = time.perf_counter()
        with self.log.open("wb") as out:
            self._proc = subprocess.Popen(self.command(), cwd=self.cwd or self.script.parent,
                                          env=env, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        health = f"{self.url}_stcore/health"
        try:
            while time.perf_counter() - started < self.start_timeout_s:
                if _answers(health):
                    return time.perf_counter() - started
                try:
                    code = self._proc.wait(timeout=_POLL_S)  # the poll interval, or its exit
                except subprocess.TimeoutExpired:
                    continue
                what = f"exited with {code} before {health} answered"
                break
            else:
                what = f"did not answer {health} within {self.start_timeout_s:.0f} s"
        except BaseException:
            # Ctrl-C while waiting: the server runs in a session of its own, which the
            # interrupt does not reach, so it is stopped here.
            self.stop()
            raise
        self._temporary_log = False  # kept: the message points to it
        tail = self.log.read_text(errors="replace")[-_LOG_TAIL_CHARS:]
        self.stop()
        raise HarnessError(f"streamlit run {self.script} with {GEO_DIR_ENV}={self.geo_dir} {what}; "
                           f"its output, kept in {self.log}, ends:\n{tail}")

    def stop(self) -> None:
        """Stop the server's process group (SIGTERM, then SIGKILL after 10 s); idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # the group start() created, nothing else
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if self._temporary_log and self.log is not None:
            self.log.unlink(missing_ok=True)
            self.log, self._temporary_log = None, False

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


@contextlib.contextmanager
def static_server(root: Path, timeout_s: float = 20.0) -> Iterator[str]:
    """``python -m http.server`` serving `root` on a free 127.0.0.1 port, as any static host
    would (the static site's tests): its address, ``http://127.0.0.1:PORT/``."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", HOST,
                                "--directory", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    origin = f"http://{HOST}:{port}/"
    try:
        deadline = time.monotonic() + timeout_s
        while not _answers(origin):
            if time.monotonic() > deadline or process.poll() is not None:
                raise HarnessError(f"python -m http.server on {root} did not answer at {origin}")
            time.sleep(0.05)
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


# --- the offline browser -------------------------------------------------------------------------

def find_chromium() -> Path | None:
    """``$LAOVN_CHROMIUM``, else Debian's /usr/bin/chromium, else ``chromium`` on the PATH."""
    wanted = Path(os.environ.get(CHROMIUM_ENV) or DEBIAN_CHROMIUM)
    if wanted.exists():
        return wanted
    found = shutil.which("chromium")
    return Path(found) if found else None


def launch_options() -> dict[str, Any]:
    """Keyword arguments for Playwright's ``chromium.launch`` and ``launch_persistent_context``:
    the system Chromium, headless, without its own network traffic."""
    executable = find_chromium()
    if executable is None:
        wanted = os.environ.get(CHROMIUM_ENV) or DEBIAN_CHROMIUM
        raise HarnessError(f"Chromium not found at {wanted} nor on the PATH: install Debian's "
                           f"chromium (apt-get install chromium) or set {CHROMIUM_ENV} to it")
    return {"executable_path": str(executable), "args": list(CHROMIUM_ARGS), "headless": True}


def context_options() -> dict[str, Any]:
    """Keyword arguments for a browser context: the shared viewport, and service workers
    blocked (a service worker's requests would bypass the routing)."""
    return {"viewport": dict(VIEWPORT), "service_workers": "block"}


def is_local(url: str) -> bool:
    """May the page load this URL offline: the local server, or a data:/blob:/about: URL."""
    return url.startswith(LOCAL_SCHEMES) or urlparse(url).hostname in LOCAL_HOSTS


class _Request(Protocol):
    @property
    def url(self) -> str: ...


class _Route(Protocol):
    """What :class:`LocalOnly` uses of a Playwright ``Route`` (sync or async API)."""

    @property
    def request(self) -> _Request: ...

    def continue_(self) -> object: ...

    def abort(self) -> object: ...


@dataclass
class LocalOnly:
    """Route handler for ``context.route(NOT_LOCAL, handler)`` (a page of the local server:
    the pattern hands it no local request; checked again all the same) or, with ``files``,
    for ``context.route(EVERY_URL, handler)`` (a page from disk: file: and data: URLs go
    through, any http(s) is aborted). What is aborted is appended to ``blocked``.

    The same handler serves the sync and the async API: it returns what ``continue_`` or
    ``abort`` return, which the async API awaits.
    """

    blocked: list[str] = field(default_factory=list)
    #: Files instead of the local server: for a page opened from disk (the offline HTML
    #: export), which may load files and in-memory URLs only.
    files: bool = False
    #: One server only (``http://127.0.0.1:PORT/``): for the static site, whose pages may
    #: load nothing from another local server either.
    origin: str | None = None

    def __call__(self, route: _Route) -> object:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES) or (
                url.startswith("file:") if self.files
                else url.startswith(self.origin) if self.origin else is_local(url)):
            return route.continue_()
        self.blocked.append(url)
        return route.abort()
