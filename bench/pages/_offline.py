"""Local scripts for the bench pages (folium's CDN links are unreachable offline).

Leaflet comes the way the app gets it (`laovn_map.page.webassets.make_offline` when it exists, else
the same xstatic-leaflet files inlined here), so the three pages load the same Leaflet. The
naive page keeps folium's default popups, which call jQuery's `$()`: it gets jQuery from the
xstatic-jquery package when installed, otherwise a few-line stand-in for the one call folium
makes (parse an HTML string into an element), which only flatters the baseline.
"""

from __future__ import annotations

import base64
from pathlib import Path

import folium

# What folium's Popup needs from jQuery: `$(html)[0]`, the element parsed from a string.
_DOLLAR = (b"window.$ = window.jQuery = function (html) {"
           b" var t = document.createElement('template'); t.innerHTML = String(html).trim();"
           b" return [t.content.firstElementChild]; };")


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _own_leaflet(m: folium.Map) -> None:
    import xstatic.pkg.leaflet

    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    m.default_js = [("leaflet", _data_url("text/javascript", (leaflet / "leaflet.js")
                                          .read_bytes()))]
    m.default_css = [("leaflet_css", _data_url("text/css", (leaflet / "leaflet.css")
                                               .read_bytes()))]


def jquery_source() -> str:
    try:
        import xstatic.pkg.jquery
    except ImportError:
        return "stand-in"
    return f"xstatic-jquery {getattr(xstatic.pkg.jquery, 'VERSION', '')}".strip()


def make_offline(m: folium.Map, jquery: bool = False) -> folium.Map:
    try:
        from laovn_map.page.webassets import make_offline as app_make_offline
    except ImportError:
        _own_leaflet(m)
    else:
        app_make_offline(m)
    if jquery and not any(name == "jquery" for name, _ in m.default_js):
        try:
            import xstatic.pkg.jquery
        except ImportError:
            data = _DOLLAR
        else:
            data = (Path(xstatic.pkg.jquery.BASE_DIR) / "jquery.min.js").read_bytes()
        m.default_js = [*m.default_js, ("jquery", _data_url("text/javascript", data))]
    return m
