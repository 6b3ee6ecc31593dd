"""The wheel on its own: built from the tracked files, installed without the checkout, it builds
the layers and writes every export format (issue: the map script was missing from the wheel)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from laovn_map.page import runtime

from .conftest import GEO, ROOT

FORMATS = ("gpkg", "kml", "csv", "html", "png", "pdf")


def _tracked_copy(dest: Path) -> Path:
    """The files git tracks, as a fresh clone would have them (no .venv, egg-info or build/)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True)
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
def test_the_wheel_alone_builds_and_exports(tmp_path: Path) -> None:
    source = _tracked_copy(tmp_path / "checkout")
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", wheels, source, cwd=tmp_path)
    (wheel,) = wheels.glob("laovn_map-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"laovn_map/page/js/{name}" for name in runtime.RUNTIME_FILES} <= names
    # the Lao font the page and the offline HTML ship, with its licence
    assert {"laovn_map/page/fonts/NotoSansLao-Regular.lao.woff",
            "laovn_map/page/fonts/OFL.txt"} <= names
    assert {p.name for p in (ROOT / "seeds").iterdir()} == {
        n.rsplit("/", 1)[1] for n in names if n.startswith("laovn_map/build/bundled/seeds/")}
    assert not [n for n in names if "harness" in n or n.startswith("tests/")]

    site = tmp_path / "site"
    _run(sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, wheel,
         cwd=tmp_path)
    work = tmp_path / "elsewhere"  # no seeds/, no geo/: only what the wheel carries
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = _run(sys.executable, "-c", "import laovn_map; print(laovn_map.__file__)", cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(site)

    cli = (sys.executable, "-m", "laovn_map.cli")
    _run(*cli, "build", "--out", "out", cwd=work, env=env)
    for built in (work / "out").rglob("*"):  # the same bytes as the checkout's own build
        if built.is_file():
            assert built.read_bytes() == (GEO / built.relative_to(work / "out")).read_bytes(), built
    for fmt in FORMATS:
        _run(*cli, "export", "--geo", "out", "--format", fmt, "--out", f"map.{fmt}", cwd=work, env=env)
        assert (work / f"map.{fmt}").stat().st_size > 1000, fmt


def test_every_third_party_import_is_declared() -> None:
    """Each distribution the package imports is a dependency in pyproject.toml (with a floor)."""
    import ast

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = declared["project"]["dependencies"]
    names = {r.split(">=")[0].split("[")[0].strip().lower().replace("-", "_") for r in requirements}
    assert all(">=" in r for r in requirements), "every dependency has a floor version"
    #: import name -> distribution name, where they differ
    distribution = {"streamlit_folium": "streamlit_folium", "xstatic": "xstatic_leaflet",
                    "pyproj": "pyproj"}
    imported: set[str] = set()
    for path in (ROOT / "src" / "laovn_map").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "laovn_map"}
    missing = sorted(m for m in third_party if distribution.get(m, m).lower() not in names)
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
