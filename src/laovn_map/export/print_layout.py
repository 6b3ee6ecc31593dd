"""Where things go on a print: the map's projection (UTM 48N) and its limits, the scale bar's
length, lengths on a paper of any size, and text wrapped to a width as the fonts draw it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyproj import Proj, Transformer

from laovn_map.errors import ExportError
from laovn_map.export.formats import MM_PER_INCH, PAPER, ExportState
from laovn_map.export.print_fonts import PRINT_FONTS
from laovn_map.page import simplify

#: The scale bar's lengths (km): it takes the longest within a fifth of the map's width.
_NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)
#: The narrowest map a print draws (km, west to east): its shortest scale bar in a fifth of it.
#: A narrower view is refused (its scale bar and label would be drawn far off the sheet, which
#: FreeType cannot rasterise); a framing of the layers (no view) is widened to it.
MIN_MAP_KM = 5 * _NICE_KM[0]
#: A point (1/72 inch) in mm.
PT_MM = MM_PER_INCH / 72

#: The print's map is drawn in UTM 48N (`simplify.METRIC_CRS`), as the build measures lengths.
TO_METRES = Transformer.from_crs("EPSG:4326", simplify.METRIC_CRS, always_xy=True)
TO_DEGREES = Transformer.from_crs(simplify.METRIC_CRS, "EPSG:4326", always_xy=True)


def metres_box(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in metres around a degree box (its edges sampled)."""
    south, west, north, east = box
    lons = np.concatenate([np.linspace(west, east, 50), np.full(50, east),
                           np.linspace(east, west, 50), np.full(50, west)])
    lats = np.concatenate([np.full(50, south), np.linspace(south, north, 50), np.full(50, north),
                           np.linspace(north, south, 50)])
    xs, ys = TO_METRES.transform(lons, lats)
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())


def fit_box(limits: tuple[float, float, float, float], aspect: float, pad: float,
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


def narrow_view_error(state: ExportState, map_width_m: float) -> ExportError:
    """The refusal of a view too narrow for a scale bar, naming the view and its width."""
    page = state.page
    return ExportError(
        f"view {state.view!r} is {map_width_m / 1000:.3g} km wide on a {page.width_mm:g}×"
        f"{page.height_mm:g} mm print: a print's map must be at least {MIN_MAP_KM:g} km wide "
        "(its shortest scale bar in a fifth of it); choose a wider view")


def scale_error_pct(limits: tuple[float, float, float, float]) -> float:
    """The largest departure of UTM 48N's scale from 1 over the map (a grid of points), in %."""
    xmin, ymin, xmax, ymax = limits
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 9), np.linspace(ymin, ymax, 9))
    lons, lats = TO_DEGREES.transform(xs.ravel(), ys.ravel())
    factors = Proj(simplify.METRIC_CRS).get_factors(lons, lats)
    scale = np.asarray(factors.meridional_scale)
    return float(np.max(np.abs(scale - 1.0)) * 100)


@dataclass(frozen=True)
class Paper:
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


#: Word widths in pt by (word, size in pt, bold, dpi), shared by every print: the same words
#: (the credits, the quotes) come back in every export, and shaping each is slow. The dpi is
#: part of the key because hinting makes a width in pt differ by resolution: without it a
#: print's lines broke by what the process had printed before (not byte-stable).
_WORD_WIDTHS: dict[tuple[str, float, bool, float], float] = {}
_WORD_WIDTHS_MAX = 50_000


def wrapper(renderer: Any, dpi: float) -> Callable[..., list[str]]:
    """`wrap(text, width_mm, size_pt, bold=False)`: *text* broken at spaces into lines that
    fit *width_mm*, each word measured by *renderer* with the print's fonts (shaped, as drawn;
    a line is its words and spaces)."""
    from matplotlib.font_manager import FontProperties

    def width(word: str, size_pt: float, bold: bool) -> float:
        key = (word, size_pt, bold, dpi)
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


def project(coords: Any) -> Any:
    """Degree coordinates (n×2, lon lat) in metres (for `shapely.transform`)."""
    x, y = TO_METRES.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])
