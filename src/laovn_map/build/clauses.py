"""A dated sentence cut into clauses, its dates grouped into statements, and the part of each
statement its date dates: a small grammar of the texts' sentences, linear in their length.

Why: a sentence may date two happenings ("… was established on 28 June 1951, which will later
come to power on 7 January 1979"), and a place it names may belong to an undated clause ("Sau
khi Việt Nam giải phóng Sài Gòn …, … giải phóng được Viên Chăn tháng 12/1975": the date is
Vientiane's, not Saigon's).

**Clauses.** A sentence is cut after ``,`` ``;`` ``:`` and before ``which``, ``who``,
``whom``, ``whose`` (never inside a date: "June 28, 1951").

**Statements.** The sentence's first date opens its first statement. A later date opens a
statement of its own when it is in a later clause than the statement's last date, lies outside
its first date, and is *introduced* as a time: after a word of time (:data:`TIME_WORDS`: ``on``,
``in``, ``vào``, ``từ`` …), with a qualifier of its own ("since 1975"), or at the start of its
clause. Otherwise it is another date of the statement it follows: a finer date inside the first
("In 1951, … on 28 June 1951"), or a date naming another event the sentence refers to ("kỷ
niệm 15 năm thực hiện hiệp ước năm 1977": the treaty of 1977).

**Reach.** The first statement reaches from the sentence's start, a later one from the start of
the clause of its first date; each reaches to the next one's start (the last to the sentence's
end). Its date *dates* the places from the start of the clause of its first date to its end: a
place in an earlier clause of the statement is *mentioned*, not dated.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from laovn_map.build.dates import DateProblem, Span

#: Words right before a date that make it the time of a happening (English, Vietnamese).
TIME_WORDS = ("on", "in", "at", "since", "from", "until", "during", "throughout", "by",
              "vào", "từ", "kể từ", "tới", "đến", "trong", "cho tới", "cho đến")
#: How far before a date a word of time is looked for: the longest word and its spaces.
_TIME_WINDOW = max(map(len, TIME_WORDS)) + 4
_TIME_BEFORE = re.compile(r"(?:^|(?<=\W))(?:" + "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(TIME_WORDS, key=len, reverse=True))
    + r")\s+$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:]\s+|(?<=\s)(?=(?:which|who|whom|whose)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    """The dates of one happening of a sentence (its first date first) and where each is
    written (``where``), where the statement reaches (``start``, ``end``: offsets in the
    sentence) and where its date starts dating places (``dated_from``)."""

    dates: tuple[Span | DateProblem, ...]
    where: tuple[tuple[int, int], ...]
    start: int
    end: int
    dated_from: int


def positions(sentence: str, found: Sequence[Span | DateProblem]) -> list[tuple[int, int]]:
    """Where each of *found* (the dates of *sentence*, in order) is written."""
    out = []
    position = 0
    for item in found:
        start = sentence.find(item.text, position)
        start = start if start >= 0 else position
        out.append((start, start + len(item.text)))
        position = start + len(item.text)
    return out


def clause_starts(sentence: str, dates: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Where each clause of *sentence* starts (0 first), outside the *dates* spans."""
    spans = sorted(dates)
    starts = [0]
    index = 0
    for match in _CLAUSE_END.finditer(sentence):
        cut = match.end()
        while index < len(spans) and spans[index][1] <= match.start():
            index += 1
        if index < len(spans) and spans[index][0] <= match.start() < spans[index][1]:
            continue
        if cut > starts[-1]:
            starts.append(cut)
    return starts


def _introduced(sentence: str, item: Span | DateProblem, at: int, clause: int) -> bool:
    if isinstance(item, Span) and item.qualifier:
        return True
    before = at
    while before > clause and sentence[before - 1].isspace():  # each space read for one date
        before -= 1
    if before == clause:  # the date opens its clause
        return True
    return _TIME_BEFORE.search(sentence[max(0, at - _TIME_WINDOW):at]) is not None


def statements(sentence: str, found: Sequence[Span | DateProblem]) -> list[Statement]:
    """The statements of *sentence* whose dates are *found* (in order); [] without any."""
    if not found:
        return []
    where = positions(sentence, found)
    starts = clause_starts(sentence, where)

    def clause_of(position: int) -> int:
        return starts[bisect_right(starts, position) - 1]

    groups: list[list[int]] = [[0]]
    for index in range(1, len(found)):
        item, (at, _end) = found[index], where[index]
        first = found[groups[-1][0]]
        clause = clause_of(at)
        inside = (isinstance(first, Span) and isinstance(item, Span)
                  and first.start <= item.start and item.end <= first.end)
        if (clause > clause_of(where[groups[-1][-1]][0]) and not inside
                and _introduced(sentence, item, at, clause)):
            groups.append([index])
        else:
            groups[-1].append(index)
    out = []
    for number, group in enumerate(groups):
        dated_from = clause_of(where[group[0]][0])
        start = 0 if number == 0 else dated_from
        end = clause_of(where[groups[number + 1][0]][0]) if number + 1 < len(groups) else len(sentence)
        out.append(Statement(tuple(found[i] for i in group), tuple(where[i] for i in group),
                             start, end, dated_from))
    return out
