"""The eras of the timeline, taken from the texts' own headings: a subsection heading
(``===Modern era===``, level 3 or deeper) whose section dates something is an era, named in the
text's words. Its bounds come from the statements, never typed in: an era starts where the
first statement of its section in reading order starts (the first era also takes in anything
earlier) and runs to the day before the next era starts; the last runs to the latest end of
any statement. Pure: seed lines and dated statements in, eras with their provenance out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from laovn_map.build.seeds import SeedText

#: A wiki heading as the seeds keep it: as many "=" on each side as its level.
_HEADING = re.compile(r"(={2,6})\s*([^=].*?)\s*\1")
#: The shallowest level that is a subsection (level 2, ``==History==``, is a whole section).
ERA_LEVEL = 3


@dataclass(frozen=True)
class Heading:
    file: str
    line: int
    level: int
    words: str


@dataclass(frozen=True)
class Dated:
    """A dated statement as this stage needs it: where it is (file, line, offset of its part
    in the sentence) and its span on the timeline (ISO dates)."""

    file: str
    line: int
    at: int
    start: str
    end: str


@dataclass(frozen=True)
class Era:
    """An era: the heading's words, where they are, and its first and last day (ISO)."""

    words: str
    file: str
    line: int
    start: str
    end: str

    @property
    def id(self) -> str:
        """``<file stem>-<line>``: stable while the text is."""
        stem = self.file.rsplit("/", 1)[-1].split(".", 1)[0]
        return f"{stem}-{self.line:03d}"


def headings(seed: SeedText) -> tuple[Heading, ...]:
    """Every wiki heading of *seed* (``==History==``, ``===Modern era===``), in order."""
    found = []
    for number, text in seed.numbered():
        match = _HEADING.fullmatch(text.strip())
        if match:
            found.append(Heading(seed.path, number, len(match.group(1)), match.group(2)))
    return tuple(found)


def _section_end(heading: Heading, following: Sequence[Heading], last_line: int) -> int:
    """The last line of *heading*'s section: before the next heading of its level or above."""
    return next((h.line - 1 for h in following if h.level <= heading.level), last_line)


def _day_before(iso: str) -> str:
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


def eras(seeds: Sequence[SeedText], dated: Sequence[Dated]) -> tuple[Era, ...]:
    """The eras of *seeds*' subsection headings whose sections date something, in date
    order, contiguous from the earliest statement of *dated* to the latest end."""
    opened: list[tuple[str, Heading]] = []
    for seed in seeds:
        found = headings(seed)
        for i, heading in enumerate(found):
            if heading.level < ERA_LEVEL:
                continue
            last = _section_end(heading, found[i + 1:], len(seed.lines))
            inside = [d for d in dated
                      if d.file == seed.path and heading.line < d.line <= last]
            if inside:
                first = min(inside, key=lambda d: (d.line, d.at))
                opened.append((first.start, heading))
    if not opened:
        return ()
    opened.sort(key=lambda pair: (pair[0], pair[1].file, pair[1].line))
    # two headings opening on one day: the first is the era, the other adds no bound
    opened = [pair for i, pair in enumerate(opened) if i == 0 or pair[0] != opened[i - 1][0]]
    earliest = min(d.start for d in dated)
    latest = max(d.end for d in dated)
    starts = [min(opened[0][0], earliest)] + [start for start, _ in opened[1:]]
    ends = [_day_before(start) for start in starts[1:]] + [latest]
    return tuple(Era(h.words, h.file, h.line, start, end)
                 for (_, h), start, end in zip(opened, starts, ends, strict=True))
