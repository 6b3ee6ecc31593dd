"""laovn_map.page.browserdata: the layers as the browser gets them, and read back as it reads them."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
import shapely
from babel import Locale
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from laovn_map import catalog
from laovn_map.build.features import BASEMAP_MARGIN_DEG
from laovn_map.catalog import COUNTRIES, EMBASSY, PERIOD_2025, PROVINCE_LAYERS
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.i18n import t
from laovn_map.page import browserdata, labels, runtime
from laovn_map.page.browserdata import PreparedLayer, prepare_layers
from laovn_map.page.labels import accessible_name, city_name, esc, fmt_num, province_name
from laovn_map.page.lines import LINE_ALPHABET, decode_geometry, decode_line, encode_line
from laovn_map.page.mapstyle import COLOURS
from laovn_map.page.simplify import display_layers

from ..conftest import FIXTURE, REAL
from .test_mapview import drawn_layers, layers, render_collections

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_encoding_round_trips_the_displayed_positions(layers: Layers) -> None:
    shown = display_layers(layers.collections)
    page = render_collections(shown)
    by_id = {str(f["properties"]["id"]): f["geometry"]
             for fc in shown.values() for f in fc["features"]}
    for layer in drawn_layers(page):
        for feature in layer["features"]:
            decoded = decode_geometry(layer["kind"], feature["geom"])
            assert decoded == json.loads(json.dumps(by_id[feature["id"]])), feature["id"]


def test_script_json_cannot_end_its_script_element() -> None:
    text = browserdata.script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_prepared_layers_cover_every_map_layer_in_no_language(layers: Layers) -> None:
    prepared = browserdata.prepare_layers(layers.collections)
    assert "Lãnh sự quán" not in "".join(p.data_json for p in prepared.values())
    counts = {name: len(json.loads(p.data_json)["features"]) for name, p in prepared.items()}
    assert counts["embassies"] + counts["consulates"] == len(layers.features("missions"))
    assert prepared["countries"].bounds is not None


def test_a_layer_may_not_mix_geometry_kinds() -> None:
    features: list[dict[str, Any]] = [
        {"geometry": {"type": "Point", "coordinates": [105, 15]}, "properties": {}},
        {"geometry": {"type": "LineString", "coordinates": [[105, 15], [106, 16]]},
         "properties": {}}]
    with pytest.raises(ValueError, match="mixes geometry kinds"):
        browserdata.layer_data("border", features)


def _label_texts(layers: Layers, lang: str) -> dict[str, list[str]]:
    texts = browserdata.prepare_texts(layers.collections, lang)["layers"]
    return {name: [html.unescape(label["text"]) for label in layer["labels"]]
            for name, layer in texts.items()}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_labels_name_countries_provinces_and_cities_in_the_page_language(
        layers: Layers, lang: str) -> None:
    texts = _label_texts(layers, lang)
    for country in COUNTRIES.values():
        assert country.name(lang) in texts["countries"]
    assert Locale.parse(lang).territories["TH"] in texts["countries"]  # a neighbour, from CLDR
    for layer in PROVINCE_LAYERS.values():
        assert texts[layer] == [province_name(f["properties"], lang)
                                for f in layers.features(layer)]
    missions = [f["properties"] for f in layers.features("missions")]
    assert texts["embassies"] == [city_name(p, lang) for p in missions if p["kind"] == EMBASSY]
    assert sorted(texts["embassies"] + texts["consulates"]) == sorted({city_name(p, lang) for p in missions})
    for unlabelled in ("water", "segments", "border"):
        assert texts[unlabelled] == []


def test_labels_are_escaped_and_ranked() -> None:
    texts = browserdata.prepare_texts(load_layers(FIXTURE).collections, "en")["layers"]
    labels = texts["provinces_la"]["labels"]
    hostile = next(label for label in labels if "Houaphanh" in label["text"])
    assert hostile["text"] == esc("Houaphanh <img src=x onerror=alert(1)>")
    # cities first, then the countries, then provinces by area; provinces carry their box
    tiers = {name: {label["rank"][0] for label in layer["labels"]}
             for name, layer in texts.items()}
    assert tiers["embassies"] == {0} and tiers["consulates"] == {1}
    assert tiers["countries"] == {2, 3} and tiers["provinces_la"] == {4}
    assert all(len(label["fit"]) == 4 for label in labels)


def test_label_anchors_lie_inside_the_full_shapes(layers: Layers) -> None:
    anchors = browserdata.label_anchors(layers.collections)
    for layer in PROVINCE_LAYERS.values():
        assert len(anchors[layer]) == len(layers.features(layer))
        for f in layers.features(layer):
            a = anchors[layer][f["properties"]["id"]]
            assert shape(f["geometry"]).contains(Point(a.lon, a.lat)), f["properties"]["id"]
    # a party's name goes outside its border provinces, inside the country
    for f in layers.features("countries"):
        a = anchors["countries"].get(f["properties"]["id"])
        code = f["properties"]["iso_a2"]
        if code in PROVINCE_LAYERS:
            assert a is not None
            assert shape(f["geometry"]).contains(Point(a.lon, a.lat))
            assert not any(shape(p["geometry"]).contains(Point(a.lon, a.lat))
                           for p in layers.features(PROVINCE_LAYERS[code]))


#: An L-shaped province: a long arm east (x 0..10, y 0..2) and a short one north (x 0..2,
#: y 0..8); a first view that holds only the east arm's far end.
_L_SHAPE = shapely.Polygon([(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (0, 8)])
_FAR_END = shapely.box(6, -1, 11, 3)


def test_a_name_goes_inside_the_part_of_its_province_in_the_first_view() -> None:
    points = browserdata.label_points(_L_SHAPE, _FAR_END)
    lat, lon = points[0]
    assert _FAR_END.contains(Point(lon, lat)) and _L_SHAPE.contains(Point(lon, lat))
    # no view given, or one the province is not in: the pole of the whole shape
    whole = browserdata.label_points(_L_SHAPE)
    assert whole == browserdata.label_points(_L_SHAPE, shapely.box(50, 50, 60, 60))
    assert not _FAR_END.contains(Point(whole[0][1], whole[0][0]))


def test_the_other_places_of_a_name_lie_inside_it_apart_and_always_the_same() -> None:
    points = browserdata.label_points(_L_SHAPE)
    assert 2 <= len(points) <= browserdata.LABEL_POINTS
    assert points == browserdata.label_points(_L_SHAPE)  # deterministic
    for i, (lat, lon) in enumerate(points):
        assert _L_SHAPE.contains(Point(lon, lat)), (lat, lon)
        for lat2, lon2 in points[:i]:
            assert ((lat - lat2) ** 2 + (lon - lon2) ** 2) ** 0.5 >= \
                browserdata.LABEL_POINT_SPACING_DEG
    # both arms get a place: a name crowded out of one may go to the other
    assert any(lon > 2 for lat, lon in points) and any(lat > 2 for lat, lon in points)
    assert browserdata.label_points(_L_SHAPE, most=1) == points[:1]
    assert browserdata.label_points(shapely.Polygon()) == []


def test_province_names_carry_their_other_places(layers: Layers) -> None:
    anchors = browserdata.label_anchors(layers.collections)
    texts = browserdata.prepare_texts(layers.collections, "en", anchors)["layers"]
    for layer in PROVINCE_LAYERS.values():
        geoms = {province_name(f["properties"], "en"): shape(f["geometry"])
                 for f in layers.features(layer)}
        for label in texts[layer]["labels"]:
            for lat, lon in label.get("alt", []):
                assert geoms[html.unescape(label["text"])].contains(Point(lon, lat))
    assert any(label.get("alt") for layer in PROVINCE_LAYERS.values()
               for label in texts[layer]["labels"])


def test_the_first_view_is_the_map_s_default_framing(layers: Layers) -> None:
    from laovn_map.page import mapview
    assert browserdata.first_view_bounds(layers.collections) == \
        mapview.home_bounds(prepare_layers(layers.collections))


def test_max_bounds_are_the_two_countries_plus_a_margin_inside_the_detailed_base_map(
        layers: Layers) -> None:
    parties = [shape(f["geometry"]) for f in layers.features("countries")
               if f["properties"]["is_party"]]
    west, south, east, north = shapely.union_all(parties).bounds
    m = browserdata.MAX_BOUNDS_MARGIN_DEG
    limit = browserdata.prepare_layers(layers.collections)["countries"].max_bounds
    assert limit is not None
    assert [*limit[0], *limit[1]] == pytest.approx([south - m, west - m, north + m, east + m])
    assert 0 < m < BASEMAP_MARGIN_DEG
    stated = layers.manifest.get("parameters", {}).get("basemap_margin_deg")
    assert stated is None or m < stated  # the fixture states none


def test_water_is_drawn_with_its_area_and_source_and_no_name(layers: Layers) -> None:
    data = json.loads(browserdata.prepare_layers(layers.collections)["water"].data_json)
    water = layers.features("water")
    assert data["kind"] == "polygon" and len(data["features"]) == len(water) > 0
    first, props = data["features"][0], water[0]["properties"]
    tooltip, popup, name = browserdata.prepare_texts(layers.collections, "vi")[
        "layers"]["water"]["features"][first["id"]]
    assert tooltip.startswith("Mặt nước nội địa · ")
    assert fmt_num(props["area_km2"], "vi") + " km²" in popup
    assert esc(props.get("source_feature_vi") or props["source_feature"]) in popup
    assert name == accessible_name("water", props, "vi")
    assert "laovn-water" in first["cls"].split()


def test_popups_are_sized_to_the_map_by_the_runtime() -> None:
    popup = browserdata.POPUP  # given to the script in laovnInit's config (test_runtime.py)
    assert popup["maxWidth"] <= 360 and 0 < popup["heightShare"] <= 0.6
    for hook in ('shape.on("click", fitPopup)', "maxHeight", 'map.on("popupopen"'):
        assert hook in runtime.RUNTIME_JS



def test_since_2025_the_map_draws_the_units_and_their_segments(layers: Layers) -> None:
    shown = display_layers(layers.collections)
    prepared = prepare_layers(shown, period=PERIOD_2025)
    popups = browserdata.prepare_texts(shown, "en", period=PERIOD_2025)["layers"]
    units = drawn(prepared["provinces_vn"])
    assert [f["id"] for f in units["features"]] == [f["properties"]["id"] for f in
                                                   layers.features("provinces_vn_2025")]
    assert len(drawn(prepared["segments"])["features"]) == len(layers.features("segments_2025"))
    assert {p.period for p in prepared.values()} == {PERIOD_2025}
    for feature, unit in zip(units["features"], layers.features("provinces_vn_2025"), strict=True):
        props = unit["properties"]
        popup = popups["provinces_vn"]["features"][feature["id"]][1]
        assert esc(props["merged_from"]) in popup
        if props["resolution"]:
            assert esc(props["resolution"]) in popup
    assert prepare_layers(shown)["provinces_vn"].period == "text"


def drawn(layer: PreparedLayer) -> dict[str, Any]:
    (data,) = drawn_layers(f"laovnDraw({layer.data_json}, g)")
    return data


def test_every_interactive_feature_has_texts_and_an_accessible_name(layers: Layers) -> None:
    prepared = browserdata.prepare_layers(layers.collections)
    for lang in ("en", "vi"):
        texts = browserdata.prepare_texts(layers.collections, lang)["layers"]
        for name, layer in prepared.items():
            ids = [f["id"] for f in json.loads(layer.data_json)["features"]]
            if name in browserdata.INERT_LAYERS:
                assert texts[name]["features"] == {}
                continue
            assert sorted(texts[name]["features"]) == sorted(ids), name
            for tooltip, popup, accessible in texts[name]["features"].values():
                assert tooltip and popup and accessible
                # plain text (set as an attribute), never HTML escaped twice
                assert "&lt;" not in accessible and "&#" not in accessible


def test_points_are_drawn_in_their_own_pane_and_areas_open_inside_themselves(
        layers: Layers) -> None:
    prepared = browserdata.prepare_layers(layers.collections)
    for name, layer in prepared.items():
        data = json.loads(layer.data_json)
        assert (data.get("pane") == browserdata.POINTS_PANE) is (data["kind"] == "point"), name
    by_id = {f["properties"]["id"]: shape(f["geometry"])
             for key in ("provinces_vn", "provinces_la", "water") for f in layers.features(key)}
    for name in ("provinces_vn", "provinces_la", "water", "segments", "border"):
        for feature in json.loads(prepared[name].data_json)["features"]:
            lat, lon = feature["at"]
            if feature["id"] in by_id:  # an area: inside (a province: its label anchor)
                assert by_id[feature["id"]].buffer(1e-3).contains(Point(lon, lat)), feature["id"]


def test_the_search_knows_every_name_in_every_script(layers: Layers) -> None:
    index = {row[0]: row for row in browserdata.prepare_texts(layers.collections, "vi")["search"]}
    for key in ("provinces_vn", "provinces_la", "missions"):
        for f in layers.features(key):
            props = f["properties"]
            fid, name, kind, names, _within = index[props["id"]]
            forms = {browserdata.search_form(n) for n in names}  # one of each form is sent
            for field in ("name_en", "name_vi", "name_seed", "name_lo", "city", "city_vi",
                          "city_lo"):
                if props.get(field):
                    assert browserdata.search_form(props[field]) in forms, (fid, field)
            assert name and kind and "<" not in name
    pakse = index["vn-consulate-pakse"][3]
    assert any(n.isascii() and "pakse" in n.lower() for n in pakse)
    assert "water" not in {row[2] for row in index.values()}


def test_a_line_is_written_five_bits_a_character() -> None:
    # (lat, lon) in 1e-4 degree: (0, 0), (-1, 1), (-1, 17); the numbers 0, 0, -1, 1, 0, 16
    # zigzag to 0, 0, 1, 2, 0, 32: "A", "A", "B", "C", "A", and 32 as 0 + more ("g"), then 1 ("B")
    ring = [[0.0, 0.0], [0.0001, -0.0001], [0.0017, -0.0001]]
    assert encode_line(ring) == "AABCAgB"
    assert decode_line("AABCAgB") == ring
    assert encode_line([]) == "" and decode_line("") == []
    with pytest.raises(ValueError, match="LINE_ALPHABET"):
        decode_line("AA_B")


@given(st.lists(st.tuples(st.integers(-1_800_000, 1_800_000), st.integers(-900_000, 900_000)),
                min_size=1, max_size=40))
def test_any_line_round_trips(units: list[tuple[int, int]]) -> None:
    ring = [[lon / 10_000, lat / 10_000] for lon, lat in units]
    text = encode_line(ring)
    assert set(text) <= set(LINE_ALPHABET)
    assert decode_line(text) == ring


def test_the_coarse_level_is_within_half_a_pixel_and_keeps_the_provinces_tiled() -> None:
    layers = load_layers(REAL if (REAL / "manifest.json").exists() else FIXTURE)
    shown = display_layers(layers.collections)
    saved = 0
    for name, fc in shown.items():
        features = fc["features"]
        coarse = browserdata.coarse_geometries(name, features)
        assert len(coarse) == len(features)
        kept = [(shape(f["geometry"]), shape(c)) for f, c in zip(features, coarse, strict=True)
                if c is not None]
        for full, small in kept:
            assert small.geom_type == full.geom_type and small.is_valid
            assert shapely.get_num_coordinates(small) <= \
                (1 - browserdata.LOD_MIN_SAVING) * shapely.get_num_coordinates(full)
            assert full.hausdorff_distance(small) <= browserdata.LOD_TOLERANCE_DEG * 1.01
            saved += shapely.get_num_coordinates(full) - shapely.get_num_coordinates(small)
        if name in PROVINCE_LAYERS.values() and kept:
            # simplified together: no gap or overlap opens between two provinces
            assert shapely.coverage_is_valid([small for _, small in kept])
    assert saved > 0 or not (REAL / "manifest.json").exists()


def test_a_search_result_for_a_mission_offers_the_province_its_city_lies_in() -> None:
    layers = load_layers(REAL)
    for lang, word in (("en", "in"), ("vi", "thuộc")):
        index = {row[0]: row for row in browserdata.prepare_texts(layers.collections, lang)["search"]}
        pakse, savannakhet = index["vn-consulate-pakse"], index["vn-consulate-savannakhet"]
        assert pakse[2].endswith(f" · {word} Champasa" + ("k" if lang == "en" else "ck")), pakse[2]
        assert pakse[4] == ""  # Champasak is no border province: not on the map
        assert savannakhet[4] == "LA-SV" and savannakhet[4] in index
        hanoi = index["la-embassy-hanoi"]
        assert hanoi[2] == browserdata.layer_label("embassies", lang)  # the city is its province
        assert all(len(row) == 5 for row in index.values())


def test_names_the_search_reads_alike_are_sent_once() -> None:
    assert browserdata.search_form("Hà Nội") == browserdata.search_form("HA-NOI") == "ha noi"
    assert browserdata.search_form("Đà Nẵng") == "da nang"
    assert browserdata.search_form("ຫຼວງພະບາງ") == browserdata.search_form("ຫລວງພະບາງ")
    assert browserdata.search_form("ຫົວພັນ") != browserdata.search_form("ຫວພນ")
    layers = load_layers(REAL)
    for row in browserdata.prepare_texts(layers.collections, "en")["search"]:
        forms = [browserdata.search_form(n) for n in row[3]]
        assert len(forms) == len(set(forms)), row[0]


def _point(fid: str, lon: float, lat: float, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"id": fid, **props},
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def test_a_mission_with_an_event_at_its_spot_has_its_symbol_in_the_legend() -> None:
    """The event's dot drawn in the mission's symbol is a symbol of its own: the legend shows
    it for each kind of mission (and sending country) that has one, and for no other."""
    groups = {
        "embassies": [_point("e-vn", 102.6, 17.96667, sending_country="VN"),
                      _point("e-la", 105.84117, 21.0245, sending_country="LA")],
        "consulates": [_point("c-vn", 105.79898, 15.12022, sending_country="VN")],
        # at the embassy in Vientiane within the positions' precision; beside Pakse's consulate
        "events": [_point("ev-1", 102.600004, 17.96667), _point("ev-2", 105.8, 15.12022)],
    }
    assert browserdata.shared_spots(groups) == [("embassies", "VN")]
    assert browserdata.shared_spots({**groups, "events": []}) == []
    legend = labels.legend_html(catalog.MAP_LAYERS, "en", shared=[("embassies", "VN")])
    entry = re.search(r'<div class="laovn-legend-entry" data-layer="events embassies">(.*?)'
                      r"</div></div>", legend)
    assert entry, legend
    assert html.unescape(entry.group(1)).endswith(labels.t("legend.shared", "en").format(
        missions=labels.layer_label("embassies", "en")))
    assert COLOURS["event"] in entry.group(1) and COLOURS["vn"] in entry.group(1)
    # not shown without the events layer, nor without the missions'
    assert "data-layer=\"events " not in labels.legend_html(
        [m for m in catalog.MAP_LAYERS if m != "events"], "en", shared=[("embassies", "VN")])
    assert "data-layer=\"events " not in labels.legend_html(
        [m for m in catalog.MAP_LAYERS if m != "embassies"], "en", shared=[("embassies", "VN")])


def test_the_legend_of_the_real_layers_shows_each_mission_an_event_shares(
        layers: Layers) -> None:
    texts = browserdata.prepare_texts(layers.collections, "vi")
    shared = browserdata.shared_spots(browserdata._groups(layers.collections))
    assert shared  # both the fixture and the build put an event in a mission's city
    assert texts["legend"].count('data-layer="events ') == len({layer for layer, _ in shared})
    assert labels.t("legend.shared", "vi").split("{missions}")[1][:12] in \
        html.unescape(texts["legend"])


def _event(event_id: str, start: str, **more: Any) -> dict[str, Any]:
    return {"id": event_id, "language": event_id[:2], "start": start, "end": start,
            "precision": "year", "date_text": start[:4], "link_id": "", "features": [],
            "feature_rule": "", "source_file": f"seeds/t.{event_id[:2]}.txt", "source_line": 3,
            "source_quote": f"<b>{event_id}</b>", **more}


def test_the_story_statements_in_date_order_with_places_rules_and_the_linked_words() -> None:
    events = [
        _event("vi-022-0", "1986-01-24", features=["border"],
               feature_rule="statement_features.csv:2"),
        _event("en-047-0", "1962-01-01", link_id="en-047-0+vi-002-0"),
        _event("vi-002-0", "1962-09-05", link_id="en-047-0+vi-002-0", date_text="5/9/1962"),
        _event("vi-011-0", "1945-09-04"),
        {**_event("en-000-0", "1900-01-01"), "start": None, "end": None},  # no date: not a step
    ]
    points = browserdata.event_points({"features": [
        {"properties": {"id": "vi-011-0-a", "event_id": "vi-011-0"}},
        {"properties": {"id": "vi-011-0-b", "event_id": "vi-011-0"}}]})
    said = browserdata.story_statements(events, "vi", points)
    assert [s["id"] for s in said] == ["vi-011-0", "en-047-0", "vi-002-0", "vi-022-0"]
    first, english, _, border = said
    assert first["places"] == ["vi-011-0-a", "vi-011-0-b"] and first["features"] == []
    assert border["places"] == [] and border["features"] == ["border"]
    assert border["rule"] == "statement_features.csv:2"
    # plain text, set as text by the script: not escaped here
    assert english["quote"] == "<b>en-047-0</b>" and english["cite"] == "t.en.txt:3"
    assert english["language"] == t("ev.language.en", "vi") and english["code"] == "en"
    assert english["link"]["written"] == "5/9/1962" and english["link"]["code"] == "vi"
    assert english["link"]["quote"] == "<b>vi-002-0</b>"
    assert first["link"] is None
