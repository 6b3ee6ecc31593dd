"""The page's start command: ``python -m laovn_map.page.serve app.py [Streamlit's options]`` is
``streamlit run app.py [options]`` with the page warmed at start-up (what `dev.py app` runs).

The first visit after a start used to cost twice what later ones cost: its run of app.py
imported the page's modules (folium, streamlit-folium, …) and worked out everything the process
then keeps for the build (`component.kept`: the layers, their browser data, the map's
component arguments). Streamlit has no start hook, so once the server answers, a thread of
this process opens one session of its own over the page's websocket, as a browser would, asks
for the first run of a visitor with no query, and closes it when the run has finished
(bench/README.md, "The first visit"). That run is a visitor's, through the same code: the
same imports in the same process, the same kept values, and whatever Streamlit itself does
once (the script's compilation, streamlit-folium's component registered with the server,
which happens only inside a run). Calling app.py's functions from a thread instead would
have needed a copy of the run's choices and, without a run, left the map's component
unregistered.

Warming is an extra: the thread waits until the server answers, so the start is not delayed;
a visitor who comes meanwhile waits for the values being worked out, never works them out
twice (`component.kept`); a failure is one line in the log, never a traceback; a broken
`geo/` is reported by the page's run as at any visit. ``streamlit run app.py`` still works, cold.

Imports Streamlit (its command line, its configuration and its wire format) like
`page/component.py`; nothing of the package imports this module.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from streamlit import config
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect
from websockets.typing import Subprotocol

#: How long the warm-up waits for the server to answer, then for the run to finish.
START_WAIT_S = 60.0
RUN_WAIT_S = 300.0
_POLL_S = 0.05
#: The subprotocol Streamlit's page asks for on its websocket.
SUBPROTOCOL = Subprotocol("streamlit")
#: Addresses that mean "every interface": the warm-up connects to this machine's loopback.
_ANY_ADDRESS = ("", "0.0.0.0", "::")
_LOOPBACK = "127.0.0.1"
#: What the log says once the first visit's run has been done at start-up (tests read it).
WARMED = "warmed the page at start-up"
NOT_WARMED = "the page was not warmed at start-up"
_log = logging.getLogger("laovn_map.page.serve")


def server_url(address: str, port: int, base_path: str, tls: bool = False) -> str:
    """The page's address as this process reaches it, ending in ``/``."""
    host = _LOOPBACK if address in _ANY_ADDRESS else address
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    base = "/".join(part for part in base_path.split("/") if part)
    return f"{'https' if tls else 'http'}://{host}:{port}/" + (f"{base}/" if base else "")


def stream_url(page_url: str) -> str:
    """The page's websocket (Streamlit's ``_stcore/stream``) at `page_url`."""
    return "ws" + page_url.removeprefix("http") + "_stcore/stream"


def first_visit() -> bytes:
    """The message a browser sends for its first run of the page, with no query."""
    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_script_hash = ""
    data: bytes = message.SerializeToString()
    return data


def _configured_url() -> str:
    return server_url(str(config.get_option("server.address") or ""),
                      int(config.get_option("server.port")),
                      str(config.get_option("server.baseUrlPath") or ""),
                      bool(config.get_option("server.sslCertFile")))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_for_server(wait_s: float = START_WAIT_S) -> str:
    """The page's address once its server answers (`_stcore/health`); TimeoutError after
    `wait_s`. Only polls: the server's start is never held up."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        # the configuration is read once the runtime exists: the command line set it by then
        if Runtime.exists() and _answers((url := _configured_url()) + "_stcore/health"):
            return url
        time.sleep(_POLL_S)
    raise TimeoutError(f"the server did not answer within {wait_s:g} s")


def run_once(page_url: str, wait_s: float = RUN_WAIT_S) -> str:
    """One headless session of the page: the first run of a visitor, to its end; the name of
    how the run finished."""
    if page_url.startswith("https"):
        raise ValueError("served over TLS: the warm-up speaks plain HTTP only")
    deadline = time.monotonic() + wait_s
    # the map's message is about a megabyte: no limit on a message's size
    with connect(stream_url(page_url), subprotocols=[SUBPROTOCOL], max_size=None,
                 open_timeout=wait_s) as socket:
        socket.send(first_visit())
        while True:
            data = socket.recv(timeout=max(0.0, deadline - time.monotonic()))
            message = ForwardMsg.FromString(data if isinstance(data, bytes) else data.encode())
            if message.WhichOneof("type") == "script_finished":
                return str(ForwardMsg.ScriptFinishedStatus.Name(message.script_finished))


def warm(start_wait_s: float = START_WAIT_S, run_wait_s: float = RUN_WAIT_S) -> bool:
    """Run the first visit's run once the server answers; say in the log how it went. Never
    raises: warming is an extra."""
    try:
        url = wait_for_server(start_wait_s)
        started = time.monotonic()
        finished = run_once(url, run_wait_s)
    except (OSError, TimeoutError, ValueError, WebSocketException) as exc:
        _log.warning("%s: %s", NOT_WARMED, exc or type(exc).__name__)
        return False
    except Exception as exc:  # an extra: whatever it was, one line, never a traceback
        _log.warning("%s: %s: %s", NOT_WARMED, type(exc).__name__, exc)
        return False
    _log.info("%s: the first visit's run (%s) in %.1f s", WARMED, finished,
              time.monotonic() - started)
    return True


def log_to_stderr() -> None:
    """The package's log lines (INFO and up: the warm-up, the values `component.kept` works
    out, the page's errors) on standard error beside Streamlit's."""
    handler = logging.StreamHandler(sys.stderr)
    # dated as Streamlit dates its own lines
    handler.setFormatter(logging.Formatter("%(asctime)s.%(msecs)03d %(name)s: %(message)s",
                                           "%Y-%m-%d %H:%M:%S"))
    package = logging.getLogger("laovn_map")
    package.addHandler(handler)
    package.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> None:
    """``streamlit run`` with `argv` (the script, then Streamlit's options), warmed."""
    from streamlit.web import cli

    log_to_stderr()
    threading.Thread(target=warm, name="laovn-warm", daemon=True).start()
    cli.main(["run", *(sys.argv[1:] if argv is None else argv)], prog_name="streamlit")


if __name__ == "__main__":
    main()
