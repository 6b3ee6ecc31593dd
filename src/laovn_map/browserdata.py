"""The map's layers as the browser gets them: encoded geometry, styles, popup HTML and labels
as script-safe JSON, one `PreparedLayer` per map layer.

Each overlay goes to the browser as data (positions delta-encoded, see `encode_geometry`) that a
small script (`RUNTIME_JS`) draws, instead of one folium element per feature, whose templates
made every rerun slow and the page large. The data reaches the page only as JSON written by
`script_json`, which cannot end its <script> element, and is never read as a template.
`decode_geometry` and `drawn_layers` read it back as the browser does, for the tests and the
benchmark.

Labels travel in the data of the layer they name (countries, provinces, cities in the missions
layers), so they come and go with its toggle; where each goes (`label_anchors`) is computed
once from the full layers, and which ones show at a zoom is decided in the browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from laovn_map.catalog import (
    BORDER_LINE,
    CONSULATE,
    EMBASSY,
    PERIOD_2025,
    PERIOD_SOURCES,
    PERIOD_TEXT,
    PROVINCE_LAYERS,
    SEGMENT,
)
from laovn_map.display import DISPLAY_DECIMALS, to_metres
from laovn_map.labels import any_country_name, city_name, esc, feature_texts, province_name
from laovn_map.mapstyle import LABEL_CLASS, LAYER_CLASS, LAYER_STYLE, feature_style

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


#: How popups fit the map (`RUNTIME_JS`): at most `maxWidth` px wide and never wider than the
#: map less `margin` on each side and Leaflet's own frame (`frameWidth`: content margins,
#: border and the pixel Leaflet adds); at most `heightShare` of the map's height, and no
#: taller than the room above the clicked point (less `frameHeight`: margins, tip and offset)
#: plus what the map may still pan within its limits, scrolling beyond; panned into view only
#: as far as `autoPanPadding` (px from the map's edge) needs.
POPUP: dict[str, Any] = {"maxWidth": 360, "margin": 12, "frameWidth": 47, "frameHeight": 56,
                         "minHeight": 120, "heightShare": 0.5, "autoPanPadding": [12, 12]}

#: The map's drawing script. `laovnDraw(data, group)` draws one layer from its data (see
#: `layer_data`): decodes positions, makes the Leaflet shapes with their CSS classes, binds
#: tooltips (HTML strings) and popups, and adds the layer's labels as zero-size marker icons. A
#: popup's content is a DOM node parsed by a <template> element, inertly (nothing in it runs),
#: because streamlit-folium reads a clicked popup's text with `getContent().innerText`; its size
#: is set from the map's size just before it opens (`POPUP`).
#:
#: `laovnMap(map, config)` runs once after the layers (see `mapview.map_config`): the page's
#: CSS, the zoom floor, the legend that follows the layer control, the credit line, the
#: tiles' notice, and the label pass that, on every zoom and toggle, hides each label whose box
#: overlaps one placed before it (in `rank` order) or, for a province, is wider or taller than
#: the province's box on screen. `window.laovn` holds the map and the labels for tests.
RUNTIME_JS = """
window.laovn = {map: null, labels: [], popup: __POPUP__};
window.laovnDraw = function (data, group) {
    var scale = data.scale, popup = window.laovn.popup;
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
    function fitPopup(e) {
        var map = e.target._map, options = e.target.getPopup().options;
        if (!map) { return; }
        var size = map.getSize(), limit = map.options.maxBounds;
        var room = limit ? Math.max(0, -map.latLngToContainerPoint(limit.getNorthWest()).y) : 0;
        var above = map.latLngToContainerPoint(e.latlng).y + room - popup.margin
            - popup.frameHeight;
        options.maxWidth = Math.max(120, Math.min(popup.maxWidth,
                                                  size.x - 2 * popup.margin - popup.frameWidth));
        options.minWidth = Math.min(50, options.maxWidth);
        options.maxHeight = Math.round(Math.max(popup.minHeight,
                                                Math.min(size.y * popup.heightShare, above)));
    }
    group.laovnLayer = data.layer;
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
        if (f.popup) {
            shape.on("click", fitPopup);  // before bindPopup's own click handler opens it
            shape.bindPopup(node(f.popup), {maxWidth: popup.maxWidth,
                                            autoPanPadding: popup.autoPanPadding});
        }
        shape.addTo(group);
    });
    (data.labels || []).forEach(function (label) {
        var icon = L.divIcon({className: label.cls, html: "<span>" + label.text + "</span>",
                              iconSize: null});
        var marker = L.marker(label.at, {icon: icon, interactive: false, keyboard: false});
        marker.laovnLabel = label;
        window.laovn.labels.push(marker);
        marker.addTo(group);
    });
};
window.laovnMap = function (map, config) {
    var laovn = window.laovn;
    laovn.map = map;
    var style = document.createElement("style");
    style.textContent = config.css;
    document.head.appendChild(style);

    // never zoomed out so far that the view reaches past the base map's outlines
    function zoomFloor() {
        var fit = config.extent ? map.getBoundsZoom(config.extent, true) : config.minZoom;
        var floor = Math.max(config.minZoom, fit);
        if (map.getZoom() < floor) { map.setZoom(floor, {animate: false}); }
        map.setMinZoom(floor);
    }
    zoomFloor();
    map.on("resize", zoomFloor);

    if (config.legend) {
        var legend = L.control({position: "bottomright"});
        legend.onAdd = function () {
            var div = L.DomUtil.create("div", "laovn-legend");
            div.innerHTML = config.legend;
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            var button = div.querySelector(".laovn-legend-toggle");
            var body = div.querySelector(".laovn-legend-body");
            function fold(open) {
                button.setAttribute("aria-expanded", String(open));
                body.hidden = !open;
            }
            button.addEventListener("click", function () {
                fold(button.getAttribute("aria-expanded") !== "true");
            });
            fold(map.getSize().x >= config.legendOpenFromPx);
            return div;
        };
        legend.addTo(map);
        var box = legend.getContainer();
        map.on("overlayadd overlayremove", function (e) {
            var key = e.layer && e.layer.laovnLayer;
            if (!key) { return; }
            box.querySelectorAll('[data-layer="' + key + '"]').forEach(function (entry) {
                entry.hidden = e.type === "overlayremove";
            });
            box.hidden = !box.querySelector(".laovn-legend-entry:not([hidden])");
        });
    }
    if (config.attribution) { map.attributionControl.addAttribution(config.attribution); }

    map.eachLayer(function (layer) {
        if (!(layer instanceof L.TileLayer)) { return; }
        layer.once("tileload", function () {
            L.DomUtil.addClass(map.getContainer(), "laovn-tiles-shown");
        });
        layer.once("tileerror", function () {
            var notice = L.control({position: "bottomleft"});
            notice.onAdd = function () {
                var div = L.DomUtil.create("div", "laovn-notice");
                div.setAttribute("role", "status");
                div.textContent = config.tilesOffline;
                return div;
            };
            notice.addTo(map);
        });
    });

    function byRank(a, b) {
        var x = a.laovnLabel.rank, y = b.laovnLabel.rank;
        return x[0] - y[0] || x[1] - y[1];
    }
    function placeLabels() {
        var placed = [], pad = config.labelGapPx;
        laovn.labels.forEach(function (marker) {
            var el = marker.getElement();
            if (!el || !marker._map) { return; }
            var span = el.firstChild, fit = marker.laovnLabel.fit, show = true;
            if (fit) {
                var sw = map.latLngToContainerPoint([fit[0], fit[1]]);
                var ne = map.latLngToContainerPoint([fit[2], fit[3]]);
                show = span.offsetWidth <= ne.x - sw.x && span.offsetHeight <= sw.y - ne.y;
            }
            var r = span.getBoundingClientRect();
            show = show && !placed.some(function (p) {
                return r.left < p.right + pad && p.left < r.right + pad &&
                    r.top < p.bottom + pad && p.top < r.bottom + pad;
            });
            if (show) { placed.push(r); }
            L.DomUtil[show ? "removeClass" : "addClass"](el, "laovn-label-hidden");
        });
    }
    laovn.labels.sort(byRank);
    laovn.placeLabels = placeLabels;
    map.on("zoomend overlayadd overlayremove resize", placeLabels);
    setTimeout(placeLabels, 0);
};
""".replace("__POPUP__", json.dumps(POPUP, sort_keys=True))


def _css_id(value: object) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-")


def layer_data(layer: str, features: Sequence[Mapping[str, Any]], lang: str,
               labels: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Everything the browser needs to draw `layer`: shared style, per feature its id, CSS
    classes, encoded geometry, style, tooltip and popup HTML, and the layer's `labels`
    (`map_labels`)."""
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
            "style": LAYER_STYLE.get(layer, {}), "features": records, "labels": list(labels)}


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


def _groups(layers: Mapping[str, FeatureCollection], period: str = PERIOD_TEXT
            ) -> dict[str, list[Mapping[str, Any]]]:
    """The features of each map layer (`catalog.MAP_LAYERS`) in *period*, in drawing order."""
    source = PERIOD_SOURCES[period]
    border_feats = _features(layers, "border")
    missions = _features(layers, "missions")
    return {
        "countries": _features(layers, "countries"),
        "water": _features(layers, "water"),
        "provinces_vn": _features(layers, source.get("provinces_vn", "provinces_vn")),
        "provinces_la": _features(layers, "provinces_la"),
        "segments": sorted(
            (f for f in _features(layers, source.get("segments", "border")) if _kind(f) == SEGMENT),
            key=lambda f: (f["properties"].get("order", 0), str(f["properties"].get("id")))),
        "border": [f for f in border_feats if _kind(f) == BORDER_LINE],
        "embassies": [f for f in missions if _kind(f) == EMBASSY],
        "consulates": [f for f in missions if _kind(f) == CONSULATE],
    }


# --- labels ------------------------------------------------------------------------------

#: The map may not be panned further than this beyond the two countries' box (degrees): less
#: than the build's full-detail margin of the base map (`features.BASEMAP_MARGIN_DEG`, stated
#: in the manifest's parameters as `basemap_margin_deg`; a test holds the two together).
MAX_BOUNDS_MARGIN_DEG = 1.0
#: A neighbouring country is labelled when this much of it (square degrees) lies within the
#: map's panning limit (Hong Kong and Macau, inside it, are too small for a name).
COUNTRY_LABEL_MIN_AREA_DEG2 = 1.0
#: Label tiers, placed in this order (then by area, larger first): the capitals, the other
#: mission cities, the two countries, their neighbours, the provinces.
LABEL_TIERS = ("capital", "city", "party", "country", "province")
_ANCHOR_TOLERANCE_DEG = 0.005


@dataclass(frozen=True)
class Anchor:
    """Where a feature's label goes: the pole of inaccessibility of its largest part (lat,
    lon), its area, and its box [south, west, north, east] (a province label shows only where
    it fits in that box)."""

    lat: float
    lon: float
    area_km2: float
    box: tuple[float, float, float, float]


def max_bounds(countries: Iterable[Mapping[str, Any]]) -> Bounds | None:
    """The map's panning limit: the box of the two countries (`is_party` features of the
    countries layer) plus `MAX_BOUNDS_MARGIN_DEG`."""
    parties = _bounds(f for f in countries if (f.get("properties") or {}).get("is_party"))
    if not parties:
        return None
    (south, west), (north, east) = parties
    m = MAX_BOUNDS_MARGIN_DEG
    return [[south - m, west - m], [north + m, east + m]]


def _anchor(geom: BaseGeometry) -> Anchor | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    largest = max(parts, key=lambda p: p.area)
    point = polylabel(largest, tolerance=_ANCHOR_TOLERANCE_DEG)
    west, south, east, north = geom.bounds

    def r(x: float) -> float:  # at the positions' precision
        return float(round(x * POSITION_SCALE) / POSITION_SCALE)

    return Anchor(r(point.y), r(point.x), round(to_metres(geom).area / 1e6, 1),
                  (r(south), r(west), r(north), r(east)))


def label_anchors(layers: Mapping[str, FeatureCollection]) -> dict[str, dict[str, Anchor]]:
    """Label anchors by layer, then feature id, of the provinces and of the countries:
    computed once from the full layers (`prepare_layers` takes them).

    A country counts only within the map's panning limit (and is left out when too little of
    it is inside); a party only outside its border provinces, which carry their own names.
    """
    countries = _features(layers, "countries")
    limit = max_bounds(countries)
    view = box(limit[0][1], limit[0][0], limit[1][1], limit[1][0]) if limit else None
    out: dict[str, dict[str, Anchor]] = {"countries": {}}
    for f in countries:
        geom = shape(f["geometry"])
        if view is not None:
            geom = geom.intersection(view)
        provinces = _features(layers, PROVINCE_LAYERS.get(str(f["properties"].get("iso_a2")), ""))
        if provinces:
            geom = geom.difference(shapely.union_all([shape(p["geometry"]) for p in provinces]))
        if geom.area >= COUNTRY_LABEL_MIN_AREA_DEG2 and (anchor := _anchor(geom)):
            out["countries"][str(f["properties"].get("id"))] = anchor
    for layer in (*PROVINCE_LAYERS.values(), PERIOD_SOURCES[PERIOD_2025]["provinces_vn"]):
        out[layer] = {str(f["properties"].get("id")): anchor for f in _features(layers, layer)
                      if (anchor := _anchor(shape(f["geometry"])))}
    return out


def _label(text: str, at: Sequence[float], kind: str, tier: str, area: float = 0.0,
           fit: Sequence[float] | None = None) -> dict[str, Any]:
    label: dict[str, Any] = {"text": esc(text), "at": [float(at[0]), float(at[1])],
                             "cls": LABEL_CLASS[kind],
                             "rank": [LABEL_TIERS.index(tier), -round(area)]}
    if fit is not None:
        label["fit"] = list(fit)
    return label


def map_labels(groups: Mapping[str, Sequence[Mapping[str, Any]]],
               anchors: Mapping[str, Mapping[str, Anchor]], lang: str
               ) -> dict[str, list[dict[str, Any]]]:
    """The labels of each map layer in `lang`, escaped: country names (the parties' from
    `catalog`, the others' from CLDR) on the base map, province names (as their popups name
    them) on their province layer, and each mission city once, on the embassies layer when it
    has one (an embassy is in its host's capital: those are the two capitals), else on the
    consulates layer."""
    out: dict[str, list[dict[str, Any]]] = {}
    country_anchors = anchors.get("countries", {})
    for f in groups.get("countries", ()):
        props = f.get("properties") or {}
        anchor = country_anchors.get(str(props.get("id")))
        if anchor:
            party = bool(props.get("is_party"))
            out.setdefault("countries", []).append(_label(
                any_country_name(props.get("iso_a2"), lang), (anchor.lat, anchor.lon),
                "party" if party else "country", "party" if party else "country",
                anchor.area_km2))
    for layer in PROVINCE_LAYERS.values():
        for f in groups.get(layer, ()):
            props = f.get("properties") or {}
            anchor = anchors.get(layer, {}).get(str(props.get("id")))
            if anchor:
                out.setdefault(layer, []).append(_label(
                    province_name(props, lang), (anchor.lat, anchor.lon), layer, "province",
                    anchor.area_km2, anchor.box))
    seen: set[str] = set()
    for layer, kind in (("embassies", "capital"), ("consulates", "city")):
        for f in groups.get(layer, ()):
            city = city_name(f.get("properties") or {}, lang)
            lon, lat = (f.get("geometry") or {}).get("coordinates", [None, None])[:2]
            if city and city not in seen and lat is not None:
                seen.add(city)
                out.setdefault(layer, []).append(_label(city, (lat, lon), kind, kind))
    return out


@dataclass(frozen=True)
class PreparedLayer:
    """One overlay ready for the browser: its `laovnDraw` data as script-safe JSON, and its
    bounds ([[south, west], [north, east]] or None). Immutable, so an app can share it across
    sessions and reruns (see `prepare_layers`)."""

    name: str
    lang: str
    data_json: str
    bounds: Bounds | None
    #: The base map's (`countries`) only: the map's panning limit (`max_bounds`).
    max_bounds: Bounds | None = None
    #: The division of Vietnam the layer shows (`catalog.PERIODS`).
    period: str = PERIOD_TEXT


def prepare_layers(layers: Mapping[str, FeatureCollection], lang: str = "en",
                   anchors: Mapping[str, Mapping[str, Anchor]] | None = None,
                   period: str = PERIOD_TEXT) -> dict[str, PreparedLayer]:
    """Every map layer of `layers` (keys as in `catalog.LAYER_FILES`; missing ones are empty)
    encoded for the browser in `lang`, with its labels: what `mapview.build_map` draws.

    `anchors` (`label_anchors` of the full layers) places the labels; without them they are
    computed from `layers` themselves. This is the costly part of a map (encoding ~60,000
    positions and 40 popups); it depends on the layers and the language only, so an app
    computes it once per language and period and passes it to `build_map` on every rerun.
    `period` (`catalog.PERIODS`) chooses which provinces of Vietnam, and which segments, are drawn.
    """
    groups = _groups(layers, period)
    anchors = label_anchors(layers) if anchors is None else anchors
    # the anchors of the map layers: in 2025, those of the units for the Vietnamese provinces
    anchors = {**anchors, **{name: anchors.get(file, {})
                             for name, file in PERIOD_SOURCES[period].items()}}
    labels = map_labels(groups, anchors, lang)
    return {name: PreparedLayer(name, lang,
                                script_json(layer_data(name, feats, lang, labels.get(name, ()))),
                                _bounds(feats),
                                max_bounds(feats) if name == "countries" else None, period)
            for name, feats in groups.items()}
