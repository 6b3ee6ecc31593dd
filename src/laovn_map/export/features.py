"""What an export shows: the features of each visible map layer (the map's own grouping, at full
resolution), each one's name and Leaflet style as the map gives them, and what every export of
one build derives the same way (geometries, label anchors), kept while that build is loaded.
"""

from __future__ import annotations

import html
import json
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from laovn_map.errors import ExportError, shown
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.i18n import t
from laovn_map.page import browserdata
from laovn_map.page.labels import any_country_name
from laovn_map.page.mapstyle import LAYER_STYLE, feature_style
from laovn_map.page.pagetext import in_timeline
from laovn_map.page.popups import feature_texts

Feature = Mapping[str, Any]


def shown_layers(layers: Layers, state: ExportState) -> dict[str, list[Feature]]:
    """The features of each visible map layer that has any, in drawing order, at full
    resolution: what the map draws (`browserdata`'s grouping, the one definition of it).

    Raises `ExportError` when no layer is visible, or the visible ones hold nothing."""
    if not state.layers:
        raise ExportError("no layer is visible: turn on at least one layer to export the map")
    groups = browserdata._groups(layers.collections, state.period)
    def meets(feature: Feature) -> bool:
        props = feature.get("properties") or {}
        return in_timeline(props.get("start"), props.get("end"), state.timeline)

    shown = {name: kept for name in state.layers
             if (kept := [f for f in groups.get(name) or () if meets(f)])}
    if not shown:
        raise ExportError(f"the visible layers ({', '.join(state.layers)}) hold no feature: "
                          "there is nothing to export")
    return shown


Statement = Mapping[str, Any]


def statements(layers: Layers, lang: str) -> list[Statement]:
    """The texts' dated statements as the story shows them in *lang*
    (`browserdata.story_statements`: date as written, language, quote, file:line, the map
    features it selects, the other text's statement)."""
    found: list[Statement] = per_build(layers, ("statements", lang), lambda: (
        browserdata.story_statements(_manifest_events(layers), lang,
                                     browserdata.event_points(layers.collections.get("events")))))
    return found


def _manifest_events(layers: Layers) -> list[Mapping[str, Any]]:
    events = layers.figures.get("events")
    return [e for e in events if isinstance(e, Mapping)] if isinstance(events, list) else []


def selected_statement(layers: Layers, state: ExportState) -> Statement | None:
    """The statement *state* shows (`ExportState.event`), None when none; an `ExportError`
    naming the id when the build has no such statement (the page ignores such an address:
    `pressed.event_param`; a command is told)."""
    if state.event is None:
        return None
    known = statements(layers, state.lang)
    found = next((s for s in known if s["id"] == state.event), None)
    if found is None:
        example = f" (e.g. {known[0]['id']})" if known else ""
        raise ExportError(f"unknown statement {shown(state.event)}: give the id of one of the "
                          f"texts' {len(known)} dated statements{example}")
    return found


def marked_ids(statement: Statement | None) -> frozenset[str]:
    """The ids of the map features a statement selects (js/story.js shapesOf): its points and
    the features its rule names."""
    if statement is None:
        return frozenset()
    return frozenset(str(i) for i in (*statement["places"], *statement["features"]))


@dataclass(frozen=True)
class StatementText:
    """A statement as an export says it, in the state's language, plain text: the story's
    panel (js/story.js render) in lines. `other` is '' when the other text states no such
    event."""

    id: str
    heading: str  # its date as written, the text's language, file:line
    written: str
    quote: str
    quote_lang: str
    cite: str
    other: str
    where: str

    def lines(self) -> list[str]:
        return [line for line in (self.heading, self.quote, self.other, self.where) if line]


def statement_text(layers: Layers, statement: Statement, state: ExportState) -> StatementText:
    """What the story's panel says of *statement*: the date as written and the text's
    language, the quote in its language, the other text's statement, and the map features it
    selects (named as the map names them) or that it has none (the story's words)."""
    lang = state.lang
    names: dict[str, str] = {}
    for layer, features in browserdata._groups(layers.collections, state.period).items():
        for feat in features:
            props = feat.get("properties") or {}
            names.setdefault(str(props.get("id")), feature_name(layer, props, lang))
    selected = [names.get(i, i) for i in dict.fromkeys((*statement["places"],
                                                       *statement["features"]))]
    if not selected:
        where = t("story.noplace", lang)
    elif statement["rule"]:
        where = t("story.rule", lang).format(places="; ".join(selected), rule=statement["rule"])
    else:
        where = t("story.places", lang).format(places="; ".join(selected))
    link = statement.get("link")
    other = (t("story.other", lang).format(language=link["language"], date=link["written"])
             + " " + link["quote"]) if link else ""
    heading = t("export.statement", lang).format(
        date=statement["written"], language=statement["language"], cite=statement["cite"])
    return StatementText(str(statement["id"]), heading, str(statement["written"]),
                         str(statement["quote"]), str(statement["code"]),
                         str(statement["cite"]), other, where)


def feature_name(layer: str, props: Mapping[str, Any], lang: str) -> str:
    """A feature's name as the map's tooltip gives it (plain text), in *lang*."""
    tooltip, _popup = feature_texts(layer, props, lang)
    if tooltip:
        return html.unescape(tooltip)
    if layer == "countries":
        return any_country_name(props.get("iso_a2"), lang)
    return str(props.get("id", ""))


GeometryIndex = dict[int, Any]

# What every export of one build derives from it the same way (geometries, label anchors, the
# display layers), kept while that `Layers` object lives: a build is immutable, so this changes
# no result, and a second export of the same build (another state) does not pay again.
_BUILD_CACHE: dict[int, tuple[weakref.ref[Layers], dict[Any, Any]]] = {}
_BUILD_CACHE_LOCK = threading.Lock()


def per_build(layers: Layers, key: Any, make: Callable[[], Any]) -> Any:
    """The value *key* of the build *layers*: `make()` once while that object lives."""
    with _BUILD_CACHE_LOCK:
        entry = _BUILD_CACHE.get(id(layers))
        if entry is not None and entry[0]() is layers and key in entry[1]:
            return entry[1][key]
    value = make()
    with _BUILD_CACHE_LOCK:
        for dead in [k for k, (ref, _) in _BUILD_CACHE.items() if ref() is None]:
            del _BUILD_CACHE[dead]
        entry = _BUILD_CACHE.get(id(layers))
        if entry is None or entry[0]() is not layers:
            entry = _BUILD_CACHE[id(layers)] = (weakref.ref(layers), {})
        return entry[1].setdefault(key, value)


def geometry_index(layers: Layers) -> GeometryIndex:
    """Every feature's shapely geometry, by the `id()` of its feature object in
    `layers.collections`: GEOS reads each layer's bytes in one go, several times faster than
    building the geometries from the parsed JSON."""
    index: GeometryIndex = per_build(layers, "geometries", lambda: _read_geometries(layers))
    return index


def _read_geometries(layers: Layers) -> GeometryIndex:
    index: GeometryIndex = {}
    for key, raw in layers.raw.items():
        features = layers.collections[key]["features"]
        parts = shapely.get_parts(shapely.from_geojson(raw))
        if len(parts) == len(features):
            index.update(zip(map(id, features), parts, strict=True))
    return index


def geometries(index: GeometryIndex, features: Sequence[Feature]) -> Any:
    """The features' geometries as a shapely array (from *index*, else read one by one)."""
    found = [index.get(id(f)) for f in features]
    return np.asarray([g if g is not None else shapely.from_geojson(json.dumps(f["geometry"]))
                       for g, f in zip(found, features, strict=True)], dtype=object)


def label_anchors(layers: Layers) -> dict[str, dict[str, browserdata.Anchor]]:
    """Where the map puts each name (`browserdata.label_anchors`, from the full layers)."""
    anchors: dict[str, dict[str, browserdata.Anchor]] = per_build(
        layers, "anchors", lambda: browserdata.label_anchors(layers.collections))
    return anchors


#: Leaflet's path defaults, for the options a layer's style leaves out.
LEAFLET_DEFAULTS: dict[str, Any] = {"color": "#3388ff", "weight": 3, "opacity": 1.0,
                                    "fillOpacity": 0.2}


def leaflet_options(layer: str, index: int, props: Mapping[str, Any]) -> dict[str, Any]:
    """The Leaflet path options the map gives a feature: Leaflet's defaults, its layer's
    `LAYER_STYLE`, then `feature_style`."""
    options = {**LEAFLET_DEFAULTS, **LAYER_STYLE.get(layer, {}),
               **feature_style(layer, index, props)}
    options.setdefault("fillColor", options["color"])
    return options
