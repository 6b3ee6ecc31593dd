"""The print's fonts: the Noto files (Debian's package named when one is missing), and the check
that they hold a glyph for every character a print draws."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

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
