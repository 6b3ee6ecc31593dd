"""Read the seed texts into numbered lines, whatever accidents the copy carries.

The seeds are data, not markup, and may arrive in NFD, with Windows line ends or a BOM. This
module makes them one canonical form (UTF-8 decoded, NFC, ``\\n`` line ends) while keeping the
file's own line numbers, so every record can point back to the line a reader will find.
Anything that cannot be read safely is a :class:`SeedError` naming the file and the fix.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from laovn_map.errors import SeedError

#: A seed is a Wikipedia article, a few tens of kB; anything far larger is a wrong file.
MAX_SEED_BYTES = 2_000_000

#: Explicit bidirectional embeddings, overrides and isolates can make a quote display in an
#: order other than its bytes ("Trojan Source"); a plain-text article has no need of them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SeedText:
    """One seed file: its display path, its lines (NFC, 1-based through :meth:`line`) and the
    SHA-256 of its bytes as read (for the manifest)."""

    path: str
    lines: tuple[str, ...]
    sha256: str = ""

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def numbered(self) -> list[tuple[int, str]]:
        return list(enumerate(self.lines, start=1))


def decode_seed(raw: bytes, path: str) -> SeedText:
    """Decode a seed's bytes: UTF-8 only, NFC, any line ends; errors say where and why."""
    _check_size(len(raw), path)
    if not raw.strip():
        msg = f"Seed {path} is empty; copy the source text into it."
        raise SeedError(msg)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        msg = f"Seed {path} looks like UTF-16 (byte-order mark or NUL bytes); re-save it as UTF-8."
        raise SeedError(msg)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_no = raw[: exc.start].count(b"\n") + 1
        msg = (f"Seed {path}:{line_no} is not valid UTF-8 (byte {raw[exc.start]:#04x} at offset "
               f"{exc.start}); re-save the file as UTF-8 (it may be Windows-1258 or Latin-1).")
        raise SeedError(msg) from None
    if "\x00" in text:
        line_no = text[: text.index("\x00")].count("\n") + 1
        msg = f"Seed {path}:{line_no} contains a NUL character; the file is binary or corrupt."
        raise SeedError(msg)
    lines = tuple(unicodedata.normalize("NFC", line) for line in _LINE_BREAKS.split(text))
    for number, line in enumerate(lines, start=1):
        if found := _BIDI_CONTROLS.search(line):
            msg = (f"Seed {path}:{number} contains the bidirectional control character "
                   f"U+{ord(found.group()):04X}, which can disguise text; remove it.")
            raise SeedError(msg)
    return SeedText(path=path, lines=lines, sha256=hashlib.sha256(raw).hexdigest())


def _check_size(size: int, path: str) -> None:
    if size > MAX_SEED_BYTES:
        msg = (f"Seed {path} is {size:,} bytes, more than the {MAX_SEED_BYTES:,} a source "
               "article can be; is it the right file?")
        raise SeedError(msg)


def read_seed(file: Path, display_path: str | None = None) -> SeedText:
    """Read one seed file from disk (the only I/O in this module)."""
    shown = display_path or str(file)
    try:
        _check_size(file.stat().st_size, shown)  # before reading: a huge file is never loaded
        with file.open("rb") as handle:
            raw = handle.read(MAX_SEED_BYTES + 1)
    except FileNotFoundError:
        msg = f"Seed {shown} does not exist."
        raise SeedError(msg) from None
    except OSError as exc:
        msg = f"Seed {shown} cannot be read: {exc.strerror}."
        raise SeedError(msg) from None
    return decode_seed(raw, shown)


@dataclass(frozen=True)
class SeedSet:
    """The two source articles the build needs."""

    english: SeedText
    vietnamese: SeedText


def find_seeds(folder: Path) -> SeedSet:
    """Find exactly one ``*.en.txt`` and one ``*.vi.txt`` seed in *folder* and read them.

    Records name a seed as ``<folder name>/<file name>`` (``seeds/….vi.txt``), whatever the
    absolute path, so that building from another checkout gives the same bytes.
    """
    if not folder.is_dir():
        msg = f"Seed folder {folder} does not exist; pass --seeds DIR."
        raise SeedError(msg)
    found: dict[str, SeedText] = {}
    for language in ("en", "vi"):
        matches = sorted(folder.glob(f"*.{language}.txt"))
        if len(matches) != 1:
            names = ", ".join(p.name for p in matches) or "none"
            msg = (f"Seed folder {folder} must hold exactly one *.{language}.txt file "
                   f"(found: {names}).")
            raise SeedError(msg)
        found[language] = read_seed(matches[0], f"{folder.name}/{matches[0].name}")
    return SeedSet(english=found["en"], vietnamese=found["vi"])

