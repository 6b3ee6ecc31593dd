"""Floor page for the benchmark: the same Streamlit + streamlit-folium stack, an empty map with
one marker. Nothing else, so its time to map is the cost of the stack itself."""

from __future__ import annotations

import sys
from pathlib import Path

import folium
from streamlit_folium import st_folium

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _offline import make_offline

m = folium.Map(location=[17.5, 105.0], zoom_start=6, tiles=None)
make_offline(m)
folium.CircleMarker([17.97, 102.6], radius=8, class_name="bench-floor-marker").add_to(m)
st_folium(m)
