"""laovn_map.page.webassets: Leaflet from the installed xstatic package, as data: URLs."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

import xstatic.pkg.leaflet
from fontTools.ttLib import TTFont

from laovn_map.i18n import LANGUAGES, catalog_path
from laovn_map.page import webassets
from laovn_map.page.mapstyle import CSS, LAO_FAMILY


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


def _decode(url: str) -> bytes:
    head, _, data = url.partition(",")
    assert head.endswith(";base64")
    return base64.b64decode(data)


#: The Lao block, which the shipped font is cut to.
_LAO = re.compile(r"[\u0e80-\u0eff]")
ROOT = Path(__file__).resolve().parents[2]


def test_the_lao_font_is_declared_for_the_lao_block_only_under_the_family_asked() -> None:
    rule = webassets.lao_font_face("Source Sans")
    assert rule.startswith('@font-face{font-family:"Source Sans";')
    assert "unicode-range:U+0E80-0EFF}" in rule  # Latin and Vietnamese keep their fonts
    url = re.search(r"src:url\((data:[^)]+)\) format\(\"woff\"\)", rule)
    assert url and _decode(url.group(1)) == webassets.LAO_FONT.read_bytes()
    # the map's frame and the offline HTML get it with Leaflet, under the map's CSS's family
    css = dict(webassets.offline_css())["lao_font_css"]
    head, _, text = css.partition(",")
    assert head == "data:text/css;charset=us-ascii"
    assert unquote(text) == webassets.lao_font_face(LAO_FAMILY)
    # first: Chromium on Linux may give a system-ui text's Lao a font without Lao (tofu)
    assert f'"{LAO_FAMILY}", system-ui, sans-serif' in CSS


def test_the_lao_font_is_noto_sans_lao_with_its_licence_and_has_every_lao_letter_shown() -> None:
    font = TTFont(webassets.LAO_FONT)
    assert font["name"].getDebugName(1) == LAO_FAMILY
    assert "Open Font License" in (webassets.LAO_FONT.parent / "OFL.txt").read_text()
    has = set(font.getBestCmap())
    shown = "".join([catalog_path(code).read_text(encoding="utf-8") for code in LANGUAGES]
                    + [lang.own_name for lang in LANGUAGES.values()]
                    + [p.read_text(encoding="utf-8") for p in (ROOT / "geo").glob("*.geojson")])
    letters = set(_LAO.findall(shown))
    assert len(letters) > 30  # the Lao catalog and the layers' Lao names are read
    assert sorted(c for c in letters if ord(c) not in has) == []
