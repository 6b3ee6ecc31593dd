"""The figures the texts state about the relationship: money, projects, ranks among investors
and among the countries invested in, a treaty's term, counts of people, each with its period,
the sentence as quote, file and line; and where the two texts disagree.

A small grammar again (see :mod:`laovn_map.build.dates` for why): each form below is one the texts
use, read the way its language writes numbers (``4.9`` in English, ``2.340`` or ``4,9`` in
Vietnamese), nothing else. The figure's **measure** is the nearest of the words for investment,
trade and aid in its sentence ("429 projects" after "invested" is an investment; "200
assistance projects" are aid), and its **qualifier** ("about", "khoảng", "hundreds" …) is kept
as written, like a date's.

- ``usd``: ``US$4.9 billion``, ``US$725 million``, ``4,9 tỷ USD``, ``725 triệu đô la``;
- ``projects``: ``429 projects``, ``200 assistance projects``, ``429 dự án``;
- ``rank`` among foreign investors: ``the largest foreign investor``, ``the second largest
  investor``, ``đứng thứ 2 trong số các nhà đầu tư``, ``nhà đầu tư số 1``;
- ``rank`` among N countries invested in (``among`` holds N): ``thu hút vốn … nhiều nhất trong
  tổng số 55 quốc gia và vùng lãnh thổ``, ``the largest destination … among 55 countries``;
- ``countries``: ``55 quốc gia và vùng lãnh thổ``, ``55 countries and territories``;
- ``years``, a treaty's term: ``a 25-year Treaty``, ``hiệp ước 25 năm``;
- ``people``, a count the text gives only as a magnitude (no value, the qualifier says it):
  ``hundreds of Vietnamese advisers``, ``hàng trăm chuyên gia``.

**Period**: the sentence's date nearest the figure ("kí hiệp ước 25 năm … vào năm 1977" is
1977, not the sentence's first date, 1976) — unless a word for the present ("currently",
"hiện nay") stands between them: the figure is then of the text's present, which the text does
not date, and it has no period ("Since … 1989 until 2012, Vietnam has invested … and currently
the largest foreign investor": the rank is not of 1989–2012).

**Disagreement** (:func:`disagreements`): two figures, one of each text, of the same unit, the
same subject and the same ``among``, whose times overlap and whose values differ. A figure's
time is its period; the text's present is no earlier than the last year (month, day: at its
precision) of the date it follows in its sentence, and open-ended; a figure with neither is not
compared. A rule, not a judgement: the page shows both sentences and says which rule matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from laovn_map.build.dates import Span, find_dates
from laovn_map.build.extract import parse_vietnamese_number
from laovn_map.build.records import Provenance
from laovn_map.build.seeds import SeedText
from laovn_map.build.text import sentences, too_many

UNITS = ("usd", "projects", "rank", "countries", "years", "people")
MEASURES = ("investment", "trade", "aid")
#: What a figure is about beyond its measure: a rank among the foreign investors in a country or
#: among the countries a country invests in, a treaty's term, advisers, people who studied.
SUBJECTS = ("foreign_investors", "investment_destinations", "treaty_term", "advisers", "studied",
            "people")

#: A number starts where its digits do, not after a digit or a digit and separator: else each
#: digit of "1,1,1,…" is a new start read to the end (quadratic). Every form reads a number up
#: to its end before a space, so the matches are the same.
_NUMBER = r"(?<!\d)(?<!\d[.,])\d+(?:[.,]\d+)*"
_MAX_FIGURE_CHARS = 40
_SCALES = {"million": 10**6, "billion": 10**9, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_RANK_WORDS = {"largest": 1, "biggest": 1, "first": 1, "top": 1, "second": 2, "third": 3,
               "nhiều nhất": 1, "lớn nhất": 1}
_QUALIFIER = (r"(?:(?P<q>about|around|approximately|nearly|almost|over|more\s+than|some|khoảng|"
              r"gần|hơn|trên|chừng)\s+)?")
#: Who a count of people counts (its last words); each form reads at most three words before.
_PEOPLE_EN = (r"advisers|advisors|experts|specialists|students|technicians|stalwarts|cadres|"
              r"officials|officers|soldiers|troops|workers|engineers|teachers|people")
_PEOPLE_VI = r"cố\s+vấn|chuyên\s+gia|sinh\s+viên|học\s+sinh|cán\s+bộ|bộ\s+đội|người"
_FORMS: tuple[tuple[str, str, str], ...] = (
    ("usd", "en", rf"{_QUALIFIER}(?:US\$|USD\s?|\$)\s?(?P<n>{_NUMBER})(?:\s+(?P<s>million|billion))?"),
    ("usd", "vi", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+(?P<s>triệu|tỷ|tỉ)\s+(?:USD|đô\s+la(?:\s+Mỹ)?)"),
    ("projects", "en", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+(?:[a-z]+\s+)?projects\b"),
    ("projects", "vi", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+dự\s+án\b"),
    ("rank", "en", r"the\s+(?P<w>largest|biggest|second|third)(?:[\s-]+largest)?\s+(?:foreign\s+)?"
                   r"investors?\b"),
    ("rank", "en", rf"the\s+(?P<w>largest|biggest|first|top|second|third)\s+destination\b"
                   rf"(?:\s+[\w'’$.-]+){{0,6}}?\s+(?:among|of)\s+(?:the\s+)?(?P<among>{_NUMBER})\s+"
                   r"countries(?:\s+and\s+territories)?"),
    ("rank", "vi", r"(?:đứng\s+)?thứ\s+(?P<n>\d+)\s+trong\s+số\s+các\s+nhà\s+đầu\s+tư"),
    ("rank", "vi", r"nhà\s+đầu\s+tư\s+số\s+(?P<n>\d+)"),
    ("rank", "vi", rf"thu\s+hút\s+(?:[\w-]+\s+){{0,5}}?(?P<w>nhiều\s+nhất|lớn\s+nhất)\s+trong\s+"
                   rf"(?:tổng\s+)?số\s+(?P<among>{_NUMBER})\s+quốc\s+gia(?:\s+và\s+vùng\s+lãnh\s+thổ)?"),
    ("countries", "en", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+countries(?:\s+and\s+territories)?"),
    ("countries", "vi", rf"{_QUALIFIER}(?P<n>{_NUMBER})\s+quốc\s+gia\s+và\s+vùng\s+lãnh\s+thổ"),
    ("years", "en", rf"(?P<n>{_NUMBER})[\s-]years?\s+(?:treaty|agreement|pact)\b"),
    ("years", "vi", rf"(?:hiệp\s+ước|hiệp\s+định)\s+(?P<n>{_NUMBER})\s+năm\b"),
    ("people", "en", rf"(?P<q>hundreds|thousands|dozens)\s+of\s+(?P<what>(?:[\w-]+\s+){{0,3}}?"
                     rf"(?:{_PEOPLE_EN})(?:\s+and\s+(?:{_PEOPLE_EN}))?)\b"),
    ("people", "vi", rf"(?P<q>hàng\s+(?:trăm|nghìn|ngàn|chục))\s+(?P<what>(?:[\w-]+\s+){{0,3}}?"
                     rf"(?:{_PEOPLE_VI}))\b"),
)
_PATTERNS = {language: [(unit, re.compile(body, re.IGNORECASE))
                        for unit, lang, body in _FORMS if lang == language]
             for language in ("en", "vi")}
_MEASURE_WORDS = {
    "en": (("investment", r"invest\w*"), ("trade", r"trade\w*"), ("aid", r"assistance|aid")),
    "vi": (("investment", r"đầu\s+tư"), ("trade", r"thương\s+mại"), ("aid", r"viện\s+trợ")),
}
#: The words of the text's present: a figure they stand before is of no date the text gives.
_PRESENT = {"en": re.compile(r"\b(?:currently|now|at\s+present|today)\b", re.IGNORECASE),
            "vi": re.compile(r"\b(?:hiện\s+(?:nay|tại|giờ)|ngày\s+nay)\b", re.IGNORECASE)}
#: Who a count of people counts, by its words: advisers, and people the sentence says studied.
_ADVISERS = re.compile(r"\b(?:advis[eo]rs|experts|specialists|cố\s+vấn|chuyên\s+gia)\b",
                       re.IGNORECASE)
_STUDIED = re.compile(r"\b(?:stud(?:y|ied|ying)|trained|học|du\s+học)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TextFigure:
    """A figure a text states: its value in ``unit``, what it measures and is about, when, and
    where."""

    value: int | float | None  # None for a magnitude without a number ("hundreds of …")
    unit: str  # one of UNITS
    measure: str  # one of MEASURES, or "" when the sentence names none
    text: str  # as written
    qualifier: str
    period: Span | None
    language: str
    provenance: Provenance
    subject: str = ""  # one of SUBJECTS, or the measure
    among: int | None = None  # a rank's N: "first among 55 countries"
    present: str = ""  # the word for the text's present as written ("currently"), or ""
    #: The date the present follows in its sentence: its time starts no earlier than that.
    present_after: Span | None = None


@dataclass(frozen=True)
class FigureProblem:
    """A form of the grammar that is no figure ("đứng thứ 0"): left out, reported."""

    text: str
    problem: str
    provenance: Provenance


@dataclass(frozen=True)
class StatedFigures:
    figures: tuple[TextFigure, ...]
    problems: tuple[FigureProblem, ...]


@dataclass(frozen=True)
class Disagreement:
    """Two figures, one of each text, that :func:`disagreements`' rule finds at odds."""

    first: TextFigure
    second: TextFigure


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


def _dates_at(sentence: str) -> list[tuple[int, int, Span]]:
    """The sentence's dates with where each stands (they come in order, each found after the last)."""
    out: list[tuple[int, int, Span]] = []
    cursor = 0
    for found in find_dates(sentence):
        if not isinstance(found, Span):
            continue
        at = sentence.find(found.text, cursor)
        if at >= 0:
            out.append((at, at + len(found.text), found))
            cursor = at + len(found.text)
    return out


def _when(sentence: str, language: str, dates: Sequence[tuple[int, int, Span]],
          start: int, end: int) -> tuple[Span | None, str, Span | None]:
    """(period, present word, the date the present follows) of the figure at *start*–*end*."""
    def distance(date: tuple[int, int, Span]) -> int:
        return start - date[1] if date[1] <= start else max(date[0] - end, 0)
    nearest = min(dates, key=distance, default=None)  # ties: the earlier, the one before
    if nearest is None:
        between = (0, start)
    else:
        between = (nearest[1], start) if nearest[1] <= start else (end, nearest[0])
    present = list(_PRESENT[language].finditer(sentence, *between))
    if present:
        before = [d for d in dates if d[1] <= present[-1].start()]
        return None, present[-1].group(0), before[-1][2] if before else None
    return (nearest[2] if nearest else None), "", None


def _subject(unit: str, parts: dict[str, str | None], sentence: str, measure: str,
             end: int) -> str:
    if unit == "rank":
        return "investment_destinations" if parts.get("among") else "foreign_investors"
    if unit == "years":
        return "treaty_term"
    if unit == "people":
        if _ADVISERS.search(parts.get("what") or ""):
            return "advisers"
        return "studied" if _STUDIED.search(sentence, end) else "people"
    return measure


def _value(unit: str, parts: dict[str, str | None], language: str
           ) -> tuple[int | float | None, int | None, str]:
    """(value, among, problem): the problem says why a form of the grammar is no figure."""
    if unit == "people":
        return None, None, ""
    among = None
    if parts.get("among"):
        read = _number(str(parts["among"]), language)
        if read is None or read != read.to_integral_value() or read < 1:
            return None, None, "the count of countries is no whole number from 1"
        among = int(read)
    word = re.sub(r"\s+", " ", (parts.get("w") or "").casefold())
    value = Decimal(_RANK_WORDS[word]) if word else _number(str(parts.get("n")), language)
    if value is None:
        return None, among, f"not a number as the {language} text writes numbers"
    if unit in ("rank", "years", "projects", "countries") and value != value.to_integral_value():
        return None, among, "a count is a whole number"
    if unit in ("rank", "years") and value < 1:
        return None, among, "a rank starts at 1" if unit == "rank" else "a term is at least a year"
    if among is not None and value > among:
        return None, among, f"a rank of {value} among {among}"
    value *= _SCALES.get((parts.get("s") or "").casefold(), 1)
    return _plain(value), among, ""


#: Figures one text may state: a real article states a few (10 at most); each is a row of the
#: page and a record of the manifest.
MAX_FIGURES_PER_TEXT = 500


def read_figures(seed: SeedText, language: str) -> StatedFigures:
    """Every figure of *seed* that the grammar reads, and each form it reads that is no figure
    (left out, reported); refused past :data:`MAX_FIGURES_PER_TEXT` of both together."""
    out: list[TextFigure] = []
    problems: list[FigureProblem] = []
    for number, line in seed.numbered():
        for sentence in sentences(line):
            dates: list[tuple[int, int, Span]] | None = None
            for start, unit, match in _figures_of(sentence, language):
                if len(out) + len(problems) == MAX_FIGURES_PER_TEXT:
                    raise too_many(seed, number, "figures", MAX_FIGURES_PER_TEXT)
                parts = match.groupdict()
                provenance = Provenance(seed.path, number, sentence)
                value, among, problem = _value(unit, parts, language)
                if problem:
                    problems.append(FigureProblem(match.group(0), problem, provenance))
                    continue
                if dates is None:
                    dates = _dates_at(sentence)
                period, present, after = _when(sentence, language, dates, start, match.end())
                measure = _measure(sentence, language, start)
                qualifier = re.sub(r"\s+", " ", (parts.get("q") or "").casefold())
                out.append(TextFigure(
                    value, unit, measure, match.group(0), qualifier, period, language, provenance,
                    _subject(unit, parts, sentence, measure, match.end()), among, present, after))
    return StatedFigures(tuple(out), tuple(problems))


def find_text_figures(seed: SeedText, language: str) -> tuple[TextFigure, ...]:
    """Every figure of *seed* that the grammar reads (a form that is no figure is left out)."""
    return read_figures(seed, language).figures


#: The last day no later date can be: the present's time is open-ended.
_OPEN_END = "9999-12-31"


def _time(figure: TextFigure) -> tuple[str, str] | None:
    """The days a figure can be of: its period, or the text's present from the last year
    (month, day) of the date it follows; None when it has neither (not compared)."""
    if figure.period is not None:
        return figure.period.start, figure.period.end
    after = figure.present_after
    if not figure.present or after is None:
        return None
    last = {"day": after.end, "month": after.end[:7] + "-01"}.get(after.precision,
                                                                   after.end[:4] + "-01-01")
    return last, _OPEN_END


def disagreements(figures: Sequence[TextFigure]) -> tuple[Disagreement, ...]:
    """Each pair of figures from the two texts (in the order *figures* gives them) with the same
    unit, subject and ``among``, overlapping times and different values."""
    groups: dict[tuple[str, str, int | None], list[TextFigure]] = {}
    for figure in figures:
        if figure.value is not None and _time(figure) is not None:
            groups.setdefault((figure.unit, figure.subject, figure.among), []).append(figure)
    out = []
    for group in groups.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                a, b = _time(first), _time(second)
                if (first.language != second.language and first.value != second.value
                        and a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]):
                    out.append(Disagreement(first, second))
    return tuple(out)
