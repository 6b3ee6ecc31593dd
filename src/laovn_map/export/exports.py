"""Take the map away: what the map shows as a GeoPackage, KML, CSV, a self-contained HTML map,
and a print-ready PNG or PDF.

Every export is a pure function of the loaded build (`layers_io.Layers`) and an `ExportState`
(which map layers, which period of Vietnam's provinces, which language; for a print the view
and the paper), returning bytes: nothing is written into `geo/` (GDAL writes into a temporary
folder of its own), and the caller caches per state (`ExportState` is frozen and hashable).
What "shown" means is defined once, by `browserdata`'s grouping of the layers into map layers
(`shown_layers`); the exports take the full-resolution features, not the map's simplified ones.

Provenance travels with every export: each feature's quoted sentence, file and line (its
properties, or the PDF's source pages and the PNG's metadata), the credits of the datasets it
comes from (ODbL asks that OpenStreetMap be credited), and the build's manifest checksum. The
build itself is undated (two builds of the same inputs are byte-identical), so the date given
is the day `manifest.json` was written to disk.

Only `to_html` knows how the interactive map is assembled (`mapview.build_map` and folium's
rendering): the map's code is being reworked, and this is the one place to adapt.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import math
import re
import tempfile
import threading
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Proj, Transformer

from laovn_map.catalog import (
    DATASETS,
    LAOS,
    MANIFEST,
    MAP_LAYERS,
    PARTIES,
    PERIOD_2025,
    PERIOD_SOURCES,
    PERIOD_TEXT,
    PERIODS,
    PROVINCE_LAYERS,
    WIKIPEDIA,
    Dataset,
    credit_line,
)
from laovn_map.errors import ExportError
from laovn_map.geo.reader import Layers
from laovn_map.i18n import DEFAULT_LANG, LANGS, t
from laovn_map.page import browserdata, mapview, simplify
from laovn_map.page.labels import (
    any_country_name,
    city_name,
    esc,
    feature_texts,
    fmt_num,
    layer_label,
    province_name,
)
from laovn_map.page.mapstyle import COLOURS, LAYER_STYLE, feature_style
from laovn_map.page.pagetext import Timeline, in_timeline
from laovn_map.page.pagetext import parse_years as parse_years  # the CLI's --years
from laovn_map.page.pagetext import years_timeline as years_timeline

Feature = Mapping[str, Any]

# --- formats, paper and the state an export is made of -----------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    key: str
    extension: str
    mime: str


#: Every export, in the order the page offers them.
FORMATS: dict[str, ExportFormat] = {f.key: f for f in (
    ExportFormat("gpkg", "gpkg", "application/geopackage+sqlite3"),
    ExportFormat("kml", "kml", "application/vnd.google-earth.kml+xml"),
    ExportFormat("csv", "csv", "text/csv"),
    ExportFormat("html", "html", "text/html"),
    ExportFormat("png", "png", "image/png"),
    ExportFormat("pdf", "pdf", "application/pdf"),
)}
#: The print formats: the only ones that use the state's view and paper.
PRINTS = ("png", "pdf")

MM_PER_INCH = 25.4
#: Named paper sizes, landscape (width, height in mm).
PAPER: dict[str, tuple[float, float]] = {"a4": (297.0, 210.0), "a3": (420.0, 297.0),
                                         "letter": (279.4, 215.9)}
DPI_RANGE = (50, 600)
PAPER_MM_RANGE = (60.0, 1200.0)
#: More pixels than this (an A2 sheet at 300 dpi) would take seconds and hundreds of MB.
MAX_PIXELS = 36_000_000


@dataclass(frozen=True)
class PageSize:
    """The paper of a print: its size in mm and the PNG's resolution (the PDF is vector)."""

    width_mm: float
    height_mm: float
    dpi: int = 300

    def __post_init__(self) -> None:
        low, high = PAPER_MM_RANGE
        if not all(low <= x <= high for x in (self.width_mm, self.height_mm)):
            raise ExportError(f"paper {self.width_mm:g}×{self.height_mm:g} mm: each side must be "
                              f"{low:g}–{high:g} mm")
        if not DPI_RANGE[0] <= self.dpi <= DPI_RANGE[1]:
            raise ExportError(f"{self.dpi} dpi: choose {DPI_RANGE[0]}–{DPI_RANGE[1]}")
        width, height = self.pixels
        if width * height > MAX_PIXELS:
            raise ExportError(f"{width}×{height} px is more than {MAX_PIXELS // 1_000_000} million "
                              "pixels: choose a smaller paper or fewer dpi")

    @property
    def pixels(self) -> tuple[int, int]:
        """The PNG's width and height (A4 at 300 dpi: 3508×2480)."""
        return (round(self.width_mm / MM_PER_INCH * self.dpi),
                round(self.height_mm / MM_PER_INCH * self.dpi))

    @property
    def name(self) -> str:
        """ASCII, for file names: `a4-300dpi`, `400x250mm-150dpi`."""
        named = next((k for k, v in PAPER.items() if v == (self.width_mm, self.height_mm)), None)
        return f"{named or f'{self.width_mm:g}x{self.height_mm:g}mm'}-{self.dpi}dpi"


A4_LANDSCAPE = PageSize(*PAPER["a4"], 300)


def page_size(text: str, dpi: int = 300) -> PageSize:
    """`a4`, `a3`, `letter` (landscape) or `<width>x<height>` in mm (`210x297` for A4 portrait)."""
    key = text.strip().lower()
    if key in PAPER:
        return PageSize(*PAPER[key], dpi)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)(?:\s*mm)?", key)
    if not match:
        raise ExportError(f"paper {text!r}: give one of {', '.join(PAPER)} or WIDTHxHEIGHT in mm")
    return PageSize(float(match.group(1)), float(match.group(2)), dpi)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ExportState:
    """What an export shows: the visible map layers (`catalog.MAP_LAYERS` names, kept in that
    order so one selection is one cache key), the period (`catalog.PERIODS`), the language,
    for prints the view (south, west, north, east in degrees; None frames the border region as
    the map does) and the paper, and the timeline's range. A bad value is an `ExportError`
    naming it."""

    layers: tuple[str, ...] = MAP_LAYERS
    period: str = PERIOD_TEXT
    lang: str = DEFAULT_LANG
    view: tuple[float, float, float, float] | None = None
    page: PageSize = A4_LANDSCAPE
    #: The page's timeline (first and last day, ISO): the events outside it are left out, as
    #: on the map (`pagetext.in_timeline`); None takes them all.
    timeline: Timeline | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.layers if name not in MAP_LAYERS]
        if unknown:
            raise ExportError(f"unknown layer {', '.join(map(repr, unknown))}: choose from "
                              f"{', '.join(MAP_LAYERS)}")
        object.__setattr__(self, "layers", tuple(n for n in MAP_LAYERS if n in self.layers))
        if self.period not in PERIODS:
            raise ExportError(f"unknown period {self.period!r}: choose {' or '.join(PERIODS)}")
        if self.lang not in LANGS:
            raise ExportError(f"unknown language {self.lang!r}: choose {' or '.join(LANGS)}")
        if self.view is not None:
            try:
                south, west, north, east = (float(x) for x in self.view)
            except (TypeError, ValueError):
                south = west = north = east = math.nan
            if not all(math.isfinite(x) for x in (south, west, north, east)) \
                    or not -90 <= south < north <= 90 or not -180 <= west < east <= 180:
                raise ExportError(f"view {self.view!r} is not (south, west, north, east) in "
                                  "degrees")
            object.__setattr__(self, "view", (south, west, north, east))
        if self.timeline is not None:
            dates = tuple(self.timeline) if isinstance(self.timeline, (tuple, list)) else ()
            if len(dates) != 2 or not all(isinstance(d, str) and _ISO_DATE.fullmatch(d)
                                          for d in dates) or dates[0] > dates[1]:
                raise ExportError(f"timeline {self.timeline!r} is not (first, last) ISO dates "
                                  "in order, e.g. ('1945-01-01', '1977-12-31')")
            object.__setattr__(self, "timeline", (dates[0], dates[1]))


def export_format(fmt: str) -> ExportFormat:
    found = FORMATS.get(fmt.strip().lower())
    if found is None:
        raise ExportError(f"unknown export format {fmt!r}: choose from {', '.join(FORMATS)}")
    return found


def export_label(fmt: str, lang: str) -> str:
    """What the page's download button for *fmt* says, plain text."""
    return t(f"export.format.{export_format(fmt).key}", lang)


def file_name(fmt: str, state: ExportState) -> str:
    """An ASCII-safe file name saying what the export holds, e.g. `laovn-map-en-all.gpkg`,
    `laovn-map-vi-since2025-provincesvn-embassies-a3-150dpi.png`."""
    spec = export_format(fmt)
    parts = ["laovn-map", state.lang]
    if state.period == PERIOD_2025:
        parts.append("since2025")
    parts += (["all"] if state.layers == MAP_LAYERS
              else [name.replace("_", "") for name in state.layers] or ["none"])
    if state.timeline is not None:
        parts.append(f"{state.timeline[0][:4]}-{state.timeline[1][:4]}")
    if spec.key in PRINTS:
        if state.page != A4_LANDSCAPE:
            parts.append(state.page.name)
        if state.view is not None:
            parts.append("view")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts)) + "." + spec.extension


def what_is_shown(state: ExportState) -> str:
    """The period's sentence, and the timeline's range when it leaves events out."""
    text = t(f"export.period.{state.period}", state.lang)
    if state.timeline is not None:
        text += " " + t("export.years", state.lang).format(first=state.timeline[0][:4],
                                                          last=state.timeline[1][:4])
    return text


def table_name(layer: str, period: str) -> str:
    """The GeoPackage table (and KML folder key) of map layer *layer* in *period*: the layer
    file it comes from when the period draws it from another one (`provinces_vn_2025`)."""
    return PERIOD_SOURCES[period].get(layer, layer)


def shown_layers(layers: Layers, state: ExportState) -> dict[str, list[Feature]]:
    """The features of each visible map layer that has any, in drawing order, at full
    resolution: what the map draws (`browserdata`'s grouping, the one definition of it).

    Raises `ExportError` when no layer is visible, or the visible ones hold nothing."""
    if not state.layers:
        raise ExportError("no layer is visible: turn on at least one layer to export the map")
    groups = browserdata._groups(layers.collections, state.period)
    def meets(feature: Feature) -> bool:
        props = feature.get("properties") or {}
        return in_timeline(props.get("start"), props.get("end"), state.timeline)

    shown = {name: kept for name in state.layers
             if (kept := [f for f in groups.get(name) or () if meets(f)])}
    if not shown:
        raise ExportError(f"the visible layers ({', '.join(state.layers)}) hold no feature: "
                          "there is nothing to export")
    return shown


# --- provenance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """Which build an export comes from: the SHA-256 of its `manifest.json` (which holds the
    checksum of every layer, text and source), the generator, and the day the manifest was
    written (UTC, ISO; '' when unknown)."""

    manifest_sha256: str
    generator: str
    written: str

    def line(self, lang: str) -> str:
        return t("export.build", lang).format(sha=self.manifest_sha256[:12],
                                              generator=self.generator or "laovn-map",
                                              date=self.written or t("export.undated", lang))


def provenance(layers: Layers) -> Provenance:
    try:
        mtime = (layers.geo_dir / MANIFEST).stat().st_mtime
    except OSError:
        written = ""
    else:
        written = dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat()
    return Provenance(hashlib.sha256(layers.manifest_bytes).hexdigest(),
                      str(layers.manifest.get("generator", "")), written)


def feature_datasets(props: Mapping[str, Any]) -> list[Dataset]:
    """The datasets a feature shows: the text it quotes, and those its `dataset` names."""
    named = str(props.get("dataset") or "")
    found = [WIKIPEDIA] if props.get("source_quote") else []
    found += [d for d in DATASETS if d.title in named and d not in found]
    return found


def feature_credit(props: Mapping[str, Any], lang: str) -> str:
    return " · ".join(f"{d.credit(lang)} ({d.licence})" for d in feature_datasets(props))


def feature_name(layer: str, props: Mapping[str, Any], lang: str) -> str:
    """A feature's name as the map's tooltip gives it (plain text), in *lang*."""
    tooltip, _popup = feature_texts(layer, props, lang)
    if tooltip:
        return html.unescape(tooltip)
    if layer == "countries":
        return any_country_name(props.get("iso_a2"), lang)
    return str(props.get("id", ""))


@dataclass(frozen=True)
class Quote:
    """A sentence the layers quote, with where it is and the features that quote it."""

    file: str
    line: int | str
    text: str
    features: tuple[str, ...]


def quotes(shown: Mapping[str, Sequence[Feature]], lang: str) -> list[Quote]:
    """Every quoted passage of the shown features (source and infobox), once each, in file
    and line order, with the names of the features quoting it."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for layer, features in shown.items():
        for feat in features:
            props = feat.get("properties") or {}
            name = feature_name(layer, props, lang)
            for line_key, quote_key in (("source_line", "source_quote"),
                                        ("infobox_line", "infobox_quote")):
                if props.get(quote_key):
                    key = (str(props.get("source_file") or ""), str(props.get(line_key) or ""),
                           str(props[quote_key]))
                    names = found.setdefault(key, [])
                    if name not in names:
                        names.append(name)

    def order(key: tuple[str, str, str]) -> tuple[str, int, str]:
        return key[0], int(key[1]) if key[1].isdigit() else 0, key[2]

    return [Quote(file, int(line) if line.isdigit() else line, text, tuple(found[(file, line, text)]))
            for file, line, text in sorted(found, key=order)]


# --- the attribute tables (GeoPackage, KML, CSV) ------------------------------------------------

def _uniform(values: list[Any]) -> list[Any]:
    """One column's values as one type GDAL can store: numbers stay numbers (None for the
    missing), a column mixing types becomes text."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int} or kinds <= {int, float} or kinds <= {bool} or kinds <= {str}:
        return values
    return [None if v is None else _text(v) for v in values]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _records(layer: str, features: Sequence[Feature], lang: str) -> dict[str, list[Any]]:
    """The columns of one layer's table: `id`, `display_name`, every property (sorted), and
    `credit`; missing properties are None."""
    keys = sorted({k for f in features for k in (f.get("properties") or {})} - {"id"})
    columns: dict[str, list[Any]] = {"id": [], "display_name": [], **{k: [] for k in keys},
                                     "credit": []}
    for feat in features:
        props = feat.get("properties") or {}
        columns["id"].append(_text(props.get("id", feat.get("id"))))
        columns["display_name"].append(feature_name(layer, props, lang))
        for key in keys:
            columns[key].append(props.get(key))
        columns["credit"].append(feature_credit(props, lang))
    return {k: _uniform(v) for k, v in columns.items()}


# GDAL: OGR_CURRENT_DATE is process-wide, so GeoPackage writes take turns setting it.
_GDAL_LOCK = threading.Lock()


GeometryIndex = dict[int, Any]

# What every export of one build derives from it the same way (geometries, label anchors, the
# display layers), kept while that `Layers` object lives: a build is immutable, so this changes
# no result, and a second export of the same build (another state) does not pay again.
_BUILD_CACHE: dict[int, tuple[weakref.ref[Layers], dict[Any, Any]]] = {}
_BUILD_CACHE_LOCK = threading.Lock()


def _per_build(layers: Layers, key: Any, make: Callable[[], Any]) -> Any:
    with _BUILD_CACHE_LOCK:
        entry = _BUILD_CACHE.get(id(layers))
        if entry is not None and entry[0]() is layers and key in entry[1]:
            return entry[1][key]
    value = make()
    with _BUILD_CACHE_LOCK:
        for dead in [k for k, (ref, _) in _BUILD_CACHE.items() if ref() is None]:
            del _BUILD_CACHE[dead]
        entry = _BUILD_CACHE.get(id(layers))
        if entry is None or entry[0]() is not layers:
            entry = _BUILD_CACHE[id(layers)] = (weakref.ref(layers), {})
        return entry[1].setdefault(key, value)


def geometry_index(layers: Layers) -> GeometryIndex:
    """Every feature's shapely geometry, by the `id()` of its feature object in
    `layers.collections`: GEOS reads each layer's bytes in one go, several times faster than
    building the geometries from the parsed JSON."""
    index: GeometryIndex = _per_build(layers, "geometries", lambda: _read_geometries(layers))
    return index


def _read_geometries(layers: Layers) -> GeometryIndex:
    index: GeometryIndex = {}
    for key, raw in layers.raw.items():
        features = layers.collections[key]["features"]
        parts = shapely.get_parts(shapely.from_geojson(raw))
        if len(parts) == len(features):
            index.update(zip(map(id, features), parts, strict=True))
    return index


def geometries(index: GeometryIndex, features: Sequence[Feature]) -> Any:
    """The features' geometries as a shapely array (from *index*, else read one by one)."""
    found = [index.get(id(f)) for f in features]
    return np.asarray([g if g is not None else shapely.from_geojson(json.dumps(f["geometry"]))
                       for g, f in zip(found, features, strict=True)], dtype=object)


def label_anchors(layers: Layers) -> dict[str, dict[str, browserdata.Anchor]]:
    """Where the map puts each name (`browserdata.label_anchors`, from the full layers)."""
    anchors: dict[str, dict[str, browserdata.Anchor]] = _per_build(
        layers, "anchors", lambda: browserdata.label_anchors(layers.collections))
    return anchors


def _frame(columns: Mapping[str, list[Any]], geoms: Any) -> Any:
    import geopandas as gpd  # imported on first export: the page's start does not pay for it

    return gpd.GeoDataFrame(dict(columns), geometry=geoms, crs="EPSG:4326")


def _credits_text(layers: Layers, lang: str) -> str:
    return "\n".join([credit_line(lang), "", layers.attribution_bytes.decode("utf-8").strip()])


def to_gpkg(layers: Layers, state: ExportState) -> bytes:
    """One GeoPackage, one table per shown layer (`table_name`), each feature with its
    properties (provenance included), `display_name` and `credit`. The dataset's metadata
    holds the credits, the build's ATTRIBUTION.md and its provenance; each table's
    identifier is the layer's name in the state's language and its description its credits.
    `last_change` is the day the build was written, so the same state gives the same bytes."""
    import pyogrio

    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    prov = provenance(layers)
    metadata = {"TITLE": t("title", state.lang), "DESCRIPTION": t("export.subtitle", state.lang),
                "CREDITS": credit_line(state.lang),
                "ATTRIBUTION": layers.attribution_bytes.decode("utf-8"),
                "MANIFEST_SHA256": prov.manifest_sha256, "GENERATOR": prov.generator,
                "BUILD_WRITTEN": prov.written, "EXPORT_LANGUAGE": state.lang,
                "EXPORT_PERIOD": state.period, "EXPORT_LAYERS": ",".join(shown)}
    with tempfile.TemporaryDirectory(prefix="laovn-export-") as tmp:
        path = Path(tmp) / "export.gpkg"
        with _GDAL_LOCK:
            pyogrio.set_gdal_config_options(
                {"OGR_CURRENT_DATE": f"{prov.written or '2000-01-01'}T00:00:00.000Z"})
            for i, (layer, features) in enumerate(shown.items()):
                credit = sorted({c for f in features
                                 if (c := feature_credit(f.get("properties") or {}, state.lang))})
                pyogrio.write_dataframe(
                    _frame(_records(layer, features, state.lang), geometries(index, features)),
                    path,
                    layer=table_name(layer, state.period), driver="GPKG", append=i > 0,
                    dataset_metadata=None if i else metadata,
                    layer_options={"IDENTIFIER": layer_label(layer, state.lang, state.period),
                                   "DESCRIPTION": " · ".join(credit)})
        return path.read_bytes()


# --- KML ---------------------------------------------------------------------------------------

KML_NS = "http://www.opengis.net/kml/2.2"
#: Leaflet's path defaults, for the options a layer's style leaves out.
LEAFLET_DEFAULTS: dict[str, Any] = {"color": "#3388ff", "weight": 3, "opacity": 1.0,
                                    "fillOpacity": 0.2}
#: A Leaflet pixel as a KML line width (Google Earth draws widths in screen pixels).
KML_WIDTH_PER_PX = 1.0
#: A marker radius (Leaflet px) per unit of KML icon scale (the default icon is ~32 px wide).
KML_RADIUS_PER_SCALE = 8.0


def leaflet_options(layer: str, index: int, props: Mapping[str, Any]) -> dict[str, Any]:
    """The Leaflet path options the map gives a feature: Leaflet's defaults, its layer's
    `LAYER_STYLE`, then `feature_style`."""
    options = {**LEAFLET_DEFAULTS, **LAYER_STYLE.get(layer, {}),
               **feature_style(layer, index, props)}
    options.setdefault("fillColor", options["color"])
    return options


def _kml_colour(css: str, opacity: float) -> str:
    """`#rrggbb` and an opacity as KML's `aabbggrr`."""
    red, green, blue = css[1:3], css[3:5], css[5:7]
    return f"{round(max(0.0, min(1.0, opacity)) * 255):02x}{blue}{green}{red}".lower()


def _kml(tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.Element(f"{{{KML_NS}}}{tag}", attrs)
    element.text = text
    return element


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    child = _kml(tag, text)
    parent.append(child)
    return child


def _kml_style(style_id: str, options: Mapping[str, Any], geometry: str) -> ET.Element:
    style = _kml("Style", id=style_id)
    if geometry == "Point":
        # a white dot with a coloured ring (consulates) shows as an icon in the ring's colour
        colour = options["fillColor"] if options["fillColor"].lower() != "#ffffff" \
            else options["color"]
        icon = _sub(style, "IconStyle")
        _sub(icon, "color", _kml_colour(colour, 1.0))
        _sub(icon, "scale", f"{float(options.get('radius', 8)) / KML_RADIUS_PER_SCALE:.2f}")
        return style
    line = _sub(style, "LineStyle")
    _sub(line, "color", _kml_colour(options["color"], float(options["opacity"])))
    _sub(line, "width", f"{float(options['weight']) * KML_WIDTH_PER_PX:g}")
    if "Polygon" in geometry:
        poly = _sub(style, "PolyStyle")
        _sub(poly, "color", _kml_colour(options["fillColor"], float(options["fillOpacity"])))
    return style


def _html_lines(lines: Iterable[str]) -> str:
    return "<br>".join(esc(line) for line in lines)


def to_kml(layers: Layers, state: ExportState) -> bytes:
    """One KML document for Google Earth: a folder per shown layer (named in the state's
    language), each placemark named as the map's tooltip, described by the map's popup (the
    quote with its file and line), styled in the map's colours, its properties and credit as
    extended data; the document's description holds the credits and the build.

    GDAL's KML driver writes each layer; the folders are then joined into one document and
    given shared styles (the driver writes none of the map's)."""
    import pyogrio

    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    prov = provenance(layers)
    ET.register_namespace("", KML_NS)
    document = _kml("Document", id="laovn-map")
    _sub(document, "name", t("title", state.lang))
    _sub(document, "description", _html_lines([
        t("export.subtitle", state.lang), what_is_shown(state), "",
        *_credits_text(layers, state.lang).splitlines(), "", prov.line(state.lang)]))
    styles: dict[str, str] = {}  # a feature's layer and options (JSON) → its style's id
    per_layer: dict[str, int] = {}
    schemas: list[ET.Element] = []
    folders: list[ET.Element] = []
    with tempfile.TemporaryDirectory(prefix="laovn-export-") as tmp:
        for layer, features in shown.items():
            columns = _records(layer, features, state.lang)
            texts = [feature_texts(layer, f.get("properties") or {}, state.lang)
                     for f in features]
            frame = _frame({"kml_name": columns["display_name"],
                            "kml_description": [popup for _tooltip, popup in texts],
                            **columns}, geometries(index, features))
            path = Path(tmp) / f"{layer}.kml"
            pyogrio.write_dataframe(frame, path, layer=table_name(layer, state.period),
                                    driver="KML", dataset_options={
                                        "NameField": "kml_name",
                                        "DescriptionField": "kml_description"})
            written = ET.parse(path).getroot().find(f"{{{KML_NS}}}Document")
            if written is None:
                raise ExportError(f"GDAL wrote no KML document for layer {layer}")
            schemas += written.findall(f"{{{KML_NS}}}Schema")
            folder = written.find(f"{{{KML_NS}}}Folder")
            if folder is None:
                raise ExportError(f"GDAL wrote no KML folder for layer {layer}")
            name = folder.find(f"{{{KML_NS}}}name")
            if name is not None:
                name.text = layer_label(layer, state.lang, state.period)
            credit = sorted({c for c in columns["credit"] if c})
            folder.insert(1, _kml("description", " · ".join(credit)))
            for position, (feat, placemark) in enumerate(zip(
                    features, folder.findall(f"{{{KML_NS}}}Placemark"), strict=True)):
                options = leaflet_options(layer, position, feat.get("properties") or {})
                key = json.dumps([layer, options], sort_keys=True)
                if key not in styles:
                    per_layer[layer] = per_layer.get(layer, -1) + 1
                    styles[key] = f"{layer}-{per_layer[layer]}"
                    # after the document's name and description, before any schema or folder
                    document.insert(1 + len(styles),
                                    _kml_style(styles[key], options, feat["geometry"]["type"]))
                for inline in placemark.findall(f"{{{KML_NS}}}Style"):
                    placemark.remove(inline)  # the driver's default outline
                after = placemark.find(f"{{{KML_NS}}}description")
                at = list(placemark).index(after) + 1 if after is not None else 1
                placemark.insert(at, _kml("styleUrl", f"#{styles[key]}"))
            folders.append(folder)
    for element in (*schemas, *folders):
        document.append(element)
    root = _kml("kml")
    root.append(document)
    ET.indent(root, space=" ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


# --- CSV ---------------------------------------------------------------------------------------

#: The first columns of the CSV; every other property follows, sorted by name.
CSV_COLUMNS = ("map_layer", "table", "id", "display_name", "lon", "lat", "wkt", "source_file",
               "source_line", "source_quote", "dataset", "credit", "build")
WKT_DECIMALS = 6


#: What makes a spreadsheet take a text cell for a formula (OWASP's CSV injection list: the
#: formula signs, and tab and carriage return, which some import as a cell's start).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The columns this code writes from the geometry, never text to neutralise: the point's
#: coordinates (numbers, negative ones too) and the WKT (`POINT (…)`).
CSV_GEOMETRY_COLUMNS = ("lon", "lat", "wkt")


def _number(value: float) -> str:
    return f"{value:.{WKT_DECIMALS}f}".rstrip("0").rstrip(".")


def neutralised(text: str) -> str:
    """*text* as a spreadsheet shows it rather than runs it: a leading single quote when it
    starts like a formula (`=HYPERLINK(…)` → `'=HYPERLINK(…)`)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _csv_cells(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[list[str]]:
    """The rows as CSV cells, decided per column: the geometry's columns and a column of
    numbers only (a negative figure, a count) are written as they are; every other cell is text,
    neutralised when a spreadsheet would take it for a formula."""
    as_is = {c for c in columns if c in CSV_GEOMETRY_COLUMNS
             or all(_is_number(row[c]) for row in rows if row.get(c) is not None)}
    return [[_text(row.get(c)) if c in as_is else neutralised(_text(row.get(c)))
             for c in columns] for row in rows]


def to_csv(layers: Layers, state: ExportState) -> bytes:
    """A row per shown feature: its map layer and table, id, name in the state's language,
    lon/lat for points, WKT for every geometry (6 decimals, as in geo/), the provenance
    columns, its credit and the build, then every other property (sorted; empty where a
    layer has none). UTF-8 with a BOM so that spreadsheets read Vietnamese and Lao, CRLF
    line ends (RFC 4180). Text that a spreadsheet would run as a formula is neutralised
    (`neutralised`, `_csv_cells`)."""
    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    build = provenance(layers).line(state.lang)
    rest = sorted({k for features in shown.values() for f in features
                   for k in (f.get("properties") or {})} - set(CSV_COLUMNS))
    columns = (*CSV_COLUMNS, *rest)
    rows: list[dict[str, Any]] = []
    for layer, features in shown.items():
        for feat, geom in zip(features, geometries(index, features), strict=True):
            props = feat.get("properties") or {}
            point = geom.geom_type == "Point"
            rows.append({
                **props, "map_layer": layer, "table": table_name(layer, state.period),
                "id": _text(props.get("id", feat.get("id"))),
                "display_name": feature_name(layer, props, state.lang),
                # 6 decimals, as in the WKT
                "lon": _number(geom.x) if point else None,
                "lat": _number(geom.y) if point else None,
                "wkt": shapely.to_wkt(geom, rounding_precision=WKT_DECIMALS, trim=True),
                "credit": feature_credit(props, state.lang), "build": build})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(_csv_cells(rows, columns))
    return out.getvalue().encode("utf-8-sig")


# --- the offline HTML map ------------------------------------------------------------------------

def to_html(layers: Layers, state: ExportState) -> bytes:
    """The interactive map of the state as one HTML file that opens from disk with no network:
    the page's own map (`mapview.build_map`: popups with their quotes, layer control, legend,
    labels, credits; Leaflet inlined from the xstatic package as data: URLs), drawn from the
    display geometry as on the page, with `<html lang>`, a title and the build in the credits.

    The one function that knows the map's assembly: adapt it when `mapview` changes."""
    shown = shown_layers(layers, state)
    prov = provenance(layers)
    disp = _per_build(layers, "display", lambda: simplify.display_layers(layers.collections))

    def prepared(period: str) -> dict[str, browserdata.PreparedLayer]:
        found: dict[str, browserdata.PreparedLayer] = _per_build(
            layers, ("prepared", period), lambda: browserdata.prepare_layers(
                disp, label_anchors(layers), period))
        return found

    texts = _per_build(layers, ("texts", state.lang, state.period), lambda: browserdata.script_json(
        browserdata.prepare_texts(disp, state.lang, label_anchors(layers), state.period)))
    period_json = (mapview.period_data_json(prepared(state.period))
                   if state.period != PERIOD_TEXT else None)
    off = tuple(name for name in MAP_LAYERS if name not in shown)
    script = mapview.state_script(
        mapview.MapState(state.lang, state.period, off=off, timeline=state.timeline), texts,
        period_json)
    fmap = mapview.standalone_map(prepared(PERIOD_TEXT), script)
    root = fmap.get_root()
    root.title = esc(t("title", state.lang))  # type: ignore[attr-defined]
    # folium names the map with a random id: a fixed one makes the same state the same file
    page = root.render().replace(fmap.get_name(), "map_laovn")
    build = browserdata.script_json(esc(prov.line(state.lang)))
    meta = (f'<meta name="generator" content="{esc(prov.generator)}">'
            f'<meta name="laovn-manifest-sha256" content="{esc(prov.manifest_sha256)}">')
    page = page.replace("<html>", f'<html lang="{state.lang}">', 1)
    page = page.replace("<head>", "<head>" + meta, 1)
    # the build joins the map's credit line (the map script has run by then)
    tail = ("<script>if (window.laovn && window.laovn.map) "
            f"{{ window.laovn.map.attributionControl.addAttribution({build}); }}</script>")
    head, sep, end = page.rpartition("</html>")
    return ((head + tail + sep + end) if sep else page + tail).encode("utf-8")


# --- the print: PNG and PDF ---------------------------------------------------------------------

#: The fonts of the print, in fallback order: Latin with Vietnamese, then Lao script. Both are
#: in Debian's fonts-noto-core.
PRINT_FONTS = ("Noto Sans", "Noto Sans Lao")
FONT_PACKAGE = "fonts-noto-core"
#: A Leaflet pixel on paper (pt): a print is read closer than a screen, so lines are finer.
PX_TO_PT = 0.6
#: The map's layers that frame nothing (as on the page): the base map and its water.
_UNFRAMED = ("countries", "water")
#: The scale bar's lengths (km): it takes the longest within a fifth of the map's width.
_NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
#: The narrowest map a print draws (km, west to east): its shortest scale bar in a fifth of it.
#: A narrower view is refused (its scale bar and label would be drawn far off the sheet, which
#: FreeType cannot rasterise); a framing of the layers (no view) is widened to it.
MIN_MAP_KM = 5 * _NICE_KM[0]
_TIERS = browserdata.LABEL_TIERS
#: Matplotlib is not thread-safe (rc settings, font caches): one print is drawn at a time.
_PRINT_LOCK = threading.Lock()


@cache
def font_files() -> tuple[Path, ...]:
    """The files of `PRINT_FONTS`; `ExportError` naming the package when one is missing."""
    from matplotlib import font_manager

    files = []
    for family in PRINT_FONTS:
        try:
            found = str(font_manager.findfont(font_manager.FontProperties(family=family),
                                              fallback_to_default=False))
        except ValueError:
            found = ""
        if not found or font_manager.get_font(found).family_name != family:
            raise ExportError(f"the print needs the font {family!r}: install Debian's "
                              f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")
        files.append(Path(found))
    return tuple(files)


@cache
def _charmap(path: Path) -> frozenset[int]:
    from matplotlib import font_manager

    return frozenset(font_manager.get_font(str(path)).get_charmap())


def missing_glyphs(texts: Iterable[str]) -> dict[str, str]:
    """Each character of *texts* that none of the print's fonts has (it would print as a
    box), with a text it is in; white space aside."""
    covered = frozenset().union(*(_charmap(p) for p in font_files()))
    missing: dict[str, str] = {}
    for text in texts:
        for char in text:
            if not char.isspace() and ord(char) not in covered:
                missing.setdefault(char, text)
    return missing


@dataclass(frozen=True)
class MapLabel:
    """A name on the print: its forms in order of preference (with the Lao script under it,
    then without), where (lon, lat), its tier (`browserdata.LABEL_TIERS`), the area it ranks
    by, and for a province the box (south, west, north, east) it must fit in."""

    texts: tuple[str, ...]
    lon: float
    lat: float
    tier: str
    area: float = 0.0
    fit: tuple[float, float, float, float] | None = None
    country: str = ""  # a province's (its label takes the country's colour)


@dataclass(frozen=True)
class LegendEntry:
    layer: str
    text: str
    variant: str = ""  # the sending country of a mission entry


@dataclass(frozen=True)
class PrintContent:
    """Every text of a print and where its pieces come from, before anything is drawn: the
    glyph check (`print_texts`) and the drawing share it."""

    state: ExportState
    shown: dict[str, list[Feature]]
    title: str
    subtitle: str
    legend_title: str
    legend: tuple[LegendEntry, ...]
    labels: tuple[MapLabel, ...]
    credits_heading: str
    credits: str
    texts_line: str
    quotes_note: dict[str, str]
    build: str
    north: str
    km: str
    quotes: tuple[Quote, ...]
    quotes_title: str
    features_word: str
    provenance: Provenance
    box: tuple[float, float, float, float]
    geometries: GeometryIndex


def _legend(shown: Mapping[str, Sequence[Feature]], lang: str, period: str) -> list[LegendEntry]:
    """The map's legend (`labels.legend_html`), entry for entry: no entry for the base map."""
    out = []
    for layer in shown:
        if layer in ("embassies", "consulates"):
            word = "legend.embassy" if layer == "embassies" else "legend.consulate"
            senders = {str((f.get("properties") or {}).get("sending_country"))
                       for f in shown[layer]}
            out += [LegendEntry(layer, t(word, lang).format(country=any_country_name(code, lang)),
                                code) for code in PARTIES if code in senders]
        elif layer != "countries":
            out.append(LegendEntry(layer, layer_label(layer, lang, period)))
    return out


def _labels(layers: Layers, shown: Mapping[str, Sequence[Feature]], state: ExportState
            ) -> list[MapLabel]:
    """The map's names (as `browserdata.map_labels` places them), in plain text, with the Lao
    script under the Lao provinces' and cities' names where the data has it."""
    anchors = label_anchors(layers)
    out: list[MapLabel] = []
    for feat in shown.get("countries", ()):
        props = feat.get("properties") or {}
        anchor = anchors.get("countries", {}).get(str(props.get("id")))
        if anchor:
            tier = "party" if props.get("is_party") else "country"
            out.append(MapLabel((any_country_name(props.get("iso_a2"), state.lang).upper(),),
                                anchor.lon, anchor.lat, tier, anchor.area_km2))
    for code, layer in PROVINCE_LAYERS.items():
        for feat in shown.get(layer, ()):
            props = feat.get("properties") or {}
            anchor = anchors.get(table_name(layer, state.period), {}).get(str(props.get("id")))
            if anchor:
                name = province_name(props, state.lang)
                forms = (f"{name}\n{props['name_lo']}", name) \
                    if code == LAOS.code and props.get("name_lo") else (name,)
                out.append(MapLabel(forms, anchor.lon, anchor.lat, "province", anchor.area_km2,
                                    anchor.box, code))
    seen: set[str] = set()
    for layer, tier in (("embassies", "capital"), ("consulates", "city")):
        for feat in shown.get(layer, ()):
            props = feat.get("properties") or {}
            city = city_name(props, state.lang)
            if city and city not in seen:
                seen.add(city)
                lon, lat = feat["geometry"]["coordinates"][:2]
                forms = (f"{city}\n{props['city_lo']}", city) if props.get("city_lo") else (city,)
                out.append(MapLabel(forms, float(lon), float(lat), tier))
    return sorted(out, key=lambda x: (_TIERS.index(x.tier), -x.area))


def _frame_box(shown: Mapping[str, Sequence[Feature]], state: ExportState,
               index: GeometryIndex) -> tuple[float, float, float, float]:
    """(south, west, north, east): the state's view, or the border region as the map frames
    it (its subject's layers, else whatever is shown)."""
    if state.view is not None:
        return state.view
    subject = [f for name, feats in shown.items() if name not in _UNFRAMED for f in feats] \
        or [f for feats in shown.values() for f in feats]
    west, south, east, north = shapely.total_bounds(geometries(index, subject))
    return float(south), float(west), float(north), float(east)


def print_content(layers: Layers, state: ExportState) -> PrintContent:
    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    lang = state.lang
    prov = provenance(layers)
    files = ", ".join(sorted(layers.texts))
    return PrintContent(
        state=state, shown=shown, title=t("title", lang),
        subtitle=f"{t('export.subtitle', lang)} {what_is_shown(state)}",
        legend_title=t("legend", lang), legend=tuple(_legend(shown, lang, state.period)),
        labels=tuple(_labels(layers, shown, state)),
        credits_heading=t("export.credits", lang), credits=credit_line(lang),
        texts_line=f"{t('export.texts', lang)}: {files}.",
        quotes_note={fmt: t(f"export.quotes.{fmt}", lang) for fmt in PRINTS},
        build=prov.line(lang), north=t("north", lang), km=t("km", lang),
        quotes=tuple(quotes(shown, lang)), quotes_title=t("export.sources_title", lang),
        features_word=t("export.features", lang), provenance=prov,
        box=_frame_box(shown, state, index), geometries=index)


def _projection_note(content: PrintContent, error_pct: float) -> str:
    return t("export.projection", content.state.lang).format(
        error=fmt_num(error_pct, content.state.lang, 1))


def print_texts(layers: Layers, state: ExportState) -> list[str]:
    """Every text a print of *state* draws (both formats, the PDF's source pages included)."""
    return _texts(print_content(layers, state))


def _texts(c: PrintContent) -> list[str]:
    return [c.title, c.subtitle, c.legend_title, *(e.text for e in c.legend),
            *(text for label in c.labels for text in label.texts), c.credits_heading, c.credits, c.texts_line,
            *c.quotes_note.values(), c.build, _projection_note(c, 0.0), c.north, c.km,
            c.quotes_title, c.features_word,
            *(part for q in c.quotes for part in (q.file, q.text, *q.features))]


_TO_METRES = Transformer.from_crs("EPSG:4326", simplify.METRIC_CRS, always_xy=True)
_TO_DEGREES = Transformer.from_crs(simplify.METRIC_CRS, "EPSG:4326", always_xy=True)


def _metres_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in metres around a degree box (its edges sampled)."""
    south, west, north, east = box
    lons = np.concatenate([np.linspace(west, east, 50), np.full(50, east),
                           np.linspace(east, west, 50), np.full(50, west)])
    lats = np.concatenate([np.full(50, south), np.linspace(south, north, 50), np.full(50, north),
                           np.linspace(north, south, 50)])
    xs, ys = _TO_METRES.transform(lons, lats)
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def _fit(limits: tuple[float, float, float, float], aspect: float, pad: float,
         min_width: float = 0.0) -> tuple[float, float, float, float]:
    """*limits* padded by the share *pad*, at least *min_width* wide, and widened to the axes'
    width/height *aspect* (a single point too)."""
    xmin, ymin, xmax, ymax = limits
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    w, h = max((xmax - xmin) * (1 + 2 * pad), min_width), (ymax - ymin) * (1 + 2 * pad)
    if w < h * aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def scale_bar_km(map_width_m: float) -> float | None:
    """The scale bar's length for a map this wide: the longest of `_NICE_KM` within a fifth of
    it; None for a map narrower than `MIN_MAP_KM`."""
    return max((n for n in _NICE_KM if n * 5 * 1000 <= map_width_m), default=None)


def _narrow_view(state: ExportState, map_width_m: float) -> ExportError:
    page = state.page
    return ExportError(
        f"view {state.view!r} is {map_width_m / 1000:.3g} km wide on a {page.width_mm:g}×"
        f"{page.height_mm:g} mm print: a print's map must be at least {MIN_MAP_KM:g} km wide "
        "(its shortest scale bar in a fifth of it); choose a wider view")


def _scale_error_pct(limits: tuple[float, float, float, float]) -> float:
    """The largest departure of UTM 48N's scale from 1 over the map (a grid of points), in %."""
    xmin, ymin, xmax, ymax = limits
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 9), np.linspace(ymin, ymax, 9))
    lons, lats = _TO_DEGREES.transform(xs.ravel(), ys.ravel())
    factors = Proj(simplify.METRIC_CRS).get_factors(lons, lats)
    scale = np.asarray(factors.meridional_scale)
    return float(np.max(np.abs(scale - 1.0)) * 100)


def _rgba(css: str, alpha: float) -> tuple[float, float, float, float]:
    value = css.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255,
            max(0.0, min(1.0, alpha)))


@dataclass(frozen=True)
class _Paper:
    """Lengths on the paper: mm and pt scaled from A4 (sizes grow with the sheet)."""

    width_mm: float
    height_mm: float

    @property
    def k(self) -> float:
        return min(self.width_mm, self.height_mm) / PAPER["a4"][1]

    def x(self, mm: float) -> float:
        return mm / self.width_mm

    def y(self, mm: float) -> float:
        return mm / self.height_mm

    def pt(self, size: float) -> float:
        return size * self.k


PT_MM = MM_PER_INCH / 72


#: Word widths in pt by (word, size in pt, bold), shared by every print: the same words (the
#: credits, the quotes) come back in every export, and shaping each costs about a millisecond.
_WORD_WIDTHS: dict[tuple[str, float, bool], float] = {}
_WORD_WIDTHS_MAX = 50_000


def _wrapper(renderer: Any, dpi: float) -> Callable[..., list[str]]:
    """`wrap(text, width_mm, size_pt, bold=False)`: *text* broken at spaces into lines that
    fit *width_mm*, each word measured by *renderer* with the print's fonts (shaped, as drawn;
    a line is its words and spaces)."""
    from matplotlib.font_manager import FontProperties

    def width(word: str, size_pt: float, bold: bool) -> float:
        key = (word, size_pt, bold)
        found = _WORD_WIDTHS.get(key)
        if found is None:
            prop = FontProperties(family=list(PRINT_FONTS), size=size_pt,
                                  weight="bold" if bold else "normal")
            w, _h, _d = renderer.get_text_width_height_descent(word, prop, ismath=False)
            found = float(w) * 72 / dpi
            if len(_WORD_WIDTHS) >= _WORD_WIDTHS_MAX:
                _WORD_WIDTHS.clear()
            _WORD_WIDTHS[key] = found
        return found

    def wrap(text: str, width_mm: float, size_pt: float, bold: bool = False) -> list[str]:
        limit = width_mm / PT_MM
        space = width("a a", size_pt, bold) - 2 * width("a", size_pt, bold)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                w = width(word, size_pt, bold)
                if line and used + space + w > limit:
                    lines.append(line)
                    line, used = word, w
                else:
                    line, used = (f"{line} {word}", used + space + w) if line else (word, w)
            lines.append(line)
        return lines

    return wrap


#: Outlines are simplified to this share of a printed pixel (at 300 dpi for the PDF): nothing
#: the eye or a zoomed PDF can tell, and far fewer vertices for matplotlib to draw.
PRINT_TOLERANCE_PX = 0.25


def _draw_map(ax: Any, content: PrintContent, limits: tuple[float, float, float, float],
              paper: _Paper, metres_per_px: float) -> None:
    """Every shown layer, bottom first, in the map's colours and widths: the full layers in
    UTM 48N, clipped to the map (plus a margin) and simplified below a printed pixel."""
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.patches import PathPatch

    xmin, ymin, xmax, ymax = limits
    margin = 0.05 * max(xmax - xmin, ymax - ymin)
    clip = (xmin - margin, ymin - margin, xmax + margin, ymax + margin)
    tolerance = PRINT_TOLERANCE_PX * metres_per_px
    for z, (layer, features) in enumerate(content.shown.items()):
        options = [leaflet_options(layer, i, f.get("properties") or {})
                   for i, f in enumerate(features)]
        geoms = shapely.transform(geometries(content.geometries, features), _project)
        if layer in ("embassies", "consulates"):
            xy = shapely.get_coordinates(geoms)
            ax.scatter(xy[:, 0], xy[:, 1], zorder=10 + z,
                       s=[(2 * o.get("radius", 8) * PX_TO_PT * paper.k) ** 2 for o in options],
                       c=[_rgba(o["fillColor"], o["fillOpacity"]) for o in options],
                       edgecolors=[_rgba(o["color"], o["opacity"]) for o in options],
                       linewidths=[o["weight"] * PX_TO_PT * paper.k for o in options])
            continue
        geoms = shapely.simplify(shapely.clip_by_rect(geoms, *clip), tolerance)
        kept = [(g, o) for g, o in zip(geoms, options, strict=True) if not g.is_empty]
        if not kept:
            continue
        width = kept[0][1]["weight"] * PX_TO_PT * paper.k
        if all("Polygon" in g.geom_type for g, _ in kept):
            ax.add_collection(PatchCollection(
                [PathPatch(_polygon_path(g)) for g, _ in kept], zorder=z, linewidths=width,
                facecolors=[_rgba(o["fillColor"], o["fillOpacity"]) for _, o in kept],
                edgecolors=[_rgba(o["color"], o["opacity"]) for _, o in kept]))
        else:
            lines = [(shapely.get_coordinates(part), o) for g, o in kept
                     for part in shapely.get_parts(g)]
            ax.add_collection(LineCollection(
                [xy for xy, _ in lines], zorder=z, linewidths=width, capstyle="round",
                joinstyle="round", colors=[_rgba(o["color"], o["opacity"]) for _, o in lines]))


def _project(coords: Any) -> Any:
    x, y = _TO_METRES.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _polygon_path(geom: Any) -> Any:
    """A (multi)polygon as one matplotlib path: every ring closed, holes wound against their
    exterior so that the nonzero fill leaves them open."""
    from matplotlib.path import Path as MplPath

    oriented = shapely.orient_polygons(geom)
    vertices, codes = [], []
    for ring in shapely.get_rings(shapely.get_parts(oriented)):
        xy = shapely.get_coordinates(ring)
        vertices.append(xy)
        codes += [MplPath.MOVETO, *[MplPath.LINETO] * (len(xy) - 2), MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


_LABEL_STYLE: dict[str, dict[str, Any]] = {
    # tier: size (pt at A4), weight, colour: the page's CSS (mapstyle.CSS), a size smaller;
    # regular or bold only (the weights fonts-noto-core has)
    "capital": {"size": 7.5, "weight": "bold", "color": COLOURS["label"]},
    "city": {"size": 7.0, "weight": "normal", "color": COLOURS["label"]},
    "party": {"size": 11.0, "weight": "bold", "color": COLOURS["label"]},
    "country": {"size": 8.0, "weight": "normal", "color": COLOURS["label_country"]},
    "province": {"size": 6.5, "weight": "bold", "color": COLOURS["label"]},
}
#: Province label colours by country (mapstyle.CSS: .laovn-label-vn / -la).
_PROVINCE_LABEL_COLOUR = {"VN": "#7d1616", "LA": "#163a78"}


def _draw_labels(ax: Any, renderer: Any, content: PrintContent, paper: _Paper,
                 metres_per_mm: float) -> None:
    """The names, in rank order, each in the first of its forms that fits; a name is left out
    where every form would overlap one placed before it, leave the map, or (a province's) be
    larger than its province's box (the page's rules)."""
    from matplotlib import patheffects

    axes_box = ax.get_window_extent(renderer)
    placed: list[Any] = []
    pad = 1.0 * paper.k * renderer.points_to_pixels(1.0)

    def fits(box: Any, label: MapLabel) -> bool:
        if not (axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1 and axes_box.y0 <= box.y0
                and box.y1 <= axes_box.y1):
            return False
        if label.fit:
            south, west, north, east = label.fit
            (x0, y0), (x1, y1) = (ax.transData.transform(_TO_METRES.transform(lon, lat))
                                  for lon, lat in ((west, south), (east, north)))
            if box.width > abs(x1 - x0) or box.height > abs(y1 - y0):
                return False
        return not any(box.x0 < p.x1 + pad and p.x0 < box.x1 + pad and box.y0 < p.y1 + pad
                       and p.y0 < box.y1 + pad for p in placed)

    for label in content.labels:
        style = _LABEL_STYLE[label.tier]
        x, y = _TO_METRES.transform(label.lon, label.lat)
        city = label.tier in ("capital", "city")
        for form in label.texts:
            text = ax.text(x + (3.2 * paper.k * metres_per_mm if city else 0), y, form,
                           ha="left" if city else "center", va="center", zorder=30,
                           fontsize=paper.pt(style["size"]), fontweight=style["weight"],
                           color=_PROVINCE_LABEL_COLOUR.get(label.country, style["color"]),
                           linespacing=1.05, multialignment="left" if city else "center",
                           path_effects=[patheffects.withStroke(linewidth=paper.pt(2.0),
                                                                foreground="white")])
            box = text.get_window_extent(renderer)
            if fits(box, label):
                placed.append(box)
                break
            text.remove()


def _draw_scale_and_north(ax: Any, content: PrintContent, limits: tuple[float, float, float, float],
                          paper: _Paper, metres_per_mm: float, length_km: float) -> None:
    from matplotlib import patheffects
    from matplotlib.patches import FancyBboxPatch, Rectangle

    xmin, ymin, _xmax, ymax = limits
    halo = [patheffects.withStroke(linewidth=paper.pt(2.0), foreground="white")]
    # scale bar: a round length near a fifth of the map's width, in four alternating parts
    x0, y0 = xmin + 8 * paper.k * metres_per_mm, ymin + 8 * paper.k * metres_per_mm
    height = 1.6 * paper.k * metres_per_mm
    part = length_km * 1000 / 4
    ax.add_patch(FancyBboxPatch(
        (x0 - 3 * paper.k * metres_per_mm, y0 - 3.5 * paper.k * metres_per_mm),
        length_km * 1000 + 12 * paper.k * metres_per_mm, 10 * paper.k * metres_per_mm,
        boxstyle="round,pad=0", facecolor=(1, 1, 1, 0.85), edgecolor="none", zorder=40))
    for i in range(4):
        ax.add_patch(Rectangle((x0 + i * part, y0), part, height, zorder=41, linewidth=0.6,
                               facecolor=COLOURS["border"] if i % 2 == 0 else "white",
                               edgecolor=COLOURS["border"]))
    for at, value in ((0, "0"), (2, f"{length_km / 2:g}"), (4, f"{length_km:g} {content.km}")):
        ax.text(x0 + at * part, y0 + height + 1.0 * paper.k * metres_per_mm, value, zorder=42,
                ha="center", va="bottom",
                fontsize=paper.pt(6.5), color=COLOURS["label"])
    # north arrow: true north where the arrow stands (UTM's grid north differs off 105°E)
    nx, ny = xmin + 12 * paper.k * metres_per_mm, ymax - 20 * paper.k * metres_per_mm
    lon, lat = _TO_DEGREES.transform(nx, ny)
    tx, ty = _TO_METRES.transform(lon, lat + 0.05)
    dx, dy = tx - nx, ty - ny
    norm = math.hypot(dx, dy)
    length = 10 * paper.k * metres_per_mm
    tip = (nx + dx / norm * length, ny + dy / norm * length)
    ax.annotate("", xy=tip, xytext=(nx, ny), zorder=42,
                arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.45",
                            "color": COLOURS["border"], "linewidth": paper.pt(1.6),
                            "shrinkA": 0, "shrinkB": 0})
    ax.text(tip[0] + dx / norm * 1.2 * paper.k * metres_per_mm,
            tip[1] + dy / norm * 1.2 * paper.k * metres_per_mm, content.north, zorder=42,
            ha="center", va="bottom", fontsize=paper.pt(10), fontweight="bold",
            color=COLOURS["border"], path_effects=halo)


def _legend_handles(content: PrintContent, paper: _Paper) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for entry in content.legend:
        style = leaflet_options(entry.layer, 0, {"sending_country": entry.variant})
        if entry.layer in ("provinces_vn", "provinces_la", "water"):
            handles.append(Patch(facecolor=_rgba(style["fillColor"], max(style["fillOpacity"],
                                                                          0.33)),
                                 edgecolor=style["color"], linewidth=paper.pt(1.0)))
        elif entry.layer == "segments":
            handles.append(tuple(
                Line2D([], [], color=COLOURS[key], linewidth=paper.pt(4.0))
                for key in ("segment_a", "segment_b")))
        elif entry.layer == "border":
            handles.append(Line2D([], [], color=style["color"], linewidth=paper.pt(1.8)))
        else:
            size = 2 * style.get("radius", 8) * PX_TO_PT * paper.k
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=size,
                                  markerfacecolor=style["fillColor"],
                                  markeredgecolor=style["color"],
                                  markeredgewidth=style["weight"] * PX_TO_PT * paper.k))
    return handles


def print_figure(content: PrintContent, fmt: str = "png") -> Any:
    """The map page of a print as a matplotlib Figure: title, map, legend, names, scale bar,
    north arrow, credits and the build. Call with `_PRINT_LOCK` held (matplotlib's state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.legend_handler import HandlerTuple

    _check_glyphs(content)
    state = content.state
    page = state.page
    paper = _Paper(page.width_mm, page.height_mm)
    fig = Figure(figsize=(page.pixels[0] / page.dpi, page.pixels[1] / page.dpi), dpi=page.dpi,
                 facecolor="white")
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    wrap = _wrapper(renderer, page.dpi)
    # the layout, in mm from the sheet's edges: title and subtitle, the map with the legend
    # and notes in a column on its right, the credits under both
    margin, legend_w, gap = 9 * paper.k, 64 * paper.k, 3 * paper.k
    title_size, subtitle_size, small = paper.pt(17), paper.pt(8.5), paper.pt(6.3)
    inner_mm = page.width_mm - 2 * margin

    def height_mm(text: Any) -> float:
        return float(text.get_window_extent(renderer).height) / page.dpi * MM_PER_INCH

    top = 1 - paper.y(margin)
    title = fig.text(paper.x(margin), top, content.title, ha="left", va="top",
                     fontsize=title_size, fontweight="bold", color=COLOURS["label"])
    title_mm = height_mm(title)
    subtitle = fig.text(paper.x(margin), top - paper.y(title_mm + gap / 2),
                        "\n".join(wrap(content.subtitle, inner_mm, subtitle_size)), ha="left",
                        va="top", fontsize=subtitle_size, color="#444444", linespacing=1.3)
    header = margin + title_mm + gap / 2 + height_mm(subtitle) + gap
    footer = fig.text(paper.x(margin), paper.y(margin), "\n".join([
        *wrap(f"{content.credits_heading}: {content.credits}", inner_mm, small),
        *wrap(f"{content.texts_line} {content.quotes_note[fmt]}", inner_mm, small)]),
        ha="left", va="bottom", fontsize=small, color="#333333", linespacing=1.45)
    bottom_mm = margin + height_mm(footer) + gap
    map_mm = (page.width_mm - 2 * margin - legend_w, page.height_mm - header - bottom_mm)
    ax = fig.add_axes((paper.x(margin), paper.y(bottom_mm), paper.x(map_mm[0]),
                       paper.y(map_mm[1])))
    limits = _fit(_metres_box(content.box), map_mm[0] / map_mm[1],
                  *((0.0, 0.0) if state.view is not None else (0.03, MIN_MAP_KM * 1000)))
    bar_km = scale_bar_km(limits[2] - limits[0])
    if bar_km is None:  # refused before anything is drawn
        raise _narrow_view(state, limits[2] - limits[0])
    metres_per_mm = (limits[2] - limits[0]) / map_mm[0]
    ax.set_xlim(limits[0], limits[2])
    ax.set_ylim(limits[1], limits[3])
    ax.set_facecolor(COLOURS["sea"])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(paper.pt(0.6))
        spine.set_color(COLOURS["country_line"])
    _draw_map(ax, content, limits, paper,
              metres_per_mm * MM_PER_INCH / max(page.dpi, A4_LANDSCAPE.dpi))
    _draw_labels(ax, renderer, content, paper, metres_per_mm)
    _draw_scale_and_north(ax, content, limits, paper, metres_per_mm, bar_km)

    legend_x = paper.x(page.width_mm - margin - legend_w + 6 * paper.k)
    column_mm = legend_w - 6 * paper.k
    legend_size = paper.pt(7.5)
    legend_handle_mm = (2.4 + 0.8) * legend_size * PT_MM  # handle and gap (in font sizes)
    fig.legend(handles=_legend_handles(content, paper),
               labels=["\n".join(wrap(entry.text, column_mm - legend_handle_mm, legend_size))
                       for entry in content.legend], loc="upper left",
               bbox_to_anchor=(legend_x, 1 - paper.y(header)), frameon=False,
               title=content.legend_title, alignment="left", fontsize=legend_size,
               title_fontproperties={"size": paper.pt(9), "weight": "bold"},
               handlelength=2.4, handleheight=1.2, borderaxespad=0, labelspacing=0.8,
               handler_map={tuple: HandlerTuple(ndivide=None, pad=0.0)})
    notes = [*wrap(_projection_note(content, _scale_error_pct(limits)), column_mm, small), "",
             *wrap(content.build, column_mm, small)]
    fig.text(legend_x, paper.y(bottom_mm), "\n".join(notes), ha="left", va="bottom",
             fontsize=small, color="#444444", linespacing=1.35)
    return fig


def _check_glyphs(content: PrintContent) -> None:
    missing = missing_glyphs(_texts(content))
    if missing:
        chars = ", ".join(f"U+{ord(c):04X} in {text[:40]!r}" for c, text in missing.items())
        raise ExportError(f"the print's fonts ({', '.join(PRINT_FONTS)}) lack {chars}")


def _source_pages(content: PrintContent) -> list[Any]:
    """The PDF's pages after the map: each quoted passage with its file:line and the features
    that quote it, in file and line order, as many pages as they need."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    page = content.state.page
    paper = _Paper(page.width_mm, page.height_mm)
    margin, indent, heading = 12 * paper.k, 6 * paper.k, 12 * paper.k
    size = paper.pt(7.5)
    line_mm = size * PT_MM * 1.5

    def sheet() -> Any:
        fig = Figure(figsize=(page.width_mm / MM_PER_INCH, page.height_mm / MM_PER_INCH),
                     facecolor="white")
        fig.text(paper.x(margin), 1 - paper.y(margin), content.quotes_title, ha="left",
                 va="top", fontsize=paper.pt(12), fontweight="bold", color=COLOURS["label"])
        return fig

    figures = [sheet()]
    wrap = _wrapper(FigureCanvasAgg(figures[0]).get_renderer(),  # type: ignore[no-untyped-call]
                    figures[0].dpi)
    width = page.width_mm - 2 * margin
    y = page.height_mm - margin - heading
    for quote in content.quotes:
        parts = [(0.0, True, "#222222", [f"{quote.file}:{quote.line}"]),
                 (0.0, False, "#222222",
                  wrap(f"{content.features_word}: {'; '.join(quote.features)}", width, size)),
                 (indent, False, "#5a4a00", wrap(quote.text, width - indent, size))]
        need = sum(len(lines) for *_, lines in parts) * line_mm
        if y - need < margin and y < page.height_mm - margin - heading:
            figures.append(sheet())
            y = page.height_mm - margin - heading
        for left, bold, colour, lines in parts:
            for line in lines:  # one text a line: matplotlib's own spacing is the font's
                figures[-1].text(paper.x(margin + left), paper.y(y), line, ha="left", va="top",
                                 fontsize=size, fontweight="bold" if bold else "normal",
                                 color=colour)
                y -= line_mm
        y -= line_mm
    return figures


def _features_metadata(content: PrintContent) -> str:
    """Each quote of the print with its file, line and features, as JSON (for the PNG)."""
    return json.dumps([{"file": q.file, "line": q.line, "quote": q.text,
                        "features": list(q.features)} for q in content.quotes],
                      ensure_ascii=False, sort_keys=True)


def _rc() -> Any:  # matplotlib types its keys as literals
    # Type 3 fonts (with ToUnicode maps, so the text stays searchable): embedding TrueType
    # (42) makes fontTools subset the large Noto tables, a second more per PDF
    return {"font.family": list(PRINT_FONTS), "pdf.fonttype": 3,
            "svg.fonttype": "none", "path.simplify": True}


#: zlib level of the PNG: 6 (the default) takes 0.3 s more at A4/300 dpi for a file 10 % smaller.
PNG_COMPRESSION = 1


def to_png(layers: Layers, state: ExportState) -> bytes:
    """The print as a PNG of the state's paper (A4 landscape at 300 dpi: 3508×2480 px), with the
    title, credits, build and every feature's quote in its metadata (UTF-8 text chunks)."""
    import matplotlib

    content = print_content(layers, state)
    with _PRINT_LOCK, matplotlib.rc_context(_rc()):
        fig = print_figure(content, "png")
        buf = io.BytesIO()
        fig.canvas.print_png(buf, pil_kwargs={"compress_level": PNG_COMPRESSION}, metadata={
            "Software": None, "Title": content.title, "Description": content.subtitle,
            "Copyright": content.credits, "Source": content.build,
            "laovn-map features": _features_metadata(content)})
        return buf.getvalue()


def to_pdf(layers: Layers, state: ExportState) -> bytes:
    """The print as a vector PDF of the state's paper (fonts embedded), then pages listing
    every quoted passage with its file, line and features."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    content = print_content(layers, state)
    with _PRINT_LOCK, matplotlib.rc_context(_rc()):
        fig = print_figure(content, "pdf")
        buf = io.BytesIO()
        with PdfPages(buf, metadata={
                "Title": content.title, "Subject": content.subtitle,
                "Author": content.credits, "Keywords": content.build,
                "Creator": content.provenance.generator or "laovn-map", "Producer": None,
                "CreationDate": None}) as pdf:
            pdf.savefig(fig)
            for source_page in _source_pages(content):
                pdf.savefig(source_page)
        return buf.getvalue()


# --- one entry point ---------------------------------------------------------------------------

EXPORTERS: dict[str, Callable[[Layers, ExportState], bytes]] = {
    "gpkg": to_gpkg, "kml": to_kml, "csv": to_csv, "html": to_html, "png": to_png,
    "pdf": to_pdf,
}


def export(layers: Layers, fmt: str, state: ExportState | None = None) -> bytes:
    """The export *fmt* (`FORMATS`) of *state* (default: every layer, in English) as bytes."""
    return EXPORTERS[export_format(fmt).key](layers, state or ExportState())
