"""Domain errors. The library raises these; only the CLI and the app turn them into messages.

Each message says what failed, in which input (file:line where there is one) and how to fix it.
"""

from __future__ import annotations

#: How much of a value from outside (a command-line value, a field of a tampered file) a message
#: shows: a hostile value of thousands of characters still gives a line a person reads.
SHOWN_CHARS = 40


def cut(text: str) -> str:
    """*text* for a message, cut to :data:`SHOWN_CHARS` characters."""
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS - 3]}..."


def shown(value: object) -> str:
    """*value* for a message: its repr, cut to :data:`SHOWN_CHARS` characters."""
    return cut(repr(value))


class LaovnMapError(Exception):
    """Base class: anything the user can fix by changing an input or rebuilding."""


class SeedError(LaovnMapError):
    """A seed file cannot be read (missing, not UTF-8, empty, too large)."""


class ExtractError(LaovnMapError):
    """The seed text lacks, or garbles, something the build needs."""


class GeocodeError(LaovnMapError):
    """A name found in the text matches no feature, or several equally well."""


class SourceError(LaovnMapError):
    """A geodata source in geo/sources/ is missing, unreadable or lacks a field the build needs."""


class GeometryError(LaovnMapError):
    """A geodata source does not give the border or provinces the build expects."""


class LayerError(LaovnMapError):
    """A built layer in geo/ is missing, unreadable or differs from its manifest."""


class ExportError(LaovnMapError):
    """An export cannot be made as asked: no visible layer, an unknown format, layer, period,
    language or paper size, a missing font, or an output path inside the layer folder."""


class SiteError(LaovnMapError):
    """A static site that cannot be built or written as asked (its folder, its address)."""


class HarnessError(LaovnMapError):
    """The page could not be served or browsed (tests, bench): no Chromium, or the server died
    or never answered."""
