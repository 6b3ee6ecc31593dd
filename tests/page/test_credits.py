"""The OpenStreetMap credit names every layer the build made from OpenStreetMap: the layers are
found from the features' own provenance (their ``dataset``), not from a list kept by hand."""

from __future__ import annotations

import pytest

from laovn_map import catalog
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.page import browserdata
from laovn_map.page.labels import esc, layer_label, osm_role

from ..conftest import REAL


@pytest.fixture(scope="module")
def real() -> Layers:
    return load_layers(REAL)


def _from_osm(layers: Layers) -> list[str]:
    """The layer files any feature of which says it is made from OpenStreetMap."""
    return [key for key in catalog.LAYER_FILES
            if any("OpenStreetMap" in str(f["properties"].get("dataset") or "")
                   for f in layers.features(key))]


def test_the_build_made_water_and_the_2025_units_from_openstreetmap_too(real: Layers) -> None:
    assert {"border", "provinces_vn", "provinces_la", "water", "provinces_vn_2025",
            "segments_2025"} <= set(_from_osm(real))


def test_attribution_md_names_every_layer_file_made_from_openstreetmap(real: Layers) -> None:
    text = real.attribution_bytes.decode("utf-8")
    (sentence,) = [line for line in text.splitlines() if "ODbL 1.0;" in line or
                   "offered under the ODbL" in line]
    for key in _from_osm(real):
        assert f"`{catalog.LAYER_FILES[key]}`" in sentence, key
    for key in set(catalog.LAYER_FILES) - set(_from_osm(real)):
        assert f"`{catalog.LAYER_FILES[key]}`" not in sentence, key


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("period", catalog.PERIODS)
def test_the_credit_line_names_every_layer_made_from_openstreetmap(real: Layers, lang: str,
                                                                  period: str) -> None:
    """Every map layer drawn, in the period, from a file made from OpenStreetMap is named as the
    map names it then: the 2025 units when the map shows them."""
    role = osm_role(real.collections, lang, period)
    line = catalog.credit_line(lang, osm_role=role)
    osm = line.split(" · ")[1]
    assert osm.endswith(f"{catalog.OSM_LAND.credit(lang)} (ODbL 1.0)")
    from_osm = set(_from_osm(real))
    drawn = [m.key for m in catalog.MAP_LAYER_REGISTRY
             if catalog.PERIOD_SOURCES[period].get(m.key, m.source) in from_osm]
    assert {"water", "provinces_vn", "provinces_la", "border", "segments"} <= set(drawn)
    for key in drawn:
        assert layer_label(key, lang, period) in osm, key
    if period == catalog.PERIOD_2025:
        assert layer_label("provinces_vn_2025", lang) in osm
    # the map's own credit (and the tiles' when shown) say the same
    texts = browserdata.prepare_texts(real.collections, lang, period=period)
    assert texts["credit"] == esc(line)
    tiles = catalog.credit_line(lang, tiles=True, osm_role=role)
    assert all(layer_label(key, lang, period) in tiles for key in drawn)
