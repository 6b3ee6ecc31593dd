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


#: Noto Sans Lao Regular, the Lao block only (docs/page.md: where it comes from, how it was cut).
LAO_FONT = Path(__file__).resolve().parent / "fonts" / "NotoSansLao-Regular.lao.woff"
#: The Lao block of Unicode: what the font covers, and the only letters it is used for.
LAO_RANGE = "U+0E80-0EFF"


@cache
def lao_font_face(family: str = LAO_FAMILY) -> str:
    """A CSS @font-face rule giving `family` the Lao font for the Lao block. Named after a
    family the page already uses (Streamlit's "Source Sans"), it adds Lao letters to that
    family without changing any other letter. It answers every weight, as that family's own
    variable face does: a face of one weight is left out of a bold text's faces, whose Lao
    then fell to any system font (Lao in a bold title is drawn regular)."""
    return lao_font_face_at(_data_url("font/woff", LAO_FONT.read_bytes()), family)


def lao_font_face_at(url: str, family: str = LAO_FAMILY) -> str:
    """`lao_font_face` with the font at `url` (the static site's file of it, which every page
    shares, rather than a copy in each)."""
    return (f'@font-face{{font-family:"{family}";font-style:normal;font-weight:100 900;'
            f'font-display:swap;src:url({url}) format("woff");unicode-range:{LAO_RANGE}}}')


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
