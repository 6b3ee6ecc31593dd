"""laovn_map.page.mapview: the assembled map, as its HTML page and component script (no browser,
no Streamlit). The helpers here render maps for the tests of the modules it assembles."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any
from unittest import mock

import folium
import pytest
from streamlit_folium import generate_leaflet_string

from laovn_map import catalog
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.i18n import t
from laovn_map.page import browserdata, mapview, runtime
from laovn_map.page.labels import esc, layer_label
from laovn_map.page.lines import decode_geometry, decode_line

from ..layersets import LAYER_SETS, layer_set

HOSTILE_RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "${alert(1)}")
ALLOWED_TAGS = {"div", "table", "tr", "th", "td", "blockquote", "span", "br"}
ALLOWED_ATTRS = {"id", "class", "style", "data-id", "lang", "tabindex"}


@pytest.fixture(scope="module", params=LAYER_SETS)
def layers(request: pytest.FixtureRequest) -> Layers:
    return load_layers(layer_set(request.param))


#: What the app keeps once per build (`component.kept`), kept here once per collections object
#: (held beside its result, so its id is not reused while the entry lives).
_PREPARED: dict[tuple[int, str], tuple[Mapping[str, Any], Any]] = {}
_TEXTS: dict[tuple[int, str, str], tuple[Mapping[str, Any], dict[str, Any]]] = {}


def prepared_of(collections: Mapping[str, Any], period: str = catalog.PERIOD_TEXT) -> Any:
    key = (id(collections), period)
    if key not in _PREPARED:
        _PREPARED[key] = (collections, browserdata.prepare_layers(collections, period=period))
    return _PREPARED[key][1]


def make_map(collections: Mapping[str, Any]) -> folium.Map:
    """The map of raw collections (keys as in `catalog.LAYER_FILES`): the same for every state."""
    return mapview.build_map(prepared_of(collections))


def render_collections(collections: Mapping[str, Any]) -> str:
    return make_map(collections).get_root().render()


def render(layers: Layers) -> str:
    return render_collections(layers.collections)


def texts(collections: Mapping[str, Any], lang: str = "en",
          period: str = catalog.PERIOD_TEXT) -> dict[str, Any]:
    key = (id(collections), lang, period)
    if key not in _TEXTS:
        _TEXTS[key] = (collections, browserdata.prepare_texts(collections, lang, period=period))
    return _TEXTS[key][1]


def state_script(layers: Layers, state: mapview.MapState) -> str:
    period = (mapview.period_data_json(prepared_of(layers.collections, state.period))
              if state.period != catalog.PERIOD_TEXT else None)
    return mapview.state_script(state, browserdata.script_json(
        texts(layers.collections, state.lang, state.period)), period)


def applied_state(script: str) -> dict[str, Any]:
    """The state object of a `state_script`, read back as the browser evaluates it."""
    head, texts_and_data = script.split(", {texts: ", 1)
    rest = json.loads(head.removeprefix("laovn.apply(Object.assign("))
    texts_json, data = texts_and_data.removesuffix("}));").rsplit(", data: ", 1)
    return {**rest, "texts": json.loads(texts_json), "data": json.loads(data)}


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
    lines = [*layers.features("border"), *layers.features("segments")]
    missions = layers.features("missions")
    return {
        "countries": len(layers.features("countries")),
        "water": len(layers.features("water")),
        "provinces_vn": len(layers.features("provinces_vn")),
        "provinces_la": len(layers.features("provinces_la")),
        "segments": sum(f["properties"]["kind"] == "segment" for f in lines),
        "border": sum(f["properties"]["kind"] == "border_line" for f in lines),
        "embassies": sum(f["properties"]["kind"] == "embassy" for f in missions),
        "consulates": sum(f["properties"]["kind"] == "consulate" for f in missions),
    }


def popups_and_tooltips(collections: Mapping[str, Any], lang: str = "en") -> list[str]:
    layers = texts(collections, lang)["layers"]
    found = [text for layer in layers.values() for feature in layer["features"].values()
             for text in feature[:2] if text]
    assert any("laovn-popup" in text for text in found)
    return found


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
    # the layer control lists every layer by its label, given with the texts
    names = texts(layers.collections)["layers"]
    for name in catalog.MAP_LAYERS:
        assert names[name]["label"] == esc(layer_label(name, "en"))
    assert "L.control.layers" in runtime.RUNTIME_JS


def test_the_map_script_is_the_same_for_every_state(layers: Layers) -> None:
    """What keeps the map from being redrawn: streamlit-folium redraws it when its script
    changes, so language, period, tiles and selection may change only the state script."""
    page = generate_leaflet_string(make_map(layers.collections))
    assert generate_leaflet_string(make_map(layers.collections)) == page
    scripts = {state_script(layers, mapview.MapState(lang, period, tiles, select))
               for lang in ("en", "vi") for period in catalog.PERIODS for tiles in (False, True)
               for select in (None, ("vn-consulate-pakse", 1))}
    assert len(scripts) == 16
    for script in scripts:
        assert script not in page and "laovn.apply(Object" not in page
    # no text of a language is in the map script: the names come with the state
    assert "Lãnh sự quán" not in page and "Consulate of" not in page


def test_the_state_script_carries_language_period_tiles_and_selection(layers: Layers) -> None:
    plain = applied_state(state_script(layers, mapview.MapState()))
    assert plain["period"] == "text" and plain["tiles"] is None and plain["select"] is None
    assert plain["data"] is None and plain["texts"]["lang"] == "en"
    state = applied_state(state_script(layers, mapview.MapState(
        "vi", catalog.PERIOD_2025, tiles=True, select=("VN-33", 4))))
    assert state["texts"]["lang"] == "vi" and state["select"] == {"id": "VN-33", "nonce": 4}
    assert sorted(state["data"]) == sorted(browserdata.PERIOD_LAYERS)
    units = [f["id"] for f in state["data"]["provinces_vn"]["features"]]
    assert units == [str(f["properties"]["id"]) for f in layers.features("provinces_vn_2025")]
    assert state["tiles"]["url"].startswith("https://tile.openstreetmap.org/")
    assert state["tiles"]["offline"] == t("tiles.offline", "vi")


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
    assert "tile.openstreetmap.org" not in state_script(layers, mapview.MapState())
    assert "tile.openstreetmap.org" in state_script(layers, mapview.MapState(tiles=True))


def test_vietnamese_texts(layers: Layers) -> None:
    vi = texts(layers.collections, "vi")
    assert vi["layers"]["consulates"]["label"] == "Lãnh sự quán"  # layer control label
    assert "Chú giải" in vi["legend"]
    assert vi["ui"]["search"] == t("search", "vi")
    vn = layers.features("provinces_vn")[0]["properties"]
    assert esc(vn["name_vi"]) in vi["layers"]["provinces_vn"]["features"][vn["id"]][0]
    consulate = vi["layers"]["consulates"]["features"]["vn-consulate-pakse"]
    assert "Lãnh sự quán Việt Nam tại" in consulate[0]
    assert consulate[2].startswith("Lãnh sự quán Việt Nam tại")  # its accessible name


def test_multipolygons_with_holes_are_one_shape_each_and_framed() -> None:
    square = [[100, 10], [101, 10], [101, 11], [100, 11], [100, 10]]
    hole = [[100.2, 10.2], [100.2, 10.4], [100.4, 10.4], [100.2, 10.2]]
    far = [[102, 12], [103, 12], [103, 13], [102, 12]]
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "VN-99",
        "geometry": {"type": "MultiPolygon", "coordinates": [[square, hole], [far]]},
        "properties": {"id": "VN-99", "name_en": "Test"},
    }]}
    m = make_map({"provinces_vn": fc})
    page = m.get_root().render()
    assert class_count(page, "laovn-provinces_vn") == 1
    (layer,) = [d for d in drawn_layers(page) if d["layer"] == "provinces_vn"]
    (feature,) = layer["features"]
    # positions go as integer steps of 1e-4 degree, latitude first, each from the last, as
    # one string per ring (encode_line)
    assert layer["kind"] == "polygon" and layer["scale"] == 10_000
    assert [len(p) for p in feature["geom"]] == [2, 1]
    assert decode_line(feature["geom"][0][0]) == square
    assert decode_geometry(layer["kind"], feature["geom"]) == \
        fc["features"][0]["geometry"]
    assert m.get_bounds() == [[10.0, 100.0], [13.0, 103.0]]


def test_build_map_needs_every_layer_of_the_texts_period(layers: Layers) -> None:
    prepared = prepared_of(layers.collections)
    with pytest.raises(ValueError, match="text's period"):
        mapview.build_map({**prepared, "provinces_vn": browserdata.prepare_layers(
            layers.collections, period=catalog.PERIOD_2025)["provinces_vn"]})
    with pytest.raises(ValueError, match="text's period"):
        mapview.build_map({k: v for k, v in prepared.items() if k != "border"})


def map_config(page: str) -> dict[str, Any]:
    """The config the page hands `laovnInit`."""
    start = page.index("laovnInit(", page.index("laovnDraw = function") if
                       "laovnDraw = function" in page else 0)
    start = page.index("laovnInit(map_", start)
    config: dict[str, Any] = json.JSONDecoder().raw_decode(page, page.index("{", start))[0]
    return config


def test_zoom_and_panning_limits(layers: Layers) -> None:
    prepared = prepared_of(layers.collections)
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
    assert config["home"] == mapview.home_bounds(prepared)
    assert config["layers"] == list(catalog.MAP_LAYERS)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_openstreetmap_is_credited_in_one_line(layers: Layers, lang: str) -> None:
    state = applied_state(state_script(layers, mapview.MapState(lang, tiles=True)))
    # the script shows the tile layer's line when tiles are on, the plain one otherwise
    for line in (state["texts"]["credit"], state["tiles"]["attribution"]):
        assert line.count("OpenStreetMap") == 1
    assert "openstreetmap.org/copyright" not in json.dumps(state)  # the provider's own credit
    assert state["tiles"]["attribution"] == esc(catalog.credit_line(lang, tiles=True))
    assert "laovn.credit" in runtime.RUNTIME_JS


def test_legend_follows_the_layer_control_order(layers: Layers) -> None:
    legend = texts(layers.collections)["legend"]
    order = re.findall(r'data-layer="([a-z_]+)"', legend)
    assert order == [n for n in catalog.MAP_LAYERS if n != "countries"]
    assert 'aria-expanded="true"' in legend


def test_a_saved_map_carries_its_state(layers: Layers) -> None:
    prepared = prepared_of(layers.collections)
    script = state_script(layers, mapview.MapState("vi"))
    page = mapview.standalone_map(prepared, script).get_root().render()
    assert page.count("laovn.apply(Object") == 1
    assert page.index("laovnMap(map_") < page.index("laovn.apply(Object")


def test_st_folium_gives_the_app_the_same_map_without_its_extra_render(layers: Layers) -> None:
    """component.MapComponent.of calls st_folium(render=False) on the map built for it: the
    component gets exactly the arguments of st_folium's default, which renders the whole
    figure once more."""
    import streamlit_folium

    prepared = prepared_of(layers.collections)
    script = mapview.state_script(mapview.MapState(), browserdata.script_json(
        browserdata.prepare_texts(layers.collections, "en")))
    sent: list[dict[str, Any]] = []

    def component(**kwargs: Any) -> None:
        sent.append({k: v for k, v in kwargs.items() if k != "on_change"})

    with mock.patch.object(streamlit_folium, "_component_func", side_effect=component):
        for render in (True, False):
            streamlit_folium.st_folium(
                mapview.build_map(prepared), key="map", height=640, use_container_width=True,
                returned_objects=[], feature_group_to_add=mapview.state_group(script),
                render=render)
    assert len(sent) == 2 and sent[0] == sent[1]
    assert "laovnDraw(" in sent[0]["script"] and "laovn.apply(" in sent[0]["feature_group"]


def test_the_url_view_rule_is_the_maps_own_limits(layers: Layers) -> None:
    """The views the page and the map script take (`ViewRule`, in the script's config):
    centred within the panning limit, zoomed within the map's zoom limits, written as the
    map writes them (ASCII decimals); the map script reads these very limits."""
    prepared = prepared_of(layers.collections)
    rule = mapview.view_rule(prepared)
    (south, west), (north, east) = prepared["countries"].max_bounds or [[0, 0], [0, 0]]
    assert rule.bounds == ((south, west), (north, east))
    assert map_config(mapview.build_map(prepared).get_root().render())["view"] == rule.config()
    lat, lon = round((south + north) / 2, 4), round((west + east) / 2, 4)
    assert rule.parse(f"{lat},{lon},6") == mapview.View(lat, lon, 6.0)
    assert rule.parse(f"{lat},{lon},13") == mapview.View(lat, lon, 13.0)
    edges = mapview.ViewRule(((10.0, 100.0), (20.5, 110.0)))
    assert edges.parse("10,110,8.25") == mapview.View(10.0, 110.0, 8.25)  # edges in
    assert edges.parse("20.5,100,6") == mapview.View(20.5, 100.0, 6.0)
    for bad in (f"{lat},{lon},5.99", f"{lat},{lon},13.01", f"{north + 0.01},{lon},8",
                f"{lat},{west - 0.01},8", "79,105,8", "-79,105,8", f"{lat},{lon}",
                f"{lat},{lon},8,1", f"+{lat},{lon},8", f"{lat},{lon},8 ", f"{lat},{lon},1e1",
                f"{lat},{lon},0x8", f"{lat},{lon},Infinity", f"{lat},{lon},nan",
                f"{lat},{lon},٨", f"{lat},{lon},1_0", "1" * 5000 + f",{lon},8", "", None):
        assert rule.parse(bad) is None, bad


def test_a_map_without_a_panning_limit_takes_views_within_the_world() -> None:
    prepared = {"countries": browserdata.PreparedLayer("countries", "{}", None, None)}
    rule = mapview.view_rule(prepared)
    assert rule.parse("85,180,6") == mapview.View(85.0, 180.0, 6.0)
    assert rule.parse("86,0,6") is None
