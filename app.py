"""Streamlit page: the Laos–Vietnam relations map, its downloads and its sources.

Run with `python3 dev.py app` (or `streamlit run app.py`). The layers come from `geo/` beside
this file, or from the folder named by the environment variable LAOVN_GEO_DIR.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from laovn_map import catalog, display, layers_io, mapview
from laovn_map.catalog import credit_line
from laovn_map.errors import LayerError
from laovn_map.i18n import DEFAULT_LANG, LANGS, t

APP_DIR = Path(__file__).resolve().parent
SEEDS_DIR = APP_DIR / "seeds"
MAP_KEY = "laovn_map"


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(geo_dir: str, stamp: tuple[tuple[str, int, int], ...]) -> layers_io.Layers:
    # `stamp` (sizes and mtimes) makes a rebuilt geo/ load afresh without a restart.
    del stamp
    return layers_io.load_layers(Path(geo_dir))


@st.cache_resource(show_spinner=False, max_entries=4)
def _display(geo_dir: str, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, Any]:
    # Simplified once per process: the browser gets ~90 m-accurate shapes, downloads stay full.
    return display.display_layers(_load(geo_dir, stamp).collections)


@st.cache_resource(show_spinner=False, max_entries=8)
def _prepared(geo_dir: str, stamp: tuple[tuple[str, int, int], ...], lang: str
              ) -> dict[str, mapview.PreparedLayer]:
    # The map's layers encoded for the browser, once per language (immutable, shared).
    return mapview.prepare_layers(_display(geo_dir, stamp), lang)


@st.cache_resource(show_spinner=False, max_entries=4)
def _zip(geo_dir: str, stamp: tuple[tuple[str, int, int], ...]) -> bytes:
    return layers_io.bundle_zip(_load(geo_dir, stamp))


@st.cache_data(show_spinner=False, max_entries=8)
def _seed_html(path: str, mtime: int, quotes: tuple[tuple[int | None, str], ...]) -> str:
    del mtime
    text = Path(path).read_text(encoding="utf-8")
    return mapview.marked_source_html(text, quotes)


def _sidebar() -> tuple[str, list[str], bool]:
    side = st.sidebar
    # The language is a toggle (English by default), kept in the URL as ?lang=vi by hand; the
    # layer checkboxes are bound to the URL by Streamlit (?consulates=false). A toggle rather
    # than a radio: it is drawn by the checkbox's code, one script fewer for the browser to
    # load before the map (~0.2 s).
    if "lang_vi" not in st.session_state:
        st.session_state["lang_vi"] = st.query_params.get("lang") == "vi"
    lang = "vi" if side.toggle(f"{LANGS['vi']} · Vietnamese", key="lang_vi") else DEFAULT_LANG
    if lang == DEFAULT_LANG:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    side.subheader(t("layers", lang))
    visible = [name for name in catalog.MAP_LAYERS
               if side.checkbox(t(f"layer.{name}", lang), value=True, key=name,
                                bind="query-params")]
    tiles = side.checkbox(t("tiles", lang), value=False, key="tiles", bind="query-params")
    side.caption(credit_line(lang))
    return lang, visible, tiles


def _figures(layers: layers_io.Layers, lang: str) -> str:
    """The border lengths and the counts as one Markdown table.

    One element rather than a grid of `st.metric`s: the browser renders every Streamlit
    element while it is drawing the map, and eight metrics in columns cost it ~0.3 s.
    """
    rows: list[tuple[str, str]] = []
    line = next((f["properties"] for f in layers.features("border")
                 if f["properties"].get("kind") == "border_line"), None) or {}
    for key, prop in (("fig.osm", "length_km_osm"), ("fig.ne", "length_km_ne"),
                      ("fig.stated", "length_km_stated")):
        value = mapview.fmt_num(line.get(prop), lang, 0)
        rows.append((t(key, lang), f"{value} km" if value else "—"))
    lengths = [f["properties"].get("length_km") for f in layers.features("border")
               if f["properties"].get("kind") == "segment"]
    numbers = [x for x in lengths if isinstance(x, int | float)]
    if numbers:
        rows.append((t("fig.segments", lang).format(n=len(numbers)),
                     f"{mapview.fmt_num(sum(numbers), lang, 0)} km"))
    missions = [f["properties"] for f in layers.features("missions")]
    embassies = sum(p.get("kind") == "embassy" for p in missions)
    rows += [(t("count.provinces_vn", lang), str(len(layers.features("provinces_vn")))),
             (t("count.provinces_la", lang), str(len(layers.features("provinces_la")))),
             (t("layer.embassies", lang), str(embassies)),
             (t("layer.consulates", lang), str(len(missions) - embassies))]
    return "\n".join([f"| {t('figures', lang)} | |", "|:--|--:|",
                      *(f"| {label} | {value} |" for label, value in rows)])


def _cite(p: dict[str, Any], line_key: str = "source_line") -> str:
    file, line = p.get("source_file"), p.get(line_key)
    return f"{Path(str(file)).name}:{line}" if file and line not in (None, "") else ""


def _province_table(layers: layers_io.Layers, lang: str) -> None:
    """The 20 provinces as a sortable table (text only: no HTML)."""
    rows = []
    for key in ("provinces_vn", "provinces_la"):
        for f in layers.features(key):
            p = f["properties"]
            rows.append({
                t("col.country", lang): t(f"country.{p.get('country')}", lang)
                if p.get("country") in ("VN", "LA") else p.get("country"),
                t("prop.code", lang): p.get("iso_3166_2") or p.get("id"),
                t("prop.name_vi", lang): p.get("name_vi"),
                t("prop.name_en", lang): p.get("name_en"),
                t("prop.name_local", lang): p.get("name_local"),
                t("prop.name_seed", lang): p.get("name_seed"),
                t("prop.border_length", lang) + " (km)": p.get("border_length_km"),
                t("prop.neighbours", lang): p.get("neighbours"),
                t("prop.source", lang): _cite(p),
                t("col.quote", lang): p.get("source_quote"),
            })
    st.dataframe(rows, hide_index=True, width="stretch")


def _mission_table(layers: layers_io.Layers, lang: str) -> None:
    """The 7 missions as a sortable table (text only: no HTML)."""
    rows = []
    for f in layers.features("missions"):
        p = f["properties"]
        rows.append({
            t("col.name", lang): mapview.mission_name(p, lang),
            t("prop.kind", lang): t("embassy" if p.get("kind") == "embassy" else "consulate",
                                    lang),
            t("prop.sending", lang): p.get("sending_country_name"),
            t("prop.host", lang): p.get("host_country_name"),
            t("prop.city", lang): p.get("city"),
            t("col.city_lo", lang): p.get("city_lo"),
            t("prop.ambassador", lang): p.get("ambassador"),
            t("prop.source", lang): _cite(p),
            t("col.quote", lang): p.get("source_quote"),
            t("prop.infobox", lang): p.get("infobox_quote"),
        })
    st.dataframe(rows, hide_index=True, width="stretch")


def _downloads(layers: layers_io.Layers, geo_dir: str,
               stamp: tuple[tuple[str, int, int], ...], lang: str) -> None:
    st.caption(t("downloads.note", lang))
    cols = st.columns(2)
    for i, (key, file_name) in enumerate(catalog.DOWNLOAD_NAMES.items()):
        label = t(f"layer.{key}", lang)
        cols[i % 2].download_button(
            f"{label} · {file_name}", data=layers.raw[key], file_name=file_name,
            mime="application/geo+json", key=f"dl_{key}", on_click="ignore",
            icon=":material/download:", width="stretch")
    cols[len(catalog.DOWNLOAD_NAMES) % 2].download_button(
        f"{t('download.zip', lang)} · laovn-map-layers.zip", data=_zip(geo_dir, stamp),
        file_name="laovn-map-layers.zip", mime="application/zip", key="dl_zip",
        on_click="ignore", icon=":material/folder_zip:", type="primary", width="stretch")


def _quotes(layers: layers_io.Layers, file_name: str) -> list[tuple[int | None, str]]:
    """The passages of seed `file_name` that the layers quote, with the line they cite."""
    out: list[tuple[int | None, str]] = []
    for name in catalog.LAYER_FILES:
        for feat in layers.features(name):
            p = feat["properties"]
            if not p.get("source_file") or Path(str(p["source_file"])).name != file_name:
                continue
            for line_key, quote_key in (("source_line", "source_quote"),
                                        ("infobox_line", "infobox_quote")):
                line = p.get(line_key)
                if p.get(quote_key):
                    out.append((line if isinstance(line, int) else None, str(p[quote_key])))
    return out


def _source(path: Path, layers: layers_io.Layers, lang: str) -> None:
    """One seed text, escaped, with the passages the layers quote marked."""
    st.caption(t("sources.note", lang))
    quotes = _quotes(layers, path.name)
    body = _seed_html(str(path), path.stat().st_mtime_ns,
                      tuple(sorted(set(quotes), key=lambda q: (q[0] or 0, q[1]))))
    st.markdown(body, unsafe_allow_html=True)


def _sections(layers: layers_io.Layers, geo_dir: str,
              stamp: tuple[tuple[str, int, int], ...], lang: str) -> None:
    """Tables, downloads and the seed texts, each in a lazy expander.

    Only an open expander's content runs and is sent: on load the browser renders nothing
    of it while it draws the map (expanders rather than tabs: tabs always show one, and
    each kind of element costs the browser its own script before the map appears).
    """
    sections: list[tuple[str, str, Callable[[], None]]] = [
        ("open_provinces", t("table.provinces", lang), lambda: _province_table(layers, lang)),
        ("open_missions", t("table.missions", lang), lambda: _mission_table(layers, lang)),
        ("open_downloads", t("downloads", lang),
         lambda: _downloads(layers, geo_dir, stamp, lang)),
    ]
    sections += [(f"seed_{path.stem}", f"{t('sources', lang)}: {path.name}",
                  functools.partial(_source, path, layers, lang))
                 for path in sorted(SEEDS_DIR.glob("*.txt"))]
    # An expander's label and `expanded` are part of its identity, so a language switch makes
    # new ones. They start as the previous ones were left; `expanded` changes only then, or a
    # click would meet a new expander.
    state = st.session_state.setdefault("sections", {"lang": lang, "open": {}, "start": {}})
    if state["lang"] != lang:
        state.update(lang=lang, start=dict(state["open"]))
    for key, label, draw in sections:
        box = st.expander(label, expanded=state["start"].get(key, False), key=key,
                          on_change="rerun")
        state["open"][key] = bool(box.open)
        if box.open:
            with box:
                draw()


def main() -> None:
    st.set_page_config(page_title="Laos–Vietnam relations map", page_icon=":world_map:",
                       layout="wide")
    # Less white space around the page than Streamlit's default, so the map gets the width.
    # (st.html, not Markdown with HTML: the first load needs no HTML-in-Markdown parser)
    st.html("<style>[data-testid='stMainBlockContainer']{padding:2.5rem 2rem 3rem;"
            "max-width:none}</style>")
    lang, visible, tiles = _sidebar()
    st.title(t("title", lang))
    st.caption(t("subtitle", lang))

    geo_dir = layers_io.default_geo_dir(APP_DIR)
    stamp = layers_io.fingerprint(geo_dir)
    try:
        layers = _load(str(geo_dir), stamp)
    except LayerError as exc:
        st.error(f"{t('error.layers', lang)}\n\n{exc}", icon=":material/error:")
        st.stop()

    fmap = mapview.build_map(_display(str(geo_dir), stamp), visible=visible, lang=lang,
                             tiles=tiles, prepared=_prepared(str(geo_dir), stamp, lang))
    out: dict[str, Any] | None = st_folium(
        fmap, key=MAP_KEY, height=640, use_container_width=True,
        returned_objects=["last_object_clicked_popup"])

    # Few elements, of few kinds, below the map: the browser renders them while it draws the
    # map, and loads a script for each kind of element first.
    st.markdown(f"**{t('selected', lang)}**")
    popup = (out or {}).get("last_object_clicked_popup")
    if popup:
        st.text(str(popup))
    else:
        st.caption(t("selected.none", lang))
    st.markdown(_figures(layers, lang))

    _sections(layers, str(geo_dir), stamp, lang)


main()
