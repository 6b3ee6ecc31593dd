"""laovn_map.export.provenance: every export names its build; each feature's credit names the
datasets it shows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from PIL import Image

from laovn_map.export import formats, provenance
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers

from .conftest import export


def test_every_export_names_the_build_it_comes_from(layers: Layers) -> None:
    sha = provenance.provenance(layers).manifest_sha256[:12]
    small = ExportState(page=formats.page_size("a4", 50))
    for fmt in ("kml", "csv", "html"):
        assert sha.encode() in export(layers, fmt), fmt
    assert sha.encode() in export(layers, "pdf", small)  # in the Keywords
    assert sha in Image.open(io.BytesIO(export(layers, "png", small))).info["Source"]


def _iter_quotes(layers: Layers) -> Iterator[dict[str, Any]]:
    for fc in layers.collections.values():
        yield from (f["properties"] for f in fc["features"] if f["properties"].get("source_quote"))


def test_feature_credits_name_the_datasets_it_shows(real: Layers) -> None:
    for props in _iter_quotes(real):
        credit = provenance.feature_credit(props, "en")
        assert credit.startswith("Wikipedia contributors (CC BY-SA 4.0)")
        if "OpenStreetMap" in str(props.get("dataset")):
            assert "© OpenStreetMap contributors (ODbL 1.0)" in credit
