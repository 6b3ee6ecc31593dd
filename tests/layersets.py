"""The layer sets the page's tests run on (the hand-made fixture, the committed build) and
helpers that damage a copy."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from laovn_map.catalog import MANIFEST

from .conftest import FIXTURE, REAL

#: The layer sets tests run on by name: the fixture, and the committed build when there is one.
LAYER_SETS = ["fixture", *(["geo"] if (REAL / MANIFEST).exists() else [])]


def layer_set(name: str) -> Path:
    """The folder of layer set `name` (see `LAYER_SETS`)."""
    return FIXTURE if name == "fixture" else REAL


def copy_fixture(dest: Path) -> Path:
    """A copy of the fixture a test may damage."""
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dest


def rewrite_manifest(geo: Path, edit: Callable[[dict[str, Any]], object]) -> None:
    """Change `geo`'s manifest in place with `edit` (which changes the dict it is given)."""
    manifest = json.loads((geo / MANIFEST).read_text(encoding="utf-8"))
    edit(manifest)
    (geo / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def replace_layer(geo: Path, file: str, data: bytes) -> None:
    """Write `data` as layer `file` and give the manifest its checksum (a 'valid' build)."""
    (geo / file).write_bytes(data)

    def edit(manifest: dict[str, Any]) -> None:
        for entry in manifest["layers"]:
            if entry["file"] == file:
                entry["sha256"] = hashlib.sha256(data).hexdigest()

    rewrite_manifest(geo, edit)
