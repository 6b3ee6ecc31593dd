"""Tests of laovn_map.build.dates: every form the issue lists, the refusals, and fuzzing."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laovn_map.build.dates import DateProblem, Span, find_dates, main_date, until
from laovn_map.build.seeds import find_seeds
from laovn_map.build.text import sentences

from ..conftest import REAL_SEEDS


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("Ngày 4/9/1945, Chủ tịch Hồ Chí Minh", "1945-09-04", "1945-09-04", "day"),
    ("ngày 5/9/1962", "1962-09-05", "1962-09-05", "day"),
    ("Tháng 8/1950 hoàng thân", "1950-08-01", "1950-08-31", "month"),
    ("Ngày 24 tháng 1 năm 1986, hai nước", "1986-01-24", "1986-01-24", "day"),
    ("trong năm 1953 lực lượng", "1953-01-01", "1953-12-31", "year"),
    ("Trong giai đoạn 1959-1960 tại Lào", "1959-01-01", "1960-12-31", "year"),
    ("từ tháng 12 năm 1987 đến tháng 2 năm 1988, Việt Nam", "1987-12-01", "1988-02-29", "month"),
    ("on 28 June 1951, which", "1951-06-28", "1951-06-28", "day"),
    ("In July 1977, Laos and Vietnam", "1977-07-01", "1977-07-31", "month"),
    ("projects between 1975 and 1985, whereas", "1975-01-01", "1985-12-31", "year"),
    ("law in 1989 until 2012, Vietnam", "1989-01-01", "2012-12-31", "year"),
    ("During the 1980s, Vietnam's", "1980-01-01", "1989-12-31", "decade"),
    ("invasion of Laos in the late 15th century.", "1401-01-01", "1500-12-31", "century"),
    ("trong cuối thế kỷ XIX, nhiều cuộc", "1801-01-01", "1900-12-31", "century"),
    ("Tháng 2/1951 Đại hội", "1951-02-01", "1951-02-28", "month"),
    ("about US$725 million at the end of 2012.", "2012-01-01", "2012-12-31", "year"),
])
def test_each_form_of_the_texts(text: str, start: str, end: str, precision: str) -> None:
    (span,) = find_dates(text)
    assert isinstance(span, Span)
    assert (span.start, span.end, span.precision) == (start, end, precision)
    assert span.text in text


def test_qualifiers_are_kept_without_narrowing_the_span() -> None:
    (late,) = find_dates("the late 15th century")
    (since,) = find_dates("Kể từ năm 1980 Lào")
    assert isinstance(late, Span) and late.qualifier == "late"
    assert isinstance(since, Span) and since.qualifier == "kể từ" and since.start == "1980-01-01"


@pytest.mark.parametrize(("text", "problem"), [
    ("Ngày 31/2/1977 hai nước", "that day does not exist"),
    ("ngày 5/9/62 hai nước", "the year '62' has not four digits"),
    ("từ năm 1990 đến năm 1980", "the period ends before it starts"),
    ("between 1990 and 1980", "the period ends before it starts"),
    ("Tháng 13/1950", "there is no month 13"),
    ("thế kỷ XXX", "no century 'XXX'"),
])
def test_impossible_dates_are_reported_not_guessed(text: str, problem: str) -> None:
    (found,) = find_dates(text)
    assert found == DateProblem(found.text, problem)


@pytest.mark.parametrize("text", [
    "dài khoảng 2.340km", "429 projects with a combined value of US$4.9 billion", "for 200 years",
    "a 25-year Treaty of Friendship", "1.002 mốc", "hiệp ước 25 năm hữu nghị", "trong 10 năm",
])
def test_numbers_that_are_not_dates(text: str) -> None:
    assert list(find_dates(text)) == []


@given(st.text(alphabet=st.sampled_from(list("0123456789/-–., nămthángngàyInJulybetweenandthế kỷXIV")),
               max_size=60))
def test_any_text_gives_valid_spans_or_problems(text: str) -> None:
    for found in find_dates(text):
        assert found.text and found.text in text
        if isinstance(found, Span):
            assert date.fromisoformat(found.start) <= date.fromisoformat(found.end)


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("from 1959 to 1960", "1959-01-01", "1960-12-31", "year"),
    ("from July 1977 to 28 June 1978", "1977-07-01", "1978-06-28", "day"),
    ("từ 1959 đến 1960", "1959-01-01", "1960-12-31", "year"),
    ("September 5, 1962", "1962-09-05", "1962-09-05", "day"),
    ("ngày 4-9-1945", "1945-09-04", "1945-09-04", "day"),
    ("ngày 4.9.1945", "1945-09-04", "1945-09-04", "day"),
    ("thế kỷ 19", "1801-01-01", "1900-12-31", "century"),
    ("thế kỉ XIX", "1801-01-01", "1900-12-31", "century"),
    ("ổn định tới năm 1968", "1968-01-01", "1968-12-31", "year"),
])
def test_other_common_forms(text: str, start: str, end: str, precision: str) -> None:
    (span,) = find_dates(text)
    assert isinstance(span, Span)
    assert (span.start, span.end, span.precision) == (start, end, precision)
    assert span.text in text


@pytest.mark.parametrize(("text", "problem"), [
    ("trong giai đoạn 1959-60", "the year '60' has not four digits"),
    ("from 1990 to 1980", "the period ends before it starts"),
    ("31/2/1977", "that day does not exist"),
    ("4-13-1945", "there is no month 13"),
])
def test_more_impossible_dates(text: str, problem: str) -> None:
    (found,) = find_dates(text)
    assert found == DateProblem(found.text, problem) and found.text in text


def test_a_mixed_numeric_date_is_not_read() -> None:
    """One separator throughout: "4/9-1945" is not a day, only its year is a date."""
    assert [(s.text, s.precision) for s in find_dates("4/9-1945") if isinstance(s, Span)] == [
        ("1945", "year")]


# --- the forms of the issue, in the real texts ----------------------------------------------------

#: Each form issue #11 lists, and the seed (language) whose sentence holds it.
ISSUE_FORMS = [
    ("vi", "4/9/1945"), ("vi", "5/9/1962"), ("vi", "Tháng 8/1950"),
    ("vi", "Ngày 24 tháng 1 năm 1986"), ("vi", "năm 1953"), ("vi", "1959-1960"),
    ("vi", "từ tháng 12 năm 1987 đến tháng 2 năm 1988"), ("en", "28 June 1951"),
    ("en", "In July 1977"), ("en", "between 1975 and 1985"), ("en", "in 1989 until 2012"),
    ("en", "During the 1980s"), ("en", "late 15th century"), ("vi", "thế kỷ XIX"),
]
_YEAR = re.compile(r"\d{4}")


def _sentence_with(language: str, form: str) -> tuple[int, str]:
    seeds = find_seeds(REAL_SEEDS)
    seed = seeds.english if language == "en" else seeds.vietnamese
    return next((n, s) for n, line in seed.numbered() for s in sentences(line) if form in s)


def _span_at(sentence: str, form: str) -> Span:
    """The span of *sentence* that covers most of *form* (dates found in order, located in order)."""
    where = sentence.index(form)
    best: tuple[int, Span] | None = None
    position = 0
    for found in find_dates(sentence):
        start = sentence.index(found.text, position)
        position = start + len(found.text)
        overlap = min(position, where + len(form)) - max(start, where)
        if isinstance(found, Span) and overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, found)
    assert best is not None, (form, sentence)
    return best[1]


@pytest.mark.parametrize(("language", "form"), ISSUE_FORMS)
def test_each_form_of_the_issue_is_read_in_its_real_sentence(language: str, form: str) -> None:
    """The span found where the form is written runs from the first year the form writes to
    the last; a day is the form's first number, a month its month; a century is named by its
    number (Arabic or Roman) in the form. Nothing here is typed from the grammar's output."""
    _line, sentence = _sentence_with(language, form)
    span = _span_at(sentence, form)
    assert span.text in sentence
    years = [int(y) for y in _YEAR.findall(form)]
    numbers = [int(n) for n in re.findall(r"\d+", form)]
    if not years:
        number = int(span.end[:4]) // 100
        assert str(number) in form or ("XIX" in form and number == 19)
        assert span.precision == "century"
        return
    decade = re.search(r"\d{3}0s", form) is not None  # "the 1980s" runs to 1989
    assert (int(span.start[:4]), int(span.end[:4])) == (min(years), max(years) + 9 * decade)
    assert (span.precision == "decade") == decade
    if span.precision == "day":
        assert int(span.start[8:]) == numbers[0]
    months = [n for n, name in enumerate(calendar.month_name) if name and name in form]
    if span.precision in ("day", "month"):
        first_month = months[0] if months else numbers[1 if span.precision == "day" else 0]
        assert int(span.start[5:7]) == first_month


def test_main_date_is_the_first_or_a_finer_one_inside_it() -> None:
    _line, sentence = _sentence_with("en", "28 June 1951")
    spans = [s for s in find_dates(sentence) if isinstance(s, Span)]
    assert [s.text for s in spans] == ["1951", "28 June 1951", "7 January 1979"]
    chosen = main_date(spans)
    assert chosen is not None and chosen.text == "28 June 1951"
    later = [s for s in find_dates("Năm 1976 ký hợp tác, tiếp sau đó vào năm 1977")
             if isinstance(s, Span)]
    assert (chosen := main_date(later)) is not None and chosen.text == "Năm 1976"
    assert main_date([]) is None


# --- issue #23: decades together, open spans, qualifiers as written -------------------------------

@pytest.mark.parametrize(("text", "written", "start", "end"), [
    ("throughout the 1970s and 1980s (heavy", "the 1970s and 1980s", "1970-01-01", "1989-12-31"),
    ("from the 1960s to the 1980s", "the 1960s to the 1980s", "1960-01-01", "1989-12-31"),
    ("trong thập niên 1970 và 1980,", "thập niên 1970 và 1980", "1970-01-01", "1989-12-31"),
])
def test_decades_together_are_one_period(text: str, written: str, start: str, end: str) -> None:
    (span,) = find_dates(text)
    assert isinstance(span, Span)
    assert (span.text, span.start, span.end, span.precision) == (written, start, end, "decade")


def test_decades_far_apart_joined_by_and_are_two_dates() -> None:
    found = list(find_dates("in the 1950s and 1970s"))
    assert [(s.text, s.start, s.end) for s in found if isinstance(s, Span)] == [
        ("the 1950s", "1950-01-01", "1959-12-31"), ("1970s", "1970-01-01", "1979-12-31")]


@pytest.mark.parametrize(("text", "problem"), [
    ("the 1980s and 1970s", "the period ends before it starts"),
    ("thập niên 1975 và 1980", "1975 does not start a decade"),
])
def test_impossible_decades_together_are_reported(text: str, problem: str) -> None:
    assert list(find_dates(text)) == [DateProblem(text, problem)]


@pytest.mark.parametrize(("text", "written", "year"), [
    ("dependence on Vietnam since 1975 could", "since 1975", 1975),
    ("Kể từ năm 1980 Lào Việt Nam", "Kể từ năm 1980", 1980),
    ("Từ năm 1968 phe Cộng sản", "Từ năm 1968", 1968),
    ("ministers starting in 1980 and", "starting in 1980", 1980),
])
def test_an_open_span_starts_at_its_year_and_runs_to_the_horizon(text: str, written: str,
                                                                  year: int) -> None:
    (span,) = find_dates(text)
    assert isinstance(span, Span) and span.open_end and span.text == written
    assert (span.start, span.end) == (f"{year}-01-01", f"{year}-12-31")  # its first unit
    drawn = until(span, "2012-12-31")
    assert (drawn.start, drawn.end, drawn.open_end) == (f"{year}-01-01", "2012-12-31", True)
    (closed,) = find_dates("tới năm 1968")  # "until" closes nothing: not open
    assert isinstance(closed, Span) and not closed.open_end
    assert until(closed, "2012-12-31") == closed


@pytest.mark.parametrize(("sentence", "written"), [
    ("the Vietnamese invasion of Laos in the late 15th century.", "late 15th century"),
    ("Cuối thập niên 1950, Đảng Cộng sản Việt Nam", "Cuối thập niên 1950"),
    ("Đến cuối năm 1953 Pathet Lào", "cuối năm 1953"),
])
def test_a_qualifier_is_kept_as_written_in_the_date(sentence: str, written: str) -> None:
    (span,) = find_dates(sentence)
    assert isinstance(span, Span) and span.text == written and span.qualifier
