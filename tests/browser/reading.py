"""Reading a page in its language in headless Chromium, as a reader sees it: the text of the
page and of the map's frame, the tooltip of every shape and marker, the popups of some (a
click), and the cells of the tables in the opened sections. Shared by the tests of the
Vietnamese and the Lao page (tests/untranslated.py says what they must not find).

Text marked with another language than the page's (`lang="en"`, `lang="vi"`: the texts' own
words, their quotes, a name labelled as English) is the source's, shown as written, and is left
out; the document's own `<html lang>` says what the page claims to be, not what a part is.
"""

from __future__ import annotations

from typing import Any

#: The visible text nodes of a document, less what is marked as another language than `lang`.
VISIBLE_TEXT_JS = """(lang) => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        // an icon is drawn from its name's ligature in an icon font: a picture, not a word
        // code for software (the citation's BibTeX and CSL-JSON, a file's name): its field
        // names, keys and titles are the format's; its words in the page's language are
        // messages of the catalog, which `messages check` holds
        if (!el || !node.textContent.trim()
            || el.closest('script, style, [data-testid="stIconMaterial"], '
                          + '[data-testid="stCode"], pre, code')) continue;
        const part = el.closest("body [lang]");
        if (part && part.getAttribute("lang") !== lang) continue;
        if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        out.push(node.textContent.trim());
    }
    return out;
}"""
#: The cells of the tables in the opened sections (Streamlit's grid draws on a canvas and
#: keeps its cells' text in an accessible table beside it), less the column of English names
#: (labelled as such: the table's counterpart of a `lang="en"` mark).
TABLE_CELLS_JS = """(englishColumn) => [...document.querySelectorAll(
    '[data-testid="stDataFrame"] [role="grid"]')].flatMap((grid) => {
    const skip = [...grid.querySelectorAll('[role="columnheader"]')]
        .filter((th) => th.textContent.trim() === englishColumn)
        .map((th) => th.getAttribute("aria-colindex"));
    return [...grid.querySelectorAll('[role="columnheader"], [role="gridcell"]')]
        .filter((cell) => !skip.includes(cell.getAttribute("aria-colindex"))
                          || cell.getAttribute("role") === "columnheader")
        .map((cell) => cell.textContent.trim()).filter(Boolean);
})"""
#: Every popup the map shows, kept the moment it opens (a rerun may redraw the map and close
#: it), less its parts in another language than `lang`.
WATCH_POPUPS_JS = """(lang) => {
    window.seenPopups = [];
    const keep = () => document.querySelectorAll(".leaflet-popup-content").forEach((el) => {
        const clone = el.cloneNode(true);
        clone.querySelectorAll("[lang]").forEach((part) => {
            if (part.getAttribute("lang") !== lang) part.remove();
        });
        window.seenPopups.push(clone.innerText);
    });
    new MutationObserver(keep).observe(document.body, {childList: true, subtree: true});
}"""
#: A mouse-over on every shape and marker in turn, and the tooltip it opens (Leaflet opens a
#: tooltip on "mouseover" and closes it on "mouseout").
TOOLTIPS_JS = """() => [...document.querySelectorAll(".leaflet-interactive")].map((el) => {
    el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
    const tips = document.querySelectorAll(".leaflet-tooltip");
    const text = tips.length ? tips[tips.length - 1].innerText.trim() : "";
    el.dispatchEvent(new MouseEvent("mouseout", {bubbles: true}));
    return text;
})"""


def map_frame(page: Any) -> Any:
    """The frame that holds the Leaflet map, once its shapes are drawn."""
    for _ in range(300):
        for frame in page.frames:
            try:
                if frame.locator(".leaflet-interactive").count() > 20:
                    return frame
            except Exception:  # a frame detached while streamlit-folium swaps it
                continue
        page.wait_for_timeout(100)
    raise AssertionError("no map frame with its shapes")


def visible_text(page_or_frame: Any, lang: str) -> list[str]:
    texts: list[str] = page_or_frame.evaluate(VISIBLE_TEXT_JS, lang)
    return texts


def language_switch(page: Any) -> list[str]:
    """The language choice's own labels (each language in its own name, on purpose)."""
    labels: list[str] = page.locator('.st-key-laovn-lang [data-testid="stRadio"]'
                                     ).first.all_inner_texts()
    return [line.strip() for text in labels for line in text.splitlines() if line.strip()]


def tooltips(page: Any) -> dict[int, str]:
    """The tooltip of every shape and marker of the map, by its index among the shapes."""
    texts: list[str] = map_frame(page).evaluate(TOOLTIPS_JS)
    return {i: text for i, text in enumerate(texts) if text}


def popups(page: Any, indexes: list[int], lang: str) -> list[str]:
    """The popups of the shapes at `indexes`, each opened by a click as a reader would."""
    shown: list[str] = []
    for i in indexes:
        frame = map_frame(page)
        frame.evaluate(WATCH_POPUPS_JS, lang)
        for attempt in range(3):  # a click during a redraw is lost: click again, as a person would
            map_frame(page).locator(".leaflet-interactive").nth(i).dispatch_event("click")
            try:
                frame.wait_for_function("() => window.seenPopups.length > 0", timeout=5_000)
                break
            except Exception:  # playwright's TimeoutError, or the frame was swapped
                frame = map_frame(page)
                frame.evaluate(WATCH_POPUPS_JS, lang)
                if attempt == 2:
                    raise
        shown += frame.evaluate("() => window.seenPopups")
    return shown


def open_every_section(page: Any) -> None:
    summaries = page.locator('[data-testid="stExpander"] summary')
    for i in range(summaries.count()):
        summaries.nth(i).click()
        page.wait_for_timeout(300)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 3",
        timeout=30_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"] [role=\"gridcell\"]')"
        ".length > 0", timeout=30_000)


def table_cells(page: Any, english_column: str) -> list[str]:
    cells: list[str] = page.evaluate(TABLE_CELLS_JS, english_column)
    return cells
