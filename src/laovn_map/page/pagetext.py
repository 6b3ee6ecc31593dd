"""What the page shows below the map, as plain data: the tab's title, the figures table, the
rows of the province and mission tables (and their numbers formatted in the page's language),
and the seed texts with the quoted passages marked.

Pure functions of the loaded build (`reader.Layers`) with no Streamlit import, so the tests
check them without running the page. The figures are the manifest's (the build states them
once); the texts are the build's copies (`Layers.texts`), matched to the quotes by
`source_file`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from laovn_map.catalog import CONSULATE, EMBASSY, LAYER_FILES, PROVINCE_LAYERS
from laovn_map.geo.reader import Layers
from laovn_map.i18n import LOCALE_DIR, catalog_path, msgid, plural_msgid, t, tn
from laovn_map.page.labels import (
    city_name,
    country_name,
    esc,
    event_date,
    event_place,
    fmt_num,
    in_lang,
    is_number,
    kind_with_rank,
    km,
    layer_label,
    mission_name,
    per_unit,
    period_label,
    province_count_label,
    province_name,
    rank_source,
    text_language_name,
)
from laovn_map.page.mapstyle import COLOURS
from laovn_map.page.popups import ambassador_text, area_source

Quote = tuple[int | None, str]
#: The units of the tables' numbers (CLDR's names, written in the page's language).
KM, KM2 = "length-kilometer", "area-square-kilometer"

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


#: What Markdown reads as markup (CommonMark's ASCII punctuation, and the ``:`` of Streamlit's
#: icons and of links that GitHub's Markdown makes of bare addresses).
_MARKDOWN_MARKUP = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def markdown_literal(text: str) -> str:
    """*text* as it is, for an element that renders Markdown (``st.error``): a message naming a
    value of a tampered file must not show a link or an image of that file's choosing."""
    return _MARKDOWN_MARKUP.sub(r"\\\1", text)


def page_title(lang: str) -> str:
    """The browser tab's title in the page's language (for ``st.set_page_config``)."""
    return t("page_title", lang)


#: How a word is corrected, in the repository (docs/translating.md).
TRANSLATING_GUIDE = "docs/translating.md"


def catalog_in_repository(lang: str) -> str:
    """Where language `lang`'s catalog is in the repository (not where it is installed)."""
    package = LOCALE_DIR.parent
    return PurePosixPath("src", package.name, *catalog_path(lang).relative_to(package).parts
                         ).as_posix()


def correction_note(lang: str) -> str:
    """The sidebar's line telling a reader where a word of the page's language is corrected:
    its catalog and the guide, as Markdown that shows them as they are (plain text: a code
    span in a caption is drawn below the contrast WCAG asks)."""
    # i18n: the sidebar's last line; {catalog} and {guide} are file paths of the repository
    return markdown_literal(t("translation.correct", lang).format(
        catalog=catalog_in_repository(lang), guide=TRANSLATING_GUIDE))


# --- figures -----------------------------------------------------------------------------------

def missions_by_kind(layers: Layers) -> dict[str, int]:
    """Embassies and consulates: the manifest's `missions_by_kind` when the build states it,
    else counted from the missions layer (whose kinds `load_layers` has checked)."""
    stated = layers.figures.get("missions_by_kind")
    if isinstance(stated, dict):
        return {kind: int(stated.get(kind, 0)) for kind in (EMBASSY, CONSULATE)}
    kinds = [f["properties"].get("kind") for f in layers.features("missions")]
    return {kind: kinds.count(kind) for kind in (EMBASSY, CONSULATE)}


def _km(value: object, lang: str) -> str:
    return km(value, lang, 0) or "—"


def _official_total(layers: Layers, lang: str) -> tuple[str, str, str] | None:
    """The published length of the whole border (the manifest's `official_lengths`, from
    geo/sources/official/) with its split into land and river of the same year, as a row of
    the figures table; None when the build states none."""
    totals = {row.get("part"): row for row in _records(layers, "official_lengths")
              if row.get("scope") == "total"}
    whole = totals.get("all")
    if whole is None:
        return None
    value = whole.get("official_km")
    label = t("fig.official", lang).format(year=whole.get("year") or t("official.undated", lang))
    land, river = totals.get("land"), totals.get("river")
    same_year = land and river and land.get("year") == river.get("year") == whole.get("year")
    # the parts to a tenth: a line of why, the exact figures are in the official lengths' table
    # (and "310,792 km" would read as a whole number to a reader of the other language)
    why = t("fig.official.why", lang).format(land=km(land.get("official_km"), lang, 1),
                                             river=km(river.get("official_km"), lang, 1)) \
        if land and river and same_year else t("fig.official.why.whole", lang)
    digits = _decimals(float(value)) if is_number(value) else 0
    return label, km(value, lang, digits) or "—", why


def figures_markdown(layers: Layers, lang: str) -> str:
    """The border lengths and the counts, as the manifest states them, in one Markdown table,
    each length with one line of why it differs from the others (what it is measured on, or
    who states it).

    One element rather than a grid of `st.metric`s: the browser renders every Streamlit
    element while it is drawing the map, and eight metrics in columns cost it far more than
    one table (bench/README.md).
    """
    figures = layers.figures
    rows = [(t("fig.osm", lang), _km(figures.get("border_length_km_osm"), lang),
             t("fig.osm.why", lang)),
            (t("fig.ne", lang), _km(figures.get("border_length_km_ne"), lang),
             t("fig.ne.why", lang)),
            (t("fig.stated", lang), _km(figures.get("border_length_km_stated"), lang),
             t("fig.stated.why", lang))]
    if (official := _official_total(layers, lang)) is not None:
        rows.append(official)
    if isinstance(figures.get("segments"), int):
        rows.append((tn("fig.segments", figures["segments"], lang).format(n=figures["segments"]),
                     _km(figures.get("segments_length_km_sum"), lang),
                     t("fig.segments.why", lang)))
    provinces = figures.get("provinces")
    counts = provinces if isinstance(provinces, dict) else {}
    rows += [(province_count_label(code, lang), str(counts.get(code, "—")), "")
             for code in PROVINCE_LAYERS]
    kinds = missions_by_kind(layers)
    rows += [(layer_label("embassies", lang), str(kinds[EMBASSY]), ""),
             (layer_label("consulates", lang), str(kinds[CONSULATE]), "")]
    # the words go into Markdown: its markup characters are escaped (a `|` would cut a cell)
    return "\n".join(["| " + t("figures", lang) + " | | " + t("fig.why", lang) + " |",
                      "|:--|--:|:--|",
                      *(f"| {label} | {value} | {markdown_literal(why)} |"
                        for label, value, why in rows)])


# --- tables ------------------------------------------------------------------------------------

def cite(props: Mapping[str, Any], line_key: str = "source_line") -> str:
    """"<text file name>:<line>" of a record's quote, or ''."""
    file, line = props.get("source_file"), props.get(line_key)
    return f"{PurePosixPath(str(file)).name}:{line}" if file and line not in (None, "") else ""


def province_rows(layers: Layers, lang: str) -> list[dict[str, Any]]:
    """One row per border province, both countries, as text (no HTML)."""
    rows = []
    for key in PROVINCE_LAYERS.values():
        for f in layers.features(key):
            p = f["properties"]
            rows.append({
                t("col.country", lang): country_name(p.get("country"), lang),
                t("prop.code", lang): p.get("iso_3166_2") or p.get("id"),
                t("prop.name_vi", lang): province_name(p, "vi"),
                t("prop.name_en", lang): p.get("name_en"),
                t("prop.name_local", lang): p.get("name_local"),
                t("prop.name_lo", lang): p.get("name_lo"),
                per_unit(t("prop.border_length", lang), KM, lang): p.get("border_length_km"),
                per_unit(t("prop.area_measured", lang), KM2, lang): p.get("area_km2"),
                per_unit(t("prop.area_official", lang), KM2, lang): p.get("area_km2_official"),
                t("official.year", lang): p.get("area_official_year"),
                t("prop.area_difference", lang) + " (%)": p.get("area_difference_pct"),
                t("prop.area_source", lang): area_source(p, lang),
                t("prop.neighbours", lang): in_lang(p, "neighbours", lang),
                t("prop.source", lang): cite(p),
                t("col.quote", lang): p.get("source_quote"),
            })
    return rows


def mission_rows(layers: Layers, lang: str) -> list[dict[str, Any]]:
    """One row per diplomatic mission, as text (no HTML)."""
    rows = []
    for f in layers.features("missions"):
        p = f["properties"]
        rows.append({
            t("col.name", lang): mission_name(p, lang),
            t("prop.kind", lang): kind_with_rank(p, lang),
            t("prop.rank_source", lang): rank_source(p, lang),
            t("prop.sending", lang): country_name(p.get("sending_country"), lang,
                                                  p.get("sending_country_name")),
            t("prop.host", lang): country_name(p.get("host_country"), lang,
                                               p.get("host_country_name")),
            t("prop.city", lang): city_name(p, lang),
            t("col.city_lo", lang): p.get("city_lo"),
            t("prop.ambassador", lang): ambassador_text(p, lang),
            t("prop.source", lang): cite(p),
            t("col.quote", lang): p.get("source_quote"),
            t("prop.infobox", lang): p.get("infobox_quote"),
        })
    return rows


def official_rows(layers: Layers, lang: str) -> list[dict[str, Any]]:
    """Each published length beside the measured one (manifest `official_lengths`), as text."""
    names = {f["properties"]["id"]: province_name(f["properties"], lang)
             for layer in PROVINCE_LAYERS.values() for f in layers.features(layer)}
    rows = []
    for row in layers.figures.get("official_lengths", []):
        stretch = " – ".join(f"{code} {names[code]}" for code in (row["code"], row["partner"])
                             if code in names) or t("official.whole", lang)
        part = t(_PART_KEYS[row["part"]], lang)
        rows.append({
            t("official.stretch", lang): stretch,
            t("official.part", lang): part,
            per_unit(t("official.official", lang), KM, lang): row["official_km"],
            per_unit(t("official.measured", lang), KM, lang): row["measured_km"],
            t("official.difference", lang) + " (%)": row["difference_pct"],
            t("official.year", lang): row["year"] or t("official.undated", lang),
            t("official.confidence", lang): t(_CONFIDENCE_KEYS[row["confidence"]], lang),
            t("official.basis", lang): in_lang(row, "basis", lang),
            t("prop.source", lang): in_lang(row, "source", lang),
        })
    return rows


#: The words of the official lengths' `part` and `confidence` (geo/sources/official/).
_PART_KEYS = {"all": msgid("official.part.all"), "land": msgid("official.part.land"),
              "river": msgid("official.part.river")}
_CONFIDENCE_KEYS = {"high": msgid("official.confidence.high"),
                    "medium": msgid("official.confidence.medium"),
                    "low": msgid("official.confidence.low")}


def _decimals(value: float) -> int:
    """How many decimals `value` is written with (at most 3, the layers' precision)."""
    text = repr(float(value))
    return min(3, len(text.split(".", 1)[1].rstrip("0"))) if "." in text and "e" not in text else 0


def column_formats(rows: Sequence[Mapping[str, Any]], lang: str
                   ) -> dict[str, Callable[[object], str]]:
    """How each column of `rows` is written: decimal numbers in the page's language (Babel:
    "65,668" in Vietnamese), each column with the decimals it needs; whole numbers (years,
    counts) as they are; other columns are not named (their values as text)."""
    formats: dict[str, Callable[[object], str]] = {}
    for column in dict.fromkeys(key for row in rows for key in row):
        # judged on the rows' own values: pandas turns whole numbers beside a None into floats
        values = [row.get(column) for row in rows if row.get(column) is not None]
        if values and all(isinstance(v, float) for v in values):
            digits = max(_decimals(float(v)) for v in values if v is not None)
            formats[column] = functools.partial(_cell, lang=lang, digits=digits)
        elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            formats[column] = _whole
    return formats


def table(rows: Sequence[Mapping[str, Any]], lang: str) -> Styler:
    """`rows` as a table written as `column_formats` says. The numbers stay numbers
    underneath, so a column still sorts by value; pandas is imported only when a table is
    drawn."""
    import pandas as pd

    return pd.DataFrame(list(rows)).style.format(column_formats(rows, lang), na_rep="")


def _cell(value: object, lang: str, digits: int) -> str:
    return fmt_num(value, lang, digits) if value == value else ""  # NaN: an empty cell


def _whole(value: object) -> str:
    return str(int(value)) if isinstance(value, int | float) and value == value else ""


# --- the seed texts ----------------------------------------------------------------------------

def quotes_of(layers: Layers, file: str) -> tuple[Quote, ...]:
    """The passages of text `file` (a `Layers.texts` key) that the layers quote, with the line
    they cite, sorted and without repeats."""
    out: set[Quote] = set()
    for name in LAYER_FILES:
        for feat in layers.features(name):
            p = feat["properties"]
            if p.get("source_file") != file:
                continue
            for line_key, quote_key in (("source_line", "source_quote"),
                                        ("infobox_line", "infobox_quote")):
                line = p.get(line_key)
                if p.get(quote_key):
                    out.add((line if isinstance(line, int) else None, str(p[quote_key])))
    return tuple(sorted(out, key=lambda q: (q[0] or 0, q[1])))


# `(?<!\s)`: a separator's spaces are matched from the first of the run only (a match tried at
# every space of a long run would read the run again each time).
_SPLIT = re.compile(r"(?<!\s)\s+(?:/|…|\||—)\s+|\n|;\s+")


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


def marked_source_html(text: str, quotes: Iterable[Quote], lang: str = "", *, name: str) -> str:
    """The seed text as escaped HTML on one line (`<br>` between lines, numbered), with the
    quoted passages wrapped in `<mark>`. One line, so Markdown leaves the HTML block alone.
    `lang` marks the text's language (`labels.text_lang` of its file), so the English text
    reads as English on the Vietnamese page.

    The box scrolls, so it takes the keyboard's focus (the arrow keys scroll it) and is a
    region named `name` (the file's name) for a screen reader."""
    lines = text.removesuffix("\n").split("\n")  # as the seeds are numbered (not splitlines: U+2028 …)
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
        out.append(f'<span class="laovn-ln" style="color:{COLOURS["text_muted"]};'
                   f'user-select:none;font-family:monospace">{number}</span>&#160;&#160;'
                   f'{"".join(pieces)}')
    marked = f' lang="{esc(lang)}"' if lang else ""
    return (f'<div class="laovn-source"{marked} tabindex="0" role="region" '
            f'aria-label="{esc(name)}" '
            'style="max-height:32em;overflow:auto;line-height:1.55;font-size:0.92em">'
            + "<br>".join(out) + "</div>")


def row_feature_ids(layers: Layers, table: str) -> list[str]:
    """The feature id of each row of `province_rows` ("provinces") or `mission_rows`
    ("missions"), in their order: a row chosen in a table selects its feature on the map."""
    keys = PROVINCE_LAYERS.values() if table == "provinces" else ("missions",)
    return [str(f["properties"].get("id")) for key in keys for f in layers.features(key)]
# --- dates, events and the figures the texts state ---------------------------------------------

_APPROXIMATE = {"about": "about", "around": "about", "approximately": "about", "some": "about",
                "khoảng": "about", "chừng": "about", "nearly": "nearly", "almost": "nearly",
                "gần": "nearly", "over": "over", "more than": "over", "hơn": "over", "trên": "over"}


#: The words of a stated figure's unit (`build.stated_figures`), by unit; the counted ones
#: have plural forms.
_COUNTED = (plural_msgid("tf.unit.projects"), plural_msgid("tf.unit.countries"),
            plural_msgid("tf.unit.years"))
_UNIT_KEYS = {"usd": msgid("tf.unit.usd"), "usd.billion": msgid("tf.unit.usd.billion"),
              "usd.million": msgid("tf.unit.usd.million"), "rank": msgid("tf.unit.rank"),
              "rank.among": msgid("tf.unit.rank.among"), "projects": _COUNTED[0],
              "countries": _COUNTED[1], "years": _COUNTED[2]}
_QUALIFIER_KEYS = {"about": msgid("tf.q.about"), "nearly": msgid("tf.q.nearly"),
                   "over": msgid("tf.q.over")}
#: A count the text gives as a magnitude only ("hundreds of …", "hàng trăm …"): its words.
_MAGNITUDES = {"hundreds": "hundreds", "hàng trăm": "hundreds", "thousands": "thousands",
               "hàng nghìn": "thousands", "hàng ngàn": "thousands", "dozens": "dozens",
               "hàng chục": "dozens"}
_MAGNITUDE_KEYS = {"hundreds": msgid("tf.q.hundreds"), "thousands": msgid("tf.q.thousands"),
                   "dozens": msgid("tf.q.dozens")}
#: What a figure is about: its subject (`build.stated_figures.SUBJECTS`) or its measure.
_SUBJECT_KEYS = {"investment": msgid("tf.measure.investment"), "trade": msgid("tf.measure.trade"),
                 "aid": msgid("tf.measure.aid"),
                 "foreign_investors": msgid("tf.subject.foreign_investors"),
                 "investment_destinations": msgid("tf.subject.investment_destinations"),
                 "treaty_term": msgid("tf.subject.treaty_term"),
                 "advisers": msgid("tf.subject.advisers"), "studied": msgid("tf.subject.studied"),
                 "people": msgid("tf.subject.people")}


def figure_value(record: Mapping[str, Any], lang: str) -> str:
    """A stated figure's value with its unit and qualifier, in the page's language
    (``about US$725 million``, ``khoảng 725 triệu USD``, ``429 projects``, ``No. 1 of 55``,
    ``hundreds``)."""
    value, unit = record.get("value"), record.get("unit")
    magnitude = _MAGNITUDES.get(str(record.get("qualifier") or ""))
    if value is None and magnitude:
        return t(_MAGNITUDE_KEYS[magnitude], lang)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    among = record.get("among")
    ranked_among = unit == "rank" and isinstance(among, int) and not isinstance(among, bool)
    key = _UNIT_KEYS["rank.among"] if ranked_among else _UNIT_KEYS.get(str(unit))
    if unit == "usd":
        for scale, name in ((10**9, "usd.billion"), (10**6, "usd.million")):
            if value >= scale:
                value, key = value / scale, _UNIT_KEYS[name]
                break
    digits = 0 if float(value).is_integer() else 1
    number = fmt_num(value, lang, digits)
    if key is None:
        text = number
    elif key in _COUNTED:
        text = tn(key, value, lang).format(n=number)
    elif ranked_among:
        text = t(key, lang).format(n=number, among=fmt_num(among, lang, 0))
    else:
        text = t(key, lang).format(n=number)
    qualifier = _APPROXIMATE.get(str(record.get("qualifier") or ""))
    return t(_QUALIFIER_KEYS[qualifier], lang).format(v=text) if qualifier else text


def figure_subject(record: Mapping[str, Any], lang: str) -> str:
    """What a stated figure is about, in the page's language ("Rank among foreign investors",
    "Investment"), or "—"."""
    key = _SUBJECT_KEYS.get(str(record.get("subject") or record.get("measure") or ""))
    return t(key, lang) if key else "—"


def figure_period(record: Mapping[str, Any], lang: str) -> str:
    """A stated figure's period; for one of the text's present, that word and that the text
    gives no date ("currently" is not the sentence's 1989–2012); else "—"."""
    present = record.get("present")
    if isinstance(present, str) and present:
        return t("tf.present", lang).format(w=present)
    return period_label(record.get("period_start"), record.get("period_end"),
                        record.get("period_precision"), lang) or "—"


def _records(layers: Layers, key: str) -> list[Mapping[str, Any]]:
    found = layers.figures.get(key)
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def _figure_row(record: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {
        t("tf.measure", lang): figure_subject(record, lang),
        t("tf.value", lang): figure_value(record, lang),
        t("tf.period", lang): figure_period(record, lang),
        t("tf.written", lang): record.get("text"),
        t("prop.source", lang): cite(record),
        t("col.quote", lang): record.get("source_quote"),
    }


def _disagreement_row(pair: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Two figures the texts state differently, as one row: each cell gives both, each with
    its text's language, so the row reads on its own and cites both sentences."""
    def both(cell: Callable[[Mapping[str, Any]], object], sep: str = " · ") -> str:
        return sep.join(f"{cell(r)} ({text_language_name(r.get('language'), lang)})"
                        for r in pair)
    return {
        t("tf.measure", lang): t("tf.disagree", lang).format(what=figure_subject(pair[0], lang)),
        t("tf.value", lang): both(lambda r: figure_value(r, lang), " ≠ "),
        t("tf.period", lang): both(lambda r: figure_period(r, lang)),
        t("tf.written", lang): both(lambda r: r.get("text")),
        t("prop.source", lang): " · ".join(cite(r) for r in pair),
        t("col.quote", lang): " · ".join(str(r.get("source_quote") or "") for r in pair),
    }


def _disagreeing(layers: Layers) -> list[list[Mapping[str, Any]]]:
    """The two figures of each of the manifest's `figure_disagreements` (an index that names
    no figure is left out: the manifest may be older or edited)."""
    records = _records(layers, "figures_from_texts")
    pairs = []
    for found in _records(layers, "figure_disagreements"):
        indices = found.get("figures")
        if (isinstance(indices, list) and len(indices) == 2
                and all(isinstance(i, int) and not isinstance(i, bool)
                        and 0 <= i < len(records) for i in indices)):
            pairs.append([records[i] for i in indices])
    return pairs


def figure_disagreement_notes(layers: Layers, lang: str) -> list[str]:
    """Each place where the two texts disagree as one plain sentence, for a notice above the
    table whose cells a reader would have to widen: what, each text's value, period and line."""
    return [t("tf.disagree.note", lang).format(
        what=t("tf.disagree", lang).format(what=figure_subject(pair[0], lang)),
        sides="; ".join(t("tf.disagree.side", lang).format(
            language=text_language_name(r.get("language"), lang), value=figure_value(r, lang),
            period=figure_period(r, lang), source=cite(r)) for r in pair))
        for pair in _disagreeing(layers)]


def text_figure_rows(layers: Layers, lang: str) -> list[dict[str, Any]]:
    """The table of the figures the texts state: first a row for each place where the two
    texts disagree (the manifest's `figure_disagreements`, both figures and sentences), then
    one row per figure (`figures_from_texts`): what it is about, its value and unit, its
    period, as written, where, and the sentence."""
    return ([_disagreement_row(pair, lang) for pair in _disagreeing(layers)]
            + [_figure_row(record, lang) for record in _records(layers, "figures_from_texts")])


def timeline_events(layers: Layers) -> list[Mapping[str, Any]]:
    """The manifest's dated events, earliest first (by start, end, id); those without a date
    (a date-like phrase the build refused) are left out."""
    dated = [e for e in _records(layers, "events")
             if isinstance(e.get("start"), str) and isinstance(e.get("end"), str)]
    return sorted(dated, key=lambda e: (str(e["start"]), str(e["end"]), str(e.get("id"))))


#: A timeline's range: the first and last day it takes in (ISO dates, both ends in).
Timeline = tuple[str, str]


#: The page's address names the timeline's range as ?years=FIRST-LAST.
YEARS_PARAM = "years"
#: A timeline's years as the URL's ?years= and the CLI's --years give them: FIRST-LAST, each
#: one to four ASCII digits (a year the ISO dates can hold; no superscripts or other scripts'
#: digits, which `str.isdigit` accepts and `int` does not), ASCII spaces around each allowed.
#: Written out (not ``\s``) so that the map script's RegExp, given this pattern
#: (`YearsRule.config`), reads the same text as Python does.
_SPACES = r"[ \t\n\r\f\v]*"
YEARS_PATTERN = f"{_SPACES}([0-9]{{1,4}}){_SPACES}-{_SPACES}([0-9]{{1,4}}){_SPACES}"
_YEARS = re.compile(YEARS_PATTERN, re.ASCII)
#: Longer than any such range: the rest is never searched.
_YEARS_MAX_CHARS = 40


def parse_years(text: str) -> tuple[int, int] | None:
    """The years FIRST-LAST that *text* gives, as written (their order is the caller's to
    check), or None when it gives none: the one reading of the page's URL and the export
    command."""
    match = _YEARS.fullmatch(text) if len(text) <= _YEARS_MAX_CHARS else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def years_timeline(first: int, last: int) -> Timeline:
    """The range of the years *first* to *last*, both whole: what the page's slider and the
    export command's ``--years`` mean."""
    return f"{first:04d}-01-01", f"{last:04d}-12-31"


@dataclass(frozen=True)
class YearsRule:
    """How an address's ``?years=`` reads against the timeline's whole span *first*–*last*
    (the years of `timeline_range`): the one rule of the page (app.py) and of a map that reads
    its own address (the static site's, an exported file; js/timeline.js `addressYears`, given
    `config()`; tests/js hold the two to the same values)."""

    first: int
    last: int

    def years(self, text: object) -> tuple[int, int] | None:
        """The years *text* names, in order and within the span; None for none or others."""
        years = parse_years(text) if isinstance(text, str) else None
        if years is not None and self.first <= years[0] <= years[1] <= self.last:
            return years
        return None

    def timeline(self, years: tuple[int, int]) -> Timeline | None:
        """The range of *years*; None (every event) for the whole span."""
        return None if years == (self.first, self.last) else years_timeline(*years)

    def config(self) -> dict[str, Any]:
        """The rule as the map script reads it (`mapview.state_script`'s `years`)."""
        return {"param": YEARS_PARAM, "pattern": YEARS_PATTERN, "maxChars": _YEARS_MAX_CHARS,
                "first": self.first, "last": self.last}


def years_rule(layers: Layers) -> YearsRule | None:
    """The rule of the build's timeline, or None when no event is dated (no timeline)."""
    span = timeline_range(layers)
    return YearsRule(int(span[0][:4]), int(span[1][:4])) if span else None


def in_timeline(start: object, end: object, timeline: Timeline | None) -> bool:
    """Whether the dates *start*–*end* (ISO) meet *timeline*: the rule of the page's events
    table, the map's events layer (js/timeline.js `inTimeline`) and the exports. No range, or
    a statement without dates, always does."""
    if timeline is None or not isinstance(start, str) or not isinstance(end, str):
        return True
    return end >= timeline[0] and start <= timeline[1]


def timeline_range(layers: Layers) -> tuple[str, str] | None:
    """The earliest start and the latest end of the dated events (ISO dates), or None."""
    dated = timeline_events(layers)
    if not dated:
        return None
    return min(str(e["start"]) for e in dated), max(str(e["end"]) for e in dated)


def event_rows(layers: Layers, lang: str, timeline: Timeline | None = None
               ) -> list[dict[str, Any]]:
    """One row per dated event meeting *timeline* (all when None), earliest
    first, as text: its date, the text it is from, the places it names, the statement of the
    same event in the other text, where, and the sentence."""
    rows = []
    by_id = {str(e.get("id")): e for e in _records(layers, "events")}
    # a placed place is named as its marker's popup names it (the page's language, then the
    # text's form); a region or a place of nothing, as the text writes it
    on_map = {str(f.get("id")): f.get("properties") or {} for f in layers.features("events")}
    for event in timeline_events(layers):
        if not in_timeline(event["start"], event["end"], timeline):
            continue
        places = event.get("places")
        written = [_place_name(p, on_map, lang) for p in places if isinstance(p, dict)] \
            if isinstance(places, list) else []
        linked = [_statement(by_id[other], lang)
                  for other in str(event.get("link_id") or "").split("+")
                  if other in by_id and by_id[other].get("language") != event.get("language")]
        rows.append({
            t("ev.date", lang): event_date(event, lang),
            t("tf.written", lang): event.get("date_text"),
            t("ev.language", lang): text_language_name(event.get("language"), lang),
            t("ev.places", lang): "; ".join(written),
            t("ev.linked", lang): "; ".join(linked),
            t("prop.source", lang): cite(event),
            t("col.quote", lang): event.get("source_quote"),
        })
    return rows


def _place_name(place: Mapping[str, Any], on_map: Mapping[str, Mapping[str, Any]],
                lang: str) -> str:
    """A place an event names, as the map names its marker (`labels.event_place`), else as the
    text writes it."""
    matched = place.get("matched")
    ids = [str(m.get("feature_id")) for m in matched if isinstance(m, dict)] \
        if isinstance(matched, list) else []
    shown = [event_place(on_map[i], lang) for i in ids if i in on_map]
    return shown[0] if shown else str(place.get("written"))


def _statement(event: Mapping[str, Any], lang: str) -> str:
    """A statement of the texts as a reader reads it in a cell: its date, then its sentence."""
    when = event_date(event, lang)
    quote = str(event.get("source_quote") or "")
    return f"{when}: {quote}" if when and quote else when or quote


def event_ids(layers: Layers, timeline: Timeline | None = None) -> list[str]:
    """For each row of `event_rows(layers, lang, timeline)`, its statement's id: a row chosen
    in the table opens the statement on the map (js/story.js), with or without a place."""
    return [str(event.get("id")) for event in timeline_events(layers)
            if in_timeline(event["start"], event["end"], timeline)]


def event_feature_ids(layers: Layers, timeline: Timeline | None = None) -> list[str]:
    """For each row of `event_rows(layers, lang, timeline)`, the map feature of its first
    place ('' for an event without one): a row chosen in the table selects it on the map."""
    first: dict[str, str] = {}
    for f in layers.features("events"):
        props = f["properties"]
        first.setdefault(str(props.get("event_id")), str(props.get("id")))
    return [first.get(str(event.get("id")), "") for event in timeline_events(layers)
            if in_timeline(event["start"], event["end"], timeline)]


# --- the timeline: its eras, its stops, the list a person reads -------------------------------


def timeline_eras(layers: Layers) -> list[Mapping[str, Any]]:
    """The manifest's eras (`build/eras.py`: the texts' own headings), earliest first; none
    from a build older than them."""
    return sorted((e for e in _records(layers, "eras")
                   if isinstance(e.get("start"), str) and isinstance(e.get("end"), str)),
                  key=lambda e: str(e["start"]))


def _year(iso: object) -> int:
    return int(str(iso)[:4])


def timeline_stops(layers: Layers, extra: Iterable[int] = ()) -> list[int]:
    """The stops of the page's timeline, each given the same room: every year a statement
    starts or ends in and each era's first year (and *extra*, the URL's range), in order. So
    the decades the texts tell most of get most of the slider, not the centuries they skip."""
    years = {_year(e[key]) for e in timeline_events(layers) for key in ("start", "end")}
    years |= {_year(era["start"]) for era in timeline_eras(layers)}
    return sorted(years | set(extra))


def _era_index(start: str, eras: Sequence[Mapping[str, Any]]) -> int:
    """The era a statement starting on *start* belongs to: the last that starts by then (the
    first takes anything earlier); -1 when there is none."""
    index = 0 if eras else -1
    for i, era in enumerate(eras):
        if str(era["start"]) <= start:
            index = i
    return index


def statements_by_era(layers: Layers, timeline: Timeline | None = None
                      ) -> list[tuple[Mapping[str, Any] | None, list[Mapping[str, Any]]]]:
    """The dated statements meeting *timeline*, earliest first, under the era each starts in
    (None: a build without eras); an era none of whose statements meets it is left out."""
    eras = timeline_eras(layers)
    groups: list[list[Mapping[str, Any]]] = [[] for _ in eras] if eras else [[]]
    for event in timeline_events(layers):
        if in_timeline(event["start"], event["end"], timeline):
            groups[max(_era_index(str(event["start"]), eras), 0)].append(event)
    heads: list[Mapping[str, Any] | None] = list(eras) if eras else [None]
    return [(era, events) for era, events in zip(heads, groups, strict=True) if events]


def timeline_scale_html(layers: Layers, stops: Sequence[int], lang: str) -> str:
    """What is drawn over the slider, escaped: a bar per stop as high as the statements that
    start in its year, placed where the slider puts that stop, and each era's name (the text's
    words, in the text's language) with its count over the stops it spans."""
    events = timeline_events(layers)
    eras = timeline_eras(layers)
    if len(stops) < 2 or not events:
        return ""
    starts = [_year(e["start"]) for e in events]
    most = max(starts.count(year) for year in stops) or 1

    def at(year: int) -> float:
        return 100 * stops.index(year) / (len(stops) - 1)

    bars = "".join(
        f'<span class="laovn-scale-bar" style="left:{at(year):.3f}%;'
        f'height:{100 * starts.count(year) / most:.1f}%" '
        f'title="{esc(str(year))}: {starts.count(year)}"></span>'
        for year in stops if starts.count(year))
    bands = []
    for i, era in enumerate(eras):
        inside = [y for y in stops if _year(era["start"]) <= y <= _year(era["end"])]
        if not inside:
            continue
        count = sum(_era_index(str(e["start"]), eras) == i for e in events)
        left, right = at(inside[0]), at(inside[-1])
        words = f'<span lang="{esc(era.get("language"))}">{esc(era.get("words"))}</span>'
        counted = tn("timeline.era.count", count, lang).format(n=count)
        whole = esc(f'{era.get("words")} · {counted}')  # its title: the band may cut it
        bands.append(
            f'<span class="laovn-scale-era" style="left:{left:.3f}%;width:{right - left:.3f}%" '
            f'title="{whole}">' + words + " · " + esc(counted) + "</span>")
    name = esc(t("timeline.scale", lang))
    return (f'<div class="laovn-scale" role="group" aria-label="{name}">'
            f'<div class="laovn-scale-bars" aria-hidden="true">{bars}</div>'
            f'<div class="laovn-scale-eras">{"".join(bands)}</div></div>')


def timeline_list(layers: Layers, lang: str, timeline: Timeline | None = None
                  ) -> dict[str, Any]:
    """The vertical timeline's data (`elements/timeline.js` draws it as text, never as HTML):
    per era its heading (the text's words and language, its years, where it is written) and
    each statement meeting *timeline*: its date as written and as the page writes dates, its
    quote and language, where it is, and its id (the button opens it as `?event=` does)."""
    groups = []
    for era, events in statements_by_era(layers, timeline):
        head = {"words": str(era.get("words", "")), "lang": str(era.get("language", "")),
                "years": t("period.range", lang).format(a=_year(era["start"]),
                                                       b=_year(era["end"])),
                "cite": cite(era)} if era else {"words": t("timeline.all", lang), "lang": lang,
                                                "years": "", "cite": ""}
        groups.append({**head, "count": tn("timeline.era.count", len(events), lang)
                       .format(n=len(events)),
                       "items": [{"id": str(e.get("id")), "written": str(e.get("date_text") or ""),
                                  "date": event_date(e, lang),
                                  "quote": str(e.get("source_quote") or ""),
                                  "lang": str(e.get("language") or ""),
                                  "language": text_language_name(e.get("language"), lang),
                                  "cite": cite(e)} for e in events]})
    return {"label": t("timeline.list", lang), "open": t("timeline.open", lang),
            "empty": t("timeline.empty", lang), "eras": groups}
