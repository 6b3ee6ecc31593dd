"""What the page shows below the map, as plain data: the figures table, the rows of the
province and mission tables, and the seed texts with the quoted passages marked.

Pure functions of the loaded build (`layers_io.Layers`) with no Streamlit import, so the tests
check them without running the page. The figures are the manifest's (the build states them
once); the texts are the build's copies (`Layers.texts`), matched to the quotes by
`source_file`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from laovn_map.catalog import CONSULATE, EMBASSY, LAYER_FILES, PROVINCE_LAYERS
from laovn_map.i18n import t
from laovn_map.labels import (
    city_name,
    country_name,
    esc,
    fmt_num,
    kind_label,
    layer_label,
    mission_name,
    province_count_label,
    province_name,
)
from laovn_map.layers_io import Layers
from laovn_map.mapstyle import COLOURS

Quote = tuple[int | None, str]


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
    number = fmt_num(value, lang, 0)
    return f"{number} km" if number else "—"


def figures_markdown(layers: Layers, lang: str) -> str:
    """The border lengths and the counts, as the manifest states them, in one Markdown table.

    One element rather than a grid of `st.metric`s: the browser renders every Streamlit
    element while it is drawing the map, and eight metrics in columns cost it ~0.3 s.
    """
    figures = layers.figures
    rows = [(t("fig.osm", lang), _km(figures.get("border_length_km_osm"), lang)),
            (t("fig.ne", lang), _km(figures.get("border_length_km_ne"), lang)),
            (t("fig.stated", lang), _km(figures.get("border_length_km_stated"), lang))]
    if isinstance(figures.get("segments"), int):
        rows.append((t("fig.segments", lang).format(n=figures["segments"]),
                     _km(figures.get("segments_length_km_sum"), lang)))
    provinces = figures.get("provinces")
    counts = provinces if isinstance(provinces, dict) else {}
    rows += [(province_count_label(code, lang), str(counts.get(code, "—")))
             for code in PROVINCE_LAYERS]
    kinds = missions_by_kind(layers)
    rows += [(layer_label("embassies", lang), str(kinds[EMBASSY])),
             (layer_label("consulates", lang), str(kinds[CONSULATE]))]
    return "\n".join([f"| {t('figures', lang)} | |", "|:--|--:|",
                      *(f"| {label} | {value} |" for label, value in rows)])


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
                t("prop.name_vi", lang): p.get("name_vi"),
                t("prop.name_en", lang): p.get("name_en"),
                t("prop.name_local", lang): p.get("name_local"),
                t("prop.name_seed", lang): p.get("name_seed"),
                t("prop.border_length", lang) + " (km)": p.get("border_length_km"),
                t("prop.neighbours", lang): p.get("neighbours"),
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
            t("prop.kind", lang): kind_label(p.get("kind"), lang),
            t("prop.sending", lang): p.get("sending_country_name"),
            t("prop.host", lang): p.get("host_country_name"),
            t("prop.city", lang): city_name(p, lang),
            t("col.city_lo", lang): p.get("city_lo"),
            t("prop.ambassador", lang): p.get("ambassador"),
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
        part = t(f"official.part.{row['part']}", lang)
        rows.append({
            t("official.stretch", lang): stretch,
            t("official.part", lang): part,
            t("official.official", lang) + " (km)": row["official_km"],
            t("official.measured", lang) + " (km)": row["measured_km"],
            t("official.difference", lang) + " (%)": row["difference_pct"],
            t("official.year", lang): row["year"] or t("official.undated", lang),
            t("official.confidence", lang): t(f"official.confidence.{row['confidence']}", lang),
            t("official.basis", lang): row["basis"],
            t("prop.source", lang): row["source"],
        })
    return rows


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


def marked_source_html(text: str, quotes: Iterable[Quote], *, name: str) -> str:
    """The seed text as escaped HTML on one line (`<br>` between lines, numbered), with the
    quoted passages wrapped in `<mark>`. One line, so Markdown leaves the HTML block alone.

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
    return (f'<div class="laovn-source" tabindex="0" role="region" aria-label="{esc(name)}" '
            'style="max-height:32em;overflow:auto;line-height:1.55;font-size:0.92em">'
            + "<br>".join(out) + "</div>")
