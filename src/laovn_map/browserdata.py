"""The map's layers as the browser gets them: encoded geometry, styles and popup HTML as
script-safe JSON, one `PreparedLayer` per map layer.

Each overlay goes to the browser as data (positions delta-encoded, see `encode_geometry`) that a
small script (`RUNTIME_JS`) draws, instead of one folium element per feature, whose templates
made every rerun slow and the page large. The data reaches the page only as JSON written by
`script_json`, which cannot end its <script> element, and is never read as a template.
`decode_geometry` and `drawn_layers` read it back as the browser does, for the tests and the
benchmark.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from laovn_map.catalog import BORDER_LINE, CONSULATE, EMBASSY, SEGMENT
from laovn_map.display import DISPLAY_DECIMALS
from laovn_map.labels import feature_texts
from laovn_map.mapstyle import LAYER_CLASS, LAYER_STYLE, feature_style

FeatureCollection = Mapping[str, Any]
Bounds = list[list[float]]

#: Positions go to the browser as integers in units of 10^-DISPLAY_DECIMALS degrees, each one
#: the difference from the previous (the first of a ring absolute). Neighbouring vertices are a
#: few hundred metres apart, so most numbers have 1–3 digits: the map script is about a third of
#: the size of plain coordinate lists, and is cheaper for streamlit-folium to scan and hash.
POSITION_SCALE = 10**DISPLAY_DECIMALS


def _position_array(geom: Mapping[str, Any]) -> npt.NDArray[np.float64]:
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


def _delta_line(ring: Sequence[Sequence[float]]) -> list[int]:
    """[lat0, lon0, dlat1, dlon1, ...] in integer units of 1/POSITION_SCALE degree."""
    if not ring:
        return []
    units = np.rint(np.asarray(ring, dtype=np.float64)[:, 1::-1] * POSITION_SCALE)
    deltas = np.diff(units.astype(np.int64), axis=0, prepend=np.zeros((1, 2), np.int64))
    out: list[int] = deltas.ravel().tolist()
    return out


def encode_geometry(geom: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """A GeoJSON geometry as (kind, data) for the map's drawing script.

    kind "point": [lat, lon]; "line": a list of delta lines; "polygon": a list of polygons,
    each a list of delta rings (exterior first). Single and multi forms share one nesting.
    """
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Point" and coords:
        return "point", [float(coords[1]), float(coords[0])]
    if kind == "LineString":
        return "line", [_delta_line(coords or [])]
    if kind == "MultiLineString":
        return "line", [_delta_line(line) for line in coords or []]
    if kind == "Polygon":
        return "polygon", [[_delta_line(r) for r in coords or []]]
    if kind == "MultiPolygon":
        return "polygon", [[_delta_line(r) for r in poly] for poly in coords or []]
    raise ValueError(f"cannot draw geometry of type {kind!r}")


def decode_geometry(kind: str, data: list[Any]) -> dict[str, Any]:
    """The inverse of `encode_geometry` (lon/lat GeoJSON): what the browser draws, for tests
    and the benchmark's geometry check. It mirrors `RUNTIME_JS`."""
    def line(flat: Sequence[int]) -> list[list[float]]:
        units = np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0)
        out: list[list[float]] = (units[:, ::-1] / POSITION_SCALE).tolist()
        return out

    if kind == "point":
        return {"type": "Point", "coordinates": [data[1], data[0]]}
    if kind == "line":
        lines = [line(x) for x in data]
        return ({"type": "LineString", "coordinates": lines[0]} if len(lines) == 1
                else {"type": "MultiLineString", "coordinates": lines})
    polys = [[line(r) for r in p] for p in data]
    return ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": polys})


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element and as JavaScript source.

    `<`, `>` and `&` become \\u escapes (no `</script>` or comment can end the element early);
    U+2028/U+2029 are escaped for engines that treat them as line ends.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


_DRAW_CALL = re.compile(r"laovnDraw\(\{")


def drawn_layers(script: str) -> list[dict[str, Any]]:
    """The layer data of every `laovnDraw({...}, group)` call in a map script or page, in
    order: what the browser draws (for tests and the benchmark)."""
    decoder = json.JSONDecoder()
    out: list[dict[str, Any]] = []
    for match in _DRAW_CALL.finditer(script):
        data, _end = decoder.raw_decode(script, match.end() - 1)
        out.append(data)
    return out


#: Draws one layer from its data (see `layer_data`): decodes positions, makes the Leaflet
#: shapes with their CSS classes, and binds tooltips (HTML strings) and popups. A popup's
#: content is a DOM node parsed by a <template> element, inertly (nothing in it runs), because
#: streamlit-folium reads a clicked popup's text with `getContent().innerText`.
RUNTIME_JS = """
window.laovnDraw = function (data, group) {
    var scale = data.scale;
    function decode(flat) {
        var out = [], lat = 0, lon = 0;
        for (var i = 0; i < flat.length; i += 2) {
            lat += flat[i]; lon += flat[i + 1];
            out.push([lat / scale, lon / scale]);
        }
        return out;
    }
    function node(html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        return template.content.firstElementChild;
    }
    data.features.forEach(function (f) {
        var options = Object.assign({}, data.style, f.style, {className: f.cls});
        var shape;
        if (data.kind === "point") {
            shape = L.circleMarker(f.geom, options);
        } else if (data.kind === "line") {
            shape = L.polyline(f.geom.map(decode), options);
        } else {
            var polygons = f.geom.map(function (p) { return p.map(decode); });
            shape = L.polygon(polygons.length === 1 ? polygons[0] : polygons, options);
        }
        if (f.tooltip) { shape.bindTooltip(f.tooltip, {sticky: true}); }
        if (f.popup) { shape.bindPopup(node(f.popup), {maxWidth: 360}); }
        shape.addTo(group);
    });
};
"""


def _css_id(value: object) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-")


def layer_data(layer: str, features: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Everything the browser needs to draw `layer`: shared style, and per feature its id,
    CSS classes, encoded geometry, style, tooltip and popup HTML."""
    kinds: set[str] = set()
    records = []
    for index, feat in enumerate(features):
        props: Mapping[str, Any] = feat.get("properties") or {}
        fid = props.get("id", feat.get("id", index))
        kind, geom = encode_geometry(feat.get("geometry") or {})
        kinds.add(kind)
        tooltip, popup = feature_texts(layer, props, lang)
        classes = (LAYER_CLASS.get(layer), f"laovn-{layer}", f"laovn-id-{_css_id(fid)}")
        records.append({
            "id": str(fid), "cls": " ".join(filter(None, classes)),
            "geom": geom, "style": feature_style(layer, index, props),
            "tooltip": tooltip, "popup": popup,
        })
    if len(kinds) > 1:
        raise ValueError(f"layer {layer} mixes geometry kinds: {sorted(kinds)}")
    return {"layer": layer, "kind": kinds.pop() if kinds else "point", "scale": POSITION_SCALE,
            "style": LAYER_STYLE.get(layer, {}), "features": records}


def _features(layers: Mapping[str, FeatureCollection], name: str) -> list[Mapping[str, Any]]:
    fc = layers.get(name)
    return list(fc.get("features", [])) if fc else []


def _bounds(features: Iterable[Mapping[str, Any]]) -> Bounds | None:
    """[[south, west], [north, east]] of the features, or None when they have no positions."""
    arrays = [_position_array(feat.get("geometry") or {}) for feat in features]
    xy = np.concatenate(arrays) if arrays else np.empty((0, 2))
    if not len(xy):
        return None
    (west, south), (east, north) = xy.min(axis=0).tolist(), xy.max(axis=0).tolist()
    return [[south, west], [north, east]]


def union_bounds(boxes: Iterable[Bounds | None]) -> Bounds | None:
    """The box around every box given (None when none is)."""
    real = [b for b in boxes if b]
    if not real:
        return None
    return [[min(b[0][0] for b in real), min(b[0][1] for b in real)],
            [max(b[1][0] for b in real), max(b[1][1] for b in real)]]


def _kind(feature: Mapping[str, Any]) -> object:
    return feature["properties"].get("kind")


def _groups(layers: Mapping[str, FeatureCollection]) -> dict[str, list[Mapping[str, Any]]]:
    """The features of each map layer (`catalog.MAP_LAYERS`), in drawing order."""
    border_feats = _features(layers, "border")
    missions = _features(layers, "missions")
    return {
        "countries": _features(layers, "countries"),
        "provinces_vn": _features(layers, "provinces_vn"),
        "provinces_la": _features(layers, "provinces_la"),
        "segments": sorted(
            (f for f in border_feats if _kind(f) == SEGMENT),
            key=lambda f: (f["properties"].get("order", 0), str(f["properties"].get("id")))),
        "border": [f for f in border_feats if _kind(f) == BORDER_LINE],
        "embassies": [f for f in missions if _kind(f) == EMBASSY],
        "consulates": [f for f in missions if _kind(f) == CONSULATE],
    }


@dataclass(frozen=True)
class PreparedLayer:
    """One overlay ready for the browser: its `laovnDraw` data as script-safe JSON, and its
    bounds ([[south, west], [north, east]] or None). Immutable, so an app can share it across
    sessions and reruns (see `prepare_layers`)."""

    name: str
    lang: str
    data_json: str
    bounds: Bounds | None


def prepare_layers(layers: Mapping[str, FeatureCollection], lang: str = "en"
                   ) -> dict[str, PreparedLayer]:
    """Every map layer of `layers` (keys as in `catalog.LAYER_FILES`; missing ones are empty)
    encoded for the browser in `lang`: what `mapview.build_map` draws.

    This is the costly part of a map (encoding ~50,000 positions and 40 popups); it depends on
    the layers and the language only, so an app computes it once per language and passes it
    to `build_map` on every rerun.
    """
    return {name: PreparedLayer(name, lang, script_json(layer_data(name, feats, lang)),
                                _bounds(feats))
            for name, feats in _groups(layers).items()}
