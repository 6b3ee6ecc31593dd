"""The Lao page in headless Chromium: everything it shows is Lao, and Lao renders in the font
the page ships (issue 24, points 3 to 5).

As for the Vietnamese page (tests/browser/test_vietnamese.py, the same reading in
tests/browser/reading.py): the text of the page and of the map's frame, every tooltip, the
popups of a sample, the layer control, legend, credits, the story panel, the search's results
and its notice, the accessible names of the map's shapes and controls, and the cells of every
table in the opened sections, read for the English words and English-formatted numbers of
tests/untranslated.py. The texts' own words (marked `lang="en"` / `lang="vi"`) are left out;
so is the language choice. The names of places the layers hold no Lao name for yet are the
data's (`untranslated.PLACES_AS_DATA`), never an interface word.

Run: `.venv/bin/pytest -m browser tests/browser/test_lao.py` (the built layers only).
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from babel import Locale

from laovn_map.geo.reader import load_layers
from laovn_map.i18n import language, t
from laovn_map.page import pagetext
from laovn_map.page.mapstyle import LAO_FAMILY
from laovn_map.site import embed
from tests import harness

from ..conftest import REAL
from ..untranslated import english_in
from . import reading
from .test_site import SUBPATH, geo, site  # noqa: F401  (the site's fixtures)

pytestmark = pytest.mark.browser

LANG = "lo"
#: A statement of the Vietnamese text (the 1986 border protocol): the story opens on it.
STATEMENT = "vi-022-0"


#: The properties the page shows from their twin in the page's language (`labels.in_lang`:
#: ``dataset_lo``), in English where a record holds no twin: a name with no Lao form (its rule
#: says "as written") or a source named by its address alone. Where a record has its twin, its
#: English is not exempt (tests/build/test_lao_names.py holds the build to write every twin).
TWINNED = ("dataset", "source_feature", "basis", "source", "rank_source_publisher", "city",
           "neighbours", "merged_from", "province_name", "vn_name", "la_name", "change_note")


def _untwinned(value: object) -> Iterator[str]:
    """The English values of `TWINNED` properties that have no Lao twin, in any record."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in TWINNED and not value.get(f"{key}_{LANG}"):
                for part in item if isinstance(item, list) else [item]:
                    if isinstance(part, str) and part.strip():
                        yield part.strip()
            else:
                yield from _untwinned(item)
    elif isinstance(value, list):
        for item in value:
            yield from _untwinned(item)


def _english_found(texts_by_part: dict[str, list[str]], exempt: set[str],
                   sources: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for where, texts in texts_by_part.items():
        for text in texts:
            if where == "table" and text in sources:
                continue  # a cell that is a piece of a text (a sentence, a date as written)
            for quote in sorted(exempt, key=len, reverse=True):  # a whole before its parts
                text = text.replace(quote, " ")
            if words := english_in(text, LANG):
                found.setdefault(where, []).append(f"{words} in {text[:120]!r}")
    return found


def _records(value: object) -> Iterator[dict[str, Any]]:
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            yield item
        elif isinstance(item, list):
            yield from _records(item)


def _search(page: Any, frame: Any, query: str) -> list[str]:
    """Type `query` in the map's search box, as a reader does; what the box then shows."""
    box = frame.locator("#laovn-search-input")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(query)
    frame.locator(".laovn-search-result:visible, .laovn-search-empty:visible").first.wait_for()
    return [text for text in frame.locator(".laovn-search").all_inner_texts() if text.strip()]


@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
def test_the_lao_page_says_everything_in_lao(new_page: Callable[..., Any], server: Any) -> None:
    layers = load_layers(server.geo_dir)
    missions = [f["properties"] for f in layers.features("missions")]
    page = new_page()
    page.goto(f"{server.url}?lang={LANG}&event={STATEMENT}")
    frame = reading.map_frame(page)
    page.wait_for_function("(title) => document.title === title",
                           arg=pagetext.page_title(LANG), timeout=30_000)
    assert page.evaluate("() => document.documentElement.lang") == LANG
    assert frame.evaluate("() => document.documentElement.lang") == LANG
    frame.locator(".laovn-story-body").wait_for()

    # the map: names, layer control, legend, credits, the story panel at its statement
    map_text = reading.visible_text(frame, LANG)
    assert t("story", LANG) in map_text
    # the story's next statement, by its button, as a reader steps
    frame.get_by_role("button", name=re.compile(re.escape(t("story.next", LANG)))).click()
    map_text += reading.visible_text(frame, LANG)
    # the accessible names and titles of the shapes and the map's controls
    names: list[str] = frame.evaluate("""() => [...document.querySelectorAll(
        '.leaflet-interactive[aria-label], .leaflet-control [title], .leaflet-control [aria-label],'
        + ' [role="region"][aria-label], [role="application"][aria-label]')]
        .filter((el) => !el.closest('[lang]:not([lang="lo"])'))
        .map((el) => el.getAttribute('aria-label') || el.getAttribute('title'))""")
    assert len(names) > 20
    # every tooltip, and the popups of every mission, both sides' provinces, a segment, water
    tooltips = reading.tooltips(page)
    assert len(tooltips) >= len(missions) + 20, "a tooltip for every province and mission"
    by_text = {text: i for i, text in tooltips.items()}
    la_names = [f["properties"]["name_lo"] for f in layers.features("provinces_la")]
    keys = (*(m["city_lo"] or m["city"] for m in missions), la_names[0], la_names[-1], t("segment", LANG),
            t("layer.water", LANG))
    wanted = [next((i for text, i in by_text.items() if key in text), -1) for key in keys]
    assert -1 not in wanted, ([k for k, i in zip(keys, wanted, strict=True) if i < 0],
                              sorted(by_text)[:80])
    popups = reading.popups(page, list(dict.fromkeys(wanted)), LANG)
    assert len(popups) >= len(missions)
    # the search: a Lao name finds its province, a name of nothing says so
    searched = _search(page, frame, la_names[0])
    assert any(la_names[0] in text for text in searched), searched
    searched += _search(page, frame, "Mekong")
    assert any(t("search.none", LANG).format(query="Mekong") in text for text in searched)

    # the page around the map, the sidebar included, then every section opened
    page_text = reading.visible_text(page, LANG)
    reading.open_every_section(page)
    page_text += reading.visible_text(page, LANG)
    cells = reading.table_cells(page, t("prop.name_en", LANG))
    assert t("translation.correct", LANG).format(
        catalog="src/laovn_map/locale/lo/LC_MESSAGES/laovn_map.po",
        guide=pagetext.TRANSLATING_GUIDE) in page_text

    switch = set(reading.language_switch(page))
    assert switch == {"English", "Tiếng Việt", "ລາວ"}
    # the texts' own words, shown as written: the quotes and the sentences of both texts
    quotes = {line.strip() for m in missions for key in ("source_quote", "infobox_quote")
              for line in str(m.get(key) or "").splitlines() if line.strip()}
    quotes |= {str(e["source_quote"]) for e in layers.figures["events"] if e.get("source_quote")}
    # the texts' figures as written (the figures table's "As written")
    quotes |= {str(r["text"]) for r in _records(layers.figures.get("figures_from_texts"))
               if r.get("text")}
    data = set(_untwinned([layers.collections, layers.figures]))
    quotes |= {part.strip() for value in data for part in re.split(r"[;·]", value)} | data
    sources = "\n".join(text.text for text in layers.texts.values())
    found = _english_found({"map": map_text, "names": names, "tooltip": list(tooltips.values()),
                            "popup": popups, "search": searched,
                            "page": [s for s in page_text if s not in switch], "table": cells},
                           quotes, sources)
    assert not found, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)

    everything = "\n".join([*map_text, *names, *tooltips.values(), *popups, *page_text, *cells])
    # the words of the catalog, one per concept (the glossary's), and Lao names of provinces
    for key in ("layer.border", "layer.embassies", "layer.consulates", "legend", "layers"):
        assert t(key, LANG) in everything, key
    assert all(name in everything for name in la_names)
    # numbers and days as CLDR lo writes them: "2.199,2 ກມ", "4 ກັນຍາ 1945"
    assert re.search(r"\d\.\d{3}(?:,\d)? ກມ", everything), "a length over 1,000 km in Lao form"
    months = "|".join(Locale.parse(language(LANG).cldr_locale).months["format"]["wide"].values())
    assert re.search(rf"\b\d{{1,2}} (?:{months}) \d{{4}}\b", everything), "a day in Lao words"


@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
def test_the_lao_popups_of_the_provinces_since_2025_say_what_made_them_in_lao(
        new_page: Callable[..., Any], server: Any) -> None:
    """Each unit of 2025, opened as a reader opens it: its resolution's note is the table's Lao
    (``change_note_lo``), what it is made from is Lao, and no English word is left."""
    layers = load_layers(server.geo_dir)
    units = [f["properties"] for f in layers.features("provinces_vn_2025")]
    page = new_page()
    page.goto(f"{server.url}?lang={LANG}&since2025=true")
    page.wait_for_function("(title) => document.title === title",
                           arg=pagetext.page_title(LANG), timeout=30_000)
    reading.map_frame(page).locator(".leaflet-interactive").first.wait_for()
    tooltips = reading.tooltips(page)
    wanted = [next((i for i, text in tooltips.items() if (u["name_lo"] or u["name_vi"]) in text
                    and t("segment", LANG) not in text), -1) for u in units]
    assert -1 not in wanted, sorted(tooltips.values())[:40]
    popups = reading.popups(page, wanted, LANG)
    shown = "\n".join(popups)
    notes = {u["change_note_lo"] for u in units if u["resolution"]}
    assert notes and all(notes) and all(note in shown for note in notes)
    assert all(u["change_note"] not in shown for u in units if u["resolution"])
    exempt = set(_untwinned([layers.collections]))
    exempt |= {part.strip() for value in set(exempt) for part in re.split(r"[;·]", value)}
    sources = "\n".join(text.text for text in layers.texts.values())
    found = _english_found({"popup": popups}, exempt, sources)
    assert not found, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)


# --- the font ----------------------------------------------------------------------------------

#: A fontconfig file that hides every system font covering Lao (fonts-noto-core's Lao faces,
#: DejaVu): what the page draws its Lao with is then the font it ships, or nothing.
NO_LAO_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern><patelt name="lang"><string>lo</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"""


@pytest.fixture(scope="module")
def browser_without_lao_fonts(browser: Any, tmp_path_factory: pytest.TempPathFactory
                              ) -> Iterator[Any]:
    """A second Chromium of the suite's Playwright, seeing no system font that covers Lao."""
    config = tmp_path_factory.mktemp("fonts") / "fonts.conf"
    config.write_text(NO_LAO_FONTCONFIG, encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    other = browser.browser_type.launch(**harness.launch_options(), env=env)
    try:
        yield other
    finally:
        other.close()


#: Marks every visible element of a document whose own text (its text nodes, not its
#: children's) is Lao, so that the browser's devtools can say which fonts drew each; their count.
MARK_LAO_TEXT_JS = """(selector) => {
    const lao = /[\\u0e80-\\u0eff]/;
    const found = [...document.querySelectorAll(selector)].filter((e) => [...e.childNodes]
        .some((n) => n.nodeType === Node.TEXT_NODE && lao.test(n.textContent))
        && e.checkVisibility());
    found.forEach((e) => e.setAttribute("data-lao-probe", "1"));
    return found.length;
}"""


#: A mouse-over on each shape until one's tooltip says something in Lao (a Lao province's
#: name), which stays open.
OPEN_LAO_TOOLTIP_JS = """() => {
    const lao = /[\\u0e80-\\u0eff]/;
    for (const el of document.querySelectorAll(".leaflet-interactive")) {
        el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
        const tips = document.querySelectorAll(".leaflet-tooltip");
        if (tips.length && lao.test(tips[tips.length - 1].textContent)) return true;
        el.dispatchEvent(new MouseEvent("mouseout", {bubbles: true}));
    }
    return false;
}"""


def _fonts_drawing(cdp: Any, document: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The platform fonts Chromium drew each probed element's text with (devtools' CSS
    domain), element by element."""
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": document["nodeId"],
                                              "selector": "[data-lao-probe]"})["nodeIds"]
    return [cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"] for node in nodes]


def _frame_documents(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in node.get("children", []):
        if "contentDocument" in child:
            yield child["contentDocument"]
            yield from _frame_documents(child["contentDocument"])
        yield from _frame_documents(child)


@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
@pytest.mark.parametrize("query", ["?lang=lo", ""], ids=["lo", "en"])
def test_lao_is_drawn_in_the_noto_font_the_page_ships_where_the_system_has_no_lao_font(
        browser_without_lao_fonts: Any, server: Any, query: str) -> None:
    context = browser_without_lao_fonts.new_context(**harness.context_options())
    context.route(harness.NOT_LOCAL, harness.LocalOnly([]))
    try:
        page = context.new_page()
        # a mission selected: its popup and the selection's panel show its Lao name
        page.goto(server.url + (query or "?") + "&sel=vn-consulate-pakse")
        frame = reading.map_frame(page)
        # the language choice, which names Lao in Lao and brings the page its font
        page.locator(".st-key-laovn-lang").get_by_text(language(LANG).own_name, exact=True
                                                        ).wait_for()
        # the page's own Lao (the title, the sidebar on the Lao page; the choice's "ລາວ" on
        # every page) and the map's (a Lao province's tooltip in every language; on the Lao
        # page its controls, legend, popup and the selection's panel)
        assert page.evaluate(MARK_LAO_TEXT_JS, "body *"), "no Lao on the page"
        assert frame.evaluate(OPEN_LAO_TOOLTIP_JS), "no tooltip in Lao"
        probed = frame.evaluate(MARK_LAO_TEXT_JS, "body *")
        assert probed >= (20 if query else 1), probed
        for doc in (page, frame):
            doc.evaluate("() => document.fonts.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        drawn = [fonts for document in (root, *_frame_documents(root))
                 for fonts in _fonts_drawing(cdp, document)]
        assert len(drawn) >= probed + 1, "the page's and the map's Lao elements"
        # each element's Lao drawn in that font (a system font picked for it draws tofu)
        wrong = [fonts for fonts in drawn
                 if not any(f["familyName"] == LAO_FAMILY and f["isCustomFont"] for f in fonts)]
        assert not wrong, wrong[:5]
    finally:
        context.close()


#: The first visible element `selector` finds with Lao text, drawn twice in a box of the test's
#: own over the page (the app redraws its elements: a probe on one was lost): in the element's
#: own font, size, colour and weight, and the same at the regular weight. The element's weight.
REGULAR_TWIN_JS = """(selector) => {
    const lao = /[\\u0e80-\\u0eff]/;
    const el = [...document.querySelectorAll(selector)].find((e) => lao.test(e.textContent)
        && e.checkVisibility());
    if (!el) return null;
    const style = getComputedStyle(el);
    const box = document.createElement("div");
    box.style.cssText = "position:fixed;left:0;top:0;z-index:2147483647;padding:8px;"
        + "background:#fff";
    for (const [name, weight] of [["bold-probe", style.fontWeight], ["regular-twin", "400"]]) {
        const copy = document.createElement("div");
        copy.textContent = el.textContent;
        for (const key of ["fontFamily", "fontSize", "fontStyle", "color", "letterSpacing"]) {
            copy.style[key] = style[key];
        }
        copy.style.fontWeight = weight;
        copy.style.whiteSpace = "nowrap";
        copy.setAttribute(`data-${name}`, "1");
        box.appendChild(copy);
    }
    document.body.appendChild(box);
    return Number.parseInt(style.fontWeight, 10);
}"""


def _ink(locator: Any) -> int:
    """How much ink an element's letters take: the sum of each pixel's distance from the
    screenshot's commonest shade (its background: the page's, or the map's land)."""
    from PIL import Image

    values = Image.open(io.BytesIO(locator.screenshot())).convert("L").get_flattened_data()
    background = Counter(values).most_common(1)[0][0]
    return sum(abs(value - background) for value in values)


@pytest.mark.parametrize("server", [REAL], indirect=True, ids=["geo"])
def test_bold_lao_is_drawn_bold_where_the_system_has_no_lao_font(
        browser_without_lao_fonts: Any, server: Any) -> None:
    """The Lao page's title (Streamlit's family, with the bold face the Lao page ships) and a
    country's name on the map (the map's own Lao family, made bold by the browser) take more ink
    than the same words at the regular weight: a face claiming every weight drew them regular."""
    context = browser_without_lao_fonts.new_context(**harness.context_options())
    context.route(harness.NOT_LOCAL, harness.LocalOnly([]))
    try:
        page = context.new_page()
        page.goto(f"{server.url}?lang={LANG}")
        frame = reading.map_frame(page)
        frame.locator(".laovn-label-party span").first.wait_for()
        # probed once the page's runs have ended: a later run replaces the title, probe and all
        idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
        idle.wait_for(state="attached")
        frame = reading.map_frame(page)
        for doc, selector in ((page, "h1"), (frame, ".laovn-label-party span")):
            doc.evaluate("() => document.fonts.ready.then(() => true)")
            weight = doc.evaluate(REGULAR_TWIN_JS, selector)
            assert weight and weight >= 600, (selector, weight)
            doc.evaluate("() => document.fonts.ready.then(() => true)")
            bold, regular = (_ink(doc.locator(f"[data-{kind}]").first)
                             for kind in ("bold-probe", "regular-twin"))
            assert bold > 1.15 * regular, (selector, bold, regular)
    finally:
        context.close()


# --- the static site's lo/ folder ----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("file", ["index.html", "credits.html"])
def test_the_sites_lao_pages_say_everything_in_lao_in_the_font_the_site_ships(
        browser_without_lao_fonts: Any, site: str, file: str) -> None:  # noqa: F811
    """The site's own pages in lo/ (outside the framed map, which is the offline export):
    `<html lang="lo">`, no English word of tests/untranslated.py in what they show (the
    articles' titles are marked as theirs, the other languages' names in the language links
    too), and their Lao drawn in the font the site ships where the system has none."""
    context = browser_without_lao_fonts.new_context(**harness.context_options())
    only_the_site = harness.LocalOnly(origin=site.split(SUBPATH)[0])
    context.route(harness.EVERY_URL, only_the_site)
    try:
        page = context.new_page()
        page.goto(f"{site}{embed.lang_folder(LANG)}{file}")
        page.wait_for_load_state("load")
        assert page.evaluate("() => document.documentElement.lang") == LANG
        shown = reading.visible_text(page, LANG)
        for key in ("cite.title", "cite.sentence", "credits"):
            assert t(key, LANG) in shown, key
        if file == "index.html":
            assert t("embed", LANG) in shown
        found = [f"{words} in {text[:120]!r}" for text in shown if (words := english_in(text, LANG))]
        assert not found, "\n".join(found)

        probed = page.evaluate(MARK_LAO_TEXT_JS, "body *")
        assert probed >= 8, probed
        page.evaluate("() => document.fonts.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        drawn = _fonts_drawing(cdp, root)
        assert len(drawn) == probed
        wrong = [fonts for fonts in drawn
                 if not any(f["familyName"] == LAO_FAMILY and f["isCustomFont"] for f in fonts)]
        assert not wrong, wrong[:5]
        assert only_the_site.blocked == []
    finally:
        context.close()
