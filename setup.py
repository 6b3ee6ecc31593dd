"""Packaging hook: the wheel carries the seed texts and the raw datasets.

The checkout's ``seeds/`` and ``geo/sources/`` are the inputs people edit and stay where the
layout says; a wheel installed without the checkout still has to build, so this copies both into
the built package (``laovn_map/build/bundled/``), where :mod:`laovn_map.build.inputs` finds them.
Editable installs read the checkout and get no copy. Everything else is in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: name in the package -> the checkout's folder
BUNDLED = {"seeds": ROOT / "seeds", "sources": ROOT / "geo" / "sources"}


class BuildWithInputs(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "laovn_map" / "build" / "bundled"
        for name, folder in BUNDLED.items():
            if not folder.is_dir():
                msg = f"{folder} is missing: the wheel carries it (run from a full checkout)"
                raise SystemExit(msg)
            shutil.copytree(folder, target / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithInputs})
