"""How the map looks: colours, Leaflet path options per layer and feature, and the page's CSS.

Plain data with no imports beyond `catalog`: the browser encoding (`browserdata`) puts each
feature's style into the layer data, the legend (`labels`) draws swatches in the same colours,
and `mapview` adds the CSS to the map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from laovn_map.catalog import LAOS, VIETNAM

#: Every colour of the map, its legend and its popups. Chosen for WCAG 2.2 AA (tests/
#: test_mapstyle.py computes each pair): text at least 4.5:1 against what is behind it, lines
#: and markers at least 3:1 against what is under them (land, sea, inland water, the province
#: fills over either). The sea is darker than the land (not a change of hue only), and every
#: edge between them is also drawn by an outline in 3:1 to both sides.
COLOURS: dict[str, str] = {
    "sea": "#abcbe0",
    "party": "#fbf8f0",
    "neighbour": "#e6e3dc",
    "country_line": "#5a5852",
    "vn": "#b3261e",
    "la": "#1f4e9c",
    "border": "#111111",
    "segment_a": "#b45a00",
    "segment_b": "#833fc7",
    "water": "#c2dbea",
    "water_line": "#2f5d85",
    "label": "#2b2a27",
    "label_country": "#5c5851",
    "label_vn": "#7d1616",
    "label_la": "#163a78",
    "other": "#555555",  # a mission of neither country (none today)
    # popups, legend and notices: on white ("paper"; Leaflet's popups are white too)
    "paper": "#ffffff",
    "text": "#222222",
    "text_muted": "#555555",
    "text_note": "#444444",
    "quote": "#fff8e1",
    "accent": "#d9a400",
    "notice": "#fff4d6",
    "notice_text": "#3b2f00",
    "focus": "#1f4e9c",
    "link": "#005a80",  # Leaflet's #0078a8 is 4.47:1 on its attribution box over the sea
    # search results: the option the arrow keys are on
    "highlight": "#e8eef8",
    "rule": "#cccccc",  # lines between the tools' buttons (decoration, not information)
    "event": "#5b3a00",
}
#: The colour of each country (its provinces, and the missions it sends), by alpha-2 code.
COUNTRY_COLOUR = {VIETNAM.code: COLOURS["vn"], LAOS.code: COLOURS["la"]}

#: Leaflet path options per layer; `feature_style` adds what varies per feature.
LAYER_STYLE: dict[str, dict[str, Any]] = {
    # the base map answers no pointer: a click goes through to the map
    "countries": {"color": COLOURS["country_line"], "weight": 1, "fillOpacity": 1.0,
                  "interactive": False},
    "water": {"color": COLOURS["water_line"], "fillColor": COLOURS["water"], "weight": 0.6,
              "fillOpacity": 1.0},
    "provinces_vn": {"color": COLOURS["vn"], "fillColor": COLOURS["vn"], "weight": 1.2,
                     "fillOpacity": 0.22},
    "provinces_la": {"color": COLOURS["la"], "fillColor": COLOURS["la"], "weight": 1.2,
                     "fillOpacity": 0.22},
    # opaque: a segment's colour is the same on either side of the border line over it
    "segments": {"weight": 9, "opacity": 1.0},
    "border": {"color": COLOURS["border"], "weight": 2.5, "opacity": 1.0},
    # embassies: filled dots with a white rim; consulates: white dots with a thick ring,
    # both in the sending country's colour
    "embassies": {"radius": 9, "color": COLOURS["paper"], "weight": 2.5, "fillOpacity": 1.0},
    "consulates": {"radius": 6, "weight": 3.5, "fillColor": COLOURS["paper"], "fillOpacity": 1.0},
    # events: small dark amber dots with a white rim, beside the missions
    "events": {"radius": 5.5, "color": COLOURS["paper"], "weight": 2,
               "fillColor": COLOURS["event"], "fillOpacity": 1.0},
}
#: The land while the reader has the base map off (js/land.js): filled in the neighbours'
#: colour, without outlines, so that land never looks like sea.
LAND_STYLE: dict[str, Any] = {"stroke": False, "fillColor": COLOURS["neighbour"],
                              "fillOpacity": 1.0, "interactive": False,
                              "className": "laovn-land"}
#: A CSS class shared by the layers of one kind (the tests and the benchmark find them by it).
LAYER_CLASS = {"countries": "laovn-country", "water": "laovn-water",
               "provinces_vn": "laovn-province",
               "provinces_la": "laovn-province", "embassies": "laovn-missions",
               "consulates": "laovn-missions"}


def feature_style(layer: str, index: int, props: Mapping[str, Any]) -> dict[str, Any]:
    """The Leaflet options of one feature that differ from its layer's `LAYER_STYLE`."""
    if layer == "countries":
        return {"fillColor": COLOURS["party" if props.get("is_party") else "neighbour"]}
    if layer == "segments":
        return {"color": COLOURS["segment_a" if index % 2 == 0 else "segment_b"]}
    colour = COUNTRY_COLOUR.get(str(props.get("sending_country")), COLOURS["other"])
    if layer == "embassies":
        return {"fillColor": colour}
    if layer == "consulates":
        return {"color": colour}
    return {}


#: How the story marks a statement's shapes (js/story.js markShapes): each in its own colours,
#: its outline this many pixels wide and opaque. The map's CSS and the print draw it so.
STORY_MARK: dict[str, float] = {"weight": 5, "opacity": 1.0}

#: CSS class of a map label (`laovn-label`) by kind; `browserdata` gives each label one.
LABEL_CLASS = {"capital": "laovn-label laovn-label-city laovn-label-capital",
               "city": "laovn-label laovn-label-city",
               "party": "laovn-label laovn-label-country laovn-label-party",
               "country": "laovn-label laovn-label-country",
               "provinces_vn": "laovn-label laovn-label-province laovn-label-vn",
               "provinces_la": "laovn-label laovn-label-province laovn-label-la"}

#: The family of the Lao font the page ships (`webassets.lao_font_face`, for the Lao block
#: only): first in the map's font, so that Lao is always drawn in it and everything else in
#: the system's font. After system-ui, Chromium on Linux drew a bold Lao label in the system
#: font without looking further, as boxes, where no system font has Lao.
LAO_FAMILY = "Noto Sans Lao"

CSS = """
/* the map's frame never scrolls itself: a swipe over it goes on to the page */
html, body { overflow: hidden; }
.leaflet-container { background: %(sea)s; font: 13px/1.4 "%(lao_family)s", system-ui, sans-serif; }
/* the credit line's links: darker than Leaflet's, and underlined (not told by colour alone) */
.leaflet-control-attribution a { color: %(link)s; text-decoration: underline; }
/* tiles shown: the base map's land gives way to them (its outlines stay) */
.laovn-tiles-shown path.laovn-country { fill-opacity: 0; }
.laovn-tiles-shown path.laovn-land { fill-opacity: 0; }
.laovn-tiles-shown path.laovn-water { fill-opacity: .35; }
/* a click gives a shape the focus: no browser outline around its box; the keyboard's focus
   shows on the shape itself, as a thicker stroke */
.leaflet-container path.leaflet-interactive:focus { outline: none; }
.leaflet-container path.leaflet-interactive:focus-visible { stroke-width: 5px;
  stroke-opacity: 1; }
/* labels: a zero-size marker icon holding a span centred on the anchor (cities: right of
   their dot); `laovn-label-hidden` is set by the runtime's overlap pass */
.laovn-label { pointer-events: none; }
.laovn-label span { position: absolute; white-space: nowrap; transform: translate(-50%%, -50%%);
  color: %(label)s; font-size: 12px; font-weight: 600; line-height: 1.1;
  text-shadow: 0 0 2px %(paper)s, 0 0 2px %(paper)s, 0 0 3px %(paper)s; }
.laovn-label-hidden span { visibility: hidden; }
.laovn-label-country span { color: %(label_country)s; font-size: 13px; letter-spacing: .12em;
  text-transform: uppercase; }
.laovn-label-party span { color: %(label)s; font-size: 15px; font-weight: 700; }
.laovn-label-vn span { color: %(label_vn)s; }
.laovn-label-la span { color: %(label_la)s; }
.laovn-label-city span { transform: translate(13px, -50%%); font-weight: 500; }
.laovn-label-capital span { font-weight: 700; font-size: 13px; }
/* a province's name where it fits only smaller (js/texts.js placeLabels) */
.laovn-label-small span { font-size: 10.5px; }
/* popups: sized to the map by the runtime (maxWidth, maxHeight); long content scrolls */
.laovn-props td { overflow-wrap: anywhere; }
.laovn-notice { background: %(notice)s; border: 1px solid %(accent)s; border-radius: 6px;
  padding: 6px 10px; max-width: 22em; color: %(notice_text)s;
  box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.laovn-legend-toggle { all: unset; cursor: pointer; display: block; font-weight: 700;
  font-size: 14px; margin-bottom: 3px; }
.laovn-legend-toggle::after { content: " \\25BE"; font-weight: 400; }
.laovn-legend-toggle[aria-expanded="false"]::after { content: " \\25B8"; }
.laovn-legend-toggle:focus-visible { outline: 2px solid %(focus)s; outline-offset: 2px; }
.laovn-legend [hidden] { display: none; }
.laovn-legend { background: %(paper)s; padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); color: %(text)s; line-height: 1.5; }
.laovn-legend-body { min-width: 13em; }
.laovn-legend i { display: inline-block; vertical-align: middle; margin-right: 6px; }
.laovn-legend .sw { width: 16px; height: 12px; border: 1.5px solid; opacity: .85; }
.laovn-legend .dot { border-radius: 50%%; border: 2px solid %(paper)s;
  box-shadow: 0 0 0 1px rgba(0,0,0,.35); }
.laovn-legend .dot.ring { background: %(paper)s; border-width: 3px; box-shadow: none; }
.laovn-legend .ln { width: 22px; height: 0; border-top: 3px solid; }
/* the map's own controls (js/) */
.laovn-sr { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%%); white-space: nowrap; }
.laovn-search { background: %(paper)s; position: relative; }
.laovn-search input { width: 15em; max-width: calc(100vw - 160px); box-sizing: border-box;
  border: 0; border-radius: 4px; padding: 6px 8px; font: inherit; font-size: 14px;
  color: %(text)s; }
.laovn-search input::placeholder { color: %(text_muted)s; }
.laovn-search input:focus-visible { outline: 2px solid %(focus)s; outline-offset: 1px; }
.laovn-search-results { list-style: none; margin: 0; padding: 2px 0; max-height: 18em;
  overflow: auto; border-top: 1px solid %(rule)s; background: %(paper)s; }
.laovn-search-result { padding: 4px 8px; cursor: pointer; display: flex; flex-direction: column;
  max-width: 17em; }
.laovn-search-result[aria-selected="true"], .laovn-search-result:hover { background: %(highlight)s; }
.laovn-search-kind { font-size: 12px; color: %(text_muted)s; }
.laovn-search-empty { padding: 4px 8px; font-size: 13px; color: %(text)s; max-width: 15em; }
.laovn-tools button, .laovn-fold, .laovn-selection-clear { font: inherit; cursor: pointer; }
.laovn-tools { display: flex; flex-direction: column; }
.laovn-tools button { width: 30px; height: 30px; border: 0; background: %(paper)s; color: %(text)s;
  font-size: 16px; line-height: 30px; padding: 0; }
.laovn-tools button + button { border-top: 1px solid %(rule)s; }
.laovn-tools button:hover { background: %(highlight)s; }
.laovn-tools button:focus-visible, .laovn-fold:focus-visible,
.laovn-selection-clear:focus-visible { outline: 2px solid %(focus)s; outline-offset: 1px; }
.laovn-copy svg, .laovn-reset svg { width: 16px; height: 16px; vertical-align: middle; }
.laovn-copied { position: absolute; left: 36px; top: 32px; background: %(paper)s; color: %(text)s;
  padding: 4px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  white-space: nowrap; }
.laovn-link-field { display: block; width: 24em; max-width: calc(100vw - 90px); margin-top: 4px; }
.laovn-fold { all: unset; cursor: pointer; display: block; font-weight: 700; font-size: 14px;
  padding: 2px 4px; }
.laovn-fold::after { content: " \\25BE"; font-weight: 400; }
.laovn-fold[aria-expanded="false"]::after { content: " \\25B8"; }
.leaflet-control-layers-list[hidden] { display: none; }
/* the selection panel names the feature whole: its name wraps onto a line of its own rather
   than being cut (a phone's panel is narrow, and a Lao name long) */
.laovn-selection { background: %(paper)s; color: %(text)s; padding: 4px 6px 4px 10px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: min(26em, 60vw);
  box-sizing: border-box; display: flex; flex-wrap: wrap; align-items: baseline;
  column-gap: 4px; }
.laovn-selection[hidden] { display: none; }
.laovn-selection-title { font-weight: 600; white-space: nowrap; }
.laovn-selection-name { flex: 1 1 8em; min-width: 0; overflow-wrap: anywhere; }
.laovn-selection-clear { border: 0; background: none; font-size: 16px; line-height: 1;
  padding: 0 4px; color: %(text)s; }
.leaflet-container path.laovn-selected { stroke-width: 5px; stroke-opacity: 1; }
/* the story (js/story.js): a button under the tools, opened into a panel */
.leaflet-top.leaflet-left .laovn-story { clear: both; }
.laovn-story { background: %(paper)s; color: %(text)s; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); padding: 4px 8px; max-width: min(24em, calc(100vw - 40px)); }
.laovn-story-body { max-height: min(19em, 45vh); overflow: auto; }
.laovn-story-body[hidden] { display: none; }
.laovn-story-head { display: flex; justify-content: space-between; gap: 8px; font-weight: 600; }
.laovn-story-count { font-weight: 400; color: %(text_muted)s; white-space: nowrap; }
.laovn-story p { margin: 4px 0; }
.laovn-story-when { font-weight: 600; }
.laovn-story-label { display: block; color: %(text_muted)s; font-size: 12px; }
.laovn-story-buttons { display: flex; gap: 6px; margin: 4px 0; }
.laovn-story-buttons button { font: inherit; cursor: pointer; flex: 1 1 auto; min-height: 30px;
  border: 1px solid %(rule)s; border-radius: 4px; background: %(paper)s; color: %(text)s;
  padding: 2px 6px; white-space: nowrap; }
.laovn-story-buttons button:hover { background: %(highlight)s; }
.laovn-story-buttons button:disabled { color: %(text_muted)s; cursor: default; }
.laovn-story-buttons button:focus-visible { outline: 2px solid %(focus)s; outline-offset: 1px; }
.laovn-story-icon { margin-right: 6px; }
.laovn-narrow .laovn-story-toggle::after { content: none; }
.laovn-narrow .laovn-story { padding: 0; }
.laovn-narrow .laovn-story-toggle { width: 30px; height: 30px; padding: 0; text-align: center; }
.laovn-narrow .laovn-story-icon { margin: 0; }
.laovn-narrow .laovn-story-toggle-text { position: absolute; width: 1px; height: 1px;
  overflow: hidden; clip-path: inset(50%%); white-space: nowrap; }
.laovn-narrow .laovn-story-body:not([hidden]) { padding: 4px 8px; }
.leaflet-container path.laovn-story-place { stroke-width: %(mark_weight)spx;
  stroke-opacity: %(mark_opacity)s; }
/* the credit line behind its button (js/controls.js creditsControl), in the corner */
.leaflet-container .leaflet-control.laovn-credits { margin: 0; display: flex;
  align-items: flex-start; background: rgba(255,255,255,.85); color: %(text)s; }
.leaflet-container .laovn-credits .leaflet-control-attribution { margin: 0; background: none; }
.leaflet-container .laovn-credits .leaflet-control-attribution[hidden] { display: none; }
/* the bottom right corner (legend, credits) leaves the scale its room at the bottom left
   (Leaflet's scale is at most 100 px wide, 10 px from the edge): an open credit line wraps
   instead of covering it */
.leaflet-container .leaflet-bottom.leaflet-right { max-width: calc(100%% - 125px); }
/* ... and the selection panel its room while it shows (on a wide map, where the credit line
   is open and wraps; a phone's folded credits and legend buttons fit beside the panel) */
.leaflet-container:not(.laovn-narrow):has(.laovn-selection:not([hidden]))
  .leaflet-bottom.leaflet-right { max-width: calc(100%% - min(26em, 60vw) - 30px); }
.laovn-fold.laovn-credits-toggle { font-size: 12px; font-weight: 600; padding: 4px 6px;
  line-height: 1.3; white-space: nowrap; }
/* a narrow map (a phone): the zoom buttons and the tools side by side, in one row under the
   search (js/controls.js markNarrow) */
.laovn-narrow .leaflet-control-zoom { display: flex; }
.laovn-narrow .leaflet-control-zoom a { border-bottom: 0; }
.laovn-narrow .leaflet-control-zoom a + a { border-left: 1px solid %(rule)s; }
.laovn-narrow .leaflet-top.leaflet-left .laovn-tools { clear: none; flex-direction: row; }
.laovn-narrow .laovn-tools button + button { border-top: 0; border-left: 1px solid %(rule)s; }
.laovn-touch-hint { position: absolute; inset: 0; z-index: 1100; display: flex;
  align-items: center; justify-content: center; background: rgba(0,0,0,.45); color: %(paper)s;
  font-size: 18px; font-weight: 600; pointer-events: none; text-align: center; padding: 1em; }
.laovn-touch-hint[hidden] { display: none; }
/* the chooser (js/chooser.js): what shares the spot of a click, one button each */
.laovn-chooser-title { font-weight: 600; margin: 0 0 4px; }
.laovn-chooser-list { list-style: none; margin: 0; padding: 0; }
.laovn-chooser-item { all: unset; box-sizing: border-box; display: flex; align-items: center;
  gap: 6px; width: 100%%; min-height: 32px; padding: 4px 6px; border-radius: 4px;
  cursor: pointer; color: %(text)s; }
.laovn-chooser-item:hover { background: %(highlight)s; }
.laovn-chooser-item:focus-visible { outline: 2px solid %(focus)s; outline-offset: -2px; }
.laovn-chooser-swatch { flex: none; width: 10px; height: 10px; border: 2px solid;
  border-radius: 50%%; }
/* a popup below its point (js/clearance.js, where there is no room above): the mirror of
   Leaflet's, its tip turned up; --laovn-dx is how far it slid sideways along its tip (the tip
   stays on the point) */
.leaflet-popup.laovn-below { bottom: auto !important; top: -7px; margin: 20px 0 0; }
.leaflet-popup.laovn-below .leaflet-popup-tip-container { top: -19px; margin-top: 0;
  transform: rotate(180deg); }
.leaflet-popup .leaflet-popup-tip-container { margin-left: calc(-20px - var(--laovn-dx, 0px)); }
.laovn-popup { max-width: 340px; color: %(text)s; }
.laovn-title { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
.laovn-props { border-collapse: collapse; margin-bottom: 4px; }
.laovn-props th { text-align: left; font-weight: 500; color: %(text_muted)s; padding: 1px 8px 1px 0;
  vertical-align: top; white-space: nowrap; }
.laovn-props td { padding: 1px 0; }
.laovn-quote-label { color: %(text_muted)s; font-size: 12px; margin-top: 4px; }
.laovn-note { color: %(text_note)s; font-size: 12px; margin: 2px 0 4px; }
.laovn-cite { font-family: "%(lao_family)s", ui-monospace, monospace; font-size: 11px;
  color: %(text_muted)s; }
.laovn-quote { margin: 2px 0 0; padding: 3px 8px; border-left: 3px solid %(accent)s;
  background: %(quote)s; max-height: 9em; overflow: auto; }
""" % {**COLOURS, "lao_family": LAO_FAMILY,  # noqa: UP031  (CSS braces)
       "mark_weight": f"{STORY_MARK['weight']:g}", "mark_opacity": f"{STORY_MARK['opacity']:g}"}
