"""The static edition as files: a loaded build → every file of the site, by its path (pure; the
CLI writes them through `site/folder.py`).

Each language of `i18n.LANGUAGES` has its folder (`embed.lang_folder`: the default language at
the root): an index with the map, an embed page (the map alone: the offline HTML export, so
the page's own map script and its address's state, and beside it each other period's state,
loaded when the address asks), the page's tables as HTML, the downloads
(the layer files and the zip at the root, shared; the exports of the default state in the
language) and the credits. Every link is relative, so the site works from any folder of any
host; nothing in it talks to a server but for its own files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from laovn_map.catalog import ATTRIBUTION_FILE, BUNDLE_NAME, DOWNLOAD_NAMES, PERIOD_TEXT, credit_line
from laovn_map.export import dispatch, formats, html
from laovn_map.export.provenance import cited, provenance, sentence_html
from laovn_map.geo.reader import Layers, bundle_zip
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page import mapview, pagetext
from laovn_map.page.browserdata import script_json
from laovn_map.page.labels import esc, layer_label, osm_role
from laovn_map.page.mapstyle import LAO_FAMILY
from laovn_map.page.webassets import LAO_FONT, lao_font_face_at
from laovn_map.site import embed

#: The preview image of a link (Open Graph, Twitter's large card): the print at 1200×630 px.
PREVIEW_PIXELS = (1200, 630)
PREVIEW_DPI = 100
PREVIEW_PAGE = formats.PageSize(PREVIEW_PIXELS[0] * formats.MM_PER_INCH / PREVIEW_DPI,
                                 PREVIEW_PIXELS[1] * formats.MM_PER_INCH / PREVIEW_DPI, PREVIEW_DPI)
PREVIEW_FILE = "preview.png"
#: The folder of the shared downloads (layer files, zip) and of a language's exports.
DATA_FOLDER = "data/"
EXPORTS_FOLDER = "exports/"
STYLE_FILE = "site.css"
#: Beside each embed page, the state of each period its address may ask for (?since2025=true):
#: loaded only then, so the map's first load is the texts' period alone.
PERIOD_FILES = tuple(mapview.PeriodFile(period, f"embed-{period}.js")
                     for period in mapview.PERIOD_PARAMS)
#: The Lao font the page ships (`webassets.LAO_FONT`) and its licence, once for every page: a
#: Lao page must read on a machine with no Lao font. Named in `site.css`, relative to it.
FONT_FILE = "fonts/" + LAO_FONT.name
FONT_LICENCE_FILE = "fonts/OFL.txt"
#: Written at the site's root: what says a folder is a site this command wrote (and may
#: replace).
MARK_FILE = ".laovn-site"
MARK_TEXT = b"laovn-map static site: `laovn-map site` replaces this folder as a whole.\n"

_STYLE = lao_font_face_at(FONT_FILE) + """
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 "%(lao)s", system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif;
  color: var(--ink); background: #fff; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; }
h1 { font-size: 1.6rem; margin: 0.25rem 0; }
.subtitle { color: var(--muted); margin: 0 0 0.5rem; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.5rem 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, textarea:focus-visible, .table-wrap:focus-visible,
pre:focus-visible {
  outline: 3px solid #e36209; outline-offset: 2px; }
nav a[aria-current="page"] { font-weight: 700; color: var(--ink); }
.languages { font-size: 0.95rem; }
.map { display: block; width: 100%%; height: 640px; border: 1px solid var(--line); }
@media (max-width: 600px) { .map { height: 70vh; } h1 { font-size: 1.3rem; } }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { min-width: 6rem; border: 1px solid var(--line); padding: 0.3rem 0.5rem;
  text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: var(--muted); }
.laovn-embed { display: grid; gap: 0.5rem; margin: 0.5rem 0 1rem; }
.laovn-embed-label { display: grid; gap: 0.25rem; font-weight: 600; }
.laovn-embed-code { width: 100%%; font: 0.85rem/1.4 "%(lao)s", ui-monospace, monospace; }
.laovn-embed-copy { justify-self: start; padding: 0.4rem 0.9rem; font: inherit; cursor: pointer; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: 0.75rem; border: 1px solid var(--line);
  font-family: "%(lao)s", ui-monospace, monospace; max-width: 100%%; overflow-x: auto; }
footer { color: var(--muted); font-size: 0.85rem; padding-bottom: 2rem; }
.cite-sentence { overflow-wrap: anywhere; }
""" % {"lao": LAO_FAMILY}  # noqa: UP031  (CSS braces)


@dataclass(frozen=True)
class Table:
    """A table page: its file, its title's message id, its note's, and its rows (with the map
    address each row opens: `?sel=` a feature or `?event=` a statement; '' for none)."""

    file: str
    title: str
    note: str | None
    rows: Callable[[Layers, str], list[dict[str, Any]]]
    links: Callable[[Layers], list[str]] | None = None


def _feature_links(table: str) -> Callable[[Layers], list[str]]:
    return lambda layers: [f"sel={fid}" if fid else ""
                           for fid in pagetext.row_feature_ids(layers, table)]


TABLES: tuple[Table, ...] = (
    Table("provinces.html", "table.provinces", None, pagetext.province_rows,
          _feature_links("provinces")),
    Table("missions.html", "table.missions", None, pagetext.mission_rows,
          _feature_links("missions")),
    Table("events.html", "table.events", "events.note", pagetext.event_rows,
          lambda layers: [f"event={eid}" for eid in pagetext.event_ids(layers)]),
    Table("figures.html", "textfigures", "textfigures.note", pagetext.text_figure_rows),
    Table("official.html", "official", "official.note", pagetext.official_rows),
)
DOWNLOADS_PAGE = "downloads.html"
CREDITS_PAGE = "credits.html"
INDEX_PAGE = "index.html"


def cite_part(layers: Layers, lang: str) -> str:
    """The citation's part of the index and credits pages (HTML, escaped): the sentence,
    BibTeX and CSL-JSON of this build (`cite.citation`, as the page's "Cite this map" gives
    them: the sentence as text, its articles' titles marked with their language; the two
    formats for software as code); the one place the site shows them."""
    how = cited(layers, lang)
    codes = (("BibTeX", how.bibtex), ("CSL-JSON", how.csl_json))
    return ('<section class="cite" aria-labelledby="cite-title">'
            f'<h2 id="cite-title">{esc(t("cite.title", lang))}</h2>'
            f'<p class="note">{esc(t("cite.note", lang))}</p>'
            f'<h3>{esc(t("cite.sentence", lang))}</h3>'
            f'<p class="cite-sentence">{sentence_html(how, lang)}</p>'
            # a line longer than a phone is wide (an address) scrolls in its box, which the
            # keyboard must reach: tabindex, named by its heading
            + "".join(f'<h3 id="cite-{esc(label.lower())}">{esc(label)}</h3>'
                      f'<pre role="region" tabindex="0" aria-labelledby="cite-{esc(label.lower())}">'
                      f"{esc(text)}</pre>" for label, text in codes)
            + "</section>")


def site_files(layers: Layers, base_url: str | None = None) -> dict[str, bytes]:
    """Every file of the static site of `layers`, by its path relative to the site's root
    (sorted): the same build gives the same bytes. `base_url` (the site's address, ending in
    a slash) makes the preview's and pages' addresses absolute, as link previews want."""
    files: dict[str, bytes] = {MARK_FILE: MARK_TEXT, STYLE_FILE: _STYLE.encode("utf-8"),
                               FONT_FILE: LAO_FONT.read_bytes(),
                               FONT_LICENCE_FILE: (LAO_FONT.parent / "OFL.txt").read_bytes(),
                               ATTRIBUTION_FILE: layers.attribution_bytes,
                               DATA_FOLDER + BUNDLE_NAME: bundle_zip(layers)}
    for key, name in DOWNLOAD_NAMES.items():
        files[DATA_FOLDER + name] = layers.raw[key]
    for lang in LANGUAGES:
        files.update(_language_files(layers, lang, base_url))
    return dict(sorted(files.items()))


def _language_files(layers: Layers, lang: str, base_url: str | None) -> Iterator[tuple[str, bytes]]:
    folder = embed.lang_folder(lang)
    state = formats.ExportState(lang=lang)
    exports = {fmt: formats.file_name(fmt, state) for fmt in formats.FORMATS}
    for fmt, name in exports.items():
        yield folder + EXPORTS_FOLDER + name, dispatch.export(layers, fmt, state)
    yield folder + PREVIEW_FILE, dispatch.export(
        layers, "png", formats.ExportState(lang=lang, page=PREVIEW_PAGE))
    yield folder + embed.EMBED_PAGE, html.to_html(layers, state, PERIOD_FILES)
    for period_file in PERIOD_FILES:
        yield folder + period_file.file, html.state_file(
            layers, formats.ExportState(lang=lang, period=period_file.period))
    page = _Page(layers, lang, base_url)
    yield folder + INDEX_PAGE, page.index()
    for table in TABLES:
        yield folder + table.file, page.table(table)
    yield folder + DOWNLOADS_PAGE, page.downloads(exports)
    yield folder + CREDITS_PAGE, page.credits()


def _cell_class(value: object) -> str:
    return ' class="number"' if isinstance(value, int | float) and not isinstance(value, bool) else ""


def table_html(rows: Sequence[Mapping[str, Any]], lang: str, caption: str,
               links: Sequence[str] = (), link_text: str = "") -> str:
    """`rows` (the page's table rows) as an accessible HTML table, every cell escaped and its
    numbers written as the page writes them; with `links`, a last column whose link opens the
    row on the map (`index.html?` + the row's link)."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    written = pagetext.column_formats(rows, lang)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    if links:
        map_column = t("site.map", lang)
        head += f'<th scope="col">{esc(map_column)}</th>'
    body = []
    for i, row in enumerate(rows):
        cells = []
        for column in columns:
            value = row.get(column)
            text = "" if value is None else written.get(column, str)(value)
            cells.append(f"<td{_cell_class(value)}>{esc(text)}</td>")
        if links:
            link = links[i] if i < len(links) else ""
            cells.append(f'<td><a href="{esc(INDEX_PAGE + "?" + link)}">{esc(link_text)}</a></td>'
                         if link else "<td></td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap" role="region" tabindex="0" aria-label="{esc(caption)}">'
            f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


_CURRENT_PAGE = ' aria-current="page"'
_CURRENT = ' aria-current="true"'


class _Page:
    """The pages of one language: the same head, navigation and footer around each."""

    def __init__(self, layers: Layers, lang: str, base_url: str | None) -> None:
        self.layers, self.lang, self.base_url = layers, lang, base_url
        self.folder = embed.lang_folder(lang)
        self.home = "../" * self.folder.count("/")

    def _address(self, path: str) -> str:
        """A file of this language's folder as a page's head names it: absolute with the
        site's address, else relative to the page."""
        return self.base_url + self.folder + path if self.base_url else path

    def _head(self, file: str, title: str) -> str:
        lang = self.lang
        description, name = t("subtitle", lang), t("title", lang)
        image = self._address(PREVIEW_FILE)
        alternates = "".join(
            f'<link rel="alternate" hreflang="{esc(code)}" '
            f'href="{esc(self.home + embed.lang_folder(code) + file)}">' for code in LANGUAGES)
        meta = {"og:type": "website", "og:title": title, "og:description": description,
                "og:image": image, "og:image:width": str(PREVIEW_PIXELS[0]),
                "og:image:height": str(PREVIEW_PIXELS[1]), "og:image:alt": name,
                "og:locale": LANGUAGES[lang].cldr_locale}
        if self.base_url:
            meta["og:url"] = self._address(file)
        tags = "".join(f'<meta property="{k}" content="{esc(v)}">' for k, v in meta.items())
        tags += "".join(f'<meta name="{k}" content="{esc(v)}">' for k, v in {
            "twitter:card": "summary_large_image", "twitter:title": title,
            "twitter:description": description, "twitter:image": image,
            "twitter:image:alt": name}.items())
        return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{esc(title)}</title>"
                f'<meta name="description" content="{esc(description)}">{tags}{alternates}'
                f'<link rel="stylesheet" href="{esc(self.home + STYLE_FILE)}"></head><body>')

    def _page(self, file: str, heading: str, body: str) -> bytes:
        lang = self.lang
        title = t("title", lang) if file == INDEX_PAGE else f"{heading} · {t('title', lang)}"
        links = [(INDEX_PAGE, t("site.map", lang))]
        links += [(table.file, t(table.title, lang)) for table in TABLES]
        links += [(DOWNLOADS_PAGE, t("downloads", lang)), (CREDITS_PAGE, t("credits", lang))]
        nav = "".join(
            f'<li><a href="{esc(href)}"{_CURRENT_PAGE if href == file else ""}>'
            f"{esc(text)}</a></li>" for href, text in links)
        languages = "".join(
            f'<li><a href="{esc(self.home + embed.lang_folder(code) + file)}" hreflang="{esc(code)}"'
            f' lang="{esc(code)}"{_CURRENT if code == lang else ""}>'
            f"{esc(language.own_name)}</a></li>" for code, language in LANGUAGES.items())
        build = provenance(self.layers).line(lang)
        name, pages, languages_name = t("title", lang), t("site.pages", lang), t("language", lang)
        html = (self._head(file, title) + "<header>"
                + ("" if file == INDEX_PAGE else
                   f'<p class="subtitle"><a href="{INDEX_PAGE}">{esc(name)}</a></p>')
                + f"<h1>{esc(heading)}</h1>"
                f'<nav aria-label="{esc(pages)}"><ul>{nav}</ul></nav>'
                f'<nav class="languages" aria-label="{esc(languages_name)}"><ul>{languages}'
                "</ul></nav></header>"
                f"<main>{body}</main>"
                f"<footer><p>{esc(credit_line(lang, osm_role=self._osm_role()))}</p>"
                f"<p>{esc(build)}</p></footer></body></html>\n")
        return html.encode("utf-8")

    def _osm_role(self) -> str:
        return osm_role(self.layers.collections, self.lang, PERIOD_TEXT)

    def index(self) -> bytes:
        lang = self.lang
        spec = embed.embed_spec(lang, self.base_url, home=self.home)
        words = embed.embed_words(lang)
        # the snippet, and the language links that keep the map's state (both from embed.js)
        script = (embed.embed_script() + f"\nconst siteSpec = {script_json(spec)};\n"
                  "embedBox(document.getElementById(\"laovn-embed\"), siteSpec, "
                  f"{script_json(words)}, function () {{ return window.location.href; }});\n"
                  "languageLinks(document.querySelector(\"nav.languages\"), siteSpec, "
                  f"{script_json(INDEX_PAGE)});\n")
        subtitle, name = t("subtitle", lang), t("title", lang)
        heading, note = t("embed", lang), t("embed.note", lang)
        body = (f'<p class="subtitle">{esc(subtitle)}</p>'
                f'<iframe class="map" src="{embed.EMBED_PAGE}" title="{esc(name)}">'
                "</iframe>"
                f'<section aria-labelledby="embed-heading"><h2 id="embed-heading">'
                f'{esc(heading)}</h2><p class="note">{esc(note)}</p>'
                f'<div id="laovn-embed"></div></section>'
                + cite_part(self.layers, lang)
                + f'<script type="module">{script}</script>')
        return self._page(INDEX_PAGE, t("title", lang), body)

    def table(self, table: Table) -> bytes:
        lang = self.lang
        rows = table.rows(self.layers, lang)
        links = table.links(self.layers) if table.links else []
        note = f'<p class="note">{esc(t(table.note, lang))}</p>' if table.note else ""
        notes = ""
        if table.file == "figures.html":
            notes = "".join(f'<p class="note">{esc(text)}</p>'
                            for text in pagetext.figure_disagreement_notes(self.layers, lang))
        heading = t(table.title, lang)
        body = note + notes + table_html(rows, lang, heading, links, t("site.onmap", lang))
        return self._page(table.file, heading, body)

    def downloads(self, exports: Mapping[str, str]) -> bytes:
        lang, data = self.lang, self.home + DATA_FOLDER
        files = "".join(
            f'<li><a href="{esc(data + name)}" download>{esc(layer_label(key, lang))}</a> · '
            f"<code>{esc(name)}</code></li>" for key, name in DOWNLOAD_NAMES.items())
        words = {"download.zip": t("download.zip", lang),
                 "downloads.built": t("downloads.built", lang),
                 "downloads.note": t("downloads.note", lang),
                 "exports.everything": t("exports.everything", lang)}
        files += (f'<li><a href="{esc(data + BUNDLE_NAME)}" download>{esc(words["download.zip"])}'
                  f"</a> · <code>{esc(BUNDLE_NAME)}</code></li>")
        made = "".join(
            f'<li><a href="{esc(EXPORTS_FOLDER + name)}" download>'
            f"{esc(formats.export_label(fmt, lang))}</a> · <code>{esc(name)}</code></li>"
            for fmt, name in exports.items())
        body = (f'<h2>{esc(words["downloads.built"])}</h2>'
                f'<p class="note">{esc(words["downloads.note"])}</p><ul>{files}</ul>'
                f'<p class="note">{esc(words["exports.everything"])}</p><ul>{made}</ul>')
        return self._page(DOWNLOADS_PAGE, t("downloads", lang), body)

    def credits(self) -> bytes:
        lang = self.lang
        attribution = self.layers.attribution_bytes.decode("utf-8")
        body = (f"<p>{esc(credit_line(lang, osm_role=self._osm_role()))}</p>"
                f'<p><a href="{esc(self.home + ATTRIBUTION_FILE)}">{esc(ATTRIBUTION_FILE)}</a></p>'
                f'<pre lang="en" role="region" tabindex="0" aria-label="{esc(ATTRIBUTION_FILE)}">'
                f"{esc(attribution)}</pre>" + cite_part(self.layers, lang))
        return self._page(CREDITS_PAGE, t("credits", lang), body)
