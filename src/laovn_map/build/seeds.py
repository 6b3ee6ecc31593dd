"""Read the seed texts into numbered lines, whatever accidents the copy carries.

The seeds are data, not markup, and may arrive in NFD, with Windows line ends or a BOM. This
module makes them one canonical form (UTF-8 decoded, NFC, ``\\n`` line ends) while keeping the
file's own line numbers, so every record can point back to the line a reader will find.
Anything that cannot be read safely is a :class:`SeedError` naming the file and the fix: a
path that is not a regular file (a directory, a FIFO, …), bytes that are not UTF-8,
invisible format characters (Unicode category Cf) anywhere but a leading BOM, and a line
longer than :data:`MAX_LINE_CHARS`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from laovn_map.errors import SeedError
from laovn_map.filekind import file_kind

#: A seed is a Wikipedia article, a few tens of kB; anything far larger is a wrong file.
MAX_SEED_BYTES = 2_000_000

#: A line is a paragraph; the longest of the real articles has about 1,500 characters. Every
#: pattern on seed text reads a line in linear time, but the place and figure readers look at
#: a sentence once per name or figure in it: this bound keeps that work small whatever the
#: line holds. A longer line is refused, not skipped: skipping would drop what the text says
#: unseen, and such a line is a wrong or joined file, not an article's paragraph.
MAX_LINE_CHARS = 20_000

#: Unicode's "format" characters (zero-width space and joiners, a BOM inside the text, the soft
#: hyphen, word joiner, bidirectional embeddings, overrides and isolates, …) are invisible: one
#: inside a name changes its matching key and its id unseen, and bidi controls can make a quote
#: display in an order other than its bytes ("Trojan Source"). A plain-text article needs none.
_FORMAT_CATEGORY = "Cf"
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
    _refuse_format_characters(text, path)
    lines = tuple(unicodedata.normalize("NFC", line) for line in _LINE_BREAKS.split(text))
    _check_line_lengths(lines, path)
    return SeedText(path=path, lines=lines, sha256=hashlib.sha256(raw).hexdigest())


def _refuse_format_characters(text: str, path: str) -> None:
    """A :class:`SeedError` at the first format character (category Cf) of *text*.

    Only the distinct characters are classified (a few hundred in an article), so the check
    costs a set, not a Unicode lookup per character. The BOM ``utf-8-sig`` strips at the start
    of the file is not in *text*; one anywhere else is refused like any other.
    """
    found = [ch for ch in set(text) if unicodedata.category(ch) == _FORMAT_CATEGORY]
    if not found:
        return
    offset = min(text.index(ch) for ch in found)
    char = text[offset]
    line_no = len(_LINE_BREAKS.findall(text, 0, offset)) + 1
    name = unicodedata.name(char, "unnamed")
    msg = (f"Seed {path}:{line_no} contains the invisible format character U+{ord(char):04X} "
           f"{name} (Unicode category Cf), which can disguise text or change a name unseen; "
           "remove it.")
    raise SeedError(msg)


def _check_line_lengths(lines: tuple[str, ...], path: str) -> None:
    """A :class:`SeedError` at the first line longer than :data:`MAX_LINE_CHARS` (after NFC)."""
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            msg = (f"Seed {path}:{number} is a line of {len(line):,} characters, more than the "
                   f"{MAX_LINE_CHARS:,} a paragraph of an article has; is it the right file "
                   "(or are paragraphs joined without line breaks)?")
            raise SeedError(msg)


def _check_size(size: int, path: str) -> None:
    if size > MAX_SEED_BYTES:
        msg = (f"Seed {path} is {size:,} bytes, more than the {MAX_SEED_BYTES:,} a source "
               "article can be; is it the right file?")
        raise SeedError(msg)


def _require_regular_file(mode: int, shown: str) -> None:
    kind = file_kind(mode)
    if kind is None:
        return
    msg = (f"Seed {shown} is not a regular file but {kind}; a seed must be a plain text file "
           "(replace it with the article's text).")
    raise SeedError(msg)


def read_seed(file: Path, display_path: str | None = None) -> SeedText:
    """Read one seed file from disk.

    Only a regular file (or a symlink to one) is read. The type is checked before the file is
    opened, since opening a FIFO for reading waits for a writer forever, and again on the open
    descriptor (opened non-blocking), in case the path was swapped in between.
    """
    shown = display_path or str(file)
    try:
        _require_regular_file(file.stat().st_mode, shown)
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            _require_regular_file(status.st_mode, shown)
            _check_size(status.st_size, shown)  # before reading: a huge file is never loaded
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
        for match in matches:  # a directory or FIFO of that name is named, not counted
            with contextlib.suppress(OSError):  # a dangling symlink: read_seed will say so
                _require_regular_file(match.stat().st_mode, f"{folder.name}/{match.name}")
        if len(matches) != 1:
            names = ", ".join(p.name for p in matches) or "none"
            msg = (f"Seed folder {folder} must hold exactly one *.{language}.txt file "
                   f"(found: {names}).")
            raise SeedError(msg)
        found[language] = read_seed(matches[0], f"{folder.name}/{matches[0].name}")
    return SeedSet(english=found["en"], vietnamese=found["vi"])

