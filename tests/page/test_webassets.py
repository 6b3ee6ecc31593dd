"""laovn_map.page.webassets: Leaflet from the installed xstatic package, as data: URLs."""

from __future__ import annotations

import base64
from pathlib import Path

import xstatic.pkg.leaflet

from laovn_map.page import webassets


def test_assets_are_the_xstatic_files() -> None:
    def decode(url: str) -> bytes:
        head, _, data = url.partition(",")
        assert head.endswith(";base64")
        return base64.b64decode(data)

    leaflet = Path(xstatic.pkg.leaflet.BASE_DIR)
    assert decode(webassets.leaflet_js()) == (leaflet / "leaflet.js").read_bytes()
    assert [name for name, _ in webassets.offline_js()] == ["leaflet"]  # no jQuery needed
    css = decode(webassets.leaflet_css()).decode()
    assert ".leaflet-control-layers-toggle" in css
    assert "url(images/" not in css and "url(data:image/png;base64," in css
