"""The events of both texts with the places they name, and the links between the English and the
Vietnamese statement of one event (linked by a shared id, never merged: each keeps its quote).

**The date of an event** (a statement: a sentence dating two happenings is two, see
:mod:`laovn_map.build.clauses`) is its first date, or a later, more precise one inside it
(:func:`laovn_map.build.dates.main_date`); its other dates are kept in ``dates``. An open date
("since 1975") runs to the **horizon**, the last day any closed date of the texts reaches
(:func:`laovn_map.build.dates.until`).

**Places** are found by :mod:`laovn_map.build.places`, outside the sentence's dates (the ``July`` of
"In July 1977" is no place), within the statement's reach. A place is *dated* when it is at or
after the start of the clause of the statement's date (``date_rule`` says so), else only
*mentioned*: it is listed, gets no point, and does not link.

**Links.** An English and a Vietnamese event are statements of one event when

1. a date of one overlaps a date of the other, both of day, month or year precision (a decade or
   a century overlaps too much to say so), and
2. they date the same place (one with a point), or their stated parts share at least
   :data:`MIN_SHARED_CONCEPTS` of the concepts of :data:`CONCEPTS` (each written in English
   and in Vietnamese: "treaty" / "hiệp ước", "friendship" / "hữu nghị" …).

So "Vietnam established diplomatic relationship with Laos in 1962" and "… chính thức thiết lập
quan hệ ngoại giao … ngày 5/9/1962" share the date and two concepts (diplomatic, establish), and
"In July 1977, Laos and Vietnam signed a 25-year Treaty of Friendship" and "… kí hiệp ước 25 năm
hữu nghị và hợp tác vào năm 1977" three; "… kỷ niệm 15 năm thực hiện hiệp ước năm 1977" (the
treaty's anniversary in 1992) shares the date and only one. Linked statements form groups (a
statement linked to two others joins them); a group's id is its members' ids joined by ``+``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import product

from laovn_map.build.dates import DateProblem, Span, main_date, until
from laovn_map.build.places import PlaceMention, Vocabulary, find_places
from laovn_map.build.records import Event
from laovn_map.errors import ExtractError

#: Two statements sharing this many concepts (and a date) are one event.
MIN_SHARED_CONCEPTS = 2
#: Precisions fine enough for two overlapping dates to be one date.
LINKABLE_PRECISIONS = ("day", "month", "year")

#: (concept, English words as regular expressions, Vietnamese words): what two statements of
#: one event say alike. Matched as whole words, ignoring case.
CONCEPTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("diplomatic", (r"diplomat\w*",), ("ngoại giao",)),
    ("establish", (r"establish\w*", r"found(?:ed|ing)"), ("thiết lập", "thành lập", "ra đời")),
    ("treaty", (r"treat(?:y|ies)", r"agreements?", r"accords?"), ("hiệp ước", "hiệp định")),
    ("friendship", (r"friendship",), ("hữu nghị",)),
    ("cooperation", (r"co-?operat\w*",), ("hợp tác",)),
    ("commission", (r"commissions?", r"committees?"), ("ủy ban", "uỷ ban")),
    ("party", (r"part(?:y|ies)",), ("đảng",)),
    ("communist", (r"communis[tm]\w*",), ("cộng sản",)),
    ("republic", (r"republics?",), ("cộng hòa", "cộng hoà")),
    ("sign", (r"sign(?:s|ed|ing)?",), ("ký", "kí")),
    ("border", (r"borders?", r"frontiers?"), ("biên giới",)),
    ("investment", (r"invest\w*",), ("đầu tư",)),
    ("trade", (r"trad(?:e|es|ing)",), ("thương mại",)),
    ("troops", (r"troops?", r"soldiers?", r"military", r"arm(?:y|ies)"), ("quân", "bộ đội")),
    ("aid", (r"aid", r"assistance"), ("viện trợ", "trợ giúp")),
    ("war", (r"wars?", r"conflicts?"), ("chiến tranh", "xung đột")),
)
_CONCEPT_PATTERNS = {
    language: tuple((concept, re.compile(r"(?<!\w)(?:" + "|".join(
        forms if language == "en" else map(re.escape, forms_vi)) + r")(?!\w)", re.IGNORECASE))
        for concept, forms, forms_vi in CONCEPTS)
    for language in ("en", "vi")
}


@dataclass(frozen=True)
class LocatedEvent:
    """An event with its date, the places its statement names and its link (``""``: none);
    ``horizon`` is where an open date ends on the timeline."""

    event: Event
    date: Span | None
    places: tuple[PlaceMention, ...]
    link_id: str = ""
    horizon: str = ""

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def timeline_date(self) -> Span | None:
        """The date as the timeline draws it (an open one run to the horizon)."""
        return until(self.date, self.horizon) if self.date else None

    def drawn(self, span: Span) -> Span:
        """Any date of the event as the timeline draws it."""
        return until(span, self.horizon)


def date_positions(sentence: str, found: Iterable[Span | DateProblem],
                   position: int = 0) -> list[tuple[int, int]]:
    """Where each date (or date-like phrase) of *sentence* is, in order, from *position*."""
    spans = []
    for item in found:
        start = sentence.find(item.text, position)
        if start >= 0:
            spans.append((start, start + len(item.text)))
            position = start + len(item.text)
    return spans


#: Places the events of both texts may name together: the real texts name a few tens (18);
#: each named place with a point is a feature of the events layer.
MAX_PLACES = 2_000


def _dating(event: Event, mentions: Iterable[PlaceMention]) -> list[PlaceMention]:
    """The mentions within the event's reach, each dated or mentioned by its position."""
    start, end = event.reach or (0, len(event.provenance.quote))
    out = []
    for mention in mentions:
        if not start <= mention.at < end:
            continue
        dated = mention.at >= event.dated_from
        rule = ("dated: in or after the clause of the statement's date" if dated else
                "mentioned: in a clause before the statement's date, which is not its date")
        out.append(replace(mention, dated=dated, date_rule=rule))
    return out


def horizon(events: Iterable[Event]) -> str:
    """The last day a closed date of *events* reaches ('' when none does)."""
    return max((d.end for e in events for d in e.dates if not d.open_end), default="")


def locate(events: Iterable[Event], vocab: Vocabulary) -> tuple[LocatedEvent, ...]:
    """Each event with its date and the places of its statement; refused past
    :data:`MAX_PLACES` places in all, at the sentence that passes it."""
    events = tuple(events)
    last = horizon(events)
    out = []
    named = 0
    for event in events:
        quote = event.provenance.quote
        start = (event.reach or (0, 0))[0]
        skip = list(event.written_at) or date_positions(
            quote, sorted([*event.dates, *event.problems], key=lambda d: quote.find(d.text, start)),
            start)
        found = _dating(event, find_places(quote, vocab, skip))
        named += len(found)
        if named > MAX_PLACES:
            raise ExtractError(f"{event.provenance.file}:{event.provenance.line} brings the places "
                               f"the dated sentences name past {MAX_PLACES:,}, more than source "
                               "articles hold; is it the right file?")
        out.append(LocatedEvent(event, main_date(event.dates), tuple(found), horizon=last))
    return tuple(out)


def concepts(sentence: str, language: str) -> frozenset[str]:
    """The concepts of :data:`CONCEPTS` that *sentence* (in *language*) names."""
    return frozenset(concept for concept, pattern in _CONCEPT_PATTERNS[language]
                     if pattern.search(sentence))


def _overlap(a: Span, b: Span) -> bool:
    return (a.precision in LINKABLE_PRECISIONS and b.precision in LINKABLE_PRECISIONS
            and a.start <= b.end and b.start <= a.end)


def _point_places(event: LocatedEvent) -> set[str]:
    return {place.id for mention in event.places if mention.dated for place in mention.points}


def same_event(english: LocatedEvent, vietnamese: LocatedEvent) -> bool:
    """Whether two statements, one per text, are of one event (see the module's docstring)."""
    if not any(_overlap(a, b) for a, b in product(english.event.dates, vietnamese.event.dates)):
        return False
    if _point_places(english) & _point_places(vietnamese):
        return True
    shared = (concepts(english.event.stated, english.event.language)
              & concepts(vietnamese.event.stated, vietnamese.event.language))
    return len(shared) >= MIN_SHARED_CONCEPTS


def link(events: Sequence[LocatedEvent]) -> tuple[LocatedEvent, ...]:
    """*events* with the id of their group of linked statements (in the same order)."""
    group = {e.id: e.id for e in events}

    def root(key: str) -> str:
        while group[key] != key:
            key = group[key]
        return key

    english = [e for e in events if e.event.language == "en"]
    vietnamese = [e for e in events if e.event.language == "vi"]
    for en, vi in product(english, vietnamese):
        if same_event(en, vi):
            group[root(vi.id)] = root(en.id)
    members: dict[str, list[str]] = {}
    for event in events:
        members.setdefault(root(event.id), []).append(event.id)
    ids = {key: "+".join(sorted(ms)) if len(ms) > 1 else "" for key, ms in members.items()}
    return tuple(replace(e, link_id=ids[root(e.id)]) for e in events)
