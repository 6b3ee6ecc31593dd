"""The layer sets the page's tests run on (the hand-made fixture, the committed build) and
helpers that damage a copy.

Interim: the committed `geo/` predates the build that copies the seed texts into the geo folder
(manifest "texts"), and the page now refuses a build without them. Until `geo/` is rebuilt,
`real_geo` copies it into a tmp folder and adds the texts as the new build writes them (read
with `laovn_map.seeds`: NFC, "\\n" line ends, the lines the records cite), rewriting the
manifest. Once `geo/` carries its texts it is used as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from laovn_map.catalog import MANIFEST, TEXTS_DIR
from laovn_map.seeds import read_seed

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "layers"
# the built layers: geo/, or another build named by LAOVN_TEST_REAL_GEO
REAL = Path(os.environ.get("LAOVN_TEST_REAL_GEO") or ROOT / "geo")
SEEDS = ROOT / "seeds"


def has_texts(geo: Path) -> bool:
    manifest = json.loads((geo / MANIFEST).read_text(encoding="utf-8"))
    return isinstance(manifest.get("texts"), list)


def copy_with_texts(geo: Path, dest: Path, seeds: Path = SEEDS) -> Path:
    """`dest`: a copy of the build `geo` (without its raw sources) carrying the texts of
    `seeds` under seeds/, listed in its manifest like the new build lists them."""
    shutil.copytree(geo, dest, ignore=shutil.ignore_patterns("sources", "*.py"))
    (dest / TEXTS_DIR).mkdir(exist_ok=True)
    entries = []
    for path in sorted(seeds.glob("*.txt")):
        data = ("\n".join(read_seed(path).lines) + "\n").encode()
        (dest / TEXTS_DIR / path.name).write_bytes(data)
        entries.append({"file": f"{TEXTS_DIR}/{path.name}",
                        "language": path.name.rsplit(".", 2)[-2],
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                        "source_sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    rewrite_manifest(dest, lambda manifest: manifest.update(texts=entries))
    return dest


def real_geo(tmp: Path) -> Path:
    """The committed build, with its texts (see the module docstring)."""
    return REAL if has_texts(REAL) else copy_with_texts(REAL, tmp / "geo")


#: The layer sets tests run on by name: the fixture, and the committed build when there is one.
LAYER_SETS = ["fixture", *(["geo"] if (REAL / MANIFEST).exists() else [])]


def layer_set(name: str, tmp: Path) -> Path:
    """The folder of layer set `name` (see `LAYER_SETS`); `tmp` is a folder the test owns."""
    return FIXTURE if name == "fixture" else real_geo(tmp)


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
