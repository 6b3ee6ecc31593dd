#!/usr/bin/env python3
"""One entry point for people and CI: set up the environment, then run the app, tests or build.

Only the standard library is used here, so a fresh machine with Python 3.11+ needs nothing else:
the first run creates `.venv/`, installs the pinned `requirements.lock` and the package itself
(editable), and later runs reuse it until the lock or `pyproject.toml` changes. `test` also
installs the project's npm packages (`package-lock.json`: the map script's lint, type check and
unit tests, and axe-core for the accessibility tests; with `npm ci`) when `node_modules` is
missing or older than the lock, the only network use, at setup; then runs `npm run lint`,
`npm run typecheck` and `npm test` before ruff, mypy and pytest.

    python3 dev.py app          # set up, then start the Streamlit page on localhost, warmed
                                # at start-up (python -m laovn_map.page.serve app.py)
    python3 dev.py test         # set up (and the npm packages, see above), then lint,
                                # type-check and run every test, the map script's first, on
                                # two workers a core (pytest-xdist)
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
NPM_DIR = ROOT
NPM_STAMP = NPM_DIR / "node_modules" / ".laovn-installed"
#: The map script's checks (package.json's scripts), run in this order before pytest.
NPM_SCRIPTS = ("lint", "typecheck", "test")


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def install_steps() -> list[tuple[str, list[str]]]:
    """What setting up `.venv` runs, a step each: what it installs and pip's command. pip
    speaks for itself (no -q): a first install takes minutes, and its progress shows them."""
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check"]
    return [("the pinned requirements (requirements.lock)",
             [*pip, "install", "--progress-bar", "on", "-r", str(LOCK)]),
            ("the package itself (editable)", [*pip, "install", "--no-deps", "-e", str(ROOT)])]


def ensure_env() -> None:
    """Create or refresh `.venv` so it matches the lock file exactly, saying each step."""
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py runs on whatever python3 is
        sys.exit(f"Error: Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", file=sys.stderr, flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    steps = install_steps()
    for number, (what, command) in enumerate(steps, 1):
        print(f"dev.py: [{number}/{len(steps)}] installing {what} into .venv", file=sys.stderr,
              flush=True)
        code = subprocess.run(command).returncode
        if code:
            sys.exit(f"Error: installing {what} failed (pip exit {code}); .venv is left as it "
                     "is and the next run tries again")
    print("dev.py: .venv is ready", file=sys.stderr, flush=True)
    STAMP.write_text(_fingerprint())


def _npm() -> str | None:
    """npm, or None where it is missing: an error under CI=true (`.ci/run` installs Node.js
    and npm first), else said once and the npm steps left out (the accessibility browser
    tests then skip)."""
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI") == "true":
            print("Error: npm is missing (CI=true): install Node.js and npm (apt-get install "
                  "nodejs npm), then run python3 dev.py test again", file=sys.stderr)
        else:
            print("dev.py: npm is missing, so the map script's lint, type check and unit tests "
                  "do not run, and the accessibility browser tests will skip", file=sys.stderr)
    return npm


def ensure_npm() -> int:
    """Install the npm packages (`npm ci`) unless node_modules matches the lock."""
    lock = NPM_DIR / "package-lock.json"
    fingerprint = hashlib.sha256(lock.read_bytes()).hexdigest()
    if NPM_STAMP.exists() and NPM_STAMP.read_text() == fingerprint:
        return 0
    npm = _npm()
    if npm is None:
        return 1 if os.environ.get("CI") == "true" else 0
    print("dev.py: installing package-lock.json (npm ci)", file=sys.stderr)
    code = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                          cwd=NPM_DIR).returncode
    if code:
        print(f"Error: npm ci failed (exit {code}): node_modules is not what package-lock.json "
              "pins", file=sys.stderr)
        return code
    NPM_STAMP.write_text(fingerprint)
    return 0


def pytest_args(rest: list[str]) -> list[str]:
    """pytest's arguments for `dev.py test REST`: `--quick` leaves out the browser and slow
    tests; unless REST chooses its own workers, `test_workers()` run tests (pytest-xdist), a
    test file per worker at a time, since the browser tests start one app server per file."""
    args = [a for a in rest if a != "--quick"]
    if len(args) < len(rest):
        args = ["-m", "not browser and not slow", *args]
    own = any(a.startswith(("-n", "--numprocesses", "--dist")) or a in ("no:xdist", "-p")
              for a in args)
    return args if own else ["-n", str(test_workers()), "--dist", "loadfile", *args]


def test_workers() -> int:
    """Two workers a core: the browser tests spend much of their time waiting on the page (the
    suite ran in 5:27 with four workers on two cores, 6:02 with two; docs/testing.md)."""
    return min(8, 2 * (os.cpu_count() or 1))


def npm_checks() -> int:
    """The map script's checks (`NPM_SCRIPTS`), in order; the first that fails ends them."""
    if not (NPM_DIR / "node_modules").is_dir():
        return 1 if os.environ.get("CI") == "true" else 0  # no npm: said by ensure_npm
    npm = _npm()
    if npm is None:
        return 1 if os.environ.get("CI") == "true" else 0
    for script in NPM_SCRIPTS:
        code = subprocess.run([npm, "run", "--silent", script], cwd=NPM_DIR).returncode
        if code:
            print(f"Error: npm run {script} failed (exit {code})", file=sys.stderr)
            return code
    return 0


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
        # `streamlit run app.py`, with the page warmed at start-up (laovn_map.page.serve)
        return run(py, "-m", "laovn_map.page.serve", "app.py", "--server.headless=true",
                   "--server.address=localhost", "--browser.gatherUsageStats=false", *rest)
    if command == "build":
        return run(str(BIN / "laovn-map"), "build", *rest)
    if command == "bench":
        return run(py, "bench/run.py", *rest)
    if code := ensure_npm() or npm_checks():
        return code
    for step in ([py, "-m", "ruff", "check", "."], [py, "-m", "mypy"]):
        if code := run(*step):
            return code
    return run(py, "-m", "pytest", *pytest_args(rest))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
