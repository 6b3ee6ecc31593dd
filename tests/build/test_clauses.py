"""Tests of laovn_map.build.clauses: a sentence's dates grouped into statements, one per
happening it dates, and the part of each its date dates."""

from __future__ import annotations

from laovn_map.build.clauses import clause_starts, statements
from laovn_map.build.dates import Span, find_dates

from ..conftest import hang_guard


def told(sentence: str) -> list[tuple[list[str], str, str]]:
    """(dates as written, the part stated, the part dated) of each statement of *sentence*."""
    return [([d.text for d in s.dates], sentence[s.start:s.end], sentence[s.dated_from:s.end])
            for s in statements(sentence, list(find_dates(sentence)))]


def test_a_later_date_in_a_clause_of_its_own_is_a_statement_of_its_own() -> None:
    sentence = ("In 1951, the KPRP was established on 28 June 1951, which will later come to "
                "power on 7 January 1979 after the genocide.")
    (first, second) = told(sentence)
    assert first[0] == ["1951", "28 June 1951"]  # a finer date inside the first joins it
    assert first[1] == "In 1951, the KPRP was established on 28 June 1951, "  # to the next
    assert second == (["7 January 1979"],
                      "which will later come to power on 7 January 1979 after the genocide.",
                      "which will later come to power on 7 January 1979 after the genocide.")


def test_a_vietnamese_date_after_vao_opens_a_statement() -> None:
    sentence = ("Năm 1976, hai nước đã ký hợp tác, tiếp sau đó là kí hiệp ước hữu nghị vào năm "
                "1977, và hiệp ước này gây căng thẳng.")
    assert [dates for dates, _stated, _dated in told(sentence)] == [["Năm 1976"], ["năm 1977"]]
    assert told(sentence)[1][1].startswith("tiếp sau đó là kí hiệp ước")


def test_a_date_naming_another_event_stays_with_its_statement() -> None:
    """ "hiệp ước năm 1977" is the treaty of 1977 that the 1992 anniversary refers to."""
    sentence = "Tháng 7 năm 1992, quan hệ được củng cố nhân dịp kỷ niệm 15 năm hiệp ước năm 1977."
    assert [dates for dates, _s, _d in told(sentence)] == [["Tháng 7 năm 1992", "năm 1977"]]
    # in the same clause, even introduced, a second date is the same happening's
    assert len(told("Laos and Vietnam met in 1977 and in 1978.")) == 1


def test_a_place_before_the_dated_clause_is_only_mentioned() -> None:
    sentence = ("Sau khi Việt Nam giải phóng Sài Gòn và thống nhất đất nước, lực lượng cộng sản "
                "đã giải phóng được Viên Chăn tháng 12/1975 thành lập nước.")
    ((_dates, stated, dated),) = told(sentence)
    assert stated == sentence
    assert "Viên Chăn" in dated and "Sài Gòn" not in dated


def test_a_date_opening_the_sentence_dates_all_of_it() -> None:
    sentence = "Ngày 4/9/1945, Chủ tịch Hồ Chí Minh đã mời Hoàng thân đang ở Vinh ra Hà Nội."
    ((_dates, _stated, dated),) = told(sentence)
    assert dated == sentence


def test_no_clause_is_cut_inside_a_date() -> None:
    sentence = "They met on September 5, 1962, in Vientiane."
    where = [(sentence.index("September"), sentence.index("1962") + 4)]
    cuts = clause_starts(sentence, where)
    assert all(not (a < c < b) for c in cuts for a, b in where)
    assert cuts == [0, sentence.index("in Vientiane")]


def test_a_long_sentence_of_many_dated_clauses_is_read_once() -> None:
    sentence = "".join(f"vào năm {1000 + i % 1000}, " for i in range(20_000)) + "hết."
    with hang_guard():
        found = list(find_dates(sentence))
        told_ = statements(sentence, found)
    assert sum(len(s.dates) for s in told_) == len(found) == 20_000
    assert all(isinstance(d, Span) for s in told_ for d in s.dates)
