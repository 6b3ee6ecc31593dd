"""The Streamlit page (app.py) under streamlit.testing.v1.AppTest, and its layer loader."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from laovn_map import catalog, layers_io, mapview
from laovn_map.errors import LayerError

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
FIXTURE = ROOT / "tests" / "data" / "layers"
# the built layers: geo/, or another build named by LAOVN_TEST_REAL_GEO
REAL = Path(os.environ.get("LAOVN_TEST_REAL_GEO") or ROOT / "geo")

LAYER_DIRS = [pytest.param(FIXTURE, id="fixture")]
if (REAL / "manifest.json").exists():
    LAYER_DIRS.append(pytest.param(REAL, id="geo"))


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[bytes, str]]:
    """file name → (bytes, mime) of every download the app registers."""
    seen: dict[str, tuple[bytes, str]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self: MemoryMediaFileStorage, path_or_data: str | bytes, mimetype: str,
               kind: Any, filename: str | None = None) -> str:
        if filename and isinstance(path_or_data, bytes):
            seen[filename] = (path_or_data, mimetype)
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


def app(monkeypatch: pytest.MonkeyPatch, geo_dir: Path, **query: str) -> AppTest:
    monkeypatch.setenv("LAOVN_GEO_DIR", str(geo_dir))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    return at.run()


SECTIONS = {"Border provinces": "open_provinces", "Diplomatic missions": "open_missions",
            "Downloads": "open_downloads"}


def open_section(at: AppTest, label: str) -> AppTest:
    """Open an expander below the map, as a click would (only an open one's content runs)."""
    assert label in [e.label for e in at.expander]
    at.session_state[SECTIONS[label]] = True
    return at.run()


def map_script(at: AppTest) -> str:
    comps = at.get("component_instance")
    assert len(comps) == 1
    args = json.loads(comps[0].proto.json_args)
    assert all(u.startswith("data:") for u in args["js_links"] + args["css_links"])
    assert args["returned_objects"] == ["last_object_clicked_popup"]
    script: str = args["script"]
    return script


def count(script: str, cls: str) -> int:
    return sum(cls in f["cls"].split()
               for layer in mapview.drawn_layers(script) for f in layer["features"])


@pytest.mark.parametrize("geo_dir", LAYER_DIRS)
def test_page_runs_and_shows_every_layer(monkeypatch: pytest.MonkeyPatch, geo_dir: Path,
                                         downloads: dict[str, tuple[bytes, str]]) -> None:
    at = app(monkeypatch, geo_dir)
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Laos–Vietnam relations on a map"
    assert not downloads  # registered only once their expander is open
    open_section(at, "Downloads")
    script = map_script(at)
    layers = layers_io.load_layers(geo_dir)
    assert count(script, "laovn-missions") == 7
    assert count(script, "laovn-provinces_vn") == len(layers.features("provinces_vn"))
    assert count(script, "laovn-provinces_la") == len(layers.features("provinces_la"))
    assert count(script, "laovn-border") == 1
    # downloads: the exact bytes of geo/, as GeoJSON
    for key, name in catalog.DOWNLOAD_NAMES.items():
        data, mime = downloads[name]
        assert mime == "application/geo+json"
        assert data == (geo_dir / catalog.LAYER_FILES[key]).read_bytes()
    data, mime = downloads["laovn-map-layers.zip"]
    assert mime == "application/zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for filename in (*catalog.LAYER_FILES.values(), "manifest.json"):
            assert zf.read(f"laovn-map/{filename}") == (geo_dir / filename).read_bytes()
        licences = zf.read(f"laovn-map/{catalog.ATTRIBUTION_FILE}").decode()
    assert names == {f"laovn-map/{n}" for n in (*catalog.LAYER_FILES.values(),
                                                catalog.MANIFEST, catalog.ATTRIBUTION_FILE)}
    for credit in ("CC BY-SA 4.0", "OpenStreetMap contributors", "ODbL",
                   "Natural Earth", "public domain", "GeoNames", "CC BY 4.0"):
        assert credit in licences


@pytest.mark.parametrize("geo_dir", LAYER_DIRS)
def test_tables_and_counts(monkeypatch: pytest.MonkeyPatch, geo_dir: Path) -> None:
    at = app(monkeypatch, geo_dir)
    assert not at.dataframe  # the tables run only when their expander is open
    layers = layers_io.load_layers(geo_dir)
    n_vn, n_la = len(layers.features("provinces_vn")), len(layers.features("provinces_la"))
    (provinces,) = (d.value for d in open_section(at, "Border provinces").dataframe)
    assert not at.get("download_button")
    at.session_state["open_provinces"] = False
    (missions,) = (d.value for d in open_section(at, "Diplomatic missions").dataframe)
    assert len(provinces) == n_vn + n_la and len(missions) == 7
    assert set(provinces["Code"]) == {f["properties"].get("iso_3166_2") or f["properties"]["id"]
                                      for k in ("provinces_vn", "provinces_la")
                                      for f in layers.features(k)}
    quotes = {f["properties"]["source_quote"] for f in layers.features("missions")}
    assert set(missions["Quoted source"]) == quotes
    table = next(m.value for m in at.markdown if m.value.startswith("| Figures from the layers |"))
    metrics = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", table, flags=re.M))
    assert metrics["Vietnamese border provinces"] == str(n_vn)
    assert metrics["Lao border provinces"] == str(n_la)
    assert (metrics["Embassies"], metrics["Consulates"]) == ("2", "5")
    assert metrics["Stated in the text"] == "2,340 km"


def test_layer_checkboxes_change_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    assert count(map_script(at), "laovn-missions") == 7
    at.sidebar.checkbox(key="embassies").uncheck().run()
    at.sidebar.checkbox(key="provinces_la").uncheck().run()
    script = map_script(at)
    assert count(script, "laovn-missions") == 5
    assert count(script, "laovn-embassies") == 0
    assert count(script, "laovn-provinces_la") == 0
    assert count(script, "laovn-provinces_vn") == 2
    at.sidebar.checkbox(key="consulates").uncheck().run()
    assert count(map_script(at), "laovn-missions") == 0
    at.sidebar.checkbox(key="embassies").check().run()
    assert count(map_script(at), "laovn-missions") == 2


def test_checkboxes_and_language_follow_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE, consulates="false", segments="false", lang="vi")
    assert not at.exception
    assert at.sidebar.checkbox(key="consulates").value is False
    assert at.sidebar.checkbox(key="segments").value is False
    assert at.sidebar.checkbox(key="border").value is True
    assert at.sidebar.toggle(key="lang_vi").value is True
    script = map_script(at)
    assert count(script, "laovn-missions") == 2
    assert count(script, "laovn-segments") == 0
    assert at.title[0].value == "Quan hệ Lào – Việt Nam trên bản đồ"


def test_language_switch_changes_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    at.sidebar.checkbox(key="segments").uncheck().run()
    labels_en = [c.label for c in at.sidebar.checkbox]
    open_section(at, "Border provinces")
    at.sidebar.toggle(key="lang_vi").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "Quan hệ Lào – Việt Nam trên bản đồ"
    labels_vi = [c.label for c in at.sidebar.checkbox]
    assert labels_vi != labels_en and "Lãnh sự quán" in labels_vi
    assert at.sidebar.checkbox(key="segments").value is False  # state kept across languages
    assert at.query_params.get("lang") == "vi"
    assert len(at.dataframe) == 1  # the open section stays open in the other language
    assert [e.label for e in at.expander][:3] == ["Các tỉnh biên giới",
                                                  "Cơ quan đại diện ngoại giao", "Tải xuống"]
    assert "Lãnh sự quán Việt Nam tại Pakse" in map_script(at)
    at.sidebar.toggle(key="lang_vi").set_value(False).run()
    assert at.title[0].value == "Laos–Vietnam relations on a map"
    assert "lang" not in at.query_params


def test_sections_open_and_close_in_either_language(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    steps = [("open", True, 1), ("close", False, 0), ("open", True, 1), ("vi", None, 1),
             ("close", False, 0), ("open", True, 1), ("en", None, 1), ("close", False, 0)]
    for what, value, tables in steps:
        if value is None:
            at.sidebar.toggle(key="lang_vi").set_value(what == "vi")
        else:
            at.session_state["open_provinces"] = value
        at.run()
        assert not at.exception
        assert len(at.dataframe) == tables, what


def test_sources_are_marked_and_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    assert not [m for m in at.markdown if "laovn-source" in m.value]  # until a text is opened
    for key in [k for k in at.session_state if k.startswith("seed_")]:
        at.session_state[key] = True
    at.run()
    sources = [m.value for m in at.markdown if "laovn-source" in m.value]
    assert len(sources) == 2
    joined = "".join(sources)
    assert '<mark class="laovn-mark">- Pakse (Consulate)</mark>' in joined
    assert "Đường biên giới giữa Việt Nam và Lào dài khoảng 2.340km" in joined
    assert "<script" not in joined and "<img" not in joined and "\n" not in joined


def _copy(tmp_path: Path) -> Path:
    geo = tmp_path / "geo"
    shutil.copytree(FIXTURE, geo, ignore=shutil.ignore_patterns("*.py"))
    return geo


def test_tampered_layer_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    geo = _copy(tmp_path)
    path = geo / "missions.geojson"
    path.write_bytes(path.read_bytes().replace(b"Pakse", b"Paxse"))
    at = app(monkeypatch, geo)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "missions.geojson" in message and "python3 dev.py build" in message
    assert not at.get("component_instance")


def test_missing_layer_folder_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    at = app(monkeypatch, tmp_path / "nowhere")
    assert not at.exception
    assert "python3 dev.py build" in at.error[0].value


# --- the loader --------------------------------------------------------------------------------

@pytest.fixture
def geo(tmp_path: Path) -> Iterator[Path]:
    yield _copy(tmp_path)


def _rewrite_manifest(geo: Path, **changes: Any) -> None:
    manifest = json.loads((geo / "manifest.json").read_text())
    for entry in manifest["layers"]:
        if entry["file"] == "border.geojson":
            entry.update(changes)
    (geo / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(("damage", "words"), [
    (lambda g: (g / "border.geojson").unlink(), "border.geojson: file is missing"),
    (lambda g: (g / "manifest.json").unlink(), "manifest.json: file is missing"),
    (lambda g: (g / "border.geojson").write_text("{nope"), "border.geojson: checksum"),
    (lambda g: (g / "manifest.json").write_text("[]"), "not a manifest"),
    (lambda g: _rewrite_manifest(g, features=99), "has 3 features, the manifest says 99"),
    (lambda g: _rewrite_manifest(g, file="other.geojson"), "does not list border.geojson"),
])
def test_loader_rejects_damage(geo: Path, damage: Any, words: str) -> None:
    damage(geo)
    with pytest.raises(LayerError, match=re.escape(words)) as err:
        layers_io.load_layers(geo)
    assert "python3 dev.py build" in str(err.value)


def test_loader_rejects_valid_checksum_of_non_collection(geo: Path) -> None:
    data = b'{"type": "Feature"}\n'
    (geo / "border.geojson").write_bytes(data)
    _rewrite_manifest(geo, sha256="sha256:" + hashlib.sha256(data).hexdigest())
    with pytest.raises(LayerError, match="not a GeoJSON FeatureCollection"):
        layers_io.load_layers(geo)


def test_loader_reads_fixture() -> None:
    layers = layers_io.load_layers(FIXTURE)
    assert set(layers.collections) == set(catalog.LAYER_FILES)
    assert layers.manifest_bytes == (FIXTURE / "manifest.json").read_bytes()
    assert layers_io.bundle_zip(layers) == layers_io.bundle_zip(layers)  # reproducible


def test_geo_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LAOVN_GEO_DIR", raising=False)
    assert layers_io.default_geo_dir(ROOT) == ROOT / "geo"
    monkeypatch.setenv("LAOVN_GEO_DIR", str(tmp_path))
    assert layers_io.default_geo_dir(ROOT) == tmp_path
