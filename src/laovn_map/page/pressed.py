"""What the map showed when an export button was pressed, read from what the press sent.

The map keeps its view and the layers switched off in the page's address, without telling the
server (toggles and pan/zoom send nothing): so the export buttons (`component.export_buttons`)
send, with the format, the address as it is at the press. It is read here with the map's own
rules: a key's first value (js/urlstate.js `firstParams`), the layers of `off` or an older
`<layer>=false` (`layersOff`), the views the map takes (`mapview.ViewRule`), and the statement
the story shows (`event`, js/steps.js `eventParam`). Anything else
is dropped as the map drops it; only a press that is not {format, query, id} is refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import parse_qsl

from laovn_map.catalog import MAP_LAYERS
from laovn_map.errors import ExportError, shown
from laovn_map.page.mapview import MAP_HEIGHT_PX, View, ViewRule

#: The longest address a press may carry: the map writes a few hundred characters at most.
MAX_QUERY_CHARS = 8192
#: The size of the map on a desktop page (px): a print of `view=lat,lon,zoom` covers as much.
PRINT_VIEW_PX = (1076, MAP_HEIGHT_PX)
#: A press's id, as `elements/exports.js` makes it (`pressValue`).
_PRESS_ID = re.compile(r"[0-9a-z]{1,16}-[0-9a-z]{1,16}")


@dataclass(frozen=True)
class Press:
    """One press of an export button: its format (unchecked: `formats.export_format` checks
    it), its id (the element saves one file per id), and what the map showed then."""

    fmt: str
    press_id: str
    #: The map layers switched on, in `catalog.MAP_LAYERS`' order.
    layers: tuple[str, ...]
    #: The view the address gives, None for the map's default view.
    view: View | None
    #: The statement the story shows (`event=`), None when none (or one the map ignores).
    event: str | None = None


def first_params(query: str) -> dict[str, str]:
    """The first value of each key of `query` (`?a=1&b=2`), as the map reads the address:
    `+` a space, percent escapes decoded, a key without `=` an empty value."""
    out: dict[str, str] = {}
    for key, value in parse_qsl(query.removeprefix("?"), keep_blank_values=True):
        out.setdefault(key, value)
    return out


def layers_on(params: dict[str, str]) -> tuple[str, ...]:
    """The map layers the address leaves on: all but those `off=a,b` lists (or an older
    `<layer>=false` names), unknown names ignored."""
    listed = params.get("off", "").split(",")
    return tuple(name for name in MAP_LAYERS
                 if name not in listed and params.get(name) != "false")


def event_param(value: object, statements: Collection[str]) -> str | None:
    """The statement `event=` names when it is one of `statements` (the texts' dated
    statements: `pagetext.event_ids`), else None: the map script's rule (js/steps.js
    `eventParam`), which ignores any other value as it ignores a bad `sel=`."""
    return value if isinstance(value, str) and value in statements else None


def read_press(value: object, rule: ViewRule, statements: Collection[str] = ()) -> Press:
    """The press `value` (the element's trigger: {format, query, id}) with what the map showed,
    its view read by `rule`, its statement one of `statements` (`event_param`); an
    `ExportError` naming what is wrong when it is no such press."""
    if not isinstance(value, dict):
        raise ExportError(f"export request {shown(value)}: not {{format, query, id}}")
    fmt, query, press_id = (value.get(k) for k in ("format", "query", "id"))
    if not isinstance(fmt, str) or not isinstance(press_id, str) \
            or not _PRESS_ID.fullmatch(press_id):
        raise ExportError(f"export request {shown(value)}: its format or id is missing or "
                          "malformed")
    if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
        raise ExportError(f"export request for {shown(fmt)}: its address is missing or longer "
                          f"than {MAX_QUERY_CHARS} characters")
    params = first_params(query)
    return Press(fmt, press_id, layers_on(params), rule.parse(params.get("view")),
                 event_param(params.get("event"), statements))


def view_box(view: View | None) -> tuple[float, float, float, float] | None:
    """The box (south, west, north, east) the map shows at `view` (the address's, as the map
    takes it: `mapview.ViewRule`), within the world's; None (the border region, as the map
    frames it) without one."""
    if view is None:
        return None
    per_px = 360 / (256 * 2**view.zoom)  # degrees of longitude per pixel; latitude by Mercator
    half_w = PRINT_VIEW_PX[0] * per_px / 2
    half_h = PRINT_VIEW_PX[1] * per_px / 2 * math.cos(math.radians(view.lat))
    return (max(-90.0, view.lat - half_h), max(-180.0, view.lon - half_w),
            min(90.0, view.lat + half_h), min(180.0, view.lon + half_w))
