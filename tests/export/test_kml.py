"""laovn_map.export.kml: the KML read back with GDAL and as XML: a folder per layer, each
placemark described by its quote and styled like the map."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio

from laovn_map.catalog import MAP_LAYERS, OSM_LAND
from laovn_map.export import dispatch, features, kml, provenance
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.page.labels import esc, layer_label
from laovn_map.page.mapstyle import COLOURS

from .conftest import export, exported_layers, map_counts, saved

KML = f"{{{kml.KML_NS}}}"


def test_kml_reads_back_with_gdal_folder_per_layer_named_and_counted(
        layers: Layers, tmp_path: Path) -> None:
    state = ExportState(lang="vi")
    path = saved(tmp_path, export(layers, "kml", state), "kml")
    labels = {layer_label(k, "vi"): k for k in MAP_LAYERS}
    folders = {str(name) for name, _kind in pyogrio.list_layers(path)}
    counts = map_counts(layers)
    assert folders == {layer_label(k, "vi") for k in counts}
    for folder in folders:
        frame = pyogrio.read_dataframe(path, layer=folder)
        layer = labels[folder]
        assert len(frame) == counts[layer], folder
        shown = features.shown_layers(layers, state)[layer]
        assert list(frame["Name"]) == [features.feature_name(layer, f["properties"], "vi")
                                       for f in shown]


def test_kml_describes_each_placemark_with_its_quote_and_styles_it_like_the_map(
        layers: Layers) -> None:
    root = ET.fromstring(export(layers, "kml"))
    document = root.find(f"{KML}Document")
    assert document is not None
    styles = {s.get("id"): s for s in document.findall(f"{KML}Style")}
    description = document.findtext(f"{KML}description") or ""
    assert OSM_LAND.credit_en in description and "ODbL" in description
    assert provenance.provenance(layers).manifest_sha256[:12] in description
    quoted = {f["properties"]["id"]: f["properties"] for fc in layers.collections.values()
              for f in fc["features"] if f["properties"].get("source_quote")}
    seen = 0
    for placemark in root.iter(f"{KML}Placemark"):
        style_url = placemark.findtext(f"{KML}styleUrl") or ""
        assert style_url.lstrip("#") in styles, style_url
        fid = next(d.text for d in placemark.iter(f"{KML}SimpleData") if d.get("name") == "id")
        if fid in quoted:
            seen += 1
            first_line = str(quoted[fid]["source_quote"]).split("\n")[0]
            assert esc(first_line) in (placemark.findtext(f"{KML}description") or ""), fid
    assert seen == len(quoted)
    vn = styles["provinces_vn-0"]
    red, green, blue = COLOURS["vn"][1:3], COLOURS["vn"][3:5], COLOURS["vn"][5:7]
    assert vn.findtext(f"{KML}PolyStyle/{KML}color") == f"38{blue}{green}{red}"  # 0.22 opacity
    assert vn.findtext(f"{KML}LineStyle/{KML}color") == f"ff{blue}{green}{red}"


def test_kml_of_a_statement_describes_it_in_the_document_escaped() -> None:
    layers = exported_layers("fixture")
    root = ET.fromstring(dispatch.export(layers, "kml", ExportState(event="en-010-0")))
    description = root.find(f"{KML}Document").findtext(f"{KML}description") or ""  # type: ignore[union-attr]
    quote = str(next(e for e in layers.figures["events"]
                     if e["id"] == "en-010-0")["source_quote"])
    assert "The statement shown: July 1977 (English text), laos-vietnam-relations.en.txt:10" \
        in description
    assert esc(quote) in description and "<img" not in description  # the hostile quote is text
    assert "The Vietnamese text, Năm 1977: Năm 1977, hai nước" in description
