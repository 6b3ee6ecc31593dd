"""Decomposition page for the benchmark: the app's own map (same layers, same code and the same
`st_folium` call as `app.py`) with nothing else on the page.

ours − map alone is what the rest of the page (title, sidebar, figures, tabs) costs the time
to map; map alone − floor is what the map's own data and drawing cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from laovn_map import display, layers_io, mapview

ROOT = Path(__file__).resolve().parents[2]


@st.cache_resource(show_spinner=False)
def _shown(geo_dir: str) -> tuple[dict[str, Any], dict[str, mapview.PreparedLayer]]:
    shown = display.display_layers(layers_io.load_layers(Path(geo_dir)).collections)
    return shown, mapview.prepare_layers(shown, "en")


shown, prepared = _shown(str(layers_io.default_geo_dir(ROOT)))
st_folium(mapview.build_map(shown, prepared=prepared), key="laovn_map", height=640,
          use_container_width=True, returned_objects=["last_object_clicked_popup"])
