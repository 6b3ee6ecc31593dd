"""laovn_map.export.dispatch: every export through the one entry point is deterministic, writes
nothing into the layer folder, and is correct under concurrency."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import pytest

from laovn_map.catalog import PERIOD_2025
from laovn_map.export import dispatch, formats
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import load_layers

from ..layersets import copy_fixture
from .conftest import exported_layers


@pytest.mark.parametrize("fmt", ["csv", "kml", "gpkg", "html"])
def test_the_same_state_gives_the_same_bytes(fmt: str) -> None:
    layers = exported_layers("fixture")
    state = ExportState(lang="vi", period=PERIOD_2025)
    assert dispatch.export(layers, fmt, state) == dispatch.export(layers, fmt, state)


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_exports_write_nothing_into_the_layer_folder_and_leave_no_temporary_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a temporary folder of this test's own: other tests export at the same time (pytest-xdist)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    geo = copy_fixture(tmp_path / "geo")
    before, temp_before = _files(geo), set(Path(tempfile.gettempdir()).glob("laovn-export-*"))
    layers = load_layers(geo)
    small = ExportState(page=formats.page_size("a4", 50))
    for fmt in formats.FORMATS:
        assert dispatch.export(layers, fmt, small)
    assert _files(geo) == before
    assert set(Path(tempfile.gettempdir()).glob("laovn-export-*")) == temp_before


@pytest.mark.slow
def test_twenty_concurrent_exports_give_twenty_correct_files() -> None:
    layers = exported_layers("fixture")
    jobs = [(fmt, ExportState(lang=("en", "vi")[i % 2],
                              page=formats.page_size("a4", 50)))
            for i, fmt in enumerate(["csv", "kml", "gpkg", "html", "png"] * 4)]
    want = {job: dispatch.export(layers, *job) for job in set(jobs)}
    got: list[bytes | BaseException] = [b""] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        start.wait()
        try:
            got[i] = dispatch.export(layers, *jobs[i])
        except BaseException as exc:  # reported below
            got[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [g if isinstance(g, BaseException) else g == want[job]
            for g, job in zip(got, jobs, strict=True)] == [True] * len(jobs)
