"""Load a build (`geo/`) for the page: the layers, the seed texts and the credits, each checked
against `manifest.json`, and every geometry checked before anything draws it.

This is the page's only input: the Sources section shows the texts returned here (the ones the
layers were built from and quote by line), never the repository's `seeds/`. Every failure raises
`LayerError` naming the file relative to the geo folder (a message may reach visitors, so it
carries no absolute path) and telling how to rebuild. Nothing here imports Streamlit, so the
page, the tests and scripts share it.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import shapely
from shapely.geometry import shape

from laovn_map.catalog import (
    ATTRIBUTION_FILE,
    DATE_PRECISIONS,
    GEO_DIR_ENV,
    GEOMETRY_TYPES,
    LAYER_FILES,
    MANIFEST,
    MAX_FILE_BYTES,
    MAX_FOLDER_BYTES,
    MAX_LAYER_FEATURES,
    MISSION_KINDS,
    MISSION_RANKS,
    POLYGONS,
    REBUILD,
    TEXTS_DIR,
)
from laovn_map.errors import LayerError, cut, shown
from laovn_map.filekind import file_kind
from laovn_map.geo.manifest import Figures, Manifest, checked

#: The folder the zip's entries are in.
ZIP_FOLDER = "laovn-map"
#: The languages a seed text may be in (the page's two languages).
TEXT_LANGUAGES = ("en", "vi")


@dataclass(frozen=True)
class SeedTextFile:
    """A seed text as the build read it: `file` is its path in the geo folder
    (`seeds/<name>`), the value of `source_file` in the records that quote it."""

    file: str
    language: str
    text: str
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        return PurePosixPath(self.file).name


@dataclass(frozen=True)
class Layers:
    """The checked build: parsed collections, their exact bytes, the manifest, the seed texts
    (by `file`) and the credits."""

    geo_dir: Path
    manifest: Manifest
    collections: dict[str, dict[str, Any]]
    raw: dict[str, bytes]
    texts: dict[str, SeedTextFile]
    manifest_bytes: bytes = field(repr=False)
    attribution_bytes: bytes = field(repr=False)

    def features(self, name: str) -> list[dict[str, Any]]:
        feats: list[dict[str, Any]] = self.collections[name]["features"]
        return feats

    @property
    def figures(self) -> Figures:
        """The build's figures (border lengths, counts), as the manifest states them."""
        return self.manifest["figures"]


def default_geo_dir(app_dir: Path) -> Path:
    """`$LAOVN_GEO_DIR` if set and not empty, else `geo/` beside the app."""
    env = os.environ.get(GEO_DIR_ENV, "").strip()
    return Path(env).expanduser() if env else app_dir / "geo"


def _fail(name: str, problem: str) -> LayerError:
    """`name` is relative to the geo folder: messages are shown to the page's visitors."""
    return LayerError(f"{name}: {problem}; {REBUILD}")


@dataclass
class _FolderReader:
    """Reads files of one layer folder, each a regular file inside it, within the bounds.

    The folder may be tampered with: a FIFO would block a read forever, a link to /dev/zero or
    a huge file would fill the server's memory, and a symbolic link could show visitors a file
    from elsewhere. So the type and size are checked before opening (opening a FIFO waits for
    a writer) and again on the descriptor (opened non-blocking, in case the path was swapped),
    and at most the bound is read.
    """

    geo_dir: Path
    #: Bytes read so far, against :data:`MAX_FOLDER_BYTES`.
    total: int = 0

    def read(self, name: str) -> bytes:
        path = self.geo_dir / name
        try:
            real = Path(os.path.realpath(path))
            if not real.is_relative_to(os.path.realpath(self.geo_dir)):
                raise _fail(name, "is a link to a file outside the layer folder, which the page "
                            "does not read")
            _check_file(name, real.stat())
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
            with os.fdopen(fd, "rb") as handle:
                _check_file(name, os.fstat(handle.fileno()))
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise _fail(name, "file is missing") from None
        except OSError as exc:
            raise _fail(name, f"cannot be read ({exc.strerror})") from None
        if len(data) > MAX_FILE_BYTES:
            raise _fail(name, f"grew past the {MAX_FILE_BYTES:,} bytes a layer file may hold "
                        "while it was read")
        self.total += len(data)
        if self.total > MAX_FOLDER_BYTES:
            raise _fail(name, f"brings the files read to {self.total:,} bytes, more than the "
                        f"{MAX_FOLDER_BYTES:,} a layer folder may hold")
        return data


def _check_file(name: str, status: os.stat_result) -> None:
    kind = file_kind(status.st_mode)
    if kind is not None:
        raise _fail(name, f"is not a regular file but {kind}")
    if status.st_size > MAX_FILE_BYTES:
        raise _fail(name, f"is {status.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a "
                    "layer file may hold")


def _parse(name: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError covers JSONDecodeError and numbers past Python's digit limit;
        # RecursionError, nesting deeper than the parser goes.
        raise _fail(name, f"is not valid UTF-8 JSON ({exc})") from None


def _checked(reader: _FolderReader, name: str, entry: Mapping[str, Any]) -> bytes:
    """The bytes of `name`, refused unless their sha256 is the manifest entry's."""
    data = reader.read(name)
    want = str(entry.get("sha256", "")).lower().removeprefix("sha256:")
    got = hashlib.sha256(data).hexdigest()
    if want != got:
        raise _fail(name, f"checksum {got[:12]}… differs from the manifest's {want[:12]}…"
                    " (the file was changed after the build)")
    return data


def _entries(manifest: Any, key: str) -> list[Mapping[str, Any]]:
    entries = manifest.get(key)
    if not isinstance(entries, list):
        if key == "texts":
            raise _fail(MANIFEST, 'lists no seed texts ("texts"): it was written by an older '
                        "build")
        raise _fail(MANIFEST, f'not a manifest (expected an object with a "{key}" list)')
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise _fail(MANIFEST, f'a "{key}" entry has no "file": {shown(entry)}')
    return entries


def _text_file(reader: _FolderReader, entry: Mapping[str, Any]) -> SeedTextFile:
    file = str(entry["file"])
    parts = PurePosixPath(file).parts
    if len(parts) != 2 or parts[0] != TEXTS_DIR or parts[1] in ("", ".", ".."):
        raise _fail(MANIFEST, f"text {file!r} is not a file in {TEXTS_DIR}/")
    language = entry.get("language")
    if language not in TEXT_LANGUAGES:
        raise _fail(MANIFEST, f"text {file} has language {language!r}, not one of "
                    f"{', '.join(TEXT_LANGUAGES)}")
    data = _checked(reader, file, entry)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(file, f"is not UTF-8 ({exc})") from None
    return SeedTextFile(file=file, language=str(language), text=text, data=data)


# --- geometry ------------------------------------------------------------------------------


def _positions(value: Any, depth: int) -> Iterator[list[float]]:
    """Every position of a coordinates array nested `depth` levels above its positions."""
    if not isinstance(value, list):
        raise ValueError("coordinates are not nested lists")
    if depth == 0:
        if not 2 <= len(value) <= 3 or not all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in value):
            raise ValueError(f"position {value!r} is not 2 or 3 numbers")
        yield value
        return
    for item in value:
        yield from _positions(item, depth - 1)


_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _rings(kind: str, coords: list[Any]) -> list[Any]:
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def _finite(value: float) -> bool:
    """Whether *value* is a finite number (an integer too large for a float is not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def geometry_problem(geom: Any, allowed: tuple[str, ...]) -> str | None:
    """Why the GeoJSON geometry `geom` cannot be drawn as one of `allowed`, or None.

    Checks the type, the nesting, that every coordinate is a finite longitude/latitude (Python's
    json reads NaN and Infinity), each ring closed with at least 4 positions and each line with
    at least 2, and OGC validity (no self-intersection) through shapely.
    """
    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind not in allowed:
        return f"geometry type {kind!r} where this layer holds {' or '.join(allowed)}"
    coords = geom.get("coordinates")
    try:
        positions = list(_positions(coords, _DEPTH[kind]))
    except ValueError as exc:
        return str(exc)
    if not positions:
        return "geometry has no positions"
    for lon, lat, *_ in positions:
        if not (_finite(lon) and _finite(lat)):
            return f"coordinate ({lon}, {lat}) is not a finite number"
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"coordinate ({lon}, {lat}) is not a longitude and latitude"
    lines = coords if kind == "MultiLineString" else [coords] if kind == "LineString" else []
    if any(len(line) < 2 for line in lines):
        return "a line has fewer than 2 positions"
    for ring in _rings(kind, coords):
        if len(ring) < 4:
            return f"a ring has {len(ring)} positions (at least 4 are needed)"
        if ring[0] != ring[-1]:
            return "a ring is not closed (its last position differs from its first)"
    if kind in POLYGONS:
        reason = shapely.is_valid_reason(shape(geom))
        if reason != "Valid Geometry":
            return f"invalid polygon ({reason})"
    return None


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def event_problem(props: Mapping[str, Any]) -> str | None:
    """Why an event's properties cannot be put on a timeline, or None: its ``start`` and
    ``end`` must be ISO dates in order and its ``precision`` one the grammar gives."""
    start, end = _iso_date(props.get("start")), _iso_date(props.get("end"))
    if start is None or end is None:
        return (f"dates {shown(props.get('start'))}–{shown(props.get('end'))} are not ISO dates "
                "(YYYY-MM-DD)")
    if end < start:
        return f"ends ({end}) before it starts ({start})"
    if props.get("precision") not in DATE_PRECISIONS:
        return (f"precision {shown(props.get('precision'))} is not one of "
                f"{', '.join(DATE_PRECISIONS)}")
    return None


def _check_features(name: str, layer: str, features: list[Any],
                    texts: Mapping[str, SeedTextFile]) -> None:
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict) \
                or not isinstance(feat.get("geometry"), dict):
            raise _fail(name, f"feature #{i} has no properties or geometry")
        props = feat["properties"]
        feature_id = props.get("id", feat.get("id"))
        where = f"{name} feature {cut(str(feature_id)) if feature_id is not None else f'#{i}'}"
        problem = geometry_problem(feat["geometry"], GEOMETRY_TYPES[layer])
        if problem:
            raise _fail(where, problem)
        if layer == "missions" and props.get("kind") not in MISSION_KINDS:
            raise _fail(where, f"kind {shown(props.get('kind'))} is not one of "
                        f"{', '.join(MISSION_KINDS)}")
        if layer == "missions" and props.get("rank") not in ("", None, *MISSION_RANKS):
            raise _fail(where, f"rank {shown(props.get('rank'))} is not one of "
                        f"{', '.join(MISSION_RANKS)}")
        if layer == "events" and (problem := event_problem(props)):
            raise _fail(where, problem)
        source = props.get("source_file")
        if source and source not in texts:
            raise _fail(where, f"quotes {cut(str(source))}, which the manifest does not list as a "
                        "text")


# --- loading -------------------------------------------------------------------------------


def fingerprint(geo_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Sizes and mtimes of the files `load_layers` reads: a cheap cache key for the app."""
    try:
        texts = sorted(f"{TEXTS_DIR}/{p.name}" for p in (geo_dir / TEXTS_DIR).iterdir())
    except OSError:
        texts = []
    out = []
    for name in (MANIFEST, *LAYER_FILES.values(), ATTRIBUTION_FILE, *texts):
        try:
            st = (geo_dir / name).stat()
        except OSError:
            out.append((name, -1, -1))
        else:
            out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def load_layers(geo_dir: Path) -> Layers:
    """Read `manifest.json`, every layer, the credits and the seed texts; check presence,
    checksums, counts, shapes and geometry."""
    if not geo_dir.is_dir():
        raise _fail(geo_dir.name or str(geo_dir), "the layer folder does not exist")
    reader = _FolderReader(geo_dir)
    manifest_bytes = reader.read(MANIFEST)
    manifest = _parse(MANIFEST, manifest_bytes)
    if not isinstance(manifest, dict):
        raise _fail(MANIFEST, 'not a manifest (expected an object with a "layers" list)')
    entries = {PurePosixPath(e["file"]).name: e for e in _entries(manifest, "layers")}
    _entries(manifest, "texts")  # its own message for a build older than the texts
    manifest = checked(manifest, MANIFEST)
    texts = {text.file: text for text in
             (_text_file(reader, entry) for entry in _entries(manifest, "texts"))}
    if ATTRIBUTION_FILE not in entries:
        raise _fail(MANIFEST, f"does not list {ATTRIBUTION_FILE}")
    attribution = _checked(reader, ATTRIBUTION_FILE, entries[ATTRIBUTION_FILE])
    collections: dict[str, dict[str, Any]] = {}
    raw: dict[str, bytes] = {}
    for key, filename in LAYER_FILES.items():
        entry = entries.get(filename)
        if entry is None:
            raise _fail(MANIFEST, f"does not list {filename}")
        data = _checked(reader, filename, entry)
        obj = _parse(filename, data)
        if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection" \
                or not isinstance(obj.get("features"), list):
            raise _fail(filename, "is not a GeoJSON FeatureCollection")
        if len(obj["features"]) > MAX_LAYER_FEATURES:
            raise _fail(filename, f"has {len(obj['features']):,} features, more than the "
                        f"{MAX_LAYER_FEATURES:,} a layer may hold")
        count = entry.get("features")
        if isinstance(count, int) and count != len(obj["features"]):
            raise _fail(filename,
                        f"has {len(obj['features'])} features, the manifest says {count}")
        _check_features(filename, key, obj["features"], texts)
        collections[key] = obj
        raw[key] = data
    return Layers(geo_dir=geo_dir, manifest=manifest, collections=collections, raw=raw,
                  texts=texts, manifest_bytes=manifest_bytes, attribution_bytes=attribution)


def bundle_zip(layers: Layers) -> bytes:
    """A zip of every layer (bytes unchanged), `manifest.json`, the build's `ATTRIBUTION.md`
    (the credits and licences, generated from the dataset registry) and the seed texts the
    layers quote (under `seeds/`, as the manifest lists them).

    Entries carry a fixed timestamp so the same layers always give the same zip.
    """
    files = [*((name, layers.raw[key]) for key, name in LAYER_FILES.items()),
             (MANIFEST, layers.manifest_bytes), (ATTRIBUTION_FILE, layers.attribution_bytes),
             *((text.file, text.data) for text in layers.texts.values())]
    buf = io.BytesIO()
    stamp = (2000, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", stamp), data,
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
