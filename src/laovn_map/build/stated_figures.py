"""The figures the texts state about the relationship: money, projects, ranks among investors,
counts of countries, each with its period, the sentence as quote, file and line.

A small grammar again (see :mod:`laovn_map.build.dates` for why): each form below is one the texts
use, read the way its language writes numbers (``4.9`` in English, ``2.340`` or ``4,9`` in
Vietnamese), nothing else. The figure's **measure** is the nearest of the words for investment,
trade and aid in its sentence ("429 projects" after "invested" is an investment; "200
assistance projects" are aid), its **period** the sentence's date
(:func:`laovn_map.build.dates.main_date`), and its **qualifier** ("about", "khoảng" …) is kept as
written, like a date's.

- ``usd``: ``US$4.9 billion``, ``US$725 million``, ``4,9 tỷ USD``, ``725 triệu đô la``;
- ``projects``: ``429 projects``, ``200 assistance projects``, ``429 dự án``;
- ``rank`` (among foreign investors): ``the largest foreign investor``, ``the second largest
  investor``, ``đứng thứ 2 trong số các nhà đầu tư``, ``nhà đầu tư số 1``;
- ``countries``: ``55 quốc gia và vùng lãnh thổ``, ``55 countries and territories``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from laovn_map.build.dates import Span, find_dates, main_date
from laovn_map.build.extract import parse_vietnamese_number
from laovn_map.build.records import Provenance
from laovn_map.build.seeds import SeedText
from laovn_map.build.text import sentences, too_many

UNITS = ("usd", "projects", "rank", "countries")
MEASURES = ("investment", "trade", "aid")

#: A number starts where its digits do, not after a digit or a digit and separator: else each
#: digit of "1,1,1,…" is a new start read to the end (quadratic). Every form reads a number up
#: to its end before a space, so the matches are the same.
_NUMBER = r"(?<!\d)(?<!\d[.,])\d+(?:[.,]\d+)*"
_MAX_FIGURE_CHARS = 40
_SCALES = {"million": 10**6, "billion": 10**9, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_RANK_WORDS = {"largest": 1, "biggest": 1, "second": 2, "third": 3}
_QUALIFIER = (r"(?:(?P<q>about|around|approximately|nearly|almost|over|more\s+than|some|khoảng|"
              r"gần|hơn|trên|chừng)\s+)?")
_FORMS: tuple[tuple[str, str, str], ...] = (
    ("usd", "en", rf"{_QUALIFIER}(?:US\$|USD\s?|\$)\s?(?P<n>{_NUMBER})(?:\s+(?P<s>million|billion))?"),
    ("usd", "vi", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+(?P<s>triệu|tỷ|tỉ)\s+(?:USD|đô\s+la(?:\s+Mỹ)?)"),
    ("projects", "en", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+(?:[a-z]+\s+)?projects\b"),
    ("projects", "vi", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+dự\s+án\b"),
    ("rank", "en", r"the\s+(?P<w>largest|biggest|second|third)(?:[\s-]+largest)?\s+(?:foreign\s+)?"
                   r"investors?\b"),
    ("rank", "vi", r"(?:đứng\s+)?thứ\s+(?P<n>\d+)\s+trong\s+số\s+các\s+nhà\s+đầu\s+tư"),
    ("rank", "vi", r"nhà\s+đầu\s+tư\s+số\s+(?P<n>\d+)"),
    ("countries", "en", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+countries(?:\s+and\s+territories)?"),
    ("countries", "vi", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+quốc\s+gia\s+và\s+vùng\s+lãnh\s+thổ"),
)
_PATTERNS = {language: [(unit, re.compile(body, re.IGNORECASE))
                        for unit, lang, body in _FORMS if lang == language]
             for language in ("en", "vi")}
_MEASURE_WORDS = {
    "en": (("investment", r"invest\w*"), ("trade", r"trade\w*"), ("aid", r"assistance|aid")),
    "vi": (("investment", r"đầu\s+tư"), ("trade", r"thương\s+mại"), ("aid", r"viện\s+trợ")),
}


@dataclass(frozen=True)
class TextFigure:
    """A figure a text states: its value in ``unit``, what it measures, when, and where."""

    value: int | float
    unit: str  # one of UNITS
    measure: str  # one of MEASURES, or "" when the sentence names none
    text: str  # as written
    qualifier: str
    period: Span | None
    language: str
    provenance: Provenance


def _number(written: str, language: str) -> Decimal | None:
    """A number as *language* writes it (English ``4.9``, ``1,000``; Vietnamese ``4,9``,
    ``2.340``), or None; None too for one longer than any figure a text states, which the
    layers' JSON could not even write (Python refuses an integer of over 4,300 digits)."""
    if len(written) > _MAX_FIGURE_CHARS:
        return None
    if language == "vi":
        value = parse_vietnamese_number(written)
        return None if value is None else Decimal(repr(value))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", written) is None:
        return None
    try:
        return Decimal(written.replace(",", ""))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _measure(sentence: str, language: str, position: int) -> str:
    """The measure whose word is nearest *position* in *sentence* ("" when none is there)."""
    found = [(abs(m.start() - position), measure)
             for measure, pattern in _MEASURE_WORDS[language]
             for m in re.finditer(pattern, sentence, re.IGNORECASE)]
    return min(found)[1] if found else ""


def _figures_of(sentence: str, language: str) -> Iterator[tuple[int, str, re.Match[str]]]:
    """(position, unit, match) of each figure of *sentence*, in order, each stretch read once.

    The hits come by start, so one overlaps a kept one only if it starts before the last kept
    end: comparing with that end alone keeps the work linear in the hits."""
    taken_end = 0
    hits = sorted(((m.start(), unit, m) for unit, pattern in _PATTERNS[language]
                   for m in pattern.finditer(sentence)), key=lambda h: (h[0], -len(h[2].group())))
    for start, unit, match in hits:
        if start < taken_end:
            continue
        taken_end = match.end()
        yield start, unit, match


#: Figures one text may state: a real article states a few (5 at most); each is a row of the
#: page and a record of the manifest.
MAX_FIGURES_PER_TEXT = 500


def find_text_figures(seed: SeedText, language: str) -> tuple[TextFigure, ...]:
    """Every figure of *seed* that the grammar reads (a number it cannot read is left out);
    refused past :data:`MAX_FIGURES_PER_TEXT`."""
    out: list[TextFigure] = []
    for number, line in seed.numbered():
        for sentence in sentences(line):
            period = None
            for start, unit, match in _figures_of(sentence, language):
                if len(out) == MAX_FIGURES_PER_TEXT:
                    raise too_many(seed, number, "figures", MAX_FIGURES_PER_TEXT)
                parts = match.groupdict()
                if parts.get("w"):
                    value: Decimal | None = Decimal(_RANK_WORDS[parts["w"].casefold()])
                else:
                    value = _number(parts["n"], language)
                if value is None:
                    continue
                value *= _SCALES.get((parts.get("s") or "").casefold(), 1)
                if period is None:
                    period = main_date([d for d in find_dates(sentence) if isinstance(d, Span)])
                qualifier = re.sub(r"\s+", " ", (parts.get("q") or "").casefold())
                out.append(TextFigure(_plain(value), unit, _measure(sentence, language, start),
                                      match.group(0), qualifier, period, language,
                                      Provenance(seed.path, number, sentence)))
    return tuple(out)
