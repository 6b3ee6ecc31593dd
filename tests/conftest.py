"""Shared fixtures: every path the tests use (defined here only), and small seed folders made
per test."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Deterministic examples, and no per-example time limit: the machines are shared, and a
# deadline turns a busy moment into a failure (speed is measured by bench/, not by tests).
settings.register_profile("laovn", derandomize=True, deadline=None)
settings.load_profile("laovn")

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
GEO = ROOT / "geo"
SOURCES = GEO / "sources"
REAL_SEEDS = ROOT / "seeds"
#: Tiny seed texts for the extractor and the seed reader.
MINI = ROOT / "tests" / "data" / "mini"
#: A small hand-made geo folder (its checksums match), with hostile text in its properties.
FIXTURE = ROOT / "tests" / "data" / "layers"
#: The built layers the page tests also run on: geo/, or another build named by
#: LAOVN_TEST_REAL_GEO.
REAL = Path(os.environ.get("LAOVN_TEST_REAL_GEO") or GEO)
#: The map script's files (ES modules, joined by runtime.join_runtime).
PAGE_JS = ROOT / "src" / "laovn_map" / "page" / "js"
#: The map script's unit tests (`node --test`) and the fixtures they share with pytest.
JS_TESTS = ROOT / "tests" / "js"
JS_FIXTURES = JS_TESTS / "fixtures"
#: Screenshots the browser tests leave for a person to look at (not committed).
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def seed_folder(tmp_path: Path) -> Callable[..., Path]:
    """Copy a seed folder (the real one by default) into tmp, optionally rewriting a file.

    ``seed_folder(vi=lambda text: ...)`` returns a folder whose Vietnamese seed is the real one
    passed through the function; ``raw_vi=b"..."`` replaces its bytes outright.
    """

    def make(source: Path = REAL_SEEDS, **changes: object) -> Path:
        folder = tmp_path / "seeds"
        shutil.copytree(source, folder)
        for lang in ("en", "vi"):
            (path,) = folder.glob(f"*.{lang}.txt")
            if callable(edit := changes.get(lang)):
                path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8",
                                newline="")
            if isinstance(raw := changes.get(f"raw_{lang}"), bytes):
                path.write_bytes(raw)
        return folder

    return make


#: A bound for work that is linear and takes well under a second: passing it means a hang (a
#: pattern backtracking over a long line), not a slow machine. Not a speed assertion.
HANG_SECONDS = 60


class HangError(Exception):
    """The work under :func:`hang_guard` ran past its bound."""


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail the work inside (with :class:`HangError`) if it runs more than *seconds* (SIGALRM)."""
    def ring(_signum: int, _frame: object) -> None:
        raise HangError(f"still running after {seconds} s: it hangs")
    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
