"""laovn_map.export.tables: the GeoPackage and the CSV read back with GDAL (pyogrio) and the csv
module against what the map draws; formulas neutralised."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pyogrio
import pytest

from laovn_map.catalog import MAP_LAYERS, OSM_LAND, PERIOD_2025, PERIODS
from laovn_map.export import dispatch, formats, provenance, tables
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.i18n import LANGS
from laovn_map.page.labels import layer_label

from ..conftest import REAL
from ..layersets import copy_fixture, replace_layer
from .conftest import LAO_SCRIPT, csv_rows, export, exported_layers, map_counts, saved


@pytest.mark.parametrize("period", PERIODS)
def test_geopackage_has_one_table_per_shown_layer_with_the_maps_counts(
        layers: Layers, period: str, tmp_path: Path) -> None:
    state = ExportState(period=period, lang="vi")
    path = saved(tmp_path, export(layers, "gpkg", state), "gpkg")
    tables = {str(name): str(kind) for name, kind in pyogrio.list_layers(path)}
    want = {formats.table_name(layer, period): n for layer, n in map_counts(layers, period).items()}
    assert set(tables) == set(want)
    for table, count in want.items():
        info = pyogrio.read_info(path, layer=table)
        assert info["features"] == count, table
        assert info["crs"] == "EPSG:4326"
        layer = next(k for k in MAP_LAYERS if formats.table_name(k, period) == table)
        assert info["layer_metadata"]["IDENTIFIER"] == layer_label(layer, "vi", period)
    if period == PERIOD_2025:
        assert "provinces_vn_2025" in tables and "segments_2025" in tables


def test_geopackage_carries_credits_build_and_each_features_provenance(
        layers: Layers, tmp_path: Path) -> None:
    path = saved(tmp_path, export(layers, "gpkg"), "gpkg")
    meta = pyogrio.read_info(path, layer="provinces_la")["dataset_metadata"]
    assert OSM_LAND.credit_en in meta["CREDITS"] and "ODbL" in meta["CREDITS"]
    assert meta["ATTRIBUTION"] == layers.attribution_bytes.decode("utf-8")
    assert meta["MANIFEST_SHA256"] == hashlib.sha256(layers.manifest_bytes).hexdigest()
    assert meta["BUILD_WRITTEN"] == provenance.provenance(layers).written != ""
    frame = pyogrio.read_dataframe(path, layer="consulates")
    by_id = {f["properties"]["id"]: f["properties"] for f in layers.features("missions")}
    assert len(frame) > 0
    for row in frame.itertuples():
        props = by_id[row.id]
        assert (row.source_file, row.source_line, row.source_quote) == (
            props["source_file"], props["source_line"], props["source_quote"])
        assert row.credit.startswith("Wikipedia contributors (CC BY-SA 4.0)")  # it quotes


def test_geopackage_is_a_version_gdal_3_6_reads_without_a_warning(
        layers: Layers, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Debian 12's GDAL 3.6 knows GeoPackage up to 1.3 and warns that a later one "may only be
    partially supported": the header says 1.3, and GDAL opens it without a word."""
    import shutil
    import subprocess

    data = export(layers, "gpkg")
    assert data[68:72] == b"GPKG"  # application_id
    assert int.from_bytes(data[60:64], "big") == 10300  # user_version: 1.3.0
    path = saved(tmp_path, data, "gpkg")
    with caplog.at_level("DEBUG"):
        for name, _kind in pyogrio.list_layers(path):
            pyogrio.read_info(path, layer=name)
    assert not [r.getMessage() for r in caplog.records if r.levelname != "DEBUG"]
    if ogrinfo := shutil.which("ogrinfo"):  # the system's GDAL too, where it is installed
        done = subprocess.run([ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True,
                              text=True, check=True)
        assert "partially supported" not in done.stdout + done.stderr
        assert "Warning" not in done.stderr


def test_geopackage_geometry_is_the_full_layer(real: Layers, tmp_path: Path) -> None:
    import shapely
    from shapely.geometry import shape

    path = saved(tmp_path, export(real, "gpkg"), "gpkg")
    frame = pyogrio.read_dataframe(path, layer="provinces_vn")
    for row in frame.itertuples():
        full = shape(next(f["geometry"] for f in real.features("provinces_vn")
                          if f["properties"]["id"] == row.id))
        # every vertex as built (a Polygon may come back as a one-part MultiPolygon)
        assert np.array_equal(shapely.get_coordinates(row.geometry),
                              shapely.get_coordinates(full)), row.id


def test_csv_is_utf8_with_a_bom_a_row_per_feature_and_reads_back_with_gdal(
        layers: Layers, tmp_path: Path) -> None:
    data = export(layers, "csv", ExportState(lang="vi"))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = csv_rows(data)
    assert Counter(r["map_layer"] for r in rows) == Counter(map_counts(layers))
    frame = pyogrio.read_dataframe(saved(tmp_path, data, "csv"),
                                   GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
    assert len(frame) == len(rows)
    assert list(frame.columns[:3]) == ["map_layer", "table", "id"]  # the BOM is not in a name
    assert set(frame.geometry.geom_type) <= {"Point", "LineString", "MultiLineString", "Polygon",
                                            "MultiPolygon"}


def test_csv_keeps_vietnamese_lao_and_the_quotes_exactly(layers: Layers) -> None:
    rows = {r["id"]: r for r in csv_rows(export(layers, "csv", ExportState(lang="vi")))}
    checked = 0
    for fc in layers.collections.values():
        for f in fc["features"]:
            props = f["properties"]
            row = rows.get(str(props["id"]))
            if row is None:
                continue  # a layer the map does not show in this period
            for key in ("source_quote", "name_lo", "name_vi", "name_seed", "city_lo"):
                if props.get(key):
                    assert row[key] == str(props[key]), (props["id"], key)
                    checked += 1
            if props.get("source_line"):
                assert row["source_line"] == str(props["source_line"])
    assert checked
    if layers.geo_dir == REAL:  # the real build names the Lao provinces in Lao script
        assert any(LAO_SCRIPT.search(r["name_lo"]) for r in rows.values())
        assert any("Hủa-phăn" in r["display_name"] for r in rows.values())


def test_csv_points_have_lon_lat_and_everything_has_wkt(layers: Layers) -> None:
    for row in csv_rows(export(layers, "csv")):
        assert row["wkt"], row["id"]
        if row["wkt"].startswith("POINT"):
            assert row["wkt"] == f"POINT ({row['lon']} {row['lat']})"
        else:
            assert row["lon"] == row["lat"] == ""
        assert row["build"] and provenance.provenance(layers).manifest_sha256[:12] in row["build"]


#: The most characters a cell of Excel (and of LibreOffice Calc) holds; longer ones are cut.
SPREADSHEET_CELL_CHARS = 32_767


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_csv_cell_fits_a_spreadsheet_and_a_shortened_shape_says_by_how_much(
        layers: Layers, period: str, lang: str) -> None:
    """No cell over 32,767 characters; a WKT shortened to fit says how far it may stray from
    the full shape (`wkt_simplified_m`), which stays within that of it; the others are whole."""
    import shapely
    from shapely.geometry import shape

    rows = csv_rows(export(layers, "csv", ExportState(period=period, lang=lang)))
    long = [(r["id"], k, len(v)) for r in rows for k, v in r.items() if len(v) > SPREADSHEET_CELL_CHARS]
    assert not long, f"cells longer than a spreadsheet holds: {long}"
    full = {str(f["properties"]["id"]): shape(f["geometry"])
            for fc in layers.collections.values() for f in fc["features"]}
    for row in rows:
        geom, written = full[row["id"]], shapely.from_wkt(row["wkt"])
        if row["wkt_simplified_m"]:
            metres = float(row["wkt_simplified_m"])
            assert metres > 0 and written.geom_type.removeprefix("Multi") == \
                geom.geom_type.removeprefix("Multi")
            assert shapely.hausdorff_distance(written, geom) * 111_320 <= metres * 1.01, row["id"]
        else:
            assert shapely.equals_exact(written, geom, 1e-6) or written.equals(geom), row["id"]
    if layers.geo_dir == REAL and period == PERIODS[0]:  # the border line is far too long whole
        assert next(r for r in rows if r["id"] == "border")["wkt_simplified_m"]


HOSTILE_CELLS = {"source_quote": '=HYPERLINK("http://x","y")', "ambassador": "+1 555 0100",
                 "city": "@SUM(A1:A9)", "geonames_name": "-2+3", "name": "\tTab", "ambassador_title":
                 "\rReturn", "dataset": "a = b, not a formula"}


def test_csv_neutralises_text_a_spreadsheet_would_run_but_not_numbers_or_geometry(
        tmp_path: Path) -> None:
    """OWASP's CSV injection: a text cell starting with = + - @ tab or CR gets a leading quote;
    a column of numbers (negative ones too) and the WKT are written as they are."""
    geo = copy_fixture(tmp_path / "geo")
    collection = json.loads((geo / "missions.geojson").read_bytes())
    for feature in collection["features"]:
        feature["properties"].update(HOSTILE_CELLS, depth_m=-12.5, geonames_id=-1650000)
    replace_layer(geo, "missions.geojson", json.dumps(collection, ensure_ascii=False).encode())
    rows = csv_rows(dispatch.export(load_layers(geo), "csv", ExportState(layers=("embassies",))))
    assert rows
    for row in rows:
        for key, text in HOSTILE_CELLS.items():
            assert row[key] == (text if key == "dataset" else "'" + text), key
        assert (row["depth_m"], row["geonames_id"]) == ("-12.5", "-1650000")
        assert row["wkt"] == f"POINT ({row['lon']} {row['lat']})"
        assert float(row["lon"]) and float(row["lat"])


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("1-2", "1-2"), (" =1", " =1"), ("", ""), ("Hà Nội", "Hà Nội"),
])
def test_a_text_cell_is_neutralised_when_it_starts_like_a_formula(cell: str, shown: str) -> None:
    assert tables.neutralised(cell) == shown


def test_geopackage_and_csv_of_a_statement_carry_its_id_date_and_quote(tmp_path: Path) -> None:
    layers = exported_layers("fixture")
    state = ExportState(event="vi-005-0")
    path = saved(tmp_path, dispatch.export(layers, "gpkg", state), "gpkg")
    meta = pyogrio.read_info(path, layer="events")["dataset_metadata"]
    assert (meta["EXPORT_EVENT"], meta["EVENT_DATE"], meta["EVENT_SOURCE"]) == (
        "vi-005-0", "4/9/1945", "quan-he-lao-viet-nam.vi.txt:5")
    assert meta["EVENT_QUOTE"].startswith("Ngày 4/9/1945, Chủ tịch Hồ Chí Minh")
    rows = csv_rows(dispatch.export(layers, "csv", state))
    assert {(r["statement_id"], r["statement_date"], r["statement_source"]) for r in rows} == {
        ("vi-005-0", "4/9/1945", "quan-he-lao-viet-nam.vi.txt:5")}
    assert rows[0]["statement_quote"].startswith("Ngày 4/9/1945, Chủ tịch Hồ Chí Minh")
    # the row of the feature the statement selects says so, as the map marks it
    assert {r["id"] for r in rows if r["statement_marks"] == "true"} == {
        "vi-005-0-geonames-1562798"}
    assert "statement_id" not in csv_rows(dispatch.export(layers, "csv", ExportState()))[0]
