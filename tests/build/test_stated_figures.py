"""Tests of laovn_map.build.stated_figures: the figures the texts state, read from the real sentences."""

from __future__ import annotations

import re

import pytest

from laovn_map.build.dates import Span
from laovn_map.build.records import Provenance
from laovn_map.build.seeds import decode_seed, find_seeds
from laovn_map.build.stated_figures import (
    TextFigure,
    disagreements,
    find_text_figures,
    read_figures,
)
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
            assert found.present in found.provenance.quote


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


# --- issue 23 point 6: the figures the texts state, complete ------------------------------------

def _year(span: Span | None) -> tuple[str, str] | None:
    return None if span is None else (span.start[:4], span.end[:4])


def test_the_treatys_term_in_both_texts() -> None:
    """The 25-year term, each dated by its own clause: the Vietnamese sentence opens with 1976
    (another agreement) and dates the treaty "vào năm 1977"."""
    english, vietnamese = figure("en", "25-year Treaty"), figure("vi", "hiệp ước 25 năm")
    for found in (english, vietnamese):
        assert (found.value, found.unit, found.subject) == (25, "years", "treaty_term")
        assert _year(found.period) == ("1977", "1977")
    assert english.period is not None and english.period.text == "July 1977"


@pytest.mark.parametrize(("written", "subject"), [
    ("hundreds of Vietnamese advisers", "advisers"),
    ("Hundreds of LPRP stalwarts and technicians", "studied"),
])
def test_hundreds_are_counts_with_their_qualifier_and_no_number(written: str, subject: str) -> None:
    found = figure("en", written)
    assert (found.value, found.unit, found.qualifier, found.subject) == (
        None, "people", "hundreds", subject)
    assert found.period is None  # their sentences give no date


def test_laos_is_vietnams_first_destination_among_55() -> None:
    found = figure("vi", "55 quốc gia và vùng lãnh thổ")
    assert (found.value, found.unit, found.among, found.subject, found.measure) == (
        1, "rank", 55, "investment_destinations", "investment")
    assert found.text.startswith("thu hút vốn") and "nhiều nhất" in found.text
    assert found.period is None and found.present == ""
    assert not [f for f in FIGURES["vi"] if f.unit == "countries"]  # one figure, not two


def test_currently_is_the_texts_present_not_the_sentences_period() -> None:
    rank = figure("en", "the largest foreign investor")
    assert (rank.value, rank.subject) == (1, "foreign_investors")
    assert rank.period is None and rank.present == "currently"
    assert rank.present_after is not None and rank.present_after.text == "in 1989 until 2012"
    for written in ("429 projects", "US$4.9 billion"):  # before "currently": the sentence's period
        assert _year(figure("en", written).period) == ("1989", "2012")
    as_of = figure("vi", "nhà đầu tư số 1")  # "hiện tại tính tới năm 2002": the date follows it
    assert _year(as_of.period) == ("2002", "2002") and as_of.present == ""


def test_the_texts_disagree_on_vietnams_rank_in_april_2012_and_only_there() -> None:
    (found,) = disagreements(FIGURES["en"] + FIGURES["vi"])
    assert (found.first.text, found.second.text) == (
        "the largest foreign investor", "đứng thứ 2 trong số các nhà đầu tư")
    assert found.second.period is not None and found.second.period.start == "2012-04-01"


def _made(language: str, value: int, period: Span | None, present: str = "",
          after: Span | None = None, subject: str = "foreign_investors") -> TextFigure:
    return TextFigure(value, "rank", "investment", "x", "", period, language,
                      Provenance("x", 1, "x"), subject, None, present, after)


Y2012 = Span("2012-01-01", "2012-12-31", "year", "2012")
Y2002 = Span("2002-01-01", "2002-12-31", "year", "2002")


@pytest.mark.parametrize(("first", "second", "disagree"), [
    (_made("en", 1, Y2012), _made("vi", 2, Y2012), True),
    (_made("en", 1, Y2012), _made("vi", 1, Y2012), False),  # same value
    (_made("en", 1, Y2012), _made("en", 2, Y2012), False),  # one text
    (_made("en", 1, Y2002), _made("vi", 2, Y2012), False),  # no overlap
    (_made("en", 1, Y2012), _made("vi", 2, Y2012, subject="investment_destinations"), False),
    (_made("en", 1, None, "currently", Y2002), _made("vi", 2, Y2012), True),  # present from 2002
    (_made("en", 1, None, "currently", Y2012), _made("vi", 2, Y2002), False),  # 2002 is before
    (_made("en", 1, None, "currently"), _made("vi", 2, Y2012), False),  # a present of no time
])
def test_the_disagreement_rule(first: TextFigure, second: TextFigure, disagree: bool) -> None:
    assert bool(disagreements([first, second])) is disagree


@pytest.mark.parametrize(("language", "sentence", "problem"), [
    ("vi", "Việt Nam đứng thứ 0 trong số các nhà đầu tư tại Lào.", "a rank starts at 1"),
    ("vi", "Lào thu hút vốn nhiều nhất trong tổng số 0 quốc gia và vùng lãnh thổ.",
     "the count of countries is no whole number from 1"),
    ("en", "Laos is the third destination of its investment among 2 countries.",
     "a rank of 3 among 2"),
    ("en", "They signed a 0-year treaty in 1977.", "a term is at least a year"),
    ("en", "They signed a 2.5-year treaty in 1977.", "a count is a whole number"),
    ("en", "It launched 1,5 assistance projects in 1977.", "not a number as the en text writes"),
])
def test_a_form_that_is_no_figure_is_left_out_and_reported(
    language: str, sentence: str, problem: str,
) -> None:
    found = read_figures(decode_seed(sentence.encode(), f"x.{language}.txt"), language)
    assert found.figures == ()
    (reported,) = found.problems
    assert reported.problem.startswith(problem) and reported.text in sentence
    assert (reported.provenance.line, reported.provenance.quote) == (1, sentence)
