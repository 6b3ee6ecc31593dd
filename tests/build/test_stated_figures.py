"""Tests of laovn_map.build.stated_figures: the figures the texts state, read from the real sentences."""

from __future__ import annotations

import re

import pytest

from laovn_map.build.seeds import decode_seed, find_seeds
from laovn_map.build.stated_figures import TextFigure, find_text_figures
from laovn_map.build.text import sentences

from ..conftest import REAL_SEEDS

SEEDS = find_seeds(REAL_SEEDS)
FIGURES = {"en": find_text_figures(SEEDS.english, "en"),
           "vi": find_text_figures(SEEDS.vietnamese, "vi")}


def figure(language: str, written: str) -> TextFigure:
    (found,) = [f for f in FIGURES[language] if written in f.text]
    return found


def test_every_figure_is_in_its_quote_and_its_quote_on_its_line() -> None:
    for language, seed in (("en", SEEDS.english), ("vi", SEEDS.vietnamese)):
        for found in FIGURES[language]:
            assert found.text in found.provenance.quote
            assert found.provenance.quote in seed.line(found.provenance.line)
            if found.period is not None:
                assert found.period.text in found.provenance.quote


def test_counts_follow_the_text() -> None:
    """As many money figures as the English text writes US$, as many project counts as it
    writes "projects" after a number."""
    english = "\n".join(SEEDS.english.lines)
    assert sum(f.unit == "usd" for f in FIGURES["en"]) == english.count("US$")
    assert sum(f.unit == "projects" for f in FIGURES["en"]) == len(
        re.findall(r"\d+ (?:\w+ )?projects", english))


@pytest.mark.parametrize(("language", "written", "unit", "measure"), [
    ("en", "429 projects", "projects", "investment"),
    ("en", "US$4.9 billion", "usd", "investment"),
    ("en", "US$725 million", "usd", "trade"),
    ("en", "200 assistance projects", "projects", "aid"),
    ("vi", "đứng thứ 2", "rank", "investment"),
    ("vi", "số 1", "rank", "investment"),
    ("vi", "55 quốc gia", "countries", "investment"),
])
def test_the_issues_figures(language: str, written: str, unit: str, measure: str) -> None:
    found = figure(language, written)
    assert (found.unit, found.measure) == (unit, measure)
    number = re.search(r"\d+(?:\.\d+)?", written)
    assert number is not None
    scale = 10**9 if "billion" in written else 10**6 if "million" in written else 1
    assert found.value == round(float(number.group()) * scale)


def test_the_periods_are_the_sentences_dates() -> None:
    investment = figure("en", "429 projects")
    assert investment.period is not None
    assert (investment.period.start[:4], investment.period.end[:4]) == ("1989", "2012")
    trade = figure("en", "US$725 million")
    assert trade.qualifier == "about" and trade.period is not None
    assert trade.period.qualifier == "the end of" and trade.period.start[:4] == "2012"
    aid = figure("en", "200 assistance projects")
    assert aid.period is not None and (aid.period.start[:4], aid.period.end[:4]) == ("1975", "1985")
    second = figure("vi", "đứng thứ 2")
    assert second.period is not None and second.period.start[:7] == "2012-04"


def test_numbers_are_read_in_their_language() -> None:
    vi = decode_seed("Tổng vốn đạt khoảng 4,9 tỷ USD với 1.002 dự án đầu tư.".encode(), "x.vi.txt")
    money, projects = find_text_figures(vi, "vi")
    assert (money.value, money.unit, money.qualifier) == (4_900_000_000, "usd", "khoảng")
    assert (projects.value, projects.unit) == (1002, "projects")
    en = decode_seed(b"It is the second largest foreign investor, with 1,200 projects.", "x.en.txt")
    rank, count = find_text_figures(en, "en")
    assert (rank.value, rank.unit, count.value) == (2, "rank", 1200)


def test_a_sentence_without_figures_gives_none() -> None:
    text = [s for _, line in SEEDS.vietnamese.numbered() for s in sentences(line)
            if not re.search(r"\d", s)]
    seed = decode_seed("\n".join(text).encode(), "x.vi.txt")
    assert find_text_figures(seed, "vi") == ()
