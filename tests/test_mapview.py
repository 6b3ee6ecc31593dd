"""laovn_map.mapview: the assembled map, as its HTML page and component script (no browser,
no Streamlit). The helpers here render maps for the tests of the modules it assembles."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

import folium
import pytest

from laovn_map import browserdata, catalog, mapview
from laovn_map.labels import esc, layer_label
from laovn_map.layers_io import Layers, load_layers

from .layersets import LAYER_SETS, layer_set

HOSTILE_RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "${alert(1)}")
ALLOWED_TAGS = {"div", "table", "tr", "th", "td", "blockquote", "span", "br"}
ALLOWED_ATTRS = {"id", "class", "style", "data-id", "tabindex"}


@pytest.fixture(scope="module", params=LAYER_SETS)
def layers(request: pytest.FixtureRequest) -> Layers:
    return load_layers(layer_set(request.param))


def make_map(collections: Mapping[str, Any], lang: str = "en", **kwargs: Any) -> folium.Map:
    """The map of raw collections (keys as in `catalog.LAYER_FILES`), prepared in `lang`."""
    return mapview.build_map(browserdata.prepare_layers(collections, lang), **kwargs)


def render_collections(collections: Mapping[str, Any], **kwargs: Any) -> str:
    return make_map(collections, **kwargs).get_root().render()


def render(layers: Layers, **kwargs: Any) -> str:
    return render_collections(layers.collections, **kwargs)


def drawn_layers(page: str) -> list[dict[str, Any]]:
    layers = browserdata.drawn_layers(page)
    assert len(layers) == page.count("laovnDraw({")
    # the data is inert inside <script>: nothing in it can close the element
    decoder = json.JSONDecoder()
    for match in re.finditer(r"laovnDraw\(\{", page):
        _data, end = decoder.raw_decode(page, match.end() - 1)
        assert "<" not in page[match.start():end]
    return layers


def drawn_features(page: str) -> list[dict[str, Any]]:
    return [f for layer in drawn_layers(page) for f in layer["features"]]


def class_count(page: str, cls: str) -> int:
    return sum(cls in f["cls"].split() for f in drawn_features(page))


def expected_counts(layers: Layers) -> dict[str, int]:
    border = layers.features("border")
    missions = layers.features("missions")
    return {
        "countries": len(layers.features("countries")),
        "water": len(layers.features("water")),
        "provinces_vn": len(layers.features("provinces_vn")),
        "provinces_la": len(layers.features("provinces_la")),
        "segments": sum(f["properties"]["kind"] == "segment" for f in border),
        "border": sum(f["properties"]["kind"] == "border_line" for f in border),
        "embassies": sum(f["properties"]["kind"] == "embassy" for f in missions),
        "consulates": sum(f["properties"]["kind"] == "consulate" for f in missions),
    }


def popups_and_tooltips(page: str) -> list[str]:
    features = drawn_features(page)
    popups = [f["popup"] for f in features if f["popup"]]
    tooltips = [f["tooltip"] for f in features if f["tooltip"]]
    assert popups and tooltips
    return popups + tooltips


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        self.problems += [f"attribute {k}" for k, _ in attrs if k not in ALLOWED_ATTRS]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_every_layer_is_drawn_with_every_feature(layers: Layers) -> None:
    page = render(layers)
    counts = expected_counts(layers)
    assert (counts["embassies"], counts["consulates"]) == (2, 5)
    assert counts["border"] == 1
    for layer, n in counts.items():
        assert n > 0, layer
        assert class_count(page, f"laovn-{layer}") == n, layer
    assert class_count(page, "laovn-missions") == 7
    # the layer control lists every toggleable layer by its label
    for name in catalog.MAP_LAYERS[1:]:
        assert json.dumps(layer_label(name, "en")) in page
    assert "L.control.layers" in page


def test_hidden_layers_are_left_out(layers: Layers) -> None:
    page = render(layers, visible=["border", "consulates"])
    assert class_count(page, "laovn-missions") == 5
    assert class_count(page, "laovn-border") == 1
    for gone in ("countries", "water", "provinces_vn", "provinces_la", "segments", "embassies"):
        assert class_count(page, f"laovn-{gone}") == 0, gone


def test_no_network_assets(layers: Layers) -> None:
    m = make_map(layers.collections)
    page = m.get_root().render()
    srcs = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", page)
    hrefs = re.findall(r"<link[^>]*\bhref=\"([^\"]*)\"", page)
    assert srcs and hrefs
    assert all(u.startswith("data:") for u in srcs + hrefs), [u[:60] for u in srcs + hrefs]
    assert not re.search(r"https?://|//cdn|awesome|bootstrap|font-?awesome", page, re.I)
    # what streamlit-folium hands its frontend: default_js/default_css of every element
    links: list[str] = []

    def walk(el: Any) -> None:
        links.extend(u for _, u in getattr(el, "default_js", []))
        links.extend(u for _, u in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    assert links and all(u.startswith("data:") for u in links)
    # the class-level defaults of folium are untouched (other maps keep working)
    assert folium.Map.default_js[0][1].startswith("https://")


def test_optional_tiles_are_off_by_default(layers: Layers) -> None:
    assert "tile.openstreetmap.org" not in render(layers)
    assert "tile.openstreetmap.org" in render(layers, tiles=True)


def test_vietnamese_labels(layers: Layers) -> None:
    page = render(layers, lang="vi")
    assert json.dumps("Lãnh sự quán") in page  # layer control label
    assert "Chú giải" in page  # the legend, in the map script's config
    vn = layers.features("provinces_vn")[0]["properties"]
    assert esc(vn["name_vi"]) in page
    assert "Lãnh sự quán Việt Nam tại Pakse" in page


def test_multipolygons_with_holes_are_one_shape_each_and_framed() -> None:
    square = [[100, 10], [101, 10], [101, 11], [100, 11], [100, 10]]
    hole = [[100.2, 10.2], [100.2, 10.4], [100.4, 10.4], [100.2, 10.2]]
    far = [[102, 12], [103, 12], [103, 13], [102, 12]]
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "VN-99",
        "geometry": {"type": "MultiPolygon", "coordinates": [[square, hole], [far]]},
        "properties": {"id": "VN-99", "name_en": "Test"},
    }]}
    m = make_map({"provinces_vn": fc}, visible=["provinces_vn"])
    page = m.get_root().render()
    assert class_count(page, "laovn-provinces_vn") == 1
    (layer,) = drawn_layers(page)
    (feature,) = layer["features"]
    # positions go as integer steps of 1e-4 degree, latitude first, each from the last
    assert layer["kind"] == "polygon" and layer["scale"] == 10_000
    assert feature["geom"][0][0][:6] == [100_000, 1_000_000, 0, 10_000, 10_000, 0]
    assert browserdata.decode_geometry(layer["kind"], feature["geom"]) == \
        fc["features"][0]["geometry"]
    assert m.get_bounds() == [[10.0, 100.0], [13.0, 103.0]]


def test_build_map_needs_every_layer_in_one_language(layers: Layers) -> None:
    prepared = {**browserdata.prepare_layers(layers.collections, "vi"),
                "border": browserdata.prepare_layers(layers.collections, "en")["border"]}
    with pytest.raises(ValueError, match="in one language"):
        mapview.build_map(prepared)
    page = mapview.build_map(browserdata.prepare_layers(layers.collections, "vi")) \
        .get_root().render()
    assert "Lãnh sự quán Việt Nam tại Pakse" in page


def map_config(page: str) -> dict[str, Any]:
    """The config the page hands `laovnMap`."""
    start = page.index("laovnMap(")
    config: dict[str, Any] = json.JSONDecoder().raw_decode(page, page.index("{", start))[0]
    return config


def test_zoom_and_panning_limits(layers: Layers) -> None:
    prepared = browserdata.prepare_layers(layers.collections)
    m = mapview.build_map(prepared)
    assert m.options["min_zoom"] == mapview.MIN_ZOOM == 6
    assert m.options["max_zoom"] == mapview.MAX_ZOOM == 13
    assert m.options["max_bounds"] == prepared["countries"].max_bounds
    assert m.options["max_bounds_viscosity"] == 1.0
    page = m.get_root().render()
    for option in ('"minZoom": 6', '"maxZoom": 13', '"maxBoundsViscosity": 1.0', '"maxBounds"'):
        assert option in page, option
    config = map_config(page)
    assert config["minZoom"] == 6 and config["extent"] == prepared["countries"].bounds


@pytest.mark.parametrize("tiles", [False, True])
def test_openstreetmap_is_credited_once(layers: Layers, tiles: bool) -> None:
    page = render(layers, tiles=tiles)
    assert page.count("OpenStreetMap contributors") == 1
    assert "openstreetmap.org/copyright" not in page  # the tile provider's own credit
    config = map_config(page)
    assert bool(config["attribution"]) is not tiles
    assert (config["tilesOffline"] != "") is tiles
    if tiles:
        assert "Border, map tiles" in page  # the tile layer carries the one credit line


def test_legend_follows_the_layer_control_order(layers: Layers) -> None:
    config = map_config(render(layers))
    order = re.findall(r'data-layer="([a-z_]+)"', config["legend"])
    assert order == [n for n in catalog.MAP_LAYERS if n != "countries"]
    assert 'aria-expanded="true"' in config["legend"]
    assert map_config(render(layers, visible=["countries"]))["legend"] == ""
