"""Fast checks on the map HTML built by laovn_map.mapview (no browser, no Streamlit)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import folium
import pytest
import xstatic.pkg.leaflet
from hypothesis import given, settings
from hypothesis import strategies as st

from laovn_map import catalog, mapview, webassets
from laovn_map.layers_io import Layers, load_layers

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "layers"
# the built layers: geo/, or another build named by LAOVN_TEST_REAL_GEO
REAL = Path(os.environ.get("LAOVN_TEST_REAL_GEO") or ROOT / "geo")

LAYER_DIRS = [pytest.param(FIXTURE, id="fixture")]
if (REAL / "manifest.json").exists():
    LAYER_DIRS.append(pytest.param(REAL, id="geo"))

HOSTILE_RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "${alert(1)}")
ALLOWED_TAGS = {"div", "table", "tr", "th", "td", "blockquote", "span", "br"}
ALLOWED_ATTRS = {"id", "class", "style", "data-id"}


@pytest.fixture(scope="module", params=LAYER_DIRS)
def layers(request: pytest.FixtureRequest) -> Layers:
    return load_layers(request.param)


def render(layers: Layers, **kwargs: Any) -> str:
    return render_collections(layers.collections, **kwargs)


def render_collections(collections: Any, **kwargs: Any) -> str:
    return mapview.build_map(collections, **kwargs).get_root().render()


def drawn_layers(page: str) -> list[dict[str, Any]]:
    layers = mapview.drawn_layers(page)
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
        assert json.dumps(mapview.t(f"layer.{name}", "en")) in page
    assert "L.control.layers" in page


def test_hidden_layers_are_left_out(layers: Layers) -> None:
    page = render(layers, visible=["border", "consulates"])
    assert class_count(page, "laovn-missions") == 5
    assert class_count(page, "laovn-border") == 1
    for gone in ("countries", "provinces_vn", "provinces_la", "segments", "embassies"):
        assert class_count(page, f"laovn-{gone}") == 0, gone


def test_every_popup_and_tooltip_is_escaped(layers: Layers) -> None:
    page = render(layers)
    for raw in HOSTILE_RAW:
        assert raw not in page
    for fragment in popups_and_tooltips(page):
        checker = _Checker()
        checker.feed(fragment)
        checker.close()
        assert not checker.problems, (checker.problems, fragment[:300])


def test_hostile_fixture_text_shows_as_text() -> None:
    page = render(load_layers(FIXTURE))
    pakse = next(p for p in popups_and_tooltips(page) if 'data-id="vn-consulate-pakse"' in p)
    checker = _Checker()
    checker.feed(pakse)
    text = "".join(checker.text)
    assert "Pakse (Consulate) <script>alert(1)</script> <img src=x onerror=alert(1)>" in text
    # the border's stated_text holds "${alert(1)}": shown as text, never interpolated
    border = next(p for p in popups_and_tooltips(page) if "&#36;&#123;alert" in p)
    checker = _Checker()
    checker.feed(border)
    assert "khoảng 2.340km ${alert(1)} `tick` \\u{zz}" in "".join(checker.text)
    assert "${alert(1)}" not in page


def test_no_network_assets(layers: Layers) -> None:
    m = mapview.build_map(layers.collections)
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
    assert json.dumps("Chú giải")[1:-1] in page  # inside the legend's JSON string
    vn = layers.features("provinces_vn")[0]["properties"]
    assert mapview.esc(vn["name_vi"]) in page
    assert "Lãnh sự quán Việt Nam tại Pakse" in page


def test_assets_are_the_xstatic_files() -> None:
    def decode(url: str) -> bytes:
        head, _, data = url.partition(",")
        assert head.endswith(";base64")
        return base64.b64decode(data)

    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    assert decode(webassets.leaflet_js()) == (leaflet / "leaflet.js").read_bytes()
    assert [name for name, _ in webassets.offline_js()] == ["leaflet"]  # no jQuery needed
    css = decode(webassets.leaflet_css()).decode()
    assert ".leaflet-control-layers-toggle" in css
    assert "url(images/" not in css and "url(data:image/png;base64," in css


@given(st.text())
def test_esc_is_inert_and_reversible(text: str) -> None:
    out = mapview.esc(text)
    assert not set(out) & set("<>\"'`${}\\")
    assert html.unescape(out) == text


def test_marked_source_marks_and_escapes() -> None:
    text = "Heading\n- Pakse (Consulate) <b>x</b>\nOther line $5 and $6\n"
    out = mapview.marked_source_html(text, [
        (2, "Pakse (Consulate)"),                 # found on its line
        (3, "not in the text at all"),            # falls back to the cited line
        (None, "Heading / - Pakse"),              # parts of a joined quote
    ])
    assert "<b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert '<mark class="laovn-mark">- Pakse (Consulate)</mark> &lt;b&gt;' in out
    assert '<mark class="laovn-mark">Other line &#36;5 and &#36;6</mark>' in out
    assert '<mark class="laovn-mark">Heading</mark>' in out
    assert "\n" not in out and out.count("<br>") == 2


def test_real_seed_quotes_are_found(layers: Layers) -> None:
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    for name in ("missions", "provinces_vn"):
        for feat in layers.features(name):
            p = feat["properties"]
            text = seeds[Path(p["source_file"]).name]
            out = mapview.marked_source_html(text, [(p["source_line"], p["source_quote"])])
            assert "<mark" in out, p["id"]


def test_number_format() -> None:
    assert mapview.fmt_num(2337.459, "en") == "2,337.5"
    assert mapview.fmt_num(2337.459, "vi") == "2.337,5"
    assert mapview.fmt_num("x", "en") == ""
    assert mapview.fmt_num(True, "en") == ""


def test_multipolygons_with_holes_are_one_shape_each() -> None:
    square = [[100, 10], [101, 10], [101, 11], [100, 11], [100, 10]]
    hole = [[100.2, 10.2], [100.2, 10.4], [100.4, 10.4], [100.2, 10.2]]
    far = [[102, 12], [103, 12], [103, 13], [102, 12]]
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "VN-99",
        "geometry": {"type": "MultiPolygon", "coordinates": [[square, hole], [far]]},
        "properties": {"id": "VN-99", "name_en": "Test"},
    }]}
    m = mapview.build_map({"provinces_vn": fc}, visible=["provinces_vn"])
    page = m.get_root().render()
    assert class_count(page, "laovn-provinces_vn") == 1
    (layer,) = drawn_layers(page)
    (feature,) = layer["features"]
    # positions go as integer steps of 1e-4 degree, latitude first, each from the last
    assert layer["kind"] == "polygon" and layer["scale"] == 10_000
    assert feature["geom"][0][0][:6] == [100_000, 1_000_000, 0, 10_000, 10_000, 0]
    assert mapview.decode_geometry(layer["kind"], feature["geom"]) == \
        fc["features"][0]["geometry"]
    assert m.get_bounds() == [[10.0, 100.0], [13.0, 103.0]]


def test_encoding_round_trips_the_displayed_positions(layers: Layers) -> None:
    from laovn_map.display import display_layers

    shown = display_layers(layers.collections)
    page = render_collections(shown)
    by_id = {str(f["properties"]["id"]): f["geometry"]
             for fc in shown.values() for f in fc["features"]}
    for layer in drawn_layers(page):
        for feature in layer["features"]:
            decoded = mapview.decode_geometry(layer["kind"], feature["geom"])
            assert decoded == json.loads(json.dumps(by_id[feature["id"]])), feature["id"]


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=40), city=st.text(max_size=20), quote=st.text(max_size=80))
def test_any_text_in_a_feature_stays_text(name: str, city: str, quote: str) -> None:
    feature = {"type": "Feature", "id": "m", "geometry": {"type": "Point",
                                                         "coordinates": [105.0, 15.0]},
               "properties": {"id": "m", "name": name, "kind": "consulate", "city": city,
                              "sending_country": "VN", "source_file": "x.txt",
                              "source_line": 1, "source_quote": quote}}
    fc = {"type": "FeatureCollection", "features": [feature]}
    for lang in ("en", "vi"):
        page = mapview.build_map({"missions": fc}, visible=["consulates"], lang=lang) \
            .get_root().render()
        for fragment in popups_and_tooltips(page):
            checker = _Checker()
            checker.feed(fragment)
            checker.close()
            assert not checker.problems, checker.problems


def test_same_layers_give_the_same_component_script(layers: Layers) -> None:
    """A rerun must not redraw the map (and close its popup): the script st_folium sends is
    byte-identical for the same inputs, with no random element ids left in it."""
    from streamlit_folium import generate_leaflet_string

    first = generate_leaflet_string(mapview.build_map(layers.collections))
    assert first == generate_leaflet_string(mapview.build_map(layers.collections))
    assert not re.search(r"_[0-9a-f]{32}\b", first)


def test_data_is_not_read_as_a_template() -> None:
    """Feature data reaches the page verbatim: folium renders pages with Jinja, and text such
    as `{{ 7*7 }}` or `{#` in an id must not be evaluated or swallowed."""
    from streamlit_folium import generate_leaflet_string

    odd = "x{{ 7*7 }}{% if 1 %}{#"
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": odd, "geometry": {"type": "Point", "coordinates": [105, 15]},
        "properties": {"id": odd, "name": odd, "kind": "consulate", "sending_country": "VN"},
    }]}
    page = mapview.build_map({"missions": fc}, visible=["consulates"]).get_root().render()
    script = generate_leaflet_string(mapview.build_map({"missions": fc}, visible=["consulates"]))
    for text in (page, script):
        (feature,) = drawn_features(text)
        assert feature["id"] == odd


def test_prepared_layers_must_be_in_the_map_language(layers: Layers) -> None:
    prepared = mapview.prepare_layers(layers.collections, "vi")
    with pytest.raises(ValueError, match="not in 'en'"):
        mapview.build_map(layers.collections, lang="en", prepared=prepared)
    page = mapview.build_map(layers.collections, lang="vi", prepared=prepared).get_root().render()
    assert "Lãnh sự quán Việt Nam tại Pakse" in page
