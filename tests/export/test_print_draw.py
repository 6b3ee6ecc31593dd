"""laovn_map.export.print_draw (and every export): drawn in the page's colours, from
page/mapstyle.py where the contrast checks see them."""

from __future__ import annotations

import ast
import re

from matplotlib.colors import CSS4_COLORS

from laovn_map.export.features import LEAFLET_DEFAULTS

from ..conftest import ROOT

EXPORT_PACKAGE = ROOT / "src" / "laovn_map" / "export"
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?(?:[0-9A-Fa-f]{2})?")


def _colour_literals(source: str) -> list[tuple[int, str]]:
    """Each string of *source* that is a colour by itself (`#7d1616`, `white`), with its line."""
    return [(node.lineno, node.value) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and (_HEX_COLOUR.fullmatch(node.value) or node.value.lower() in CSS4_COLORS)]


def test_colour_literals_are_found() -> None:
    """The check below is only as good as this reading of a module's strings."""
    source = 'A = {"x": "#7D1616"}\nf(color="white", c="#fff", d="none", e="#rrggbb", g="left")\n'
    assert _colour_literals(source) == [(1, "#7D1616"), (2, "white"), (2, "#fff")]


def test_the_exports_take_every_colour_from_the_pages_style() -> None:
    """No colour is written into export/: the print and the KML use `mapstyle.COLOURS` (and
    Leaflet's own default for a path no style colours), so the contrast checks see them all."""
    allowed = {str(LEAFLET_DEFAULTS["color"])}
    found = [f"{path.name}:{line}: {value}" for path in sorted(EXPORT_PACKAGE.glob("*.py"))
             for line, value in _colour_literals(path.read_text(encoding="utf-8"))
             if value not in allowed]
    assert not found, f"colours copied out of page/mapstyle.py: {found}"
