"""What the build reads from the two texts, as typed records, each with its provenance.

The readers (``extract``, ``missions``) make them; the later stages (``gazetteer``, ``events``,
``features``) take them. Records only: no parsing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from laovn_map.build.dates import DateProblem, Span
from laovn_map.catalog import VIETNAM


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

    A sentence dating two happenings is two events (:mod:`laovn_map.build.clauses`), each
    quoting the whole sentence: ``reach`` is the part of the quote it states (offsets; None:
    all of it) and ``dated_from`` where its date starts dating places. ``dates`` are the
    statement's dates in order; ``problems`` the date-like phrases of it that cannot be dates
    (31/2/1977, a two-digit year), which the build reports.
    """

    #: "<language>-<line>-<sentence>" for a sentence's first statement, ".<n>" added for its
    #: n-th (from 2): stable while the text is
    id: str
    language: str
    dates: tuple[Span, ...]
    problems: tuple[DateProblem, ...]
    provenance: Provenance
    reach: tuple[int, int] | None = None
    dated_from: int = 0
    #: where each of its dates and problems is written in the quote (empty: not known)
    written_at: tuple[tuple[int, int], ...] = ()

    @property
    def stated(self) -> str:
        """The part of the quote this statement states."""
        start, end = self.reach or (0, len(self.provenance.quote))
        return self.provenance.quote[start:end]


@dataclass(frozen=True)
class SeedRecords:
    """Everything the build takes from the two texts."""

    border: BorderStatement
    missions: tuple[Mission, ...]
    established: tuple[Established, ...]
    events: tuple[Event, ...] = ()
