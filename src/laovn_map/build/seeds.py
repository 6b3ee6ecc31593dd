"""Read the seed texts into numbered lines, whatever accidents the copy carries.

The seeds are data, not markup, and may arrive in NFD, with Windows line ends or a BOM. This
module makes them one canonical form (UTF-8 decoded, NFC, ``\\n`` line ends) while keeping the
file's own line numbers, so every record can point back to the line a reader will find.
Anything that cannot be read safely is a :class:`SeedError` naming the file and the fix: a
path that is not a regular file (a directory, a FIFO, …), bytes that are not UTF-8,
invisible format characters (Unicode category Cf) anywhere but a leading BOM, and a line
longer than :data:`MAX_LINE_CHARS`.

Beside each seed a small metadata file (``<name>.meta.json``, :func:`read_meta`) says which
article the text copies: its title, language and URL, and its revision and the day it was
retrieved where they were recorded (``null`` otherwise: a citation then says so, never guesses).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any

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
class SeedMeta:
    """What a seed's metadata file says of the article the seed copies. ``revision`` (the
    article's revision id, MediaWiki's ``oldid``) and ``retrieved`` (an ISO day) are None where
    they were not recorded."""

    title: str
    language: str
    url: str
    revision: int | None
    retrieved: str | None


@dataclass(frozen=True)
class SeedText:
    """One seed file: its display path, its lines (NFC, 1-based through :meth:`line`), the
    SHA-256 of its bytes as read (for the manifest) and its metadata (None for a text made in
    memory, which a folder's seed never is)."""

    path: str
    lines: tuple[str, ...]
    sha256: str = ""
    meta: SeedMeta | None = field(default=None, compare=False)

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


#: A seed's metadata file is ``<seed name without .txt>.meta.json`` beside it.
META_SUFFIX = ".meta.json"
#: Its fields, every one required (``null`` where not recorded: an absent key may be a typo).
META_FIELDS = ("title", "language", "url", "revision", "retrieved")
#: A metadata file is a few lines; a large one is the wrong file.
MAX_META_BYTES = 64_000
_META_FIX = f"the file holds one JSON object with {', '.join(META_FIELDS)} (docs/data.md)"
_URL = re.compile(r"https://[^\s\x00-\x1f\x7f]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_TITLE_CHARS = 300


def meta_path(seed_file: Path) -> Path:
    """Where the metadata of the seed *seed_file* is."""
    return seed_file.with_name(seed_file.name.removesuffix(".txt") + META_SUFFIX)


def _key_line(text: str, key: str, nth: int = 0) -> int:
    """The line of the *nth* occurrence of the key ``"key":`` in *text* (1 when not found)."""
    found = list(re.finditer(rf'"{re.escape(key)}"\s*:', text))
    if not found:
        return 1
    return text[: found[min(nth, len(found) - 1)].start()].count("\n") + 1


def _meta_value(key: str, value: Any, language: str) -> str | None:
    """The problem with *value* of field *key* ('' when none)."""
    if key == "title":
        ok = isinstance(value, str) and value.strip() == value and 0 < len(value) <= _MAX_TITLE_CHARS \
            and value.isprintable()
        return None if ok else f"a title of 1 to {_MAX_TITLE_CHARS} printable characters"
    if key == "language":
        return None if value == language else f'"{language}", the language of its seed'
    if key == "url":
        ok = isinstance(value, str) and len(value) <= 2000 and bool(_URL.fullmatch(value))
        return None if ok else "an https:// address without spaces"
    if key == "revision":
        ok = value is None or (type(value) is int and value > 0)
        return None if ok else "the article's revision id (a whole number), or null where not recorded"
    ok = value is None or (isinstance(value, str) and bool(_ISO_DAY.fullmatch(value))
                           and _is_day(value))
    return None if ok else "the day it was retrieved (YYYY-MM-DD), or null where not recorded"


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _shown(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else f"{shown[:37]}..."


def decode_meta(raw: bytes, path: str, language: str) -> SeedMeta:
    """A seed's metadata from its bytes; a :class:`SeedError` at ``path:line`` naming the field
    and what it must be."""
    if len(raw) > MAX_META_BYTES:
        raise SeedError(f"Seed metadata {path} is {len(raw):,} bytes, more than the "
                        f"{MAX_META_BYTES:,} a metadata file can be; is it the right file?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SeedError(f"Seed metadata {path}:{line} is not valid UTF-8; re-save it as UTF-8.") from None
    pairs: list[tuple[str, Any]] = []

    def kept(items: list[tuple[str, Any]]) -> dict[str, Any]:
        pairs.extend(items)  # json keeps the last of a repeated key: the check below refuses it
        return dict(items)

    try:
        parsed = json.loads(text, object_pairs_hook=kept)
    except json.JSONDecodeError as exc:
        raise SeedError(f"Seed metadata {path}:{exc.lineno} is not valid JSON ({exc.msg}); "
                        f"{_META_FIX}.") from None
    if not isinstance(parsed, dict):
        raise SeedError(f"Seed metadata {path}:1 is not a JSON object; {_META_FIX}.")
    seen: dict[str, int] = {}
    for key, _value in pairs:
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            raise SeedError(f"Seed metadata {path}:{_key_line(text, key, seen[key] - 1)} gives "
                            f'"{key}" twice; keep one.')
    for key in parsed:
        if key not in META_FIELDS:
            raise SeedError(f"Seed metadata {path}:{_key_line(text, key)} has the unknown field "
                            f'"{key}"; {_META_FIX}.')
    for key in META_FIELDS:
        if key not in parsed:
            raise SeedError(f'Seed metadata {path}:1 lacks "{key}"; {_META_FIX} (null where not '
                            "recorded).")
        problem = _meta_value(key, parsed[key], language)
        if problem:
            raise SeedError(f"Seed metadata {path}:{_key_line(text, key)}: \"{key}\" is "
                            f"{_shown(parsed[key])}, not {problem}.")
    return SeedMeta(parsed["title"], parsed["language"], parsed["url"], parsed["revision"],
                    parsed["retrieved"])


def read_meta(file: Path, display_path: str, language: str) -> SeedMeta:
    """Read the metadata file *file* of a seed in *language* (a regular file only, as a seed)."""
    try:
        kind = file_kind(file.stat().st_mode)
        if kind is not None:
            raise SeedError(f"Seed metadata {display_path} is not a regular file but {kind}; "
                            f"{_META_FIX}.")
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            raw = handle.read(MAX_META_BYTES + 1)
    except FileNotFoundError:
        raise SeedError(f"Seed metadata {display_path} does not exist; write it beside its seed: "
                        f"{_META_FIX}, null where not recorded.") from None
    except OSError as exc:
        raise SeedError(f"Seed metadata {display_path} cannot be read: {exc.strerror}.") from None
    return decode_meta(raw, display_path, language)


@dataclass(frozen=True)
class SeedSet:
    """The two source articles the build needs."""

    english: SeedText
    vietnamese: SeedText


def find_seeds(folder: Path) -> SeedSet:
    """Find exactly one ``*.en.txt`` and one ``*.vi.txt`` seed in *folder* and read them, each
    with its metadata file (:func:`read_meta`).

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
    for language, seed in found.items():  # the texts first: a missing text is the first problem
        meta = meta_path(folder / PurePath(seed.path).name)
        found[language] = replace(seed, meta=read_meta(meta, f"{folder.name}/{meta.name}", language))
    return SeedSet(english=found["en"], vietnamese=found["vi"])

