"""What an export is made of: the formats, the paper of a print, the state (layers, period,
language, view, paper, timeline, the statement shown) with its checks, and the file name that
says what it holds.

Pure values: nothing here reads `geo/`. `ExportState` is frozen and hashable, so the page and the
CLI cache an export per state.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from laovn_map.catalog import MAP_LAYERS, PERIOD_2025, PERIOD_SOURCES, PERIOD_TEXT, PERIODS
from laovn_map.errors import ExportError, shown
from laovn_map.i18n import DEFAULT_LANG, LANGS, msgid, t
from laovn_map.page.pagetext import Timeline
from laovn_map.page.pagetext import parse_years as parse_years  # the CLI's --years
from laovn_map.page.pagetext import years_timeline as years_timeline


@dataclass(frozen=True)
class ExportFormat:
    key: str
    extension: str
    mime: str
    #: The message of the page's download button for it.
    label: str


#: Every export, in the order the page offers them.
FORMATS: dict[str, ExportFormat] = {f.key: f for f in (
    ExportFormat("gpkg", "gpkg", "application/geopackage+sqlite3", msgid("export.format.gpkg")),
    ExportFormat("kml", "kml", "application/vnd.google-earth.kml+xml", msgid("export.format.kml")),
    ExportFormat("csv", "csv", "text/csv", msgid("export.format.csv")),
    ExportFormat("html", "html", "text/html", msgid("export.format.html")),
    ExportFormat("png", "png", "image/png", msgid("export.format.png")),
    ExportFormat("pdf", "pdf", "application/pdf", msgid("export.format.pdf")),
)}
#: The sentence saying what a period shows (message ids).
PERIOD_SENTENCES: dict[str, str] = {PERIOD_TEXT: msgid("export.period.text"),
                                    PERIOD_2025: msgid("export.period.2025")}
#: The print formats: the only ones that use the state's view and paper.
PRINTS = ("png", "pdf")

MM_PER_INCH = 25.4
#: Named paper sizes, landscape (width, height in mm).
PAPER: dict[str, tuple[float, float]] = {"a4": (297.0, 210.0), "a3": (420.0, 297.0),
                                         "letter": (279.4, 215.9)}
DPI_RANGE = (50, 600)
PAPER_MM_RANGE = (60.0, 1200.0)
#: More pixels than this (an A2 sheet at 300 dpi) would take seconds and hundreds of MB.
MAX_PIXELS = 36_000_000


@dataclass(frozen=True)
class PageSize:
    """The paper of a print: its size in mm and the PNG's resolution (the PDF is vector)."""

    width_mm: float
    height_mm: float
    dpi: int = 300

    def __post_init__(self) -> None:
        low, high = PAPER_MM_RANGE
        if not all(low <= x <= high for x in (self.width_mm, self.height_mm)):
            raise ExportError(f"paper {self.width_mm:g}×{self.height_mm:g} mm: each side must be "
                              f"{low:g}–{high:g} mm")
        if not DPI_RANGE[0] <= self.dpi <= DPI_RANGE[1]:
            raise ExportError(f"{self.dpi} dpi: choose {DPI_RANGE[0]}–{DPI_RANGE[1]}")
        width, height = self.pixels
        if width * height > MAX_PIXELS:
            raise ExportError(f"{width}×{height} px is more than {MAX_PIXELS // 1_000_000} million "
                              "pixels: choose a smaller paper or fewer dpi")

    @property
    def pixels(self) -> tuple[int, int]:
        """The PNG's width and height (A4 at 300 dpi: 3508×2480)."""
        return (round(self.width_mm / MM_PER_INCH * self.dpi),
                round(self.height_mm / MM_PER_INCH * self.dpi))

    @property
    def name(self) -> str:
        """ASCII, for file names: `a4-300dpi`, `400x250mm-150dpi`."""
        named = next((k for k, v in PAPER.items() if v == (self.width_mm, self.height_mm)), None)
        return f"{named or f'{self.width_mm:g}x{self.height_mm:g}mm'}-{self.dpi}dpi"


A4_LANDSCAPE = PageSize(*PAPER["a4"], 300)


def page_size(text: str, dpi: int = 300) -> PageSize:
    """`a4`, `a3`, `letter` (landscape) or `<width>x<height>` in mm (`210x297` for A4 portrait)."""
    key = text.strip().lower()
    if key in PAPER:
        return PageSize(*PAPER[key], dpi)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)(?:\s*mm)?", key)
    if not match:
        raise ExportError(f"paper {shown(text)}: give one of {', '.join(PAPER)} or WIDTHxHEIGHT in mm")
    return PageSize(float(match.group(1)), float(match.group(2)), dpi)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: What a statement's id may look like (`vi-022-0`, `en-022-1.2`): safe in a file name. Whether
#: the build has it is the export's check (`features.selected_statement`), which reads `geo/`.
_STATEMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", re.ASCII)


@dataclass(frozen=True)
class ExportState:
    """What an export shows: the visible map layers (`catalog.MAP_LAYERS` names, kept in that
    order so one selection is one cache key), the period (`catalog.PERIODS`), the language,
    for prints the view (south, west, north, east in degrees; None frames the border region as
    the map does) and the paper, the timeline's range, and the statement the story shows
    (`?event=`). A bad value is an `ExportError`
    naming it."""

    layers: tuple[str, ...] = MAP_LAYERS
    period: str = PERIOD_TEXT
    lang: str = DEFAULT_LANG
    view: tuple[float, float, float, float] | None = None
    page: PageSize = A4_LANDSCAPE
    #: The page's timeline (first and last day, ISO): the events outside it are left out, as
    #: on the map (`pagetext.in_timeline`); None takes them all.
    timeline: Timeline | None = None
    #: The statement the story shows (its id, `?event=`): the exports mark its places and
    #: quote it; None when none is shown.
    event: str | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.layers if name not in MAP_LAYERS]
        if unknown:
            raise ExportError(f"unknown layer {shown(', '.join(unknown))}: choose from "
                              f"{', '.join(MAP_LAYERS)}")
        object.__setattr__(self, "layers", tuple(n for n in MAP_LAYERS if n in self.layers))
        if self.period not in PERIODS:
            raise ExportError(f"unknown period {shown(self.period)}: choose {' or '.join(PERIODS)}")
        if self.lang not in LANGS:
            raise ExportError(f"unknown language {shown(self.lang)}: choose {' or '.join(LANGS)}")
        if self.view is not None:
            try:
                south, west, north, east = (float(x) for x in self.view)
            except (TypeError, ValueError):
                south = west = north = east = math.nan
            if not all(math.isfinite(x) for x in (south, west, north, east)) \
                    or not -90 <= south < north <= 90 or not -180 <= west < east <= 180:
                raise ExportError(f"view {self.view!r} is not (south, west, north, east) in "
                                  "degrees")
            object.__setattr__(self, "view", (south, west, north, east))
        if self.timeline is not None:
            dates = tuple(self.timeline) if isinstance(self.timeline, (tuple, list)) else ()
            if len(dates) != 2 or not all(isinstance(d, str) and _ISO_DATE.fullmatch(d)
                                          for d in dates) or dates[0] > dates[1]:
                raise ExportError(f"timeline {self.timeline!r} is not (first, last) ISO dates "
                                  "in order, e.g. ('1945-01-01', '1977-12-31')")
            object.__setattr__(self, "timeline", (dates[0], dates[1]))
        if self.event is not None and not (isinstance(self.event, str)
                                           and _STATEMENT_ID.fullmatch(self.event)):
            raise ExportError(f"statement {shown(self.event)} is no statement's id "
                              "(e.g. vi-022-0)")


def export_format(fmt: str) -> ExportFormat:
    found = FORMATS.get(fmt.strip().lower())
    if found is None:
        raise ExportError(f"unknown export format {shown(fmt)}: choose from {', '.join(FORMATS)}")
    return found


def export_label(fmt: str, lang: str) -> str:
    """What the page's download button for *fmt* says, plain text."""
    return t(export_format(fmt).label, lang)


def file_name(fmt: str, state: ExportState) -> str:
    """An ASCII-safe file name saying what the export holds, e.g. `laovn-map-en-all.gpkg`,
    `laovn-map-vi-since2025-provincesvn-embassies-a3-150dpi.png`,
    `laovn-map-en-all-1945-1977-event-vi-022-0.pdf`."""
    spec = export_format(fmt)
    parts = ["laovn-map", state.lang]
    if state.period == PERIOD_2025:
        parts.append("since2025")
    parts += (["all"] if state.layers == MAP_LAYERS
              else [name.replace("_", "") for name in state.layers] or ["none"])
    if state.timeline is not None:
        parts.append(f"{state.timeline[0][:4]}-{state.timeline[1][:4]}")
    if state.event is not None:
        parts.append(f"event-{state.event}")
    if spec.key in PRINTS:
        if state.page != A4_LANDSCAPE:
            parts.append(state.page.name)
        if state.view is not None:
            parts.append("view")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(parts)) + "." + spec.extension


def what_is_shown(state: ExportState) -> str:
    """The period's sentence, and the timeline's range when it leaves events out."""
    text = t(PERIOD_SENTENCES[state.period], state.lang)
    if state.timeline is not None:
        text += " " + t("export.years", state.lang).format(first=state.timeline[0][:4],
                                                          last=state.timeline[1][:4])
    return text


def table_name(layer: str, period: str) -> str:
    """The GeoPackage table (and KML folder key) of map layer *layer* in *period*: the layer
    file it comes from when the period draws it from another one (`provinces_vn_2025`)."""
    return PERIOD_SOURCES[period].get(layer, layer)
