"""How the map looks: colours, Leaflet path options per layer and feature, and the page's CSS.

Plain data with no imports beyond `catalog`: the browser encoding (`browserdata`) puts each
feature's style into the layer data, the legend (`labels`) draws swatches in the same colours,
and `mapview` adds the CSS to the map.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from laovn_map.catalog import LAOS, VIETNAM

COLOURS: dict[str, str] = {
    "sea": "#d6e6f0",
    "party": "#fbf8f0",
    "neighbour": "#e6e3dc",
    "country_line": "#9c9a94",
    "vn": "#c62828",
    "la": "#1f4e9c",
    "border": "#1b1b1b",
    "segment_a": "#f2a516",
    "segment_b": "#8e5bd0",
}
#: The colour of each country (its provinces, and the missions it sends), by alpha-2 code.
COUNTRY_COLOUR = {VIETNAM.code: COLOURS["vn"], LAOS.code: COLOURS["la"]}

#: Leaflet path options per layer; `feature_style` adds what varies per feature.
LAYER_STYLE: dict[str, dict[str, Any]] = {
    "countries": {"color": COLOURS["country_line"], "weight": 1, "fillOpacity": 1.0},
    "provinces_vn": {"color": COLOURS["vn"], "fillColor": COLOURS["vn"], "weight": 1.2,
                     "fillOpacity": 0.22},
    "provinces_la": {"color": COLOURS["la"], "fillColor": COLOURS["la"], "weight": 1.2,
                     "fillOpacity": 0.22},
    "segments": {"weight": 9, "opacity": 0.75},
    "border": {"color": COLOURS["border"], "weight": 2.5, "opacity": 0.95},
    # embassies: filled dots with a white rim; consulates: white dots with a thick ring,
    # both in the sending country's colour
    "embassies": {"radius": 9, "color": "#ffffff", "weight": 2.5, "fillOpacity": 0.95},
    "consulates": {"radius": 6, "weight": 3.5, "fillColor": "#ffffff", "fillOpacity": 1.0},
}
#: A CSS class shared by the layers of one kind (the tests and the benchmark find them by it).
LAYER_CLASS = {"countries": "laovn-country", "provinces_vn": "laovn-province",
               "provinces_la": "laovn-province", "embassies": "laovn-missions",
               "consulates": "laovn-missions"}


def feature_style(layer: str, index: int, props: Mapping[str, Any]) -> dict[str, Any]:
    """The Leaflet options of one feature that differ from its layer's `LAYER_STYLE`."""
    if layer == "countries":
        return {"fillColor": COLOURS["party" if props.get("is_party") else "neighbour"]}
    if layer == "segments":
        return {"color": COLOURS["segment_a" if index % 2 == 0 else "segment_b"]}
    colour = COUNTRY_COLOUR.get(str(props.get("sending_country")), "#555555")
    if layer == "embassies":
        return {"fillColor": colour}
    if layer == "consulates":
        return {"color": colour}
    return {}


CSS = """
.leaflet-container { background: %(sea)s; font: 13px/1.4 system-ui, sans-serif; }
.laovn-legend { background: rgba(255,255,255,.94); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); color: #222; line-height: 1.5; min-width: 13em; }
.laovn-legend b { display: block; margin-bottom: 3px; font-size: 14px; }
.laovn-legend i { display: inline-block; vertical-align: middle; margin-right: 6px; }
.laovn-legend .sw { width: 16px; height: 12px; border: 1.5px solid; opacity: .85; }
.laovn-legend .dot { border-radius: 50%%; border: 2px solid #fff;
  box-shadow: 0 0 0 1px rgba(0,0,0,.35); }
.laovn-legend .dot.ring { background: #fff; border-width: 3px; box-shadow: none; }
.laovn-legend .ln { width: 22px; height: 0; border-top: 3px solid; }
.laovn-popup { max-width: 340px; }
.laovn-title { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
.laovn-props { border-collapse: collapse; margin-bottom: 4px; }
.laovn-props th { text-align: left; font-weight: 500; color: #555; padding: 1px 8px 1px 0;
  vertical-align: top; white-space: nowrap; }
.laovn-props td { padding: 1px 0; }
.laovn-quote-label { color: #555; font-size: 12px; margin-top: 4px; }
.laovn-note { color: #444; font-size: 12px; margin: 2px 0 4px; }
.laovn-cite { font-family: ui-monospace, monospace; font-size: 11px; color: #777; }
.laovn-quote { margin: 2px 0 0; padding: 3px 8px; border-left: 3px solid #d9a400;
  background: #fff8e1; max-height: 9em; overflow: auto; }
""" % COLOURS  # noqa: UP031  (CSS braces make str.format awkward)
