"""The map's layers as the browser gets them: encoded geometry and styles (one `PreparedLayer`
per map layer, in no language), and the texts of a language (`prepare_texts`), as script-safe
JSON.

Each overlay goes to the browser as data (positions delta-encoded, see `lines.encode_geometry`) that a
small script (`js/`, joined by `runtime`) draws, instead of one folium element per feature,
whose templates made every rerun slow and the page large. The geometry is the same for every
reader, so the map script never changes and streamlit-folium never redraws it; tooltips, popups, accessible
names, labels, the legend and the search index come with the page's state (`mapview`), which
the script applies to the shapes it already drew. The data reaches the page only as JSON
written by `script_json`, which cannot end its <script> element, and is never read as a
template. `lines.decode_geometry` and `drawn_layers` read it back as the browser does, for the tests
and the benchmark.

Labels travel in the texts of the layer they name (countries, provinces, cities in the
missions layers), so they come and go with its toggle; where each goes (`label_anchors`) is
computed once from the full layers, and which ones show at a zoom is decided in the browser.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from anyascii import anyascii
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from laovn_map.catalog import (
    INERT_LAYERS,
    MAP_LAYER_REGISTRY,
    MAP_LAYERS,
    PARTIES,
    PERIOD_2025,
    PERIOD_SOURCES,
    PERIOD_TEXT,
    PROVINCE_LAYERS,
    SEARCHABLE_LAYERS,
    UNFRAMED_LAYERS,
    credit_line,
)
from laovn_map.i18n import msgid, t
from laovn_map.page.labels import (
    accessible_name,
    any_country_name,
    city_name,
    esc,
    in_lang,
    layer_label,
    legend_html,
    osm_role,
    period_label,
    province_name,
    scale_units,
    search_names,
    text_language_name,
)
from laovn_map.page.lines import POSITION_SCALE, encode_geometry, position_array
from laovn_map.page.mapstyle import LABEL_CLASS, LAYER_CLASS, LAYER_STYLE, feature_style
from laovn_map.page.popups import feature_texts
from laovn_map.page.simplify import DISPLAY_DECIMALS, to_metres

FeatureCollection = Mapping[str, Any]
Bounds = list[list[float]]

#: Below this zoom the map first draws each line and polygon at a coarser level of detail
#: (`lod`, see `coarse_geometries`) and swaps in the full one once the map is on screen, or at
#: once when the reader zooms in: the full positions cost the first view more of the
#: browser's time (projecting, clipping, collecting) for nothing a reader can see there
#: (bench/README.md).
LOD_BELOW_ZOOM = 6.5
#: How far a coarse shape may be from the full one: a screen pixel just below
#: `LOD_BELOW_ZOOM` (Web Mercator, 256 px tiles), at the north of the map's panning limit
#: (~25°N), where a degree of latitude is most pixels. The browser draws a coarse shape as it
#: is (no simplification of its own, `smoothFactor` 0), so it is as close to the full shape as
#: Leaflet's own 1-pixel simplification of the full one would be.
LOD_TOLERANCE_DEG = 1.0 * 360 / (256 * 2**LOD_BELOW_ZOOM) * float(np.cos(np.radians(25.0)))
#: A coarse form is sent only when it saves at least this share of a feature's positions.
LOD_MIN_SAVING = 0.25


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


#: How popups fit the map (js/draw.js `fitPopup`): at most `maxWidth` px wide and never wider than the
#: map less `margin` on each side and Leaflet's own frame (`frameWidth`: content margins,
#: border and the pixel Leaflet adds); at most `heightShare` of the map's height. Where it
#: goes is js/clearance.js's: `margin` px clear of every control and of the map's edge,
#: above or below its point, cut (scrolling) to no less than `minHeight` px only where no
#: room holds it whole.
POPUP: dict[str, Any] = {"maxWidth": 360, "margin": 12, "frameWidth": 47, "minHeight": 120,
                         "heightShare": 0.5}

#: Leaflet pane of the point layers: drawn above the areas and lines, and before them in the
#: document, so that the keyboard meets the missions first (js/main.js `laovnInit`).
POINTS_PANE = "laovnPoints"


def _css_id(value: object) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-")


def _feature_id(feat: Mapping[str, Any], index: int) -> str:
    props: Mapping[str, Any] = feat.get("properties") or {}
    return str(props.get("id", feat.get("id", index)))


def _anchor_point(geom: Mapping[str, Any]) -> list[float] | None:
    """Where a keyboard or search selection opens a feature's popup ([lat, lon]): the middle
    of a line's longest part, a point on an area's largest part (a province's label anchor is
    used instead where there is one). None for points, which open at themselves."""
    if geom.get("type") in ("Point", None):
        return None
    shapes = [p for p in shapely.get_parts(shape(geom)) if not p.is_empty]
    if not shapes:
        return None
    part = max(shapes, key=lambda p: p.length if p.geom_type == "LineString" else p.area)
    point = (part.interpolate(0.5, normalized=True) if part.geom_type == "LineString"
             else part.point_on_surface())
    return [round(point.y, DISPLAY_DECIMALS), round(point.x, DISPLAY_DECIMALS)]


def _furthest(full: BaseGeometry, small: BaseGeometry) -> float:
    """The largest distance from a vertex of `full` to the lines of `small`: their Hausdorff
    distance, `small`'s vertices being some of `full`'s (both simplifiers only remove)."""
    lines = shapely.get_parts(small.boundary if small.geom_type.endswith("Polygon") else small)
    pieces = []
    for line in lines:
        coords = shapely.get_coordinates(line)
        pieces.append(np.stack([coords[:-1], coords[1:]], axis=1))
    if not pieces:
        return float("inf")
    segments = shapely.linestrings(np.concatenate(pieces))
    _, distances = shapely.STRtree(segments).query_nearest(
        shapely.points(shapely.get_coordinates(full)), return_distance=True, all_matches=False)
    return float(distances.max()) if len(distances) else 0.0


def _simplified_within(geoms: list[BaseGeometry], tolerance: float, together: bool
                       ) -> list[BaseGeometry]:
    """`geoms` simplified (`together`: as one coverage, `shapely.coverage_simplify`; else each
    by itself, topology kept), none further than `tolerance` from its own shape (Hausdorff
    distance). Neither simplifier's parameter bounds that distance everywhere (the coverage's
    removes vertices by the area they span, a ring kept whole may move), so the parameter is
    tightened until the result keeps within; `geoms` unchanged if it never does."""
    step = tolerance
    for _ in range(6):
        simplified = (list(shapely.coverage_simplify(geoms, step)) if together
                      else [g.simplify(step) for g in geoms])
        worst = max((_furthest(g, s) for g, s in zip(geoms, simplified, strict=True)),
                    default=0.0)
        if worst <= tolerance:
            return simplified
        step *= 0.9 * tolerance / worst
    return geoms


def coarse_geometries(layer: str, features: Sequence[Mapping[str, Any]]
                      ) -> list[dict[str, Any] | None]:
    """For each feature, its geometry simplified by `LOD_TOLERANCE_DEG` (GeoJSON), or None
    where that saves less than `LOD_MIN_SAVING` of its positions (points, small shapes).

    The provinces of a country tile it, so they are simplified together
    (`shapely.coverage_simplify`): a shared edge stays shared, and no sliver opens between
    two provinces. Other layers are simplified shape by shape (topology kept)."""
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    if not any(g is not None and g.geom_type != "Point" for g in geoms):
        return [None] * len(features)
    present = [g for g in geoms if g is not None]
    if layer in PROVINCE_LAYERS.values() and all(
            g.geom_type in ("Polygon", "MultiPolygon") for g in present):
        simplified = iter(_simplified_within(present, LOD_TOLERANCE_DEG, together=True))
        coarse = [next(simplified) if g is not None else None for g in geoms]
    else:
        coarse = [_simplified_within([g], LOD_TOLERANCE_DEG, together=False)[0]
                  if g is not None else None for g in geoms]
    out: list[dict[str, Any] | None] = []
    for full, small in zip(geoms, coarse, strict=True):
        keep = (full is not None and small is not None and not small.is_empty
                and small.geom_type == full.geom_type
                and shapely.get_num_coordinates(small)
                <= (1 - LOD_MIN_SAVING) * shapely.get_num_coordinates(full))
        out.append(shapely.geometry.mapping(small) if keep and small is not None else None)
    return out


def layer_data(layer: str, features: Sequence[Mapping[str, Any]],
               anchors: Mapping[str, Anchor] | None = None) -> dict[str, Any]:
    """What the browser needs to draw `layer`, in no language: shared style, and per feature
    its id, CSS classes, encoded geometry (`geom`, and `lod`, its coarse form where
    `coarse_geometries` gives one), style and where its popup opens (`at`: the label anchor in
    `anchors`, by feature id, else `_anchor_point`). Texts come with the page's state
    (`layer_texts`)."""
    anchors = anchors or {}
    kinds: set[str] = set()
    records = []
    coarse = coarse_geometries(layer, features)
    for index, feat in enumerate(features):
        props: Mapping[str, Any] = feat.get("properties") or {}
        fid = _feature_id(feat, index)
        geometry = feat.get("geometry") or {}
        kind, geom = encode_geometry(geometry)
        kinds.add(kind)
        classes = (LAYER_CLASS.get(layer), f"laovn-{layer}", f"laovn-id-{_css_id(fid)}")
        record: dict[str, Any] = {"id": fid, "cls": " ".join(filter(None, classes)),
                                  "geom": geom, "style": feature_style(layer, index, props)}
        anchor = anchors.get(fid)
        at = [anchor.lat, anchor.lon] if anchor else (
            None if layer in INERT_LAYERS else _anchor_point(geometry))
        if at:
            record["at"] = at
        if (lod := coarse[index]) is not None:
            record["lod"] = encode_geometry(lod)[1]
        if props.get("start") and props.get("end"):  # an event: its dates, for the timeline
            record["span"] = [str(props["start"]), str(props["end"])]
        if props.get("event_id"):  # the places of one event are selected together
            record["group"] = str(props["event_id"])
        records.append(record)
    if len(kinds) > 1:
        raise ValueError(f"layer {layer} mixes geometry kinds: {sorted(kinds)}")
    kind = kinds.pop() if kinds else "point"
    data: dict[str, Any] = {"layer": layer, "kind": kind, "scale": POSITION_SCALE,
                            "style": LAYER_STYLE.get(layer, {}), "features": records}
    if kind == "point":
        data["pane"] = POINTS_PANE
    return data


def layer_texts(layer: str, features: Sequence[Mapping[str, Any]], lang: str,
                period: str = PERIOD_TEXT) -> dict[str, Any]:
    """The texts of one map layer in `lang`: its name (HTML, for the layer control) and per
    feature id [tooltip HTML, popup HTML, accessible name (plain text)]."""
    label = layer_label(layer, lang, period)
    texts: dict[str, list[str]] = {}
    if layer not in INERT_LAYERS:
        for index, feat in enumerate(features):
            props = feat.get("properties") or {}
            tooltip, popup = feature_texts(layer, props, lang)
            texts[_feature_id(feat, index)] = [tooltip, popup, accessible_name(layer, props, lang)]
    return {"label": esc(label), "features": texts}


def search_index(groups: Mapping[str, Sequence[Mapping[str, Any]]], lang: str,
                 period: str = PERIOD_TEXT) -> list[list[Any]]:
    """[id, name, kind, names, within] of every feature the search finds, in layer order: the
    name and kind (the layer's name, and for a mission the province its city lies in) in `lang`,
    plain text; `names` in every language and script (`labels.search_names`), each also in
    ASCII, without the ones the browser reads the same (`search_form`); `within` the id of
    the province on the map a mission's city lies in ("" when it is not on the map)."""
    out: list[list[Any]] = []
    on_map = {str(f.get("properties", {}).get("id") or "") for layer in PROVINCE_LAYERS.values()
              for f in groups.get(layer, ())}
    for layer, feats in groups.items():
        if layer not in SEARCHABLE_LAYERS:
            continue
        kind = layer_label(layer, lang, period)
        for index, feat in enumerate(feats):
            props = feat.get("properties") or {}
            names = search_names(layer, props)
            forms = {search_form(n): n for n in reversed([*names, *map(anyascii, names)])}
            within = str(props.get("province_iso_3166_2") or "")
            out.append([_feature_id(feat, index), accessible_name(layer, props, lang),
                        _kind_within(kind, props, lang), list(reversed(forms.values())),
                        within if within in on_map else ""])
    return out


def _kind_within(kind: str, props: Mapping[str, Any], lang: str) -> str:
    """A search result's kind, with the province a mission's city lies in where the province is
    not the city itself (Pakse: Champasak; not Hanoi: Hanoi, nor Ho Chi Minh City: Ho Chi
    Minh)."""
    province = str(in_lang(props, "province_name", lang) or "")
    city = search_form(city_name(props, lang)).replace(" ", "")
    own = search_form(province).replace(" ", "")
    if not own or not city or city in own or own in city:
        return kind
    return t("search.within", lang).format(kind=kind, place=province)


#: The marks of the Latin script once decomposed (NFKD): what the search ignores.
_LATIN_MARKS = re.compile("[\u0300-\u036f]")


def search_form(name: str) -> str:
    """A name as the map's search reads it (js/match.js, `foldName`: case and Latin diacritics
    ignored, đ read as d, Lao's subscript lo as the letter; words are runs of letters, marks
    and digits): two names of one form are one name to it."""
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", name))
    text = text.replace("đ", "d").replace("Đ", "d").replace("\u0ebc", "\u0ea5").lower()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)
    return " ".join(kept.split())


def _features(layers: Mapping[str, FeatureCollection], name: str) -> list[Mapping[str, Any]]:
    fc = layers.get(name)
    return list(fc.get("features", [])) if fc else []


def _bounds(features: Iterable[Mapping[str, Any]]) -> Bounds | None:
    """[[south, west], [north, east]] of the features, or None when they have no positions."""
    arrays = [position_array(feat.get("geometry") or {}) for feat in features]
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
    """The features of each map layer (`catalog.MAP_LAYER_REGISTRY`) in *period*, in drawing
    order: each from its file in that period, of its kinds, in its order where it has one."""
    source = PERIOD_SOURCES[period]
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for layer in MAP_LAYER_REGISTRY:
        features = _features(layers, source.get(layer.key, layer.source))
        if layer.kinds:
            features = [f for f in features if _kind(f) in layer.kinds]
        if layer.in_order:
            features = sorted(features, key=lambda f: (f["properties"].get("order", 0),
                                                       str(f["properties"].get("id"))))
        groups[layer.key] = features
    return groups


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
#: How many places inside a province its name may try (`label_points`), and how far apart
#: they are at least (degrees): about 9 px at the first view's zoom.
LABEL_POINTS = 6
LABEL_POINT_SPACING_DEG = 0.2


@dataclass(frozen=True)
class Anchor:
    """Where a feature's label goes: the pole of inaccessibility of its largest part within the
    first view (lat, lon), its area, its box [south, west, north, east] (a province's name
    shows only where it is not much larger than that box on screen), and further points
    inside it ([lat, lon], best first) where the name may go when the first is taken or out
    of the view."""

    lat: float
    lon: float
    area_km2: float
    box: tuple[float, float, float, float]
    others: tuple[tuple[float, float], ...] = ()


def max_bounds(countries: Iterable[Mapping[str, Any]]) -> Bounds | None:
    """The map's panning limit: the box of the two countries (`is_party` features of the
    countries layer) plus `MAX_BOUNDS_MARGIN_DEG`."""
    parties = _bounds(f for f in countries if (f.get("properties") or {}).get("is_party"))
    if not parties:
        return None
    (south, west), (north, east) = parties
    m = MAX_BOUNDS_MARGIN_DEG
    return [[south - m, west - m], [north + m, east + m]]


def _at_precision(x: float) -> float:
    return float(round(x * POSITION_SCALE) / POSITION_SCALE)


def _largest_polygon(geom: BaseGeometry) -> BaseGeometry | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return max(parts, key=lambda p: (p.area, p.bounds)) if parts else None


def _pole(polygon: BaseGeometry, tolerance: float = _ANCHOR_TOLERANCE_DEG
          ) -> tuple[float, float, float]:
    """The pole of inaccessibility of `polygon`: (lat, lon, its distance to the edge)."""
    point = polylabel(polygon, tolerance=tolerance)
    return point.y, point.x, float(polygon.exterior.distance(point))


def label_points(geom: BaseGeometry, frame: BaseGeometry | None = None,
                 most: int = LABEL_POINTS) -> list[tuple[float, float]]:
    """Where a name may go inside `geom`, best first, as (lat, lon): the pole of
    inaccessibility of its largest part within `frame` (the first view, so the name is seen
    there; the whole shape when none of it is inside), then the poles of that part cut
    into halves and thirds, across and along, the roomiest first (`most` in all,
    none closer than `LABEL_POINT_SPACING_DEG` to one before it).

    A name that cannot go at the first point, taken by a larger province's name or a dot, or
    out of a phone's narrower view, tries the others in the browser (js/place.js)."""
    clipped = geom.intersection(frame) if frame is not None else geom
    part = _largest_polygon(clipped) or _largest_polygon(geom)
    if part is None:
        return []
    first = _pole(part)
    if most <= 1:
        return [(_at_precision(first[0]), _at_precision(first[1]))]
    west, south, east, north = part.bounds
    pieces: list[tuple[float, float, float]] = []
    for count in (2, 3):
        for i in range(count):
            for slab in ((west + (east - west) * i / count, south,
                          west + (east - west) * (i + 1) / count, north),
                         (west, south + (north - south) * i / count,
                          east, south + (north - south) * (i + 1) / count)):
                if (piece := _largest_polygon(shapely.clip_by_rect(part, *slab))) is not None:
                    # a hundredth of the piece: a country's half needs no province's precision
                    x0, y0, x1, y1 = piece.bounds
                    pieces.append(_pole(piece, max(_ANCHOR_TOLERANCE_DEG,
                                                   min(x1 - x0, y1 - y0) / 100)))
    chosen = [(first[0], first[1])]
    for lat, lon, _room in sorted(pieces, key=lambda p: (-p[2], p[0], p[1])):
        if len(chosen) == most:
            break
        if all(math.hypot(lat - a, lon - b) >= LABEL_POINT_SPACING_DEG for a, b in chosen):
            chosen.append((lat, lon))
    return [(_at_precision(lat), _at_precision(lon)) for lat, lon in chosen]


def _anchor(geom: BaseGeometry, frame: BaseGeometry | None = None,
            most: int = LABEL_POINTS) -> Anchor | None:
    points = label_points(geom, frame, most)
    if not points:
        return None
    west, south, east, north = geom.bounds
    r = _at_precision
    return Anchor(points[0][0], points[0][1], round(to_metres(geom).area / 1e6, 1),
                  (r(south), r(west), r(north), r(east)), tuple(points[1:]))


def first_view_bounds(layers: Mapping[str, FeatureCollection], period: str = PERIOD_TEXT
                      ) -> Bounds | None:
    """The box every first view of the map shows whole (its default view frames it): the
    border region, the bounds of the layers of its subject (`catalog.UNFRAMED_LAYERS` left
    out), else the base map's."""
    groups = _groups(layers, period)
    return union_bounds(_bounds(groups[n]) for n in MAP_LAYERS if n not in UNFRAMED_LAYERS) \
        or _bounds(groups["countries"])


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
    first = first_view_bounds(layers)
    frame = box(first[0][1], first[0][0], first[1][1], first[1][0]) if first else None
    for layer in (*PROVINCE_LAYERS.values(), PERIOD_SOURCES[PERIOD_2025]["provinces_vn"]):
        out[layer] = {str(f["properties"].get("id")): anchor for f in _features(layers, layer)
                      if (anchor := _anchor(shape(f["geometry"]), frame))}
    return out


def _label(text: str, at: Sequence[float], kind: str, tier: str, area: float = 0.0,
           fit: Sequence[float] | None = None,
           others: Sequence[Sequence[float]] = ()) -> dict[str, Any]:
    label: dict[str, Any] = {"text": esc(text), "at": [float(at[0]), float(at[1])],
                             "cls": LABEL_CLASS[kind],
                             "rank": [LABEL_TIERS.index(tier), -round(area)]}
    if fit is not None:
        label["fit"] = list(fit)
    if others:
        label["alt"] = [[float(lat), float(lon)] for lat, lon in others]
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
                anchor.area_km2, others=anchor.others))
    for layer in PROVINCE_LAYERS.values():
        for f in groups.get(layer, ()):
            props = f.get("properties") or {}
            anchor = anchors.get(layer, {}).get(str(props.get("id")))
            if anchor:
                out.setdefault(layer, []).append(_label(
                    province_name(props, lang), (anchor.lat, anchor.lon), layer, "province",
                    anchor.area_km2, anchor.box, anchor.others))
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
    """One overlay ready for the browser, in no language: its `laovnDraw` data as script-safe
    JSON, and its bounds ([[south, west], [north, east]] or None). Immutable, so an app can
    share it across sessions and reruns (see `prepare_layers`)."""

    name: str
    data_json: str
    bounds: Bounds | None
    #: The base map's (`countries`) only: the map's panning limit (`max_bounds`).
    max_bounds: Bounds | None = None
    #: The division of Vietnam the layer shows (`catalog.PERIODS`).
    period: str = PERIOD_TEXT
    #: Its features' kind of geometry (`encode_geometry`): "point", "line" or "polygon".
    kind: str = "point"


def _period_anchors(anchors: Mapping[str, Mapping[str, Anchor]], period: str
                    ) -> dict[str, Mapping[str, Anchor]]:
    # the anchors of the map layers: in 2025, those of the units for the Vietnamese provinces
    return {**anchors, **{name: anchors.get(file, {})
                          for name, file in PERIOD_SOURCES[period].items()}}


def prepare_layers(layers: Mapping[str, FeatureCollection],
                   anchors: Mapping[str, Mapping[str, Anchor]] | None = None,
                   period: str = PERIOD_TEXT) -> dict[str, PreparedLayer]:
    """Every map layer of `layers` (keys as in `catalog.LAYER_FILES`; missing ones are empty)
    encoded for the browser: what `mapview.build_map` draws.

    This is the costly part of a map (encoding ~60,000 positions); it depends on the layers
    only, not on the language, so an app computes it once per period and the map script is
    the same for every reader (streamlit-folium then never redraws it). `anchors`
    (`label_anchors` of the full layers) says where a province's popup opens from the
    keyboard; `period` (`catalog.PERIODS`) chooses which provinces of Vietnam, and which
    segments, are drawn.
    """
    groups = _groups(layers, period)
    anchors = _period_anchors(label_anchors(layers) if anchors is None else anchors, period)
    data = {name: layer_data(name, feats, anchors.get(name)) for name, feats in groups.items()}
    return {name: PreparedLayer(name, script_json(data[name]), _bounds(feats),
                                max_bounds(feats) if name == "countries" else None, period,
                                data[name]["kind"])
            for name, feats in groups.items()}


#: The map layers whose features change with the period (`catalog.PERIOD_SOURCES`).
PERIOD_LAYERS: tuple[str, ...] = tuple(PERIOD_SOURCES[PERIOD_2025])


def prepare_texts(layers: Mapping[str, FeatureCollection], lang: str,
                  anchors: Mapping[str, Mapping[str, Anchor]] | None = None,
                  period: str = PERIOD_TEXT,
                  events: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """Everything of the map that is in a language, for `laovn.apply` (js/main.js): per
    map layer its name, its features' tooltip, popup and accessible name, and its labels;
    the legend; the search index; the texts' statements for the story (`story_statements`
    of the manifest's `events`). Escaped where it is HTML; computed once per language and
    period by an app."""
    groups = _groups(layers, period)
    labels = map_labels(groups, _period_anchors(
        label_anchors(layers) if anchors is None else anchors, period), lang)
    out = {name: layer_texts(name, feats, lang, period) for name, feats in groups.items()}
    for name, layer in out.items():
        layer["labels"] = labels.get(name, [])
    legend = legend_html(MAP_LAYERS, lang, period, shared_spots(groups))
    return {"lang": lang, "layers": out, "legend": legend,
            "search": search_index(groups, lang, period),
            "credit": esc(credit_line(lang, osm_role=osm_role(layers, lang, period))),
            "ui": {key: t(key, lang) for key in UI_KEYS},
            "scale": scale_units(lang),
            "statements": story_statements(events, lang, event_points(layers.get("events")))}


def event_points(events: FeatureCollection | None) -> dict[str, list[str]]:
    """The points of each statement in the events layer (their feature ids, by `event_id`)."""
    out: dict[str, list[str]] = {}
    for feat in (events or {}).get("features") or []:
        props = feat.get("properties") or {}
        out.setdefault(str(props.get("event_id")), []).append(str(props.get("id")))
    return out


def _cited(record: Mapping[str, Any]) -> str:
    file, line = record.get("source_file"), record.get("source_line")
    return f"{str(file).rsplit('/', 1)[-1]}:{line}" if file and line is not None else ""


def story_statements(events: Sequence[Mapping[str, Any]], lang: str,
                     points: Mapping[str, Sequence[str]] | None = None) -> list[dict[str, Any]]:
    """The dated statements of the texts (the manifest's `events`), earliest first, as the
    story and `?event=` show them (js/story.js), plain text set as text: the date as written
    and in the page's language, the text's language, the sentence and where it is; the map
    features it selects (its points in the events layer, else those the statement features
    table gives it, with the table's row); the other text's statement of the same event.
    `points`: each statement's points in the events layer (`event_points`)."""
    dated = sorted((e for e in events if isinstance(e.get("start"), str)
                    and isinstance(e.get("end"), str)),
                   key=lambda e: (str(e["start"]), str(e["end"]), str(e.get("id"))))
    by_id = {str(e.get("id")): e for e in events}

    def said(event: Mapping[str, Any]) -> dict[str, Any]:
        return {"written": str(event.get("date_text") or ""),
                "date": period_label(event.get("start"), event.get("end"),
                                     event.get("precision"), lang),
                "code": str(event.get("language") or ""),
                "language": text_language_name(event.get("language"), lang),
                "quote": str(event.get("source_quote") or ""), "cite": _cited(event)}

    out = []
    for event in dated:
        linked = [by_id[other] for other in str(event.get("link_id") or "").split("+")
                  if other in by_id and by_id[other].get("language") != event.get("language")]
        features = [str(f) for f in event.get("features") or []]
        out.append({"id": str(event.get("id")), "start": event["start"], "end": event["end"],
                    **said(event), "places": list((points or {}).get(str(event.get("id")), ())),
                    "features": features,
                    "rule": str(event.get("feature_rule") or "") if features else "",
                    "link": said(linked[0]) if linked else None})
    return out


#: The layers whose points an event may share: the missions.
_MISSION_LAYERS = ("embassies", "consulates")


def shared_spots(groups: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[tuple[str, str]]:
    """(mission layer, sending country) of every kind of mission that has an event point at
    its very spot (the same position as the browser gets it): the map draws the event's dot
    in the mission's symbol there, a symbol the legend then shows. In the legend's order,
    without repeats."""
    def spot(feat: Mapping[str, Any]) -> tuple[int, int] | None:
        geometry = feat.get("geometry") or {}
        if geometry.get("type") != "Point":
            return None
        lon, lat = geometry["coordinates"][:2]
        return round(lon * POSITION_SCALE), round(lat * POSITION_SCALE)
    events = {spot(f) for f in groups.get("events", ())} - {None}
    out: list[tuple[str, str]] = []
    for layer in _MISSION_LAYERS:
        codes = {str((f.get("properties") or {}).get("sending_country"))
                 for f in groups.get(layer, ()) if spot(f) in events}
        out += [(layer, code) for code in PARTIES if code in codes]
    return out


#: The labels of the map's own controls (`i18n` keys), plain text: set as text by the script.
UI_KEYS = (msgid("map.title"), msgid("map.label"), msgid("map.role"), msgid("zoom.in"),
           msgid("zoom.out"), msgid("search"), msgid("search.placeholder"), msgid("search.count"),
           msgid("search.none"), msgid("search.chosen"), msgid("view.reset"), msgid("link"),
           msgid("link.copy"), msgid("link.copied"), msgid("link.manual"), msgid("layers"),
           msgid("selected"), msgid("selection.clear"), msgid("touch.hint"),
           msgid("leaflet.title"), msgid("credits"), msgid("chooser.title"),
           msgid("story"), msgid("story.open"), msgid("story.prev"),
           msgid("story.next"), msgid("story.play"), msgid("story.pause"), msgid("story.count"),
           msgid("story.other"), msgid("story.noplace"), msgid("story.rule"),
           msgid("story.places"))
