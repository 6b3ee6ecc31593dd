"""The layer sets the page's tests run on (the hand-made fixture, the committed build) and
helpers that damage a copy."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from laovn_map.catalog import MANIFEST, MAX_FILE_BYTES

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


@contextmanager
def fifo_in_place_of(path: Path) -> Iterator[None]:
    """Replace `path` by a FIFO for the duration of the block.

    A writer thread waits on it: each reader that opens the FIFO (as one that does not check
    the file type would) gets two bytes and an end of file instead of hanging the tests, and
    the block's end lets the writer go.
    """
    path.unlink()
    os.mkfifo(path)
    done = threading.Event()

    def feed() -> None:
        while not done.is_set():
            fd = os.open(path, os.O_WRONLY)  # waits for a reader
            try:
                os.write(fd, b"{}")
            finally:
                os.close(fd)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        yield
    finally:
        done.set()
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # lets a waiting writer go
        writer.join()
        os.close(reader)


def link_outside(geo: Path, file: str) -> None:
    """Make `file` a symbolic link to an identical copy outside `geo` (checksums still match)."""
    outside = geo.parent / "elsewhere" / file
    outside.parent.mkdir(parents=True, exist_ok=True)
    (geo / file).rename(outside)
    (geo / file).symlink_to(outside)


def official_length_as_text(geo: Path) -> None:
    """A figure of "Official and measured lengths" that is a string, not a number."""
    def edit(manifest: dict[str, Any]) -> None:
        manifest["figures"]["official_lengths"] = [{
            "scope": "total", "code": "VN-LA", "partner": "", "part": "all",
            "official_km": "2337.459", "year": 2016, "basis": "Protocol", "basis_vi": "Nghị định thư",
            "confidence": "high", "source": "example.org", "source_row": "border_lengths.csv:2",
            "measured_km": 2199.215, "difference_km": -138.244, "difference_pct": -5.9}]

    rewrite_manifest(geo, edit)


#: Tampered layer folders: (id, what is done to a copy of the fixture, the message's words).
#: The FIFO is set up by :func:`fifo_in_place_of` around the load.
TAMPERED: list[tuple[str, Callable[[Path], object], str]] = [
    ("link-to-dev-zero", lambda g: ((g / MANIFEST).unlink(), (g / MANIFEST).symlink_to("/dev/zero")),
     "manifest.json: is a link to a file outside the layer folder"),
    ("link-outside", lambda g: link_outside(g, "border.geojson"),
     "border.geojson: is a link to a file outside the layer folder"),
    ("huge-layer", lambda g: os.truncate(g / "water.geojson", MAX_FILE_BYTES + 1),
     f"water.geojson: is {MAX_FILE_BYTES + 1:,} bytes, more than the {MAX_FILE_BYTES:,}"),
    ("figure-as-text", lambda g: rewrite_manifest(g, lambda m: m["figures"].update(
        border_length_km_osm="2199")),
     "manifest.json: figures.border_length_km_osm is str '2199', not a number"),
    ("official-length-as-text", official_length_as_text,
     "manifest.json: figures.official_lengths[0].official_km is str '2337.459', not a number"),
]
