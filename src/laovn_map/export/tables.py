"""The shown features as attribute tables: a GeoPackage (GDAL through pyogrio) and a CSV (the csv
module, text a spreadsheet would run as a formula neutralised). The KML starts from the same
columns (`records`, `geo_frame`).
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from laovn_map.catalog import credit_line
from laovn_map.export.features import (
    Feature,
    feature_name,
    geometries,
    geometry_index,
    marked_ids,
    selected_statement,
    shown_layers,
    statement_text,
)
from laovn_map.export.formats import ExportState, table_name
from laovn_map.export.provenance import cited, feature_credit, provenance
from laovn_map.geo.reader import Layers
from laovn_map.i18n import t
from laovn_map.page.labels import layer_label, osm_role


def _uniform(values: list[Any]) -> list[Any]:
    """One column's values as one type GDAL can store: numbers stay numbers (None for the
    missing), a column mixing types becomes text."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int} or kinds <= {int, float} or kinds <= {bool} or kinds <= {str}:
        return values
    return [None if v is None else _cell_text(v) for v in values]


def _cell_text(value: Any) -> str:
    """A value as a table's text: '' for none, `true`/`false` as in JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def records(layer: str, features: Sequence[Feature], lang: str) -> dict[str, list[Any]]:
    """The columns of one layer's table: `id`, `display_name`, every property (sorted), and
    `credit`; missing properties are None."""
    keys = sorted({k for f in features for k in (f.get("properties") or {})} - {"id"})
    columns: dict[str, list[Any]] = {"id": [], "display_name": [], **{k: [] for k in keys},
                                     "credit": []}
    for feat in features:
        props = feat.get("properties") or {}
        columns["id"].append(_cell_text(props.get("id", feat.get("id"))))
        columns["display_name"].append(feature_name(layer, props, lang))
        for key in keys:
            columns[key].append(props.get(key))
        columns["credit"].append(feature_credit(props, lang))
    return {k: _uniform(v) for k, v in columns.items()}


# GDAL: OGR_CURRENT_DATE is process-wide, so GeoPackage writes take turns setting it.
_GDAL_LOCK = threading.Lock()
#: The GeoPackage version written: GDAL 3.8 and later write 1.4 unless told, which Debian 12's
#: GDAL 3.6 (and QGIS on it) opens with a warning that it "may only be partially supported";
#: the file uses nothing 1.4 added.
GPKG_VERSION = "1.3"


def geo_frame(columns: Mapping[str, list[Any]], geoms: Any) -> Any:
    """*columns* and their geometries (degrees) as the frame pyogrio writes."""
    import geopandas as gpd  # imported on first export: the page's start does not pay for it

    return gpd.GeoDataFrame(dict(columns), geometry=geoms, crs="EPSG:4326")


def statement_metadata(layers: Layers, state: ExportState) -> dict[str, str]:
    """The statement the export shows (`ExportState.event`) as metadata items: its id, date
    as written, quote and file:line; none without one."""
    statement = selected_statement(layers, state)
    if statement is None:
        return {}
    said = statement_text(layers, statement, state)
    return {"EXPORT_EVENT": said.id, "EVENT_DATE": said.written, "EVENT_QUOTE": said.quote,
            "EVENT_SOURCE": said.cite}


def to_gpkg(layers: Layers, state: ExportState) -> bytes:
    """One GeoPackage, one table per shown layer (`table_name`), each feature with its
    properties (provenance included), `display_name` and `credit`. The dataset's metadata
    holds the credits, the build's ATTRIBUTION.md, its provenance and how to cite it (the
    sentence, BibTeX and CSL-JSON: `CITATION`, `CITATION_BIBTEX`, `CITATION_CSL_JSON`); each table's
    identifier is the layer's name in the state's language and its description its credits.
    `last_change` is the day the build was written, so the same state gives the same bytes."""
    import pyogrio

    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    prov = provenance(layers)
    citation = cited(layers, state.lang)
    metadata = {"TITLE": t("title", state.lang), "DESCRIPTION": t("export.subtitle", state.lang),
                "CREDITS": credit_line(state.lang, osm_role=osm_role(layers.collections, state.lang,
                                                                   state.period)),
                "ATTRIBUTION": layers.attribution_bytes.decode("utf-8"),
                "MANIFEST_SHA256": prov.manifest_sha256, "GENERATOR": prov.generator,
                "BUILD_WRITTEN": prov.written, "EXPORT_LANGUAGE": state.lang,
                "EXPORT_PERIOD": state.period, "EXPORT_LAYERS": ",".join(shown),
                **statement_metadata(layers, state),
                "CITATION": citation.sentence, "CITATION_BIBTEX": citation.bibtex,
                "CITATION_CSL_JSON": citation.csl_json}
    with tempfile.TemporaryDirectory(prefix="laovn-export-") as tmp:
        path = Path(tmp) / "export.gpkg"
        with _GDAL_LOCK:
            pyogrio.set_gdal_config_options(
                {"OGR_CURRENT_DATE": f"{prov.written or '2000-01-01'}T00:00:00.000Z"})
            for i, (layer, features) in enumerate(shown.items()):
                credit = sorted({c for f in features
                                 if (c := feature_credit(f.get("properties") or {}, state.lang))})
                pyogrio.write_dataframe(
                    geo_frame(records(layer, features, state.lang), geometries(index, features)),
                    path,
                    layer=table_name(layer, state.period), driver="GPKG", append=i > 0,
                    dataset_metadata=None if i else metadata,
                    dataset_options=None if i else {"VERSION": GPKG_VERSION},
                    layer_options={"IDENTIFIER": layer_label(layer, state.lang, state.period),
                                   "DESCRIPTION": " · ".join(credit)})
        return path.read_bytes()


#: The first columns of the CSV; every other property follows, sorted by name.
CSV_COLUMNS = ("map_layer", "table", "id", "display_name", "lon", "lat", "wkt",
               "wkt_simplified_m", "source_file", "source_line", "source_quote", "dataset",
               "credit", "build", "citation")
WKT_DECIMALS = 6
#: The most characters a spreadsheet cell holds (Excel; LibreOffice Calc cuts there too).
SPREADSHEET_CELL_CHARS = 32_767
#: Metres in a degree of latitude (and at most in one of longitude): a tolerance in degrees
#: times this is an upper bound in metres.
METRES_PER_DEGREE = 111_320
#: The first tolerance (degrees, about 1 m) a shape too long for a cell is simplified with,
#: doubled until its WKT fits.
FIRST_TOLERANCE_DEG = 1e-5


#: What makes a spreadsheet take a text cell for a formula (OWASP's CSV injection list: the
#: formula signs, and tab and carriage return, which some import as a cell's start).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The columns this code writes from the geometry, never text to neutralise: the point's
#: coordinates (numbers, negative ones too) and the WKT (`POINT (…)`).
CSV_GEOMETRY_COLUMNS = ("lon", "lat", "wkt", "wkt_simplified_m")


def _number(value: float) -> str:
    return f"{value:.{WKT_DECIMALS}f}".rstrip("0").rstrip(".")


def _wkt(geom: Any) -> str:
    return str(shapely.to_wkt(geom, rounding_precision=WKT_DECIMALS, trim=True))


def _strays_deg(simpler: Any, full: Any) -> float:
    """The farthest a vertex of *full* lies from the outline of *simpler* (degrees): its
    vertices are some of *full*'s, so this is how far the two differ. Nearest segments through
    an R-tree, as GEOS's own Hausdorff distance takes seconds on a country's outline."""
    outline = shapely.boundary(simpler) if simpler.area > 0 else simpler
    ends = [(xy[:-1], xy[1:]) for xy in map(shapely.get_coordinates, shapely.get_parts(outline))]
    segments = shapely.linestrings(np.stack([np.concatenate([a for a, _ in ends]),
                                             np.concatenate([b for _, b in ends])], axis=1))
    vertices = shapely.points(shapely.get_coordinates(full))
    _, distances = shapely.STRtree(segments).query_nearest(vertices, return_distance=True,
                                                           all_matches=False)
    return float(distances.max())


def cell_wkt(geom: Any, limit: int = SPREADSHEET_CELL_CHARS) -> tuple[str, int | None]:
    """*geom* as WKT that fits a spreadsheet cell, and None when it is whole; else the shape
    simplified (Douglas–Peucker, topology kept) with the least doubling of the tolerance that
    fits, and how far it strays from the full shape in whole metres (measured: the farthest
    vertex of the full shape from it, rounded up: the tolerance alone is no bound once topology is kept). The
    GeoPackage and the GeoJSON keep every vertex."""
    text = _wkt(geom)
    tolerance = FIRST_TOLERANCE_DEG
    while len(text) > limit:
        simpler = shapely.simplify(geom, tolerance, preserve_topology=True)
        text = _wkt(simpler)
        if len(text) <= limit:
            return text, math.ceil(_strays_deg(shapely.from_wkt(text), geom) * METRES_PER_DEGREE)
        tolerance *= 2
    return text, None


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
    return [[_cell_text(row.get(c)) if c in as_is else neutralised(_cell_text(row.get(c)))
             for c in columns] for row in rows]


#: The CSV's column saying whether the statement shown selects a row's feature (the map marks it).
STATEMENT_MARK_COLUMN = "statement_marks"


def statement_cells(layers: Layers, state: ExportState) -> dict[str, Any]:
    """The CSV's columns of the statement shown (the same on every row, as `build` is), and
    `statement_marks` last; none without one."""
    statement = selected_statement(layers, state)
    if statement is None:
        return {}
    said = statement_text(layers, statement, state)
    return {"statement_id": said.id, "statement_date": said.written,
            "statement_quote": said.quote, "statement_source": said.cite,
            STATEMENT_MARK_COLUMN: None}


def to_csv(layers: Layers, state: ExportState) -> bytes:
    """A row per shown feature: its map layer and table, id, name in the state's language,
    lon/lat for points, WKT for every geometry (6 decimals, as in geo/; simplified to fit a
    spreadsheet's cell where it is longer, with `wkt_simplified_m` saying so), the provenance
    columns, its credit, the build and how to cite it (`citation`: the sentence, on every row,
    as the build is: a CSV has no place for a document's note), then every other property
    (sorted; empty where a layer has none). UTF-8 with a BOM so that spreadsheets read
    Vietnamese and Lao, CRLF line ends (RFC 4180). Text that a spreadsheet would run as a
    formula is neutralised
    (`neutralised`, `_csv_cells`)."""
    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    build = provenance(layers).line(state.lang)
    statement = selected_statement(layers, state)
    said = statement_cells(layers, state)
    marked = marked_ids(statement)
    sentence = cited(layers, state.lang).sentence
    rest = sorted({k for features in shown.values() for f in features
                   for k in (f.get("properties") or {})} - set(CSV_COLUMNS) - set(said))
    columns = (*CSV_COLUMNS, *said, *rest)
    rows: list[dict[str, Any]] = []
    for layer, features in shown.items():
        for feat, geom in zip(features, geometries(index, features), strict=True):
            props = feat.get("properties") or {}
            point = geom.geom_type == "Point"
            wkt, simplified_m = cell_wkt(geom)
            rows.append({
                **props, "map_layer": layer, "table": table_name(layer, state.period),
                "id": _cell_text(props.get("id", feat.get("id"))),
                "display_name": feature_name(layer, props, state.lang),
                # 6 decimals, as in the WKT
                "lon": _number(geom.x) if point else None,
                "lat": _number(geom.y) if point else None,
                "wkt": wkt, "wkt_simplified_m": simplified_m,
                "credit": feature_credit(props, state.lang), "build": build,
                "citation": sentence, **said,
                **({STATEMENT_MARK_COLUMN: str(props.get("id")) in marked} if said else {})})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(_csv_cells(rows, columns))
    return out.getvalue().encode("utf-8-sig")
