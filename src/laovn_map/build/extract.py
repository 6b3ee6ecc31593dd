"""Turn the seed texts into typed records: border provinces, border length, missions, envoys.

Nothing here knows the answers: the provinces, figures and missions are whatever the text says,
found by the shape of its sentences (the Vietnamese border sentence, the English "Diplomatic
missions" section and infobox). The parsing tolerates the accidents of a copy (any dash, extra
spaces, NFD, reordered lists) and stops with an :class:`ExtractError` naming the file, the line
and what was missing when the shape is not there. Every record carries its provenance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from laovn_map.build.dates import DateProblem, Span, find_dates
from laovn_map.build.seeds import SeedSet, SeedText
from laovn_map.catalog import CONSULATE, COUNTRIES, EMBASSY, LAOS, VIETNAM, other_party
from laovn_map.errors import ExtractError

#: How many border provinces each side must have; the Vietnamese text states "10 tỉnh".
EXPECTED_PROVINCES_PER_SIDE = 10

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_DASH_CLASS = f"[{re.escape(_DASHES)}]"
_MARKUP = re.compile(r"<[^>]*>|[<>]")


@dataclass(frozen=True)
class Provenance:
    """Where a record comes from: the seed file, its line and the exact sentence quoted."""

    file: str
    line: int
    quote: str


@dataclass(frozen=True)
class ProvinceMention:
    """A border province as the text names it (``country`` is ``VN`` or ``LA``)."""

    country: str
    name: str
    provenance: Provenance


@dataclass(frozen=True)
class BorderStatement:
    """The Vietnamese text's sentence on the border: its stated length and both lists."""

    length_km: float
    length_text: str
    vietnamese: tuple[ProvinceMention, ...]
    lao: tuple[ProvinceMention, ...]
    provenance: Provenance

    def side(self, code: str) -> tuple[ProvinceMention, ...]:
        """The provinces of party *code* (``VN``/``LA``)."""
        return self.vietnamese if code == VIETNAM.code else self.lao


@dataclass(frozen=True)
class Envoy:
    """An ambassador from the infobox (``EnvoyN`` with its ``EnvoytitleN``)."""

    title: str
    name: str
    sending_country: str
    provenance: Provenance


@dataclass(frozen=True)
class Mission:
    """An embassy or consulate of one country in a city of the other."""

    sending_country: str
    host_country: str
    city: str
    kind: str  # "embassy" or "consulate"
    provenance: Provenance
    infobox: Provenance | None = None
    envoy: Envoy | None = None

    @property
    def slug(self) -> str:
        city = re.sub(r"[^a-z0-9]+", "-", self.city.casefold()).strip("-")
        return f"{self.sending_country.lower()}-{self.kind}-{city}"


@dataclass(frozen=True)
class Established:
    """When diplomatic relations were established, as one text states it."""

    year: int
    date_iso: str | None  # only when the text gives day and month
    provenance: Provenance


@dataclass(frozen=True)
class Event:
    """A sentence of a text that carries a date or a period: what the timeline shows.

    ``dates`` are every date of the sentence in order; ``problems`` the date-like phrases of it
    that cannot be dates (31/2/1977, a two-digit year), which the build reports.
    """

    id: str  # "<language>-<line>-<sentence>", stable while the text is
    language: str
    dates: tuple[Span, ...]
    problems: tuple[DateProblem, ...]
    provenance: Provenance


@dataclass(frozen=True)
class SeedRecords:
    """Everything the build takes from the two texts."""

    border: BorderStatement
    missions: tuple[Mission, ...]
    established: tuple[Established, ...]
    events: tuple[Event, ...] = ()


# --- shared text helpers -------------------------------------------------------------------

def canonical_spacing(text: str) -> str:
    """Collapse runs of whitespace and make every dash an ASCII hyphen, for matching only."""
    text = re.sub(_DASH_CLASS, "-", text)
    return re.sub(r"\s+", " ", text).strip()


def canonical_name(raw: str) -> str:
    """A name as recorded: single spaces, dashes unified (``Thừa Thiên – Huế`` → ``Thừa Thiên - Huế``)."""
    name = canonical_spacing(raw)
    name = re.sub(r"\s*-\s*", lambda m: " - " if " " in m.group() else "-", name)
    return name.strip(" .;:")


def _reject_markup(name: str, seed: SeedText, line: int, what: str) -> None:
    if _MARKUP.search(name):
        msg = (f"{what} {name!r} ({seed.path}:{line}) contains markup; the seeds are plain text, "
               "remove the tags.")
        raise ExtractError(msg)


def split_list(text: str) -> list[str]:
    """Split "A, B, C và D" / "A, B and C" into names; dashes inside names are kept."""
    parts = re.split(r"\s*,\s*|\s*;\s*|\s+(?:và|and)\s+", text)
    return [p for p in (canonical_name(part) for part in parts) if p]


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
        _reject_markup(name, seed, line, f"{adjective} province")
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


# --- the English missions section and infobox ------------------------------------------------

# These read raw lines (any run of spaces). A lazy part followed by spaces and an anchored end
# (``(?P<body>.*?)\s*$``) tries the end at every character, reading each run of spaces again
# (quadratic; cubic for a heading's ``=+`` and a subheading's ``\s*:?\s*``): a part ends at
# its last non-space instead (``(?:.*\S)?``), and the two headings are read by functions.
_BULLET = re.compile(rf"^\s*(?:[*•]|{_DASH_CLASS})\s*(?P<body>(?:.*\S)?)\s*$")
_MISSION_ITEM = re.compile(r"^(?P<city>[^()]+?)\s*\((?P<kind>[^()]+)\)$")
_INFOBOX_FIELD = re.compile(
    rf"^\s*(?:(?:[*•]|{_DASH_CLASS})\s*)?(?P<key>[A-Za-z]+)(?P<n>\d*)\s*:\s*(?P<value>(?:.*\S)?)\s*$")
_OF = re.compile(r"Of\s", re.IGNORECASE)


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


def subheading_country(line: str) -> str | None:
    """The country of a missions subheading ``;Of Vietnam:`` (``Of`` and the colon optional),
    or None when *line* is not one. The name is at least one character: a subheading of
    spaces names a space (and the caller refuses it)."""
    text = line.lstrip()
    if not text.startswith(";"):
        return None
    after_mark = text[1:]
    rest = after_mark.lstrip()
    if _OF.match(rest):
        name = rest[2:].lstrip()
        if name:
            return _name_before_colon(name)
        if len(rest) - 2 >= 2:  # ";Of" and spaces: the last space is the name
            return rest[-1]
    if rest:
        return _name_before_colon(rest)
    return after_mark[-1] if after_mark else None


def _name_before_colon(text: str) -> str:
    """*text* without its end of spaces, an optional colon and spaces (one character at least)."""
    name = text.rstrip()
    if name.endswith(":"):
        name = name[:-1].rstrip()
    return name or text[:1]
_INFOBOX_MISSION = re.compile(r"^(?P<kind>Embassy|Consulate(?:[- ]General)?)\s+of\s+"
                              r"(?P<country>.+?)\s*,\s*(?P<city>.+)$", re.IGNORECASE)
_ENVOY_TITLE = re.compile(r"^(?P<sender>.+?)\s+Ambassador\s+to\s+(?P<host>.+)$", re.IGNORECASE)

def country_code(name: str) -> str | None:
    """The party a name in the text means (``Viet Nam`` → ``VN``), or None."""
    key = canonical_spacing(name).casefold()
    return next((c.code for c in COUNTRIES.values() if key in c.spellings), None)


def _mission_kind(raw: str) -> str | None:
    key = canonical_spacing(raw).casefold()
    if key == EMBASSY:
        return EMBASSY
    if key.startswith(CONSULATE):
        return CONSULATE
    return None


def find_missions(seed: SeedText) -> tuple[Mission, ...]:
    """Parse the "Diplomatic missions" section, then attach the infobox's missions and envoys."""
    section = _section_lines(seed, "diplomatic missions")
    missions: list[Mission] = []
    sender: str | None = None
    title = ""
    for number, line in section:
        if (country := subheading_country(line)) is not None:
            sender = country_code(country)
            title = line.strip()
            if sender is None:
                msg = (f"Unknown country {country!r} in the missions heading at "
                       f"{seed.path}:{number}; expected Vietnam or Laos.")
                raise ExtractError(msg)
            continue
        bullet = _BULLET.match(line)
        if not bullet:
            continue
        body = canonical_spacing(bullet.group("body"))
        item = _MISSION_ITEM.match(body)
        kind = _mission_kind(item.group("kind")) if item else None
        if sender is None or item is None or kind is None:
            why = ("it comes before any ';Of <country>' heading" if sender is None
                   else "expected '- City (Embassy)' or '- City (Consulate)'")
            msg = f"Cannot parse the mission line {seed.path}:{number} {line.strip()!r}: {why}."
            raise ExtractError(msg)
        city = canonical_name(item.group("city"))
        _reject_markup(city, seed, number, "Mission city")
        quote = f"{title}\n{line.strip()}" if title else line.strip()
        missions.append(Mission(sender, other_party(sender), city, kind,
                                Provenance(seed.path, number, quote)))
    if not missions:
        msg = (f"The 'Diplomatic missions' section of {seed.path} lists no missions "
               "(expected lines like '- Vientiane (Embassy)' under ';Of Vietnam').")
        raise ExtractError(msg)
    _reject_duplicates(missions, seed)
    return tuple(_attach_infobox(missions, seed))


def _section_lines(seed: SeedText, title: str) -> list[tuple[int, str]]:
    lines = seed.numbered()
    for index, (number, line) in enumerate(lines):
        head = heading(line)
        if head and canonical_spacing(head[1]).casefold() == title:
            level = head[0]
            body: list[tuple[int, str]] = []
            for later_number, later in lines[index + 1:]:
                nxt = heading(later)
                if nxt and nxt[0] <= level:
                    break
                body.append((later_number, later))
            del number
            return body
    msg = f"No '== {title.capitalize()} ==' section in {seed.path}."
    raise ExtractError(msg)


def _reject_duplicates(missions: list[Mission], seed: SeedText) -> None:
    seen: dict[str, Mission] = {}
    for mission in missions:
        if mission.slug in seen:
            first = seen[mission.slug].provenance.line
            msg = (f"The mission {mission.city!r} ({mission.kind}) of {mission.sending_country} "
                   f"is listed twice in {seed.path}: lines {first} and "
                   f"{mission.provenance.line}.")
            raise ExtractError(msg)
        seen[mission.slug] = mission


def _infobox_fields(seed: SeedText) -> dict[tuple[str, str], tuple[int, str, str]]:
    """``(key, n)`` → (line, value, raw line) for the ``Infobox`` block at the top."""
    fields: dict[tuple[str, str], tuple[int, str, str]] = {}
    inside = False
    for number, line in seed.numbered():
        if canonical_spacing(line).casefold() == "infobox":
            inside = True
            continue
        if not inside:
            continue
        if not line.strip():
            continue
        field = _INFOBOX_FIELD.match(line)
        if not field:
            break
        fields[(field.group("key").casefold(), field.group("n"))] = (
            number, canonical_spacing(field.group("value")), line.strip())
    return fields


def _attach_infobox(missions: list[Mission], seed: SeedText) -> list[Mission]:
    fields = _infobox_fields(seed)
    by_slug = {m.slug: m for m in missions}
    envoys: dict[str, Envoy] = {}
    for (key, n), (number, value, raw) in sorted(fields.items()):
        if key != "envoy":
            continue
        title_field = fields.get(("envoytitle", n))
        title = title_field[1] if title_field else ""
        title_match = _ENVOY_TITLE.match(title)
        sender = country_code(title_match.group("sender")) if title_match else None
        if sender is None:
            msg = (f"The infobox envoy {value!r} at {seed.path}:{number} has no title of the "
                   "form '<Country> Ambassador to <Country>'.")
            raise ExtractError(msg)
        _reject_markup(value, seed, number, "Envoy")
        lines = [title_field[2]] if title_field else []
        envoys[sender] = Envoy(title, value, sender,
                               Provenance(seed.path, number, "\n".join([*lines, raw])))
    for (key, _n), (number, value, raw) in sorted(fields.items()):
        if key != "mission":
            continue
        parsed = _INFOBOX_MISSION.match(value)
        sender = country_code(parsed.group("country")) if parsed else None
        if parsed is None or sender is None:
            msg = (f"Cannot parse the infobox mission {value!r} at {seed.path}:{number}; "
                   "expected 'Embassy of <Country>, <City>'.")
            raise ExtractError(msg)
        kind = _mission_kind(parsed.group("kind")) or EMBASSY
        probe = Mission(sender, other_party(sender), canonical_name(parsed.group("city")), kind,
                        Provenance(seed.path, number, raw))
        target = by_slug.get(probe.slug)
        if target is None:
            msg = (f"The infobox mission {value!r} at {seed.path}:{number} is not in the "
                   "'Diplomatic missions' list.")
            raise ExtractError(msg)
        envoy = envoys.get(sender) if kind == EMBASSY else None
        by_slug[probe.slug] = Mission(target.sending_country, target.host_country, target.city,
                                      target.kind, target.provenance,
                                      Provenance(seed.path, number, raw), envoy)
    return [by_slug[m.slug] for m in missions]


#: Where a sentence ends: after . ! or ? (and a closing quote, or a reference like "[5]"),
#: before a capital.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))(?:\[\d+\])?\s+(?=[A-ZĐÀ-Ỹ\"“])")


def sentences(line: str) -> list[str]:
    """The sentences of one line of a text (a line is a paragraph)."""
    return [part.strip() for part in _SENTENCE_END.split(line) if part.strip()]


#: Dated sentences (events) one text may give: a real article gives a few tens (29 at most);
#: each costs the build a comparison with every event of the other text, and the page a row.
MAX_EVENTS_PER_TEXT = 500


def too_many(seed: SeedText, line: int, what: str, limit: int) -> ExtractError:
    """The error for a text that gives more *what* than *limit*, at the *line* that passes it."""
    return ExtractError(f"{seed.path}:{line} gives more than {limit:,} {what}, more than a source "
                        "article holds; is it the right file?")


def find_events(seed: SeedText, language: str) -> tuple[Event, ...]:
    """Every sentence of *seed* that holds a date or a period (headings and infobox lines
    hold none), each with its dates and with the phrases that only look like dates.

    Stops at the first sentence past :data:`MAX_EVENTS_PER_TEXT`, so a text of many dated
    sentences is refused before anything else is done with them."""
    events: list[Event] = []
    for number, line in seed.numbered():
        for index, sentence in enumerate(sentences(line)):
            found = list(find_dates(sentence))
            if found and len(events) == MAX_EVENTS_PER_TEXT:
                raise too_many(seed, number, "dated sentences", MAX_EVENTS_PER_TEXT)
            if found:
                events.append(Event(
                    f"{language}-{number:03d}-{index}", language,
                    tuple(f for f in found if isinstance(f, Span)),
                    tuple(f for f in found if isinstance(f, DateProblem)),
                    Provenance(seed.path, number, sentence)))
    return tuple(events)


def extract(seeds: SeedSet) -> SeedRecords:
    """All records the build needs from the two texts."""
    border = find_border_statement(seeds.vietnamese)
    missions = find_missions(seeds.english)
    established = find_established(seeds)
    events = find_events(seeds.english, "en") + find_events(seeds.vietnamese, "vi")
    return SeedRecords(border=border, missions=missions, established=established, events=events)
