"""Tests of the map's citation (laovn_map.cite): the sentence, BibTeX and CSL-JSON of a build,
on the real build and on the hand-made fixture, whose English article has a recorded revision
and day and a title full of what BibTeX and HTML must escape."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from laovn_map import __version__, catalog
from laovn_map.cite import Citation, bibtex_text, citation
from laovn_map.errors import LayerError
from laovn_map.i18n import LANGUAGES, t

from .conftest import FIXTURE, REAL

LANGS = tuple(LANGUAGES)


def _manifest(folder: Path) -> bytes:
    return (folder / catalog.MANIFEST).read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_the_sentence_names_both_articles_the_version_and_the_manifests_sha256(lang: str) -> None:
    raw = _manifest(REAL)
    cited = citation(raw, lang)
    texts = json.loads(raw)["texts"]
    assert [a.title for a in cited.articles] == ["Laos–Vietnam relations", "Quan hệ Lào – Việt Nam"]
    for text in texts:
        assert f"«{text['title']}»" in cited.sentence
        assert text["url"] in cited.sentence and text["url"].startswith(
            f"https://{text['language']}.wikipedia.org/wiki/")
        assert text["revision"] is None and text["retrieved"] is None  # none recorded
    assert cited.sentence.count(t("cite.revision_unknown", lang)) == 2
    assert cited.sentence.count(t("cite.retrieved_unknown", lang)) == 2
    assert hashlib.sha256(raw).hexdigest() == cited.manifest_sha256
    assert cited.manifest_sha256 in cited.sentence
    assert json.loads(raw)["generator"] == f"laovn-map {__version__}"
    assert f" {__version__}," in cited.sentence
    for dataset in (catalog.OSM_LAND, catalog.NE_ADMIN1, catalog.GEONAMES):
        assert f"{dataset.credit(lang)} (" in cited.sentence
    assert f"({catalog.OSM_LAND.licence})" in cited.sentence
    assert t("title", lang) in cited.sentence


def test_the_sha256_is_of_the_bytes_given() -> None:
    raw = _manifest(REAL)
    assert citation(raw + b"\n", "en").manifest_sha256 != citation(raw, "en").manifest_sha256


def test_a_recorded_revision_and_day_are_cited() -> None:
    cited = citation(_manifest(FIXTURE), "en")
    assert "revision 1234567; retrieved 2024-05-01" in cited.sentence
    assert "urldate = {2024-05-01}" in cited.bibtex
    items = json.loads(cited.csl_json)
    english = next(i for i in items if i["type"] == "entry-encyclopedia" and i["language"] == "en")
    assert english["accessed"] == {"date-parts": [[2024, 5, 1]]}
    assert english["note"].startswith("revision 1234567")
    vietnamese = next(i for i in items if i["type"] == "entry-encyclopedia" and i["language"] == "vi")
    assert "accessed" not in vietnamese and vietnamese["note"].startswith("revision not recorded")


def test_bytes_that_are_no_manifest_are_one_line() -> None:
    with pytest.raises(LayerError, match=r"manifest\.json is not valid JSON"):
        citation(b"{", "en")
    with pytest.raises(LayerError, match=r"manifest\.json: lacks '"):
        citation(b"{}", "en")


# --- BibTeX ---------------------------------------------------------------------------------

_ENTRY = re.compile(r"@(\w+)\{([A-Za-z0-9-]+),\n(.*?)\n\}\n", re.S)
_FIELD = re.compile(r"  (\w+) = \{(.*)\}")
#: An escaped special character (`cite._TEX_SPECIAL`'s commands).
_ESCAPE = re.compile(r"\\textbackslash\{\}|\\[{}$&%#_]|\\\^\{\}|\\~\{\}")


def _balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def parse_bibtex(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The entries of *text* by key: (type, fields); fails on anything else (a small reader
    of the form `cite` writes: one field a line)."""
    entries: dict[str, tuple[str, dict[str, str]]] = {}
    rest = _ENTRY.sub("", text)
    assert rest.strip() == "", f"not BibTeX: {rest[:200]!r}"
    for kind, key, body in _ENTRY.findall(text):
        fields = {}
        for line in body.split(",\n"):
            found = _FIELD.fullmatch(line)
            assert found, line
            assert _balanced(found.group(2)), line
            fields[found.group(1)] = found.group(2)
        entries[key] = (kind, fields)
    assert _balanced(text)
    return entries


def _unescaped(value: str) -> list[str]:
    """The special characters of a text field left unescaped (its outer group's braces aside)."""
    inner = value[1:-1] if value.startswith("{") and value.endswith("}") else value
    return re.findall(r"[\\{}$&%#_^~]", _ESCAPE.sub("", inner))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("folder", [REAL, FIXTURE], ids=["real", "fixture"])
def test_the_bibtex_parses_with_every_special_character_escaped(folder: Path, lang: str) -> None:
    raw = _manifest(folder)
    cited = citation(raw, lang)
    entries = parse_bibtex(cited.bibtex)
    map_entry = entries[f"laovn-map-{cited.manifest_sha256[:12]}"]
    assert map_entry[0] == "misc"
    assert cited.manifest_sha256 in map_entry[1]["note"]
    assert map_entry[1]["version"] == bibtex_text(cited.version)
    articles = [fields for _kind, fields in entries.values() if "url" in fields]
    assert len(articles) == 2
    for _kind, fields in entries.values():
        for name, value in fields.items():
            if name != "url":
                assert not _unescaped(value), (name, value)
    for article, fields in zip(cited.articles, articles, strict=True):
        assert fields["title"] == bibtex_text(article.title)
        assert re.fullmatch(r"https://[\x21-\x7e]+", fields["url"]) and "{" not in fields["url"]
    assert map_entry[1]["related"] == ",".join(k for k, (_, f) in entries.items() if "url" in f)


def test_the_fixtures_hostile_title_is_escaped_for_bibtex() -> None:
    title = json.loads(_manifest(FIXTURE))["texts"][0]["title"]
    assert title == "Laos–Vietnam {relations} & 100% <b>_#$^~\\</b>"
    assert bibtex_text(title) == (r"Laos–Vietnam \{relations\} \& 100\% <b>\_\#\$\^{}\~{}"
                                  r"\textbackslash{}</b>")


# --- CSL-JSON -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_csl_json_is_a_map_its_articles_and_its_datasets(lang: str) -> None:
    raw = _manifest(REAL)
    cited: Citation = citation(raw, lang)
    items = json.loads(cited.csl_json)
    assert isinstance(items, list) and len({i["id"] for i in items}) == len(items)
    first = items[0]
    assert first["type"] == "map" and first["title"] == t("title", lang)
    assert first["version"] == cited.version and first["language"] == lang
    assert cited.manifest_sha256 in first["note"]
    assert first["author"] == [{"literal": t("cite.author", lang)}]
    articles = [i for i in items if i["type"] == "entry-encyclopedia"]
    assert [(a["title"], a["language"], a["URL"]) for a in articles] == [
        (a.title, a.language, a.url) for a in cited.articles]
    assert all(a["license"] == catalog.WIKIPEDIA.licence for a in articles)
    assert all(a["note"] == f"{t('cite.revision_unknown', lang)}; "
               f"{t('cite.retrieved_unknown', lang)}" for a in articles)
    datasets = [i for i in items if i["type"] == "dataset"]
    assert {d["license"] for d in datasets} >= {"ODbL 1.0", "CC BY 4.0"}
    assert all(d["title"] and d["author"] and d["URL"].startswith("https://") for d in datasets)
    assert len(items) == 1 + len(articles) + len(datasets)


@pytest.mark.parametrize("lang", [code for code in LANGS if code != "en"])
def test_the_sentence_is_in_its_language_but_for_the_titles_it_cites(lang: str) -> None:
    """The sentence's own words are the page's language; an article's title and address
    are as written."""
    from .untranslated import english_in

    cited = citation(_manifest(REAL), lang)
    words = cited.sentence
    for article in cited.articles:
        words = words.replace(f"«{article.title}»", " ").replace(article.url, " ")
    assert english_in(words, lang) == [], words
