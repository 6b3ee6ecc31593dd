"""Helpers every reader of the seed texts shares: spacing and dashes made canonical for
matching, names as recorded, lists split, markup refused, sentences cut, headings and the
sections they open, and the error for a text that gives more of something than a source article
holds."""

from __future__ import annotations

import re

from laovn_map.build.seeds import SeedText
from laovn_map.errors import ExtractError

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
DASH_CLASS = f"[{re.escape(DASHES)}]"
MARKUP = re.compile(r"<[^>]*>|[<>]")


def canonical_spacing(text: str) -> str:
    """Collapse runs of whitespace and make every dash an ASCII hyphen, for matching only."""
    text = re.sub(DASH_CLASS, "-", text)
    return re.sub(r"\s+", " ", text).strip()


def canonical_name(raw: str) -> str:
    """A name as recorded: single spaces, dashes unified (``Thừa Thiên – Huế`` → ``Thừa Thiên - Huế``)."""
    name = canonical_spacing(raw)
    name = re.sub(r"\s*-\s*", lambda m: " - " if " " in m.group() else "-", name)
    return name.strip(" .;:")


#: The wiki markup that opens a line: a definition-list term or definition (``;``, ``:``), or
#: list items (``*``, ``#``, ``-``, ``•``), any run of them, with the spaces after.
_LINE_MARKUP = re.compile(rf"^\s*(?:[;:*#•]|{DASH_CLASS})+\s*")


def plain_line(line: str) -> str:
    """A line of a text as a quote shows it: without the wiki markup that opens it
    (``;Of Vietnam`` → ``Of Vietnam``, ``- Pakse (Consulate)`` → ``Pakse (Consulate)``); the
    quote keeps its file and line, so a reader finds the line as written."""
    return _LINE_MARKUP.sub("", line).strip()


def reject_markup(name: str, seed: SeedText, line: int, what: str) -> None:
    if MARKUP.search(name):
        msg = (f"{what} {name!r} ({seed.path}:{line}) contains markup; the seeds are plain text, "
               "remove the tags.")
        raise ExtractError(msg)


def heading(line: str) -> tuple[int, str] | None:
    """(level, title) of a heading line ``== Title ==``, or None; the level is the opening run
    of ``=``. A line of ``=`` alone is a heading of no title, one level below its length."""
    text = line.strip()
    opening = len(text) - len(text.lstrip("="))
    closing = len(text) - len(text.rstrip("="))
    if opening == len(text):
        return (opening - 1, "") if opening >= 2 else None
    if not (opening and closing):
        return None
    return opening, text[opening:len(text) - closing].strip()


#: A heading written as a plain line (the Vietnamese text's "Lịch sử", "Kinh tế"): a few words
#: of letters only, the first a capital, no digit or punctuation (a sentence has some).
_PLAIN_HEADING = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){0,7}")
_PLAIN_HEADING_MAX_CHARS = 60


def _plain_heading(line: str) -> str | None:
    text = line.strip()
    if (len(text) <= _PLAIN_HEADING_MAX_CHARS and text[:1].isupper()
            and _PLAIN_HEADING.fullmatch(text)):
        return text
    return None


def sections(seed: SeedText) -> tuple[tuple[int, str], ...]:
    """(line, title) of each section heading of *seed*, in order: what a citation names as the
    part of the article a line is in.

    A text whose headings are marked (``== History ==``, below the article's title of level 1)
    has those; a text without any marked heading writes them as plain short lines of words
    (:data:`_PLAIN_HEADING`). Read by what the text holds, not by its language. The lines before
    the first heading are the article's lead, in no section.
    """
    marked = [(number, head[1]) for number, line in seed.numbered()
              if (head := heading(line)) and head[0] >= 2 and head[1]]
    if marked:
        return tuple(marked)
    return tuple((number, title) for number, line in seed.numbered()
                 if (title := _plain_heading(line)))


def section_at(headings: tuple[tuple[int, str], ...], line: int) -> str:
    """The title of the section *line* is in ('' for the lead, before any heading)."""
    found = ""
    for number, title in headings:
        if number > line:
            break
        found = title
    return found


def split_list(text: str) -> list[str]:
    """Split "A, B, C và D" / "A, B and C" into names; dashes inside names are kept."""
    parts = re.split(r"\s*,\s*|\s*;\s*|\s+(?:và|and)\s+", text)
    return [p for p in (canonical_name(part) for part in parts) if p]


#: Where a sentence ends: after . ! or ? (and a closing quote, or a reference like "[5]"),
#: before a capital.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))(?:\[\d+\])?\s+(?=[A-ZĐÀ-Ỹ\"“])")


def sentences(line: str) -> list[str]:
    """The sentences of one line of a text (a line is a paragraph)."""
    return [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]


def too_many(seed: SeedText, line: int, what: str, limit: int) -> ExtractError:
    """The error for a text that gives more *what* than *limit*, at the *line* that passes it."""
    return ExtractError(f"{seed.path}:{line} gives more than {limit:,} {what}, more than a source "
                        "article holds; is it the right file?")
