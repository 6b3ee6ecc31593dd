"""Dates and periods as the two texts write them, read by a small grammar of their own.

Why not a general date parser: the texts mix Vietnamese and English forms that such parsers
read differently or not at all ("Tháng 8/1950", "thế kỷ XIX", "from 1959-1960", "late 15th
century", "since 1989 until 2012"), and a wrong guess is worse than none. The grammar below
knows each form the texts use; anything that looks like a date but is not one (31/2/1977, a
two-digit year, a range that ends before it starts) is reported, never guessed.

Every date is a :class:`Span`: the first and last day it can mean, and its precision (day,
month, year, decade, century). A qualifier (``late``, ``end``, ``since`` …) is kept in
``qualifier`` (casefolded; ``text`` is the date as written, qualifier included) and does not
narrow the span.

**Open spans.** A date after ``since``, ``starting in``, ``từ`` or ``kể từ`` ("since 1975",
"Kể từ năm 1980", "Từ năm 1968") starts a period the text does not end: its span is the first
unit (the year 1975) with ``open_end`` set; :func:`until` runs it to the texts' horizon.

**Decades together.** "the 1970s and 1980s", "the 1970s to the 1990s", "thập niên 1970 và
1980" are one period from the first decade's start to the last one's end, when "and" joins
consecutive decades; "the 1950s and 1970s" are two decades, each its own date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from laovn_map.catalog import DATE_PRECISIONS as PRECISIONS

_MONTHS_EN = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(calendar.month_name[1:])
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
#: Years the texts can mean: a four-digit number in this range is a year.
YEARS = range(1000, 2100)


@dataclass(frozen=True)
class Span:
    """A date or period: ``start`` and ``end`` (ISO dates, inclusive), precision, and the text."""

    start: str
    end: str
    precision: str
    text: str
    qualifier: str = ""
    open_end: bool = False  # the text gives no end ("since 1975"): see :func:`until`


@dataclass(frozen=True)
class DateProblem:
    """Something that looks like a date but cannot be one, with the text as written."""

    text: str
    problem: str


def _year(value: str) -> int | None:
    number = int(value)
    return number if number in YEARS else None


def _span_of(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    iso = date(year, month, day).isoformat()
    return iso, iso


def _roman(text: str) -> int | None:
    values = [_ROMAN.get(ch) for ch in text.upper()]
    if not values or None in values:
        return None
    total = 0
    for value, following in zip(values, [*values[1:], 0], strict=True):
        assert value is not None and following is not None
        total += -value if value < following else value
    return total


#: The end of a number: not another digit, nor a decimal or group separator before one.
_END = r"(?![\d%]|[.,]\d)"
#: A Vietnamese date as an end of a range ("tháng 12 năm 1987", "năm 1953", "ngày 4/9/1945").
_VI_DATE = (r"(?:ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}/\d{1,2}/\d{4}"
            r"|tháng\s+\d{1,2}\s+năm\s+\d{4}|tháng\s+\d{1,2}/\d{4}|năm\s+\d{4}|\d{4}(?![\d%]|[.,]\d))")
#: An English date as an end of a range ("1959", "July 1977", "28 June 1951").
_EN_DATE = rf"(?:(?:\d{{1,2}}\s+)?(?:{_MONTH})\s+)?\d{{4}}"

# One alternative per form, most specific first; named groups say what each part is.
_VI_Q = r"(?P<q>cuối|đầu|giữa|từ|kể từ|tính tới|tính đến|tới|đến|trước|sau)\s+"
_EN_Q = r"(?P<q>late|early|mid|since|starting in|until|before|after|end of|the end of)\s+"
#: The qualifiers that open a period the text does not end.
OPEN_QUALIFIERS = ("since", "starting in", "từ", "kể từ")
#: Words joining two decades into one period ("the 1970s and 1980s").
_DECADE_JOIN = r"(?P<j>and|to|through|và|đến|tới)"
_FORMS: tuple[tuple[str, str], ...] = (
    # ranges first, so their ends are not read as two dates
    ("vi_range", rf"từ\s+(?P<a>{_VI_DATE})\s+đến\s+(?P<b>{_VI_DATE})"),
    ("en_between", r"between\s+(?P<a>\d{4})\s+and\s+(?P<b>\d{4})"),
    ("en_since_until", r"(?:since|in)\s+(?P<a>\d{4})\s+until\s+(?P<b>\d{4})"),
    ("en_from_to", rf"from\s+(?P<a>{_EN_DATE})\s+to\s+(?P<b>{_EN_DATE}){_END}"),
    ("year_range", rf"(?<![\d.,/])(?P<a>\d{{4}})\s*[-–]\s*(?P<b>\d{{4}}){_END}"),
    # "1959-60": the end's century is left for the reader to guess, so it is reported
    ("short_range", rf"(?<![\d.,/])(?P<a>\d{{4}})\s*[-–]\s*(?P<y>\d{{2}}){_END}"),
    # days (the separator of a numeric date is one of / - . throughout)
    ("dmy_numeric", r"(?<![\d/.,-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*"
                    r"(?P<y>\d{2,4})(?![\d/]|[.,-]\d)"),
    ("vi_day", r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"),
    ("en_day", rf"(?P<d>\d{{1,2}})\s+(?P<mn>{_MONTH})\s+(?P<y>\d{{4}})"),
    ("en_mdy", rf"(?P<mn>{_MONTH})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})"),
    # months
    ("vi_month_slash", r"tháng\s+(?P<m>\d{1,2})\s*/\s*(?P<y>\d{2,4})(?![\d/])"),
    ("vi_month", r"tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"),
    ("en_month", rf"(?P<mn>{_MONTH})\s+(?P<y>\d{{4}})"),
    # decades and centuries (two decades together before one)
    ("en_decades", rf"(?:(?P<q>late|early|mid)\s+)?(?:the\s+)?(?P<a>\d{{3}}0)s\s+{_DECADE_JOIN}\s+"
                   r"(?:the\s+)?(?P<b>\d{3}0)s(?![\w'])"),
    ("vi_decades", rf"(?:(?P<q>cuối|đầu|giữa)\s+)?thập\s+niên\s+(?P<a>\d{{4}})\s+{_DECADE_JOIN}\s+"
                   r"(?:thập\s+niên\s+)?(?P<b>\d{4})(?!\d)"),
    ("vi_decade", r"(?:(?P<q>cuối|đầu|giữa)\s+)?thập\s+niên\s+(?P<y>\d{4})"),
    ("en_decade", r"(?:(?P<q>late|early|mid)\s+)?(?:the\s+)?(?P<y>\d{3}0)s(?![\w'])"),
    ("vi_century", r"(?:(?P<q>cuối|đầu|giữa)\s+)?thế\s+k[ỷỉ]\s+(?P<c>[IVXLC]+\b|\d{1,2}(?!\d))"),
    ("en_century", r"(?:(?P<q>late|early|mid)\s+)?(?:the\s+)?(?P<c>\d{1,2})(?:st|nd|rd|th)\s+century"),
    # years
    ("vi_year", rf"(?:{_VI_Q})?năm\s+(?P<y>\d{{4}}){_END}"),
    ("bare_year", rf"(?:{_EN_Q})?(?<![\d.,/$])(?P<y>(?:1\d|20)\d{{2}}){_END}(?!\s*(?:km|years?|người))"),
)
_PATTERN = re.compile("|".join(
    f"(?P<{name}>{body.replace('(?P<', f'(?P<{name}_').replace('(?P=', f'(?P={name}_')})"
    for name, body in _FORMS), re.IGNORECASE)


#: The forms that are a period between two dates.
_RANGES = ("vi_range", "en_between", "en_since_until", "en_from_to", "year_range")


def _groups(match: re.Match[str]) -> tuple[str, dict[str, str]]:
    form = match.lastgroup or ""
    prefix = f"{form}_"
    return form, {k.removeprefix(prefix): v for k, v in match.groupdict().items()
                  if k.startswith(prefix) and v is not None}


def _single(form: str, parts: dict[str, str], text: str) -> Span | DateProblem:
    """One date (not a range) from the parts of its form."""
    qualifier = parts.get("q", "").casefold()
    try:
        if "c" in parts:
            number = int(parts["c"]) if parts["c"].isdigit() else _roman(parts["c"])
            if number is None or not 10 <= number <= 21:
                return DateProblem(text, f"no century {parts['c']!r}")
            return Span(f"{(number - 1) * 100 + 1:04d}-01-01", f"{number * 100:04d}-12-31",
                        "century", text, qualifier)
        if len(parts.get("y", "")) != 4:
            return DateProblem(text, f"the year {parts.get('y', '')!r} has not four digits")
        year = _year(parts["y"])
        if year is None:
            return DateProblem(text, f"{parts['y']} is not a year of these texts")
        if form.endswith("decade"):
            if year % 10:
                return DateProblem(text, f"{year} does not start a decade")
            return Span(f"{year:04d}-01-01", f"{year + 9:04d}-12-31", "decade", text, qualifier)
        month = None
        if "mn" in parts:
            month = _MONTHS_EN.get(parts["mn"].casefold())
            if month is None:
                return DateProblem(text, f"{parts['mn']!r} is not a month")
        elif "m" in parts:
            month = int(parts["m"])
        day = int(parts["d"]) if "d" in parts else None
        if month is not None and not 1 <= month <= 12:
            return DateProblem(text, f"there is no month {month}")
        start, end = _span_of(year, month, day)
    except ValueError:
        return DateProblem(text, "that day does not exist")
    precision = "day" if day is not None else "month" if month is not None else "year"
    return Span(start, end, precision, text, qualifier, qualifier in OPEN_QUALIFIERS)


def _decades(parts: dict[str, str], text: str) -> Iterator[Span | DateProblem]:
    """Two decades together: one period, or two decades when "and" joins ones far apart."""
    ends = [_single("decade", {"y": parts[end]}, parts[end]) for end in ("a", "b")]
    first, last = ends
    if isinstance(first, DateProblem) or isinstance(last, DateProblem):
        problem = next(e for e in ends if isinstance(e, DateProblem))
        yield DateProblem(text, problem.problem)
        return
    if last.end < first.start:
        yield DateProblem(text, "the period ends before it starts")
        return
    apart = int(last.start[:4]) - int(first.start[:4]) > 10
    if apart and parts["j"].casefold() in ("and", "và"):
        before, after = re.split(rf"\s+{re.escape(parts['j'])}\s+", text, maxsplit=1)
        yield replace(first, text=before)
        yield replace(last, text=after)
        return
    yield Span(first.start, last.end, "decade", text, parts.get("q", "").casefold())


def until(span: Span, horizon: str) -> Span:
    """*span* as the timeline draws it: an open span runs to *horizon* (an ISO date: the last
    day the texts date), a closed one is as it is."""
    return replace(span, end=max(span.end, horizon)) if span.open_end else span


def find_dates(sentence: str) -> Iterator[Span | DateProblem]:
    """Every date or period in *sentence*, in order, each once (a range is one span)."""
    for match in _PATTERN.finditer(sentence):
        form, parts = _groups(match)
        text = match.group(0)
        if form.endswith("decades"):
            yield from _decades(parts, text)
            continue
        if form in _RANGES:
            ends = [_one(parts["a"]), _one(parts["b"])]
            first, last = ends
            if isinstance(first, DateProblem) or isinstance(last, DateProblem):
                yield next(e for e in ends if isinstance(e, DateProblem))
                continue
            if first is None or last is None:
                continue  # "từ … đến …" around something that is not a date
            if last.end < first.start:
                yield DateProblem(text, "the period ends before it starts")
                continue
            yield Span(first.start, last.end, min(first.precision, last.precision,
                                                  key=PRECISIONS.index), text)
            continue
        yield _single(form, parts, text)


def _one(text: str) -> Span | DateProblem | None:
    """The single date *text* is (an end of a range), None when it holds none."""
    found = list(find_dates(text))
    return found[0] if len(found) == 1 else None


def main_date(spans: Sequence[Span]) -> Span | None:
    """The date a statement is about: its first date, or a later, more precise one inside it
    ("In 1951, the party was established on 28 June 1951" is about 28 June 1951); None when
    it has none. A later date outside the first ("… which came to power on 7 January 1979")
    is another matter the sentence mentions, not the statement's date."""
    if not spans:
        return None
    first = spans[0]
    inside = [s for s in spans if first.start <= s.start and s.end <= first.end]
    return min(inside, key=lambda s: PRECISIONS.index(s.precision))
