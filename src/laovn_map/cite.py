"""How to cite the map: one sentence (APA-like), BibTeX and CSL-JSON, in a language, from a
build's `manifest.json` as written.

Everything cited comes from the build: the two articles (title, language, URL, and the revision
and retrieval day where the seeds' metadata files record them, "not recorded" otherwise, never
guessed) from the manifest's ``texts``, the version from its ``generator``, and the datasets with
their licences from `catalog` (their one place). The SHA-256 is of the manifest's bytes as they
are on disk: a manifest cannot hold its own checksum, so it is computed here, where the citation
is made. Pure: the page, the exports and the static site call :func:`citation` with the bytes
they read (`geo.reader.Layers.manifest_bytes`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from laovn_map.catalog import SHOWN, WIKIPEDIA, Dataset
from laovn_map.errors import LayerError
from laovn_map.geo.manifest import Manifest, TextEntry, checked
from laovn_map.i18n import t

#: The program's name in a generator ("laovn-map 0.1.0"); what follows it is the version.
_PROGRAM = "laovn-map"


@dataclass(frozen=True)
class Article:
    """A Wikipedia article a text of the build copies (`revision`, `retrieved`: None where not
    recorded)."""

    key: str
    language: str
    title: str
    url: str
    revision: int | None
    retrieved: str | None


@dataclass(frozen=True)
class Citation:
    """The three forms of one citation, in one language, and what they are made of."""

    sentence: str
    #: The sentence for a document whose credits, just before it, name the datasets with their
    #: licences (the print): they are referred to, not repeated.
    sentence_after_credits: str
    bibtex: str
    csl_json: str
    manifest_sha256: str
    version: str
    articles: tuple[Article, ...]


def citation(manifest_bytes: bytes, lang: str) -> Citation:
    """The citation of the build whose `manifest.json` is *manifest_bytes*, in *lang*; a
    :class:`LayerError` for bytes that are no manifest."""
    try:
        manifest = checked(json.loads(manifest_bytes))
    except (ValueError, UnicodeDecodeError):
        raise LayerError("manifest.json is not valid JSON; cannot cite the build") from None
    sha = hashlib.sha256(manifest_bytes).hexdigest()
    version = _version(manifest)
    articles = tuple(_article(text) for text in manifest["texts"])
    return Citation(_sentence(articles, version, sha, lang),
                    _sentence(articles, version, sha, lang, after_credits=True),
                    _bibtex(articles, version, sha, lang),
                    _csl_json(articles, version, sha, lang), sha, version, articles)


def _version(manifest: Manifest) -> str:
    generator = manifest["generator"].strip()
    return generator.removeprefix(_PROGRAM).strip() or generator


def _article(text: TextEntry) -> Article:
    """A text of the manifest as the article it copies; a build older than the seeds' metadata
    gives the file's name as the title and no URL."""
    name = PurePosixPath(text["file"]).name
    return Article(name.removesuffix(".txt"), text["language"], text.get("title") or name,
                   text.get("url") or "", text.get("revision"), text.get("retrieved"))


def _datasets() -> list[Dataset]:
    """The datasets the map shows besides the texts, each credit and licence once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for dataset in SHOWN:
        if dataset is WIKIPEDIA or (dataset.credit_en, dataset.licence) in seen:
            continue
        seen.add((dataset.credit_en, dataset.licence))
        out.append(dataset)
    return out


def revision_text(article: Article, lang: str) -> str:
    if article.revision is None:
        return t("cite.revision_unknown", lang)
    return t("cite.revision", lang).format(revision=article.revision)


def retrieved_text(article: Article, lang: str) -> str:
    if article.retrieved is None:
        return t("cite.retrieved_unknown", lang)
    return t("cite.retrieved", lang).format(date=article.retrieved)


def _article_text(article: Article, lang: str) -> str:
    return t("cite.article", lang).format(
        title=article.title, language=article.language, url=article.url or "—",
        revision=revision_text(article, lang), retrieved=retrieved_text(article, lang))


def _joined(parts: list[str], lang: str) -> str:
    if len(parts) < 2:
        return "".join(parts)
    word = t("cite.and", lang)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def _datasets_text(lang: str) -> str:
    return "; ".join(f"{d.credit(lang)} ({d.licence_in(lang)})" for d in _datasets())


def _sentence(articles: tuple[Article, ...], version: str, sha: str, lang: str,
              after_credits: bool = False) -> str:
    form = t("cite.sentence_after_credits", lang) if after_credits else t("cite.sentence_form", lang)
    return form.format(
        author=t("cite.author", lang), year=t("cite.undated", lang), title=t("title", lang),
        kind=t("cite.kind", lang), version=version, sha=sha,
        articles=_joined([_article_text(a, lang) for a in articles], lang),
        credit=WIKIPEDIA.credit(lang), licence=WIKIPEDIA.licence, datasets=_datasets_text(lang))


#: What stands for the n-th article's title while the sentence is escaped (no title holds it).
_TITLE_STAND_IN = "\x00{}\x00"


def sentence_with(how: Citation, lang: str, escape: Callable[[str], str],
                  title: Callable[[Article], str], after_credits: bool = False) -> str:
    """`how`'s sentence in *lang* with its text passed through `escape` and each article's title
    written by `title` (in HTML: escaped and marked with the article's language), where the
    sentence names the article: a map title that contains an article's title stays text."""
    stand_ins = {_TITLE_STAND_IN.format(i): a for i, a in enumerate(how.articles)}
    articles = tuple(dataclasses.replace(a, title=key) for key, a in stand_ins.items())
    text = escape(_sentence(articles, how.version, how.manifest_sha256, lang, after_credits))
    return re.sub("\x00\\d+\x00", lambda m: title(stand_ins[m.group()]), text)


# --- BibTeX ---------------------------------------------------------------------------------

#: LaTeX's special characters in a text field, each as a command that prints it.
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
_TEX_PATTERN = re.compile("|".join(re.escape(c) for c in _TEX_SPECIAL))
#: What a URL keeps as it is in BibTeX's verbatim ``url`` field; anything else (a brace, a
#: backslash, a space, non-ASCII) is percent-encoded, so the field's braces stay balanced.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def bibtex_text(text: str) -> str:
    """*text* for a BibTeX text field: LaTeX's special characters escaped, other characters
    (Vietnamese letters, dashes) as UTF-8, which biber and bibtex8 read."""
    return _TEX_PATTERN.sub(lambda m: _TEX_SPECIAL[m.group()], " ".join(text.split()))


def bibtex_url(url: str) -> str:
    return urllib.parse.quote(url, safe=_URL_SAFE)


def _key(text: str) -> str:
    """A BibTeX key: ASCII letters, digits and ``-`` only."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")


def _entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def map_key(sha: str) -> str:
    return f"{_PROGRAM}-{sha[:12]}"


def article_key(article: Article) -> str:
    return _key(f"wikipedia-{article.key}")


def _bibtex(articles: tuple[Article, ...], version: str, sha: str, lang: str) -> str:
    note = t("cite.build", lang).format(sha=sha) + ". " + t("cite.datasets", lang).format(
        datasets=_datasets_text(lang))
    entries = [_entry("misc", map_key(sha), [
        ("author", "{" + bibtex_text(t("cite.author", lang)) + "}"),
        ("title", bibtex_text(t("title", lang))),
        ("type", bibtex_text(t("cite.kind", lang))),
        ("version", bibtex_text(version)),
        ("language", lang),
        ("note", bibtex_text(note)),
        ("related", ",".join(article_key(a) for a in articles)),
    ])]
    entries += [_entry("misc", article_key(a), [
        ("author", "{" + bibtex_text(WIKIPEDIA.credit(lang)) + "}"),
        ("title", bibtex_text(a.title)),
        ("howpublished", bibtex_text(f"Wikipedia ({a.language})")),
        ("language", bibtex_text(a.language)),
        ("url", bibtex_url(a.url)),
        ("urldate", a.retrieved or ""),
        ("note", bibtex_text(f"{revision_text(a, lang)}; {retrieved_text(a, lang)}; "
                             f"{WIKIPEDIA.licence}")),
    ]) for a in articles]
    return "\n".join(entries)


# --- CSL-JSON -------------------------------------------------------------------------------

def _day(iso: str) -> dict[str, list[list[int]]]:
    year, month, day = (int(part) for part in iso.split("-"))
    return {"date-parts": [[year, month, day]]}


def _csl_json(articles: tuple[Article, ...], version: str, sha: str, lang: str) -> str:
    items: list[dict[str, object]] = [{
        "id": map_key(sha), "type": "map", "title": t("title", lang),
        "author": [{"literal": t("cite.author", lang)}], "version": version, "language": lang,
        "note": t("cite.build", lang).format(sha=sha),
    }]
    for a in articles:
        item: dict[str, object] = {
            "id": article_key(a), "type": "entry-encyclopedia", "title": a.title,
            "container-title": f"Wikipedia ({a.language})",
            "author": [{"literal": WIKIPEDIA.credit(lang)}], "language": a.language,
            "URL": a.url, "license": WIKIPEDIA.licence,
            "note": f"{revision_text(a, lang)}; {retrieved_text(a, lang)}"}
        if a.retrieved:
            item["accessed"] = _day(a.retrieved)
        items.append(item)
    items += [{"id": _key(f"dataset-{d.key}"), "type": "dataset", "title": d.title_in(lang),
               "author": [{"literal": d.credit(lang)}], "license": d.licence_in(lang),
               "URL": d.licence_url} for d in _datasets()]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
