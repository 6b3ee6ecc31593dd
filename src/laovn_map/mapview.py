"""Assemble the interactive map (a `folium.Map`) from prepared layers: no Streamlit here.

The layers come encoded for the browser (`browserdata.prepare_layers`, computed once per
language by the app); this module puts them into feature groups in drawing order, adds the
layer control, sets the zoom limits and the panning limit, hands the legend, credits, CSS and
texts to the drawing script (`map_config`), and frames the border region. The elements that
touch folium's private internals live in `folium_internals`. Markers are SVG circles (no icon
fonts) and the scripts come from `webassets` as data: URLs, so the page needs no network.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from typing import Any

import folium

from laovn_map.browserdata import RUNTIME_JS, PreparedLayer, script_json, union_bounds
from laovn_map.catalog import MAP_LAYERS, credit_line
from laovn_map.folium_internals import Overlay, Runtime, VectorLayer, stable_ids
from laovn_map.i18n import t
from laovn_map.labels import esc, layer_label, legend_html
from laovn_map.mapstyle import CSS
from laovn_map.webassets import make_offline

#: Zoom limits. At 6 the border region fills a desktop map and a phone map shows most of it;
#: the map script raises the floor where a very wide map would otherwise see past the base
#: map's outlines. At 13 (~19 m a pixel) the displayed outlines (within ~90 m of the full
#: layers) are still within a few pixels; closer would show nothing more.
MIN_ZOOM = 6
MAX_ZOOM = 13
#: Below this map width (px) the legend starts folded (phones): the map keeps the screen.
LEGEND_OPEN_FROM_PX = 560
#: Space kept between two labels on screen (px).
LABEL_GAP_PX = 3
#: Layers that the map does not frame: the base map and its water reach beyond the subject.
_UNFRAMED = ("countries", "water")


def map_config(prepared: Mapping[str, PreparedLayer], visible: Collection[str], lang: str,
               tiles: bool) -> dict[str, Any]:
    """What `laovnMap` (browserdata.RUNTIME_JS) needs: CSS, legend HTML, the credit line
    (escaped; left to the tile layer when tiles are on), the notice shown when tiles cannot
    load (plain text, set as text), the zoom floor and the base map's extent."""
    return {
        "css": CSS,
        "legend": legend_html(visible, lang, prepared["provinces_vn"].period),
        "legendOpenFromPx": LEGEND_OPEN_FROM_PX,
        "attribution": "" if tiles else esc(credit_line(lang)),
        "tilesOffline": t("tiles.offline", lang) if tiles else "",
        "minZoom": MIN_ZOOM,
        "extent": prepared["countries"].bounds,
        "labelGapPx": LABEL_GAP_PX,
    }


def build_map(prepared: Mapping[str, PreparedLayer], *,
              visible: Collection[str] = MAP_LAYERS, tiles: bool = False) -> folium.Map:
    """The map of `prepared` (`browserdata.prepare_layers`), showing the `visible` layers
    (names in `catalog.MAP_LAYERS`), labelled in the language the layers were prepared in.

    `tiles` adds OpenStreetMap tiles as the base (needs internet): the base map's land then
    turns transparent once a tile has loaded, and a notice says so if tiles cannot load; by
    default the base map is the offline `countries` layer on a plain sea colour.
    """
    langs = {p.lang for p in prepared.values()}
    if len(langs) != 1 or set(prepared) != set(MAP_LAYERS):
        raise ValueError("build_map needs every map layer prepared in one language, "
                         f"got {sorted(prepared)} in {sorted(langs)}")
    (lang,) = langs
    limit = prepared["countries"].max_bounds
    panning: dict[str, Any] = {}
    if limit:
        (south, west), (north, east) = limit
        panning = {"max_bounds": True, "min_lat": south, "max_lat": north, "min_lon": west,
                   "max_lon": east, "max_bounds_viscosity": 1.0}
    m = folium.Map(location=[17.5, 105.0], zoom_start=MIN_ZOOM, tiles=None, control_scale=True,
                   zoom_snap=0.25, prefer_canvas=False, **panning)
    # folium gives min_zoom/max_zoom to a tile layer only; the map's own limits are options
    m.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)
    make_offline(m)
    if tiles:
        # the tile layer carries the map's one credit line (OpenStreetMap named once)
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False,
                         attr=esc(credit_line(lang, tiles=True)), max_zoom=MAX_ZOOM).add_to(m)
    Runtime(RUNTIME_JS).add_to(m)

    for name in MAP_LAYERS:
        if name not in visible:
            continue
        group = folium.FeatureGroup(name=esc(layer_label(name, lang, prepared[name].period)), show=True,
                                    control=name != "countries")
        group.add_child(VectorLayer(prepared[name].data_json, prepared[name].bounds))
        group.add_to(m)

    if visible:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    Overlay(script_json(map_config(prepared, visible, lang, tiles))).add_to(m)

    # frame the border region (the subject's layers), whatever is shown
    box = union_bounds(prepared[n].bounds for n in MAP_LAYERS if n not in _UNFRAMED) \
        or prepared["countries"].bounds
    if box:
        m.fit_bounds(box, padding=(24, 24))
    stable_ids(m, itertools.count())
    return m
