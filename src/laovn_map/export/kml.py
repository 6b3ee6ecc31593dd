"""The shown features as one KML document for Google Earth, styled in the map's colours."""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from laovn_map.errors import ExportError
from laovn_map.export.features import (
    geometries,
    geometry_index,
    leaflet_options,
    selected_statement,
    shown_layers,
    statement_text,
)
from laovn_map.export.formats import ExportState, table_name, what_is_shown
from laovn_map.export.provenance import cited, credits_text, provenance
from laovn_map.export.tables import geo_frame, records
from laovn_map.geo.reader import Layers
from laovn_map.i18n import t
from laovn_map.page.labels import esc, layer_label
from laovn_map.page.mapstyle import COLOURS
from laovn_map.page.popups import feature_texts

KML_NS = "http://www.opengis.net/kml/2.2"
#: A Leaflet pixel as a KML line width (Google Earth draws widths in screen pixels).
KML_WIDTH_PER_PX = 1.0
#: A marker radius (Leaflet px) per unit of KML icon scale (the default icon is ~32 px wide).
KML_RADIUS_PER_SCALE = 8.0


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
        colour = options["fillColor"] if options["fillColor"].lower() != COLOURS["paper"] \
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


#: The fields GDAL's KML drivers read from a placemark's own ``<name>`` and ``<description>``
#: (what Google Earth shows); a data property of the same name, in any case, would be read as
#: them instead by some GDAL versions (Debian 12's 3.6 gives the missions' English ``name``).
GDAL_KML_FIELDS = ("Name", "Description")
#: What a data property that would be read as one of `GDAL_KML_FIELDS` is written as.
DATA_FIELD_SUFFIX = "_data"


def data_fields(columns: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """*columns* with each whose name GDAL reads as a placemark's name or description (any
    case) renamed ``<name>_data``, so GDAL and QGIS take the placemark's own name."""
    taken = {field.lower() for field in GDAL_KML_FIELDS}
    return {f"{key}{DATA_FIELD_SUFFIX}" if key.lower() in taken else key: values
            for key, values in columns.items()}


def _html_lines(lines: Iterable[str]) -> str:
    return "<br>".join(esc(line) for line in lines)


def to_kml(layers: Layers, state: ExportState) -> bytes:
    """One KML document for Google Earth: a folder per shown layer (named in the state's
    language), each placemark named as the map's tooltip, described by the map's popup (the
    quote with its file and line), styled in the map's colours, its properties and credit as
    extended data; the document's description holds the credits, the build and how to cite it.

    GDAL's KML driver writes each layer; the folders are then joined into one document and
    given shared styles (the driver writes none of the map's)."""
    import pyogrio

    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    prov = provenance(layers)
    statement = selected_statement(layers, state)
    said = statement_text(layers, statement, state).lines() if statement else []
    ET.register_namespace("", KML_NS)
    document = _kml("Document", id="laovn-map")
    _sub(document, "name", t("title", state.lang))
    _sub(document, "description", _html_lines([
        t("export.subtitle", state.lang), what_is_shown(state), "", *said, *([""] if said else []),
        *credits_text(layers, state.lang, state.period).splitlines(), "", prov.line(state.lang),
        "", f"{t('cite.title', state.lang)}: {cited(layers, state.lang).sentence}"]))
    styles: dict[str, str] = {}  # a feature's layer and options (JSON) → its style's id
    per_layer: dict[str, int] = {}
    schemas: list[ET.Element] = []
    folders: list[ET.Element] = []
    with tempfile.TemporaryDirectory(prefix="laovn-export-") as tmp:
        for layer, features in shown.items():
            columns = records(layer, features, state.lang)
            texts = [feature_texts(layer, f.get("properties") or {}, state.lang)
                     for f in features]
            frame = geo_frame({"kml_name": columns["display_name"],
                               "kml_description": [popup for _tooltip, popup in texts],
                               **data_fields(columns)}, geometries(index, features))
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
