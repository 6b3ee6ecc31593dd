#!/usr/bin/env python3
"""One entry point for people and CI: set up the environment, then run the app, tests or build.

Only the standard library is used here, so a fresh machine with Python 3.11+ needs nothing else:
the first run creates `.venv/`, installs the pinned `requirements.lock` and the package itself
(editable), and later runs reuse it until the lock or `pyproject.toml` changes. `test` also
installs the accessibility tests' npm packages (`tests/a11y/package-lock.json`, with `npm ci`)
when `tests/a11y/node_modules` is missing or older than the lock: the only network use, at setup.

    python3 dev.py app          # set up, then start the Streamlit page on localhost
    python3 dev.py test         # set up (and axe-core, see above), then lint, type-check and
                                # run every test, on every core (pytest-xdist)
    python3 dev.py test --quick  # the same without the browser and slow tests: the inner loop
    python3 dev.py build        # set up, then rebuild geo/ from seeds/ (laovn-map build)
    python3 dev.py bench        # set up, then run the benchmark harness in bench/
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".laovn-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
NPM_DIR = ROOT / "tests" / "a11y"
NPM_STAMP = NPM_DIR / "node_modules" / ".laovn-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_env() -> None:
    """Create or refresh `.venv` so it matches the lock file exactly."""
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py runs on whatever python3 is
        sys.exit(f"Error: Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    print("dev.py: installing requirements.lock into .venv", file=sys.stderr)
    subprocess.run([*pip, "install", "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "install", "--no-deps", "-e", str(ROOT)],
                   check=True)
    STAMP.write_text(_fingerprint())


def ensure_npm() -> int:
    """Install axe-core for the browser tests (`npm ci`) unless node_modules matches the lock.

    Without npm the tests that need axe-core skip, or fail under CI=true (`.ci/run` installs
    Node.js and npm first)."""
    lock = NPM_DIR / "package-lock.json"
    fingerprint = hashlib.sha256(lock.read_bytes()).hexdigest()
    if NPM_STAMP.exists() and NPM_STAMP.read_text() == fingerprint:
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("dev.py: npm is missing, so axe-core is not installed: the accessibility browser "
              "tests will skip (or fail under CI=true)", file=sys.stderr)
        return 0
    print("dev.py: installing tests/a11y/package-lock.json (npm ci)", file=sys.stderr)
    code = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                          cwd=NPM_DIR).returncode
    if code:
        print(f"Error: npm ci in {NPM_DIR.relative_to(ROOT)} failed (exit {code})", file=sys.stderr)
        return code
    NPM_STAMP.write_text(fingerprint)
    return 0


def pytest_args(rest: list[str]) -> list[str]:
    """pytest's arguments for `dev.py test REST`: `--quick` leaves out the browser and slow
    tests; unless REST chooses its own workers, every core runs tests (pytest-xdist), a test
    file per worker at a time, since the browser tests start one app server per file."""
    args = [a for a in rest if a != "--quick"]
    if len(args) < len(rest):
        args = ["-m", "not browser and not slow", *args]
    own = any(a.startswith(("-n", "--numprocesses", "--dist")) or a in ("no:xdist", "-p")
              for a in args)
    return args if own else ["-n", "auto", "--dist", "loadfile", *args]


def run(*args: str) -> int:
    return subprocess.run(list(args), cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    commands = ("app", "test", "build", "bench")
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_env()
    py = str(BIN / "python")
    if command == "app":
        return run(py, "-m", "streamlit", "run", "app.py", "--server.headless=true",
                   "--server.address=localhost", "--browser.gatherUsageStats=false", *rest)
    if command == "build":
        return run(str(BIN / "laovn-map"), "build", *rest)
    if command == "bench":
        return run(py, "bench/run.py", *rest)
    if code := ensure_npm():
        return code
    for step in ([py, "-m", "ruff", "check", "."], [py, "-m", "mypy"]):
        if code := run(*step):
            return code
    return run(py, "-m", "pytest", *pytest_args(rest))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
