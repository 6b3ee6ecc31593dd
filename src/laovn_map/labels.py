"""Every text the map shows, as escaped HTML: popups, tooltips, layer names and the legend,
with numbers formatted and names chosen per language.

Every string that becomes HTML passes through `esc` (popups and tooltips from the data; layer
names, legend and attribution from `i18n`). `esc` also turns backticks, `$`, braces and
backslashes into entities, which keeps the page's own labels inert in folium's Jinja and
JavaScript templates. Country names and adjectives come from `catalog.COUNTRIES` (any other
country's name from Babel's CLDR data), feature kinds from `catalog`.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date

from laovn_map.catalog import (
    CONSULATE,
    COUNTRIES,
    EMBASSY,
    MAP_LAYERS,
    PARTIES,
    PERIOD_2025,
    PERIOD_SOURCES,
    PERIOD_TEXT,
    PROVINCE_LAYERS,
)
from laovn_map.i18n import t
from laovn_map.mapstyle import COLOURS, COUNTRY_COLOUR

_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;",
                        "\\": "&#92;"})
#: The country of each province layer (the inverse of `catalog.PROVINCE_LAYERS`).
_PROVINCE_COUNTRY = {layer: code for code, layer in PROVINCE_LAYERS.items()}


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


def km(value: object, lang: str) -> str:
    num = fmt_num(value, lang)
    return f"{num} {t('km', lang)}" if num else ""


def km2(value: object, lang: str) -> str:
    num = fmt_num(value, lang)
    return f"{num} {t('km2', lang)}" if num else ""


# --- names -------------------------------------------------------------------------------------

def country_name(code: object, lang: str, fallback: object = None) -> str:
    """The name of party `code` in `lang`; `fallback` (or the code) for any other country."""
    country = COUNTRIES.get(str(code))
    if country:
        return country.name(lang)
    return str(fallback if fallback not in (None, "") else code or "")


@cache
def _territories(lang: str) -> Mapping[str, str]:
    territories: Mapping[str, str] = Locale.parse(lang).territories
    return territories


def any_country_name(code: object, lang: str) -> str:
    """The name of any country by ISO alpha-2 code in `lang`: a party's from `catalog`, any
    other's from CLDR (Babel); the code itself when CLDR has none."""
    if str(code) in COUNTRIES:
        return country_name(code, lang)
    return str(_territories(lang).get(str(code), code or ""))


def _country_words(code: str, lang: str) -> dict[str, str]:
    return {"adjective": COUNTRIES[code].adjective_en, "country": COUNTRIES[code].name(lang)}


def layer_label(name: str, lang: str, period: str = PERIOD_TEXT) -> str:
    """The name of a map layer (`catalog.MAP_LAYERS`) in *period*, or a layer file key, plain
    text."""
    name = PERIOD_SOURCES[period].get(name, name)
    code = _PROVINCE_COUNTRY.get(name)
    if code:
        return t("layer.provinces", lang).format(**_country_words(code, lang))
    return t(f"layer.{name}", lang)


def province_count_label(code: str, lang: str) -> str:
    """"Vietnamese border provinces" for the figures table, plain text."""
    return t("count.provinces", lang).format(**_country_words(code, lang))


def kind_label(kind: object, lang: str) -> str:
    """"Embassy" or "Consulate" in `lang` (the missions' `kind`)."""
    return t(EMBASSY if kind == EMBASSY else CONSULATE, lang)


def province_name(props: Mapping[str, Any], lang: str) -> str:
    """English name, or in Vietnamese the form the Vietnamese seed text uses (it lists the
    provinces; the dataset's `name_vi` of a Lao province is not the Vietnamese spelling)."""
    order = ("name_seed", "name_vi", "name_en") if lang == "vi" else ("name_en", "name_vi")
    for key in (*order, "name_local", "name_seed", "id"):
        if props.get(key):
            return str(props[key])
    return ""


def with_lao(name: str, lao: object) -> str:
    return f"{name} ({lao})" if lao else name


def city_name(props: Mapping[str, Any], lang: str) -> str:
    """A mission's city in the page's language: in Vietnamese its Vietnamese name where the
    build found one (``city_vi``), else the name as the English text writes it."""
    if lang == "vi" and props.get("city_vi"):
        return str(props["city_vi"])
    return str(props.get("city") or "")


def mission_name(props: Mapping[str, Any], lang: str) -> str:
    """The data's English name, or in Vietnamese "<kind> <country> tại <city>", plain text."""
    if lang != "vi":
        return str(props.get("name") or props.get("id") or "")
    return t("mission.of", lang).format(kind=kind_label(props.get("kind"), lang),
                                        country=country_name(props.get("sending_country"), lang),
                                        city=city_name(props, lang))


def segment_title(props: Mapping[str, Any], lang: str) -> str:
    return f"{t('segment', lang)}: {props.get('vn_name', '')} – {props.get('la_name', '')}"


# --- popups ----------------------------------------------------------------------------------

def _quote_html(label: str, quote: object, file: object, line: object) -> str:
    if not quote:
        return ""
    cite = f"{file}:{line}" if file and line not in (None, "") else str(file or "")
    return (
        '<div class="laovn-quote-label">' + esc(label)
        + (f' <span class="laovn-cite">{esc(cite)}</span>' if cite else "") + "</div>"
        # a long quote scrolls in its box: focusable, so the keyboard can scroll it too
        + '<blockquote class="laovn-quote" tabindex="0">'
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


def _source_quote(props: Mapping[str, Any], lang: str) -> str:
    return _quote_html(t("prop.source", lang), props.get("source_quote"),
                       props.get("source_file"), props.get("source_line"))


def _date(iso: object, lang: str) -> str:
    """An ISO date in the page's language (CLDR's long form), '' when there is none."""
    if not iso:
        return ""
    return format_date(date.fromisoformat(str(iso)), format="long", locale=lang)


def _unit_popup(props: Mapping[str, Any], lang: str) -> str:
    """A Vietnamese unit since 2025: what it was made of, when and by which resolution."""
    note = props.get("change_note_vi" if lang == "vi" else "change_note")
    resolution = props.get("resolution")
    if resolution:
        resolution = t("unit.resolution", lang).format(
            resolution=resolution, in_force=_date(props.get("in_force"), lang),
            operating=_date(props.get("operating_from"), lang))
    return popup_html(props.get("id"), str(props.get("name_full") or province_name(props, lang)), [
        (t("prop.national_code", lang), props.get("national_code")),
        (t("prop.merged_from", lang), props.get("merged_from")),
        (t("prop.area", lang), km2(props.get("area_km2"), lang)),
        (t("prop.border_length", lang), km(props.get("border_length_km"), lang)),
        (t("prop.neighbours", lang), props.get("neighbours")),
        (t("prop.resolution", lang), resolution or t("unit.unchanged", lang)),
        (t("prop.dataset", lang), props.get("converter")),
    ], [f'<div class="laovn-note">{esc(note)}</div>' if note else "",
        f'<div class="laovn-note">{esc(t("unit.no_iso", lang))}</div>'])


def _province_popup(props: Mapping[str, Any], lang: str) -> str:
    if props.get("period") == PERIOD_2025:
        return _unit_popup(props, lang)
    rule, score = props.get("match_rule"), props.get("match_score")
    match = f"{rule} ({score})" if rule and score not in (None, "") else (rule or "")
    return popup_html(props.get("id"), province_name(props, lang), [
        (t("prop.code", lang), props.get("iso_3166_2") or props.get("id")),
        (t("prop.name_vi", lang), props.get("name_vi")),
        (t("prop.name_en", lang), props.get("name_en")),
        (t("prop.name_local", lang), props.get("name_local")),
        (t("prop.name_lo", lang), props.get("name_lo")),
        (t("prop.name_seed", lang), props.get("name_seed")),
        (t("prop.border_length", lang), km(props.get("border_length_km"), lang)),
        (t("prop.neighbours", lang), props.get("neighbours")),
        (t("prop.match", lang), match),
        (t("prop.dataset", lang), props.get("dataset")),
    ], [_source_quote(props, lang)])


def _border_name(props: Mapping[str, Any], lang: str) -> str:
    return str(props.get("name_vi" if lang == "vi" else "name_en") or t("layer.border", lang))


def _border_popup(props: Mapping[str, Any], lang: str) -> str:
    stated = km(props.get("length_km_stated"), lang)
    if props.get("stated_text"):
        stated = f"{stated} ({props['stated_text']})" if stated else str(props["stated_text"])
    return popup_html(props.get("id"), _border_name(props, lang), [
        (t("fig.osm", lang), km(props.get("length_km_osm"), lang)),
        (t("fig.ne", lang), km(props.get("length_km_ne"), lang)),
        (t("fig.stated", lang), stated),
        (t("prop.dataset", lang), props.get("dataset")),
    ], [f'<div class="laovn-note">{esc(t("border.why", lang))}</div>',
        _source_quote(props, lang)])


def _segment_popup(props: Mapping[str, Any], lang: str) -> str:
    return popup_html(props.get("id"), segment_title(props, lang), [
        (t("prop.code", lang), f"{props.get('vn_code', '')} – {props.get('la_code', '')}"),
        (t("prop.length", lang), km(props.get("length_km"), lang)),
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
    return popup_html(props.get("id"), mission_name(props, lang), [
        (t("prop.kind", lang), kind_label(props.get("kind"), lang)),
        (t("prop.city", lang), with_lao(city_name(props, lang), props.get("city_lo"))),
        (t("prop.sending", lang), country_name(props.get("sending_country"), lang,
                                               props.get("sending_country_name"))),
        (t("prop.host", lang), country_name(props.get("host_country"), lang,
                                            props.get("host_country_name"))),
        (t("prop.geonames", lang), gn),
        (t("prop.ambassador", lang), amb),
    ], [
        _source_quote(props, lang),
        _quote_html(t("prop.infobox", lang), props.get("infobox_quote"),
                    props.get("source_file"), props.get("infobox_line")),
    ])


def _water_popup(props: Mapping[str, Any], lang: str) -> str:
    # the datasets name no water body: the title says what it is, not what it is called
    return popup_html(props.get("id"), t("layer.water", lang), [
        (t("prop.area", lang), km2(props.get("area_km2"), lang)),
        (t("col.country", lang), country_name(props.get("country"), lang) if props.get("country")
         else ""),
        (t("prop.source_feature", lang), props.get("source_feature")),
        (t("prop.dataset", lang), props.get("dataset")),
    ])


def feature_texts(layer: str, props: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(tooltip, popup) HTML of a feature of map layer `layer`; all its data escaped."""
    if layer in _PROVINCE_COUNTRY:
        return (esc(with_lao(province_name(props, lang), props.get("name_lo"))),
                _province_popup(props, lang))
    if layer == "segments":
        length = km(props.get("length_km"), lang)
        return (esc(segment_title(props, lang) + (f" · {length}" if length else "")),
                _segment_popup(props, lang))
    if layer == "border":
        return esc(_border_name(props, lang)), _border_popup(props, lang)
    if layer in ("embassies", "consulates"):
        return (esc(with_lao(mission_name(props, lang), props.get("city_lo"))),
                _mission_popup(props, lang))
    if layer == "water":
        area = km2(props.get("area_km2"), lang)
        title = t("layer.water", lang)
        return esc(f"{title} · {area}" if area else title), _water_popup(props, lang)
    return "", ""


# --- the legend ------------------------------------------------------------------------------

def _legend_rows(layer: str, lang: str, period: str) -> list[str]:
    """The swatches and names of one map layer's legend entry (none for the base map)."""
    if layer in _PROVINCE_COUNTRY:
        colour = COUNTRY_COLOUR[_PROVINCE_COUNTRY[layer]]
        return [f'<i class="sw" style="background:{colour}55;border-color:{colour}"></i>'
                + esc(layer_label(layer, lang, period))]
    if layer == "water":
        return [f'<i class="sw" style="background:{COLOURS["water"]};'
                f'border-color:{COLOURS["water_line"]}"></i>' + esc(layer_label(layer, lang, period))]
    if layer == "border":
        return [f'<i class="ln" style="border-color:{COLOURS["border"]}"></i>'
                + esc(layer_label(layer, lang, period))]
    if layer == "segments":
        return [f'<i class="ln" style="border-top-width:7px;border-color:{COLOURS["segment_a"]}">'
                f'</i><i class="ln" style="border-top-width:7px;margin-left:-6px;'
                f'border-color:{COLOURS["segment_b"]}"></i>' + esc(layer_label(layer, lang, period))]
    rows = []
    for code in PARTIES:
        colour, name = COUNTRY_COLOUR[code], COUNTRIES[code].name(lang)
        if layer == "embassies":
            rows.append(f'<i class="dot" style="width:14px;height:14px;background:{colour}"></i>'
                        + esc(t("legend.embassy", lang).format(country=name)))
        elif layer == "consulates":
            rows.append(f'<i class="dot ring" style="width:7px;height:7px;margin:0 9px 0 3px;'
                        f'border-color:{colour}"></i>'
                        + esc(t("legend.consulate", lang).format(country=name)))
    return rows


def legend_html(visible: Collection[str], lang: str, period: str = PERIOD_TEXT) -> str:
    """The legend of the `visible` map layers, in the colours of `mapstyle` and the layer
    control's order (`catalog.MAP_LAYERS`): a button that folds it, then one entry per layer
    (`data-layer`, which the map's script hides while its layer is off). Empty when no shown
    layer has an entry."""
    entries = [f'<div class="laovn-legend-entry" data-layer="{esc(layer)}">'
               + "".join(f"<div>{row}</div>" for row in rows) + "</div>"
               for layer in MAP_LAYERS
               if layer in visible and (rows := _legend_rows(layer, lang, period))]
    if not entries:
        return ""
    return ('<button type="button" class="laovn-legend-toggle" aria-expanded="true" '
            f'aria-controls="laovn-legend-body">{esc(t("legend", lang))}</button>'
            '<div class="laovn-legend-body" id="laovn-legend-body">' + "".join(entries) + "</div>")
