"""The Streamlit page (app.py) under streamlit.testing.v1.AppTest.

The page reads only what `reader.load_layers` returns; the loader's own checks are in
tests/geo/test_reader.py.
"""

from __future__ import annotations

import ast
import base64
import html
import io
import json
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from laovn_map import catalog, cite
from laovn_map.errors import LaovnMapError, LayerError
from laovn_map.export import dispatch, formats, provenance
from laovn_map.geo import reader
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page import browserdata, component, mapview, pagetext, pressed
from laovn_map.page.labels import layer_label
from laovn_map.site import embed

from .conftest import APP, FIXTURE, REAL, ROOT
from .geo.test_reader import BAD_GEOMETRY, write_bad_geometry
from .layersets import (
    LAYER_SETS,
    TAMPERED,
    copy_fixture,
    fifo_in_place_of,
    layer_set,
    replace_layer,
    rewrite_manifest,
)
from .page.test_mapstyle import _contrast, _over, _rgb
from .page.test_mapview import applied_state


@pytest.fixture(scope="module", params=LAYER_SETS)
def geo_dir(request: pytest.FixtureRequest) -> Path:
    return layer_set(request.param)


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


#: app.py's DRAWN_KEY: set by the map's signal that it is drawn (a browser's, not AppTest's).
DRAWN = "map_drawn"


def app(monkeypatch: pytest.MonkeyPatch, geo_dir: Path, drawn: bool = True,
        **query: str) -> AppTest:
    """The page as a browser sees it once its map is drawn (`drawn`), or its first run."""
    monkeypatch.setenv(catalog.GEO_DIR_ENV, str(geo_dir))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    if drawn:
        at.session_state[DRAWN] = True
    return at.run()


SECTIONS = {"Border provinces": "open_provinces", "Diplomatic missions": "open_missions",
            "Downloads": "open_downloads", "Cite this map": "open_cite"}


def title(at: AppTest) -> str:
    """The page's title as the browser shows it (its one h1, sent as HTML, not Markdown)."""
    found = [m for h in at.html if (m := re.search(r'<h1 class="laovn-title">(.*?)</h1>', h.value))]
    assert len(found) == 1
    return html.unescape(found[0].group(1))


def open_section(at: AppTest, label: str) -> AppTest:
    """Open an expander below the map, as a click would (only an open one's content runs)."""
    assert label in [e.label for e in at.expander]
    at.session_state[SECTIONS[label]] = True
    return at.run()


def map_args(at: AppTest) -> dict[str, Any]:
    comps = at.get("component_instance")
    assert len(comps) == 1
    args: dict[str, Any] = json.loads(comps[0].proto.json_args)
    assert all(u.startswith("data:") for u in args["js_links"] + args["css_links"])
    assert args["returned_objects"] == []  # nothing on the map reruns the page
    return args


def map_script(at: AppTest) -> str:
    script: str = map_args(at)["script"]
    return script


def map_state(at: AppTest) -> dict[str, Any]:
    """The state the page gives the map (the `laovn.apply` call in the feature group that
    streamlit-folium evaluates on every change)."""
    group: str = map_args(at)["feature_group"]
    call = group[group.index("laovn.apply("):]
    return applied_state(call[:call.index("}));") + 4])


def count(script: str, cls: str) -> int:
    return sum(cls in f["cls"].split()
               for layer in browserdata.drawn_layers(script) for f in layer["features"])


def test_page_runs_and_shows_every_layer(monkeypatch: pytest.MonkeyPatch, geo_dir: Path,
                                         downloads: dict[str, tuple[bytes, str]]) -> None:
    at = app(monkeypatch, geo_dir)
    assert not at.exception
    assert not at.error
    assert title(at) == "Laos–Vietnam relations on a map"
    assert not downloads  # registered only once their expander is open
    open_section(at, "Downloads")
    script = map_script(at)
    layers = reader.load_layers(geo_dir)
    assert count(script, "laovn-missions") == 7
    assert count(script, "laovn-provinces_vn") == len(layers.features("provinces_vn"))
    assert count(script, "laovn-provinces_la") == len(layers.features("provinces_la"))
    assert count(script, "laovn-border") == 1
    # downloads: the exact bytes of geo/, as GeoJSON; the line and each period's segments apart
    assert {"laovn-border.geojson", "laovn-segments.geojson", "laovn-segments-2025.geojson"} <= set(downloads)
    for key, name in catalog.DOWNLOAD_NAMES.items():
        data, mime = downloads[name]
        assert mime == "application/geo+json"
        assert data == (geo_dir / catalog.LAYER_FILES[key]).read_bytes()
    data, mime = downloads[catalog.BUNDLE_NAME]
    assert mime == "application/zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for filename in (*catalog.LAYER_FILES.values(), "manifest.json", *layers.texts):
            assert zf.read(f"laovn-map/{filename}") == (geo_dir / filename).read_bytes()
        licences = zf.read(f"laovn-map/{catalog.ATTRIBUTION_FILE}").decode()
    assert names == {f"laovn-map/{n}" for n in (*catalog.LAYER_FILES.values(), *layers.texts,
                                                catalog.MANIFEST, catalog.ATTRIBUTION_FILE)}
    for credit in ("CC BY-SA 4.0", "OpenStreetMap contributors", "ODbL",
                   "Natural Earth", "public domain", "GeoNames", "CC BY 4.0"):
        assert credit in licences


def test_the_first_run_sends_the_map_before_the_rest(monkeypatch: pytest.MonkeyPatch,
                                                     geo_dir: Path) -> None:
    """Until the map says it is drawn, the page is its title and the map, and the map is the
    one the whole page then shows (so that it is not drawn again)."""
    span = pagetext.timeline_range(reader.load_layers(geo_dir))
    assert span
    low, high = int(span[0][:4]) + 1, int(span[1][:4]) - 1
    query = {"lang": "vi", "since2025": "true", "tiles": "true", "years": f"{low}-{high}"}
    at = app(monkeypatch, geo_dir, drawn=False, **query)
    assert not at.exception and not at.error
    assert title(at) == t("title", "vi")
    # the sidebar holds the skip link only (it takes its width now: the map does not narrow)
    assert [e.type for e in at.sidebar.children.values()] == ["html"]
    assert not at.expander and not at.select_slider and not at.markdown
    # nothing in Markdown (title and subtitle are HTML): the browser's Markdown renderer is
    # neither loaded nor run before the map
    assert not at.title and not at.caption and not at.header and not at.subheader
    # one element before the map (the page's style with its title): each one delays the map
    before_map = list(at.main.children.values())[:2]
    assert [e.type for e in before_map] == ["html", "flex_container"]
    assert before_map[0].value.startswith("<style>") and "laovn-title" in before_map[0].value
    assert [c.type for c in before_map[1].children.values()] == ["component_instance"]
    first = map_args(at)
    at.session_state[DRAWN] = True  # what the map's on_change does
    at.run()
    assert at.radio(key="lang").value == "vi" and at.sidebar.toggle(key="since2025").value
    assert at.select_slider(key="years").value == (low, high)
    assert at.expander and at.markdown
    again = map_args(at)
    assert (again["script"], again["feature_group"]) == (first["script"], first["feature_group"])
    assert map_state(at)["timeline"] == [f"{low}-01-01", f"{high}-12-31"]
    assert map_state(at)["period"] == catalog.PERIOD_2025 and map_state(at)["tiles"]
    assert map_state(at)["texts"]["lang"] == "vi"


def _element(at: AppTest, name: str) -> Any:
    """The page's one components-v2 element named `name` (its registered name ends it)."""
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name.endswith(name)]
    return element


def exports_element(at: AppTest) -> dict[str, Any]:
    """The data the page gives its export buttons (`component.export_buttons`)."""
    data: dict[str, Any] = json.loads(_element(at, component.EXPORTS_ELEMENT).proto.json)
    return data


def press(at: AppTest, value: object) -> dict[str, Any]:
    """Press an export button as its element does (its trigger, with `value`: {format, query,
    id}); the element's data in the run the press starts. AppTest has no way to press a
    components-v2 element, so the trigger goes in through its widget states."""
    element = _element(at, component.EXPORTS_ELEMENT)
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = f"$$STREAMLIT_INTERNAL_KEY_{element.proto.id}__events"
    trigger.json_trigger_value = json.dumps([{"event": "press", "value": value}])
    at._run(states)
    assert not at.exception
    return exports_element(at)


def timeline_element(at: AppTest) -> Any:
    (element,) = [e for e in at.get("bidi_component")
                  if "eras" in json.loads(e.proto.json or "{}")]
    return element


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_timeline_takes_the_years_the_texts_date_and_lists_them_per_era(
        monkeypatch: pytest.MonkeyPatch, geo_dir: Path, lang: str) -> None:
    """The slider's stops are the years the texts date (each the same room) under the count
    of statements per stop and era; the timeline section lists the statements in range per
    era, and a statement's button opens it on the map as an events table row does."""
    layers = reader.load_layers(geo_dir)
    events = pagetext.timeline_events(layers)
    low, high = int(events[0]["start"][:4]), int(events[-1]["start"][:4])
    at = app(monkeypatch, geo_dir, lang=lang, years=f"{low}-{high}")
    at.session_state["open_timeline"] = True
    at.run()
    assert not at.exception and not at.error
    slider = at.select_slider(key="years")
    assert slider.options == [str(y) for y in pagetext.timeline_stops(layers)]
    assert slider.value == (low, high)
    scale = [h.proto.body for h in at.get("html") if "laovn-scale" in h.proto.body]
    assert scale and pagetext.timeline_scale_html(
        layers, pagetext.timeline_stops(layers), lang) in scale[0]
    element = timeline_element(at)
    assert json.loads(element.proto.json) == pagetext.timeline_list(
        layers, lang, pagetext.years_timeline(low, high))
    chosen = events[-1]["id"]
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = f"$$STREAMLIT_INTERNAL_KEY_{element.proto.id}__events"
    trigger.json_trigger_value = json.dumps([{"event": "open", "value": chosen}])
    at._run(states)
    assert not at.exception
    assert map_state(at)["select"]["event"] == chosen
    # an id no statement has opens nothing
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = f"$$STREAMLIT_INTERNAL_KEY_{timeline_element(at).proto.id}__events"
    trigger.json_trigger_value = json.dumps([{"event": "open", "value": "<x>"}])
    at._run(states)
    assert not at.exception and map_state(at)["select"]["event"] == chosen


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_downloads_offer_the_data_as_built_and_the_map_as_shown(
        monkeypatch: pytest.MonkeyPatch, geo_dir: Path, lang: str) -> None:
    """One section: the layer files, the zip and every layer and event in each format (known
    when drawn), then the buttons of the map as shown, whatever the address says."""
    for query in ({}, {"off": "water,events"}, {"off": ",".join(catalog.MAP_LAYERS)}):
        at = app(monkeypatch, geo_dir, **query, **({"lang": lang} if lang != "en" else {}))
        at.session_state["open_downloads"] = True
        at.run()
        assert not at.exception and not at.error
        labels = [formats.export_label(fmt, lang) for fmt in formats.FORMATS]
        assert sorted(b.proto.label for b in at.get("download_button")) == sorted(
            [f"{layer_label(key, lang)} · {name}" for key, name in catalog.DOWNLOAD_NAMES.items()]
            + [t("download.zip", lang) + f" · {catalog.BUNDLE_NAME}"] + labels)
        data = exports_element(at)
        assert data["buttons"] == [{"format": fmt, "label": formats.export_label(fmt, lang)}
                                   for fmt in formats.FORMATS]
        assert data["group"] == t("downloads.shown", lang)
        assert "file" not in data and "note" not in data  # nothing pressed


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_downloads_end_with_the_embed_box_pointing_at_the_site_or_the_page(
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """"Embed this map": the snippet is made in the browser (elements/embed.js) from what the
    page gives it: the site's address ($LAOVN_SITE_URL), or none (the page embeds itself),
    the page's language and the map's title; an address that is none is logged, not shown."""
    for env, base in (("https://example.org/laovn", "https://example.org/laovn/"),
                      ("not an address", None), ("", None)):
        monkeypatch.setenv(embed.SITE_URL_ENV, env)
        at = app(monkeypatch, FIXTURE, **({"lang": lang} if lang != "en" else {}))
        at.session_state["open_downloads"] = True
        at.run()
        assert not at.exception and not at.error
        data = json.loads(_element(at, component.EMBED_ELEMENT).proto.json)
        assert data["spec"] == embed.embed_spec(lang, base, streamlit=True)
        assert data["spec"]["base"] == base and data["spec"]["lang"] == lang
        assert data["words"] == dict(embed.embed_words(lang))
        assert [m.value for m in at.markdown if t("embed", lang) in m.value]


def _pressed(fmt: str, query: str, press_id: str = "k1-0") -> dict[str, str]:
    return {"format": fmt, "query": query, "id": press_id}


def test_a_press_exports_the_map_its_address_describes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The press carries the page's address as the map keeps it; the file is made of that
    (the first `off`, a view the map takes) with the period, language and timeline of the
    page, named for it, handed to the element once."""
    layers = reader.load_layers(FIXTURE)
    at = app(monkeypatch, FIXTURE, since2025="true", years="1950-1960")
    at.session_state["open_downloads"] = True
    at.run()
    data = press(at, _pressed("kml", "?off=countries,water&off=events&view=17.5,105.5,8"))
    state = formats.ExportState(
        layers=tuple(n for n in catalog.MAP_LAYERS if n not in ("countries", "water")),
        period=catalog.PERIOD_2025, timeline=("1950-01-01", "1960-12-31"),
        view=pressed.view_box(mapview.View(17.5, 105.5, 8)))
    file = data["file"]
    assert file["id"] == "k1-0" and file["name"] == formats.file_name("kml", state)
    assert "-all" not in file["name"] and file["mime"] == formats.FORMATS["kml"].mime
    assert base64.b64decode(file["base64"]) == dispatch.export(layers, "kml", state)
    assert file["saved"] == t("export.saved", "en").format(name=file["name"])
    # a print frames the view; a view the map refuses gives the border region, as on the map
    data = press(at, _pressed("png", "?view=17.5,105.5,8", "k1-1"))
    assert data["file"]["name"] == "laovn-map-en-since2025-all-1950-1960-view.png"
    data = press(at, _pressed("pdf", "?view=17.5,105.5,30", "k1-2"))
    assert data["file"]["name"] == formats.file_name(
        "pdf", formats.ExportState(period=catalog.PERIOD_2025,
                                   timeline=("1950-01-01", "1960-12-31")))
    # once: the next run gives the element no file
    at.run()
    assert "file" not in exports_element(at) and "note" not in exports_element(at)


@pytest.mark.parametrize("value", [
    None, "kml", ["kml"], {"format": "kml"}, _pressed("docx", "?"), _pressed("kml", "?", "x"),
    _pressed("kml", "?", "<img src=x>"), {"format": 1, "query": "?", "id": "a-1"},
    _pressed("kml", "?" + "a" * 9000), {"format": "kml", "query": None, "id": "a-1"}])
def test_a_press_that_is_no_press_gives_one_line(monkeypatch: pytest.MonkeyPatch,
                                                 value: object) -> None:
    at = app(monkeypatch, FIXTURE, lang="vi")
    at.session_state["open_downloads"] = True
    at.run()
    data = press(at, value)
    assert "file" not in data
    prefix = t("export.failed", "vi").split("{")[0]
    assert data["note"]["text"].startswith(prefix) and "\n" not in data["note"]["text"]
    assert not at.error  # the line is the element's, escaped there (textContent)


def test_an_export_that_fails_gives_one_translated_line(monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    at = app(monkeypatch, FIXTURE, lang="vi")
    at.session_state["open_downloads"] = True
    at.run()
    # every layer off: nothing to export
    data = press(at, _pressed("csv", "?off=" + ",".join(catalog.MAP_LAYERS)))
    assert data["note"]["text"] == t("export.empty", "vi") and "file" not in data

    def broken(*args: Any) -> bytes:
        raise RuntimeError("/secret/path broke")

    component.clear_kept()
    monkeypatch.setitem(dispatch.EXPORTERS, "csv", broken)
    data = press(at, _pressed("csv", "?", "b-2"))
    assert data["note"] == {"id": "b-2", "text": t("export.failed", "vi").format(
        reason=t("export.failed.log", "vi"))}
    assert "/secret/path" not in json.dumps(data) and "Traceback" not in json.dumps(data)
    assert "/secret/path broke" in caplog.text  # the server's log has it


def test_tables_and_counts(monkeypatch: pytest.MonkeyPatch, geo_dir: Path) -> None:
    at = app(monkeypatch, geo_dir)
    assert not at.dataframe  # the tables run only when their expander is open
    layers = reader.load_layers(geo_dir)
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
    metrics = dict(re.findall(r"^\| (.+?) \| (.+?) \| .*\|$", table, flags=re.M))
    assert metrics["Vietnamese border provinces"] == str(n_vn)
    assert metrics["Lao border provinces"] == str(n_la)
    assert (metrics["Embassies"], metrics["Consulates"]) == ("2", "5")
    assert metrics["Stated in the text"] == "2,340 km"


def test_the_map_script_stays_the_same_whatever_the_sidebar_says(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """streamlit-folium redraws the map when its script changes: language, period and tiles
    change only the state it evaluates, so view, popup and layer choices survive."""
    at = app(monkeypatch, FIXTURE)
    script, state = map_script(at), map_state(at)
    assert count(script, "laovn-missions") == 7
    at.radio(key="lang").set_value("vi").run()
    at.sidebar.toggle(key="since2025").set_value(True).run()
    at.sidebar.checkbox(key="tiles").check().run()
    assert not at.exception
    assert map_script(at) == script
    changed = map_state(at)
    assert (changed["texts"]["lang"], changed["period"]) == ("vi", catalog.PERIOD_2025)
    assert changed["tiles"] and not state["tiles"]
    # the layers are chosen in the map's own control, not in the sidebar
    assert [c.key for c in at.sidebar.checkbox] == ["tiles"]


def test_language_and_period_follow_the_url_and_the_maps_own_state_is_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    own = {"view": "18.5,104.5,8", "sel": "vn-consulate-pakse", "off": "countries,water"}
    at = app(monkeypatch, FIXTURE, lang="vi", since2025="true", **own)
    assert not at.exception
    assert at.radio(key="lang").value == "vi"
    assert at.sidebar.toggle(key="since2025").value is True
    state = map_state(at)
    assert state["texts"]["lang"] == "vi" and state["period"] == catalog.PERIOD_2025
    assert title(at) == "Quan hệ Lào – Việt Nam trên bản đồ"
    # the view, selection and layers are read and written by the map itself: the page
    # leaves them in the URL through its own changes
    at.radio(key="lang").set_value("en").run()
    assert "lang" not in at.query_params
    for key, value in own.items():
        assert at.query_params.get(key) == value, key


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_language_choice_defaults_to_the_page_s_language(
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The browser may register the chooser's default before the value the run gives it (when
    the next run starts before the chooser is drawn): a row chosen in a table then sent the
    first language back and the page turned to English. The default is the page's own."""
    at = app(monkeypatch, FIXTURE, lang=lang)
    chooser = at.radio(key="lang")
    assert chooser.value == lang
    assert chooser.options[chooser.proto.default] == LANGUAGES[lang].own_name


def test_language_switch_changes_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    open_section(at, "Border provinces")
    at.radio(key="lang").set_value("vi").run()
    assert not at.exception
    assert title(at) == "Quan hệ Lào – Việt Nam trên bản đồ"
    assert at.query_params.get("lang") == "vi"
    assert len(at.dataframe) == 1  # the open section stays open in the other language
    assert [e.label for e in at.expander][:7] == [
        "Các tỉnh biên giới", "Cơ quan đại diện ngoại giao", t("timeline.list", "vi"),
        "Các sự kiện trong văn bản",
        "Số liệu trong văn bản", "Chiều dài chính thức và đo được", "Tải xuống"]
    texts = map_state(at)["texts"]
    assert texts["layers"]["consulates"]["label"] == "Lãnh sự quán"
    assert "Lãnh sự quán Việt Nam tại Pakse" in json.dumps(texts, ensure_ascii=False)
    at.radio(key="lang").set_value("en").run()
    assert title(at) == "Laos–Vietnam relations on a map"
    assert "lang" not in at.query_params


def test_a_table_row_chosen_asks_the_map_to_select_its_feature(
        monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    assert map_state(at)["select"] is None
    at.session_state["map_select"] = ("vn-consulate-pakse", 3)
    at.run()
    assert map_state(at)["select"] == {"id": "vn-consulate-pakse", "nonce": 3}
    ids = reader.load_layers(FIXTURE)
    assert len(pagetext.row_feature_ids(ids, "missions")) == len(pagetext.mission_rows(ids, "en"))
    assert len(pagetext.row_feature_ids(ids, "provinces")) == len(
        pagetext.province_rows(ids, "en"))


def test_sections_open_and_close_in_either_language(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    steps = [("open", True, 1), ("close", False, 0), ("open", True, 1), ("vi", None, 1),
             ("close", False, 0), ("open", True, 1), ("en", None, 1), ("close", False, 0)]
    for what, value, tables in steps:
        if value is None:
            at.radio(key="lang").set_value(what)
        else:
            at.session_state["open_provinces"] = value
        at.run()
        assert not at.exception
        assert len(at.dataframe) == tables, what


def open_sources(at: AppTest) -> list[str]:
    """Open every Sources section; the HTML of each text shown."""
    for key in [k for k in at.session_state if k.startswith("seed_")]:
        at.session_state[key] = True
    at.run()
    return [m.value for m in at.markdown if "laovn-source" in m.value]


def test_sources_are_marked_and_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    assert not [m for m in at.markdown if "laovn-source" in m.value]  # until a text is opened
    sources = open_sources(at)
    assert len(sources) == 2
    joined = "".join(sources)
    assert '<mark class="laovn-mark">- Pakse (Consulate)</mark>' in joined
    assert "Đường biên giới giữa Việt Nam và Lào dài khoảng 2.340km" in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "<script" not in joined and "<img" not in joined and "\n" not in joined


def test_sources_are_the_geo_folders_texts_not_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture's texts are not the repository's seeds/: the page shows the build's."""
    at = app(monkeypatch, FIXTURE)
    assert [e.label for e in at.expander if e.label.startswith("Sources: ")] == [
        "Sources: laos-vietnam-relations.en.txt", "Sources: quan-he-lao-viet-nam.vi.txt"]
    joined = "".join(open_sources(at))
    assert "hand-made test fixture, not the article" in joined
    real_first_line = (ROOT / "seeds" / "laos-vietnam-relations.en.txt").read_text(
        encoding="utf-8").splitlines()[0]
    assert real_first_line not in joined


def _copy(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "geo")


def assert_message_only(at: AppTest, *words: str) -> str:
    """One error message naming `words`, no traceback, no absolute path, no map."""
    assert not at.exception
    assert len(at.error) == 1
    # the message is shown literally (its Markdown escaped): read it without the escapes
    message: str = re.sub(r"\\(.)", r"\1", at.error[0].value)
    for word in (*words, "python3 dev.py build"):
        assert word in message, message
    assert "/" + "tmp" not in message and str(ROOT) not in message
    assert "Traceback" not in message
    return message


def test_tampered_layer_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    geo = _copy(tmp_path)
    path = geo / "missions.geojson"
    path.write_bytes(path.read_bytes().replace(b"Pakse", b"Paxse"))
    at = app(monkeypatch, geo)
    assert_message_only(at, "missions.geojson: checksum")
    assert not at.get("component_instance")


def test_missing_layer_folder_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    at = app(monkeypatch, tmp_path / "nowhere")
    assert_message_only(at, "nowhere: the layer folder does not exist")
    # a first run (no map will say it is drawn) shows the sidebar with the message
    at = app(monkeypatch, tmp_path / "nowhere", drawn=False, lang="vi")
    assert_message_only(at, "nowhere: the layer folder does not exist")
    assert at.radio(key="lang").value == "vi"


def test_old_build_asks_for_a_rebuild(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    geo = _copy(tmp_path)
    rewrite_manifest(geo, lambda m: m.pop("texts"))
    assert_message_only(app(monkeypatch, geo), "manifest.json: lists no seed texts")


@pytest.mark.parametrize(("damage", "words"), [c[1:] for c in TAMPERED], ids=[c[0] for c in TAMPERED])
def test_a_tampered_folder_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               damage: Callable[[Path], object], words: str) -> None:
    damage(_copy(tmp_path))
    assert_message_only(app(monkeypatch, tmp_path / "geo"), words)


def test_a_message_shows_a_tampered_value_as_text_not_markdown(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    """A value of a tampered file in the page's message: no link or image of its choosing."""
    geo = _copy(tmp_path)
    missions = json.loads((geo / "missions.geojson").read_bytes())
    missions["features"][0]["properties"]["kind"] = "[x](http://example.com) ![i](http://e/i.png)"
    replace_layer(geo, "missions.geojson", json.dumps(missions).encode())
    at = app(monkeypatch, geo)
    assert_message_only(at, "[x](http://example.com)")
    shown = at.error[0].value
    assert "[x](http" not in shown and "![i]" not in shown and r"\[x\]\(http\:" in shown


def test_a_fifo_in_place_of_a_layer_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    geo = _copy(tmp_path)
    with fifo_in_place_of(geo / "water.geojson"):
        at = app(monkeypatch, geo)
    assert_message_only(at, "water.geojson: is not a regular file but a FIFO (named pipe)")


@pytest.mark.parametrize("case", ["geometry collection", "two-point ring",
                                  "point among polygons", "bow-tie", "NaN coordinate"])
def test_bad_geometry_gives_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path, case: str) -> None:
    assert case in BAD_GEOMETRY
    words = write_bad_geometry(_copy(tmp_path), case)
    at = app(monkeypatch, tmp_path / "geo")
    assert_message_only(at, words)
    assert not at.get("component_instance")


@pytest.mark.parametrize("error", [LayerError, LaovnMapError])
@pytest.mark.parametrize("step", ["build_map", "state_script"])
def test_errors_after_loading_give_a_message(monkeypatch: pytest.MonkeyPatch,
                                             error: type[LaovnMapError], step: str) -> None:
    """In the map's build (once per build: the process's caches are emptied so that it runs)
    or in a run's state script."""
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error("border.geojson: broken on purpose; rebuild the layers with "
                    "`python3 dev.py build`")

    component.clear_kept()
    monkeypatch.setattr(mapview, step, broken)
    assert_message_only(app(monkeypatch, FIXTURE), "border.geojson: broken on purpose")


def test_errors_in_a_section_give_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise LayerError("missions.geojson: broken on purpose; rebuild the layers with "
                         "`python3 dev.py build`")

    from laovn_map.page import pagetext

    monkeypatch.setattr(pagetext, "mission_rows", broken)
    at = open_section(app(monkeypatch, FIXTURE), "Diplomatic missions")
    assert_message_only(at, "missions.geojson: broken on purpose")
    assert at.get("component_instance")  # the map above it stays


def test_figures_come_from_the_manifest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    geo = _copy(tmp_path)

    def edit(manifest: dict[str, Any]) -> None:
        manifest["figures"].update(border_length_km_osm=1234.4, segments=5,
                                   segments_length_km_sum=999.0, provinces={"VN": 9, "LA": 8},
                                   missions_by_kind={"embassy": 3, "consulate": 4})

    rewrite_manifest(geo, edit)
    at = app(monkeypatch, geo)
    table = next(m.value for m in at.markdown if m.value.startswith("| Figures from the layers |"))
    metrics = dict(re.findall(r"^\| (.+?) \| (.+?) \| .*\|$", table, flags=re.M))
    assert metrics["OpenStreetMap line"] == "1,234 km"
    assert metrics["Sum of the 5 segments"] == "999 km"
    assert (metrics["Vietnamese border provinces"], metrics["Lao border provinces"]) == ("9", "8")
    assert (metrics["Embassies"], metrics["Consulates"]) == ("3", "4")


def test_streamlit_config_hides_errors_and_binds_localhost() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] in ("localhost", "127.0.0.1")


def test_the_page_needs_no_magic() -> None:
    """Streamlit's "magic" is off (config.toml: each new session's first run would rewrite
    app.py's syntax tree first): so no statement of the page may rely on it, a bare value
    that magic would have shown (a docstring, which magic never shows, is the one exception)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    docstrings = {id(body[0]) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
                  and (body := node.body) and isinstance(body[0], ast.Expr)
                  and isinstance(body[0].value, ast.Constant)}
    bare = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Expr)
            and not isinstance(node.value, ast.Call) and id(node) not in docstrings]
    assert not bare, f"app.py: bare values on lines {bare}, which the page would not show"


def test_the_themes_secondary_text_is_readable() -> None:
    """Streamlit draws captions in 60 % of the theme's text colour: at least 4.5:1 on the
    page and on the sidebar (WCAG 2.2 AA; axe-core checks the drawn page in
    tests/browser/test_a11y.py)."""
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
    text = _rgb(theme["textColor"])
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        ground = _rgb(background)
        assert _contrast(_over(text, 0.6, ground), ground) >= 4.5, background
    # the accent colour (links, the toggles, the skip link's frame) on both as well
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert _contrast(_rgb(theme["primaryColor"]), _rgb(background)) >= 4.5, background


@pytest.fixture
def no_address() -> Iterator[None]:
    """Streamlit as if started outside the project folder: no server.address at all."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", None)
    try:
        yield
    finally:
        config.set_option("server.address", before)


@pytest.mark.usefixtures("no_address")
def test_a_page_started_without_an_address_refuses_to_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE)
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.network", "en")]
    assert at.get("component_instance") == []  # no map, no data


@pytest.mark.usefixtures("no_address")
def test_serving_a_network_is_a_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(catalog.SERVE_NETWORK_ENV, "1")
    at = app(monkeypatch, FIXTURE)
    assert not at.exception and not at.error
    assert len(at.get("component_instance")) == 1


def test_the_page_hides_error_details_whatever_config_was_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")
    app(monkeypatch, FIXTURE)
    assert config.get_option("client.showErrorDetails") == "none"


def test_water_and_labels_reach_the_map(monkeypatch: pytest.MonkeyPatch, geo_dir: Path) -> None:
    at = app(monkeypatch, geo_dir, lang="vi")
    script, texts = map_script(at), map_state(at)["texts"]["layers"]
    layers = reader.load_layers(geo_dir)
    assert count(script, "laovn-water") == len(layers.features("water"))
    countries = [label["text"] for label in texts["countries"]["labels"]]
    assert "Lào" in countries and "Việt Nam" in countries
    # the labels go where the full layers put them, not the simplified ones
    anchors = browserdata.label_anchors(layers.collections)
    first = layers.features("provinces_vn")[0]["properties"]["id"]
    assert texts["provinces_vn"]["labels"][0]["at"] == [anchors["provinces_vn"][first].lat,
                                                       anchors["provinces_vn"][first].lon]


@pytest.mark.parametrize("geo_dir", LAYER_SETS)
def test_the_2025_switch_follows_the_url_and_names_the_layers(monkeypatch: pytest.MonkeyPatch,
                                                              geo_dir: Path) -> None:
    layers = reader.load_layers(layer_set(geo_dir))
    at = app(monkeypatch, layer_set(geo_dir), since2025="true")
    assert not at.exception
    state = map_state(at)
    assert len(state["data"]["provinces_vn"]["features"]) == len(
        layers.features("provinces_vn_2025"))
    assert len(state["data"]["segments"]["features"]) == len(layers.features("segments_2025"))
    assert state["texts"]["layers"]["provinces_vn"]["label"] == t("layer.provinces_vn_2025", "en")


def test_official_lengths_section_shows_each_figure_beside_the_measured(
        monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, REAL)
    at.session_state["open_official"] = True
    at = at.run()
    (table,) = at.dataframe
    assert len(table.value) == len(reader.load_layers(REAL).figures["official_lengths"])
    assert not at.exception


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_figures_from_the_texts_show_where_the_texts_disagree(
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """Issue 23 point 6: the section's table opens with the disagreement (both sentences cited),
    then every figure, in the page's language; its note says what the marked row is."""
    at = app(monkeypatch, REAL, lang=lang)
    at.session_state["open_textfigures"] = True
    at = at.run()
    assert not at.exception
    (table,) = at.dataframe
    figures = reader.load_layers(REAL).figures
    assert len(table.value) == len(figures["figures_from_texts"]) + len(
        figures["figure_disagreements"]) and len(figures["figure_disagreements"]) == 1
    first = table.value.iloc[0]
    assert first[t("tf.measure", lang)].startswith("⚠")
    assert first[t("prop.source", lang)] == (
        "laos-vietnam-relations.en.txt:42 · quan-he-lao-viet-nam.vi.txt:30")
    written = list(table.value[t("tf.written", lang)])
    assert "25-year Treaty" in written and "hiệp ước 25 năm" in written
    assert "hundreds of Vietnamese advisers" in written
    assert t("textfigures.note", lang) in [c.value for c in at.caption]
    (notice,) = at.warning  # the whole disagreement, which the table's cells cut
    (note,) = pagetext.figure_disagreement_notes(reader.load_layers(REAL), lang)
    assert notice.value.startswith(pagetext.markdown_literal(t("tf.disagree", lang).format(
        what=t("tf.subject.foreign_investors", lang)).removeprefix("⚠ ")))
    assert pagetext.markdown_literal(note).endswith(notice.value)
    assert "30" in notice.value and "42" in notice.value


def test_a_visitors_clear_cache_message_does_not_make_the_page_load_the_build_again(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Streamlit's `clear_cache` back-message (any browser may send it over the websocket; also
    its "Clear cache" menu item and "c" key) empties `st.cache_resource` for every session:
    the build the page serves, and what it works out from it, are not held there."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.runtime.app_session import AppSession, AppSessionState
    from streamlit.runtime.state import SessionState

    geo = _copy(tmp_path)  # a build of its own: no earlier test's values
    loads: list[Path] = []
    maps: list[object] = []
    load_layers, build_map = reader.load_layers, mapview.build_map
    monkeypatch.setattr(reader, "load_layers", lambda d: loads.append(d) or load_layers(d))
    monkeypatch.setattr(mapview, "build_map", lambda p: maps.append(p) or build_map(p))
    first = app(monkeypatch, geo)
    assert not first.exception
    assert (len(loads), len(maps)) == (1, 1)

    @st.cache_resource
    def witness() -> list[int]:
        return []

    held = witness()
    # the server's own handling of the message, as a websocket delivers it (a session without
    # a connection, already shut down: only its state is needed)
    session = AppSession.__new__(AppSession)
    session._session_state = SessionState()
    session._state = AppSessionState.SHUTDOWN_REQUESTED
    session.handle_backmsg(BackMsg(clear_cache=True))
    assert witness() is not held, "Streamlit's cache_resource was not cleared: no test"

    again = app(monkeypatch, geo)
    assert not again.exception
    assert map_args(again) == map_args(first)
    assert (len(loads), len(maps)) == (1, 1), "a visitor's clear_cache made the page reload"


def _sections_and_exports(at: AppTest) -> tuple[list[str], list[str], list[str]]:
    """The expanders' labels, and the download buttons' and the export element's once the
    downloads section is open."""
    at.session_state["open_downloads"] = True
    at.run()
    assert not at.exception and not at.error
    return ([e.label for e in at.expander], sorted(b.proto.label for b in at.get("download_button")),
            [b["label"] for b in exports_element(at)["buttons"]])


@pytest.mark.parametrize("years", ["²-1980", "1945-²", "١٩٤٥-1977", "9" * 5000 + "-1977",
                                   "1945-" + "1" * 5000, "-1977", "1945--1977", "x"])
def test_a_hostile_years_value_gives_the_whole_span(monkeypatch: pytest.MonkeyPatch,
                                                    years: str) -> None:
    """Digits `int` cannot read, or a year of thousands of digits, are ignored like any bad
    value: the timeline shows everything, the page keeps every section."""
    plain = app(monkeypatch, FIXTURE)
    for drawn in (False, True):
        at = app(monkeypatch, FIXTURE, drawn=drawn, years=years)
        assert not at.exception and not at.error, years
        assert map_state(at)["timeline"] is None
    assert at.select_slider(key="years").value == plain.select_slider(key="years").value
    assert _sections_and_exports(at) == _sections_and_exports(plain)


@pytest.mark.parametrize("view", ["17,105,5", "17,105,5.99", "79,105,8", "-79,105,8",
                                  "17,105,14", "17,179,8", "95,105,8", "17,105,8,1",
                                  "0x11,105,8", "1e1,105,8", " 17,105,8", "17,105,Infinity",
                                  "NaN,105,8", "9" * 400 + ",105,8", "17.5,105.5,8"])
def test_the_print_box_takes_the_views_the_map_takes(monkeypatch: pytest.MonkeyPatch,
                                                     view: str) -> None:
    """One rule for `view=` (mapview.ViewRule, given to the map script): a view the map
    refuses is dropped by a press too (the border region is printed), and the page keeps its
    sections."""
    rule = mapview.view_rule(browserdata.prepare_layers(reader.load_layers(FIXTURE).collections))
    taken = rule.parse(view)
    assert (taken is not None) == (view == "17.5,105.5,8"), view
    plain = _sections_and_exports(app(monkeypatch, FIXTURE))
    at = app(monkeypatch, FIXTURE, view=view)
    assert _sections_and_exports(at) == plain
    states: list[formats.ExportState] = []
    monkeypatch.setattr(dispatch, "export", lambda _layers, _fmt, state: states.append(state)
                        or b"%PNG")
    component.clear_kept()
    press(at, _pressed("png", "?" + urlencode({"view": view})))
    assert [state.view is not None for state in states] == [taken is not None]


def test_a_key_given_twice_means_its_first_value_on_the_page_as_on_the_map(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The map script reads a key's first value (runtime.js readParams); so does the page,
    and it leaves only that one in the URL for Streamlit's own widgets, which take the last."""
    at = app(monkeypatch, FIXTURE, drawn=False, off=["countries", "water"],
             since2025=["true", "false"], lang=["vi", "en"], years=["1950-1960", "1945-1977"])
    assert not at.exception
    assert map_state(at)["period"] == catalog.PERIOD_2025
    assert map_state(at)["texts"]["lang"] == "vi"
    assert map_state(at)["timeline"] == ["1950-01-01", "1960-12-31"]
    assert {key: at.query_params[key] for key in ("off", "since2025", "lang", "years")} == {
        "off": "countries", "since2025": "true", "lang": "vi", "years": "1950-1960"}
    at.session_state[DRAWN] = True
    at.run()
    assert at.sidebar.toggle(key="since2025").value and at.radio(key="lang").value == "vi"
    assert at.select_slider(key="years").value == (1950, 1960)
    at.session_state["open_downloads"] = True
    at.run()
    # a press exports what the map shows: every layer but the countries (`off`'s first)
    data = press(at, _pressed("csv", "?off=countries&off=water&lang=en"))
    assert data["file"]["name"] == formats.file_name("csv", formats.ExportState(
        layers=tuple(name for name in catalog.MAP_LAYERS if name != "countries"),
        period=catalog.PERIOD_2025, lang="vi", timeline=("1950-01-01", "1960-12-31")))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_table_leaves_a_missing_value_empty(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """Streamlit's grid writes "None" in a cell without a value (the official lengths' measured
    length of the land part) unless told what to write: every table says nothing there."""
    at = app(monkeypatch, REAL, lang=lang)
    for key in ("open_provinces", "open_missions", "open_events", "open_textfigures",
                "open_official"):
        at.session_state[key] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 5
    for frame in at.dataframe:
        assert frame.proto.HasField("placeholder") and frame.proto.placeholder == ""


def test_the_lao_page_chooses_among_every_language_and_says_where_a_word_is_corrected(
        monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(monkeypatch, FIXTURE, lang="lo")
    assert not at.exception
    chooser = at.radio(key="lang")
    assert chooser.value == "lo" and chooser.options == [
        lang.own_name for lang in LANGUAGES.values()] == ["English", "Tiếng Việt", "ລາວ"]
    assert title(at) == t("title", "lo") and map_state(at)["texts"]["lang"] == "lo"
    captions = [c.value for c in at.sidebar.caption]
    assert captions[-1] == pagetext.correction_note("lo")
    assert pagetext.markdown_literal("src/laovn_map/locale/lo/LC_MESSAGES/laovn_map.po") \
        in captions[-1]


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_cite_this_map_shows_the_three_forms_of_the_builds_citation(
        monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The section holds `cite.citation` of the build shown: the sentence as text with the
    articles' titles marked with their language, BibTeX and CSL-JSON in code blocks (st.code
    shows its text as text: the fixture's title holds `<b>`, braces and TeX's specials)."""
    at = app(monkeypatch, FIXTURE, lang=lang)
    assert not at.code  # until it is opened
    label = t("cite.title", lang)
    assert label in [e.label for e in at.expander]
    at.session_state["open_cite"] = True
    at.run()
    assert not at.exception
    expected = cite.citation((FIXTURE / catalog.MANIFEST).read_bytes(), lang)
    # (a code block's text ends at its last line)
    assert [c.value.rstrip("\n") for c in at.code] == [
        form.rstrip("\n") for form in (expected.bibtex, expected.csl_json)]
    assert [c.language for c in at.code] == ["latex", "json"]
    (sentence,) = [h.proto.body for h in at.get("html") if "laovn-cite-sentence" in h.proto.body]
    assert provenance.sentence_html(expected, lang) in sentence
    assert "&lt;b&gt;_#" in sentence and "<b>" not in sentence  # the title as written, as text
    assert sentence.count("<cite lang=") == len(expected.articles)
