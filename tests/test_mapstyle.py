"""laovn_map.mapstyle: a style for every map layer, each country in its own colour."""

from __future__ import annotations

from laovn_map import catalog, mapstyle


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


def test_every_label_kind_is_a_laovn_label() -> None:
    assert all(cls.split()[0] == "laovn-label" for cls in mapstyle.LABEL_CLASS.values())
    assert ".laovn-label-hidden span { visibility: hidden; }" in mapstyle.CSS
