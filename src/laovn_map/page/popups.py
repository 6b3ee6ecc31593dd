"""Every feature's tooltip and popup, as escaped HTML, in the page's language: the facts of
its layer, the sentence it comes from with its article, section, file and line, and where a name or a figure
comes from (`feature_texts`). Names, numbers and dates come from :mod:`labels`; every text
from the data passes through `labels.esc`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from laovn_map.catalog import AREA_OFF_PCT, DATASETS_BY_KEY, PERIOD_2025
from laovn_map.i18n import DEFAULT_LANG, language, t
from laovn_map.page.labels import (
    PROVINCE_COUNTRY,
    border_name,
    city_name,
    country_name,
    day_label,
    esc,
    event_date,
    event_place,
    fmt_num,
    in_lang,
    is_number,
    kind_with_rank,
    km,
    km2,
    lao_province_name,
    match_words,
    mission_name,
    period_label,
    province_name,
    rank_source,
    segment_title,
    text_lang,
    text_language_name,
    unit_2025_name,
    with_lao,
)


def source_cite(file: object, line: object, article: object, section: object, lang: str) -> str:
    """Where a quote is, as a reader looks it up, as escaped HTML: the article, its language and
    section ("Wikipedia (en), «Laos–Vietnam relations», §History"), then the file and line the
    build read, kept for the record; the file and line alone for a build older than the
    articles' metadata (no `article`). The title and section are in the text's language and
    marked so (a screen reader reads an English title as English on the Vietnamese page)."""
    where = esc(f"{file}:{line}" if file and line not in (None, "") else str(file or ""))
    if not article:
        return where
    text = text_lang(file)
    marked = f' lang="{esc(text)}"' if text else ""
    heading = (f"<span{marked}>{esc(section)}</span>" if section
               else esc(t("cite.lead", lang)))
    # the message filled with stand-ins, escaped, then the stand-ins replaced by their HTML
    # (`esc` escapes braces too, so the message cannot be filled after it)
    pieces = {"\ue000": f"<span{marked}>{esc(article)}</span>", "\ue001": heading}
    cited = esc(t("cite.source", lang).format(language=text or "?", title="\ue000",
                                              section="\ue001"))
    for stand_in, piece in pieces.items():
        cited = cited.replace(stand_in, piece)
    return f"{cited} — {where}" if where else cited


def _quote_html(label: str, quote: object, cite: str, file: object) -> str:
    """A quoted passage, marked with its text's language (a screen reader then reads an English
    quote as English on the Vietnamese page, WCAG's "language of parts"); `cite` is HTML
    (`source_cite`)."""
    if not quote:
        return ""
    lang = text_lang(file)
    return (
        '<div class="laovn-quote-label">' + esc(label)
        + (f' <span class="laovn-cite">{cite}</span>' if cite else "") + "</div>"
        # a long quote scrolls in its box: focusable, so the keyboard can scroll it too
        + '<blockquote class="laovn-quote" tabindex="0"' + (f' lang="{esc(lang)}"' if lang else "")
        + ">"
        + "<br>".join(esc(part) for part in str(quote).split("\n")) + "</blockquote>"
    )


Row = tuple[str, object] | tuple[str, object, str]


def _row(row: Row) -> str:
    """A popup's table row; a third item names the value's language (the English name on the
    Vietnamese page is English, and a screen reader should say it so)."""
    label, value, *lang = row
    marked = f' lang="{esc(lang[0])}"' if lang and lang[0] else ""
    return f"<tr><th>{esc(label)}</th><td{marked}>{esc(value)}</td></tr>"


def popup_html(feature_id: object, title: str, rows: Iterable[Row],
               quotes: Iterable[str] = ()) -> str:
    """Popup body: an escaped title, a table of non-empty rows and pre-built quote blocks."""
    body = "".join(_row(row) for row in rows if row[1] not in (None, ""))
    return (
        f'<div class="laovn-popup" data-id="{esc(feature_id)}">'
        f'<div class="laovn-title">{esc(title)}</div>'
        + (f'<table class="laovn-props">{body}</table>' if body else "")
        + "".join(quotes) + "</div>"
    )


def _note(text: str) -> str:
    return f'<div class="laovn-note">{esc(text)}</div>'


def _source_quote(props: Mapping[str, Any], lang: str) -> str:
    file = props.get("source_file")
    return _quote_html(t("prop.source", lang), props.get("source_quote"), source_cite(
        file, props.get("source_line"), props.get("source_article"), props.get("source_section"),
        lang), file)


def _date(iso: object, lang: str) -> str:
    """An ISO date in the page's language (CLDR's long form), '' when there is none."""
    if not iso:
        return ""
    return day_label(date.fromisoformat(str(iso)), lang)


def area_rows(props: Mapping[str, Any], lang: str) -> list[Row]:
    """A province's measured area, its official one with the source and year, and the difference
    (the build's ``area_*`` properties)."""
    official, pct = props.get("area_km2_official"), props.get("area_difference_pct")
    return [
        (t("prop.area_measured", lang), km2(props.get("area_km2"), lang)),
        (t("prop.area_official", lang), t("area.official_value", lang).format(
            area=km2(official, lang, 2), year=props.get("area_official_year") or "")
         if is_number(official) else ""),
        (t("prop.area_difference", lang), signed_pct(pct, lang)),
    ]


def area_source(props: Mapping[str, Any], lang: str) -> str:
    """Where a province's official area comes from: package, its sources and the table's row."""
    if not props.get("area_official_source"):
        return ""
    return t("area.source_value", lang).format(
        package=props.get("area_official_package"), source=props["area_official_source"],
        row=PurePosixPath(str(props.get("area_official_row"))).name)


def signed_pct(value: object, lang: str) -> str:
    """A difference in per cent with its sign ("+15.0 %"), '' when there is none."""
    if not is_number(value):
        return ""
    return ("+" if float(value) > 0 else "") + fmt_num(value, lang, 1) + " %"


def area_notes(props: Mapping[str, Any], lang: str) -> list[str]:
    """What a reader must know of the area: where the official one comes from (a note, not a
    row: its long names would squeeze the popup's table), whether the outline is off (past the
    threshold), or that no official area is in the data."""
    source = area_source(props, lang)
    notes = [_note(t("area.source_note", lang).format(source=source))] if source else []
    if props.get("area_boundary_off"):
        # the dataset named is the feature's own provenance (a 2025 unit's outline is its
        # members' dissolved by the converter), not one typed into the message
        # i18n: {dataset} is the title of what the outline is made from (in the page's language)
        return [*notes, _note(t("area.boundary_off", lang).format(
            dataset=in_lang(props, "dataset", lang) or "",
            threshold=fmt_num(AREA_OFF_PCT, lang, 0)))]
    if props.get("area_km2") is not None and not is_number(props.get("area_km2_official")):
        return [_note(t("area.no_official", lang))]
    return notes


def _unit_popup(props: Mapping[str, Any], lang: str) -> str:
    """A Vietnamese unit since 2025: what it was made of, when and by which resolution."""
    # the resolution's note in the page's language, else the table's English, marked so
    own = props.get(f"change_note{language(lang).field_suffix}")
    note, marked = (own, "") if own else (props.get("change_note"), f' lang="{DEFAULT_LANG}"')
    resolution = props.get("resolution")
    if resolution:
        resolution = t("unit.resolution", lang).format(
            resolution=resolution, in_force=_date(props.get("in_force"), lang),
            operating=_date(props.get("operating_from"), lang))
    return popup_html(props.get("id"), unit_2025_name(props, lang), [
        (t("prop.national_code", lang), props.get("national_code")),
        (t("prop.merged_from", lang), in_lang(props, "merged_from", lang)),
        *area_rows(props, lang),
        (t("prop.border_length", lang), km(props.get("border_length_km"), lang)),
        (t("prop.neighbours", lang), in_lang(props, "neighbours", lang)),
        (t("prop.resolution", lang), resolution or t("unit.unchanged", lang)),
        (t("prop.dataset", lang), props.get("converter")),
    ], [*area_notes(props, lang), f'<div class="laovn-note"{marked}>{esc(note)}</div>' if note else "",
        _note(t("unit.no_iso", lang))])


def _province_popup(layer: str, props: Mapping[str, Any], lang: str) -> str:
    if props.get("period") == PERIOD_2025:
        return _unit_popup(props, lang)
    return popup_html(props.get("id"), lao_province_name(layer, props, lang), [
        (t("prop.code", lang), props.get("iso_3166_2") or props.get("id")),
        (t("prop.name_vi", lang), province_name(props, "vi")),
        # the data's names are English: marked so on a page in another language
        (t("prop.name_en", lang), props.get("name_en"),
         "" if language(lang).names_from_data else "en"),
        (t("prop.name_local", lang), props.get("name_local")),
        (t("prop.name_lo", lang), props.get("name_lo"), "lo"),
        *area_rows(props, lang),
        (t("prop.border_length", lang), km(props.get("border_length_km"), lang)),
        (t("prop.neighbours", lang), in_lang(props, "neighbours", lang)),
        (t("prop.match", lang), match_words(props.get("match_rule"), lang)),
        (t("prop.dataset", lang), in_lang(props, "dataset", lang)),
    ], [*area_notes(props, lang), _source_quote(props, lang)])


def _border_popup(props: Mapping[str, Any], lang: str) -> str:
    value = props.get("length_km_stated")
    stated = km(value, lang, 0 if is_number(value) and float(value).is_integer() else 1)
    if props.get("stated_text"):
        stated = f"{stated} ({props['stated_text']})" if stated else str(props["stated_text"])
    return popup_html(props.get("id"), border_name(props, lang), [
        (t("fig.osm", lang), km(props.get("length_km_osm"), lang)),
        (t("fig.ne", lang), km(props.get("length_km_ne"), lang)),
        (t("fig.stated", lang), stated),
        (t("prop.dataset", lang), in_lang(props, "dataset", lang)),
    ], [_note(t("border.why", lang)),
        _source_quote(props, lang)])


def _segment_popup(props: Mapping[str, Any], lang: str) -> str:
    return popup_html(props.get("id"), segment_title(props, lang), [
        (t("prop.code", lang), f"{props.get('vn_code', '')} – {props.get('la_code', '')}"),
        (t("prop.length", lang), km(props.get("length_km"), lang)),
        (t("prop.dataset", lang), in_lang(props, "dataset", lang)),
    ])


def _geonames(props: Mapping[str, Any], lang: str) -> str:
    """The GeoNames record of a mission's city: its name and id, population. The record's own
    name is English: a language whose names are not the data's calls it by the city's name."""
    if not props.get("geonames_name"):
        return ""
    pop = fmt_num(props.get("geonames_population"), lang, 0)
    name = props["geonames_name"] if language(lang).names_from_data else city_name(props, lang)
    record = t("geonames.record", lang).format(name=name, id=props.get("geonames_id", ""))
    return record + (", " + t("prop.population", lang) + f" {pop}" if pop else "")


def ambassador_text(props: Mapping[str, Any], lang: str) -> str:
    """The envoy and his title: the infobox's English title, or in Vietnamese the same title
    said from the mission's two countries ("Đại sứ Việt Nam tại Lào")."""
    amb, title = str(props.get("ambassador") or ""), props.get("ambassador_title")
    if not (amb and title):
        return amb
    if not language(lang).names_from_data:
        title = t("ambassador.title", lang).format(
            sending=country_name(props.get("sending_country"), lang),
            host=country_name(props.get("host_country"), lang))
    return f"{amb} ({title})"


def _mission_popup(props: Mapping[str, Any], lang: str) -> str:
    source = rank_source(props, lang)
    return popup_html(props.get("id"), mission_name(props, lang), [
        (t("prop.kind", lang), kind_with_rank(props, lang)),
        (t("prop.city", lang), with_lao(city_name(props, lang), props.get("city_lo"))),
        (t("prop.sending", lang), country_name(props.get("sending_country"), lang,
                                               props.get("sending_country_name"))),
        (t("prop.host", lang), country_name(props.get("host_country"), lang,
                                            props.get("host_country_name"))),
        (t("prop.geonames", lang), _geonames(props, lang)),
        (t("prop.ambassador", lang), ambassador_text(props, lang)),
    ], [
        # a note, not a row: the title and the address would squeeze the table
        _note(t("rank.source_note", lang).format(source=source)) if source else "",
        _source_quote(props, lang),
        # the infobox is in the article's lead, before any section
        _quote_html(t("prop.infobox", lang), props.get("infobox_quote"), source_cite(
            props.get("source_file"), props.get("infobox_line"), props.get("source_article"),
            "", lang), props.get("source_file")),
    ])


def _water_popup(props: Mapping[str, Any], lang: str) -> str:
    # the datasets name no water body: the title says what it is, not what it is called
    return popup_html(props.get("id"), t("layer.water", lang), [
        (t("prop.area", lang), km2(props.get("area_km2"), lang)),
        (t("col.country", lang), country_name(props.get("country"), lang) if props.get("country")
         else ""),
        (t("prop.source_feature", lang), in_lang(props, "source_feature", lang)),
        (t("prop.dataset", lang), in_lang(props, "dataset", lang)),
    ])


def feature_texts(layer: str, props: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(tooltip, popup) HTML of a feature of map layer `layer`; all its data escaped."""
    if layer in PROVINCE_COUNTRY:
        return esc(lao_province_name(layer, props, lang)), _province_popup(layer, props, lang)
    if layer == "segments":
        length = km(props.get("length_km"), lang)
        return (esc(segment_title(props, lang) + (f" · {length}" if length else "")),
                _segment_popup(props, lang))
    if layer == "border":
        return esc(border_name(props, lang)), _border_popup(props, lang)
    if layer in ("embassies", "consulates"):
        return (esc(with_lao(mission_name(props, lang), props.get("city_lo"))),
                _mission_popup(props, lang))
    if layer == "events":
        return (esc(f"{event_date(props, lang)} · {event_place(props, lang)}"),
                _event_popup(props, lang))
    if layer == "water":
        area = km2(props.get("area_km2"), lang)
        title = t("layer.water", lang)
        return esc(f"{title} · {area}" if area else title), _water_popup(props, lang)
    return "", ""


def dataset_title(key: object, lang: str, fallback: object = "") -> str:
    """The title of the dataset `key` (`catalog.DATASETS_BY_KEY`) in the page's language, by
    the catalogs; `fallback` (the layer's English title) for a key the catalog lacks."""
    dataset = DATASETS_BY_KEY.get(str(key))
    return dataset.title_in(lang) if dataset else str(fallback or "")


def _event_popup(props: Mapping[str, Any], lang: str) -> str:
    """An event at one of its places: its date in the page's language and as the text writes
    it (its qualifier kept: "Cuối thập niên 1950"), the place as matched
    and as written, which text says it, the sentence, and the same event's statement in the
    other text (its date and its sentence)."""
    text = props.get("language")
    linked = period_label(props.get("link_start"), props.get("link_end"),
                          props.get("link_precision"), lang, props.get("link_open_end"))
    return popup_html(props.get("id"), event_date(props, lang), [
        (t("tf.written", lang), str(props.get("date_text") or "")),
        (t("ev.places", lang), event_place(props, lang)),
        (t("ev.language", lang), text_language_name(text, lang)),
        (t("ev.linked", lang), linked),
        (t("prop.dataset", lang), dataset_title(props.get("place_dataset"), lang,
                                                props.get("dataset"))),
    ], [_source_quote(props, lang),
        _quote_html(t("ev.linked", lang), props.get("link_quote"), source_cite(
            props.get("link_file"), props.get("link_line"), props.get("link_article"),
            props.get("link_section"), lang), props.get("link_file"))])
