"""laovn_map.export.provenance: every export names its build; each feature's credit names the
datasets it shows."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from PIL import Image

from laovn_map import catalog, cite
from laovn_map.export import formats, provenance
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page.labels import esc

from .conftest import csv_rows, export, saved
from .test_print_pages import _pdftotext


def test_every_export_names_the_build_it_comes_from(layers: Layers) -> None:
    sha = provenance.provenance(layers).manifest_sha256[:12]
    small = ExportState(page=formats.page_size("a4", 50))
    for fmt in ("kml", "csv", "html"):
        assert sha.encode() in export(layers, fmt), fmt
    assert sha.encode() in export(layers, "pdf", small)  # in the Keywords
    assert sha in Image.open(io.BytesIO(export(layers, "png", small))).info["Source"]


def _iter_quotes(layers: Layers) -> Iterator[dict[str, Any]]:
    for fc in layers.collections.values():
        yield from (f["properties"] for f in fc["features"] if f["properties"].get("source_quote"))


def test_feature_credits_name_the_datasets_it_shows(real: Layers) -> None:
    for props in _iter_quotes(real):
        credit = provenance.feature_credit(props, "en")
        assert credit.startswith("Wikipedia contributors (CC BY-SA 4.0)")
        if "OpenStreetMap" in str(props.get("dataset")):
            assert "© OpenStreetMap contributors (ODbL 1.0)" in credit


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_feature_s_credit_says_its_licences_in_the_export_s_language(
        real: Layers, lang: str) -> None:
    """The one licence that is words ("public domain", Natural Earth's) is translated in every
    feature's credit, as in the credit line; the others are names."""
    provinces = [f["properties"] for f in real.features("provinces_la")]
    credit = provenance.feature_credit(provinces[0], lang)
    assert f"{t('Natural Earth', lang)} ({t(catalog.PUBLIC_DOMAIN, lang)})" in credit
    assert "ODbL 1.0" in credit
    if LANGUAGES[lang].field_suffix:
        assert catalog.PUBLIC_DOMAIN not in credit


# --- the citation in every export (`cite.citation` of the build's manifest) --------------------

def _cited(layers: Layers, lang: str = "en") -> cite.Citation:
    return cite.citation(layers.manifest_bytes, lang)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_geopackage_metadata_holds_the_three_forms(layers: Layers, tmp_path: Path,
                                                       lang: str) -> None:
    state = ExportState(lang=lang)
    path = saved(tmp_path, export(layers, "gpkg", state), "gpkg")
    meta = pyogrio.read_info(path, layer="provinces_la")["dataset_metadata"]
    expected = _cited(layers, lang)
    assert meta["CITATION"] == expected.sentence
    assert meta["CITATION_BIBTEX"] == expected.bibtex
    assert json.loads(meta["CITATION_CSL_JSON"]) == json.loads(expected.csl_json)
    assert hashlib.sha256(layers.manifest_bytes).hexdigest() in meta["CITATION"]
    if ogrinfo := shutil.which("ogrinfo"):  # the system's GDAL reads it too
        done = subprocess.run([ogrinfo, "-ro", "-so", "-al", str(path)], capture_output=True,
                              text=True, check=True)
        assert f"CITATION={expected.sentence}" in done.stdout


def test_the_kml_descriptions_text_ends_with_the_sentence(layers: Layers) -> None:
    root = ET.fromstring(export(layers, "kml"))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    description = root.find("k:Document/k:description", ns)
    assert description is not None and description.text
    shown = html.unescape(re.sub(r"<br>", "\n", description.text))
    assert shown.endswith(f"{t('cite.title', 'en')}: {_cited(layers).sentence}")


def test_every_csv_row_carries_the_sentence(layers: Layers) -> None:
    rows = csv_rows(export(layers, "csv"))
    assert rows and {row["citation"] for row in rows} == {_cited(layers).sentence}


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_the_offline_maps_credits_hold_the_three_forms_escaped(layers: Layers, lang: str) -> None:
    page = export(layers, "html", ExportState(lang=lang)).decode("utf-8")
    expected = _cited(layers, lang)
    calls = [json.loads(m.group(1)) for m in re.finditer(r"addAttribution\((\".*?(?<!\\)\")\)", page)]
    (part,) = [c for c in calls if c.startswith('<details class="laovn-cite-box">')]
    assert part.startswith(f'<details class="laovn-cite-box"><summary>{esc(t("cite.title", lang))}'
                           "</summary>")
    assert provenance.sentence_html(expected, lang) in part
    for form in (expected.bibtex, expected.csl_json):
        assert esc(form) in part
    assert "<b>" not in part  # the fixture's title holds <b>: escaped


@pytest.mark.parametrize("lang", ["en", "vi", "lo"])
def test_the_sentence_in_html_marks_each_articles_title_with_its_language(
        layers: Layers, lang: str) -> None:
    """A Lao (or any) sentence names the articles as they are written: each title in a
    `<cite lang>` of its article's language, the rest escaped and unchanged."""
    expected = _cited(layers, lang)
    shown = provenance.sentence_html(expected, lang)
    marks = re.findall(r'<cite lang="([^"]+)">(.*?)</cite>', shown)
    assert sorted(marks) == sorted((a.language, esc(a.title)) for a in expected.articles)
    assert html.unescape(re.sub(r"</?cite[^>]*>", "", shown)) == expected.sentence
    assert "<b>" not in shown  # the fixture's title holds <b>: escaped


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_prints_credits_and_the_pdfs_metadata_hold_the_sentence(
        real: Layers, tmp_path: Path, lang: str) -> None:
    state = ExportState(lang=lang, page=formats.page_size("a4", 50))
    data = export(real, "pdf", state)
    expected = _cited(real, lang)
    first_page = _words(_pdftotext(data, tmp_path)[0])
    assert _words(f"{t('cite.title', lang)}: {expected.sentence_after_credits}") in first_page
    assert expected.manifest_sha256 in first_page
    for article in expected.articles:
        assert f"«{article.title}»" in first_page and article.url in first_page
    assert first_page.count(t("cite.revision_unknown", lang)) == 2
    info = _pdfinfo(data, tmp_path)
    assert _words(expected.sentence_after_credits) in _words(info)
    png = Image.open(io.BytesIO(export(real, "png", state)))
    assert png.info["Citation"] == expected.sentence_after_credits


def _pdfinfo(data: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdfinfo")
    if tool is None:
        reason = "pdfinfo is missing: install Debian's poppler-utils"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true, so this is an error)")
        pytest.skip(reason)
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, "-enc", "UTF-8", str(path)], capture_output=True,
                          check=True).stdout.decode("utf-8")
