"""laovn_map.export.print_fonts: the print's fonts are installed and cover every text it draws;
a character they lack stops the print."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from laovn_map.catalog import PERIODS
from laovn_map.errors import ExportError
from laovn_map.export import dispatch, formats, print_content, print_fonts
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.i18n import LANGS

from .conftest import LAO_SCRIPT, exported_layers


def test_the_prints_fonts_are_installed_and_cover_every_text_it_draws(real: Layers) -> None:
    assert [p.name for p in print_fonts.font_files()] == ["NotoSans-Regular.ttf",
                                                     "NotoSansLao-Regular.ttf"]
    for lang in LANGS:
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


def _ink(text: str) -> np.ndarray:
    """Where *text* leaves ink, drawn large by matplotlib in the print's fonts (rows top down)."""
    import io

    import matplotlib
    from matplotlib.figure import Figure
    from PIL import Image

    with matplotlib.rc_context({"font.family": list(print_fonts.PRINT_FONTS)}):
        figure = Figure(figsize=(3, 3), dpi=100)
        figure.text(0.2, 0.3, text, fontsize=120)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return np.asarray(Image.open(buffer).convert("L")) < 128


def _rows(ink: np.ndarray) -> np.ndarray:
    return np.nonzero(ink.any(axis=1))[0]


@pytest.mark.parametrize("base, vowel, tone", [("ຜ", "\u0ebb", "\u0ec9"),  # ຜົ້ of ຜົ້ງສາລີ
                                               ("ຕ", "\u0eb4", "\u0ec8")])  # ຕິ່
def test_a_lao_tone_mark_stacks_over_the_vowel_above_its_consonant(
        base: str, vowel: str, tone: str) -> None:
    """The print shapes Lao (matplotlib lays text out with HarfBuzz): a tone mark sits above
    the vowel sign over the same consonant, not on it."""
    consonant, with_vowel, whole = _ink(base), _ink(base + vowel), _ink(base + vowel + tone)
    vowel_ink = with_vowel & ~consonant
    tone_ink = whole & ~with_vowel
    assert vowel_ink.any() and tone_ink.any()
    assert _rows(tone_ink).max() < _rows(vowel_ink).min(), "the tone mark touches the vowel"
    columns = np.nonzero(tone_ink.any(axis=0))[0]
    consonant_columns = np.nonzero(consonant.any(axis=0))[0]
    assert columns.min() <= consonant_columns.max()  # over its consonant, not after it


def test_unshaped_the_tone_mark_would_sit_on_the_vowel() -> None:
    """Why the test above can fail: FreeType alone places both marks where the font draws them
    unpositioned, at one height; only the shaper's mark-to-mark placement lifts the tone."""
    from matplotlib import font_manager
    from matplotlib.ft2font import LoadFlags

    lao = font_manager.get_font(str(print_fonts.font_files()[1]))
    lao.set_size(120, 100)
    vowel = lao.load_char(0x0EBB, LoadFlags.NO_HINTING).bbox  # (xmin, ymin, xmax, ymax)
    tone = lao.load_char(0x0EC9, LoadFlags.NO_HINTING).bbox
    assert tone[1] < vowel[3]  # the unplaced tone's bottom is below the vowel's top: they collide
