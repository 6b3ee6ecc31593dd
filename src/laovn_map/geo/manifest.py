"""The shape of ``manifest.json``, declared once: the build writes it through these types and
the page, the exports and the docs read it through :func:`checked`, which holds a loaded manifest
to them before anything uses it.

The manifest is both the checksum index of the layer folder and the page's data (figures, events,
the texts' own figures, official lengths). Declared as ``TypedDict``\\ s, so that mypy checks the
writer (``build/pipeline.py``) and the readers (``page/pagetext.py``, ``geo/summary.py``) against
the same keys, and :func:`checked` walks the same declarations at run time: a manifest that is
not of this shape (a hand-edited file, a figure written as a string) is refused in one line that
names the key, instead of failing later in a table the reader opens.

``figures`` is ``total=False``: a build older than a figure lacks it, and its readers say so.
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired only from evaluated
# annotations (Python 3.11), and the check below reads the same declarations at run time.
import types
import typing
from typing import Any, NotRequired, TypedDict, Union

from laovn_map.catalog import REBUILD
from laovn_map.errors import LayerError

# --- the index of the folder ----------------------------------------------------------------------


class LayerEntry(TypedDict):
    name: str
    file: str
    features: int
    sha256: str
    bytes: int


class SectionEntry(TypedDict):
    """A heading of a text: the line it is on and its title (`build.text.sections`)."""

    line: int
    title: str


class TextEntry(TypedDict):
    file: str
    language: str
    sha256: str
    bytes: int
    source_sha256: str
    # The article the text copies, from its seed's metadata file (absent from a build older
    # than those files); `revision` and `retrieved` null where not recorded.
    title: NotRequired[str]
    url: NotRequired[str]
    revision: NotRequired[int | None]
    retrieved: NotRequired[str | None]
    sections: NotRequired[list[SectionEntry]]


class SourceEntry(TypedDict):
    path: str
    sha256: str | None
    role: str
    licence: str
    attribution: str
    title: NotRequired[str]
    edition: NotRequired[str]


# --- the figures the page shows ---------------------------------------------------------------


class Provenance(TypedDict):
    source_file: str
    source_line: int
    source_quote: str


class DateRecord(TypedDict):
    start: str | None
    end: str | None
    precision: str | None
    text: str
    qualifier: str
    open_end: bool


class DateProblem(TypedDict):
    text: str
    problem: str


class MatchedPlace(TypedDict):
    id: str
    kind: str
    name: str
    dataset: str
    dataset_id: str
    feature_id: str


class PlaceRecord(TypedDict):
    written: str
    status: str
    rule: str
    region: str
    matched: list[MatchedPlace]
    dated: bool
    date_rule: str


class SpanRecord(TypedDict):
    """A date or period as the build read it (``start`` and ``end`` are ISO dates; null without one)."""

    start: str | None
    end: str | None
    precision: str | None
    date_text: str
    qualifier: str
    open_end: bool  # the text gives no end ("since 1975"): ``end`` is the texts' horizon


class EventRecord(SpanRecord, Provenance):
    id: str
    language: str
    link_id: str
    stated_start: int  # the part of source_quote this statement states (offsets)
    stated_end: int
    dates: list[DateRecord]
    date_problems: list[DateProblem]
    places: list[PlaceRecord]
    # the map features the statement is about by the statement features table, and its row
    # (absent from a build older than the table)
    features: NotRequired[list[str]]
    feature_rule: NotRequired[str]


class EraRecord(Provenance):
    """An era of the timeline: a heading of a text (its words, where they are: the quote is the
    line as written) with its first and last day, from the statements (`build/eras.py`)."""

    id: str
    language: str
    words: str
    start: str
    end: str


class TextFigureRecord(Provenance):
    #: null for a magnitude the text gives without a number ("hundreds of …": see qualifier).
    value: int | float | None
    unit: str
    measure: str
    text: str
    qualifier: str
    language: str
    period_start: str | None
    period_end: str | None
    period_precision: str | None
    period_text: str
    period_qualifier: str
    #: What the figure is about (`build.stated_figures.SUBJECTS`, or its measure).
    subject: NotRequired[str]
    #: A rank's N ("first among 55 countries"), else null.
    among: NotRequired[int | None]
    #: The word for the text's present as written ("currently"): the figure has no period.
    present: NotRequired[str]


class FigureDisagreementRecord(TypedDict):
    """Two figures of ``figures_from_texts`` (by index) that the texts state differently."""

    unit: str
    subject: str
    figures: list[int]


class OfficialLengthRecord(TypedDict):
    code: str
    partner: str
    part: str
    scope: str
    official_km: int | float
    measured_km: int | float | None
    difference_km: int | float | None
    difference_pct: int | float | None
    year: int | None
    #: The basis and the source in English; each has its twin in every other language
    #: (``basis_vi``, ``source_lo``: `i18n.twins`), empty where the table has no translation
    #: (a source that is names alone).
    basis: str
    confidence: str
    source: str
    source_row: str


class EstablishedRecord(Provenance):
    year: int
    date: str | None


class Units2025(TypedDict):
    VN: int
    merged: int


class Figures(TypedDict, total=False):
    border_length_km_osm: int | float
    border_length_km_ne: int | float
    border_length_km_stated: int | float
    segments_length_km_sum: int | float
    segments: int
    provinces: dict[str, int]
    missions: int
    missions_by_kind: dict[str, int]
    official_lengths: list[OfficialLengthRecord]
    provinces_2025: Units2025
    segments_2025: int
    events: list[EventRecord]
    eras: list[EraRecord]
    figures_from_texts: list[TextFigureRecord]
    figure_disagreements: list[FigureDisagreementRecord]
    relations_established: list[EstablishedRecord]


class Manifest(TypedDict):
    generator: str
    layers: list[LayerEntry]
    texts: list[TextEntry]
    sources: list[SourceEntry]
    parameters: dict[str, Any]
    figures: Figures


# --- the check at load ------------------------------------------------------------------------


class _ShapeError(Exception):
    """Where a loaded manifest first differs from its declaration, and how."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path, self.problem = path, problem


def checked(value: object, name: str = "manifest.json") -> Manifest:
    """*value* (the parsed file *name*) as a :class:`Manifest`, or :class:`LayerError` naming
    the first key that is missing or of another type (keys the declaration lacks are left)."""
    try:
        _check(value, Manifest, "")
    except _ShapeError as exc:
        where = f"{exc.path} " if exc.path else ""
        raise LayerError(f"{name}: {where}{exc.problem}; {REBUILD}") from None
    return typing.cast(Manifest, value)


def _check(value: object, kind: Any, path: str) -> None:
    origin = typing.get_origin(kind)
    if kind is Any:
        return
    if kind is None or kind is type(None):
        if value is not None:
            raise _wrong(path, "null", value)
        return
    if origin in (Union, types.UnionType):
        for option in typing.get_args(kind):
            try:
                _check(value, option, path)
            except _ShapeError:
                continue
            return
        options = [o for o in typing.get_args(kind)
                   if not (o is int and float in typing.get_args(kind))]  # a number covers both
        raise _wrong(path, " or ".join(_name(o) for o in options), value)
    if origin is list:
        if not isinstance(value, list):
            raise _wrong(path, "a list", value)
        (item,) = typing.get_args(kind)
        for index, element in enumerate(value):
            _check(element, item, f"{path}[{index}]")
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise _wrong(path, "an object", value)
        _key, item = typing.get_args(kind)
        for key, element in value.items():
            _check(element, item, _at(path, key))
        return
    if typing.is_typeddict(kind):
        _check_record(value, kind, path)
        return
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _wrong(path, "a number", value)
        return
    if kind in (int, str, bool):
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _wrong(path, _name(kind), value)
        return
    raise TypeError(f"manifest: no check for {kind!r} ({path})")  # a declaration above is new


def _check_record(value: object, kind: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise _wrong(path, "an object", value)
    hints = typing.get_type_hints(kind)
    for key in sorted(kind.__required_keys__):
        if key not in value:
            raise _ShapeError(path, f"lacks {key!r}")
    for key, element in value.items():
        if key in hints:
            _check(element, hints[key], _at(path, key))


def _at(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _name(kind: Any) -> str:
    return {int: "a whole number", float: "a number", str: "a text", bool: "true or false",
            type(None): "null"}.get(kind, getattr(kind, "__name__", str(kind)))


def _wrong(path: str, expected: str, value: object) -> _ShapeError:
    """The value is shown by its JSON type and a short form: the manifest may be hostile."""
    if value is None:
        return _ShapeError(path, f"is null, not {expected}")
    shown = repr(value)
    shown = shown if len(shown) <= 40 else f"{shown[:37]}..."
    return _ShapeError(path, f"is {type(value).__name__} {shown}, not {expected}")
