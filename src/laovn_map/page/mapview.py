"""Assemble the interactive map (a `folium.Map`) and the page's state for it: no Streamlit here.

The map is the same for every reader and every state: the layers come encoded for the browser
in no language (`browserdata.prepare_layers`), go into feature groups in drawing order, and the
map script (`runtime.RUNTIME_JS`) adds the controls, the keyboard and the URL's state. So its script
never changes, and streamlit-folium never redraws it: view, open popup and layer choices
survive every rerun. What the page decides (language, period, tiles, a selection asked for by
a table) is a `MapState`, given to the map as a call of `laovn.apply` (`state_script`): through
streamlit-folium's `feature_group_to_add` (`state_group`), which it evaluates again when it
changes, or written into a map saved by itself (`standalone_map`). The elements that touch
folium's private internals live in `folium_internals`; the scripts come from `webassets` as
data: URLs, so the page needs no network.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import xyzservices.providers as xyz

from laovn_map.catalog import MAP_FRAME_ID, MAP_LAYERS, PERIOD_TEXT, UNFRAMED_LAYERS, credit_line
from laovn_map.i18n import DEFAULT_LANG, t
from laovn_map.page.browserdata import (
    LOD_BELOW_ZOOM,
    PERIOD_LAYERS,
    POINTS_PANE,
    POPUP,
    PreparedLayer,
    script_json,
    union_bounds,
)
from laovn_map.page.folium_internals import Overlay, Runtime, StateScript, VectorLayer, stable_ids
from laovn_map.page.labels import esc
from laovn_map.page.lines import LINE_ALPHABET
from laovn_map.page.mapstyle import CSS, LAND_STYLE
from laovn_map.page.runtime import RUNTIME_JS
from laovn_map.page.webassets import make_offline

#: Zoom limits. At 6 the border region fills a desktop map and a phone map shows most of it;
#: the map script raises the floor where a very wide map would otherwise see past the base
#: map's outlines. At 13 (~19 m a pixel) the displayed outlines (within ~90 m of the full
#: layers) are still within a few pixels; closer would show nothing more.
MIN_ZOOM = 6
MAX_ZOOM = 13
#: A feature chosen by search or from a table is shown at this zoom at least (a point) or
#: framed up to one more (an area or a line).
SELECT_ZOOM = 9
#: Below this map width (px) the legend and the layer control start folded (phones): the
#: map keeps the screen.
FOLD_BELOW_PX = 600
#: Space kept between two labels on screen (px).
LABEL_GAP_PX = 3
#: The map's height on the page (px); its width is the page's.
MAP_HEIGHT_PX = 640
#: A province's name may be this much wider than the province's box on screen (a narrow
#: coastal province's name runs over its neighbour a little, in its country's colour), and
#: no taller than it (js/place.js).
LABEL_OVERFLOW = 1.75
#: How many matches the search lists.
SEARCH_RESULTS = 8
#: A number of the URL's `view=lat,lon,zoom`: plain ASCII decimals, as the map writes them
#: (js/urlstate.js `formatView`); the map script is given this pattern (`ViewRule.config`).
_VIEW_NUMBER = r"-?[0-9]{1,3}(?:\.[0-9]{1,12})?"
#: A view of the whole value: three such numbers, nothing else.
VIEW_PATTERN = ",".join([f"({_VIEW_NUMBER})"] * 3)
#: Where a view may be centred when the base map gives no panning limit: Web Mercator's world.
_WORLD = [[-85.0511, -180.0], [85.0511, 180.0]]
#: Leaflet pane of the plain land drawn while the base map is off (js/land.js).
LAND_PANE = "laovnLand"
#: The tiles offered as an online extra (`MapState.tiles`).
TILES = xyz.OpenStreetMap.Mapnik


#: Before a statement's id in `MapState.select`: the page asks the map to open a statement of
#: the texts (an events table row), as the address's `?event=` does, not a feature.
EVENT_CHOICE = "event:"


@dataclass(frozen=True)
class MapState:
    """What the page decides about the map; the rest of the state (view, visible layers,
    selection) lives in the map and the URL (the map script).

    `select` is a feature id (or `EVENT_CHOICE` and a statement's id) with a number that
    changes each time the page asks for it (a table row clicked), so that a rerun does not
    select it again; `timeline` the range of
    dates whose events are shown.
    """

    lang: str = DEFAULT_LANG
    period: str = PERIOD_TEXT
    tiles: bool = False
    select: tuple[str, int] | None = None
    #: The timeline's range (ISO dates, both ends in): the events outside it leave the map.
    timeline: tuple[str, str] | None = None
    #: Layers that start off where the URL does not say (a map saved as a file).
    off: tuple[str, ...] = ()
    #: The statement the story opens on where the URL names none (a map saved as a file).
    event: str | None = None


@dataclass(frozen=True)
class View:
    """A view the map opens with: its centre (degrees) and zoom."""

    lat: float
    lon: float
    zoom: float


@dataclass(frozen=True)
class ViewRule:
    """Which `view=lat,lon,zoom` values a map takes: the one rule of the page (its print box)
    and the map script (`parseView`, given `config()`); any other value is dropped, and the
    map opens on its default view."""

    #: The box the centre must be in, both edges in: the map's panning limit.
    bounds: tuple[tuple[float, float], tuple[float, float]]
    min_zoom: float = MIN_ZOOM
    max_zoom: float = MAX_ZOOM

    def parse(self, value: object) -> View | None:
        """The view `value` (the URL's text) gives, or None for one the map refuses."""
        match = re.fullmatch(VIEW_PATTERN, value) if isinstance(value, str) else None
        if match is None:
            return None
        lat, lon, zoom = (float(x) for x in match.groups())
        (south, west), (north, east) = self.bounds
        if not (south <= lat <= north and west <= lon <= east
                and self.min_zoom <= zoom <= self.max_zoom):
            return None
        return View(lat, lon, zoom)

    def config(self) -> dict[str, Any]:
        """The rule as the map script reads it (`map_config`'s `view`)."""
        return {"pattern": VIEW_PATTERN, "bounds": [list(self.bounds[0]), list(self.bounds[1])],
                "minZoom": self.min_zoom, "maxZoom": self.max_zoom}


def view_rule(prepared: Mapping[str, PreparedLayer]) -> ViewRule:
    """The views the map of `prepared` takes: centred within its panning limit (the base
    map's, else the world's), zoomed within its limits."""
    (south, west), (north, east) = prepared["countries"].max_bounds or _WORLD
    return ViewRule(((south, west), (north, east)))


def home_bounds(prepared: Mapping[str, PreparedLayer]) -> list[list[float]] | None:
    """The default view: the border region (the subject's layers), whatever is shown."""
    return union_bounds(prepared[n].bounds for n in MAP_LAYERS if n not in UNFRAMED_LAYERS) \
        or prepared["countries"].bounds


def keyboard_layers(prepared: Mapping[str, PreparedLayer]) -> list[str]:
    """The order in which the keyboard walks the features (the arrow keys): the points first
    (missions and events, what a reader looks for), then the subject's areas and lines, the
    base map and its water last; each group in the layer control's order."""
    def rank(name: str) -> tuple[bool, bool]:
        return prepared[name].kind != "point", name in UNFRAMED_LAYERS
    return sorted(MAP_LAYERS, key=rank)


def map_config(prepared: Mapping[str, PreparedLayer]) -> dict[str, Any]:
    """What `laovnInit` (js/main.js) needs, the same for every state, and every value the map
    script takes from Python: CSS, the zoom limits and the base map's extent, the URL views it
    takes (`ViewRule`), the default view, the layers in the layer control's order and in the
    keyboard's, which of them the period changes and the period `build_map` draws, the encoded
    lines' alphabet, how popups fit the map, and the sizes the controls use."""
    return {
        "css": CSS,
        "foldBelowPx": FOLD_BELOW_PX,
        "minZoom": MIN_ZOOM,
        "maxZoom": MAX_ZOOM,
        "selectZoom": SELECT_ZOOM,
        "extent": prepared["countries"].bounds,
        "home": home_bounds(prepared),
        "labelGapPx": LABEL_GAP_PX,
        "labelOverflow": LABEL_OVERFLOW,
        "layers": list(MAP_LAYERS),
        "keyboardLayers": keyboard_layers(prepared),
        "periodLayers": list(PERIOD_LAYERS),
        "period": PERIOD_TEXT,
        "pointsPane": POINTS_PANE,
        "landPane": LAND_PANE,
        "land": LAND_STYLE,
        "searchResults": SEARCH_RESULTS,
        "frameId": MAP_FRAME_ID,
        "lodBelowZoom": LOD_BELOW_ZOOM,
        "lineAlphabet": LINE_ALPHABET,
        "popup": POPUP,
        "view": view_rule(prepared).config(),
    }


def build_map(prepared: Mapping[str, PreparedLayer]) -> folium.Map:
    """The map of `prepared` (`browserdata.prepare_layers` of the text's period): every map
    layer drawn, no text yet (a `state_script` gives the language)."""
    if set(prepared) != set(MAP_LAYERS) or {p.period for p in prepared.values()} != {PERIOD_TEXT}:
        raise ValueError("build_map needs every map layer prepared for the text's period, "
                         f"got {sorted(prepared)}")
    limit = prepared["countries"].max_bounds
    panning: dict[str, Any] = {}
    if limit:
        (south, west), (north, east) = limit
        panning = {"max_bounds": True, "min_lat": south, "max_lat": north, "min_lon": west,
                   "max_lon": east, "max_bounds_viscosity": 1.0}
    m = folium.Map(location=[17.5, 105.0], zoom_start=MIN_ZOOM, tiles=None, control_scale=False,
                   zoom_snap=0.25, prefer_canvas=False, **panning)
    # folium gives min_zoom/max_zoom to a tile layer only; the map's own limits are options
    m.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)
    make_offline(m)
    Runtime(RUNTIME_JS, script_json(map_config(prepared))).add_to(m)
    for name in MAP_LAYERS:
        # named in the page's language by the state; the map script's groups carry no text
        group = folium.FeatureGroup(name=name, show=True, control=False)
        group.add_child(VectorLayer(prepared[name].data_json, prepared[name].bounds))
        group.add_to(m)
    Overlay().add_to(m)
    stable_ids(m, itertools.count())
    return m


def period_data_json(prepared_period: Mapping[str, PreparedLayer]) -> str:
    """The layers a period draws instead of the text's (`browserdata.PERIOD_LAYERS`), as one
    script-safe JSON object of their `laovnDraw` data."""
    return "{" + ",".join(f"{script_json(name)}:{prepared_period[name].data_json}"
                          for name in PERIOD_LAYERS) + "}"


def state_script(state: MapState, texts_json: str, period_json: str | None = None,
                 osm_role: str | None = None) -> str:
    """The call `laovn.apply(...)` that gives the map `state`: `texts_json` is
    `script_json(browserdata.prepare_texts(..., state.lang, ..., state.period))`, and
    `period_json` (`period_data_json`) the period's own layers, unless it is the text's;
    `osm_role` (`labels.osm_role`) what the tiles' credit says the map takes from OSM."""
    tiles = None
    if state.tiles:
        tiles = {"url": TILES.build_url(), "maxZoom": MAX_ZOOM,
                 "attribution": esc(credit_line(state.lang, tiles=True, osm_role=osm_role)),
                 "offline": t("tiles.offline", state.lang)}
    select = None
    if state.select:
        asked, nonce = state.select
        event = asked.removeprefix(EVENT_CHOICE) if asked.startswith(EVENT_CHOICE) else None
        select = {"event": event, "nonce": nonce} if event else {"id": asked, "nonce": nonce}
    rest = script_json({"period": state.period, "tiles": tiles, "select": select,
                        "timeline": list(state.timeline) if state.timeline else None,
                        "off": list(state.off), "event": state.event})
    data = period_json if state.period != PERIOD_TEXT and period_json else "null"
    return f"laovn.apply(Object.assign({rest}, {{texts: {texts_json}, data: {data}}}));"


def state_group(script: str) -> folium.FeatureGroup:
    """A feature group holding nothing but the `state_script`, for streamlit-folium's
    `feature_group_to_add`."""
    group = folium.FeatureGroup(name="state", control=False)
    StateScript(script).add_to(group)
    return group


def standalone_map(prepared: Mapping[str, PreparedLayer], script: str) -> folium.Map:
    """The map with its state written in: a page that shows it by itself (an export)."""
    m = build_map(prepared)
    StateScript(script).add_to(m)
    stable_ids(m, itertools.count())
    return m
