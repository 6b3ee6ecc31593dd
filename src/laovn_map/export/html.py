"""The offline HTML map: the page's own interactive map of a state as one file.

Only `to_html` knows how the interactive map is assembled (`mapview`'s map and folium's
rendering): the map's code is being reworked, and this is the one place to adapt.
"""

from __future__ import annotations

from laovn_map.catalog import MAP_LAYERS, PERIOD_TEXT
from laovn_map.export.features import label_anchors, per_build, selected_statement, shown_layers
from laovn_map.export.formats import ExportState
from laovn_map.export.provenance import cited, provenance, sentence_html
from laovn_map.geo.reader import Layers
from laovn_map.i18n import t
from laovn_map.page import browserdata, mapview, simplify
from laovn_map.page.labels import esc, osm_role
from laovn_map.page.pagetext import years_rule
from laovn_map.page.simplify import FeatureCollection

#: The citation in the credits: folded to one word until opened, then a box that scrolls within
#: the window (the credits line sits at the map's bottom right).
CITE_CSS = (".laovn-cite-box{display:inline}.laovn-cite-box summary{display:inline;cursor:pointer;"
            "text-decoration:underline}.laovn-cite-box[open]{display:block;max-width:min(40rem,90vw);"
            "max-height:50vh;overflow:auto;text-align:left;overflow-wrap:break-word}"
            ".laovn-cite-box pre{white-space:pre-wrap;"
            "font-size:11px;margin:.3rem 0}")


def cite_html(layers: Layers, lang: str) -> str:
    """How to cite the map, as a part of its credits: "Cite this map" opens the sentence, BibTeX
    and CSL-JSON (escaped, each in a block that keeps its lines)."""
    cite = cited(layers, lang)
    return (f'<details class="laovn-cite-box"><summary>{esc(t("cite.title", lang))}</summary>'
            f"<p>{sentence_html(cite, lang)}</p><pre>{esc(cite.bibtex)}</pre>"
            f"<pre>{esc(cite.csl_json)}</pre></details>")


def _display(layers: Layers) -> dict[str, FeatureCollection]:
    """The display geometry, as on the page: made once per loaded build."""
    found: dict[str, FeatureCollection] = per_build(
        layers, "display", lambda: simplify.display_layers(layers.collections))
    return found


def _prepared(layers: Layers, period: str) -> dict[str, browserdata.PreparedLayer]:
    disp = _display(layers)
    found: dict[str, browserdata.PreparedLayer] = per_build(
        layers, ("prepared", period), lambda: browserdata.prepare_layers(
            disp, label_anchors(layers), period))
    return found


def _state_script(layers: Layers, state: ExportState,
                  period_files: tuple[mapview.PeriodFile, ...] = ()) -> str:
    """The map's `laovn.apply` call for `state`: its language's texts, its period's layers,
    and the rule by which the map reads the address's ?years= (a file is a page of its own)."""
    shown = shown_layers(layers, state)
    disp = _display(layers)
    # the texts' statements travel with the map, as on the page: its story opens on the one
    # the state shows (`MapState.event`), and steps through the others
    events = layers.figures.get("events")
    texts = per_build(layers, ("texts", state.lang, state.period), lambda: browserdata.script_json(
        browserdata.prepare_texts(disp, state.lang, label_anchors(layers), state.period,
                                  events if isinstance(events, list) else [])))
    selected_statement(layers, state)  # an id the build lacks is refused, as by every export
    period_json = (mapview.period_data_json(_prepared(layers, state.period))
                   if state.period != PERIOD_TEXT else None)
    off = tuple(name for name in MAP_LAYERS if name not in shown)
    return mapview.state_script(
        mapview.MapState(state.lang, state.period, off=off, timeline=state.timeline,
                         event=state.event, years=years_rule(layers),
                         period_files=period_files), texts,
        period_json, osm_role(layers.collections, state.lang, state.period))


def state_file(layers: Layers, state: ExportState) -> bytes:
    """The map's state as a script file of its own (a `mapview.PeriodFile`: the site's 2025
    provinces, which its embed page loads only when its address asks for them)."""
    return (_state_script(layers, state) + "\n").encode("utf-8")


def to_html(layers: Layers, state: ExportState,
            period_files: tuple[mapview.PeriodFile, ...] = ()) -> bytes:
    """The interactive map of the state as one HTML file that opens from disk with no network:
    the page's own map (`mapview.build_map`: popups with their quotes, layer control, legend,
    labels, credits; Leaflet inlined from the xstatic package as data: URLs), drawn from the
    display geometry as on the page, with `<html lang>`, a title, and the build and how to cite
    it (`cite_html`) in the credits. Its address's ?years= (and, with `period_files` beside
    it, the period's flag) are read as the page reads them.

    The one function that knows the map's assembly: adapt it when `mapview` changes."""
    prov = provenance(layers)
    script = _state_script(layers, state, period_files)
    fmap = mapview.standalone_map(_prepared(layers, PERIOD_TEXT), script)
    root = fmap.get_root()
    root.title = esc(t("title", state.lang))  # type: ignore[attr-defined]
    # folium names the map with a random id: a fixed one makes the same state the same file
    page = root.render().replace(fmap.get_name(), "map_laovn")
    build = browserdata.script_json(esc(prov.line(state.lang)))
    citation = browserdata.script_json(cite_html(layers, state.lang))
    meta = (f'<meta name="generator" content="{esc(prov.generator)}">'
            f'<meta name="laovn-manifest-sha256" content="{esc(prov.manifest_sha256)}">')
    page = page.replace("<html>", f'<html lang="{state.lang}">', 1)
    page = page.replace("<head>", "<head>" + meta, 1)
    # the build joins the map's credit line (the map script has run by then)
    tail = ("<script>if (window.laovn && window.laovn.map) "
            f"{{ window.laovn.map.attributionControl.addAttribution({build}); "
            f"window.laovn.map.attributionControl.addAttribution({citation}); }}</script>"
            f"<style>{CITE_CSS}</style>")
    head, sep, end = page.rpartition("</html>")
    return ((head + tail + sep + end) if sep else page + tail).encode("utf-8")
