"""laovn_map.page.mapstyle: a style for every map layer, each country in its own colour."""

from __future__ import annotations

import re

import pytest
import shapely
from shapely.geometry import shape

from laovn_map import catalog
from laovn_map.geo.reader import load_layers
from laovn_map.page import mapstyle
from laovn_map.page.mapstyle import LAYER_STYLE

from ..conftest import REAL


def test_every_map_layer_has_a_style() -> None:
    assert set(mapstyle.LAYER_STYLE) == set(catalog.MAP_LAYERS)
    assert set(mapstyle.COUNTRY_COLOUR) == set(catalog.PARTIES)
    assert len(set(mapstyle.COUNTRY_COLOUR.values())) == 2


def test_missions_take_the_sending_countrys_colour() -> None:
    for code, colour in mapstyle.COUNTRY_COLOUR.items():
        assert mapstyle.feature_style("embassies", 0, {"sending_country": code}) == \
            {"fillColor": colour}
        assert mapstyle.feature_style("consulates", 0, {"sending_country": code}) == \
            {"color": colour}


def test_css_takes_the_focus_outline_off_shapes_but_keeps_keyboard_focus_on_them() -> None:
    css = " ".join(mapstyle.CSS.split())
    assert "path.leaflet-interactive:focus { outline: none; }" in css
    assert "path.leaflet-interactive:focus-visible { stroke-width: 5px;" in css


def test_css_lets_tiles_show_through_the_base_map() -> None:
    css = " ".join(mapstyle.CSS.split())
    assert ".laovn-tiles-shown path.laovn-country { fill-opacity: 0; }" in css
    # and the plain land drawn while the base map is off (js/land.js)
    assert ".laovn-tiles-shown path.laovn-land { fill-opacity: 0; }" in css


def test_every_label_kind_is_a_laovn_label() -> None:
    assert all(cls.split()[0] == "laovn-label" for cls in mapstyle.LABEL_CLASS.values())
    assert ".laovn-label-hidden span { visibility: hidden; }" in mapstyle.CSS


# --- contrast (WCAG 2.2 AA) ----------------------------------------------------------------
# What the browser shows, computed from mapstyle's colours and opacities: text needs 4.5:1
# against what is behind it (success criterion 1.4.3), lines and markers 3:1 against what is
# under them (1.4.11). axe-core checks the popups and the page in the browser
# (tests/browser/test_a11y.py) but cannot see SVG drawn over SVG, so the map is checked here.

RGB = tuple[float, float, float]
TEXT, GRAPHIC = 4.5, 3.0
#: Leaflet's own CSS (not ours) gives its attribution box this much white over the map.
LEAFLET_ATTRIBUTION_WHITE = 0.8


def _rgb(hex_colour: str) -> RGB:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _luminance(rgb: RGB) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: RGB, b: RGB) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over(top: RGB, alpha: float, under: RGB) -> RGB:
    """`top` drawn at opacity `alpha` over `under`."""
    r, g, b = (alpha * t + (1 - alpha) * u for t, u in zip(top, under, strict=True))
    return r, g, b


def test_the_contrast_formula_gives_wcags_known_ratios() -> None:
    black, white = _rgb("#000000"), _rgb("#ffffff")
    assert round(_contrast(black, white), 2) == 21.0
    assert _contrast(white, white) == 1.0
    # the grey that was 4.48:1 on white (WebAIM's and axe-core's figure), and its half on white
    assert round(_contrast(_rgb("#777777"), white), 2) == 4.48
    assert _over(black, 0.5, white) == (0.5, 0.5, 0.5)


class _Checks:
    """Contrast pairs from mapstyle's colours; remembers the COLOURS each one used."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.failures: list[str] = []

    def colour(self, key: str) -> RGB:
        self.used.add(key)
        return _rgb(mapstyle.COLOURS[key])

    def need(self, what: str, fg: RGB, grounds: dict[str, RGB], minimum: float) -> None:
        for name, ground in grounds.items():
            ratio = _contrast(fg, ground)
            if ratio < minimum:
                self.failures.append(f"{what} on {name}: {ratio:.2f}:1 < {minimum}:1")


def _opacity(layer: str, key: str = "opacity") -> float:
    # Leaflet's defaults: opacity 1, fillOpacity 0.2
    return float(mapstyle.LAYER_STYLE[layer].get(key, 1.0 if key == "opacity" else 0.2))


def _map_checks() -> _Checks:
    c = _Checks()
    party, neighbour = c.colour("party"), c.colour("neighbour")
    sea, water, paper = c.colour("sea"), c.colour("water"), c.colour("paper")
    fills = {country: (c.colour(country), _opacity(f"provinces_{country}", "fillOpacity"))
             for country in ("vn", "la")}
    # What a mark can lie on: the base map's land and sea, the inland water on the two
    # countries' land (the water layer holds nothing else), and the border provinces' fill
    # over their land or their water.
    bare = {"the two countries' land": party, "a neighbour's land": neighbour, "the sea": sea,
            "inland water": water}
    tinted = {f"{country} provinces over {where}": _over(colour, alpha, ground)
              for country, (colour, alpha) in fills.items()
              for where, ground in (("land", party), ("inland water", water))}
    everywhere = {**bare, **tinted}

    def below_provinces(what: str, key: str) -> None:
        """A line of a layer drawn under the provinces: their fill covers it too."""
        line = c.colour(key)
        c.need(what, line, bare, GRAPHIC)
        for country, (colour, alpha) in fills.items():
            for where, ground in (("land", party), ("inland water", water)):
                c.need(f"{what} under the {country} provinces", _over(colour, alpha, line),
                       {f"{country} provinces over {where}": _over(colour, alpha, ground)},
                       GRAPHIC)

    below_provinces("country outline", "country_line")
    below_provinces("inland water outline", "water_line")
    for country, (colour, _alpha) in fills.items():
        line = _over(colour, _opacity(f"provinces_{country}"), paper)
        c.need(f"{country} province outline", line, everywhere, GRAPHIC)
        c.need(f"{country} province outline in the legend", colour, {"the legend": paper},
               GRAPHIC)
    # border segments and the border line over them: on the provinces' land (the border
    # crosses no inland water, see the next test)
    on_land = {k: v for k, v in tinted.items() if k.endswith("land")}
    segments = {}
    for key in ("segment_a", "segment_b"):
        band = c.colour(key)
        alpha = _opacity("segments")
        seen = {f"{key} over {k}": _over(band, alpha, v) for k, v in on_land.items()}
        for name, ground in on_land.items():
            c.need(f"{key} band", _over(band, alpha, ground), {name: ground}, GRAPHIC)
        c.need(f"{key} in the legend", band, {"the legend": paper}, GRAPHIC)
        segments.update(seen)
    border = c.colour("border")
    c.need("border line", _over(border, _opacity("border"), paper), {**on_land, **segments},
           GRAPHIC)
    c.need("border line in the legend", border, {"the legend": paper}, GRAPHIC)
    c.need("inland water outline in the legend", c.colour("water_line"),
           {"the legend": paper, "its swatch": water}, GRAPHIC)
    # missions: a filled dot with a paper rim, a paper dot with a coloured ring; anywhere
    for key in ("vn", "la", "other"):
        mark = c.colour(key)
        dot = _over(mark, _opacity("embassies", "fillOpacity"), paper)
        c.need(f"embassy dot ({key})", dot, {**everywhere, "its rim": paper}, GRAPHIC)
        ring = _over(mark, _opacity("consulates"), paper)
        c.need(f"consulate ring ({key})", ring, {**everywhere, "its centre": paper}, GRAPHIC)
    # labels: a paper halo around every letter, and without it still readable on the ground
    # they name (cities: anywhere; countries: on land; provinces: on their fill)
    halo = {"its halo": paper}
    c.need("city label", c.colour("label"), {**everywhere, **halo}, TEXT)
    c.need("country label", c.colour("label_country"),
           {"a neighbour's land": neighbour, "the two countries' land": party, **halo}, TEXT)
    for country in ("vn", "la"):
        c.need(f"{country} province label", c.colour(f"label_{country}"),
               {**{k: v for k, v in tinted.items() if k.startswith(country)}, **halo}, TEXT)
    # popups, legend, notice, links, focus
    text = c.colour("text")
    c.need("popup and legend text", text, {"paper": paper, "a quote": c.colour("quote")}, TEXT)
    for key in ("text_muted", "text_note"):
        c.need(f"popup {key}", c.colour(key), {"paper": paper}, TEXT)
    c.need("notice text", c.colour("notice_text"), {"the notice": c.colour("notice")}, TEXT)
    attribution = {f"the credit box over {k}": _over(paper, LEAFLET_ATTRIBUTION_WHITE, v)
                   for k, v in everywhere.items()}
    c.need("link", c.colour("link"), {"paper": paper, **attribution}, TEXT)
    c.need("legend focus outline", c.colour("focus"), {"the legend": paper}, GRAPHIC)
    c.colour("accent")  # the quote's bar and the notice's frame: decoration beside the text
    # events: a filled dot with a paper rim, anywhere; the search's chosen option
    c.need("event dot", _over(c.colour("event"), _opacity("events", "fillOpacity"), paper),
           {**everywhere, "its rim": paper}, GRAPHIC)
    c.need("search result on its highlight", text, {"the highlight": c.colour("highlight")},
           TEXT)
    c.need("search result kind on its highlight", c.colour("text_muted"),
           {"the highlight": c.colour("highlight")}, TEXT)
    c.colour("rule")  # the lines between the tools' buttons: decoration
    return c


def test_text_lines_and_markers_contrast_with_what_is_under_them() -> None:
    checks = _map_checks()
    assert not checks.failures, "\n".join(checks.failures)


def test_every_colour_is_in_a_contrast_check() -> None:
    assert _map_checks().used == set(mapstyle.COLOURS)
    # and the CSS takes no colour from elsewhere
    css_colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{3,8}\b", mapstyle.CSS)}
    assert css_colours <= set(mapstyle.COLOURS.values()), css_colours


def test_sea_and_land_differ_in_lightness_not_only_in_hue() -> None:
    sea, water = _rgb(mapstyle.COLOURS["sea"]), _rgb(mapstyle.COLOURS["water"])
    for land in ("party", "neighbour"):
        assert _contrast(sea, _rgb(mapstyle.COLOURS[land])) >= 1.3, land
    assert _contrast(water, _rgb(mapstyle.COLOURS["party"])) >= 1.3


def test_the_planted_failure_is_reported() -> None:
    """The checks can fail: a pale city label on the sea is named with its ratio."""
    checks = _Checks()
    checks.need("city label", _rgb("#cccccc"), {"the sea": _rgb(mapstyle.COLOURS["sea"])}, TEXT)
    assert checks.failures and checks.failures[0].startswith("city label on the sea: 1.")


@pytest.mark.skipif(not (REAL / "manifest.json").exists(), reason="no built geo/")
def test_the_border_crosses_no_inland_water() -> None:
    """Why the border line and its segments are checked against land only."""
    layers = load_layers(REAL)
    border = [shape(f["geometry"]) for f in layers.features("border")
              if f["properties"].get("kind") == catalog.BORDER_LINE]
    water = shapely.union_all([shape(f["geometry"]) for f in layers.features("water")])
    assert border and all(line.intersection(water).length == 0 for line in border)


def test_the_base_map_answers_no_pointer() -> None:
    """No pointer cursor over countries that do nothing when clicked (Leaflet gives
    `leaflet-interactive`, and its pointer cursor, only to interactive paths)."""
    assert mapstyle.LAYER_STYLE["countries"]["interactive"] is False
    assert all(mapstyle.LAYER_STYLE[name].get("interactive", True)
               for name in catalog.MAP_LAYERS if name != "countries")


def test_every_map_layer_has_a_style_and_words() -> None:
    from laovn_map.i18n import LANGS
    from laovn_map.page.labels import layer_label

    for layer in catalog.MAP_LAYERS:
        assert layer in LAYER_STYLE, layer
        for lang in LANGS:
            assert layer_label(layer, lang).strip(), (layer, lang)
