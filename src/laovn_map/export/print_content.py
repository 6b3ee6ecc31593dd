"""What a print draws, before anything is drawn: its texts, legend rows, map names and the box it
frames, all in the state's language. The glyph check and the drawing share it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import shapely

from laovn_map.catalog import LAOS, PARTIES, PROVINCE_LAYERS, UNFRAMED_LAYERS, credit_line
from laovn_map.export.features import (
    Feature,
    GeometryIndex,
    StatementText,
    geometries,
    geometry_index,
    label_anchors,
    marked_ids,
    selected_statement,
    shown_layers,
    statement_text,
)
from laovn_map.export.formats import PRINTS, ExportState, table_name, what_is_shown
from laovn_map.export.provenance import Provenance, Quote, cited, provenance, quotes
from laovn_map.geo.reader import Layers
from laovn_map.i18n import msgid, t
from laovn_map.page.browserdata import LABEL_TIERS
from laovn_map.page.labels import (
    any_country_name,
    city_name,
    fmt_num,
    layer_label,
    osm_role,
    province_name,
)


@dataclass(frozen=True)
class MapLabel:
    """A name on the print: its forms in order of preference (with the Lao script under it,
    then without), where (lon, lat), its tier (`browserdata.LABEL_TIERS`), the area it ranks
    by, and for a province the box (south, west, north, east) it must fit in."""

    texts: tuple[str, ...]
    lon: float
    lat: float
    tier: str
    area: float = 0.0
    fit: tuple[float, float, float, float] | None = None
    country: str = ""  # a province's (its label takes the country's colour)


@dataclass(frozen=True)
class LegendEntry:
    layer: str
    text: str
    variant: str = ""  # the sending country of a mission entry


@dataclass(frozen=True)
class PrintContent:
    """Every text of a print and where its pieces come from, before anything is drawn: the
    glyph check (`print_texts`) and the drawing share it."""

    state: ExportState
    shown: dict[str, list[Feature]]
    title: str
    subtitle: str
    legend_title: str
    legend: tuple[LegendEntry, ...]
    labels: tuple[MapLabel, ...]
    credits_heading: str
    credits: str
    #: How to cite the map: its heading and the sentence (`cite.citation`).
    cite_heading: str
    citation: str
    texts_line: str
    quotes_note: dict[str, str]
    build: str
    north: str
    km: str
    quotes: tuple[Quote, ...]
    quotes_title: str
    features_word: str
    provenance: Provenance
    box: tuple[float, float, float, float]
    geometries: GeometryIndex
    #: The statement the story shows (`ExportState.event`), and the ids of the features it
    #: selects, drawn marked as the map marks them.
    statement: StatementText | None = None
    marked: frozenset[str] = frozenset()


def _legend(shown: Mapping[str, Sequence[Feature]], lang: str, period: str) -> list[LegendEntry]:
    """The map's legend (`labels.legend_html`), entry for entry: no entry for the base map."""
    out = []
    for layer in shown:
        if layer in ("embassies", "consulates"):
            word = "legend.embassy" if layer == "embassies" else "legend.consulate"
            senders = {str((f.get("properties") or {}).get("sending_country"))
                       for f in shown[layer]}
            out += [LegendEntry(layer, t(word, lang).format(country=any_country_name(code, lang)),
                                code) for code in PARTIES if code in senders]
        elif layer != "countries":
            out.append(LegendEntry(layer, layer_label(layer, lang, period)))
    return out


def _with_lao_below(name: str, lao: object) -> tuple[str, ...]:
    """A label's forms, longest first: *name* with its Lao-script form under it, then *name*
    alone; *name* alone when it has no Lao form or is it (a Lao print names places in Lao)."""
    return (f"{name}\n{lao}", name) if lao and str(lao) not in name else (name,)


def _labels(layers: Layers, shown: Mapping[str, Sequence[Feature]], state: ExportState
            ) -> list[MapLabel]:
    """The map's names (as `browserdata.map_labels` places them), in plain text, with the Lao
    script under the Lao provinces' and cities' names where the data has it."""
    anchors = label_anchors(layers)
    out: list[MapLabel] = []
    for feat in shown.get("countries", ()):
        props = feat.get("properties") or {}
        anchor = anchors.get("countries", {}).get(str(props.get("id")))
        if anchor:
            tier = "party" if props.get("is_party") else "country"
            out.append(MapLabel((any_country_name(props.get("iso_a2"), state.lang).upper(),),
                                anchor.lon, anchor.lat, tier, anchor.area_km2))
    for code, layer in PROVINCE_LAYERS.items():
        for feat in shown.get(layer, ()):
            props = feat.get("properties") or {}
            anchor = anchors.get(table_name(layer, state.period), {}).get(str(props.get("id")))
            if anchor:
                name = province_name(props, state.lang)
                forms = _with_lao_below(name, props.get("name_lo") if code == LAOS.code else "")
                out.append(MapLabel(forms, anchor.lon, anchor.lat, "province", anchor.area_km2,
                                    anchor.box, code))
    seen: set[str] = set()
    for layer, tier in (("embassies", "capital"), ("consulates", "city")):
        for feat in shown.get(layer, ()):
            props = feat.get("properties") or {}
            city = city_name(props, state.lang)
            if city and city not in seen:
                seen.add(city)
                lon, lat = feat["geometry"]["coordinates"][:2]
                forms = _with_lao_below(city, props.get("city_lo"))
                out.append(MapLabel(forms, float(lon), float(lat), tier))
    return sorted(out, key=lambda x: (LABEL_TIERS.index(x.tier), -x.area))


def _frame_box(shown: Mapping[str, Sequence[Feature]], state: ExportState,
               index: GeometryIndex) -> tuple[float, float, float, float]:
    """(south, west, north, east): the state's view, or the border region as the map frames
    it (its subject's layers, else whatever is shown)."""
    if state.view is not None:
        return state.view
    subject = [f for name, feats in shown.items() if name not in UNFRAMED_LAYERS for f in feats] \
        or [f for feats in shown.values() for f in feats]
    west, south, east, north = shapely.total_bounds(geometries(index, subject))
    return float(south), float(west), float(north), float(east)


def print_content(layers: Layers, state: ExportState) -> PrintContent:
    """What a print of *state* shows, in its language (`ExportError` when nothing is shown)."""
    shown = shown_layers(layers, state)
    index = geometry_index(layers)
    lang = state.lang
    prov = provenance(layers)
    files = ", ".join(sorted(layers.texts))
    statement = selected_statement(layers, state)
    return PrintContent(
        state=state, shown=shown, title=t("title", lang),
        subtitle=t("export.subtitle", lang) + " " + what_is_shown(state),
        legend_title=t("legend", lang), legend=tuple(_legend(shown, lang, state.period)),
        labels=tuple(_labels(layers, shown, state)),
        credits_heading=t("export.credits", lang),
        credits=credit_line(lang, osm_role=osm_role(layers.collections, lang, state.period)),
        cite_heading=t("cite.title", lang), citation=cited(layers, lang).sentence_after_credits,
        texts_line=t("export.texts", lang) + f": {files}.",
        quotes_note={fmt: t(QUOTES_NOTES[fmt], lang) for fmt in PRINTS},
        build=prov.line(lang), north=t("north", lang), km=t("km", lang),
        quotes=tuple(quotes(shown, lang)), quotes_title=t("export.sources_title", lang),
        features_word=t("export.features", lang), provenance=prov,
        box=_frame_box(shown, state, index), geometries=index,
        statement=statement_text(layers, statement, state) if statement else None,
        marked=marked_ids(statement))


#: Where a print says its quotes are, by print format (message ids).
QUOTES_NOTES: dict[str, str] = {"png": msgid("export.quotes.png"), "pdf": msgid("export.quotes.pdf")}


def projection_note(content: PrintContent, error_pct: float) -> str:
    """The note on the projection, with its largest scale error over the map (in %)."""
    return t("export.projection", content.state.lang).format(
        error=fmt_num(error_pct, content.state.lang, 1))


def print_texts(layers: Layers, state: ExportState) -> list[str]:
    """Every text a print of *state* draws (both formats, the PDF's source pages included)."""
    return all_texts(print_content(layers, state))


def all_texts(c: PrintContent) -> list[str]:
    """Every text of *c*, each form of a name included: what the fonts must cover."""
    return [c.title, c.subtitle, c.legend_title, *(e.text for e in c.legend),
            *(text for label in c.labels for text in label.texts), c.credits_heading,
            c.credits, c.cite_heading, c.citation, c.texts_line,
            *c.quotes_note.values(), c.build, projection_note(c, 0.0), c.north, c.km,
            c.quotes_title, c.features_word,
            *(part for q in c.quotes for part in (q.file, q.text, *q.features)),
            *(c.statement.lines() if c.statement else ())]
