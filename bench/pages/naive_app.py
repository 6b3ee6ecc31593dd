"""Naive baseline page for the benchmark: the same layers from geo/ drawn the obvious way.

Full-resolution geometry, the layers read on every rerun (no caching), folium's default
GeoJson popups and markers, and a default `st_folium(m)` call. The only departures from the
most naive page: Leaflet comes from the local copies (the CDNs are unreachable offline), no
online tiles (they could not load), and a CSS class on provinces and a known layer name so
that the harness can count them.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from laovn_map.catalog import LAYER_FILES
from laovn_map.geo.reader import default_geo_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _offline import make_offline

GEO = default_geo_dir(Path(__file__).resolve().parents[2])


def read(layer: str) -> dict[str, Any]:
    collection: dict[str, Any] = json.loads((GEO / LAYER_FILES[layer]).read_text(encoding="utf-8"))
    return collection


st.title("Laos–Vietnam relations (naive baseline)")
m = folium.Map(location=[17.5, 105.0], zoom_start=6, tiles=None)
make_offline(m, jquery=True)

folium.GeoJson(read("countries"), name="Countries").add_to(m)
for layer, name, colour in (("provinces_vn", "Vietnamese border provinces", "red"),
                            ("provinces_la", "Lao border provinces", "blue")):
    fc = read(layer)
    fields = sorted(fc["features"][0]["properties"]) if fc["features"] else []
    folium.GeoJson(
        fc, name=name,
        style_function=lambda _f, c=colour: {"color": c, "className": "bench-province"},
        popup=folium.GeoJsonPopup(fields=fields),
    ).add_to(m)
for layer, name in (("segments", "Border segments"), ("border", "Laos–Vietnam border")):
    folium.GeoJson(read(layer), name=name,
                   popup=folium.GeoJsonPopup(fields=["id", "kind"])).add_to(m)
missions = folium.FeatureGroup(name="Embassies and consulates").add_to(m)
for feat in read("missions")["features"]:
    lon, lat = feat["geometry"]["coordinates"]
    p = feat["properties"]
    folium.Marker([lat, lon], tooltip=p.get("name"),
                  popup=html.escape(f"{p.get('name')}: {p.get('source_quote')}")).add_to(missions)
folium.LayerControl().add_to(m)

st_folium(m)
