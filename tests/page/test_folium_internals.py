"""laovn_map.page.folium_internals: what the map needs from folium's and branca's private parts.
A failure here after a folium/branca/streamlit-folium upgrade points at that module."""

from __future__ import annotations

import re

from streamlit_folium import generate_leaflet_string

from laovn_map.geo.reader import Layers

from .test_mapview import drawn_features, layers, make_map

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_same_layers_give_the_same_component_script(layers: Layers) -> None:
    """A rerun must not redraw the map (and close its popup): the script st_folium sends is
    byte-identical for the same inputs, with no random element ids left in it."""
    first = generate_leaflet_string(make_map(layers.collections))
    assert first == generate_leaflet_string(make_map(layers.collections))
    assert not re.search(r"_[0-9a-f]{32}\b", first)


def test_data_is_not_read_as_a_template() -> None:
    """Feature data reaches the page verbatim: folium renders pages with Jinja, and text such
    as `{{ 7*7 }}` or `{#` in an id must not be evaluated or swallowed."""
    odd = "x{{ 7*7 }}{% if 1 %}{#"
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": odd, "geometry": {"type": "Point", "coordinates": [105, 15]},
        "properties": {"id": odd, "name": odd, "kind": "consulate", "sending_country": "VN"},
    }]}
    page = make_map({"missions": fc}).get_root().render()
    script = generate_leaflet_string(make_map({"missions": fc}))
    for text in (page, script):
        (feature,) = [f for f in drawn_features(text) if "laovn-consulates" in f["cls"]]
        assert feature["id"] == odd


def test_map_bounds_come_from_the_layer_elements(layers: Layers) -> None:
    (south, west), (north, east) = make_map(layers.collections).get_bounds()
    assert all(isinstance(x, float | int) for x in (south, west, north, east))
    # the base map reaches 20° of longitude and 6° of latitude beyond the two countries
    assert 0 < float(south) < float(north) < 32 and 78 < float(west) < float(east) < 132
