"""The print's fonts: the Noto files (Debian's package named when one is missing), the check
that they hold a glyph for every character a print draws, and the PDF's map from glyphs back to
the text they draw."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from laovn_map.errors import ExportError

#: The fonts of the print, in fallback order: Latin with Vietnamese, then Lao script. Both are
#: in Debian's fonts-noto-core.
PRINT_FONTS = ("Noto Sans", "Noto Sans Lao")
FONT_PACKAGE = "fonts-noto-core"


@cache
def font_files() -> tuple[Path, ...]:
    """The files of `PRINT_FONTS`; `ExportError` naming the package when one is missing."""
    from matplotlib import font_manager

    files = []
    for family in PRINT_FONTS:
        try:
            found = str(font_manager.findfont(font_manager.FontProperties(family=family),
                                              fallback_to_default=False))
        except ValueError:
            found = ""
        if not found or font_manager.get_font(found).family_name != family:
            raise ExportError(f"the print needs the font {family!r}: install Debian's "
                              f"{FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")
        files.append(Path(found))
    return tuple(files)


@cache
def _charmap(path: Path) -> frozenset[int]:
    from matplotlib import font_manager

    return frozenset(font_manager.get_font(str(path)).get_charmap())


def missing_glyphs(texts: Iterable[str]) -> dict[str, str]:
    """Each character of *texts* that none of the print's fonts has (it would print as a
    box), with a text it is in; white space aside."""
    covered = frozenset().union(*(_charmap(p) for p in font_files()))
    missing: dict[str, str] = {}
    for text in texts:
        for char in text:
            if not char.isspace() and ord(char) not in covered:
                missing.setdefault(char, text)
    return missing


def check_glyphs(texts: Iterable[str]) -> None:
    """`ExportError` naming each character of *texts* the fonts lack: a box is no name."""
    missing = missing_glyphs(texts)
    if missing:
        chars = ", ".join(f"U+{ord(c):04X} in {text[:40]!r}" for c, text in missing.items())
        raise ExportError(f"the print's fonts ({', '.join(PRINT_FONTS)}) lack {chars}")


def _parts(cluster: str) -> list[str]:
    """*cluster* cut before each character that is not a combining mark: `ຄຳ` → `ຄ`, `ຳ`;
    `ຈັ` → `ຈັ` (the vowel sign stacks on its consonant)."""
    parts: list[str] = []
    for char in cluster:
        if parts and unicodedata.category(char).startswith("M"):
            parts[-1] += char
        else:
            parts.append(char)
    return parts


@cache
def glyph_text(font_path: Any, cluster: str, glyph: int) -> str:
    """The text that one glyph of a shaped *cluster* stands for when the PDF's text is copied.

    HarfBuzz draws a cluster (a Lao consonant with its vowel and tone marks) as several glyphs,
    and matplotlib maps each of them to the whole cluster, so a copy repeats it (`ວຽງຈັຈັນ`).
    Here each glyph that advances the pen takes one part of the cluster (`_parts`) when they
    pair up one to one, the marks nothing; otherwise the first glyph takes the whole cluster."""
    if len(cluster) < 2:
        return cluster
    from matplotlib import font_manager
    from matplotlib.ft2font import LoadFlags

    font = font_manager.get_font(font_path)
    shaped = [(int(item.glyph_index),
               item.ft_object.load_glyph(item.glyph_index, LoadFlags.NO_HINTING).horiAdvance > 0)
              for item in font._layout(cluster, LoadFlags.NO_HINTING)]
    spacing = [index for index, advances in shaped if advances]
    parts = _parts(cluster)
    if len(spacing) == len(parts) == len(set(spacing)):
        owners: dict[int, str] = dict(zip(spacing, parts, strict=True))
        return owners.get(glyph, "")
    return cluster if shaped and glyph == shaped[0][0] else ""


@contextmanager
def copyable_text() -> Iterator[None]:
    """While a PDF is written, its fonts' text maps give each glyph its own text (`glyph_text`).

    Replaces a method of matplotlib's private `CharacterTracker` (check at every matplotlib
    upgrade: tests/export/test_print_pages.py copies the text back with pdftotext)."""
    from matplotlib.backends import _backend_pdf_ps

    tracker = _backend_pdf_ps.CharacterTracker
    original = tracker.subset_to_unicode

    def subset_to_unicode(self: Any, fontname: Any, subset: int, charcode: int) -> str:
        chars = original(self, fontname, subset, charcode)
        return glyph_text(fontname, chars, self.glyph_maps[fontname].iget(subset, charcode)[1])

    tracker.subset_to_unicode = subset_to_unicode  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        tracker.subset_to_unicode = original  # type: ignore[method-assign]
