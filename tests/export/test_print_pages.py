"""laovn_map.export.print_pages: the PNG and the PDF, their size, content, colours, metadata and
source pages."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

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
    # the map fills most of the sheet; the credits under it hold the citation too (3 lines at
    # this size), so the share is a little under half
    assert _non_background_share(image) > 0.45


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


def _drawn_at(layers: Layers, state: ExportState, layer: str) -> list[tuple[float, float]]:
    """Where the print puts each feature of the point layer *layer*: the pixel of the PNG (x
    from the left, y from the top) of its projected position, for those inside the map and
    not under a name (names are drawn over the markers, as on the page)."""
    import matplotlib

    from laovn_map.export.print_layout import project

    content = print_content.print_content(layers, state)
    with print_pages._PRINT_LOCK, matplotlib.rc_context(print_pages._rc()):
        fig = print_pages.print_figure(content, "png")
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        names = [text.get_window_extent(renderer) for text in ax.texts]
    height = state.page.pixels[1]
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    out = []
    for feature in content.shown[layer]:
        ((x, y),) = project(np.array([feature["geometry"]["coordinates"]]))
        px, py = ax.transData.transform((x, y))
        if xmin < x < xmax and ymin < y < ymax and not any(
                box.x0 - 4 < px < box.x1 + 4 and box.y0 - 4 < py < box.y1 + 4 for box in names):
            out.append((float(px), height - float(py)))
    return out


@pytest.mark.slow
def test_png_draws_each_event_point_at_its_place_in_the_legends_colour(real: Layers) -> None:
    """The legend lists the events: the sheet shows a dot of the event colour where each is."""
    state = ExportState(layers=("provinces_vn", "provinces_la", "border", "events"),
                        page=formats.page_size("a4", 150))
    image = np.asarray(Image.open(io.BytesIO(export(real, "png", state))).convert("RGB")).astype(int)
    colour = np.array([int(COLOURS["event"][i:i + 2], 16) for i in (1, 3, 5)])
    event_pixels = np.all(np.abs(image - colour) <= 12, axis=2)
    places = _drawn_at(real, state, "events")
    assert len(places) >= 4  # the real events inside the framed border region, clear of names
    missed = [(round(x), round(y)) for x, y in places
              if not event_pixels[round(y) - 3:round(y) + 4, round(x) - 3:round(x) + 4].any()]
    assert not missed, f"no event dot at these pixels: {missed}"


def _pdftotext(data: bytes, tmp_path: Path) -> list[str]:
    """The text a reader copies out of each page of the PDF *data* (poppler's pdftotext), NFC."""
    import os
    import shutil
    import subprocess
    import unicodedata

    tool = shutil.which("pdftotext")
    if tool is None:
        reason = "pdftotext is missing: install Debian's poppler-utils"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true, so this is an error)")
        pytest.skip(reason)
    path = tmp_path / "print.pdf"
    path.write_bytes(data)
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return [unicodedata.normalize("NFC", page) for page in out.split("\f")]


_LAO_RUN = re.compile("[\u0e80-\u0eff]+")
_VIETNAMESE_WORD = re.compile(r"\w*[^\W\d_a-zA-Z\u0e80-\u0eff]\w*")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_text_copied_from_the_pdf_is_the_lao_and_vietnamese_it_shows(
        real: Layers, lang: str, tmp_path: Path) -> None:
    """Copying a name out of the PDF gives the name (`ວຽງຈັນ`, not `ວຽງຈັຈັນ`): on the pages of
    sources, and on the map, whose names are text under their halo."""
    state = ExportState(lang=lang)
    content = print_content.print_content(real, state)
    pages = _pdftotext(export(real, "pdf", state), tmp_path)
    sources = "\n".join(pages[1:])
    shown = "; ".join(name for quote in content.quotes for name in quote.features)
    for run in sorted(set(_LAO_RUN.findall(shown))):
        assert run in _LAO_RUN.findall(sources), run
    for word in sorted(set(_VIETNAMESE_WORD.findall(shown))):
        assert word in sources, word
    # the map's page: every Lao word copied is one drawn whole (a name, or in Lao the words of
    # the title, the legend and the credits), and there are some
    drawn = {run for text in print_content.all_texts(content) for run in _LAO_RUN.findall(text)}
    copied = _LAO_RUN.findall(pages[0])
    assert copied and set(copied) <= drawn, set(copied) - drawn
    if lang == "lo":  # the Lao print names the places in Lao: a Vietnamese province too
        assert {"ດຽນບຽນ", "ຜົ້ງສາລີ"} <= set(copied)
        return
    names = {word for label in content.labels for text in label.texts
             for word in _VIETNAMESE_WORD.findall(text)}
    assert {w for w in _VIETNAMESE_WORD.findall(pages[0]) if w in names}, "no Vietnamese name copied"


def _rendered(content: print_content.PrintContent) -> tuple[np.ndarray, object]:
    """The print's map page as RGB pixels (y from the top), and its map's axes."""
    import matplotlib

    with print_pages._PRINT_LOCK, matplotlib.rc_context(print_pages._rc()):
        fig = print_pages.print_figure(content, "png")
        fig.canvas.draw()
        pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].astype(int)
    return pixels, fig.axes[0]


def test_the_print_marks_the_statements_places_as_the_map_does_and_only_there() -> None:
    """The same print with and without the statement's mark differs around its place only."""
    from laovn_map.export.print_layout import project

    layers = exported_layers("fixture")
    state = ExportState(event="vi-005-0", page=formats.page_size("a4", 100))
    content = print_content.print_content(layers, state)
    assert content.marked == {"vi-005-0-geonames-1562798"}
    marked, ax = _rendered(content)
    plain, _ = _rendered(dataclasses.replace(content, marked=frozenset()))
    ys, xs = np.nonzero(np.any(marked != plain, axis=2))
    assert len(xs) > 20  # the mark is drawn
    (point,) = [f for f in content.shown["events"] if f["properties"]["event_id"] == "vi-005-0"]
    ((x, y),) = project(np.array([point["geometry"]["coordinates"]]))
    px, py = ax.transData.transform((x, y))  # type: ignore[attr-defined]
    py = marked.shape[0] - py
    assert max(np.abs(xs - px).max(), np.abs(ys - py).max()) < 15  # around its place only


def test_a_pdf_of_a_statement_quotes_it_with_its_date_and_the_timelines_range(
        tmp_path: Path) -> None:
    layers = exported_layers("fixture")
    state = ExportState(event="vi-006-0", timeline=("1945-01-01", "1977-12-31"))
    (first, *_rest) = _pdftotext(dispatch.export(layers, "pdf", state), tmp_path)
    page = " ".join(first.split())
    assert "The statement shown: Năm 1977 (Vietnamese text), quan-he-lao-viet-nam.vi.txt:6" in page
    assert "Năm 1977, hai nước kí hiệp ước" in page
    assert "The English text, July 1977: In July 1977, Laos and Vietnam" in page
    assert "No place on the map: this statement names none the map holds." in page
    assert "Events from 1945 to 1977 (the timeline's range)." in page
    # without a range or a statement the print says neither
    plain = " ".join(_pdftotext(dispatch.export(layers, "pdf", ExportState()), tmp_path)[0].split())
    assert "timeline's range" not in plain and "statement shown" not in plain


def test_a_png_of_a_statement_says_it_in_its_metadata() -> None:
    layers = exported_layers("fixture")
    image = Image.open(io.BytesIO(dispatch.export(layers, "png", ExportState(
        event="vi-005-0", lang="vi", page=formats.page_size("a4", 60)))))
    said = json.loads(image.info["laovn-map statement"])
    assert said == {"id": "vi-005-0", "date": "4/9/1945", "source": "quan-he-lao-viet-nam.vi.txt:5",
                    "quote": said["quote"]}
    assert said["quote"].startswith("Ngày 4/9/1945, Chủ tịch Hồ Chí Minh")
