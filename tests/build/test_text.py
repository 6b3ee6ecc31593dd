"""Tests of the sections a text's headings open (laovn_map.build.text.sections): what a popup
and a citation name as the part of the article a quote is in."""

from __future__ import annotations

from laovn_map.build.seeds import decode_seed, find_seeds
from laovn_map.build.text import section_at, sections

from ..conftest import REAL_SEEDS


def test_the_english_text_has_its_marked_headings_below_the_title() -> None:
    english = find_seeds(REAL_SEEDS).english
    found = sections(english)
    assert [title for _line, title in found] == [
        "History", "Antiquity and medieval era", "Modern era", "Bilateral relations and commerce",
        "Diplomatic missions", "See also"]
    assert all(english.line(line).strip("= ") == title for line, title in found)
    assert section_at(found, 52) == "Diplomatic missions"  # - Pakse (Consulate)
    assert section_at(found, 13) == ""  # the lead, before the first heading (and the infobox)


def test_the_vietnamese_text_has_its_plain_heading_lines() -> None:
    vietnamese = find_seeds(REAL_SEEDS).vietnamese
    found = sections(vietnamese)
    assert [title for _line, title in found] == [
        "Lịch sử", "Chính trị và quân sự", "Giáo dục đào tạo", "Kinh tế"]
    assert all(vietnamese.line(line) == title for line, title in found)
    assert section_at(found, 4) == "Lịch sử"  # the border's sentence
    assert section_at(found, 1) == ""


def test_a_sentence_or_a_list_line_is_no_heading() -> None:
    seed = decode_seed("\n".join([
        "Lead sentence of the article, with a comma.", "Kinh tế", "Năm 1976 hai nước ký kết.",
        "- Pakse (Consulate)", "A short line.", "See 1975", "lowercase words", "Giáo dục"]).encode(),
        "x.vi.txt")
    assert sections(seed) == ((2, "Kinh tế"), (8, "Giáo dục"))


def test_marked_headings_win_over_plain_lines() -> None:
    seed = decode_seed(b"= Title =\nInfobox\n==History==\ntext.\n===Modern era===\n",
                       "x.en.txt")
    assert sections(seed) == ((3, "History"), (5, "Modern era"))
