"""The page's "Cite this map" section in headless Chromium: opened as a reader opens it (a click
on its label), in English, Vietnamese and Lao, on a desktop and a phone; its sentence (the articles' titles
marked with their language) and two code blocks hold what `cite.citation` makes of the build
the server reads."""

from __future__ import annotations

from typing import Any

import pytest

from laovn_map import cite
from laovn_map.catalog import MANIFEST
from laovn_map.i18n import t

from ..conftest import ARTIFACTS
from .test_map import DESKTOP, PHONE
from .test_page import _expect, _open

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("options", "lang"), [(DESKTOP, "en"), (DESKTOP, "vi"), (DESKTOP, "lo"),
                                               (PHONE, "en"), (PHONE, "vi"), (PHONE, "lo")],
                         ids=["desktop-en", "desktop-vi", "desktop-lo", "phone-en", "phone-vi",
                              "phone-lo"])
def test_cite_this_map_opens_with_the_builds_three_forms(
        new_page: Any, server: Any, options: dict[str, Any], lang: str) -> None:
    page = new_page(**options)
    _open(page, server.url + ("" if lang == "en" else f"?lang={lang}"))
    idle = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    _expect()(idle).to_be_attached()
    blocks = page.locator('[data-testid="stCode"] code')
    assert blocks.count() == 0  # not sent until the section is opened
    label = page.get_by_text(t("cite.title", lang), exact=True)
    label.scroll_into_view_if_needed()
    label.click()
    _expect()(blocks).to_have_count(2)
    expected = cite.citation((server.geo_dir / MANIFEST).read_bytes(), lang)
    # the sentence as text, each article's title marked with its language; then the code
    sentence = page.locator(".laovn-cite-sentence")
    _expect()(sentence).to_have_text(expected.sentence)
    marked = sentence.locator("cite[lang]")
    assert [(marked.nth(i).get_attribute("lang"), marked.nth(i).inner_text())
            for i in range(marked.count())] == [(a.language, a.title) for a in expected.articles]
    # its checksum and addresses break where they must: nothing runs out of the sentence
    assert sentence.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    shown = [blocks.nth(i).inner_text() for i in range(2)]
    assert [s.rstrip("\n") for s in shown] == [
        form.rstrip("\n") for form in (expected.bibtex, expected.csl_json)]
    page.locator('[data-testid="stCode"]').first.scroll_into_view_if_needed()
    name = f"cite-{server.geo_dir.name}-{options['viewport']['width']}-{lang}.png"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)
