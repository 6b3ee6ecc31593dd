"""Build the interactive map (a `folium.Map`) from the loaded layers: no Streamlit here.

Each overlay is one `_VectorLayer`: its features go to the browser as JSON data (positions
delta-encoded, see `encode_geometry`) and a small script (`_RUNTIME_JS`) draws them, instead of
one folium element per feature, whose templates made every rerun slow and the page large.

Every string that becomes HTML passes through `esc` (popups and tooltips from the data; layer
names, legend and attribution from `i18n`). The data reaches the page only as JSON written by
`script_json`, which cannot end its <script> element, and is never read as a template. `esc`
also turns backticks, `$`, braces and backslashes into entities: no longer needed by the data's
path, it keeps the page's own labels inert in folium's Jinja and JavaScript templates. Markers are SVG
circles (no icon fonts) and the scripts come from `webassets` as data: URLs, so the page needs
no network.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import numpy.typing as npt
from branca.element import Element, MacroElement
from folium.template import Template

from laovn_map.catalog import MAP_LAYERS, credit_line
from laovn_map.display import DISPLAY_DECIMALS
from laovn_map.i18n import t
from laovn_map.webassets import make_offline

FeatureCollection = Mapping[str, Any]
_folium: Any = folium  # parts of folium are untyped; call those through Any


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
SENDER_COLOUR = {"VN": COLOURS["vn"], "LA": COLOURS["la"]}

_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;",
                        "\\": "&#92;"})


def esc(value: object) -> str:
    """HTML-escape `value`; braces, `$`, backticks and backslashes too (see the module doc)."""
    return html.escape("" if value is None else str(value), quote=True).translate(_EXTRA)


def fmt_num(value: object, lang: str, digits: int = 1) -> str:
    """A number with grouping in the page language (1,234.5 / 1.234,5); '' when not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    text = f"{value:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _km(value: object, lang: str) -> str:
    num = fmt_num(value, lang)
    return f"{num} {t('km', lang)}" if num else ""


def _css_id(value: object) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-")


# --- popups ----------------------------------------------------------------------------------

def _quote_html(label: str, quote: object, file: object, line: object) -> str:
    if not quote:
        return ""
    cite = f"{file}:{line}" if file and line not in (None, "") else str(file or "")
    return (
        '<div class="laovn-quote-label">' + esc(label)
        + (f' <span class="laovn-cite">{esc(cite)}</span>' if cite else "") + "</div>"
        + '<blockquote class="laovn-quote">'
        + "<br>".join(esc(part) for part in str(quote).split("\n")) + "</blockquote>"
    )


def popup_html(feature_id: object, title: str, rows: Iterable[tuple[str, object]],
               quotes: Iterable[str] = ()) -> str:
    """Popup body: an escaped title, a table of non-empty rows and pre-built quote blocks."""
    body = "".join(
        f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in rows if value not in (None, "")
    )
    return (
        f'<div class="laovn-popup" data-id="{esc(feature_id)}">'
        f'<div class="laovn-title">{esc(title)}</div>'
        + (f'<table class="laovn-props">{body}</table>' if body else "")
        + "".join(quotes) + "</div>"
    )


def province_name(props: Mapping[str, Any], lang: str) -> str:
    """English name, or in Vietnamese the form the Vietnamese seed text uses (it lists the
    provinces; the dataset's `name_vi` of a Lao province is not the Vietnamese spelling)."""
    order = ("name_seed", "name_vi", "name_en") if lang == "vi" else ("name_en", "name_vi")
    for key in (*order, "name_local", "name_seed", "id"):
        if props.get(key):
            return str(props[key])
    return ""


def _with_lao(name: str, lao: object) -> str:
    return f"{name} ({lao})" if lao else name


def mission_name(props: Mapping[str, Any], lang: str) -> str:
    if lang != "vi":
        return str(props.get("name") or props.get("id") or "")
    kind = t("embassy" if props.get("kind") == "embassy" else "consulate", lang)
    sender = str(props.get("sending_country", ""))
    country = t(f"country.{sender}", lang) if sender in ("VN", "LA") else sender
    return t("mission.of", lang).format(kind=kind, country=country, city=props.get("city", ""))


def _province_popup(props: Mapping[str, Any], lang: str) -> str:
    rule, score = props.get("match_rule"), props.get("match_score")
    match = f"{rule} ({score})" if rule and score not in (None, "") else (rule or "")
    return popup_html(props.get("id"), province_name(props, lang), [
        (t("prop.code", lang), props.get("iso_3166_2") or props.get("id")),
        (t("prop.name_vi", lang), props.get("name_vi")),
        (t("prop.name_en", lang), props.get("name_en")),
        (t("prop.name_local", lang), props.get("name_local")),
        (t("prop.name_lo", lang), props.get("name_lo")),
        (t("prop.name_seed", lang), props.get("name_seed")),
        (t("prop.border_length", lang), _km(props.get("border_length_km"), lang)),
        (t("prop.neighbours", lang), props.get("neighbours")),
        (t("prop.match", lang), match),
        (t("prop.dataset", lang), props.get("dataset")),
    ], [_quote_html(t("prop.source", lang), props.get("source_quote"),
                    props.get("source_file"), props.get("source_line"))])


def _border_popup(props: Mapping[str, Any], lang: str) -> str:
    name = props.get("name_vi" if lang == "vi" else "name_en") or t("layer.border", lang)
    stated = _km(props.get("length_km_stated"), lang)
    if props.get("stated_text"):
        stated = f"{stated} ({props['stated_text']})" if stated else str(props["stated_text"])
    return popup_html(props.get("id"), str(name), [
        (t("fig.osm", lang), _km(props.get("length_km_osm"), lang)),
        (t("fig.ne", lang), _km(props.get("length_km_ne"), lang)),
        (t("fig.stated", lang), stated),
        (t("prop.dataset", lang), props.get("dataset")),
    ], [f'<div class="laovn-note">{esc(t("border.why", lang))}</div>',
        _quote_html(t("prop.source", lang), props.get("source_quote"),
                    props.get("source_file"), props.get("source_line"))])


def segment_title(props: Mapping[str, Any], lang: str) -> str:
    return f"{t('segment', lang)}: {props.get('vn_name', '')} – {props.get('la_name', '')}"


def _segment_popup(props: Mapping[str, Any], lang: str) -> str:
    return popup_html(props.get("id"), segment_title(props, lang), [
        (t("prop.code", lang), f"{props.get('vn_code', '')} – {props.get('la_code', '')}"),
        (t("prop.length", lang), _km(props.get("length_km"), lang)),
        (t("prop.dataset", lang), props.get("dataset")),
    ])


def _mission_popup(props: Mapping[str, Any], lang: str) -> str:
    gn = props.get("geonames_name")
    if gn:
        pop = fmt_num(props.get("geonames_population"), lang, 0)
        gn = f"{gn} ({props.get('geonames_id', '')})" + (
            f", {t('prop.population', lang)} {pop}" if pop else "")
    amb = props.get("ambassador")
    if amb and props.get("ambassador_title"):
        amb = f"{amb} ({props['ambassador_title']})"
    def country(code: object, name: object) -> object:
        return t(f"country.{code}", lang) if code in ("VN", "LA") else name

    return popup_html(props.get("id"), mission_name(props, lang), [
        (t("prop.kind", lang), t("embassy" if props.get("kind") == "embassy" else "consulate",
                                 lang)),
        (t("prop.city", lang), _with_lao(str(props.get("city") or ""), props.get("city_lo"))),
        (t("prop.sending", lang), country(props.get("sending_country"),
                                          props.get("sending_country_name"))),
        (t("prop.host", lang), country(props.get("host_country"),
                                       props.get("host_country_name"))),
        (t("prop.geonames", lang), gn),
        (t("prop.ambassador", lang), amb),
    ], [
        _quote_html(t("prop.source", lang), props.get("source_quote"),
                    props.get("source_file"), props.get("source_line")),
        _quote_html(t("prop.infobox", lang), props.get("infobox_quote"),
                    props.get("source_file"), props.get("infobox_line")),
    ])


# --- geometry, as the browser gets it -----------------------------------------------------

#: Positions go to the browser as integers in units of 10^-DISPLAY_DECIMALS degrees, each one
#: the difference from the previous (the first of a ring absolute). Neighbouring vertices are a
#: few hundred metres apart, so most numbers have 1–3 digits: the map script is about a third of
#: the size of plain coordinate lists, and is cheaper for streamlit-folium to scan and hash.
POSITION_SCALE = 10**DISPLAY_DECIMALS


def _position_array(geom: Mapping[str, Any]) -> npt.NDArray[np.float64]:
    """Every (lon, lat) of a GeoJSON geometry as one n×2 array."""
    kind, coords = geom.get("type"), geom.get("coordinates") or []
    if kind == "Point":
        return np.asarray([coords[:2]], dtype=np.float64)
    if kind in ("LineString", "MultiPoint"):
        parts = [coords]
    elif kind in ("Polygon", "MultiLineString"):
        parts = coords
    elif kind == "MultiPolygon":
        parts = [ring for polygon in coords for ring in polygon]
    else:
        parts = []
    arrays = [np.asarray(r, dtype=np.float64)[:, :2] for r in parts if r]
    return np.concatenate(arrays) if arrays else np.empty((0, 2))


def _delta_line(ring: Sequence[Sequence[float]]) -> list[int]:
    """[lat0, lon0, dlat1, dlon1, ...] in integer units of 1/POSITION_SCALE degree."""
    if not ring:
        return []
    units = np.rint(np.asarray(ring, dtype=np.float64)[:, 1::-1] * POSITION_SCALE)
    deltas = np.diff(units.astype(np.int64), axis=0, prepend=np.zeros((1, 2), np.int64))
    out: list[int] = deltas.ravel().tolist()
    return out


def encode_geometry(geom: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """A GeoJSON geometry as (kind, data) for the map's drawing script.

    kind "point": [lat, lon]; "line": a list of delta lines; "polygon": a list of polygons,
    each a list of delta rings (exterior first). Single and multi forms share one nesting.
    """
    kind, coords = geom.get("type"), geom.get("coordinates")
    if kind == "Point" and coords:
        return "point", [float(coords[1]), float(coords[0])]
    if kind == "LineString":
        return "line", [_delta_line(coords or [])]
    if kind == "MultiLineString":
        return "line", [_delta_line(line) for line in coords or []]
    if kind == "Polygon":
        return "polygon", [[_delta_line(r) for r in coords or []]]
    if kind == "MultiPolygon":
        return "polygon", [[_delta_line(r) for r in poly] for poly in coords or []]
    raise ValueError(f"cannot draw geometry of type {kind!r}")


def decode_geometry(kind: str, data: list[Any]) -> dict[str, Any]:
    """The inverse of `encode_geometry` (lon/lat GeoJSON): what the browser draws, for tests
    and the benchmark's geometry check. It mirrors `_RUNTIME_JS`."""
    def line(flat: Sequence[int]) -> list[list[float]]:
        units = np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0)
        out: list[list[float]] = (units[:, ::-1] / POSITION_SCALE).tolist()
        return out

    if kind == "point":
        return {"type": "Point", "coordinates": [data[1], data[0]]}
    if kind == "line":
        lines = [line(x) for x in data]
        return ({"type": "LineString", "coordinates": lines[0]} if len(lines) == 1
                else {"type": "MultiLineString", "coordinates": lines})
    polys = [[line(r) for r in p] for p in data]
    return ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
            else {"type": "MultiPolygon", "coordinates": polys})


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element and as JavaScript source.

    `<`, `>` and `&` become \\u escapes (no `</script>` or comment can end the element early);
    U+2028/U+2029 are escaped for engines that treat them as line ends.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


_DRAW_CALL = re.compile(r"laovnDraw\(\{")


def drawn_layers(script: str) -> list[dict[str, Any]]:
    """The layer data of every `laovnDraw({...}, group)` call in a map script or page, in
    order: what the browser draws (for tests and the benchmark)."""
    decoder = json.JSONDecoder()
    out: list[dict[str, Any]] = []
    for match in _DRAW_CALL.finditer(script):
        data, _end = decoder.raw_decode(script, match.end() - 1)
        out.append(data)
    return out


#: Draws one layer from its data (see `layer_data`): decodes positions, makes the Leaflet
#: shapes with their CSS classes, and binds tooltips (HTML strings) and popups. A popup's
#: content is a DOM node parsed by a <template> element, inertly (nothing in it runs), because
#: streamlit-folium reads a clicked popup's text with `getContent().innerText`.
_RUNTIME_JS = """
window.laovnDraw = function (data, group) {
    var scale = data.scale;
    function decode(flat) {
        var out = [], lat = 0, lon = 0;
        for (var i = 0; i < flat.length; i += 2) {
            lat += flat[i]; lon += flat[i + 1];
            out.push([lat / scale, lon / scale]);
        }
        return out;
    }
    function node(html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        return template.content.firstElementChild;
    }
    data.features.forEach(function (f) {
        var options = Object.assign({}, data.style, f.style, {className: f.cls});
        var shape;
        if (data.kind === "point") {
            shape = L.circleMarker(f.geom, options);
        } else if (data.kind === "line") {
            shape = L.polyline(f.geom.map(decode), options);
        } else {
            var polygons = f.geom.map(function (p) { return p.map(decode); });
            shape = L.polygon(polygons.length === 1 ? polygons[0] : polygons, options);
        }
        if (f.tooltip) { shape.bindTooltip(f.tooltip, {sticky: true}); }
        if (f.popup) { shape.bindPopup(node(f.popup), {maxWidth: 360}); }
        shape.addTo(group);
    });
};
"""


class _Verbatim(Element):
    """A piece of page text that is not a template (see `_ScriptElement.render`)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _ScriptElement(MacroElement):
    """A MacroElement with only a `script` macro, whose output goes into the page as it is.

    branca's `MacroElement.render` wraps a rendered script in a new `Element`, whose
    constructor compiles it as a Jinja template: for the layers that means lexing ~100 kB of
    JSON on every rerun (most of a rerun's server time), and reading any `{{`, `{%` or `{#`
    in the data as Jinja. streamlit-folium calls the macro directly, so both paths agree.
    """

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(_Verbatim(script), name=self.get_name())  # type: ignore[attr-defined]
        return ""


class _Runtime(_ScriptElement):
    """Defines `laovnDraw` once, before any layer uses it."""

    _template = Template("""
        {% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnRuntime"
        self.js = _RUNTIME_JS


@dataclass(frozen=True)
class PreparedLayer:
    """One overlay ready for the browser: its `laovnDraw` data as script-safe JSON, and its
    bounds ([[south, west], [north, east]] or None). Immutable, so an app can share it across
    sessions and reruns (see `prepare_layers`)."""

    name: str
    lang: str
    data_json: str
    bounds: list[list[float]] | None


class _VectorLayer(_ScriptElement):
    """One map layer: its features as data (`script_json`) drawn by `laovnDraw` into the
    parent feature group. One element per layer, not one per feature, keeps folium's and
    streamlit-folium's per-element template work out of every rerun."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        laovnDraw({{ this.data_json }}, {{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, prepared: PreparedLayer) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnLayer"
        self.data_json = prepared.data_json
        self.bounds = prepared.bounds

    def _get_self_bounds(self) -> list[list[float | None]]:
        """Used by folium's `get_bounds` (the shapes exist only in the browser)."""
        return [list(corner) for corner in self.bounds] if self.bounds else [[None, None]] * 2


class _Overlay(_ScriptElement):
    """Legend control, attribution and page CSS, all created from script (works in st_folium)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var style = document.createElement("style");
            style.textContent = {{ this.css|tojson }};
            document.head.appendChild(style);
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "laovn-legend");
                div.innerHTML = {{ this.legend|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
            {{ this._parent.get_name() }}.attributionControl.addAttribution(
                {{ this.attribution|tojson }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, legend: str, attribution: str, css: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnOverlay"
        self.legend = legend
        self.attribution = attribution
        self.css = css


_CSS = """
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


def _legend_html(visible: Collection[str], lang: str) -> str:
    items: list[str] = [f"<b>{esc(t('legend', lang))}</b>"]

    def row(swatch: str, label: str) -> None:
        items.append(f"<div>{swatch}{esc(label)}</div>")

    if "provinces_vn" in visible:
        row(f'<i class="sw" style="background:{COLOURS["vn"]}55;border-color:{COLOURS["vn"]}">'
            "</i>", t("layer.provinces_vn", lang))
    if "provinces_la" in visible:
        row(f'<i class="sw" style="background:{COLOURS["la"]}55;border-color:{COLOURS["la"]}">'
            "</i>", t("layer.provinces_la", lang))
    if "border" in visible:
        row(f'<i class="ln" style="border-color:{COLOURS["border"]}"></i>',
            t("layer.border", lang))
    if "segments" in visible:
        row(f'<i class="ln" style="border-top-width:7px;border-color:{COLOURS["segment_a"]}">'
            f'</i><i class="ln" style="border-top-width:7px;margin-left:-6px;'
            f'border-color:{COLOURS["segment_b"]}"></i>', t("layer.segments", lang))
    for country in ("VN", "LA"):
        colour = SENDER_COLOUR[country]
        if "embassies" in visible:
            row(f'<i class="dot" style="width:14px;height:14px;background:{colour}"></i>',
                t(f"legend.embassy.{country}", lang))
        if "consulates" in visible:
            row(f'<i class="dot ring" style="width:7px;height:7px;margin:0 9px 0 3px;'
                f'border-color:{colour}"></i>', t(f"legend.consulate.{country}", lang))
    return "".join(items)


# --- the map ---------------------------------------------------------------------------------

def _features(layers: Mapping[str, FeatureCollection], name: str) -> list[Mapping[str, Any]]:
    fc = layers.get(name)
    return list(fc.get("features", [])) if fc else []


def _bounds(features: Iterable[Mapping[str, Any]]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the features, or None when they have no positions."""
    arrays = [_position_array(feat.get("geometry") or {}) for feat in features]
    xy = np.concatenate(arrays) if arrays else np.empty((0, 2))
    if not len(xy):
        return None
    (west, south), (east, north) = xy.min(axis=0).tolist(), xy.max(axis=0).tolist()
    return [[south, west], [north, east]]


def _groups(layers: Mapping[str, FeatureCollection]) -> dict[str, list[Mapping[str, Any]]]:
    """The features of each map layer (`MAP_LAYERS`), in drawing order."""
    border_feats = _features(layers, "border")
    missions = _features(layers, "missions")
    return {
        "countries": _features(layers, "countries"),
        "provinces_vn": _features(layers, "provinces_vn"),
        "provinces_la": _features(layers, "provinces_la"),
        "segments": sorted(
            (f for f in border_feats if f["properties"].get("kind") == "segment"),
            key=lambda f: (f["properties"].get("order", 0), str(f["properties"].get("id")))),
        "border": [f for f in border_feats if f["properties"].get("kind") == "border_line"],
        "embassies": [f for f in missions if f["properties"].get("kind") == "embassy"],
        "consulates": [f for f in missions if f["properties"].get("kind") != "embassy"],
    }


def prepare_layers(layers: Mapping[str, FeatureCollection], lang: str = "en"
                   ) -> dict[str, PreparedLayer]:
    """Every map layer of `layers` encoded for the browser in `lang`.

    This is the costly part of a map (encoding ~50,000 positions and 40 popups); it depends on
    the layers and the language only, so an app computes it once per language and passes it
    to `build_map` on every rerun.
    """
    return {name: PreparedLayer(name, lang, script_json(layer_data(name, feats, lang)),
                                _bounds(feats))
            for name, feats in _groups(layers).items()}


def _union(boxes: Iterable[list[list[float]] | None]) -> list[list[float]] | None:
    real = [b for b in boxes if b]
    if not real:
        return None
    return [[min(b[0][0] for b in real), min(b[0][1] for b in real)],
            [max(b[1][0] for b in real), max(b[1][1] for b in real)]]


def build_map(layers: Mapping[str, FeatureCollection], *,
              visible: Collection[str] = MAP_LAYERS, lang: str = "en",
              tiles: bool = False, prepared: Mapping[str, PreparedLayer] | None = None
              ) -> folium.Map:
    """The map for `layers` (keys as in `catalog.LAYER_FILES`), showing the `visible` ones.

    `tiles` adds OpenStreetMap tiles as the base (needs internet); by default the base map is
    the offline `countries` layer on a plain sea colour. `prepared` is
    `prepare_layers(layers, lang)`, when the caller keeps it.
    """
    prepared = prepared if prepared is not None else prepare_layers(layers, lang)
    if any(p.lang != lang for p in prepared.values()):
        raise ValueError(f"the prepared layers are not in {lang!r}: popups and labels would differ")
    m = folium.Map(location=[17.5, 105.0], zoom_start=6, tiles=None, control_scale=True,
                   zoom_snap=0.25, prefer_canvas=False)
    make_offline(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    _Runtime().add_to(m)

    for name in MAP_LAYERS:
        if name not in visible:
            continue
        group = folium.FeatureGroup(name=esc(t(f"layer.{name}", lang)), show=True,
                                    control=name != "countries")
        group.add_child(_VectorLayer(prepared[name]))
        group.add_to(m)

    if visible:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _Overlay(_legend_html(visible, lang), esc(credit_line(lang)), _CSS).add_to(m)

    # frame the border region (all layers but the countries), whatever is shown
    box = _union(prepared[n].bounds for n in MAP_LAYERS if n != "countries") \
        or prepared["countries"].bounds
    if box:
        m.fit_bounds(box, padding=(24, 24))
    _stable_ids(m, itertools.count())
    return m


def _stable_ids(element: Element, counter: Iterator[int]) -> None:
    """Replace folium's random element ids with a counter, in insertion order.

    Why: the same map must give the same script on every rerun, otherwise streamlit-folium
    sees new arguments, redraws the component and the open popup, pan and zoom are lost.
    Children are re-keyed too, since templates use the keys as JavaScript variable names.
    """
    children = list(element._children.values())
    element._children = OrderedDict()
    for child in children:
        child._id = f"{next(counter):06d}"
        element._children[child.get_name()] = child
    for child in children:
        _stable_ids(child, counter)


#: Leaflet path options per layer; `_feature_style` adds what varies per feature.
_LAYER_STYLE: dict[str, dict[str, Any]] = {
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
_EXTRA_CLASS = {"countries": "laovn-country", "provinces_vn": "laovn-province",
                "provinces_la": "laovn-province", "embassies": "laovn-missions",
                "consulates": "laovn-missions"}


def _feature_style(layer: str, index: int, props: Mapping[str, Any]) -> dict[str, Any]:
    if layer == "countries":
        return {"fillColor": COLOURS["party" if props.get("is_party") else "neighbour"]}
    if layer == "segments":
        return {"color": COLOURS["segment_a" if index % 2 == 0 else "segment_b"]}
    colour = SENDER_COLOUR.get(str(props.get("sending_country")), "#555555")
    if layer == "embassies":
        return {"fillColor": colour}
    if layer == "consulates":
        return {"color": colour}
    return {}


def _texts(layer: str, props: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(tooltip, popup) HTML of a feature; every piece of data in them is escaped."""
    if layer in ("provinces_vn", "provinces_la"):
        return (esc(_with_lao(province_name(props, lang), props.get("name_lo"))),
                _province_popup(props, lang))
    if layer == "segments":
        length = _km(props.get("length_km"), lang)
        return (esc(segment_title(props, lang) + (f" · {length}" if length else "")),
                _segment_popup(props, lang))
    if layer == "border":
        return (esc(props.get("name_vi" if lang == "vi" else "name_en")
                    or t("layer.border", lang)), _border_popup(props, lang))
    if layer in ("embassies", "consulates"):
        return (esc(_with_lao(mission_name(props, lang), props.get("city_lo"))),
                _mission_popup(props, lang))
    return "", ""


def layer_data(layer: str, features: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Everything the browser needs to draw `layer`: shared style, and per feature its id,
    CSS classes, encoded geometry, style, tooltip and popup HTML."""
    kinds: set[str] = set()
    records = []
    for index, feat in enumerate(features):
        props: Mapping[str, Any] = feat.get("properties") or {}
        fid = props.get("id", feat.get("id", index))
        kind, geom = encode_geometry(feat.get("geometry") or {})
        kinds.add(kind)
        tooltip, popup = _texts(layer, props, lang)
        extra = _EXTRA_CLASS.get(layer)
        records.append({
            "id": str(fid),
            "cls": " ".join(filter(None, (extra, f"laovn-{layer}", f"laovn-id-{_css_id(fid)}"))),
            "geom": geom, "style": _feature_style(layer, index, props),
            "tooltip": tooltip, "popup": popup,
        })
    if len(kinds) > 1:
        raise ValueError(f"layer {layer} mixes geometry kinds: {sorted(kinds)}")
    return {"layer": layer, "kind": kinds.pop() if kinds else "point", "scale": POSITION_SCALE,
            "style": _LAYER_STYLE.get(layer, {}), "features": records}


# --- the seed texts --------------------------------------------------------------------------

_SPLIT = re.compile(r"\s+(?:/|…|\||—)\s+|\n|;\s+")


def _find_spans(lines: Sequence[str], line_no: int | None, quote: str
                ) -> list[tuple[int, int, int]]:
    """(line index, start, end) spans of `quote` in `lines`, preferring the cited line.

    The whole quote is looked for first; failing that, its parts (a quote may join a list line
    and its heading with " / " or "…"), and the cited line is marked whole unless a part was
    found on it.
    """
    cited = line_no - 1 if line_no is not None and 0 < line_no <= len(lines) else None
    order = ([cited] if cited is not None else []) + [
        i for i in range(len(lines)) if i != cited]

    def locate(fragment: str) -> tuple[int, int, int] | None:
        for i in order:
            pos = lines[i].find(fragment)
            if pos >= 0:
                return i, pos, pos + len(fragment)
        return None

    whole = locate(quote.strip())
    if whole:
        return [whole]
    spans = [s for frag in _SPLIT.split(quote) if len(frag.strip()) >= 4
             and (s := locate(frag.strip()))]
    if cited is not None and lines[cited] and not any(s[0] == cited for s in spans):
        spans.append((cited, 0, len(lines[cited])))
    return spans


def marked_source_html(text: str, quotes: Iterable[tuple[int | None, str]]) -> str:
    """The seed text as escaped HTML on one line (`<br>` between lines, numbered), with the
    quoted passages wrapped in `<mark>`. One line, so Markdown leaves the HTML block alone."""
    lines = text.splitlines()
    marks: dict[int, list[tuple[int, int]]] = {}
    for line_no, quote in quotes:
        for i, start, end in _find_spans(lines, line_no, quote):
            marks.setdefault(i, []).append((start, end))
    out: list[str] = []
    width = len(str(len(lines)))
    for i, line in enumerate(lines):
        merged: list[list[int]] = []
        for start, end in sorted(marks.get(i, [])):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            elif end > start:
                merged.append([start, end])
        pieces: list[str] = []
        pos = 0
        for start, end in merged:
            pieces.append(esc(line[pos:start]))
            pieces.append(f'<mark class="laovn-mark">{esc(line[start:end])}</mark>')
            pos = end
        pieces.append(esc(line[pos:]))
        number = str(i + 1).rjust(width).replace(" ", "&#160;")
        out.append(f'<span class="laovn-ln" style="color:#9a9a9a;user-select:none;'
                   f'font-family:monospace">{number}</span>&#160;&#160;{"".join(pieces)}')
    return ('<div class="laovn-source" style="max-height:32em;overflow:auto;line-height:1.55;'
            'font-size:0.92em">' + "<br>".join(out) + "</div>")
