"""dev.py's npm steps: installing the project's npm packages (`ensure_npm`) and running the map
script's checks (`npm_checks`), with a stand-in npm on the PATH: no network, no real install."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

#: A stand-in for npm: records its arguments, makes node_modules, exits with $FAKE_NPM_EXIT
#: (or, for `npm run <script>`, with $FAKE_NPM_EXIT_<script> when set).
FAKE_NPM = """#!/bin/sh
echo "$@" >> "$FAKE_NPM_LOG"
mkdir -p node_modules
if [ "$1" = run ]; then
  eval "code=\\${FAKE_NPM_EXIT_$3:-0}"
  exit "$code"
fi
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
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / "package-lock.json").write_bytes((ROOT / "package-lock.json").read_bytes())
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
    monkeypatch.delenv("CI", raising=False)
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
    assert "Error: npm ci failed (exit 7)" in capsys.readouterr().err
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
    ([], ["-n", "W", "--dist", "loadfile"]),
    (["--quick"], ["-n", "W", "--dist", "loadfile", "-m", "not browser and not slow"]),
    (["--quick", "-k", "faults"],
     ["-n", "W", "--dist", "loadfile", "-m", "not browser and not slow", "-k", "faults"]),
    (["-n", "0", "tests/test_cli.py"], ["-n", "0", "tests/test_cli.py"]),
    (["-n4"], ["-n4"]),
    (["-p", "no:xdist"], ["-p", "no:xdist"]),
])
def test_test_arguments(dev: ModuleType, rest: list[str], expected: list[str]) -> None:
    workers = str(dev.test_workers())
    assert dev.pytest_args(rest) == [workers if a == "W" else a for a in expected]
    assert 2 <= int(workers) <= 8


def test_under_ci_a_missing_npm_is_an_error(dev: ModuleType, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CI", "true")
    assert dev.ensure_npm() != 0
    assert "Error: npm is missing (CI=true)" in capsys.readouterr().err
    (dev.NPM_DIR / "node_modules").mkdir()
    assert dev.npm_checks() != 0


def test_the_map_script_checks_run_in_order_after_the_install(dev: ModuleType,
                                                              tmp_path: Path) -> None:
    assert dev.ensure_npm() == 0
    assert dev.npm_checks() == 0
    assert _calls(tmp_path)[1:] == [f"run --silent {s}" for s in ("lint", "typecheck", "test")]


def test_a_failed_check_ends_the_checks_with_its_code(dev: ModuleType, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    dev.ensure_npm()
    monkeypatch.setenv("FAKE_NPM_EXIT_typecheck", "2")
    assert dev.npm_checks() == 2
    assert "Error: npm run typecheck failed (exit 2)" in capsys.readouterr().err
    assert [c.split()[-1] for c in _calls(tmp_path)] == ["--loglevel=error", "lint", "typecheck"]


def test_the_package_scripts_are_the_ones_dev_runs() -> None:
    """package.json at the root names each script dev.py runs, and pins its dev tools."""
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.NPM_SCRIPTS) <= set(manifest["scripts"])
    assert {"typescript", "@types/leaflet", "eslint", "@eslint/js", "globals",
            "axe-core"} <= set(manifest["devDependencies"])
    assert all(re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", v)
               for v in manifest["devDependencies"].values())
    assert manifest["devDependencies"]["@types/leaflet"].startswith("1.9.")


def test_setting_up_the_venv_says_each_step_and_lets_pip_show_its_progress(
        dev: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The first `dev.py app` installs for minutes: a line per step, pip's own output not
    silenced (no -q), and a failed step an error of one line, not a traceback."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text("")
    monkeypatch.setattr(dev, "BIN", bin_dir)
    monkeypatch.setattr(dev, "STAMP", tmp_path / "venv" / ".laovn-installed")
    (tmp_path / "pyproject.toml").write_text("[project]\n")  # dev.ROOT is tmp_path here
    ran: list[list[str]] = []

    def run(command: list[str], **kwargs: object) -> object:
        ran.append(command)
        print(f"ran step {len(ran)}", file=sys.stderr)  # stands for pip's own output
        return type("Done", (), {"returncode": 0})()

    monkeypatch.setattr(dev.subprocess, "run", run)
    dev.ensure_env()
    err = capsys.readouterr().err.splitlines()
    assert len(ran) == 2
    assert all("-q" not in command and "--quiet" not in command for command in ran)
    assert err[0].startswith("dev.py: [1/2] installing the pinned requirements"), err
    assert err[1:3] == ["ran step 1", "dev.py: [2/2] installing the package itself (editable) "
                        "into .venv"], err
    assert err[-1] == "dev.py: .venv is ready"
    dev.ensure_env()  # installed: nothing to do
    assert len(ran) == 2

    dev.STAMP.unlink()
    monkeypatch.setattr(dev.subprocess, "run",
                        lambda command, **kwargs: type("Failed", (), {"returncode": 3})())
    with pytest.raises(SystemExit) as exited:
        dev.ensure_env()
    assert str(exited.value).startswith("Error: installing the pinned requirements "
                                        "(requirements.lock) failed (pip exit 3)")
    assert not dev.STAMP.exists()


def test_the_app_starts_through_the_warming_start_command(
        dev: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dev.py app` is `streamlit run app.py` through `laovn_map.page.serve`, which warms the
    page at start-up; the options given after `app` go to Streamlit."""
    ran: list[tuple[str, ...]] = []
    monkeypatch.setattr(dev, "ensure_env", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *args: ran.append(args) or 0)
    assert dev.main(["app", "--server.port=8600"]) == 0
    (command,) = ran
    assert command[1:4] == ("-m", "laovn_map.page.serve", "app.py"), command
    assert "--server.address=localhost" in command and command[-1] == "--server.port=8600"
