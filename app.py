"""Streamlit page: the Laos–Vietnam relations map, its downloads and its sources.

Run with `python3 dev.py app` (or `streamlit run app.py`; both listen on localhost only, see
.streamlit/config.toml). Everything shown comes from one build: `geo/` beside this file, or the
folder named by the environment variable LAOVN_GEO_DIR, read and checked by
`reader.load_layers` (layers, figures, credits and the seed texts the layers quote). Any
error of the package (`LaovnMapError`) becomes a message naming the file relative to that
folder; the folder's absolute path goes to the server log only.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from laovn_map import catalog, cite
from laovn_map.catalog import SERVE_NETWORK_ENV, credit_line
from laovn_map.errors import LaovnMapError, LayerError
from laovn_map.export import dispatch, formats, provenance
from laovn_map.geo import reader
from laovn_map.i18n import DEFAULT_LANG, LANGUAGES, language, t
from laovn_map.page import browserdata, component, mapview, pagetext, pressed, simplify, webassets
from laovn_map.page.labels import esc, layer_label, osm_role, text_lang
from laovn_map.site import embed

APP_DIR = Path(__file__).resolve().parent
MAP_KEY = "laovn_map"
#: The widest window laid out as a phone's (CSS px): a compact heading and narrow margins.
PHONE_MAX_PX = 640
#: The skip link to the map, first in the sidebar (first after Streamlit's own skip link):
#: out of sight until it has the keyboard's focus, then at the top left of the window; its
#: element takes no room. A folded sidebar (phones) is shifted left by its width, 300 px
#: unless dragged wider, and a fixed element inside it is placed from there.
SKIP_LINK_CSS = (
    ".laovn-skip{position:absolute;left:-9999px;top:0}"
    ".laovn-skip:focus{position:fixed;left:.5rem;top:.5rem;z-index:1000001;padding:.5rem .9rem;"
    "background:#fff;color:inherit;border-radius:.4rem;outline:3px solid currentColor;"
    "text-decoration:underline;white-space:nowrap}"
    "[data-testid='stSidebar'][data-collapsed='true'] .laovn-skip:focus{left:calc(300px + .5rem)}"
    "[data-testid='stElementContainer']:has(.laovn-skip){height:0;margin-bottom:-1rem}")
#: The page's title and subtitle, written as HTML (st.html) in the look of st.title and
#: st.caption: as Markdown they made the first run load and run Streamlit's Markdown renderer
#: before the map could come (bench/README.md). The subtitle is
#: the text colour at 60 %, as Streamlit draws a caption (see .streamlit/config.toml).
HEADING_CSS = (
    ".laovn-title{font-size:2.75rem;font-weight:700;line-height:1.2;margin:0;"
    "padding:1.25rem 0 1rem}"
    ".laovn-subtitle{font-size:.875rem;line-height:1.6;margin:0;"
    "color:color-mix(in srgb,currentColor 60%,transparent)}"
    # a phone: a compact heading, the page's margins narrow, room at the top for the sidebar's
    # button and the language choice
    f"@media (max-width:{PHONE_MAX_PX}px){{"
    "[data-testid='stMainBlockContainer']{padding:4.25rem .75rem 2rem}"
    ".laovn-title{font-size:1.3rem;padding:0 0 .25rem}"
    ".laovn-subtitle{font-size:.8rem;line-height:1.4}}")
#: The language choice (`_language_choice`): drawn last, so that no element before the map
#: moves when it comes, and placed at the top right of the page, over the margin above the
#: title (on a phone, beside the sidebar's button).
LANGUAGE_KEY = "laovn-lang"
#: The language choice's widget (its value: a code of `i18n.LANGUAGES`).
LANGUAGE_CHOICE = "lang"
LANGUAGE_CSS = (
    "[data-testid='stMainBlockContainer']{position:relative}"
    f".st-key-{LANGUAGE_KEY}{{position:absolute;top:.6rem;right:2rem;width:auto;z-index:999991}}"
    f".st-key-{LANGUAGE_KEY} [data-testid='stRadio'] label{{margin-bottom:0}}"
    f"@media (max-width:{PHONE_MAX_PX}px){{.st-key-{LANGUAGE_KEY}{{right:.75rem;top:.55rem}}"
    # on a phone the open sidebar lies over the page, the choice under it: not drawn over it
    f".stApp:has([data-testid='stSidebar'][data-collapsed='false']) .st-key-{LANGUAGE_KEY}"
    "{visibility:hidden}}")
#: Where the map will be, while it loads: as tall as the map, with a line saying so, laid
#: over the map's place (it takes no room: nothing moves when the map comes); the run after
#: the map is drawn leaves it out.
LOADING_CSS = (
    ".laovn-heading{position:relative}"
    ".laovn-loading{position:absolute;left:0;right:0;top:calc(100% + 1rem);display:flex;"
    "align-items:center;justify-content:center;border-radius:.5rem;"
    "background:#f4f1ea;color:#3b3a36;font-size:1rem}")
#: Streamlit's font (its theme's sans-serif family): the Lao font adds its Lao letters to it
#: (`webassets.lao_font_added_to`), so the page's Lao renders where the system has no Lao font.
STREAMLIT_FAMILY = "Source Sans"
#: Streamlit's code blocks' font: the Lao font adds its letters to it where code holds Lao (the
#: citation's BibTeX and CSL-JSON, the embed's snippet), sent with those parts only.
STREAMLIT_CODE_FAMILY = "Source Code Pro"


#: The citation's code blocks' highlighted keys and strings in colours that read (WCAG 2.2 AA,
#: 4.5:1 on the code block's background): Streamlit's own light blue and green gave 2.7:1 and
#: 2.9:1 (axe, tests/browser/test_a11y.py).
CODE_CSS = ('[data-testid="stCode"] .token.property,[data-testid="stCode"] .token.keyword'
            '{color:#0b5394}[data-testid="stCode"] .token.string{color:#1d6b2f}')


def _code_font_style() -> str:
    return f"<style>{webassets.lao_font_added_to(STREAMLIT_CODE_FAMILY)}</style>"
Stamp = tuple[tuple[str, int, int], ...]
_log = logging.getLogger("laovn_map.app")


# What the process serves once per build is kept by the process (component.kept), not in
# st.cache_resource, which any visitor's "clear cache" message empties for every session.
@component.kept(max_entries=4)
def _load(geo_dir: str, stamp: Stamp) -> reader.Layers:
    # `stamp` (sizes and mtimes) makes a rebuilt geo/ load afresh without a restart.
    del stamp
    return reader.load_layers(Path(geo_dir))


@component.kept(max_entries=4)
def _display(geo_dir: str, stamp: Stamp) -> dict[str, Any]:
    # Simplified once per process: the browser gets ~90 m-accurate shapes, downloads stay full.
    return simplify.display_layers(_load(geo_dir, stamp).collections)


@component.kept(max_entries=4)
def _anchors(geo_dir: str, stamp: Stamp) -> dict[str, dict[str, browserdata.Anchor]]:
    # Where the labels go, from the full layers (not the simplified ones), once per build.
    return browserdata.label_anchors(_load(geo_dir, stamp).collections)


@component.kept(max_entries=4)
def _prepared(geo_dir: str, stamp: Stamp, period: str) -> dict[str, browserdata.PreparedLayer]:
    # The map's layers encoded for the browser, once per period (immutable, shared): the same
    # for every reader, so the map script never changes and is never redrawn.
    return browserdata.prepare_layers(_display(geo_dir, stamp), _anchors(geo_dir, stamp), period)


@component.kept(max_entries=4)
def _map(geo_dir: str, stamp: Stamp) -> component.MapComponent:
    # What streamlit-folium is given for the map, worked out once per build: the map script
    # is the same for every state, a run only brings its state script (component.py).
    return component.MapComponent.of(
        mapview.build_map(_prepared(geo_dir, stamp, catalog.PERIOD_TEXT)), MAP_KEY,
        mapview.MAP_HEIGHT_PX)


@component.kept(max_entries=8)
def _texts_json(geo_dir: str, stamp: Stamp, lang: str, period: str) -> str:
    # Tooltips, popups, labels, legend and search in one language, once per language and period.
    # the statements travel with the texts the map already gets: stepping through them sends
    # nothing to the server
    events = _load(geo_dir, stamp).figures.get("events")
    return browserdata.script_json(browserdata.prepare_texts(
        _display(geo_dir, stamp), lang, _anchors(geo_dir, stamp), period,
        events if isinstance(events, list) else []))


@component.kept(max_entries=4)
def _period_json(geo_dir: str, stamp: Stamp, period: str) -> str | None:
    if period == catalog.PERIOD_TEXT:
        return None
    return mapview.period_data_json(_prepared(geo_dir, stamp, period))


@component.kept(max_entries=4)
def _zip(geo_dir: str, stamp: Stamp) -> bytes:
    return reader.bundle_zip(_load(geo_dir, stamp))


@component.kept(max_entries=8)
def _source_html(geo_dir: str, stamp: Stamp, file: str) -> str:
    layers = _load(geo_dir, stamp)
    text = layers.texts[file]
    return pagetext.marked_source_html(text.text, pagetext.quotes_of(layers, file),
                                       text_lang(file), name=text.name)


def _served_to_the_network_unasked() -> bool:
    """.streamlit/config.toml binds localhost, but Streamlit reads it from the working folder
    only: started elsewhere without --server.address, the page would be open to the network.
    An explicit address (``--server.address 0.0.0.0``) or SERVE_NETWORK_ENV=1 is a choice."""
    return not st.get_option("server.address") and os.environ.get(SERVE_NETWORK_ENV) != "1"


def _param(name: str) -> str | None:
    """The URL's value of `name`: its first when given more than once, as the map script reads
    it (page/js/urlstate.js `firstParams`); Streamlit's own `get` gives the last."""
    values = st.query_params.get_all(name)
    return values[0] if values else None


def _first_values_only() -> None:
    """Leave one value of each key in the URL, its first (`_param`): Streamlit's widgets bound
    to the URL (?since2025, ?tiles) would take the last. Run before any is bound (the first
    run draws none); the map then finds the same values."""
    for name in list(st.query_params):
        values = st.query_params.get_all(name)
        if len(values) > 1:
            st.query_params[name] = values[0]


def _sidebar(lang: str) -> tuple[bool, str]:
    side = st.sidebar
    # The toggles are bound to the URL by Streamlit (?since2025=true, ?tiles=true). The layers
    # are chosen in the map's own layer control, which keeps them in the URL (?off=…) itself;
    # the language at the top of the page (`_language_choice`).
    # Which provinces of Vietnam: as the text lists them, or since the 2025 merger (?since2025=true)
    since_2025 = side.toggle(t("period.2025", lang), value=False,
                             key=mapview.PERIOD_PARAMS[catalog.PERIOD_2025],
                             bind="query-params")
    period = catalog.PERIOD_2025 if since_2025 else catalog.PERIOD_TEXT
    tiles = side.checkbox(t("tiles", lang), value=False, key="tiles", bind="query-params")
    return tiles, period


def _language() -> str:
    """The page's language: the reader's choice (`_language_choice`), else the URL's ?lang=,
    else the default."""
    chosen = st.session_state.get(LANGUAGE_CHOICE)
    if isinstance(chosen, str) and chosen in LANGUAGES:
        return chosen
    asked = _param("lang")
    return asked if isinstance(asked, str) and asked in LANGUAGES else DEFAULT_LANG


def _language_choice(lang: str) -> None:
    """One choice of `i18n.LANGUAGES`, each in its own name, at the top right of the page on
    every screen (a phone need not open the sidebar); kept in the URL as ?lang= (absent for
    the default). Its value is the next run's language (`_language`)."""
    # The default is the page's language, not a value set in the session: the browser may
    # register a chooser's default before the value a run gives it (when the next run starts
    # before it is drawn), and a table row chosen then sent the first language back.
    # the Lao font comes with the choice, which names Lao in Lao on every page, after the map
    fonts = webassets.lao_font_added_to(STREAMLIT_FAMILY, language(lang).script)
    st.html(f"<style>{fonts}</style>")
    with st.container(key=LANGUAGE_KEY):
        st.radio(t("language", lang), list(LANGUAGES), index=list(LANGUAGES).index(lang),
                 key=LANGUAGE_CHOICE, horizontal=True,
                 label_visibility="collapsed", format_func=lambda code: LANGUAGES[code].own_name)
    if lang == DEFAULT_LANG:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif _param("lang") != lang:
        st.query_params["lang"] = lang


def _url_flag(name: str) -> bool:
    """A toggle bound to the URL, read as Streamlit reads it (``true``/``false``, any case)."""
    return str(_param(name) or "").lower() == "true"


def _state_in_url() -> tuple[bool, str]:
    """What `_sidebar` decides, read from the URL alone (the first run draws no sidebar)."""
    since_2025 = _url_flag(mapview.PERIOD_PARAMS[catalog.PERIOD_2025])
    period = catalog.PERIOD_2025 if since_2025 else catalog.PERIOD_TEXT
    return _url_flag("tiles"), period


#: Set when the browser has drawn this session's map. Until then a run sends the title and the
#: map only: the browser draws the map before it renders (and loads the scripts of) the
#: sidebar, the timeline and the sections, which come in the run the drawn map asks for.
DRAWN_KEY = "map_drawn"
#: If the map never says it is drawn (its script failed), the rest of the page comes anyway.
DRAWN_FALLBACK_S = 4.0
#: Set when the fallback's wait has started (its fragment drawn): its first tick ends it.
WAIT_KEY = "map_wait_started"


def _map_drawn() -> None:
    st.session_state[DRAWN_KEY] = True


@st.fragment(run_every=DRAWN_FALLBACK_S)
def _rest_of_the_page_anyway() -> None:
    if st.session_state.get(DRAWN_KEY):
        return
    # the fragment runs once as it is drawn (the wait starts), then on each tick of its timer
    if st.session_state.get(WAIT_KEY):
        _map_drawn()
        st.rerun(scope="app")
    st.session_state[WAIT_KEY] = True


#: Where a table row's choice waits for the map: (feature id, a number that grows with each
#: choice, so that the map selects it once); an events table row gives a statement's id
#: (`mapview.EVENT_CHOICE` before it), which the map opens as `?event=` does.
SELECT_KEY = "map_select"


#: What a table shows where a row has no value: nothing (Streamlit's grid writes "None").
EMPTY_CELL = ""


def _table(rows: list[dict[str, Any]], lang: str, key: str | None = None,
           ids: list[str] | None = None) -> None:
    """A sortable table of text (no HTML), its numbers written in the page's language; with
    `ids`, a row chosen selects its feature on the map."""
    if not ids:
        st.dataframe(pagetext.table(rows, lang), hide_index=True, width="stretch",
                     placeholder=EMPTY_CELL)
        return

    def chosen() -> None:
        picked = st.session_state[str(key)].selection.rows
        if picked and ids[picked[0]]:
            _choose(ids[picked[0]])

    st.dataframe(pagetext.table(rows, lang), hide_index=True, width="stretch", key=key,
                 on_select=chosen, selection_mode="single-row", placeholder=EMPTY_CELL)


def _heading(text: str) -> None:
    st.markdown("#### " + pagetext.markdown_literal(text))


def _downloads(layers: reader.Layers, geo_dir: str, stamp: Stamp,
               state: mapview.MapState) -> None:
    """One section to take the data away: the data as built (the layer files, the zip, and
    every layer and event in each export format), then the map as shown (`_map_shown`)."""
    lang = state.lang
    _heading(t("downloads.built", lang))
    st.caption(t("downloads.note", lang))
    cols = st.columns(2)
    for i, (key, file_name) in enumerate(catalog.DOWNLOAD_NAMES.items()):
        label = layer_label(key, lang)
        cols[i % 2].download_button(
            f"{label} · {file_name}", data=layers.raw[key], file_name=file_name,
            mime="application/geo+json", key=f"dl_{key}", on_click="ignore",
            icon=":material/download:", width="stretch")
    cols[len(catalog.DOWNLOAD_NAMES) % 2].download_button(
        t("download.zip", lang) + f" · {catalog.BUNDLE_NAME}", data=_zip(geo_dir, stamp),
        file_name=catalog.BUNDLE_NAME, mime="application/zip", key="dl_zip",
        on_click="ignore", icon=":material/folder_zip:", type="primary", width="stretch")
    st.caption(t("exports.everything", lang))
    # known when drawn: the period and the language rerun the page when they change
    _export_buttons(geo_dir, stamp, formats.ExportState(period=state.period, lang=lang),
                    lang, "export_all")
    _heading(t("downloads.shown", lang))
    st.caption(t("downloads.shown.note", lang))
    _map_shown(geo_dir, stamp, state)
    _heading(t("embed", lang))
    st.caption(t("embed.note", lang))
    st.html(_code_font_style())  # the snippet's title is in the page's language
    component.embed_box("embed", {"spec": embed.embed_spec(lang, _site_url(), streamlit=True),
                                  "words": embed.embed_words(lang)})


def _site_url() -> str | None:
    """The static site's address ($LAOVN_SITE_URL) the embed points at; without one (or with
    one that is no address, logged) the page embeds itself."""
    try:
        return embed.site_url(None)
    except LaovnMapError as exc:
        _log.error("%s; the embed points at this page", exc)
        return None


@component.kept(max_entries=32)
def _export(geo_dir: str, stamp: Stamp, fmt: str, state: formats.ExportState) -> bytes:
    # Built only when its button is pressed, once per format and state.
    return dispatch.export(_load(geo_dir, stamp), fmt, state)


def _export_buttons(geo_dir: str, stamp: Stamp, state: formats.ExportState, lang: str,
                    key: str) -> None:
    cols = st.columns(3)
    for i, fmt in enumerate(formats.FORMATS):
        cols[i % 3].download_button(
            formats.export_label(fmt, lang),
            data=functools.partial(_export, geo_dir, stamp, fmt, state),
            file_name=formats.file_name(fmt, state), mime=formats.FORMATS[fmt].mime,
            key=f"{key}_{fmt}", on_click="ignore", icon=":material/download:", width="stretch")


#: The exports element's key (`component.export_buttons`).
EXPORTS_KEY = "exports_shown"
#: Where the answer to a press (the file, or a note saying why there is none) waits for the
#: run the press starts, which hands it to the element once.
ANSWER_KEY = "exports_answer"


def _map_shown(geo_dir: str, stamp: Stamp, state: mapview.MapState) -> None:
    """The exports of what the map shows at the press: the element sends the page's address
    then (the map's layers, view and statement), and the run it starts brings the file back
    (`_answer_press`); the period, the language and the timeline's range are this run's."""
    lang = state.lang
    answer = st.session_state.pop(ANSWER_KEY, None) or {}
    component.export_buttons(EXPORTS_KEY, {
        "group": t("downloads.shown", lang), "busy": t("export.busy", lang),
        "buttons": [{"format": fmt, "label": formats.export_label(fmt, lang)}
                    for fmt in formats.FORMATS],
        **answer}, functools.partial(_answer_press, geo_dir, stamp, state))


def _answer_press(geo_dir: str, stamp: Stamp, state: mapview.MapState) -> None:
    """Make the file a press asks for, before the run it starts (which hands it over), or the
    one line saying why not; the server's log keeps the details of an unforeseen failure."""
    lang = state.lang
    value = component.press_value(EXPORTS_KEY)
    press_id = str(value.get("id"))[:40] if isinstance(value, dict) else "?"
    fmt = ""
    try:
        press = pressed.read_press(value, mapview.view_rule(
            _prepared(geo_dir, stamp, catalog.PERIOD_TEXT)),
            pagetext.event_ids(_load(geo_dir, stamp)))
        press_id, fmt = press.press_id, formats.export_format(press.fmt).key
        if not press.layers:
            _note(press_id, t("export.empty", lang))
            return
        export_state = formats.ExportState(
            layers=press.layers, period=state.period, lang=lang, view=pressed.view_box(press.view),
            timeline=state.timeline, event=press.event)
        data = _export(geo_dir, stamp, fmt, export_state)
    except LaovnMapError as exc:
        _log.warning("export refused: %s", exc)
        _note(press_id, t("export.failed", lang).format(reason=str(exc)))
        return
    except Exception:  # a reader sees one line, never a traceback
        _log.exception("export of %s failed", fmt or "an unknown format")
        _note(press_id, t("export.failed", lang).format(reason=t("export.failed.log", lang)))
        return
    name = formats.file_name(fmt, export_state)
    st.session_state[ANSWER_KEY] = {"file": {
        "id": press_id, "name": name, "mime": formats.FORMATS[fmt].mime,
        "base64": base64.b64encode(data).decode("ascii"),
        "saved": t("export.saved", lang).format(name=name)}}


def _note(press_id: str, text: str) -> None:
    st.session_state[ANSWER_KEY] = {"note": {"id": press_id, "text": text}}


def _source(geo_dir: str, stamp: Stamp, file: str, lang: str) -> None:
    """One seed text of the build, escaped, with the passages the layers quote marked."""
    st.caption(t("sources.note", lang))
    st.markdown(_source_html(geo_dir, stamp, file), unsafe_allow_html=True)


#: What is drawn over the timeline's slider (`pagetext.timeline_scale_html`): a bar per stop
#: (the statements that start in its year) and each era's name over its stops, placed as the
#: slider places them (its track is inset by its handle's half width, 0.5rem).
TIMELINE_SCALE_CSS = (
    ".laovn-scale-label{font-size:.875rem;margin:0 0 .25rem}"
    ".laovn-scale{position:relative;margin:0 .5rem;font-size:.75rem;line-height:1.3}"
    ".laovn-scale-bars{position:relative;height:1.75rem}"
    ".laovn-scale-bar{position:absolute;bottom:0;width:4px;margin-left:-2px;"
    "background:currentColor;opacity:.55;border-radius:1px 1px 0 0}"
    ".laovn-scale-eras{position:relative;height:1.4rem;margin-top:.15rem}"
    ".laovn-scale-era{position:absolute;top:0;min-width:4px;border-top:2px solid currentColor;"
    "padding-top:.1rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}")
def _years_in_url(rule: pagetext.YearsRule) -> tuple[int, int]:
    """The URL's ?years=A-B (`pagetext.YearsRule`); the whole span for a bad or missing value."""
    return rule.years(_param(pagetext.YEARS_PARAM)) or (rule.first, rule.last)


def _timeline(layers: reader.Layers, lang: str, slider: bool
              ) -> pagetext.Timeline | None:
    """The timeline's range of years, kept in the URL (?years=1945-1977, absent for the whole
    span): the dates whose events the map and the
    events table show, None for all of them. With `slider` it is the slider's (drawn here, its
    stops the years the texts date: `pagetext.timeline_stops`, under the statements' count per
    stop and era); without (a first run draws no slider), the URL's."""
    rule = pagetext.years_rule(layers)
    if rule is None:
        return None
    if not slider:
        low, high = _years_in_url(rule)
    else:
        # the URL's range, and the slider's once it has one (the widget's identity is its key)
        chosen = st.session_state.get("years") or _years_in_url(rule)
        stops = pagetext.timeline_stops(layers, chosen)
        # the slider's label above the scale, so that the bars stand on the slider's track
        helps = esc(t("timeline.help", lang))
        st.html(f"<style>{TIMELINE_SCALE_CSS}</style>"
                f'<p class="laovn-scale-label" title="{helps}">' + esc(t("timeline", lang)) + "</p>"
                + pagetext.timeline_scale_html(layers, stops, lang))
        years: Any = st.select_slider(t("timeline", lang), stops, value=chosen, key="years",
                                      label_visibility="collapsed")
        low, high = (int(years[0]), int(years[1]))
        param = pagetext.YEARS_PARAM
        if (low, high) == (rule.first, rule.last):
            if param in st.query_params:
                del st.query_params[param]
        elif _param(param) != f"{low}-{high}":
            st.query_params[param] = f"{low}-{high}"
    return rule.timeline((low, high))


def _events(layers: reader.Layers, lang: str, timeline: pagetext.Timeline | None) -> None:
    st.caption(t("events.note", lang))
    _table(pagetext.event_rows(layers, lang, timeline), lang, f"rows_events_{lang}",
           [mapview.EVENT_CHOICE + event_id
            for event_id in pagetext.event_ids(layers, timeline)])


def _choose(choice: str) -> None:
    """Ask the map for `choice` (a feature id, or `mapview.EVENT_CHOICE` and a statement's id)
    once: the one path of a table's row and a timeline's button."""
    nonce = (st.session_state.get(SELECT_KEY) or ("", 0))[1] + 1
    st.session_state[SELECT_KEY] = (choice, nonce)


#: The vertical timeline's element key.
TIMELINE_KEY = "timeline_list"


def _timeline_list(layers: reader.Layers, lang: str,
                   timeline: pagetext.Timeline | None) -> None:
    """The statements in the timeline's range as a list a person reads, per era; a button
    opens a statement on the map as an events table row does."""
    known = set(pagetext.event_ids(layers))

    def opened() -> None:
        event_id = component.opened_value(TIMELINE_KEY)
        if isinstance(event_id, str) and event_id in known:
            _choose(mapview.EVENT_CHOICE + event_id)

    st.caption(t("timeline.list.note", lang))
    component.timeline_list(TIMELINE_KEY, pagetext.timeline_list(layers, lang, timeline), opened)


def _text_figures(layers: reader.Layers, lang: str) -> None:
    st.caption(t("textfigures.note", lang))
    for note in pagetext.figure_disagreement_notes(layers, lang):
        st.warning(pagetext.markdown_literal(note))
    _table(pagetext.text_figure_rows(layers, lang), lang)


def _official(layers: reader.Layers, lang: str) -> None:
    st.caption(t("official.note", lang))
    _table(pagetext.official_rows(layers, lang), lang)


def _cite(layers: reader.Layers, lang: str) -> None:
    """How to cite the map: the sentence, BibTeX and CSL-JSON of this build (`cite.citation`).
    The sentence is text, its articles' titles marked with their language (a code block can
    mark nothing); BibTeX and CSL-JSON, formats for software, are code blocks, which copy
    them whole."""
    cited = cite.citation(layers.manifest_bytes, lang)
    st.caption(t("cite.note", lang))
    _heading(t("cite.sentence", lang))
    # a checksum or an address is one long word: it breaks where it must, on a phone too
    st.html(_code_font_style() + f"<style>.laovn-cite-sentence{{overflow-wrap:anywhere}}{CODE_CSS}"
            "</style>"
            f'<p class="laovn-cite-sentence">{provenance.sentence_html(cited, lang)}</p>')
    for label, text, syntax in (("BibTeX", cited.bibtex, "latex"),
                                ("CSL-JSON", cited.csl_json, "json")):
        _heading(label)
        st.code(text, language=syntax, wrap_lines=True)


def _sections(layers: reader.Layers, geo_dir: str, stamp: Stamp,
              state: mapview.MapState) -> None:
    """Tables, downloads and the seed texts, each in a lazy expander.

    Only an open expander's content runs and is sent: on load the browser renders nothing
    of it while it draws the map (expanders rather than tabs: tabs always show one, and
    each kind of element costs the browser its own script before the map appears).
    """
    lang = state.lang
    sections: list[tuple[str, str, Callable[[], None]]] = [
        ("open_provinces", t("table.provinces", lang),
         lambda: _table(pagetext.province_rows(layers, lang), lang, f"rows_provinces_{lang}",
                        pagetext.row_feature_ids(layers, "provinces"))),
        ("open_missions", t("table.missions", lang),
         lambda: _table(pagetext.mission_rows(layers, lang), lang, f"rows_missions_{lang}",
                        pagetext.row_feature_ids(layers, "missions"))),
        ("open_timeline", t("timeline.list", lang),
         lambda: _timeline_list(layers, lang, state.timeline)),
        ("open_events", t("table.events", lang), lambda: _events(layers, lang, state.timeline)),
        ("open_textfigures", t("textfigures", lang), lambda: _text_figures(layers, lang)),
        ("open_official", t("official", lang), lambda: _official(layers, lang)),
        ("open_downloads", t("downloads", lang),
         lambda: _downloads(layers, geo_dir, stamp, state)),
        ("open_cite", t("cite.title", lang), lambda: _cite(layers, lang)),
    ]
    sources = t("sources", lang)
    sections += [(f"seed_{Path(text.name).stem}", f"{sources}: {text.name}",
                  functools.partial(_source, geo_dir, stamp, text.file, lang))
                 for text in sorted(layers.texts.values(), key=lambda text: text.file)]
    # An expander's label and `expanded` are part of its identity, so a language switch makes
    # new ones. They start as the previous ones were left; `expanded` changes only then, or a
    # click would meet a new expander.
    opened = st.session_state.setdefault("sections", {"lang": lang, "open": {}, "start": {}})
    if opened["lang"] != lang:
        opened.update(lang=lang, start=dict(opened["open"]))
    for key, label, draw in sections:
        box = st.expander(label, expanded=opened["start"].get(key, False), key=key,
                          on_change="rerun")
        opened["open"][key] = bool(box.open)
        if box.open:
            with box:
                draw()


def main() -> None:
    # The icon as a character: a shortcode would make the browser fetch Streamlit's emoji table.
    st.set_page_config(page_icon="🗺️", layout="wide")
    # Whatever config was read: no visitor sees a traceback (the server log keeps it).
    st.set_option("client.showErrorDetails", "none")
    # The sidebar's first element, once the language is known: the skip link, which gives the
    # sidebar its width in the first run too, so the map does not narrow when its widgets come.
    skip = st.sidebar.empty()
    drawn = bool(st.session_state.get(DRAWN_KEY))
    if not drawn:
        _first_values_only()
    lang = _language()
    tiles, period = _sidebar(lang) if drawn else _state_in_url()
    st.set_page_config(page_title=pagetext.page_title(lang))  # the tab's title in its language
    skip.html(f'<a class="laovn-skip" href="#{catalog.MAP_FRAME_ID}">'
              + esc(t("skip.map", lang)) + "</a>")
    # The page's style with its title, as one element: each element before the map's delays
    # it (bench/README.md). Less white space around the page than
    # Streamlit's default, so the map gets the width; the skip link shows only while it has the
    # focus. (st.html, not Markdown with HTML: the first load needs no Markdown parser)
    # Until the map is drawn, its place shows that it is loading (LOADING_CSS).
    loading = "" if drawn else (
        f'<div class="laovn-loading" style="height:{mapview.MAP_HEIGHT_PX}px" role="status">'
        + esc(t("map.loading", lang)) + "</div>")
    st.html("<style>[data-testid='stMainBlockContainer']{padding:2.5rem 2rem 3rem;"
            f"max-width:none}}{SKIP_LINK_CSS}{HEADING_CSS}{LANGUAGE_CSS}{LOADING_CSS}</style>"
            '<div class="laovn-heading"><h1 class="laovn-title">' + esc(t("title", lang))
            + "</h1>"
            '<p class="laovn-subtitle">' + esc(t("subtitle", lang)) + "</p>" + loading + "</div>")
    if _served_to_the_network_unasked():
        _log.error("refusing to serve: the page listens on all interfaces; start it in %s, pass "
                   "--server.address, or set %s=1", APP_DIR, SERVE_NETWORK_ENV)
        st.error(t("error.network", lang), icon=":material/error:")
        st.stop()

    geo_dir = reader.default_geo_dir(APP_DIR)
    try:
        _page(str(geo_dir), mapview.MapState(lang, period, tiles,
                                             st.session_state.get(SELECT_KEY)), drawn)
    except LaovnMapError as exc:
        # The message names files relative to the geo folder; its absolute path stays here.
        _log.error("the layers in %s: %s", geo_dir, exc)
        if not drawn:  # no map will say it is drawn: the sidebar now
            _sidebar(lang)
            drawn = True
        st.error(t("error.layers", lang) + "\n\n" + pagetext.markdown_literal(str(exc)),
                 icon=":material/error:")
    if drawn:
        _language_choice(lang)


def _page(geo_dir: str, state: mapview.MapState, drawn: bool) -> None:
    """Everything drawn from the build: map, figures and sections (the map alone until the
    browser has `drawn` it)."""
    lang = state.lang
    stamp = reader.fingerprint(Path(geo_dir))
    try:
        layers = _load(geo_dir, stamp)
    except LayerError:
        # A rebuild swapped the folder while it was being read: read the new build once more.
        if reader.fingerprint(Path(geo_dir)) == stamp:
            raise
        stamp = reader.fingerprint(Path(geo_dir))
        layers = _load(geo_dir, stamp)
    # The map's script is the same for every state, so streamlit-folium keeps the map it drew
    # (view, popup, layer choices); the state goes to it as a script it evaluates again when it
    # changes. Nothing on the map reruns the page: no returned objects.
    # The timeline sits under the map but is read first: its range is part of the map's state.
    map_box = st.container()
    timeline = _timeline(layers, lang, slider=drawn)
    state = dataclasses.replace(state, timeline=timeline)
    role = osm_role(layers.collections, lang, state.period)
    script = mapview.state_script(state, _texts_json(geo_dir, stamp, lang, state.period),
                                  _period_json(geo_dir, stamp, state.period), role)
    with map_box:
        _map(geo_dir, stamp).show(script, on_change=_map_drawn)
    if not drawn:
        _rest_of_the_page_anyway()
        return
    # the sidebar's last line: the credits, naming the layers the build says come from OSM
    st.sidebar.caption(credit_line(lang, osm_role=role))
    st.sidebar.caption(pagetext.correction_note(lang))

    # Few elements, of few kinds, below the map: the browser renders them while it draws the
    # map, and loads a script for each kind of element first.
    st.markdown(pagetext.figures_markdown(layers, lang))

    _sections(layers, geo_dir, stamp, state)


main()
