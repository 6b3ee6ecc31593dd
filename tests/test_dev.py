"""dev.py's set-up of the accessibility tests' npm packages (`ensure_npm`), with a stand-in
npm on the PATH: no network, no real install."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

#: A stand-in for npm: records its arguments, makes node_modules, exits with $FAKE_NPM_EXIT.
FAKE_NPM = """#!/bin/sh
echo "$@" >> "$FAKE_NPM_LOG"
mkdir -p node_modules
exit "${FAKE_NPM_EXIT:-0}"
"""


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """dev.py with its npm folder in tmp (a copy of the real lock) and the fake npm first on
    the PATH."""
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path / "a11y"
    folder.mkdir()
    (folder / "package-lock.json").write_bytes(
        (ROOT / "tests" / "a11y" / "package-lock.json").read_bytes())
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "NPM_DIR", folder)
    monkeypatch.setattr(module, "NPM_STAMP", folder / "node_modules" / ".laovn-installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_NPM_LOG", str(tmp_path / "npm.log"))
    return module


def _calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "npm.log"
    return log.read_text().splitlines() if log.exists() else []


def test_npm_ci_runs_once_per_lock(dev: ModuleType, tmp_path: Path) -> None:
    assert dev.ensure_npm() == 0
    assert dev.ensure_npm() == 0  # node_modules matches the lock: nothing to do
    assert [c.split()[0] for c in _calls(tmp_path)] == ["ci"]
    lock = dev.NPM_DIR / "package-lock.json"
    lock.write_text(lock.read_text().replace("4.", "4.0.", 1))  # a new lock: install again
    assert dev.ensure_npm() == 0
    assert len(_calls(tmp_path)) == 2


def test_a_failed_npm_ci_is_an_error_and_is_retried(dev: ModuleType, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("FAKE_NPM_EXIT", "7")
    assert dev.ensure_npm() == 7
    assert "Error: npm ci in a11y failed (exit 7)" in capsys.readouterr().err
    monkeypatch.setenv("FAKE_NPM_EXIT", "0")
    assert dev.ensure_npm() == 0
    assert len(_calls(tmp_path)) == 2


def test_without_npm_the_set_up_goes_on_and_says_so(dev: ModuleType, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert dev.ensure_npm() == 0
    assert "npm is missing" in capsys.readouterr().err
    assert not _calls(tmp_path)


@pytest.mark.parametrize(("rest", "expected"), [
    ([], ["-n", "auto", "--dist", "loadfile"]),
    (["--quick"], ["-n", "auto", "--dist", "loadfile", "-m", "not browser and not slow"]),
    (["--quick", "-k", "faults"],
     ["-n", "auto", "--dist", "loadfile", "-m", "not browser and not slow", "-k", "faults"]),
    (["-n", "0", "tests/test_cli.py"], ["-n", "0", "tests/test_cli.py"]),
    (["-n4"], ["-n4"]),
    (["-p", "no:xdist"], ["-p", "no:xdist"]),
])
def test_test_arguments(dev: ModuleType, rest: list[str], expected: list[str]) -> None:
    assert dev.pytest_args(rest) == expected

