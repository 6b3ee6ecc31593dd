"""Build the interactive map (a `folium.Map`) from the loaded layers: no Streamlit here.

Every string from the data passes through `esc` before it reaches HTML: folium puts popup and
tooltip text into the page as HTML, inside JavaScript template literals, so `esc` also
neutralises backticks, `${`, braces and backslashes. Markers are SVG circles (no icon fonts) and
the scripts come from `webassets` as data: URLs, so the page needs no network.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from laovn_map.i18n import t
from laovn_map.webassets import make_offline

FeatureCollection = Mapping[str, Any]
_folium: Any = folium  # parts of folium are untyped; call those through Any

#: Map layers in drawing order (bottom first). `segments` are the `segment` features of
#: border.geojson, `border` its `border_line`; `embassies` and `consulates` split missions.geojson.
MAP_LAYERS: tuple[str, ...] = (
    "countries", "provinces_vn", "provinces_la", "segments", "border", "embassies", "consulates",
)

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
    """HTML-escape `value` and also make it inert inside a JS template literal."""
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


# --- geometry --------------------------------------------------------------------------------

def _latlon(ring: Sequence[Sequence[float]]) -> list[list[float]]:
    return [[float(p[1]), float(p[0])] for p in ring]


def _polygon_locations(geom: Mapping[str, Any]) -> list[Any]:
    """Leaflet lat/lon nesting: rings for a Polygon, polygons of rings for a MultiPolygon."""
    if geom.get("type") == "Polygon":
        return [_latlon(r) for r in geom["coordinates"]]
    if geom.get("type") == "MultiPolygon":
        return [[_latlon(r) for r in poly] for poly in geom["coordinates"]]
    raise ValueError(f"not a polygon: {geom.get('type')}")


def _line_locations(geom: Mapping[str, Any]) -> list[Any]:
    if geom.get("type") == "LineString":
        return _latlon(geom["coordinates"])
    if geom.get("type") == "MultiLineString":
        return [_latlon(line) for line in geom["coordinates"]]
    raise ValueError(f"not a line: {geom.get('type')}")


def _positions(geom: Mapping[str, Any]) -> Iterator[tuple[float, float]]:
    def walk(node: Any) -> Iterator[tuple[float, float]]:
        if node and isinstance(node[0], int | float):
            yield float(node[0]), float(node[1])
        else:
            for child in node:
                yield from walk(child)
    yield from walk(geom.get("coordinates", []))


class _Popup(folium.Popup):
    """folium's Popup without jQuery: its template parses the content with `$(...)`, which
    would cost the page a 90 kB script. A `<template>` element parses the same (already
    escaped) HTML inertly: nothing in it runs, and no library is needed."""

    _template = Template("""
        var {{ this.get_name() }} = L.popup({{ this.options|tojavascript }});
        {% for name, element in this.html._children.items() %}
            var {{ name }} = document.createElement("template");
            {{ name }}.innerHTML = `{{ element.render(**kwargs).replace('\\n', ' ') }}`;
            {{ this.get_name() }}.setContent({{ name }}.content.firstElementChild);
        {% endfor %}
        {{ this._parent.get_name() }}.bindPopup({{ this.get_name() }});
    """)


class _Shape(folium.Polygon):
    """A polygon that may be a multipolygon: Leaflet's L.polygon takes both nestings."""

    def __init__(self, locations: list[Any], **kwargs: Any) -> None:
        first = locations[0] if locations and isinstance(locations[0][0][0], list) else locations
        super().__init__(first, **kwargs)
        self.locations = locations


class _Overlay(MacroElement):
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
    lons: list[float] = []
    lats: list[float] = []
    for feat in features:
        for lon, lat in _positions(feat.get("geometry") or {}):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def build_map(layers: Mapping[str, FeatureCollection], *,
              visible: Collection[str] = MAP_LAYERS, lang: str = "en",
              tiles: bool = False) -> folium.Map:
    """The map for `layers` (keys as in `layers_io.LAYER_FILES`), showing the `visible` ones.

    `tiles` adds OpenStreetMap tiles as the base (needs internet); by default the base map is
    the offline `countries` layer on a plain sea colour.
    """
    m = folium.Map(location=[17.5, 105.0], zoom_start=6, tiles=None, control_scale=True,
                   zoom_snap=0.25, prefer_canvas=False)
    make_offline(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)

    border_feats = _features(layers, "border")
    groups: dict[str, list[Mapping[str, Any]]] = {
        "countries": _features(layers, "countries"),
        "provinces_vn": _features(layers, "provinces_vn"),
        "provinces_la": _features(layers, "provinces_la"),
        "segments": sorted(
            (f for f in border_feats if f["properties"].get("kind") == "segment"),
            key=lambda f: (f["properties"].get("order", 0), str(f["properties"].get("id")))),
        "border": [f for f in border_feats if f["properties"].get("kind") == "border_line"],
        "embassies": [f for f in _features(layers, "missions")
                      if f["properties"].get("kind") == "embassy"],
        "consulates": [f for f in _features(layers, "missions")
                       if f["properties"].get("kind") != "embassy"],
    }
    for name in MAP_LAYERS:
        if name not in visible:
            continue
        group = folium.FeatureGroup(name=esc(t(f"layer.{name}", lang)), show=True,
                                    control=name != "countries")
        for i, feat in enumerate(groups[name]):
            _add_feature(group, name, i, feat, lang)
        group.add_to(m)

    if visible:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _Overlay(_legend_html(visible, lang), esc(t("map.attribution", lang)), _CSS).add_to(m)

    focus = [f for n in MAP_LAYERS if n != "countries" for f in groups[n]]
    box = _bounds(focus) or _bounds(groups["countries"])
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
    for part in ("header", "html", "script"):
        inner = getattr(element, part, None)
        if isinstance(inner, Element) and inner is not element:
            _stable_ids(inner, counter)


def _add_feature(group: folium.FeatureGroup, layer: str, index: int,
                 feat: Mapping[str, Any], lang: str) -> None:
    props: Mapping[str, Any] = feat.get("properties") or {}
    geom: Mapping[str, Any] = feat.get("geometry") or {}
    fid = props.get("id", feat.get("id", index))
    cls = f"laovn-{layer} laovn-id-{_css_id(fid)}"
    if layer == "countries":
        party = bool(props.get("is_party"))
        _Shape(_polygon_locations(geom), color=COLOURS["country_line"], weight=1,
               fill_color=COLOURS["party" if party else "neighbour"], fill_opacity=1.0,
               class_name=f"laovn-country {cls}").add_to(group)
    elif layer in ("provinces_vn", "provinces_la"):
        colour = COLOURS["vn" if layer == "provinces_vn" else "la"]
        shape = _Shape(_polygon_locations(geom), color=colour, weight=1.2, fill_color=colour,
                       fill_opacity=0.22, class_name=f"laovn-province {cls}")
        shape.add_child(folium.Tooltip(esc(_with_lao(province_name(props, lang),
                                                     props.get("name_lo")))))
        shape.add_child(_Popup(_province_popup(props, lang), max_width=360))
        shape.add_to(group)
    elif layer == "segments":
        colour = COLOURS["segment_a" if index % 2 == 0 else "segment_b"]
        line = _folium.PolyLine(_line_locations(geom), color=colour, weight=9, opacity=0.75,
                               class_name=cls)
        length = _km(props.get("length_km"), lang)
        line.add_child(folium.Tooltip(esc(segment_title(props, lang)
                                          + (f" · {length}" if length else ""))))
        line.add_child(_Popup(_segment_popup(props, lang), max_width=360))
        line.add_to(group)
    elif layer == "border":
        line = _folium.PolyLine(_line_locations(geom), color=COLOURS["border"], weight=2.5,
                               opacity=0.95, class_name=cls)
        line.add_child(folium.Tooltip(esc(props.get("name_vi" if lang == "vi" else "name_en")
                                          or t("layer.border", lang))))
        line.add_child(_Popup(_border_popup(props, lang), max_width=360))
        line.add_to(group)
    elif layer in ("embassies", "consulates"):
        # embassies: filled dots with a white rim; consulates: white dots with a thick ring,
        # both in the sending country's colour
        lon, lat = next(_positions(geom))
        colour = SENDER_COLOUR.get(str(props.get("sending_country")), "#555555")
        if layer == "embassies":
            style: dict[str, Any] = {"radius": 9, "color": "#ffffff", "weight": 2.5,
                                     "fill_color": colour, "fill_opacity": 0.95}
        else:
            style = {"radius": 6, "color": colour, "weight": 3.5, "fill_color": "#ffffff",
                     "fill_opacity": 1.0}
        marker = _folium.CircleMarker([lat, lon], class_name=f"laovn-missions {cls}", **style)
        marker.add_child(folium.Tooltip(esc(_with_lao(mission_name(props, lang),
                                                      props.get("city_lo")))))
        marker.add_child(_Popup(_mission_popup(props, lang), max_width=360))
        marker.add_to(group)


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
