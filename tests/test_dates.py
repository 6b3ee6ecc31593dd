"""Tests of laovn_map.dates: every form the issue lists, the refusals, and fuzzing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laovn_map.dates import DateProblem, Span, find_dates


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
