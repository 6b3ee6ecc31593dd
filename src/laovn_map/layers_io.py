"""Load the built layers in `geo/` for the app, checking them against `manifest.json`.

Every check failure raises `LayerError` naming the file and telling how to rebuild; nothing here
imports Streamlit, so the app, the tests and scripts can share it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from laovn_map.catalog import ATTRIBUTION_FILE, LAYER_FILES, MANIFEST
from laovn_map.errors import LayerError

REBUILD = "rebuild the layers with `python3 dev.py build`"
GEO_DIR_ENV = "LAOVN_GEO_DIR"

@dataclass(frozen=True)
class Layers:
    """The checked layers: parsed collections, their exact bytes and the manifest."""

    geo_dir: Path
    manifest: dict[str, Any]
    collections: dict[str, dict[str, Any]]
    raw: dict[str, bytes]
    manifest_bytes: bytes = field(repr=False, default=b"")
    attribution_bytes: bytes = field(repr=False, default=b"")

    def features(self, name: str) -> list[dict[str, Any]]:
        feats: list[dict[str, Any]] = self.collections[name]["features"]
        return feats


def default_geo_dir(app_dir: Path) -> Path:
    """`$LAOVN_GEO_DIR` if set and not empty, else `geo/` beside the app."""
    env = os.environ.get(GEO_DIR_ENV, "").strip()
    return Path(env).expanduser() if env else app_dir / "geo"


def _fail(path: Path, problem: str) -> LayerError:
    return LayerError(f"{path}: {problem}; {REBUILD}")


def _manifest_entries(path: Path, manifest: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("layers"), list):
        raise _fail(path, 'not a manifest (expected an object with a "layers" list)')
    entries: dict[str, Mapping[str, Any]] = {}
    for entry in manifest["layers"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise _fail(path, f'a "layers" entry has no "file": {entry!r}')
        name = PurePosixPath(entry["file"]).name
        entries[name] = entry
    return entries


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "file is missing") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror})") from None


def _parse(path: Path, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"is not valid UTF-8 JSON ({exc})") from None


def fingerprint(geo_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Sizes and mtimes of the files `load_layers` reads: a cheap cache key for the app."""
    out = []
    for name in (MANIFEST, *LAYER_FILES.values(), ATTRIBUTION_FILE):
        try:
            st = (geo_dir / name).stat()
        except OSError:
            out.append((name, -1, -1))
        else:
            out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def load_layers(geo_dir: Path) -> Layers:
    """Read `manifest.json` and every layer; check presence, checksum, count and shape."""
    manifest_path = geo_dir / MANIFEST
    if not geo_dir.is_dir():
        raise _fail(geo_dir, "the layer folder does not exist")
    manifest_bytes = _read(manifest_path)
    manifest = _parse(manifest_path, manifest_bytes)
    entries = _manifest_entries(manifest_path, manifest)
    collections: dict[str, dict[str, Any]] = {}
    raw: dict[str, bytes] = {}
    for key, filename in LAYER_FILES.items():
        path = geo_dir / filename
        entry = entries.get(filename)
        if entry is None:
            raise _fail(manifest_path, f"does not list {filename}")
        data = _read(path)
        want = str(entry.get("sha256", "")).lower().removeprefix("sha256:")
        got = hashlib.sha256(data).hexdigest()
        if want != got:
            raise _fail(path, f"checksum {got[:12]}… differs from the manifest's {want[:12]}…"
                        " (the file was changed after the build)")
        obj = _parse(path, data)
        if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" \
                or not isinstance(obj.get("features"), list):
            raise _fail(path, "is not a GeoJSON FeatureCollection")
        count = entry.get("features")
        if isinstance(count, int) and count != len(obj["features"]):
            raise _fail(path, f"has {len(obj['features'])} features, the manifest says {count}")
        for i, feat in enumerate(obj["features"]):
            if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict) \
                    or not isinstance(feat.get("geometry"), dict):
                raise _fail(path, f"feature #{i} has no properties or geometry")
        collections[key] = obj
        raw[key] = data
    attribution = geo_dir / ATTRIBUTION_FILE
    return Layers(geo_dir=geo_dir, manifest=manifest, collections=collections, raw=raw,
                  manifest_bytes=manifest_bytes,
                  attribution_bytes=_read(attribution) if attribution.is_file() else b"")


def bundle_zip(layers: Layers) -> bytes:
    """A zip of every layer (bytes unchanged), `manifest.json` and the build's `ATTRIBUTION.md`
    (the credits and licences, generated from the dataset registry).

    Entries carry a fixed timestamp so the same layers always give the same zip.
    """
    buf = io.BytesIO()
    stamp = (2000, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key, filename in LAYER_FILES.items():
            zf.writestr(zipfile.ZipInfo(f"laovn-map/{filename}", stamp), layers.raw[key],
                        compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo(f"laovn-map/{MANIFEST}", stamp), layers.manifest_bytes,
                    compress_type=zipfile.ZIP_DEFLATED)
        if layers.attribution_bytes:
            zf.writestr(zipfile.ZipInfo(f"laovn-map/{ATTRIBUTION_FILE}", stamp),
                        layers.attribution_bytes, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
