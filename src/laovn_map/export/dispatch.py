"""The one entry point of the exports: a format's name and a state → the file's bytes.

Every export is a pure function of the loaded build (`geo.reader.Layers`) and an `ExportState`,
returning bytes: nothing is written into `geo/` (GDAL writes into a temporary folder of its
own). Provenance travels with every export: each feature's quoted sentence, file and line, the
credits of the datasets it comes from (ODbL asks that OpenStreetMap be credited), and the
build's manifest checksum.
"""

from __future__ import annotations

from collections.abc import Callable

from laovn_map.export.formats import ExportState, export_format
from laovn_map.export.html import to_html
from laovn_map.export.kml import to_kml
from laovn_map.export.print_pages import to_pdf, to_png
from laovn_map.export.tables import to_csv, to_gpkg
from laovn_map.geo.reader import Layers

EXPORTERS: dict[str, Callable[[Layers, ExportState], bytes]] = {
    "gpkg": to_gpkg, "kml": to_kml, "csv": to_csv, "html": to_html, "png": to_png,
    "pdf": to_pdf,
}


def export(layers: Layers, fmt: str, state: ExportState | None = None) -> bytes:
    """The export *fmt* (`FORMATS`) of *state* (default: every layer, in English) as bytes."""
    return EXPORTERS[export_format(fmt).key](layers, state or ExportState())
