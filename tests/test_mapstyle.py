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
