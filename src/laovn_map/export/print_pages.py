"""The print as files: its map page (title, map, legend, notes, credits), the PDF's pages of
quoted sources, and the PNG and PDF with their metadata."""

from __future__ import annotations

import io
import json
import threading
from typing import Any

from laovn_map.export.formats import A4_LANDSCAPE, MM_PER_INCH, ExportState
from laovn_map.export.print_content import PrintContent, all_texts, print_content, projection_note
from laovn_map.export.print_draw import draw_labels, draw_map, draw_scale_and_north, legend_handles
from laovn_map.export.print_fonts import PRINT_FONTS, check_glyphs, copyable_text
from laovn_map.export.print_layout import (
    MIN_MAP_KM,
    PT_MM,
    Paper,
    fit_box,
    metres_box,
    narrow_view_error,
    scale_bar_km,
    scale_error_pct,
    wrapper,
)
from laovn_map.geo.reader import Layers
from laovn_map.page.mapstyle import COLOURS

#: Matplotlib is not thread-safe (rc settings, font caches): one print is drawn at a time.
_PRINT_LOCK = threading.Lock()


def print_figure(content: PrintContent, fmt: str = "png") -> Any:
    """The map page of a print as a matplotlib Figure: title, map, legend, names, scale bar,
    north arrow, credits and the build. Call with `_PRINT_LOCK` held (matplotlib's state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.legend_handler import HandlerTuple

    check_glyphs(all_texts(content))
    state = content.state
    page = state.page
    paper = Paper(page.width_mm, page.height_mm)
    fig = Figure(figsize=(page.pixels[0] / page.dpi, page.pixels[1] / page.dpi), dpi=page.dpi,
                 facecolor=COLOURS["paper"])
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    wrap = wrapper(renderer, page.dpi)
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
                        va="top", fontsize=subtitle_size, color=COLOURS["text_note"], linespacing=1.3)
    header = margin + title_mm + gap / 2 + height_mm(subtitle) + gap
    if content.statement is not None:
        # the statement shown, in a box under the subtitle as the story's panel says it
        pad_mm = 0.5 * subtitle_size * PT_MM
        said = fig.text(paper.x(margin + pad_mm), 1 - paper.y(header - gap / 2 + pad_mm),
                        "\n".join(line for part in content.statement.lines()
                                  for line in wrap(part, inner_mm - 2 * pad_mm, subtitle_size)),
                        ha="left", va="top", fontsize=subtitle_size, color=COLOURS["text"],
                        linespacing=1.3, bbox={"boxstyle": "square,pad=0.5",
                                               "facecolor": COLOURS["quote"],
                                               "edgecolor": COLOURS["accent"],
                                               "linewidth": paper.pt(0.8)})
        header += height_mm(said) + 2 * pad_mm + gap / 2
    footer = fig.text(paper.x(margin), paper.y(margin), "\n".join([
        *wrap(f"{content.credits_heading}: {content.credits}", inner_mm, small),
        *wrap(f"{content.cite_heading}: {content.citation}", inner_mm, small),
        *wrap(f"{content.texts_line} {content.quotes_note[fmt]}", inner_mm, small)]),
        ha="left", va="bottom", fontsize=small, color=COLOURS["text"], linespacing=1.45)
    bottom_mm = margin + height_mm(footer) + gap
    map_mm = (page.width_mm - 2 * margin - legend_w, page.height_mm - header - bottom_mm)
    ax = fig.add_axes((paper.x(margin), paper.y(bottom_mm), paper.x(map_mm[0]),
                       paper.y(map_mm[1])))
    limits = fit_box(metres_box(content.box), map_mm[0] / map_mm[1],
                     *((0.0, 0.0) if state.view is not None else (0.03, MIN_MAP_KM * 1000)))
    bar_km = scale_bar_km(limits[2] - limits[0])
    if bar_km is None:  # refused before anything is drawn
        raise narrow_view_error(state, limits[2] - limits[0])
    metres_per_mm = (limits[2] - limits[0]) / map_mm[0]
    ax.set_xlim(limits[0], limits[2])
    ax.set_ylim(limits[1], limits[3])
    ax.set_facecolor(COLOURS["sea"])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(paper.pt(0.6))
        spine.set_color(COLOURS["country_line"])
    draw_map(ax, content, limits, paper,
             metres_per_mm * MM_PER_INCH / max(page.dpi, A4_LANDSCAPE.dpi))
    draw_labels(ax, renderer, content, paper, metres_per_mm)
    draw_scale_and_north(ax, content, limits, paper, metres_per_mm, bar_km)

    legend_x = paper.x(page.width_mm - margin - legend_w + 6 * paper.k)
    column_mm = legend_w - 6 * paper.k
    legend_size = paper.pt(7.5)
    legend_handle_mm = (2.4 + 0.8) * legend_size * PT_MM  # handle and gap (in font sizes)
    fig.legend(handles=legend_handles(content, paper),
               labels=["\n".join(wrap(entry.text, column_mm - legend_handle_mm, legend_size))
                       for entry in content.legend], loc="upper left",
               bbox_to_anchor=(legend_x, 1 - paper.y(header)), frameon=False,
               title=content.legend_title, alignment="left", fontsize=legend_size,
               title_fontproperties={"size": paper.pt(9), "weight": "bold"},
               handlelength=2.4, handleheight=1.2, borderaxespad=0, labelspacing=0.8,
               handler_map={tuple: HandlerTuple(ndivide=None, pad=0.0)})
    notes = [*wrap(projection_note(content, scale_error_pct(limits)), column_mm, small), "",
             *wrap(content.build, column_mm, small)]
    fig.text(legend_x, paper.y(bottom_mm), "\n".join(notes), ha="left", va="bottom",
             fontsize=small, color=COLOURS["text_note"], linespacing=1.35)
    return fig


def source_pages(content: PrintContent) -> list[Any]:
    """The PDF's pages after the map: each quoted passage with its file:line and the features
    that quote it, in file and line order, as many pages as they need."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    page = content.state.page
    paper = Paper(page.width_mm, page.height_mm)
    margin, indent, heading = 12 * paper.k, 6 * paper.k, 12 * paper.k
    size = paper.pt(7.5)
    line_mm = size * PT_MM * 1.5

    def sheet() -> Any:
        fig = Figure(figsize=(page.width_mm / MM_PER_INCH, page.height_mm / MM_PER_INCH),
                     facecolor=COLOURS["paper"])
        fig.text(paper.x(margin), 1 - paper.y(margin), content.quotes_title, ha="left",
                 va="top", fontsize=paper.pt(12), fontweight="bold", color=COLOURS["label"])
        return fig

    figures = [sheet()]
    wrap = wrapper(FigureCanvasAgg(figures[0]).get_renderer(),  # type: ignore[no-untyped-call]
                   figures[0].dpi)
    width = page.width_mm - 2 * margin
    y = page.height_mm - margin - heading
    for quote in content.quotes:
        # the quote itself in the dark amber of the page's notes, so it stands apart
        parts = [(0.0, True, COLOURS["text"], [f"{quote.file}:{quote.line}"]),
                 (0.0, False, COLOURS["text"],
                  wrap(f"{content.features_word}: {'; '.join(quote.features)}", width, size)),
                 (indent, False, COLOURS["notice_text"], wrap(quote.text, width - indent, size))]
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


def _statement_metadata(content: PrintContent) -> str:
    """The statement the print shows, as JSON (for the PNG): its id, date as written, quote
    and file:line."""
    said = content.statement
    return json.dumps({"id": said.id, "date": said.written, "quote": said.quote,
                       "source": said.cite} if said else {}, ensure_ascii=False, sort_keys=True)


def _rc() -> Any:  # matplotlib types its keys as literals
    # Type 3 fonts (with ToUnicode maps, so the text stays searchable): embedding TrueType
    # (42) makes fontTools subset the large Noto tables, a second more per PDF
    return {"font.family": list(PRINT_FONTS), "pdf.fonttype": 3,
            "svg.fonttype": "none", "path.simplify": True}


#: zlib level of the PNG: 6 (the default) takes 0.3 s more at A4/300 dpi for a file 10 % smaller.
PNG_COMPRESSION = 1


def to_png(layers: Layers, state: ExportState) -> bytes:
    """The print as a PNG of the state's paper (A4 landscape at 300 dpi: 3508×2480 px), with the
    title, credits, build, citation and every feature's quote in its metadata (UTF-8 text
    chunks)."""
    import matplotlib

    content = print_content(layers, state)
    with _PRINT_LOCK, matplotlib.rc_context(_rc()):
        fig = print_figure(content, "png")
        buf = io.BytesIO()
        fig.canvas.print_png(buf, pil_kwargs={"compress_level": PNG_COMPRESSION}, metadata={
            "Software": None, "Title": content.title, "Description": content.subtitle,
            "Copyright": content.credits, "Source": content.build, "Citation": content.citation,
            "laovn-map features": _features_metadata(content),
            **({"laovn-map statement": _statement_metadata(content)}
               if content.statement else {})})
        return buf.getvalue()


def to_pdf(layers: Layers, state: ExportState) -> bytes:
    """The print as a vector PDF of the state's paper (fonts embedded), then pages listing
    every quoted passage with its file, line and features."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    content = print_content(layers, state)
    with _PRINT_LOCK, matplotlib.rc_context(_rc()), copyable_text():
        fig = print_figure(content, "pdf")
        buf = io.BytesIO()
        with PdfPages(buf, metadata={
                "Title": content.title,
                "Subject": f"{content.subtitle} {content.cite_heading}: {content.citation}",
                "Author": content.credits, "Keywords": content.build,
                "Creator": content.provenance.generator or "laovn-map", "Producer": None,
                "CreationDate": None}) as pdf:
            pdf.savefig(fig)
            for source_page in source_pages(content):
                pdf.savefig(source_page)
        return buf.getvalue()
