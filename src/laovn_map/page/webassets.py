"""Leaflet for the map page, taken from the installed xstatic-leaflet package, and the Lao font.

folium lists CDN addresses for its scripts and stylesheets; streamlit-folium hands the same list
to its frontend, which loads each one with a `<script src>` / `<link href>`. Replacing the
addresses with `data:` URLs built here from the xstatic packages makes the page work with no
network at all, and nothing third-party is copied into the repository.

Lao text must render on a machine with no Lao font, and no Python package carries one: the
repository keeps Noto Sans Lao (OFL 1.1, `fonts/OFL.txt`), cut to the Lao block, as data. It is
declared with the Lao block as its unicode-range, so a browser uses it for Lao letters only
and the page's Latin and Vietnamese text keeps its fonts.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import cache
from pathlib import Path

import folium
import xstatic.pkg.leaflet

from laovn_map.page.mapstyle import LAO_FAMILY


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _text_data_url(mime: str, text: str) -> str:
    """A data: URL of ASCII text as it is (only what a URL reads as syntax escaped): a
    stylesheet holding a base64 font, base64-encoded again, was a third larger, gzipped too."""
    escaped = text.replace("%", "%25").replace("#", "%23").replace('"', "%22")
    return f"data:{mime};charset=us-ascii,{escaped}"


#: Noto Sans Lao Regular and Bold, the Lao block only (docs/page.md: where they come from, how
#: they were cut).
LAO_FONT = Path(__file__).resolve().parent / "fonts" / "NotoSansLao-Regular.lao.woff"
LAO_BOLD_FONT = LAO_FONT.with_name("NotoSansLao-Bold.lao.woff")
#: The Lao block of Unicode: what the font covers, and the only letters it is used for.
LAO_RANGE = "U+0E80-0EFF"
#: The script (ISO 15924) of a language whose page is Lao throughout (`i18n.Language.script`):
#: its headings and titles are bold Lao, which it draws in the bold face.
LAO_SCRIPT = "Laoo"


def _face(family: str, url: str, weight: str) -> str:
    return (f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
            f'font-display:swap;src:url({url}) format("woff");unicode-range:{LAO_RANGE}}}')


@cache
def lao_font_face() -> str:
    """The CSS @font-face rule of the map's Lao family (`mapstyle.LAO_FAMILY`, a family of its
    own, first in the map's font): the regular face at its own weight, which the browser makes
    bold itself for a bold label or title. Every language's map shares it."""
    return lao_font_face_at(_data_url("font/woff", LAO_FONT.read_bytes()))


def lao_font_face_at(url: str) -> str:
    """`lao_font_face` with the font at `url` (the static site's file of it, which every page
    shares, rather than a copy in each)."""
    return _face(LAO_FAMILY, url, "400")


@cache
def lao_font_added_to(family: str, script: str = "") -> str:
    """@font-face rules adding the Lao letters to `family`, a family the page already uses
    (Streamlit's "Source Sans") whose other faces stay for every other letter. The Lao face must
    answer every weight that family has: a weight it lacks leaves the Lao of a bold text to any
    system font (boxes where none has Lao), and the browser makes nothing bold in a face that
    claims the weight. So a page in Lao (`script` `LAO_SCRIPT`) gets the bold face for its bold
    text; any other page (whose only Lao is the language choice's own name) and a family never
    bold (code), the regular one."""
    regular = _data_url("font/woff", LAO_FONT.read_bytes())
    if script != LAO_SCRIPT:
        return _face(family, regular, "100 900")
    return (_face(family, regular, "100 599")
            + _face(family, _data_url("font/woff", LAO_BOLD_FONT.read_bytes()), "600 900"))


def _leaflet_dir() -> Path:
    return Path(xstatic.pkg.leaflet.BASE_DIR)


@cache
def leaflet_js() -> str:
    return _data_url("text/javascript", (_leaflet_dir() / "leaflet.js").read_bytes())


@cache
def leaflet_css() -> str:
    """leaflet.css with its `url(images/…)` references inlined, so a data: URL can hold it."""
    base = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        rel = match.group(1)
        path = base / rel
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"url({_data_url(mime, path.read_bytes())})"

    css = re.sub(r"url\((images/[A-Za-z0-9_.-]+)\)", inline, css)
    return _data_url("text/css", css.encode("utf-8"))


def offline_js() -> list[tuple[str, str]]:
    return [("leaflet", leaflet_js())]


def offline_css() -> list[tuple[str, str]]:
    return [("leaflet_css", leaflet_css()),
            ("lao_font_css", _text_data_url("text/css", lao_font_face()))]


def make_offline(m: folium.Map) -> folium.Map:
    """Point the map's script and stylesheet links at the local copies (instance only).

    Bootstrap, awesome-markers and Font Awesome are dropped: the map uses none of them.
    """
    m.default_js = offline_js()
    m.default_css = offline_css()
    return m
