"""`laovn-map site`: the static edition's files (every language of `i18n.LANGUAGES`, relative
links that lead to its own files, escaped tables, the preview at 1200×630), the same bytes
for the same build, and the command's refusals in one line with nothing changed."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from laovn_map.cite import citation
from laovn_map.cli import main
from laovn_map.export import formats
from laovn_map.export.provenance import sentence_html
from laovn_map.geo.reader import load_layers
from laovn_map.i18n import LANGUAGES, t
from laovn_map.page import mapview, pagetext
from laovn_map.page.browserdata import script_json
from laovn_map.page.mapstyle import LAO_FAMILY
from laovn_map.page.webassets import LAO_FONT
from laovn_map.site import embed, pages

from ..conftest import FIXTURE


class _Links(HTMLParser):
    """Every address a page names (href, src) and its Open Graph image."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key in ("href", "src"):
            if found.get(key) and tag in ("a", "link", "iframe", "img"):
                self.links.append(str(found[key]))
        if tag == "meta" and (found.get("property") or found.get("name")):
            self.meta[str(found.get("property") or found.get("name"))] = str(found.get("content"))


def _parsed(data: bytes) -> _Links:
    parser = _Links()
    parser.feed(data.decode("utf-8"))
    return parser


@pytest.fixture(scope="module")
def site() -> dict[str, bytes]:
    return pages.site_files(load_layers(FIXTURE))


def test_every_language_has_its_pages_embed_exports_and_preview(site: dict[str, bytes]) -> None:
    for code in LANGUAGES:
        folder = embed.lang_folder(code)
        for page in (pages.INDEX_PAGE, embed.EMBED_PAGE, pages.DOWNLOADS_PAGE, pages.CREDITS_PAGE,
                     *(table.file for table in pages.TABLES)):
            text = site[folder + page].decode("utf-8")
            assert f'<html lang="{code}">' in text, (folder, page)
        for fmt in formats.FORMATS:
            assert folder + pages.EXPORTS_FOLDER + formats.file_name(
                fmt, formats.ExportState(lang=code)) in site
        with Image.open(__import__("io").BytesIO(site[folder + pages.PREVIEW_FILE])) as image:
            assert image.size == pages.PREVIEW_PIXELS
        assert f"<title>{t('title', code)}</title>" in site[folder + embed.EMBED_PAGE].decode()
    assert embed.lang_folder(next(iter(LANGUAGES))) == ""  # the default language at the root
    assert "ATTRIBUTION.md" in site and pages.DATA_FOLDER + "laovn-map-layers.zip" in site


def test_the_index_and_credits_cite_the_build_as_the_page_does(site: dict[str, bytes]) -> None:
    layers = load_layers(FIXTURE)
    for code in LANGUAGES:
        how = citation(layers.manifest_bytes, code)
        for page in (pages.INDEX_PAGE, pages.CREDITS_PAGE):
            shown = site[embed.lang_folder(code) + page].decode("utf-8")
            # the sentence's article titles marked with their language, one mark each
            assert sentence_html(how, code) in shown
            assert shown.count("<cite lang=") == len(how.articles)
            text = html.unescape(re.sub(r"</?cite[^>]*>", "", shown))
            assert t("cite.title", code) in text
            for form in (how.sentence, how.bibtex, how.csl_json):
                assert form in text, (code, page, form[:40])
    # the fixture's article title with markup in it is shown as text, not markup
    assert b"<b>_#" not in site[pages.CREDITS_PAGE] and b"&lt;b&gt;_#" in site[pages.CREDITS_PAGE]


def test_each_embed_page_reads_the_pages_years_and_loads_other_periods_only_when_asked(
        site: dict[str, bytes]) -> None:
    """The embed page carries the texts' period and the page's years rule; each other period's
    state is a file beside it, named in it, loaded by the map when the address asks."""
    layers = load_layers(FIXTURE)
    rule = pagetext.years_rule(layers)
    assert rule is not None and pages.PERIOD_FILES
    for code in LANGUAGES:
        folder = embed.lang_folder(code)
        page = site[folder + embed.EMBED_PAGE].decode("utf-8")
        assert '"years":' + script_json(rule.config()) in page
        for period_file in pages.PERIOD_FILES:
            assert script_json(period_file.config()) in page
            state = site[folder + period_file.file].decode("utf-8")
            assert state.startswith("laovn.apply(") and f'"period":"{period_file.period}"' in state
            assert f'"lang":"{code}"' in state and '"years":' + script_json(rule.config()) in state
            # the period's own features are in its file, not in the first load
            ids = [f["id"] for f in layers.features("provinces_vn_2025")]
            assert ids and all(f'"{fid}"' in state for fid in ids)
            assert not any(f'"{fid}"' in page for fid in ids)
        spec = embed.embed_spec(code, None)
        assert {pagetext.YEARS_PARAM, *mapview.PERIOD_PARAMS.values()} <= set(spec["params"])
        assert script_json(spec["params"]) in site[folder + pages.INDEX_PAGE].decode("utf-8")


def test_every_link_is_relative_and_leads_to_a_file_of_the_site(site: dict[str, bytes]) -> None:
    for path, data in site.items():
        if not path.endswith(".html") or pages.EXPORTS_FOLDER in path:
            continue
        parsed = _parsed(data)
        for link in parsed.links:
            if link.startswith("data:"):
                continue
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), (path, link)
            target = (Path(path).parent / unquote(parts.path)).as_posix()
            target = re.sub(r"(^|/)[^/]+/\.\./", r"\1", target).removeprefix("./")
            assert target in site, (path, link)
        if path.endswith(pages.INDEX_PAGE):
            assert parsed.meta["og:image"] == pages.PREVIEW_FILE
            assert parsed.meta["twitter:card"] == "summary_large_image"


def test_the_style_ships_the_lao_font_the_page_does_with_its_licence(
        site: dict[str, bytes]) -> None:
    """A Lao page of the site reads where the system has no Lao font: site.css declares the
    page's font (`webassets.LAO_FONT`) for the Lao block from a file of the site, first in
    every font it names, and the font's licence is beside it."""
    style = site[pages.STYLE_FILE].decode("utf-8")
    (url,) = re.findall(r'@font-face\{[^}]*font-family:"' + LAO_FAMILY + r'"[^}]*src:url\(([^)]+)\)',
                        style)
    assert not urlsplit(url).scheme and site[url] == LAO_FONT.read_bytes()
    assert "U+0E80-0EFF" in style
    fonts = re.findall(r"font(?:-family)?:\s*([^;]+);", style)
    assert fonts and all(f'"{LAO_FAMILY}"' in f.split(",")[0] for f in fonts
                         if "," in f), fonts  # every stack of families starts with it
    assert b"SIL OPEN FONT LICENSE" in site[pages.FONT_LICENCE_FILE].upper()


def test_the_address_given_makes_the_previews_absolute() -> None:
    site = pages.site_files(load_layers(FIXTURE), "https://example.org/laovn/")
    meta = _parsed(site["vi/index.html"]).meta
    assert meta["og:image"] == "https://example.org/laovn/vi/preview.png"
    assert meta["og:url"] == "https://example.org/laovn/vi/index.html"
    assert '"base":"https://example.org/laovn/"' in site["vi/index.html"].decode()


def test_a_table_cell_is_escaped_and_its_row_opens_on_the_map() -> None:
    rows = [{"Name <b>": "<script>alert(1)</script>", "Length (km)": 12.5}]
    html = pages.table_html(rows, "en", "Caption & more", ["sel=a&b"], "Show")
    assert "<script>" not in html and "&lt;script&gt;" in html and "Name &lt;b&gt;" in html
    assert "<caption>Caption &amp; more</caption>" in html
    assert '<td class="number">12.5</td>' in html
    assert '<a href="index.html?sel=a&amp;b">Show</a>' in html


@pytest.mark.slow
def test_the_command_writes_the_same_bytes_twice(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert main(["site", "--geo", str(FIXTURE), "--out", str(first)]) == 0
    assert main(["site", "--geo", str(FIXTURE), "--out", str(second)]) == 0
    assert re.fullmatch(r"Wrote .*one: \d+ files, [\d,]+ bytes, in [\d.]+ s\.\n",
                        capsys.readouterr().out.splitlines(keepends=True)[0])
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*")
                           if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # a site written before is replaced whole: a file it no longer writes goes
    (first / "stray.txt").write_text("old", encoding="utf-8")
    assert main(["site", "--geo", str(FIXTURE), "--out", str(first)]) == 0
    assert not (first / "stray.txt").exists() and (first / "index.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["site", "--geo", str(FIXTURE), *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    return err


def test_a_folder_it_did_not_write_is_refused_and_kept(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert "no site `laovn-map site` wrote" in _refused(capsys, "--out", str(out))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_bad_outs_and_addresses_are_one_line(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    assert "is not a folder" in _refused(capsys, "--out", str(afile))
    assert "does not exist" in _refused(capsys, "--out", str(tmp_path / "no" / "site"))
    assert "inside the layer folder" in _refused(capsys, "--out", str(FIXTURE / "site"))
    assert "holds the layer folder" in _refused(capsys, "--out", str(FIXTURE.parent))
    assert "--base-url 'ftp://x'" in _refused(capsys, "--out", str(tmp_path / "s"),
                                              "--base-url", "ftp://x")
    assert not (tmp_path / "s").exists()


def test_a_bad_site_address_in_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(embed.SITE_URL_ENV, "not an address")
    with pytest.raises(Exception, match=r"\$LAOVN_SITE_URL 'not an address'"):
        embed.site_url(None)
    monkeypatch.setenv(embed.SITE_URL_ENV, "https://example.org/m")
    assert embed.site_url(None) == "https://example.org/m/"
    assert embed.site_url("http://h/x/") == "http://h/x/"
