"""Lines and polygons as the browser gets them: each ring a string of delta-encoded integer
positions (`encode_line`), read by the map script's ``js/lines.js`` straight into Leaflet's
positions; `decode_line` and `decode_geometry` read them back as the browser does, for the
tests and the benchmark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from laovn_map.page.simplify import DISPLAY_DECIMALS

#: Positions go to the browser as integers in units of 10^-DISPLAY_DECIMALS degrees, each one
#: the difference from the previous (the first of a ring absolute), written as a string of
#: `LINE_ALPHABET` (`encode_line`). Neighbouring vertices are a few hundred metres apart, so
#: most numbers take one or two characters: the map script is about a quarter of the size of
#: the same numbers in JSON, the browser reads it without building any array, and
#: streamlit-folium's passes over the script (it scans the whole of it several times, once
#: per build: `component.MapComponent.of`) have less to scan.
POSITION_SCALE = 10**DISPLAY_DECIMALS
#: The 64 characters of an encoded line: letters, digits, "-" and ".". None is escaped in JSON
#: or special in HTML, and none is "_", "{" or "\\", which streamlit-folium's rewriting of
#: folium's variable names and templates looks for.
LINE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-."
_LINE_CODES = np.frombuffer(LINE_ALPHABET.encode("ascii"), dtype=np.uint8)
_LINE_VALUES = np.full(128, -1, dtype=np.int64)
_LINE_VALUES[_LINE_CODES] = np.arange(64)


def position_array(geom: Mapping[str, Any]) -> npt.NDArray[np.float64]:
    """Every (lon, lat) of a GeoJSON geometry as one n×2 array."""
    kind, coords = geom.get("type"), geom.get("coordinates") or []
    if kind == "Point":
        return np.asarray([coords[:2]], dtype=np.float64)
    if kind in ("LineString", "MultiPoint"):
        parts = [coords]
    elif kind in ("Polygon", "MultiLineString"):
        parts = coords
    elif kind == "MultiPolygon":
        parts = [ring for polygon in coords for ring in polygon]
    else:
        parts = []
    arrays = [np.asarray(r, dtype=np.float64)[:, :2] for r in parts if r]
    return np.concatenate(arrays) if arrays else np.empty((0, 2))


def encode_line(ring: Sequence[Sequence[float]]) -> str:
    """A ring or line of (lon, lat) as one string: the numbers [lat0, lon0, dlat1, dlon1, ...]
    in integer units of 1/POSITION_SCALE degree, each zigzag-mapped to n ≥ 0 (0, -1, 1, -2 …
    → 0, 1, 2, 3 …) and written 5 bits at a time, the lowest first, each group as a character of
    `LINE_ALPHABET`: one of its first 32 ends a number, one of its last 32 says more follow
    (the scheme of Google's encoded polylines, in an alphabet safe in a script)."""
    if not ring:
        return ""
    units = np.rint(np.asarray(ring, dtype=np.float64)[:, 1::-1] * POSITION_SCALE)
    deltas = np.diff(units.astype(np.int64), axis=0, prepend=np.zeros((1, 2), np.int64)).ravel()
    zigzag = np.where(deltas >= 0, deltas << 1, ((-deltas) << 1) - 1)
    groups = np.maximum(1, (np.floor(np.log2(np.maximum(zigzag, 1))).astype(np.int64) // 5) + 1)
    width = int(groups.max())
    step = np.arange(width)
    chunks = (zigzag[:, None] >> (5 * step)) & 31
    more = step[None, :] < groups[:, None] - 1
    codes = chunks + 32 * more
    used = step[None, :] < groups[:, None]
    return bytes(_LINE_CODES[codes[used]]).decode("ascii")


def decode_line(text: str) -> list[list[float]]:
    """The (lon, lat) positions of `encode_line`'s string: what the browser's decode reads."""
    if not text:
        return []
    values = _LINE_VALUES[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
    if (values < 0).any():
        raise ValueError("not an encoded line: a character outside LINE_ALPHABET")
    ends = values < 32
    number = np.concatenate([[0], np.cumsum(ends)[:-1]])
    starts = np.flatnonzero(np.concatenate([[True], ends[:-1]]))
    shift = 5 * (np.arange(len(values)) - starts[number])
    zigzag = np.zeros(int(ends.sum()), dtype=np.int64)
    np.add.at(zigzag, number, (values & 31) << shift)
    deltas = (zigzag >> 1) ^ -(zigzag & 1)
    units = np.cumsum(deltas.reshape(-1, 2), axis=0)
    out: list[list[float]] = (units[:, ::-1] / POSITION_SCALE).tolist()
    return out


def encode_geometry(geom: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """A GeoJSON geometry as (kind, data) for the map's drawing script.

    kind "point": [lat, lon]; "line": a list of encoded lines (`encode_line`); "polygon": a
    list of polygons, each a list of encoded rings (exterior first). Single and multi forms
    share one nesting.
    """
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Point" and coords:
        return "point", [float(coords[1]), float(coords[0])]
    if kind == "LineString":
        return "line", [encode_line(coords or [])]
    if kind == "MultiLineString":
        return "line", [encode_line(line) for line in coords or []]
    if kind == "Polygon":
        return "polygon", [[encode_line(r) for r in coords or []]]
    if kind == "MultiPolygon":
        return "polygon", [[encode_line(r) for r in poly] for poly in coords or []]
    raise ValueError(f"cannot draw geometry of type {kind!r}")


def decode_geometry(kind: str, data: list[Any]) -> dict[str, Any]:
    """The inverse of `encode_geometry` (lon/lat GeoJSON): what the browser draws, for tests
    and the benchmark's geometry check. It mirrors the map script's `decodeLine` (js/lines.js)."""
    line = decode_line
    if kind == "point":
        return {"type": "Point", "coordinates": [data[1], data[0]]}
    if kind == "line":
        lines = [line(x) for x in data]
        return ({"type": "LineString", "coordinates": lines[0]} if len(lines) == 1
                else {"type": "MultiLineString", "coordinates": lines})
    polys = [[line(r) for r in p] for p in data]
    return ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": polys})
