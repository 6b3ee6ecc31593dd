"""laovn_map.export.print_fonts: the print's fonts are installed and cover every text it draws;
a character they lack stops the print."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from laovn_map.catalog import PERIODS
from laovn_map.errors import ExportError
from laovn_map.export import dispatch, formats, print_content, print_fonts
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers

from .conftest import LAO_SCRIPT, exported_layers


def test_the_prints_fonts_are_installed_and_cover_every_text_it_draws(real: Layers) -> None:
    assert [p.name for p in print_fonts.font_files()] == ["NotoSans-Regular.ttf",
                                                     "NotoSansLao-Regular.ttf"]
    for lang in ("en", "vi"):
        for period in PERIODS:
            texts = print_content.print_texts(real, ExportState(lang=lang, period=period))
            assert print_fonts.missing_glyphs(texts) == {}, (lang, period)
            joined = "\n".join(texts)
            assert LAO_SCRIPT.search(joined), "no Lao script to check"
            if lang == "vi":
                assert "ệ" in joined and "ư" in joined
    # the check itself finds a character no font has: Tibetan, and a private-use one
    assert set(print_fonts.missing_glyphs(["Hà Nội ༀ", "\ue000"])) == {"ༀ", "\ue000"}


def test_a_name_the_fonts_cannot_draw_stops_the_print(tmp_path: Path) -> None:
    layers = exported_layers("fixture")
    provinces = json.loads(json.dumps(layers.collections["provinces_la"]))
    provinces["features"][0]["properties"]["name_lo"] = "ༀ"
    broken = dataclasses.replace(layers, collections={**layers.collections,
                                                      "provinces_la": provinces})
    for fmt in formats.PRINTS:
        with pytest.raises(ExportError, match=r"lack U\+0F00"):
            dispatch.export(broken, fmt, ExportState(page=formats.page_size("a4", 50)))
