"""laovn_map.export.print_pages: the PNG and the PDF, their size, content, colours, metadata and
source pages."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from laovn_map.export import dispatch, features, formats, print_content, print_pages, provenance
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.page.mapstyle import COLOURS

from .conftest import export, exported_layers


def _non_background_share(image: Image.Image) -> float:
    pixels = np.asarray(image.convert("RGB"))
    return float(np.mean(np.any(pixels < 245, axis=2)))


def _near(image: Image.Image, css: str, tolerance: int = 6) -> int:
    pixels = np.asarray(image.convert("RGB")).astype(int)
    colour = np.array([int(css[i:i + 2], 16) for i in (1, 3, 5)])
    return int(np.sum(np.all(np.abs(pixels - colour) <= tolerance, axis=2)))


@pytest.mark.slow
def test_png_is_a4_at_300_dpi_with_real_content_and_its_provenance(real: Layers) -> None:
    data = export(real, "png", ExportState(lang="vi"))
    image = Image.open(io.BytesIO(data))
    assert image.size == (3508, 2480)
    assert round(image.info["dpi"][0]) == 300
    assert _non_background_share(image) > 0.5  # the map fills most of the sheet
    for colour in ("sea", "party", "neighbour", "vn", "la", "border"):
        assert _near(image, COLOURS[colour], 16) > 2000, colour  # drawn in the map's colours
    assert provenance.provenance(real).manifest_sha256[:12] in image.info["Source"]
    assert "OpenStreetMap" in image.info["Copyright"]
    quotes = json.loads(image.info["laovn-map features"])
    shown = features.shown_layers(real, ExportState())
    want = {(str(f["properties"]["source_file"]), str(f["properties"]["source_line"]))
            for fs in shown.values() for f in fs if f["properties"].get("source_quote")}
    assert {(q["file"], str(q["line"])) for q in quotes} >= want


def test_png_takes_a_chosen_size_and_view(layers: Layers) -> None:
    state = ExportState(page=formats.page_size("210x297", 100), view=(15.0, 104.0, 18.0, 107.5))
    image = Image.open(io.BytesIO(export(layers, "png", state)))
    assert image.size == (827, 1169)
    assert _non_background_share(image) > 0.5


def test_png_is_stable() -> None:
    layers = exported_layers("fixture")
    state = ExportState(page=formats.page_size("a4", 60))
    assert dispatch.export(layers, "png", state) == dispatch.export(layers, "png", state)


def test_pdf_is_the_map_then_every_quote_with_its_file_and_line(real: Layers) -> None:
    state = ExportState(lang="vi")
    data = export(real, "pdf", state)
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 2
    assert b"NotoSans" in data and b"NotoSansLao" in data  # both fonts embedded
    content = print_content.print_content(real, state)
    written = "\n".join(text.get_text() for fig in print_pages.source_pages(content)
                        for text in fig.texts)
    for quote in content.quotes:
        assert f"{quote.file}:{quote.line}" in written
        for line in quote.text.split("\n"):
            assert line.split(" ")[0] in written
