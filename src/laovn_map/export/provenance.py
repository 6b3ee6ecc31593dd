"""Where an export comes from: the build (its manifest's checksum, generator and the day it was
written), how to cite it (`cite.citation` of its manifest), the credits of the datasets each
feature shows, and the quoted sentences with their file and line.

The build itself is undated (two builds of the same inputs are byte-identical), so the date given
is the day `manifest.json` was written to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from laovn_map.catalog import DATASETS, MANIFEST, PERIOD_TEXT, WIKIPEDIA, Dataset, credit_line
from laovn_map.cite import Citation, citation, sentence_with
from laovn_map.export.features import Feature, feature_name
from laovn_map.geo.reader import Layers
from laovn_map.i18n import t
from laovn_map.page.labels import esc, osm_role


@dataclass(frozen=True)
class Provenance:
    """Which build an export comes from: the SHA-256 of its `manifest.json` (which holds the
    checksum of every layer, text and source), the generator, and the day the manifest was
    written (UTC, ISO; '' when unknown)."""

    manifest_sha256: str
    generator: str
    written: str

    def line(self, lang: str) -> str:
        return t("export.build", lang).format(sha=self.manifest_sha256[:12],
                                              generator=self.generator or "laovn-map",
                                              date=self.written or t("export.undated", lang))


def provenance(layers: Layers) -> Provenance:
    try:
        mtime = (layers.geo_dir / MANIFEST).stat().st_mtime
    except OSError:
        written = ""
    else:
        written = dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat()
    return Provenance(hashlib.sha256(layers.manifest_bytes).hexdigest(),
                      str(layers.manifest.get("generator", "")), written)


def cited(layers: Layers, lang: str) -> Citation:
    """How to cite the build the export comes from, in *lang* (from its manifest's bytes)."""
    return citation(layers.manifest_bytes, lang)


def sentence_html(how: Citation, lang: str, after_credits: bool = False) -> str:
    """The citation's sentence as HTML, escaped, each article's title as written in a
    ``<cite lang>`` of the article's language: a Lao sentence names "Laos–Vietnam relations"
    in English, and a reader (or a screen reader) is told so."""
    return sentence_with(how, lang, esc,
                         lambda a: f'<cite lang="{esc(a.language)}">{esc(a.title)}</cite>',
                         after_credits)


def feature_datasets(props: Mapping[str, Any]) -> list[Dataset]:
    """The datasets a feature shows: the text it quotes, and those its `dataset` names."""
    named = str(props.get("dataset") or "")
    found = [WIKIPEDIA] if props.get("source_quote") else []
    found += [d for d in DATASETS if d.title in named and d not in found]
    return found


def feature_credit(props: Mapping[str, Any], lang: str) -> str:
    return " · ".join(f"{d.credit(lang)} ({d.licence_in(lang)})" for d in feature_datasets(props))


@dataclass(frozen=True)
class Quote:
    """A sentence the layers quote, with where it is and the features that quote it."""

    file: str
    line: int | str
    text: str
    features: tuple[str, ...]


def quotes(shown: Mapping[str, Sequence[Feature]], lang: str) -> list[Quote]:
    """Every quoted passage of the shown features (source and infobox), once each, in file
    and line order, with the names of the features quoting it."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for layer, features in shown.items():
        for feat in features:
            props = feat.get("properties") or {}
            name = feature_name(layer, props, lang)
            for line_key, quote_key in (("source_line", "source_quote"),
                                        ("infobox_line", "infobox_quote")):
                if props.get(quote_key):
                    key = (str(props.get("source_file") or ""), str(props.get(line_key) or ""),
                           str(props[quote_key]))
                    names = found.setdefault(key, [])
                    if name not in names:
                        names.append(name)

    def order(key: tuple[str, str, str]) -> tuple[str, int, str]:
        return key[0], int(key[1]) if key[1].isdigit() else 0, key[2]

    return [Quote(file, int(line) if line.isdigit() else line, text, tuple(found[(file, line, text)]))
            for file, line, text in sorted(found, key=order)]


def credits_text(layers: Layers, lang: str, period: str = PERIOD_TEXT) -> str:
    """The credit line (of the map in *period*), then the build's ATTRIBUTION.md (for a
    document's description)."""
    return "\n".join([credit_line(lang, osm_role=osm_role(layers.collections, lang, period)), "",
                      layers.attribution_bytes.decode("utf-8").strip()])
