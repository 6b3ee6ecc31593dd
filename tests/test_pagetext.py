"""laovn_map.pagetext: the page's figures, tables and marked texts, without Streamlit."""

from __future__ import annotations

from pathlib import Path

from laovn_map import pagetext
from laovn_map.layers_io import Layers, load_layers

from .layersets import copy_fixture, rewrite_manifest
from .test_mapview import layers

__all__ = ["layers"]  # the module-scoped fixture, shared with test_mapview


def test_marked_source_marks_and_escapes() -> None:
    text = "Heading\n- Pakse (Consulate) <b>x</b>\nOther line $5 and $6\n"
    out = pagetext.marked_source_html(text, [
        (2, "Pakse (Consulate)"),                 # found on its line
        (3, "not in the text at all"),            # falls back to the cited line
        (None, "Heading / - Pakse"),              # parts of a joined quote
    ], name="x.en.txt")
    assert "<b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out
    assert '<mark class="laovn-mark">- Pakse (Consulate)</mark> &lt;b&gt;' in out
    assert '<mark class="laovn-mark">Other line &#36;5 and &#36;6</mark>' in out
    assert '<mark class="laovn-mark">Heading</mark>' in out
    assert "\n" not in out and out.count("<br>") == 2
    # a scrolling box: the keyboard can reach it, a screen reader names it
    assert out.startswith('<div class="laovn-source" tabindex="0" role="region" '
                          'aria-label="x.en.txt"')


def test_every_quote_is_found_in_the_builds_text(layers: Layers) -> None:
    for name in ("missions", "provinces_vn"):
        for feat in layers.features(name):
            p = feat["properties"]
            text = layers.texts[p["source_file"]].text
            out = pagetext.marked_source_html(text, [(p["source_line"], p["source_quote"])],
                                              name="x")
            assert "<mark" in out, p["id"]


def test_quotes_are_matched_by_source_file(layers: Layers) -> None:
    for file in layers.texts:
        quotes = pagetext.quotes_of(layers, file)
        assert quotes and len(set(quotes)) == len(quotes)
    assert pagetext.quotes_of(layers, "seeds/other.txt") == ()


def test_mission_counts_from_the_manifest_or_the_layer(tmp_path: Path) -> None:
    geo = copy_fixture(tmp_path / "geo")
    assert pagetext.missions_by_kind(load_layers(geo)) == {"embassy": 2, "consulate": 5}
    rewrite_manifest(geo, lambda m: m["figures"].update(
        missions_by_kind={"embassy": 1, "consulate": 6}))
    assert pagetext.missions_by_kind(load_layers(geo)) == {"embassy": 1, "consulate": 6}


def test_figures_in_vietnamese(layers: Layers) -> None:
    table = pagetext.figures_markdown(layers, "vi")
    assert "| Theo văn bản | 2.340 km |" in table
    assert "| Tỉnh biên giới Việt Nam |" in table and "| Lãnh sự quán | 5 |" in table


def test_rows_are_text(layers: Layers) -> None:
    rows = pagetext.province_rows(layers, "vi") + pagetext.mission_rows(layers, "vi")
    assert {r["Nước"] for r in pagetext.province_rows(layers, "vi")} == {"Việt Nam", "Lào"}
    assert all(isinstance(v, str | int | float | None) for r in rows for v in r.values())


def test_no_streamlit_import() -> None:
    source = Path(pagetext.__file__).read_text(encoding="utf-8")
    assert "import streamlit" not in source and "from streamlit" not in source


def test_source_lines_are_numbered_as_the_seeds_are() -> None:
    """U+2028 and a form feed are no line breaks to the seed reader, so not to the page either."""
    out = pagetext.marked_source_html("a\u2028b\fc\nquoted line\n", [(2, "quoted line")],
                                      name="x")
    assert out.count("<br>") == 1
    assert '2</span>&#160;&#160;<mark class="laovn-mark">quoted line</mark>' in out
