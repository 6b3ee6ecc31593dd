"""Decomposition page for the benchmark: the app's own map (same layers, same code and the same
component call as `app.py`, `component.MapComponent`) with nothing else on the page.

ours − map alone is what the rest of the page (title, sidebar, figures, sections) costs the
time to map; map alone − floor is what the map's own data and drawing cost. The map gets the
size it has in the app at the harness's 1440×1000 viewport (1076×640: the app's iframe width
there, measured in the harness's Chromium), so the two draw the same number of pixels.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from laovn_map.geo import reader
from laovn_map.page import browserdata, component, mapview, simplify

ROOT = Path(__file__).resolve().parents[2]
APP_MAP_WIDTH_PX = 1076


@st.cache_resource(show_spinner=False)
def _shown(geo_dir: str) -> tuple[component.MapComponent, str]:
    shown = simplify.display_layers(reader.load_layers(Path(geo_dir)).collections)
    fmap = mapview.build_map(browserdata.prepare_layers(shown))
    return (component.MapComponent.of(fmap, "laovn_map", 640, width=APP_MAP_WIDTH_PX),
            browserdata.script_json(browserdata.prepare_texts(shown, "en")))


st.set_page_config(layout="wide")
made, texts = _shown(str(reader.default_geo_dir(ROOT)))
made.show(mapview.state_script(mapview.MapState(), texts))
