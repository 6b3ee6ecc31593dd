"""The harness that the browser tests and bench/ share: its routing, its failures, and that
neither of them carries its own copy of the server, the browser or the geometry measure."""

from __future__ import annotations

import ast
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import harness

from .conftest import APP, FIXTURE, ROOT

BENCH = ROOT / "bench"
BROWSER_TESTS = ROOT / "tests" / "browser"


@dataclass
class FakeRoute:
    """What LocalOnly sees of a Playwright route: the URL, and which answer it gave."""

    url: str
    answered: list[str] = field(default_factory=list)

    @property
    def request(self) -> FakeRoute:
        return self

    def continue_(self) -> None:
        self.answered.append("continue")

    def abort(self) -> None:
        self.answered.append("abort")


URLS = [
    ("http://127.0.0.1:8501/", True),
    ("http://localhost:8501/_stcore/health", True),
    ("http://127.0.0.1", True),
    ("http://localhost:8501?x=1", True),
    ("data:text/javascript;base64,AA==", True),
    ("blob:http://127.0.0.1:8501/x", True),
    ("about:blank", True),
    ("https://unpkg.com/leaflet.js", False),
    ("http://127.0.0.1.example.com/", False),
    ("http://localhost@example.com/", False),
    ("http://127.0.0.1:8501@example.com/", False),
    ("ws://10.0.0.1:8501/_stcore/stream", False),
]


@pytest.mark.parametrize(("url", "local"), URLS)
def test_only_localhost_goes_through_and_the_rest_is_recorded(url: str, local: bool) -> None:
    route = FakeRoute(url)
    routing = harness.LocalOnly()
    routing(route)
    assert route.answered == (["continue"] if local else ["abort"])
    assert routing.blocked == ([] if local else [url])


@pytest.mark.parametrize(("url", "local"), [
    ("file:///tmp/laovn-map-en-all.html", True),
    ("data:text/javascript;base64,AA==", True),
    ("http://127.0.0.1:8501/", False),
    ("https://unpkg.com/leaflet.js", False),
])
def test_a_page_from_disk_may_load_files_only(url: str, local: bool) -> None:
    route = FakeRoute(url)
    routing = harness.LocalOnly(files=True)
    routing(route)
    assert route.answered == (["continue"] if local else ["abort"])
    assert routing.blocked == ([] if local else [url])


@pytest.mark.parametrize(("url", "local"), URLS)
def test_the_route_pattern_hands_over_every_url_that_is_not_local(url: str, local: bool) -> None:
    """Playwright matches NOT_LOCAL in its driver: what it lets pass never reaches LocalOnly,
    so it must pass exactly the local URLs."""
    assert harness.is_local(url) is local
    assert bool(harness.NOT_LOCAL.search(url)) is not local


@pytest.mark.parametrize("url", ["HTTP://LOCALHOST:8501/", "http://LocalHost/"])
def test_the_route_pattern_leaves_unusual_local_urls_to_the_handler(url: str) -> None:
    """Capitals and the like go to LocalOnly, which lets them through: a round trip, not a
    block and not a leak."""
    assert harness.NOT_LOCAL.search(url) and harness.is_local(url)


def test_a_missing_chromium_is_named_with_the_fix(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv(harness.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert harness.find_chromium() is None
    with pytest.raises(harness.HarnessError, match=r"no-chromium.*apt-get install chromium"):
        harness.launch_options()


def test_chromium_is_launched_headless_and_offline(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.touch()
    monkeypatch.setenv(harness.CHROMIUM_ENV, str(fake))
    options = harness.launch_options()
    assert options["executable_path"] == str(fake) and options["headless"] is True
    assert {"--disable-background-networking", "--disable-quic"} <= set(options["args"])
    # no omnibox popup pages in every context (a renderer of their own, ~1.5 CPU s each)
    disabled = [a for a in options["args"] if a.startswith("--disable-features=")]
    assert disabled and {"WebUIOmniboxPopup", "WebUIOmniboxAimPopup"} <= set(
        disabled[0].split("=", 1)[1].split(","))
    assert harness.context_options()["service_workers"] == "block"


def test_a_server_that_exits_is_reported_with_its_output(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    server = harness.AppServer(tmp_path / "missing.py", FIXTURE, log=log)
    with pytest.raises(harness.HarnessError) as failure:
        server.start()
    message = str(failure.value)
    assert "missing.py" in message and "exited with" in message and str(log) in message
    assert "File does not exist" in message  # the end of streamlit's own output
    assert server.pid is None


def test_the_server_answers_on_localhost_and_stops_with_its_process_group() -> None:
    with harness.AppServer(APP, FIXTURE, cwd=ROOT) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert "--server.address=127.0.0.1" in server.command()
        group = server.pid
        assert group is not None
    assert server.pid is None
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)  # nothing of the server's group is left


# --- what bench/ and the browser tests no longer carry themselves ---------------------------------

def _sources(*folders: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8")
            for folder in folders for path in sorted(folder.rglob("*.py"))}


@pytest.mark.parametrize("copy", [
    "socket.socket(",  # a free port
    '"--disable-quic"',  # Chromium's flags
    '"/usr/bin/chromium"',  # its path
    "urlopen(",  # the health wait
    ".abort()",  # the localhost-only routing
])
def test_bench_and_browser_tests_use_the_shared_harness(copy: str) -> None:
    holders = [path.relative_to(ROOT) for path, text in _sources(BENCH, BROWSER_TESTS).items()
               if copy in text]
    assert not holders, f"{copy!r} is in {holders}: use tests.harness"


def test_bench_modules_do_not_import_each_other_in_a_cycle() -> None:
    modules = {path.stem: path for path in BENCH.glob("*.py")}
    imports: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {node.module for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and node.module}
        imports[name] = names & set(modules)

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
                   for nxt in imports[start])

    cycles = sorted(name for name in modules if reaches(name, name))
    assert not cycles, f"bench modules in an import cycle: {cycles} ({imports})"


def test_bench_is_type_checked_like_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert {"src/laovn_map", "app.py", "bench"} <= set(config["files"])


def test_the_geometry_budget_uses_the_package_measure() -> None:
    """One Hausdorff distance: `display.hausdorff_m`, which tests/test_display.py checks."""
    sources = _sources(BENCH)
    assert not [p for p, text in sources.items() if "hausdorff_distance" in text]
    assert "from laovn_map.page.simplify import hausdorff_m" in sources[BENCH / "probe.py"]


def test_streamlit_folium_debounces_the_maps_value_as_the_tests_assume() -> None:
    import streamlit_folium

    built = Path(streamlit_folium.__file__).parent / "frontend" / "build" / "static" / "js"
    script = "".join(p.read_text(encoding="utf-8") for p in built.glob("main.*.js"))
    assert f"(updateComponentValue,{harness.STFOLIUM_DEBOUNCE_MS})" in script

