"""laovn_map.browserdata: the layers as the browser gets them, and read back as it reads them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from laovn_map import browserdata
from laovn_map.display import display_layers
from laovn_map.layers_io import Layers

from .test_mapview import drawn_layers, layers, render_collections

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_encoding_round_trips_the_displayed_positions(layers: Layers) -> None:
    shown = display_layers(layers.collections)
    page = render_collections(shown)
    by_id = {str(f["properties"]["id"]): f["geometry"]
             for fc in shown.values() for f in fc["features"]}
    for layer in drawn_layers(page):
        for feature in layer["features"]:
            decoded = browserdata.decode_geometry(layer["kind"], feature["geom"])
            assert decoded == json.loads(json.dumps(by_id[feature["id"]])), feature["id"]


def test_script_json_cannot_end_its_script_element() -> None:
    text = browserdata.script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_prepared_layers_cover_every_map_layer_in_their_language(layers: Layers) -> None:
    prepared = browserdata.prepare_layers(layers.collections, "vi")
    assert {p.lang for p in prepared.values()} == {"vi"}
    counts = {name: len(json.loads(p.data_json)["features"]) for name, p in prepared.items()}
    assert counts["embassies"] + counts["consulates"] == len(layers.features("missions"))
    assert prepared["countries"].bounds is not None


def test_a_layer_may_not_mix_geometry_kinds() -> None:
    features: list[dict[str, Any]] = [
        {"geometry": {"type": "Point", "coordinates": [105, 15]}, "properties": {}},
        {"geometry": {"type": "LineString", "coordinates": [[105, 15], [106, 16]]},
         "properties": {}}]
    with pytest.raises(ValueError, match="mixes geometry kinds"):
        browserdata.layer_data("border", features, "en")
