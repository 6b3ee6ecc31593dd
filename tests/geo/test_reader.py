"""laovn_map.geo.reader: the page's one input, checked file by file and geometry by geometry."""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from laovn_map import catalog
from laovn_map.errors import LayerError
from laovn_map.geo import reader

from ..conftest import FIXTURE
from ..layersets import (
    LAYER_SETS,
    TAMPERED,
    copy_fixture,
    fifo_in_place_of,
    layer_set,
    replace_layer,
    rewrite_manifest,
)

SQUARE = [[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 11.0], [100.0, 10.0]]


@pytest.fixture
def geo(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "geo")


def _layer_entry(name: str, **changes: Any) -> Callable[[dict[str, Any]], None]:
    def edit(manifest: dict[str, Any]) -> None:
        for entry in manifest["layers"]:
            if entry["file"] == name:
                entry.update(changes)
    return edit


def _load_error(geo: Path) -> str:
    with pytest.raises(LayerError) as err:
        reader.load_layers(geo)
    message = str(err.value)
    assert "python3 dev.py build" in message
    assert str(geo.parent) not in message  # no absolute path: messages reach visitors
    return message


@pytest.mark.parametrize(("damage", "words"), [
    (lambda g: (g / "border.geojson").unlink(), "border.geojson: file is missing"),
    (lambda g: (g / "manifest.json").unlink(), "manifest.json: file is missing"),
    (lambda g: (g / "border.geojson").write_text("{nope"), "border.geojson: checksum"),
    (lambda g: (g / "manifest.json").write_text("[]"), "not a manifest"),
    (lambda g: rewrite_manifest(g, _layer_entry("segments.geojson", features=99)),
     "has 2 features, the manifest says 99"),
    (lambda g: rewrite_manifest(g, _layer_entry("border.geojson", file="other.geojson")),
     "does not list border.geojson"),
    (lambda g: (g / "ATTRIBUTION.md").unlink(), "ATTRIBUTION.md: file is missing"),
    (lambda g: (g / "ATTRIBUTION.md").write_text("# no credits"), "ATTRIBUTION.md: checksum"),
    (lambda g: rewrite_manifest(g, lambda m: m.update(
        layers=[e for e in m["layers"] if e["file"] != "ATTRIBUTION.md"])),
     "does not list ATTRIBUTION.md"),
    (lambda g: rewrite_manifest(g, lambda m: m.pop("figures")), "lacks 'figures'"),
])
def test_loader_rejects_damage(geo: Path, damage: Callable[[Path], object], words: str) -> None:
    damage(geo)
    assert words in _load_error(geo)


def test_old_build_without_texts_is_refused_with_rebuild(geo: Path) -> None:
    rewrite_manifest(geo, lambda m: m.pop("texts"))
    assert "manifest.json: lists no seed texts" in _load_error(geo)


@pytest.mark.parametrize(("damage", "words"), [
    (lambda g, f: (g / f).write_text("changed", encoding="utf-8"),
     "seeds/laos-vietnam-relations.en.txt: checksum"),
    (lambda g, f: (g / f).unlink(), "seeds/laos-vietnam-relations.en.txt: file is missing"),
    (lambda g, f: rewrite_manifest(g, lambda m: m["texts"][0].update(file="../seeds/x.txt")),
     "is not a file in seeds/"),
    (lambda g, f: rewrite_manifest(g, lambda m: m["texts"][0].update(language="fr")),
     "has language 'fr'"),
    # a quote whose text the build did not ship: the Sources section could not show it
    (lambda g, f: rewrite_manifest(g, lambda m: m.update(texts=m["texts"][1:])),
     "quotes seeds/laos-vietnam-relations.en.txt, which the manifest does not list"),
])
def test_texts_are_checked_like_the_layers(geo: Path, damage: Callable[[Path, str], object],
                                           words: str) -> None:
    damage(geo, "seeds/laos-vietnam-relations.en.txt")
    assert words in _load_error(geo)


def test_texts_are_returned_by_file(geo: Path) -> None:
    layers = reader.load_layers(geo)
    text = layers.texts["seeds/laos-vietnam-relations.en.txt"]
    assert (text.language, text.name) == ("en", "laos-vietnam-relations.en.txt")
    assert text.text == (geo / text.file).read_text(encoding="utf-8")
    assert {layers.texts[f].language for f in layers.texts} == {"en", "vi"}
    # every quote's source_file is one of them
    assert {f["properties"]["source_file"] for f in layers.features("missions")} <= set(layers.texts)


#: case → (file, feature id, the geometry put into it)
BAD_GEOMETRY: dict[str, tuple[str, str, Any]] = {
    "geometry collection": ("provinces_vn.geojson", "VN-05", {
        "type": "GeometryCollection", "geometries": [{"type": "Polygon",
                                                      "coordinates": [SQUARE]}]}),
    "two-point ring": ("provinces_vn.geojson", "VN-05", {
        "type": "Polygon", "coordinates": [[[100.0, 10.0], [101.0, 10.0]]]}),
    "point among polygons": ("provinces_la.geojson", "LA-HO", {
        "type": "Point", "coordinates": [103.3, 21.1]}),
    "bow-tie": ("provinces_la.geojson", "LA-HO", {
        "type": "Polygon", "coordinates": [[[100.0, 10.0], [101.0, 11.0], [101.0, 10.0],
                                            [100.0, 11.0], [100.0, 10.0]]]}),
    "unclosed ring": ("countries.geojson", "THA", {
        "type": "Polygon", "coordinates": [[*SQUARE[:-1], [100.5, 10.5]]]}),
    "NaN coordinate": ("missions.geojson", "vn-consulate-pakse", {
        "type": "Point", "coordinates": [math.nan, 15.1167]}),
    "infinite coordinate": ("segments.geojson", "segment-00", {
        "type": "LineString", "coordinates": [[102.14, 22.4], [math.inf, 21.7]]}),
    "not a longitude": ("missions.geojson", "vn-consulate-pakse", {
        "type": "Point", "coordinates": [15.1167, 105.7833e3]}),
    "one-point line": ("segments.geojson", "segment-00", {
        "type": "LineString", "coordinates": [[102.14, 22.4]]}),
    "text as a number": ("missions.geojson", "vn-consulate-pakse", {
        "type": "Point", "coordinates": ["105.78", 15.1167]}),
    "integer beyond a float": ("missions.geojson", "vn-consulate-pakse", {
        "type": "Point", "coordinates": [10**400, 15.1167]}),
}
WORDS = {
    "geometry collection": "geometry type 'GeometryCollection' where this layer holds Polygon",
    "two-point ring": "a ring has 2 positions",
    "point among polygons": "geometry type 'Point' where this layer holds Polygon",
    "bow-tie": "invalid polygon (Self-intersection",
    "unclosed ring": "a ring is not closed",
    "NaN coordinate": "coordinate (nan, 15.1167) is not a finite number",
    "infinite coordinate": "coordinate (inf, 21.7) is not a finite number",
    "not a longitude": "coordinate (15.1167, 105783.3) is not a longitude and latitude",
    "one-point line": "a line has fewer than 2 positions",
    "text as a number": "position ['105.78', 15.1167] is not 2 or 3 numbers",
    "integer beyond a float": f"coordinate ({10**400}, 15.1167) is not a finite number",
}


def write_bad_geometry(geo: Path, case: str) -> str:
    """Put case `case` of BAD_GEOMETRY into the copy `geo`, with a valid checksum; returns the
    start of the message the loader must give."""
    file, fid, geometry = BAD_GEOMETRY[case]
    obj = json.loads((geo / file).read_text(encoding="utf-8"))
    (feature,) = (f for f in obj["features"] if f["properties"]["id"] == fid)
    feature["geometry"] = geometry
    # Python's json writes (and reads) NaN and Infinity: the loader must not trust it
    replace_layer(geo, file, json.dumps(obj, ensure_ascii=False).encode())
    return f"{file} feature {fid}: {WORDS[case]}"


@pytest.mark.parametrize("case", list(BAD_GEOMETRY))
def test_bad_geometry_with_a_valid_checksum_is_refused(geo: Path, case: str) -> None:
    words = write_bad_geometry(geo, case)
    message = _load_error(geo)
    assert message.startswith(words), message


def test_unknown_mission_kind_is_refused(geo: Path) -> None:
    obj = json.loads((geo / "missions.geojson").read_text(encoding="utf-8"))
    obj["features"][0]["properties"]["kind"] = "trade office"
    replace_layer(geo, "missions.geojson", json.dumps(obj).encode())
    assert "missions.geojson feature vn-embassy-vientiane: kind 'trade office'" \
        in _load_error(geo)


@pytest.mark.parametrize(("change", "words"), [
    ({"start": "1977-02-31"}, "dates '1977-02-31'–'1977-07-31' are not ISO dates"),
    ({"end": None}, "dates '1977-07-01'–None are not ISO dates"),
    ({"start": "1978-01-01"}, "ends (1977-07-31) before it starts (1978-01-01)"),
    ({"precision": "week"}, "precision 'week' is not one of day, month, year, decade, century"),
])
def test_an_event_that_cannot_be_on_a_timeline_is_refused(geo: Path, change: dict[str, Any],
                                                          words: str) -> None:
    obj = json.loads((geo / "events.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in obj["features"] if f["properties"]["event_id"] == "en-010-0")
    feature["properties"].update(change)
    replace_layer(geo, "events.geojson", json.dumps(obj).encode())
    assert f"events.geojson feature {feature['id']}: {words}" in _load_error(geo)


def test_valid_checksum_of_non_collection(geo: Path) -> None:
    replace_layer(geo, "border.geojson", b'{"type": "Feature"}\n')
    assert "border.geojson: is not a GeoJSON FeatureCollection" in _load_error(geo)


def test_missing_folder_is_named_without_its_path(tmp_path: Path) -> None:
    message = _load_error(tmp_path / "nowhere")
    assert message.startswith("nowhere: the layer folder does not exist")


@pytest.mark.parametrize(("geometry", "problem"), [
    ({"type": "MultiPolygon", "coordinates": [[SQUARE]]}, None),
    ({"type": "Polygon", "coordinates": [SQUARE, [[100.2, 10.2], [100.4, 10.2], [100.4, 10.4],
                                                  [100.2, 10.2]]]}, None),
    ({"type": "Polygon", "coordinates": []}, "geometry has no positions"),
    ({"type": "Polygon", "coordinates": [[[100, 10, 0, 0]]]}, "is not 2 or 3 numbers"),
    ({"type": "Polygon", "coordinates": [[[True, 10]]]}, "is not 2 or 3 numbers"),
    ({"type": "Polygon"}, "coordinates are not nested lists"),
    ("Polygon", "geometry type None"),
])
def test_geometry_problem(geometry: Any, problem: str | None) -> None:
    got = reader.geometry_problem(geometry, ("Polygon", "MultiPolygon"))
    assert (got is None) if problem is None else (got is not None and problem in got), got


def test_fixture_loads_and_zips_everything_it_read() -> None:
    layers = reader.load_layers(FIXTURE)
    assert set(layers.collections) == set(catalog.LAYER_FILES)
    assert layers.manifest_bytes == (FIXTURE / "manifest.json").read_bytes()
    assert layers.figures["provinces"] == {"VN": 2, "LA": 2}
    data = reader.bundle_zip(layers)
    assert data == reader.bundle_zip(layers)  # reproducible
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for name in names:
            assert zf.read(name) == (FIXTURE / name.removeprefix("laovn-map/")).read_bytes()
    assert names == {f"laovn-map/{n}" for n in (*catalog.LAYER_FILES.values(), catalog.MANIFEST,
                                                catalog.ATTRIBUTION_FILE, *layers.texts)}


@pytest.mark.parametrize("name", LAYER_SETS)
def test_real_build_loads(name: str) -> None:
    layers = reader.load_layers(layer_set(name))
    for file, text in layers.texts.items():
        assert hashlib.sha256(text.data).hexdigest() in json.dumps(layers.manifest["texts"]), file


def test_fingerprint_follows_the_texts(geo: Path) -> None:
    before = reader.fingerprint(geo)
    (geo / "seeds" / "laos-vietnam-relations.en.txt").write_text("x", encoding="utf-8")
    assert reader.fingerprint(geo) != before


def test_geo_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = Path("/somewhere")
    monkeypatch.delenv("LAOVN_GEO_DIR", raising=False)
    assert reader.default_geo_dir(root) == root / "geo"
    monkeypatch.setenv("LAOVN_GEO_DIR", str(tmp_path))
    assert reader.default_geo_dir(root) == tmp_path


def test_messages_name_relative_files(geo: Path) -> None:
    """Every message names a file inside the folder, relative to it."""
    write_bad_geometry(geo, "bow-tie")
    assert re.match(r"^provinces_la\.geojson feature LA-HO: ", _load_error(geo))


@pytest.mark.parametrize(("data", "words"), [
    (b'{"type": "FeatureCollection", "features": [' + b"1" * 5000 + b"]}", "Exceeds the limit"),
    (b"[" * 100_000 + b"]" * 100_000, "maximum recursion depth"),
])
def test_json_python_cannot_read_is_a_layer_error(tmp_path: Path, data: bytes, words: str) -> None:
    """A checksum that matches does not make a file readable: a number past Python's digit
    limit, or nesting deeper than its parser, is a message too."""
    geo = copy_fixture(tmp_path / "geo")
    replace_layer(geo, "missions.geojson", data)
    with pytest.raises(LayerError, match=rf"missions.geojson: is not valid UTF-8 JSON \(.*{words}"):
        reader.load_layers(geo)


def test_every_layer_file_has_its_geometry_types() -> None:
    assert set(reader.GEOMETRY_TYPES) == set(catalog.LAYER_FILES)


@pytest.mark.parametrize(("damage", "words"), [c[1:] for c in TAMPERED], ids=[c[0] for c in TAMPERED])
def test_a_tampered_folder_is_one_clear_error(geo: Path, damage: Callable[[Path], object],
                                              words: str) -> None:
    damage(geo)
    assert words in _load_error(geo)


def test_a_fifo_in_place_of_a_layer_is_refused_without_opening_it(geo: Path) -> None:
    with fifo_in_place_of(geo / "water.geojson"):
        message = _load_error(geo)
    assert "water.geojson: is not a regular file but a FIFO (named pipe)" in message


def test_a_link_inside_the_folder_is_read(geo: Path) -> None:
    (geo / "copies").mkdir()
    (geo / "water.geojson").rename(geo / "copies" / "water.geojson")
    (geo / "water.geojson").symlink_to(Path("copies") / "water.geojson")
    assert reader.load_layers(geo).features("water")


def test_a_layer_of_too_many_features_is_refused_before_its_geometry_is_checked(
        geo: Path) -> None:
    collection = json.loads((geo / "missions.geojson").read_bytes())
    collection["features"] *= catalog.MAX_LAYER_FEATURES // len(collection["features"]) + 1
    replace_layer(geo, "missions.geojson", json.dumps(collection).encode())
    message = _load_error(geo)
    assert f"features, more than the {catalog.MAX_LAYER_FEATURES:,} a layer may hold" in message


def test_the_files_read_are_bounded_together(geo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = (geo / catalog.MANIFEST).stat().st_size
    monkeypatch.setattr(reader, "MAX_FOLDER_BYTES", manifest + 10)
    message = _load_error(geo)
    assert f"more than the {manifest + 10:,} a layer folder may hold" in message
