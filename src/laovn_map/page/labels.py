"""Every text the map shows, as escaped HTML: popups, tooltips, layer names and the legend,
with numbers formatted and names chosen per language; and, as plain text, each feature's
accessible name and every name it may be searched by.

One name per place and language: a province is called by `province_name` wherever the page
names it (title, tooltip, segments, the provinces across the border), which in Vietnamese is the
form the Vietnamese text writes (``Phỏng-sả-lỳ``), in English the dataset's English name. The
build stores the Vietnamese text's forms beside the English ones where one feature names
another (``neighbours_vi``, ``vn_name_vi``/``la_name_vi``), so no lookup is needed here.
Numbers and units are formatted by Babel (CLDR) in the page's language.

Every string that becomes HTML passes through `esc` (popups and tooltips from the data; layer
names, legend and attribution from `i18n`). `esc` also turns backticks, `$`, braces and
backslashes into entities, which keeps the page's own labels inert in folium's Jinja and
JavaScript templates. Country names and adjectives come from `catalog.COUNTRIES` (any other
country's name from Babel's CLDR data), feature kinds from `catalog`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any, TypeGuard

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit, get_unit_name

from laovn_map.catalog import (
    CONSULATE,
    CONSULATE_GENERAL,
    COUNTRIES,
    DATE_PRECISIONS,
    EMBASSY,
    MAP_LAYER_REGISTRY,
    MAP_LAYERS,
    OSM_LAND,
    PARTIES,
    PERIOD_2025,
    PERIOD_SOURCES,
    PERIOD_TEXT,
    PROVINCE_LAYERS,
    made_from,
)
from laovn_map.i18n import LANGUAGES, language, msgid, t, territory_name
from laovn_map.page.mapstyle import COLOURS, COUNTRY_COLOUR

_EXTRA = str.maketrans({"`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;",
                        "\\": "&#92;"})
#: The country of each province layer (the inverse of `catalog.PROVINCE_LAYERS`).
PROVINCE_COUNTRY = {layer: code for code, layer in PROVINCE_LAYERS.items()}


def esc(value: object) -> str:
    """HTML-escape `value`; braces, `$`, backticks and backslashes too (see the module doc)."""
    return html.escape("" if value is None else str(value), quote=True).translate(_EXTRA)


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _pattern(digits: int) -> str:
    """A CLDR number pattern with grouping and exactly `digits` decimals."""
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def fmt_num(value: object, lang: str, digits: int = 1) -> str:
    """A number with grouping in the page language (1,234.5 / 1.234,5), by Babel; '' when not
    a number."""
    if not is_number(value):
        return ""
    if not math.isfinite(value):  # Babel writes "∞", which the print's fonts lack
        return str(value)
    return str(format_decimal(value, format=_pattern(digits), locale=cldr_locale(lang)))


def cldr_locale(lang: str) -> str:
    """Babel's (CLDR's) locale of language `lang`."""
    return language(lang).cldr_locale


def _unit(value: object, unit: str, lang: str, digits: int) -> str:
    if not is_number(value):
        return ""
    return str(format_unit(value, unit, length="short", format=_pattern(digits),
                           locale=cldr_locale(lang)))


def km(value: object, lang: str, digits: int = 1) -> str:
    """A length in kilometres in the page language ("2,199.2 km" / "2.199,2 km"), '' if none."""
    return _unit(value, "length-kilometer", lang, digits)


def km2(value: object, lang: str, digits: int = 1) -> str:
    """An area in square kilometres in the page language ("1.234,5 km²"), '' if none."""
    return _unit(value, "area-square-kilometer", lang, digits)


def per_unit(label: str, unit: str, lang: str) -> str:
    """A column's label with the unit of its numbers, as the language writes the unit
    (CLDR's short name: "Length (km)", "ຄວາມຍາວ (ກມ)")."""
    return f"{label} ({get_unit_name(unit, length='short', locale=cldr_locale(lang))})"


#: The units the map's scale bar writes its lengths in, by the key the map script uses.
SCALE_UNITS = {"m": "length-meter", "km": "length-kilometer"}


def scale_units(lang: str) -> dict[str, str]:
    """How the language writes a length in each of the scale bar's units, CLDR's short form
    with ``{0}`` where the number goes ("{0} km", "{0} ກມ"): the map script fills in the
    number (Leaflet's own scale writes English "km")."""
    # a string value is not formatted: Babel gives the unit's pattern around it
    return {key: str(format_unit("{0}", unit, length="short", locale=cldr_locale(lang)))
            for key, unit in SCALE_UNITS.items()}


# --- names -------------------------------------------------------------------------------------

def country_name(code: object, lang: str, fallback: object = None) -> str:
    """The name of party `code` in `lang`; `fallback` (or the code) for any other country."""
    country = COUNTRIES.get(str(code))
    if country:
        return country.name(lang)
    return str(fallback if fallback not in (None, "") else code or "")


def any_country_name(code: object, lang: str) -> str:
    """The name of any country by ISO alpha-2 code in `lang`: a party's from `catalog`, any
    other's from CLDR (Babel); the code itself when CLDR has none."""
    if str(code) in COUNTRIES:
        return country_name(code, lang)
    return territory_name(str(code), cldr_locale(lang)) if code else ""


def _country_words(code: str, lang: str) -> dict[str, str]:
    return {"adjective": COUNTRIES[code].adjective(lang), "country": COUNTRIES[code].name(lang)}


def layer_label(name: str, lang: str, period: str = PERIOD_TEXT) -> str:
    """The name of a map layer (`catalog.MAP_LAYERS`) in *period*, or a layer file key, plain
    text."""
    name = PERIOD_SOURCES[period].get(name, name)
    code = PROVINCE_COUNTRY.get(name)
    if code:
        return t("layer.provinces", lang).format(**_country_words(code, lang))
    return t(_LAYER_KEYS[name], lang)


def osm_role(collections: Mapping[str, Mapping[str, Any]], lang: str,
             period: str = PERIOD_TEXT) -> str:
    """What the map takes from OpenStreetMap, for its credit: every map layer drawn in *period*
    from a layer file whose features say (their ``dataset``) they are made from it, by the name
    the map gives it then (the 2025 units when the map shows them)."""
    provenance = {key: [f.get("properties") or {} for f in c.get("features", ())]
                  for key, c in collections.items()}
    files = made_from(OSM_LAND, provenance)
    return ", ".join(layer_label(m.key, lang, period) for m in MAP_LAYER_REGISTRY
                     if PERIOD_SOURCES[period].get(m.key, m.source) in files)


#: The message of each map layer and layer file that has a name of its own (the province
#: layers take `layer.provinces` with their country).
_LAYER_KEYS: dict[str, str] = {
    "countries": msgid("layer.countries"), "water": msgid("layer.water"),
    "provinces_vn_2025": msgid("layer.provinces_vn_2025"),
    "segments_2025": msgid("layer.segments_2025"), "segments": msgid("layer.segments"),
    "border": msgid("layer.border"), "embassies": msgid("layer.embassies"),
    "consulates": msgid("layer.consulates"), "missions": msgid("layer.missions"),
    "events": msgid("layer.events"),
}


def province_count_label(code: str, lang: str) -> str:
    """"Vietnamese border provinces" for the figures table, plain text."""
    return t("count.provinces", lang).format(**_country_words(code, lang))


def kind_label(kind: object, lang: str) -> str:
    """"Embassy" or "Consulate" in `lang` (the missions' `kind`)."""
    return t(_KIND_KEYS[EMBASSY if kind == EMBASSY else CONSULATE], lang)


_KIND_KEYS = {EMBASSY: msgid("embassy"), CONSULATE: msgid("consulate")}
#: The word of each rank a source gives a mission (catalog.MISSION_RANKS).
_RANK_KEYS = {CONSULATE_GENERAL: msgid("rank.consulate-general")}


def kind_with_rank(props: Mapping[str, Any], lang: str) -> str:
    """The text's word for a mission, and beside it the rank a published source gives it
    ("Consulate (the text's word) — a consulate-general, per Vietnam News Agency, 2023"): the
    text says "consulate", the missions are consulates-general, and neither is hidden."""
    kind = kind_label(props.get("kind"), lang)
    rank = props.get("rank")
    if rank not in _RANK_KEYS:
        return kind
    return t("kind.ranked", lang).format(
        kind=kind, rank=t(_RANK_KEYS[str(rank)], lang),
        publisher=in_lang(props, "rank_source_publisher", lang) or "",
        year=str(props.get("rank_source_date") or "")[:4])


def rank_source(props: Mapping[str, Any], lang: str) -> str:
    """Where a mission's rank comes from: the item's publisher, date and address, and the
    table's row ('' where it has no rank). Not its headline: that is in one language, and the
    address finds the item."""
    if not props.get("rank_source"):
        return ""
    return t("rank.source_value", lang).format(
        publisher=in_lang(props, "rank_source_publisher", lang) or "",
        date=props.get("rank_source_date") or "", url=props.get("rank_source_url") or "",
        row=str(props.get("rank_source_row") or "").rsplit("/", 1)[-1])


def province_name(props: Mapping[str, Any], lang: str) -> str:
    """The name the language's row prefers (`i18n.Language.province_names`): the English
    name, or in Vietnamese the form the Vietnamese seed text uses (it lists the provinces; the
    dataset's `name_vi` of a Lao province is a romanisation, often the English form:
    "Attapeu", "Phongsaly")."""
    for key in (*language(lang).province_names, "name_local", "name_seed", "id"):
        if props.get(key):
            return str(props[key])
    return ""


def with_lao(name: str, lao: object) -> str:
    """*name* with its Lao-script form beside it, unless it shows that form already (a Lao
    page names a place in Lao: "ວຽງຈັນ", not "ວຽງຈັນ (ວຽງຈັນ)")."""
    return f"{name} ({lao})" if lao and str(lao) not in name else name


def lao_province_name(layer: str, props: Mapping[str, Any], lang: str) -> str:
    """A province's name, with its Lao-script name beside it when it is a Lao province."""
    name = province_name(props, lang)
    return with_lao(name, props.get("name_lo")) if PROVINCE_COUNTRY.get(layer) == "LA" else name


def in_lang(props: Mapping[str, Any], key: str, lang: str) -> Any:
    """Property `key`, or its twin in the language (`<key>_vi`) where the build wrote one."""
    suffix = language(lang).field_suffix
    return (props.get(f"{key}{suffix}") or props.get(key)) if suffix else props.get(key)


def city_name(props: Mapping[str, Any], lang: str) -> str:
    """A mission's city in the page's language: in Vietnamese its Vietnamese name where the
    build found one (``city_vi``), else the name as the English text writes it."""
    return str(in_lang(props, "city", lang) or "")


def mission_name(props: Mapping[str, Any], lang: str) -> str:
    """The data's English name, or in another language "<kind> <country> tại <city>", plain
    text."""
    if language(lang).names_from_data:
        return str(props.get("name") or props.get("id") or "")
    return t("mission.of", lang).format(kind=kind_label(props.get("kind"), lang),
                                        country=country_name(props.get("sending_country"), lang),
                                        city=city_name(props, lang))


def segment_pair(props: Mapping[str, Any], lang: str) -> str:
    """"Điện Biên – Phỏng-sả-lỳ": the segment's two provinces, named as everywhere else."""
    return f"{in_lang(props, 'vn_name', lang) or ''} – {in_lang(props, 'la_name', lang) or ''}"


def segment_title(props: Mapping[str, Any], lang: str) -> str:
    return t("segment", lang) + f": {segment_pair(props, lang)}"


def match_words(rule: object, lang: str) -> str:
    """How the text's name of a province was found in the dataset, in plain words (the rule
    itself and its score stay in the layer's properties and downloads)."""
    kind = str(rule or "").split(":", 1)[0]
    return t(_MATCH_KEYS[kind], lang) if kind in _MATCH_KEYS else ""


#: How the build found a province's name (`gazetteer`'s rules), by the rule's first word.
_MATCH_KEYS = {"exact": msgid("match.exact"), "alias": msgid("match.alias"),
               "fuzzy": msgid("match.fuzzy")}


_TEXT_LANG = re.compile(r"\.([a-z]{2})\.txt$")
#: The names of the seed texts' languages (a text's or an event's `language`): data, not the
#: page's languages.
_TEXT_LANGUAGE_KEYS = {"en": msgid("ev.language.en"), "vi": msgid("ev.language.vi")}


def text_language_name(code: object, lang: str) -> str:
    """The name of a seed text's language in `lang` ("Tiếng Anh"), '' when it is none."""
    key = _TEXT_LANGUAGE_KEYS.get(str(code))
    return t(key, lang) if key else ""


def text_lang(file: object) -> str:
    """The language of a seed text from its file name (``….en.txt`` → ``en``), or ''."""
    found = _TEXT_LANG.search(str(file or ""))
    return found.group(1) if found else ""


def border_name(props: Mapping[str, Any], lang: str) -> str:
    return str(props.get(language(lang).border_name) or t("layer.border", lang))


def event_place(props: Mapping[str, Any], lang: str) -> str:
    """The place of an event as the map names it: its Vietnamese name on the Vietnamese page
    where the dataset has one, and the form the text writes when that differs."""
    # in Vietnamese: the Vietnamese text's own form of a province (Natural Earth's `name_vi`
    # of a Lao province is a romanisation), else the dataset's Vietnamese name
    suffix = language(lang).field_suffix
    written = props.get("place_written") if props.get("language") == lang else ""
    own = (written if props.get("place_kind") == "province" else "") or \
        props.get(f"place_name{suffix}") or written
    name = str((own if suffix else "") or props.get("place_name") or "")
    written = str(props.get("place_written") or "")
    return f"{name} ({written})" if written and written != name else name


def unit_2025_name(props: Mapping[str, Any], lang: str) -> str:
    """A Vietnamese unit since 2025 by its full name as written ("Thành phố Đà Nẵng"), after
    the language's own name of it where that is another name (Lao: "ດານັງ (Thành phố Đà
    Nẵng)"); the short name alone where there is no full one."""
    full = str(props.get("name_full") or "")
    own = str(props.get(f"name{language(lang).field_suffix}") or "") \
        if language(lang).field_suffix else ""
    if not full:
        return province_name(props, lang)
    return f"{own} ({full})" if own and own not in full else full


# --- accessible names and search ------------------------------------------------------------

def accessible_name(layer: str, props: Mapping[str, Any], lang: str) -> str:
    """What a screen reader says for a feature of map layer `layer`: its kind and name in the
    page's language, plain text (not HTML; escape it where it goes into HTML), e.g.
    "Lãnh sự quán Việt Nam tại Pakse", "Vietnamese border province: Điện Biên"."""
    if layer in PROVINCE_COUNTRY:
        code = str(props.get("country") or PROVINCE_COUNTRY[layer])
        key = msgid("a11y.unit_2025") if props.get("period") == PERIOD_2025 \
            else msgid("a11y.province")
        words = _country_words(code, lang) if code in COUNTRIES else {"adjective": "",
                                                                      "country": code}
        name = unit_2025_name(props, lang) if props.get("period") == PERIOD_2025 \
            else province_name(props, lang)
        return t(key, lang).format(name=name, **words)
    if layer == "segments":
        length = km(props.get("length_km"), lang)
        return t("segment", lang) + f" {segment_pair(props, lang)}" + (f", {length}" if length
                                                                      else "")
    if layer == "border":
        return border_name(props, lang)
    if layer in ("embassies", "consulates"):
        return t("a11y.mission", lang).format(
            kind=kind_label(props.get("kind"), lang),
            country=country_name(props.get("sending_country"), lang,
                                 props.get("sending_country_name")),
            city=city_name(props, lang))
    if layer == "water":
        area = km2(props.get("area_km2"), lang)
        return t("layer.water", lang) + (f", {area}" if area else "")
    if layer == "countries":
        return any_country_name(props.get("iso_a2"), lang)
    if layer == "events":
        return t("a11y.event", lang) + f" {event_date(props, lang)}, {event_place(props, lang)}"
    return str(props.get("id") or "")


#: The name fields of each kind of feature, as the layers hold them.
_PROVINCE_NAMES = ("name_en", "name_seed", "name_vi", "name_local", "name_lo", "name_full")
_MISSION_NAMES = ("name", "city", "city_vi", "city_lo", "geonames_name", "province_name",
                  "province_name_vi", "province_name_lo")
_EVENT_NAMES = ("place_written", "place_name", "place_name_vi")


def other_names(props: Mapping[str, Any]) -> list[str]:
    """The other names the datasets and tables give a feature's place (``other_names``, the
    build's ``|``-separated list)."""
    return [n for n in str(props.get("other_names") or "").split("|") if n.strip()]


def event_years(props: Mapping[str, Any]) -> list[str]:
    """The years an event's dates span, each as a name it may be searched by ("1987",
    "1988" for December 1987 to February 1988)."""
    first, last = str(props.get("start") or "")[:4], str(props.get("end") or "")[:4]
    if not (first.isdigit() and len(first) == 4):
        return []
    last = last if last.isdigit() and len(last) == 4 and last >= first else first
    return [str(year) for year in range(int(first), int(last) + 1)]


def search_names(layer: str, props: Mapping[str, Any]) -> list[str]:
    """Every name feature `props` of map layer `layer` goes by, plain text, without repeats:
    what the page calls it in each language, and the names the data holds (English,
    Vietnamese, the Vietnamese text's transliteration, Lao script, the dataset's romanisation;
    a mission's city and the province it lies in, in every language; an event's place as the
    text writes it and the datasets name it, and its years), then the other names the
    datasets and tables give the place. For an in-map search to index; [] for a feature
    without a name (inland water)."""
    names: list[object] = []
    langs = tuple(LANGUAGES)
    if layer in PROVINCE_COUNTRY:
        names = [*(province_name(props, lang) for lang in langs),
                 *(props.get(key) for key in _PROVINCE_NAMES), *other_names(props)]
    elif layer == "segments":
        names = [segment_pair(props, lang) for lang in langs]
    elif layer == "border":
        names = [props.get("name_en"), props.get("name_vi")]
    elif layer in ("embassies", "consulates"):
        names = [*(mission_name(props, lang) for lang in langs),
                 *(props.get(key) for key in _MISSION_NAMES), *other_names(props)]
    elif layer == "events":
        names = [*(event_place(props, lang) for lang in langs),
                 *(props.get(key) for key in _EVENT_NAMES), *event_years(props),
                 *other_names(props)]
    elif layer == "countries":
        names = [any_country_name(props.get("iso_a2"), lang) for lang in langs]
    return list(dict.fromkeys(str(n).strip() for n in names if n and str(n).strip()))


# --- the legend ------------------------------------------------------------------------------

def _legend_rows(layer: str, lang: str, period: str) -> list[str]:
    """The swatches and names of one map layer's legend entry (none for the base map)."""
    if layer in PROVINCE_COUNTRY:
        colour = COUNTRY_COLOUR[PROVINCE_COUNTRY[layer]]
        return [f'<i class="sw" style="background:{colour}55;border-color:{colour}"></i>'
                + esc(layer_label(layer, lang, period))]
    if layer == "water":
        return [f'<i class="sw" style="background:{COLOURS["water"]};'
                f'border-color:{COLOURS["water_line"]}"></i>' + esc(layer_label(layer, lang, period))]
    if layer == "border":
        return [f'<i class="ln" style="border-color:{COLOURS["border"]}"></i>'
                + esc(layer_label(layer, lang, period))]
    if layer == "events":
        return [f'<i class="dot" style="width:11px;height:11px;background:{COLOURS["event"]}">'
                '</i>' + esc(layer_label(layer, lang, period))]
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


def _shared_row(layer: str, codes: Sequence[str], lang: str, period: str) -> str:
    """The legend's row of the missions of `layer` that have an event at their very spot,
    one swatch per sending country in `codes`: the event's dot drawn in the mission's symbol,
    as the map draws the two."""
    event, paper = COLOURS["event"], COLOURS["paper"]
    marks = []
    for code in codes:
        colour = COUNTRY_COLOUR[code]
        if layer == "embassies":
            marks.append(f'<i class="dot" style="width:14px;height:14px;background:radial-gradient('
                         f'circle,{event} 0 4px,{paper} 4px 5px,{colour} 5px)"></i>')
        else:
            marks.append(f'<i class="dot ring" style="width:9px;height:9px;margin:0 8px 0 2px;'
                         f'border-width:2px;border-color:{colour};background:radial-gradient('
                         f'circle,{event} 0 3.5px,{paper} 3.5px)"></i>')
    missions = layer_label(layer, lang, period)
    return "".join(marks) + esc(t("legend.shared", lang).format(missions=missions))


def legend_html(visible: Collection[str], lang: str, period: str = PERIOD_TEXT,
                shared: Sequence[tuple[str, str]] = ()) -> str:
    """The legend of the `visible` map layers, in the colours of `mapstyle` and the layer
    control's order (`catalog.MAP_LAYERS`): a button that folds it, then one entry per layer
    (`data-layer`, which the map's script hides while its layer is off). Empty when no shown
    layer has an entry. `shared` (mission layer, sending country) names the missions that have
    an event at their very spot (`browserdata.shared_spots`): an entry for each such mission
    layer, after the events', a swatch per country, shown while both layers are on
    (`data-layer` names them both)."""
    entries = [f'<div class="laovn-legend-entry" data-layer="{esc(layer)}">'
               + "".join(f"<div>{row}</div>" for row in rows) + "</div>"
               for layer in MAP_LAYERS
               if layer in visible and (rows := _legend_rows(layer, lang, period))]
    if not entries:
        return ""
    for layer in dict.fromkeys(layer for layer, _code in shared):
        if layer in visible and "events" in visible:
            codes = [code for mission, code in shared if mission == layer]
            entries.append(f'<div class="laovn-legend-entry" data-layer="events {esc(layer)}">'
                           f"<div>{_shared_row(layer, codes, lang, period)}</div></div>")
    return ('<button type="button" class="laovn-legend-toggle" aria-expanded="true" '
            'aria-controls="laovn-legend-body">' + esc(t("legend", lang)) + "</button>"
            '<div class="laovn-legend-body" id="laovn-legend-body">' + "".join(entries) + "</div>")


# --- dates and the events layer --------------------------------------------------------------

def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


#: How a century is numbered, by `i18n.Language.century_numerals`: "cardinal" is the bare
#: number, for a language whose catalog writes the ordinal word itself (Lao "ສັດຕະວັດທີ {century}").
_CENTURY_NUMERALS: dict[str, Callable[[int], str]] = {"ordinal": _ordinal, "roman": _roman,
                                                      "cardinal": str}


def day_label(day: date, lang: str) -> str:
    """A day in the page's language, as its row of `i18n.LANGUAGES` writes one (Babel, with
    CLDR's month names): "September 4, 1945", "ngày 4 tháng 9 năm 1945"."""
    return format_date(day, format=language(lang).day_format, locale=cldr_locale(lang))


def _one_date(iso: str, precision: str, lang: str) -> str:
    day = date.fromisoformat(iso)
    if precision == "day":
        return day_label(day, lang)
    if precision == "month":
        return format_skeleton("yMMMM", day, locale=cldr_locale(lang))
    if precision == "decade":
        return t("period.decade", lang).format(y=day.year - day.year % 10)
    if precision == "century":
        number = (day.year - 1) // 100 + 1
        numerals = _CENTURY_NUMERALS[language(lang).century_numerals]
        return t("period.century", lang).format(century=numerals(number))
    return str(day.year)


def period_label(start: object, end: object, precision: object, lang: str,
                 open_end: object = False) -> str:
    """A date or period of the texts in the page's language (CLDR's forms through Babel):
    ``4 September 1945``, ``April 2012``, ``1989 – 2012``, ``the 1980s``, ``thế kỷ XIX``,
    ``since 1975`` (*open_end*: the text gives no end, `end` is only where the timeline stops);
    '' when there is none."""
    if not (isinstance(start, str) and isinstance(end, str) and precision in DATE_PRECISIONS):
        return ""
    first = _one_date(start, str(precision), lang)
    if open_end is True:
        return t("period.open", lang).format(a=first)
    last = _one_date(end, str(precision), lang)
    return first if first == last else t("period.range", lang).format(a=first, b=last)


def event_date(props: Mapping[str, Any], lang: str) -> str:
    """An event's date or period (its `start`, `end`, `precision` and `open_end`), in the
    page's language."""
    return period_label(props.get("start"), props.get("end"), props.get("precision"), lang,
                        props.get("open_end"))
