"""Each pattern rewritten to read a line in linear time finds what the old pattern found.

The old patterns are kept here, as written before the rewrite, as the reference: every
rewritten reader is compared with its old pattern on every line of the real seeds and on
generated lines made of the words, marks and spaces the pattern looks for (lines hold no
"\\n": the seed reader splits on it). Each also has a long-line case under the hang guard.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laovn_map.build import extract, missions, places, stated_figures
from laovn_map.build import text as seedtext
from laovn_map.build.seeds import find_seeds

from ..conftest import REAL_SEEDS, hang_guard

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_DASH_CLASS = f"[{re.escape(_DASHES)}]"

OLD_BORDER_CUE = re.compile(r"biên giới.*Lào.*\bdài\b", re.IGNORECASE)
OLD_VN_LIST = re.compile(
    r"(?P<count>\d+)\s+tỉnh\s+(?:của|phía)\s+Việt\s+Nam\s+(?:là|gồm)\s*:?\s*(?P<list>[^;]+)",
    re.IGNORECASE)
OLD_LA_LIST = re.compile(
    r"(?P<count>\d+)\s+tỉnh\s+(?:của|phía)\s+Lào\s+(?:là|gồm)\s*:?\s*(?P<list>[^;]+?)\s*\.?\s*$",
    re.IGNORECASE)
OLD_ESTABLISHED_VI = re.compile(
    r"thiết\s+lập\s+quan\s+hệ\s+ngoại\s+giao.*?ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*"
    r"(?P<year>\d{4})", re.IGNORECASE)
OLD_HEADING = re.compile(r"^\s*(?P<level>=+)\s*(?P<title>.*?)\s*=+\s*$")
OLD_SUBHEADING = re.compile(r"^\s*;\s*(?:Of\s+)?(?P<country>.+?)\s*:?\s*$", re.IGNORECASE)
OLD_BULLET = re.compile(rf"^\s*(?:[*•]|{_DASH_CLASS})\s*(?P<body>.*?)\s*$")
OLD_INFOBOX_FIELD = re.compile(
    rf"^\s*(?:[*•]|{_DASH_CLASS})?\s*(?P<key>[A-Za-z]+)(?P<n>\d*)\s*:\s*(?P<value>.*?)\s*$")
OLD_NUMBER = r"\d+(?:[.,]\d+)*"
OLD_CUES = re.compile(r"(?:^|(?<=\W))(?:tại|ở|sân\s+bay|tỉnh|thủ\s+đô|thành\s+phố|in|at|near)\s+$",
                      re.IGNORECASE)
OLD_PROVINCE_CUE = re.compile(r"(?:^|(?<=\W))tỉnh\s+$", re.IGNORECASE)
OLD_PROVINCE_AFTER = re.compile(r"^\s+province\b", re.IGNORECASE)


def _real_lines() -> list[str]:
    seeds = find_seeds(REAL_SEEDS)
    return [*seeds.english.lines, *seeds.vietnamese.lines]


REAL_LINES = _real_lines()
SPACES = [" ", "  ", "\t", "\u00a0", " \u3000 "]


def _lines(words: list[str], max_size: int = 24) -> st.SearchStrategy[str]:
    """Lines made of *words* and spaces, in any order."""
    return st.lists(st.sampled_from([*words, *SPACES]), max_size=max_size).map("".join)


def _same(old: re.Match[str] | None, new: re.Match[str] | None) -> None:
    assert (old is None) == (new is None)
    if old and new:
        assert (old.span(), old.groupdict()) == (new.span(), new.groupdict())


# --- the border sentence -----------------------------------------------------------------------

BORDER_WORDS = ["biên giới", "BIÊN GIỚI", "Lào", "LÀO", "lào", "dài", "DÀI", "dàii", "xdài",
                "1", "10", "tỉnh", "của", "phía", "Việt Nam", "là", "gồm", ":", ";", ".", ",",
                "A", "km", "2.340"]


@pytest.mark.parametrize("line", REAL_LINES)
def test_the_border_cue_and_lists_read_the_real_lines_as_before(line: str) -> None:
    text = seedtext.canonical_spacing(line)
    assert extract.has_border_cue(text) == bool(OLD_BORDER_CUE.search(text))
    _same(OLD_VN_LIST.search(text), extract._VN_LIST.search(text))
    _same(OLD_LA_LIST.search(text), extract._LA_LIST.search(text, text.rfind(";") + 1))


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_lines(BORDER_WORDS, 40))
def test_the_border_cue_and_lists_find_what_the_old_patterns_found(line: str) -> None:
    text = seedtext.canonical_spacing(line)
    assert extract.has_border_cue(text) == bool(OLD_BORDER_CUE.search(text))
    _same(OLD_VN_LIST.search(text), extract._VN_LIST.search(text))
    _same(OLD_LA_LIST.search(text), extract._LA_LIST.search(text, text.rfind(";") + 1))


@pytest.mark.parametrize(("text", "cue"), [
    ("Đường biên giới giữa Việt Nam và Lào dài khoảng 2.340 km", True),
    ("biên giới Lào dàii", False),  # "dài" is a word
    ("dài biên giới Lào", False),  # in this order
    ("Lào biên giới dài", False),
    ("BIÊN GIỚI với LÀO DÀI", True),
    ("biên giớiLàodài", False),  # no word boundary before "dài"
    ("biên giớiLào dài", True),
])
def test_the_border_cue_is_the_three_words_in_order(text: str, cue: bool) -> None:
    assert extract.has_border_cue(text) is cue is bool(OLD_BORDER_CUE.search(text))


def test_a_long_number_before_the_lists_is_read_once() -> None:
    text = "biên giới Lào dài " + "1" * 300_000 + " x; " + "1 tỉnh phía Lào là A " * 20_000 + ";"
    with hang_guard():
        assert extract._VN_LIST.search(text) is None
        assert extract._LA_LIST.search(text, text.rfind(";") + 1) is None


# --- relations established -----------------------------------------------------------------

def _old_established_vi(text: str) -> tuple[dict[str, str], str] | None:
    match = OLD_ESTABLISHED_VI.search(text)
    return (match.groupdict(), match.group(0)) if match else None


@settings(max_examples=400, derandomize=True, deadline=None)
@given(_lines(["thiết lập quan hệ ngoại giao", "THIẾT LẬP QUAN HỆ NGOẠI GIAO", "ngày", "5", "05",
               "/", "9", "1962", "19620", "x", "."], 30))
def test_the_vietnamese_establishment_finds_what_the_old_pattern_found(line: str) -> None:
    text = seedtext.canonical_spacing(line)
    assert extract.established_vi(text) == _old_established_vi(text)


@pytest.mark.parametrize("line", REAL_LINES)
def test_the_establishment_reads_the_real_lines_as_before(line: str) -> None:
    text = seedtext.canonical_spacing(line)
    assert extract.established_vi(text) == _old_established_vi(text)


def test_many_phrases_without_a_date_are_read_once() -> None:
    with hang_guard():
        assert extract.established_vi("thiết lập quan hệ ngoại giao " * 40_000) is None


# --- headings, subheadings, bullets, infobox fields ------------------------------------------

def _old_heading(line: str) -> tuple[int, str] | None:
    match = OLD_HEADING.match(line)
    return (len(match.group("level")), match.group("title")) if match else None


def _old_subheading(line: str) -> str | None:
    match = OLD_SUBHEADING.match(line)
    return match.group("country") if match else None


LINE_WORDS = ["=", "==", ";", ":", "Of", "of", "OF", "Of:", "*", "•", "-", "–", "Vietnam", "a",
              "Envoy", "Envoy2", "Mission1", "(", ")", "x", "\x0b", "\u2028"]
LINE_READERS: list[tuple[str, Callable[[str], object], Callable[[str], object]]] = [
    ("heading", missions.heading, _old_heading),
    ("subheading", missions.subheading_country, _old_subheading),
    ("bullet", lambda line: (m := missions._BULLET.match(line)) and m.groupdict(),
     lambda line: (m := OLD_BULLET.match(line)) and m.groupdict()),
    ("infobox", lambda line: (m := missions._INFOBOX_FIELD.match(line)) and m.groupdict(),
     lambda line: (m := OLD_INFOBOX_FIELD.match(line)) and m.groupdict()),
]


@pytest.mark.parametrize(("name", "new", "old"), LINE_READERS, ids=[r[0] for r in LINE_READERS])
def test_the_line_readers_read_the_real_lines_as_before(
        name: str, new: Callable[[str], object], old: Callable[[str], object]) -> None:
    for line in REAL_LINES:
        assert new(line) == old(line), (name, line)


@pytest.mark.parametrize(("name", "new", "old"), LINE_READERS, ids=[r[0] for r in LINE_READERS])
def test_the_line_readers_find_what_the_old_patterns_found(
        name: str, new: Callable[[str], object], old: Callable[[str], object]) -> None:
    @settings(max_examples=600, derandomize=True, deadline=None)
    @given(_lines(LINE_WORDS, 16))
    def same(line: str) -> None:
        assert new(line) == old(line), (name, line)
    same()


@pytest.mark.parametrize("line", [
    "", "=", "==", "===", "== ==", "= =", "== A ==", "==A==", "== A = = ==", "== = ==", "=== x",
    "x ==", "  ==  Diplomatic   missions ==  ", ";", "; ", ";  ", ";Of", ";Of ", ";Of  ", ";Of:",
    "; Of  :", ";Of Vietnam:", "; of Laos :", ";Vietnam", ";:", "; : :", "- ", "-", "* a  ",
    "•", " - Hanoi (Embassy) ", "Envoy1: x", " * Envoy2 :  y  ", "Mission:", "Key : ", "a:b",
])
def test_the_line_readers_agree_on_crafted_lines(line: str) -> None:
    for name, new, old in LINE_READERS:
        assert new(line) == old(line), (name, line)


@pytest.mark.parametrize("line", [
    "= " + "=" * 50_000 + "x", "==" + " " * 200_000 + "x", "; a" + " " * 200_000 + "x",
    "- a" + " " * 200_000 + "x", " " * 200_000 + "a" * 200_000, "a: b" + " " * 200_000 + "x",
])
def test_the_line_readers_read_a_long_line_once(line: str) -> None:
    with hang_guard():
        for _name, new, _old in LINE_READERS:
            new(line)


# --- stated figures ------------------------------------------------------------------------

def _old_figures(sentence: str, language: str) -> list[tuple[int, str, tuple[int, int]]]:
    patterns = [(unit, re.compile(body.replace(stated_figures._NUMBER, OLD_NUMBER), re.IGNORECASE))
                for unit, lang, body in stated_figures._FORMS if lang == language]
    taken: list[tuple[int, int]] = []
    hits = sorted(((m.start(), unit, m) for unit, pattern in patterns
                   for m in pattern.finditer(sentence)), key=lambda h: (h[0], -len(h[2].group())))
    out = []
    for start, unit, match in hits:
        if any(a < match.end() and start < b for a, b in taken):
            continue
        taken.append((start, match.end()))
        out.append((start, unit, match.span()))
    return out


def _new_figures(sentence: str, language: str) -> list[tuple[int, str, tuple[int, int]]]:
    return [(start, unit, match.span())
            for start, unit, match in stated_figures._figures_of(sentence, language)]


FIGURE_WORDS = ["1", "12", "1,5", "2.340", ",", ".", "..", "$", "US$", "USD", "about", "over",
                "million", "projects", "investment", "countries", "and territories", "triệu",
                "USD", "dự án", "quốc gia và vùng lãnh thổ", "the largest", "investor", "x",
                "-year", "treaty", "hiệp ước", "năm", "hundreds of", "hàng trăm", "advisers",
                "chuyên gia", "thu hút vốn", "nhiều nhất trong tổng số", "the first destination",
                "among", "a b c d e f g"]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_figures_of_the_real_lines_are_as_before(language: str) -> None:
    for line in REAL_LINES:
        for sentence in seedtext.sentences(line):
            assert _new_figures(sentence, language) == _old_figures(sentence, language)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_figures_are_what_the_old_patterns_found(language: str) -> None:
    @settings(max_examples=300, derandomize=True, deadline=None)
    @given(_lines(FIGURE_WORDS, 30))
    def same(sentence: str) -> None:
        assert _new_figures(sentence, language) == _old_figures(sentence, language)
    same()


def test_a_long_run_of_numbers_is_read_once() -> None:
    with hang_guard():
        for language in ("en", "vi"):
            list(stated_figures._figures_of("1," * 200_000, language))
            list(stated_figures._figures_of("$1 " * 100_000, language))
            for repeated in ("hundreds of a ", "hàng trăm a ", "thu hút vốn ",
                             "the first destination ", "1-year ", "hiệp ước 1 "):
                list(stated_figures._figures_of(repeated * 20_000, language))


# --- place cues ----------------------------------------------------------------------------

CUE_WORDS = ["tại", "Tại", "ở", "sân bay", "sân  bay", "tỉnh", "thủ đô", "thành phố", "in", "In",
             "at", "near", "inside", "xin", "province", "Province", "provinces", "A", "-", ","]


def _cue_decisions(sentence: str) -> list[tuple[bool, bool, bool]]:
    ends = places._CueEnds.of(sentence)
    return [(places._follows_cue(sentence, p, ends.place),
             places._follows_cue(sentence, p, ends.province),
             bool(places._PROVINCE_AFTER.match(sentence, p))) for p in range(len(sentence) + 1)]


def _old_cue_decisions(sentence: str) -> list[tuple[bool, bool, bool]]:
    return [(bool(OLD_CUES.search(sentence[:p])), bool(OLD_PROVINCE_CUE.search(sentence[:p])),
             bool(OLD_PROVINCE_AFTER.match(sentence[p:]))) for p in range(len(sentence) + 1)]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_lines(CUE_WORDS, 16))
def test_the_place_cues_are_what_the_old_patterns_found(sentence: str) -> None:
    assert _cue_decisions(sentence) == _old_cue_decisions(sentence)


def test_the_place_cues_of_the_real_sentences_are_as_before() -> None:
    for line in REAL_LINES:
        for sentence in seedtext.sentences(line):
            assert _cue_decisions(sentence) == _old_cue_decisions(sentence)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=8),
       st.integers(-2, 60))
def test_a_position_is_skipped_when_a_span_holds_it(spans: list[tuple[int, int]],
                                                    position: int) -> None:
    skip = [(a, a + length) for a, length in spans]
    assert places._skipped(skip)(position) == any(a <= position < b for a, b in skip)
