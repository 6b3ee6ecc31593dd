"""Every export in Lao (`--lang lo`, issue #24): the places named in Lao script as the build
names them, in the GeoPackage GDAL reads, the KML, the CSV, the offline HTML and the print."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pyogrio
import pytest

from laovn_map.export import features, kml, print_content
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.i18n import LANGUAGES
from laovn_map.page.labels import layer_label

from .conftest import csv_rows, export, saved

LAO = ExportState(lang="lo")
#: A few names of the real build in Lao, with where they come from (tests/build/test_lao_names.py)
LAO_NAMES = {"VN-71": "ດຽນບຽນ",  # iso-codes' Lao form of a Vietnamese province
             "LA-SV": "ສະຫວັນນະເຂດ",  # iso-codes
             "border": "ຊາຍແດນ ລາວ – ຫວຽດນາມ"}  # the countries by CLDR lo


def _tool(name: str, package: str) -> str:
    """The path of a command-line tool; a skip without it, a failure under CI=true."""
    found = shutil.which(name)
    if found is None:
        reason = f"{name} is missing: install Debian's {package}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true, so this is an error)")
        pytest.skip(reason)
    return found


@pytest.mark.slow
def test_gdal_reads_the_geopackages_display_names_in_lao(real: Layers, tmp_path: Path) -> None:
    path = saved(tmp_path, export(real, "gpkg", LAO), "gpkg")
    ogrinfo = _tool("ogrinfo", "gdal-bin")

    def names(table: str) -> dict[str, str]:
        out = subprocess.run([ogrinfo, "-ro", "-q", "-sql", f"SELECT id, display_name FROM {table}",
                              str(path)], capture_output=True, text=True, check=True).stdout
        rows: dict[str, str] = {}
        key = ""
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("id (String) = "):
                key = line.removeprefix("id (String) = ")
            elif line.startswith("display_name (String) = "):
                rows[key] = line.removeprefix("display_name (String) = ")
        return rows

    assert names("provinces_vn")["VN-71"] == LAO_NAMES["VN-71"]
    assert names("provinces_la")["LA-SV"] == LAO_NAMES["LA-SV"]
    assert names("border")["border"] == LAO_NAMES["border"]
    # a mission's city in Lao once, not "ຮ່າໂນ້ຍ (ຮ່າໂນ້ຍ)"
    embassy = names("embassies")["la-embassy-hanoi"]
    assert embassy.count("ຮ່າໂນ້ຍ") == 1, embassy


def test_kml_names_the_placemarks_in_lao(real: Layers) -> None:
    root = ET.fromstring(export(real, "kml", LAO))
    placemarks = {p.get("id"): p.findtext(f"{{{kml.KML_NS}}}name")
                  for p in root.iter(f"{{{kml.KML_NS}}}Placemark")}
    named = set(placemarks.values())
    for name in LAO_NAMES.values():
        assert name in named, name
    assert "ຫວຽດນາມ" in named  # the country, by CLDR lo
    assert "ໄທ" in named  # a neighbour, by CLDR lo


MISSION_LAYERS = ("embassies", "consulates")


def _mission_folders(real: Layers, state: ExportState) -> dict[str, list[str]]:
    """The missions' display names in the state's KML by folder (the layer named in its
    language)."""
    shown = features.shown_layers(real, state)
    return {layer_label(layer, state.lang): [features.feature_name(layer, f["properties"], state.lang)
                                            for f in shown[layer]]
            for layer in MISSION_LAYERS}


def _mission_props(real: Layers, state: ExportState) -> dict[str, list[dict[str, Any]]]:
    shown = features.shown_layers(real, state)
    return {layer_label(layer, state.lang): [f["properties"] for f in shown[layer]]
            for layer in MISSION_LAYERS}


@pytest.mark.slow
@pytest.mark.parametrize("lang", tuple(LANGUAGES))
def test_gdal_reads_a_missions_name_in_the_exports_language(real: Layers, tmp_path: Path,
                                                             lang: str) -> None:
    """GDAL (and QGIS) take the placemark's name, not the missions' English data property
    `name`, which the KML keeps as `name_data`."""
    state = ExportState(lang=lang)
    path = saved(tmp_path, export(real, "kml", state), "kml")
    names = _mission_folders(real, state)
    for folder, props in _mission_props(real, state).items():
        frame = pyogrio.read_dataframe(path, layer=folder, read_geometry=False)
        assert list(frame["Name"]) == names[folder]
        assert list(frame["name_data"]) == [p["name"] for p in props]
        assert not [c for c in frame.columns if c.lower() == "name" and c != "Name"]


@pytest.mark.slow
def test_the_systems_gdal_reads_the_consulate_in_pakse_by_its_lao_name(
        real: Layers, tmp_path: Path) -> None:
    """Debian 12's GDAL (3.6, QGIS's there) read the missions' English `name` as the Name."""
    path = saved(tmp_path, export(real, "kml", LAO), "kml")
    ogrinfo = _tool("ogrinfo", "gdal-bin")
    expected = _mission_folders(real, LAO)
    for folder, names in expected.items():
        out = subprocess.run([ogrinfo, "-ro", "-q", str(path), folder], capture_output=True,
                             text=True, check=True).stdout
        read = [line.strip().removeprefix("Name (String) = ") for line in out.splitlines()
                if line.strip().startswith("Name (String) = ")]
        assert read == names, folder
    assert "ສະຖານກົງສຸນຫວຽດນາມ, ປາກເຊ" in expected[layer_label("consulates", "lo")]


def test_csv_display_names_are_lao(real: Layers) -> None:
    rows = {r["id"]: r for r in csv_rows(export(real, "csv", LAO))}
    for key, name in LAO_NAMES.items():
        assert rows[key]["display_name"] == name, key
    pakse = rows["vn-consulate-pakse"]
    assert pakse["city_lo"] == "ປາກເຊ" and pakse["city_lo_rule"] == "geonames"
    assert pakse["display_name"].count("ປາກເຊ") == 1
    # numbers by CLDR lo: a decimal comma
    water = next(r for r in rows.values() if r["map_layer"] == "water")
    assert "," in water["display_name"] and "ກມ²" in water["display_name"]


def test_offline_html_is_a_lao_document(real: Layers) -> None:
    page = export(real, "html", LAO).decode("utf-8")
    assert '<html lang="lo">' in page
    assert LAO_NAMES["LA-SV"] in page and LAO_NAMES["VN-71"] in page


@pytest.mark.slow
def test_the_lao_print_names_each_place_once_in_lao(real: Layers) -> None:
    content = print_content.print_content(real, LAO)
    texts = [text for label in content.labels for text in label.texts]
    assert any(LAO_NAMES["VN-71"] in text for text in texts)
    for text in texts:  # never the Lao name under itself
        lines = text.split("\n")
        assert len(lines) == len(set(lines)), text
