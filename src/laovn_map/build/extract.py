"""Turn the seed texts into typed records: border provinces, border length, establishment,
dated sentences; the missions are :mod:`~laovn_map.build.missions`'.

Nothing here knows the answers: the provinces, figures and missions are whatever the text says,
found by the shape of its sentences (the Vietnamese border sentence, the English "Diplomatic
missions" section and infobox). The parsing tolerates the accidents of a copy (any dash, extra
spaces, NFD, reordered lists) and stops with an :class:`ExtractError` naming the file, the line
and what was missing when the shape is not there. Every record carries its provenance.
"""

from __future__ import annotations

import math
import re

from laovn_map.build.clauses import statements
from laovn_map.build.dates import DateProblem, Span, find_dates
from laovn_map.build.missions import find_missions
from laovn_map.build.records import (
    BorderStatement,
    Established,
    Event,
    Provenance,
    ProvinceMention,
    SeedRecords,
)
from laovn_map.build.seeds import SeedSet, SeedText
from laovn_map.build.text import (
    canonical_spacing,
    reject_markup,
    sentences,
    split_list,
    too_many,
)
from laovn_map.catalog import LAOS, VIETNAM
from laovn_map.errors import ExtractError

#: How many border provinces each side must have; the Vietnamese text states "10 tỉnh".
EXPECTED_PROVINCES_PER_SIDE = 10


# --- the Vietnamese border sentence --------------------------------------------------------

#: The border sentence's cue words, in this order on one line. Each is searched from where the
#: one before ended, so a line is read once: one pattern ``biên giới.*Lào.*dài`` retried the
#: rest of the line after every "Lào" (quadratic: a 331 kB line of "Lào" took two minutes).
_BORDER_CUE_WORDS = tuple(re.compile(word, re.IGNORECASE)
                          for word in ("biên giới", "Lào", r"\bdài\b"))
_LENGTH = re.compile(
    r"dài\s+(?:khoảng|gần|hơn|trên)?\s*(?P<figure>\d(?:[\d.,]|\s(?=\d))*)\s*km", re.IGNORECASE)
#: A count starts where its digits do (``(?<!\d)``): else every digit of a long number is a new
#: start read to the number's end (quadratic); the first match is the same.
_VN_LIST = re.compile(
    r"(?<!\d)(?P<count>\d+)\s+tỉnh\s+(?:của|phía)\s+Việt\s+Nam\s+(?:là|gồm)\s*:?\s*(?P<list>[^;]+)",
    re.IGNORECASE,
)
_LA_LIST = re.compile(
    r"(?<!\d)(?P<count>\d+)\s+tỉnh\s+(?:của|phía)\s+Lào\s+(?:là|gồm)\s*:?\s*(?P<list>[^;]+?)\s*\.?\s*$",
    re.IGNORECASE,
)


_MAX_COUNT_DIGITS = 6

#: A stated length is a rounded figure for the line the measured data draws; outside these
#: factors of the measured length it is a typo or another quantity, not this land border.
STATED_LENGTH_MIN_RATIO = 0.5
STATED_LENGTH_MAX_RATIO = 2.0

#: Thousands in groups of three after a first group of 1-3 digits, one separator throughout;
#: then an optional decimal mark (the other sign) with 1-2 digits.
_GROUPED_NUMBER = re.compile(
    r"(?P<int>[1-9]\d{0,2}(?P<sep>[., ])\d{3}(?:(?P=sep)\d{3})*)(?:(?!(?P=sep))[.,](?P<dec>\d{1,2}))?")
_PLAIN_NUMBER = re.compile(r"(?P<int>0|[1-9]\d*)(?:[.,](?P<dec>\d{1,2}))?")


def parse_vietnamese_number(figure: str) -> float | None:
    """A figure as the Vietnamese text writes it, or None when it fits no reading.

    Vietnamese convention: ``.`` (or a space) groups thousands and ``,`` is the decimal mark
    (``2.340`` is 2340, ``2.340,5`` is 2340.5, ``2,5`` is 2.5). A copy edited in English
    convention is read the same (``2,340`` is 2340, ``2,340.5`` is 2340.5). The ambiguity rule:
    a separator followed by exactly three digits groups thousands, one followed by 1-2 digits
    is the decimal mark; anything else (``2.3400``, ``2.340.5``, ``2.340,500``, mixed group
    separators) is None, as is a figure too long to be finite.
    """
    match = _GROUPED_NUMBER.fullmatch(figure) or _PLAIN_NUMBER.fullmatch(figure)
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group("int"))
    value = float(f"{digits}.{match.group('dec') or '0'}")
    return value if math.isfinite(value) else None


def _plain_km(value: float, decimals: int = 2) -> str:
    """A length without grouping (neither convention's separators can be misread)."""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_stated_length(statement: BorderStatement, measured_km: float) -> None:
    """Refuse a stated length implausibly far from *measured_km*, the measured border's length.

    Plausible is :data:`STATED_LENGTH_MIN_RATIO` to :data:`STATED_LENGTH_MAX_RATIO` times the
    measured length (a NaN or zero measure refuses every figure). The text's figure is only
    quoted beside the measured ones, but one this far off (a slip of a separator,
    "999.999.999.999 km", a sea border) is a wrong input, not a different survey.
    """
    low = STATED_LENGTH_MIN_RATIO * measured_km
    high = STATED_LENGTH_MAX_RATIO * measured_km
    if low <= statement.length_km <= high:
        return
    where = f"{statement.provenance.file}:{statement.provenance.line}"
    msg = (f"The border length stated in {where} ({statement.length_text!r}, read as "
           f"{_plain_km(statement.length_km)} km) is not within {STATED_LENGTH_MIN_RATIO:g}-"
           f"{STATED_LENGTH_MAX_RATIO:g} times the measured {_plain_km(measured_km, 1)} km "
           f"({_plain_km(low, 0)}-{_plain_km(high, 0)} km); correct the figure in the "
           "text.")
    raise ExtractError(msg)


def _stated_length(length: re.Match[str], seed: SeedText, line: int) -> float:
    value = parse_vietnamese_number(length.group("figure"))
    if value is None:
        msg = (f"The border length {length.group('figure')!r} km in {seed.path}:{line} is not a "
               "number: write thousands with '.' and 1-2 decimals after ',' (2.340 or 2.340,5 "
               "km; the English 2,340 or 2,340.5 is read the same).")
        raise ExtractError(msg)
    if value == 0:
        msg = (f"The border length stated in {seed.path}:{line} ({length.group(0)!r}) is 0 km; "
               "a land border has a length, correct the figure.")
        raise ExtractError(msg)
    return value


def has_border_cue(text: str) -> bool:
    """Whether *text* (one line, canonical spacing) says "biên giới", then "Lào", then "dài"."""
    position = 0
    for word in _BORDER_CUE_WORDS:
        found = word.search(text, position)
        if found is None:
            return False
        position = found.end()
    return True


def find_border_statement(seed: SeedText) -> BorderStatement:
    """Find the sentence giving the border length and the two lists of border provinces.

    Every pattern here reads text of canonical spacing (no run of two spaces), which keeps
    their whitespace steps single; the Lao list, which runs to the end of the line without a
    ';', is searched only after the line's last ';' (the same first match, without retrying
    the line's rest from each earlier "N tỉnh phía Lào là").
    """
    candidates = [(n, line) for n, line in seed.numbered()
                  if has_border_cue(canonical_spacing(line))]
    for number, line in candidates:
        text = canonical_spacing(line)
        length = _LENGTH.search(text)
        vn = _VN_LIST.search(text)
        la = _LA_LIST.search(text, text.rfind(";") + 1)
        if not (length and vn and la):
            continue
        provenance = Provenance(seed.path, number, line.strip())
        vietnamese = _province_list(vn, VIETNAM.code, VIETNAM.adjective_en, seed, number, provenance)
        lao = _province_list(la, LAOS.code, LAOS.adjective_en, seed, number, provenance)
        return BorderStatement(
            length_km=_stated_length(length, seed, number),
            length_text=length.group(0),
            vietnamese=vietnamese,
            lao=lao,
            provenance=provenance,
        )
    where = f"{seed.path}:{candidates[0][0]}" if candidates else seed.path
    msg = (f"No border sentence in {where}: expected a sentence like 'Đường biên giới giữa "
           "Việt Nam và Lào dài khoảng N km, … N tỉnh của Việt Nam là: …; … N tỉnh phía Lào "
           "là: …'.")
    raise ExtractError(msg)


def _province_list(
    match: re.Match[str], country: str, adjective: str, seed: SeedText, line: int,
    provenance: Provenance,
) -> tuple[ProvinceMention, ...]:
    names = split_list(match.group("list"))
    count = match.group("count")
    # int() refuses more than 4,300 digits; a count of provinces has a few
    stated = int(count) if len(count) <= _MAX_COUNT_DIGITS else -1
    said = str(stated) if stated >= 0 else f"a number of {len(count):,} digits"
    for name in names:
        reject_markup(name, seed, line, f"{adjective} province")
    if len(names) != stated or stated != EXPECTED_PROVINCES_PER_SIDE:
        msg = (f"The {adjective} border provinces in {seed.path}:{line} are a list of "
               f"{len(names)} (the text says {said}; {EXPECTED_PROVINCES_PER_SIDE} expected): "
               f"{', '.join(names)}.")
        raise ExtractError(msg)
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key in seen:
            msg = (f"The {adjective} province {name!r} is listed twice in {seed.path}:{line}.")
            raise ExtractError(msg)
        seen[key] = name
    return tuple(ProvinceMention(country, name, provenance) for name in names)


# --- relations established ----------------------------------------------------------------

_ESTABLISHED_EN = re.compile(
    r"established\s+diplomatic\s+relation(?:s|ship)?\s+with\s+\w+\s+in\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
#: The Vietnamese phrase, then the first "ngày d/m/yyyy" after it: two searches, where one
#: pattern ``phrase.*?ngày …`` read the rest of the line again after every phrase with no
#: date behind it (quadratic).
_ESTABLISHED_VI_PHRASE = re.compile(r"thiết\s+lập\s+quan\s+hệ\s+ngoại\s+giao", re.IGNORECASE)
_ESTABLISHED_VI_DATE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<year>\d{4})", re.IGNORECASE)


def established_en(text: str) -> tuple[dict[str, str], str] | None:
    """(parts, phrase as written) of the English statement in *text*, or None."""
    match = _ESTABLISHED_EN.search(text)
    return (match.groupdict(), match.group(0)) if match else None


def established_vi(text: str) -> tuple[dict[str, str], str] | None:
    """(parts, phrase as written: from the phrase to its date) of the Vietnamese statement."""
    phrase = _ESTABLISHED_VI_PHRASE.search(text)
    day = _ESTABLISHED_VI_DATE.search(text, phrase.end()) if phrase else None
    if phrase is None or day is None:
        return None
    return day.groupdict(), text[phrase.start():day.end()]


def find_established(seeds: SeedSet) -> tuple[Established, ...]:
    """The year relations were established, from each text that states it (at least one)."""
    found: list[Established] = []
    for seed, finder in ((seeds.english, established_en), (seeds.vietnamese, established_vi)):
        for number, line in seed.numbered():
            statement = finder(canonical_spacing(line))
            if statement is None:
                continue
            groups, phrase = statement
            date = None
            if groups.get("d"):
                date = f"{int(groups['year']):04d}-{int(groups['m']):02d}-{int(groups['d']):02d}"
            quote = _sentence_around(line.strip(), phrase)
            found.append(Established(int(groups["year"]), date,
                                     Provenance(seed.path, number, quote)))
            break
    if not found:
        msg = (f"Neither {seeds.english.path} nor {seeds.vietnamese.path} says when diplomatic "
               "relations were established (e.g. 'established diplomatic relationship with Laos "
               "in 1962').")
        raise ExtractError(msg)
    return tuple(found)


def _sentence_around(line: str, fragment: str) -> str:
    """The sentence of *line* that holds *fragment* (whole line when it cannot be cut)."""
    sentences = re.split(r"(?<=[.!?])\s+", line)
    key = canonical_spacing(fragment)[:20]
    for sentence in sentences:
        if key in canonical_spacing(sentence):
            return sentence
    return line


#: Dated sentences (events) one text may give: a real article gives a few tens (29 at most);
#: each costs the build a comparison with every event of the other text, and the page a row.
MAX_EVENTS_PER_TEXT = 500


def find_events(seed: SeedText, language: str) -> tuple[Event, ...]:
    """Every sentence of *seed* that holds a date or a period (headings and infobox lines
    hold none), each with its dates and with the phrases that only look like dates.

    A sentence dating two happenings gives two events (:func:`laovn_map.build.clauses.statements`).
    Stops at the first statement past :data:`MAX_EVENTS_PER_TEXT`, so a text of many dated
    sentences is refused before anything else is done with them."""
    events: list[Event] = []
    for number, line in seed.numbered():
        for index, sentence in enumerate(sentences(line)):
            for part, statement in enumerate(statements(sentence, list(find_dates(sentence)))):
                if len(events) == MAX_EVENTS_PER_TEXT:
                    raise too_many(seed, number, "dated statements", MAX_EVENTS_PER_TEXT)
                suffix = f".{part + 1}" if part else ""
                events.append(Event(
                    f"{language}-{number:03d}-{index}{suffix}", language,
                    tuple(f for f in statement.dates if isinstance(f, Span)),
                    tuple(f for f in statement.dates if isinstance(f, DateProblem)),
                    Provenance(seed.path, number, sentence),
                    (statement.start, statement.end), statement.dated_from, statement.where))
    return tuple(events)


def extract(seeds: SeedSet) -> SeedRecords:
    """All records the build needs from the two texts."""
    border = find_border_statement(seeds.vietnamese)
    missions = find_missions(seeds.english)
    established = find_established(seeds)
    events = find_events(seeds.english, "en") + find_events(seeds.vietnamese, "vi")
    return SeedRecords(border=border, missions=missions, established=established, events=events)
