"""Assemble the interactive map (a `folium.Map`) from prepared layers: no Streamlit here.

The layers come encoded for the browser (`browserdata.prepare_layers`, computed once per
language by the app); this module puts them into feature groups in drawing order, adds the
layer control, the legend and credits (`labels`), the CSS (`mapstyle`) and the drawing script,
and frames the border region. The elements that touch folium's private internals live in
`folium_internals`. Markers are SVG circles (no icon fonts) and the scripts come from
`webassets` as data: URLs, so the page needs no network.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping

import folium

from laovn_map.browserdata import RUNTIME_JS, PreparedLayer, union_bounds
from laovn_map.catalog import MAP_LAYERS, credit_line
from laovn_map.folium_internals import Overlay, Runtime, VectorLayer, stable_ids
from laovn_map.labels import esc, layer_label, legend_html
from laovn_map.mapstyle import CSS
from laovn_map.webassets import make_offline


def build_map(prepared: Mapping[str, PreparedLayer], *,
              visible: Collection[str] = MAP_LAYERS, tiles: bool = False) -> folium.Map:
    """The map of `prepared` (`browserdata.prepare_layers`), showing the `visible` layers
    (names in `catalog.MAP_LAYERS`), labelled in the language the layers were prepared in.

    `tiles` adds OpenStreetMap tiles as the base (needs internet); by default the base map is
    the offline `countries` layer on a plain sea colour.
    """
    langs = {p.lang for p in prepared.values()}
    if len(langs) != 1 or set(prepared) != set(MAP_LAYERS):
        raise ValueError("build_map needs every map layer prepared in one language, "
                         f"got {sorted(prepared)} in {sorted(langs)}")
    (lang,) = langs
    m = folium.Map(location=[17.5, 105.0], zoom_start=6, tiles=None, control_scale=True,
                   zoom_snap=0.25, prefer_canvas=False)
    make_offline(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    Runtime(RUNTIME_JS).add_to(m)

    for name in MAP_LAYERS:
        if name not in visible:
            continue
        group = folium.FeatureGroup(name=esc(layer_label(name, lang)), show=True,
                                    control=name != "countries")
        group.add_child(VectorLayer(prepared[name].data_json, prepared[name].bounds))
        group.add_to(m)

    if visible:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    Overlay(legend_html(visible, lang), esc(credit_line(lang)), CSS).add_to(m)

    # frame the border region (all layers but the countries), whatever is shown
    box = union_bounds(prepared[n].bounds for n in MAP_LAYERS if n != "countries") \
        or prepared["countries"].bounds
    if box:
        m.fit_bounds(box, padding=(24, 24))
    stable_ids(m, itertools.count())
    return m
