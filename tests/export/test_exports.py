"""laovn_map.export.exports: every export read back with GDAL (pyogrio) or as the format is read, against
what the map itself draws; provenance, determinism, bad states, fonts, and concurrency."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import tempfile
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
from PIL import Image

from laovn_map.catalog import MAP_LAYERS, OSM_LAND, PERIOD_2025, PERIOD_TEXT, PERIODS
from laovn_map.errors import ExportError
from laovn_map.export import exports
from laovn_map.export.exports import ExportState
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.page import browserdata
from laovn_map.page.labels import esc, layer_label
from laovn_map.page.mapstyle import COLOURS

from ..conftest import FIXTURE, REAL
from ..layersets import LAYER_SETS, copy_fixture, layer_set, replace_layer
from ..page.test_mapview import applied_state

KML = f"{{{exports.KML_NS}}}"
LAO_SCRIPT = re.compile("[\u0e80-\u0eff]")
DEFAULT = ExportState()


@cache
def _layers(name: str) -> Layers:
    return load_layers(layer_set(name))


@pytest.fixture(scope="module", params=LAYER_SETS)
def layers(request: pytest.FixtureRequest) -> Layers:
    return _layers(request.param)


@pytest.fixture(scope="module")
def real() -> Layers:
    if "geo" not in LAYER_SETS:
        pytest.skip("no committed build in geo/")
    return _layers("geo")


@cache
def _export(name: str, fmt: str, state: ExportState = DEFAULT) -> bytes:
    """Each export once per test run: the real layers take a second or two per print."""
    return exports.export(_layers(name), fmt, state)


def export(layers: Layers, fmt: str, state: ExportState = DEFAULT) -> bytes:
    name = "fixture" if layers.geo_dir == FIXTURE else "geo"
    return _export(name, fmt, state)


def map_counts(layers: Layers, period: str = PERIOD_TEXT) -> dict[str, int]:
    """How many features the map itself draws per map layer in `period` (the data its script
    draws, read back as the browser reads it: the period's own layers replace the text's)."""
    prepared = browserdata.prepare_layers(layers.collections, period=period)
    drawn = browserdata.drawn_layers("".join(f"laovnDraw({p.data_json}, g);"
                                             for p in prepared.values()))
    return {data["layer"]: len(data["features"]) for data in drawn if data["features"]}


def saved(tmp_path: Path, data: bytes, fmt: str) -> Path:
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(data)
    return path


# --- the state -----------------------------------------------------------------------------------

def test_a_state_is_one_cache_key_and_refuses_bad_values() -> None:
    assert ExportState(layers=("consulates", "countries")) == ExportState(
        layers=("countries", "consulates"))
    assert len({ExportState(), ExportState(), ExportState(lang="vi")}) == 2
    for bad, message in (({"layers": ("rivers",)}, "unknown layer 'rivers'"),
                         ({"period": "1975"}, "unknown period '1975'"),
                         ({"lang": "lo"}, "unknown language 'lo'"),
                         ({"view": (20.0, 100.0, 10.0, 110.0)}, "view"),
                         ({"view": (10.0, 100.0, float("nan"), 110.0)}, "view"),
                         ({"view": (10.0, 100.0, 20.0)}, "view"),
                         ({"view": ("s", "w", "n", "e")}, "view"),
                         ({"timeline": ("1977-12-31", "1945-01-01")}, "timeline"),
                         ({"timeline": ("1945", "1977")}, "timeline"),
                         ({"timeline": ("1945-01-01",)}, "timeline")):
        with pytest.raises(ExportError, match=re.escape(message)):
            ExportState(**bad)  # type: ignore[arg-type]
    for size, message in (("b5", "paper 'b5'"), ("10x10", "each side"), ("a4-huge", "paper")):
        with pytest.raises(ExportError, match=message):
            exports.page_size(size)
    with pytest.raises(ExportError, match="choose 50–600"):
        exports.page_size("a4", 20)
    with pytest.raises(ExportError, match="million pixels"):
        exports.page_size("1000x1000", 600)
    assert exports.page_size("A3").pixels == (4961, 3508)
    assert exports.page_size("210x297", 100).pixels == (827, 1169)
    with pytest.raises(ExportError, match="unknown export format 'svg'"):
        exports.export_format("svg")


def test_file_names_are_ascii_say_what_they_hold_and_differ_per_state() -> None:
    states = [ExportState(), ExportState(lang="vi"), ExportState(period=PERIOD_2025),
              ExportState(layers=("provinces_vn", "embassies")),
              ExportState(page=exports.page_size("a3", 150)),
              ExportState(view=(15.0, 104.0, 18.0, 107.0)),
              ExportState(timeline=("1945-01-01", "1977-12-31"))]
    for fmt in exports.FORMATS:
        names = [exports.file_name(fmt, state) for state in states]
        for name in names:
            assert re.fullmatch(r"[A-Za-z0-9._-]+", name), name
            assert name.endswith(f".{exports.FORMATS[fmt].extension}")
        distinct = 7 if fmt in exports.PRINTS else 5  # paper and view matter to prints only
        assert len(set(names)) == distinct, names
    assert exports.file_name("gpkg", ExportState()) == "laovn-map-en-all.gpkg"
    assert exports.file_name("png", states[4]) == "laovn-map-en-all-a3-150dpi.png"
    assert "since2025" in exports.file_name("csv", states[2])
    assert exports.file_name("kml", states[6]) == "laovn-map-en-all-1945-1977.kml"


@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_no_visible_layer_is_an_error_not_an_empty_file(fmt: str) -> None:
    layers = _layers("fixture")
    with pytest.raises(ExportError, match="no layer is visible"):
        exports.export(layers, fmt, ExportState(layers=()))
    # visible layers that hold nothing: the same refusal, naming them
    empty = dataclasses.replace(layers, collections={
        **layers.collections, "missions": {**layers.collections["missions"], "features": []}})
    with pytest.raises(ExportError, match=r"visible layers \(embassies, consulates\) hold no"):
        exports.export(empty, fmt, ExportState(layers=("embassies", "consulates")))


def test_what_is_shown_is_what_the_map_draws(layers: Layers) -> None:
    for period in PERIODS:
        shown = exports.shown_layers(layers, ExportState(period=period))
        assert {k: len(v) for k, v in shown.items()} == map_counts(layers, period)
    only = exports.shown_layers(layers, ExportState(layers=("consulates", "border")))
    assert list(only) == ["border", "consulates"]  # the map's order, whatever was asked


def test_the_timeline_leaves_out_the_events_outside_its_range(layers: Layers,
                                                              tmp_path: Path) -> None:
    """As on the map: an event is kept when its dates meet the range (an undated one always)."""
    events = exports.shown_layers(layers, DEFAULT).get("events")
    if not events:
        pytest.skip("no event with a place in this layer set")
    dated = sorted({str(f["properties"]["start"]) for f in events if f["properties"].get("start")})
    first_day = dated[0]
    state = ExportState(timeline=(first_day, first_day))
    kept = exports.shown_layers(layers, state).get("events", [])
    want = [f for f in events if not f["properties"].get("start")
            or f["properties"]["start"] <= first_day <= f["properties"]["end"]]
    assert [f["properties"]["id"] for f in kept] == [f["properties"]["id"] for f in want]
    assert 0 < len(kept) < len(events) or len(set(dated)) == 1
    # every format follows it; the other layers are untouched
    rows = _csv_rows(export(layers, "csv", state))
    assert Counter(r["map_layer"] for r in rows)["events"] == len(kept)
    path = saved(tmp_path, export(layers, "gpkg", state), "gpkg")
    assert len(pyogrio.read_dataframe(path, layer="events")) == len(kept)
    assert len(pyogrio.read_dataframe(path, layer="consulates")) == len(
        exports.shown_layers(layers, DEFAULT)["consulates"])
    # outside every event: no events table at all, and the print says the range
    none = ExportState(timeline=("0001-01-01", "0001-12-31"))
    assert "events" not in exports.shown_layers(layers, none) or all(
        not f["properties"].get("start") for f in exports.shown_layers(layers, none)["events"])
    assert "0001" in exports.print_content(layers, none).subtitle


# --- GeoPackage -----------------------------------------------------------------------------------

@pytest.mark.parametrize("period", PERIODS)
def test_geopackage_has_one_table_per_shown_layer_with_the_maps_counts(
        layers: Layers, period: str, tmp_path: Path) -> None:
    state = ExportState(period=period, lang="vi")
    path = saved(tmp_path, export(layers, "gpkg", state), "gpkg")
    tables = {str(name): str(kind) for name, kind in pyogrio.list_layers(path)}
    want = {exports.table_name(layer, period): n for layer, n in map_counts(layers, period).items()}
    assert set(tables) == set(want)
    for table, count in want.items():
        info = pyogrio.read_info(path, layer=table)
        assert info["features"] == count, table
        assert info["crs"] == "EPSG:4326"
        layer = next(k for k in MAP_LAYERS if exports.table_name(k, period) == table)
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
    assert meta["BUILD_WRITTEN"] == exports.provenance(layers).written != ""
    frame = pyogrio.read_dataframe(path, layer="consulates")
    by_id = {f["properties"]["id"]: f["properties"] for f in layers.features("missions")}
    assert len(frame) > 0
    for row in frame.itertuples():
        props = by_id[row.id]
        assert (row.source_file, row.source_line, row.source_quote) == (
            props["source_file"], props["source_line"], props["source_quote"])
        assert row.credit.startswith("Wikipedia contributors (CC BY-SA 4.0)")  # it quotes


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


# --- KML ---------------------------------------------------------------------------------------------

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
        shown = exports.shown_layers(layers, state)[layer]
        assert list(frame["Name"]) == [exports.feature_name(layer, f["properties"], "vi")
                                       for f in shown]


def test_kml_describes_each_placemark_with_its_quote_and_styles_it_like_the_map(
        layers: Layers) -> None:
    root = ET.fromstring(export(layers, "kml"))
    document = root.find(f"{KML}Document")
    assert document is not None
    styles = {s.get("id"): s for s in document.findall(f"{KML}Style")}
    description = document.findtext(f"{KML}description") or ""
    assert OSM_LAND.credit_en in description and "ODbL" in description
    assert exports.provenance(layers).manifest_sha256[:12] in description
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


# --- CSV ---------------------------------------------------------------------------------------------

def _csv_rows(data: bytes) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)  # the border line's WKT is longer than the default 128 KiB
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_is_utf8_with_a_bom_a_row_per_feature_and_reads_back_with_gdal(
        layers: Layers, tmp_path: Path) -> None:
    data = export(layers, "csv", ExportState(lang="vi"))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = _csv_rows(data)
    assert Counter(r["map_layer"] for r in rows) == Counter(map_counts(layers))
    frame = pyogrio.read_dataframe(saved(tmp_path, data, "csv"),
                                   GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
    assert len(frame) == len(rows)
    assert list(frame.columns[:3]) == ["map_layer", "table", "id"]  # the BOM is not in a name
    assert set(frame.geometry.geom_type) <= {"Point", "LineString", "MultiLineString", "Polygon",
                                            "MultiPolygon"}


def test_csv_keeps_vietnamese_lao_and_the_quotes_exactly(layers: Layers) -> None:
    rows = {r["id"]: r for r in _csv_rows(export(layers, "csv", ExportState(lang="vi")))}
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
    for row in _csv_rows(export(layers, "csv")):
        assert row["wkt"], row["id"]
        if row["wkt"].startswith("POINT"):
            assert row["wkt"] == f"POINT ({row['lon']} {row['lat']})"
        else:
            assert row["lon"] == row["lat"] == ""
        assert row["build"] and exports.provenance(layers).manifest_sha256[:12] in row["build"]


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
    rows = _csv_rows(exports.export(load_layers(geo), "csv", ExportState(layers=("embassies",))))
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
    assert exports.neutralised(cell) == shown


# --- determinism, purity, concurrency -------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "kml", "gpkg", "html"])
def test_the_same_state_gives_the_same_bytes(fmt: str) -> None:
    layers = _layers("fixture")
    state = ExportState(lang="vi", period=PERIOD_2025)
    assert exports.export(layers, fmt, state) == exports.export(layers, fmt, state)


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_exports_write_nothing_into_the_layer_folder_and_leave_no_temporary_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a temporary folder of this test's own: other tests export at the same time (pytest-xdist)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    geo = copy_fixture(tmp_path / "geo")
    before, temp_before = _files(geo), set(Path(tempfile.gettempdir()).glob("laovn-export-*"))
    layers = load_layers(geo)
    small = ExportState(page=exports.page_size("a4", 50))
    for fmt in exports.FORMATS:
        assert exports.export(layers, fmt, small)
    assert _files(geo) == before
    assert set(Path(tempfile.gettempdir()).glob("laovn-export-*")) == temp_before


def test_twenty_concurrent_exports_give_twenty_correct_files() -> None:
    layers = _layers("fixture")
    jobs = [(fmt, ExportState(lang=("en", "vi")[i % 2],
                              page=exports.page_size("a4", 50)))
            for i, fmt in enumerate(["csv", "kml", "gpkg", "html", "png"] * 4)]
    want = {job: exports.export(layers, *job) for job in set(jobs)}
    got: list[bytes | BaseException] = [b""] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        start.wait()
        try:
            got[i] = exports.export(layers, *jobs[i])
        except BaseException as exc:  # reported below
            got[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [g if isinstance(g, BaseException) else g == want[job]
            for g, job in zip(got, jobs, strict=True)] == [True] * len(jobs)


# --- the offline HTML map ------------------------------------------------------------------------

def test_html_is_one_offline_file_of_the_maps_layers_in_the_states_language(
        layers: Layers) -> None:
    page = export(layers, "html", ExportState(lang="vi")).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert f"<title>{esc('Quan hệ Lào – Việt Nam trên bản đồ')}</title>" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "data:text/javascript;base64," in page  # Leaflet, inlined
    drawn = {d["layer"]: len(d["features"]) for d in browserdata.drawn_layers(page)
             if d["features"]}
    assert drawn == map_counts(layers)
    sha = exports.provenance(layers).manifest_sha256
    assert f'name="laovn-manifest-sha256" content="{sha}"' in page
    assert "<script>alert(1)</script>" not in page  # the fixture's hostile strings stay text
    call = page[page.index("laovn.apply(Object"):]
    texts = applied_state(call[:call.index("}));") + 4])["texts"]
    assert texts["lang"] == "vi"
    popups = " ".join(f[1] for layer in texts["layers"].values()
                      for f in layer["features"].values())
    for f in layers.features("missions"):
        assert esc(str(f["properties"]["source_quote"]).split("\n")[0]) in popups


def test_html_shows_only_the_visible_layers(layers: Layers) -> None:
    page = exports.to_html(layers, ExportState(layers=("provinces_la", "consulates"))).decode()
    # every layer is in the file (its layer control can turn them on); the others start off
    drawn = [d["layer"] for d in browserdata.drawn_layers(page)]
    assert drawn == list(MAP_LAYERS)
    off = json.loads(re.search(r'"off":(\[[^\]]*\])', page).group(1))  # type: ignore[union-attr]
    assert off == [n for n in MAP_LAYERS if n not in ("provinces_la", "consulates")]


# --- the print ------------------------------------------------------------------------------------

def test_the_prints_fonts_are_installed_and_cover_every_text_it_draws(real: Layers) -> None:
    assert [p.name for p in exports.font_files()] == ["NotoSans-Regular.ttf",
                                                     "NotoSansLao-Regular.ttf"]
    for lang in ("en", "vi"):
        for period in PERIODS:
            texts = exports.print_texts(real, ExportState(lang=lang, period=period))
            assert exports.missing_glyphs(texts) == {}, (lang, period)
            joined = "\n".join(texts)
            assert LAO_SCRIPT.search(joined), "no Lao script to check"
            if lang == "vi":
                assert "ệ" in joined and "ư" in joined
    # the check itself finds a character no font has: Tibetan, and a private-use one
    assert set(exports.missing_glyphs(["Hà Nội ༀ", "\ue000"])) == {"ༀ", "\ue000"}


def test_a_name_the_fonts_cannot_draw_stops_the_print(tmp_path: Path) -> None:
    layers = _layers("fixture")
    provinces = json.loads(json.dumps(layers.collections["provinces_la"]))
    provinces["features"][0]["properties"]["name_lo"] = "ༀ"
    broken = dataclasses.replace(layers, collections={**layers.collections,
                                                      "provinces_la": provinces})
    for fmt in exports.PRINTS:
        with pytest.raises(ExportError, match=r"lack U\+0F00"):
            exports.export(broken, fmt, ExportState(page=exports.page_size("a4", 50)))


def _non_background_share(image: Image.Image) -> float:
    pixels = np.asarray(image.convert("RGB"))
    return float(np.mean(np.any(pixels < 245, axis=2)))


def _near(image: Image.Image, css: str, tolerance: int = 6) -> int:
    pixels = np.asarray(image.convert("RGB")).astype(int)
    colour = np.array([int(css[i:i + 2], 16) for i in (1, 3, 5)])
    return int(np.sum(np.all(np.abs(pixels - colour) <= tolerance, axis=2)))


def test_png_is_a4_at_300_dpi_with_real_content_and_its_provenance(real: Layers) -> None:
    data = export(real, "png", ExportState(lang="vi"))
    image = Image.open(io.BytesIO(data))
    assert image.size == (3508, 2480)
    assert round(image.info["dpi"][0]) == 300
    assert _non_background_share(image) > 0.5  # the map fills most of the sheet
    for colour in ("sea", "party", "neighbour", "vn", "la", "border"):
        assert _near(image, COLOURS[colour], 16) > 2000, colour  # drawn in the map's colours
    assert exports.provenance(real).manifest_sha256[:12] in image.info["Source"]
    assert "OpenStreetMap" in image.info["Copyright"]
    quotes = json.loads(image.info["laovn-map features"])
    shown = exports.shown_layers(real, ExportState())
    want = {(str(f["properties"]["source_file"]), str(f["properties"]["source_line"]))
            for fs in shown.values() for f in fs if f["properties"].get("source_quote")}
    assert {(q["file"], str(q["line"])) for q in quotes} >= want


def test_png_takes_a_chosen_size_and_view(layers: Layers) -> None:
    state = ExportState(page=exports.page_size("210x297", 100), view=(15.0, 104.0, 18.0, 107.5))
    image = Image.open(io.BytesIO(export(layers, "png", state)))
    assert image.size == (827, 1169)
    assert _non_background_share(image) > 0.5


def test_png_is_stable() -> None:
    layers = _layers("fixture")
    state = ExportState(page=exports.page_size("a4", 60))
    assert exports.export(layers, "png", state) == exports.export(layers, "png", state)


def test_pdf_is_the_map_then_every_quote_with_its_file_and_line(real: Layers) -> None:
    state = ExportState(lang="vi")
    data = export(real, "pdf", state)
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 2
    assert b"NotoSans" in data and b"NotoSansLao" in data  # both fonts embedded
    content = exports.print_content(real, state)
    written = "\n".join(text.get_text() for fig in exports._source_pages(content)
                        for text in fig.texts)
    for quote in content.quotes:
        assert f"{quote.file}:{quote.line}" in written
        for line in quote.text.split("\n"):
            assert line.split(" ")[0] in written


def test_every_export_names_the_build_it_comes_from(layers: Layers) -> None:
    sha = exports.provenance(layers).manifest_sha256[:12]
    small = ExportState(page=exports.page_size("a4", 50))
    for fmt in ("kml", "csv", "html"):
        assert sha.encode() in export(layers, fmt), fmt
    assert sha.encode() in export(layers, "pdf", small)  # in the Keywords
    assert sha in Image.open(io.BytesIO(export(layers, "png", small))).info["Source"]


def _iter_quotes(layers: Layers) -> Iterator[dict[str, Any]]:
    for fc in layers.collections.values():
        yield from (f["properties"] for f in fc["features"] if f["properties"].get("source_quote"))


def test_feature_credits_name_the_datasets_it_shows(real: Layers) -> None:
    for props in _iter_quotes(real):
        credit = exports.feature_credit(props, "en")
        assert credit.startswith("Wikipedia contributors (CC BY-SA 4.0)")
        if "OpenStreetMap" in str(props.get("dataset")):
            assert "© OpenStreetMap contributors (ODbL 1.0)" in credit
