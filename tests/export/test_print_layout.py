"""The print's layout helpers: text wrapped as the fonts draw it."""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from laovn_map.export import print_layout
from laovn_map.export.print_layout import wrapper

#: Words whose widths, hinted at a screen's resolution, add up to another line break than at
#: the print's: the credits line that once wrapped one way or the other by what was printed
#: before it in the same process.
_CREDITS = ("Sources and credits: Text: Wikipedia contributors (CC BY-SA 4.0) · Inland water, "
            "Vietnamese border provinces, Lao border provinces, Border segments by province "
            "pair, Laos–Vietnam border: © OpenStreetMap contributors (ODbL 1.0) · Provinces: "
            "Natural Earth (public domain) · Cities: GeoNames (CC BY 4.0)")


def _renderer(dpi: float) -> Any:
    return FigureCanvasAgg(Figure(dpi=dpi)).get_renderer()  # type: ignore[no-untyped-call]


def _lines(dpi: float, width_mm: float) -> list[str]:
    return wrapper(_renderer(dpi), dpi)(_CREDITS, width_mm, 6.3)


def test_a_wrap_does_not_depend_on_what_was_wrapped_before_at_another_resolution() -> None:
    print_layout._WORD_WIDTHS.clear()
    widths = [60 + step / 4 for step in range(160)]
    alone = {width: _lines(300, width) for width in widths}
    print_layout._WORD_WIDTHS.clear()
    for width in widths:
        _lines(37, width)
    after_another = {width: _lines(300, width) for width in widths}
    assert after_another == alone
