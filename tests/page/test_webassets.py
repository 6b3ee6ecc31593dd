"""laovn_map.page.webassets: Leaflet from the installed xstatic package, as data: URLs."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

import xstatic.pkg.leaflet
from fontTools.ttLib import TTFont

from laovn_map.i18n import LANGUAGES, catalog_path, language
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


def _faces(rules: str) -> list[tuple[str, str, bytes]]:
    """(family, weight, font bytes) of each @font-face rule."""
    return [(family, weight, _decode(url)) for family, weight, url in re.findall(
        r'@font-face\{font-family:"([^"]+)";font-style:normal;font-weight:([0-9 ]+);'
        r'font-display:swap;src:url\((data:[^)]+)\) format\("woff"\);unicode-range:U\+0E80-0EFF\}',
        rules)]


def test_the_lao_font_is_declared_for_the_lao_block_only_under_the_family_asked() -> None:
    regular, bold = webassets.LAO_FONT.read_bytes(), webassets.LAO_BOLD_FONT.read_bytes()
    # added to Streamlit's family on a page in another script: the regular face, for every
    # weight that family has (a weight it lacked sent a bold text's Lao to the system's fonts)
    rules = webassets.lao_font_added_to("Source Sans")
    assert _faces(rules) == [("Source Sans", "100 900", regular)]
    assert rules.count("@font-face") == 1  # Latin and Vietnamese keep their fonts
    # on the Lao page, bold Lao (its title, headings) in the bold face
    assert _faces(webassets.lao_font_added_to("Source Sans", language("lo").script)) == [
        ("Source Sans", "100 599", regular), ("Source Sans", "600 900", bold)]
    assert {language(code).script for code in LANGUAGES} >= {webassets.LAO_SCRIPT}
    # the map's frame and the offline HTML get it with Leaflet, under the map's own family, at
    # its own weight: the browser makes a bold label bold itself
    css = dict(webassets.offline_css())["lao_font_css"]
    head, _, text = css.partition(",")
    assert head == "data:text/css;charset=us-ascii"
    assert unquote(text) == webassets.lao_font_face()
    assert _faces(unquote(text)) == [(LAO_FAMILY, "400", regular)]
    # first: Chromium on Linux may give a system-ui text's Lao a font without Lao (tofu)
    assert f'"{LAO_FAMILY}", system-ui, sans-serif' in CSS


def test_the_lao_font_is_noto_sans_lao_with_its_licence_and_has_every_lao_letter_shown() -> None:
    fonts = [TTFont(webassets.LAO_FONT), TTFont(webassets.LAO_BOLD_FONT)]
    assert [f["name"].getDebugName(1) for f in fonts] == [LAO_FAMILY, LAO_FAMILY]
    assert [f["name"].getDebugName(2) for f in fonts] == ["Regular", "Bold"]
    assert "Open Font License" in (webassets.LAO_FONT.parent / "OFL.txt").read_text()
    has = set.intersection(*(set(f.getBestCmap()) for f in fonts))
    shown = "".join([catalog_path(code).read_text(encoding="utf-8") for code in LANGUAGES]
                    + [lang.own_name for lang in LANGUAGES.values()]
                    + [p.read_text(encoding="utf-8") for p in (ROOT / "geo").glob("*.geojson")])
    letters = set(_LAO.findall(shown))
    assert len(letters) > 30  # the Lao catalog and the layers' Lao names are read
    assert sorted(c for c in letters if ord(c) not in has) == []
