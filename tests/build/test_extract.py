from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from laovn_map.build.extract import (
    STATED_LENGTH_MAX_RATIO,
    STATED_LENGTH_MIN_RATIO,
    check_stated_length,
    extract,
    find_border_statement,
    find_events,
    parse_vietnamese_number,
)
from laovn_map.build.seeds import decode_seed, find_seeds
from laovn_map.build.text import canonical_name, sentences, split_list
from laovn_map.errors import ExtractError

from ..conftest import MINI, REAL_SEEDS

VI_PATH = "seeds/quan-he-lao-viet-nam.vi.txt"


def records_of(folder: Path):  # type: ignore[no-untyped-def]
    return extract(find_seeds(folder))


def names(records) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    return ([p.name for p in records.border.vietnamese], [p.name for p in records.border.lao])


def comparable(records) -> object:  # type: ignore[no-untyped-def]
    """What must not change with accidents of the copy: names, kinds, countries, figures."""
    vn, la = names(records)
    return (sorted(vn), sorted(la), records.border.length_km,
            sorted((m.sending_country, m.host_country, m.city, m.kind,
                    m.envoy.name if m.envoy else "") for m in records.missions),
            sorted((e.year, e.date_iso or "") for e in records.established))


def test_real_seeds_give_the_border_provinces_and_length() -> None:
    records = records_of(REAL_SEEDS)
    vn, la = names(records)
    assert len(vn) == len(la) == 10
    assert vn[0] == "Điện Biên" and vn[-1] == "Kon Tum"
    assert "Thừa Thiên - Huế" in vn
    assert la[0] == "Phỏng-sả-lỳ" and la[6] == "Sa-vắn-nạ-khệt"
    assert records.border.length_km == 2340
    assert records.border.provenance.line == 4
    assert records.border.provenance.quote.startswith("Đường biên giới giữa Việt Nam và Lào")


def test_relations_established_from_both_texts() -> None:
    established = records_of(REAL_SEEDS).established
    assert [(e.year, e.date_iso) for e in established] == [(1962, None), (1962, "1962-09-05")]
    assert established[1].provenance.line == 2


@pytest.mark.parametrize(
    ("figure", "value"),
    [("2.340", 2340.0), ("2 340", 2340.0), ("2340", 2340.0), ("1.000.000", 1e6),
     ("2.340,5", 2340.5), ("2.340,75", 2340.75), ("2340,5", 2340.5), ("2,5", 2.5), ("0", 0.0),
     # an English copy: "," groups thousands, "." marks decimals
     ("2,340", 2340.0), ("2,340.5", 2340.5), ("1,000,000", 1e6), ("2340.5", 2340.5),
     # neither convention: a 3-digit decimal, 4 digits after a group, mixed separators
     ("2.337,459", None), ("2.3400", None), ("2340,500", None), ("2.340.5", None),
     ("2.340,000", None), ("1,000.000", None), ("2,340,5", None), ("007", None), ("9" * 400, None)],
)
def test_vietnamese_numbers(figure: str, value: float | None) -> None:
    assert parse_vietnamese_number(figure) == value


def _stated(figure: str) -> str:
    """The real border sentence with *figure* as its stated length."""
    text = next(REAL_SEEDS.glob("*.vi.txt")).read_text(encoding="utf-8")
    assert "dài khoảng 2.340km" in text
    return text.replace("dài khoảng 2.340km", f"dài khoảng {figure}")


def _border_line() -> int:
    return next(n for n, line in find_seeds(REAL_SEEDS).vietnamese.numbered()
                if "dài khoảng 2.340km" in line)


@pytest.mark.parametrize(("figure", "km"), [("2,340 km", 2340.0), ("2.340,5 km", 2340.5),
                                            ("2 340 km", 2340.0), ("2340km", 2340.0)])
def test_stated_length_in_either_convention(figure: str, km: float) -> None:
    statement = find_border_statement(decode_seed(_stated(figure).encode(), VI_PATH))
    assert statement.length_km == km
    assert statement.length_text == f"dài khoảng {figure}"


@pytest.mark.parametrize(
    ("figure", "message"),
    [("0 km", "The border length stated in {where} ('dài khoảng 0 km') is 0 km; a land border "
              "has a length, correct the figure."),
     ("0,0 km", "The border length stated in {where} ('dài khoảng 0,0 km') is 0 km; a land "
                "border has a length, correct the figure."),
     ("2.340.5 km", "The border length '2.340.5' km in {where} is not a number: write thousands "
                    "with '.' and 1-2 decimals after ',' (2.340 or 2.340,5 km; the English "
                    "2,340 or 2,340.5 is read the same).")],
)
def test_stated_length_that_is_no_length_is_refused(figure: str, message: str) -> None:
    with pytest.raises(ExtractError) as err:
        find_border_statement(decode_seed(_stated(figure).encode(), VI_PATH))
    assert str(err.value) == message.format(where=f"{VI_PATH}:{_border_line()}")


def test_plausible_stated_length_passes_the_check() -> None:
    statement = records_of(REAL_SEEDS).border
    check_stated_length(statement, 2199.215)
    check_stated_length(statement, statement.length_km / STATED_LENGTH_MAX_RATIO)
    check_stated_length(statement, statement.length_km / STATED_LENGTH_MIN_RATIO)


def test_absurd_stated_length_is_refused() -> None:
    statement = find_border_statement(decode_seed(_stated("999.999.999.999 km").encode(), VI_PATH))
    assert statement.length_km == 999_999_999_999
    with pytest.raises(ExtractError) as err:
        check_stated_length(statement, 2199.215)
    assert str(err.value) == (
        f"The border length stated in {VI_PATH}:{_border_line()} ('dài khoảng 999.999.999.999 km', "
        "read as 999999999999 km) is not within 0.5-2 times the measured 2199.2 km (1100-4398 "
        "km); correct the figure in the text.")


@pytest.mark.parametrize("measured", [2340 / STATED_LENGTH_MIN_RATIO * 1.001,
                                      2340 / STATED_LENGTH_MAX_RATIO * 0.999, 0.0, float("nan")])
def test_stated_length_outside_the_bounds_is_refused(measured: float) -> None:
    with pytest.raises(ExtractError, match=r"^The border length stated in .* is not within"):
        check_stated_length(records_of(REAL_SEEDS).border, measured)


def test_list_splitting_keeps_dashes_inside_names() -> None:
    assert split_list("A-b, Thừa Thiên — Huế,  C  và D–e") == ["A-b", "Thừa Thiên - Huế", "C", "D-e"]
    assert canonical_name("  Thừa  Thiên\u2013Huế ") == "Thừa Thiên-Huế"


# --- accidents of the copy give the same records ----------------------------------------------

def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _dashes(dash: str) -> Callable[[str], str]:
    return lambda text: re.sub("[\u2013\u2014-]", dash, text)


def _spaces(text: str) -> str:
    return "\n\n".join(re.sub(r" ", "   ", line) for line in text.split("\n"))


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _reorder(text: str) -> str:
    def flip(match: re.Match[str]) -> str:
        items = [i.strip() for i in re.split(r",| và ", match.group(2))]
        items.reverse()
        return match.group(1) + ", ".join(items[:-1]) + " và " + items[-1]
    return re.sub(r"(là: )([^;.]+)", flip, text)


def _reorder_missions(text: str) -> str:
    return text.replace("- Luang Prabang (Consulate)\n- Pakse (Consulate)",
                        "- Pakse (Consulate)\n- Luang Prabang (Consulate)")


@pytest.mark.parametrize(
    "edit",
    [_nfd, _dashes("-"), _dashes("\u2013"), _dashes("\u2014"), _spaces, _crlf, _reorder],
    ids=["nfd", "hyphen", "en-dash", "em-dash", "spaces-and-blank-lines", "crlf", "reordered"],
)
def test_accidents_of_the_vietnamese_copy_change_nothing(seed_folder, edit) -> None:  # type: ignore[no-untyped-def]
    assert comparable(records_of(seed_folder(vi=edit))) == comparable(records_of(REAL_SEEDS))


@pytest.mark.parametrize("edit", [_nfd, _dashes("\u2014"), _spaces, _crlf, _reorder_missions],
                         ids=["nfd", "em-dash", "spaces-and-blank-lines", "crlf", "reordered"])
def test_accidents_of_the_english_copy_change_nothing(seed_folder, edit) -> None:  # type: ignore[no-untyped-def]
    assert comparable(records_of(seed_folder(en=edit))) == comparable(records_of(REAL_SEEDS))


# --- what is missing is named, with file and line -----------------------------------------------

def _error(folder: Path) -> str:
    with pytest.raises(ExtractError) as err:
        records_of(folder)
    return str(err.value)


def test_missing_border_sentence(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(vi=lambda t: t.replace("Đường biên giới", "Quan hệ")))
    assert message.startswith("No border sentence in seeds/quan-he-lao-viet-nam.vi.txt: expected")


def test_list_of_nine(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(vi=lambda t: t.replace(" Sê-kông và", "")))
    assert message.startswith(
        f"The Lao border provinces in {VI_PATH}:4 are a list of 9 (the text says 10; 10 expected)")


def test_duplicated_province(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(vi=lambda t: t.replace("Sơn La,", "Điện Biên,")))
    assert message == f"The Vietnamese province 'Điện Biên' is listed twice in {VI_PATH}:4."


def test_markup_inside_a_name(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(vi=lambda t: t.replace("Sơn La", "<b>Sơn La</b>")))
    assert message == (f"Vietnamese province '<b>Sơn La</b>' ({VI_PATH}:4) contains markup; the "
                       "seeds are plain text, remove the tags.")


def test_mini_fixture_parses_and_ignores_other_sections() -> None:
    records = records_of(MINI)
    assert [m.slug for m in records.missions] == [
        "vn-embassy-vientiane", "vn-consulate-pakse", "la-embassy-hanoi", "la-consulate-da-nang"]
    assert records.border.provenance.file == "mini/mini.vi.txt"


def test_border_sentence_with_markup_in_quote_only_is_kept_verbatim() -> None:
    line = ("Đường biên giới giữa Việt Nam và Lào <script>x</script> dài khoảng 2.340 km, 10 tỉnh "
            "của Việt Nam là: " + ", ".join(f"A{i}" for i in range(9)) + " và A9; 10 tỉnh phía "
            "Lào là: " + ", ".join(f"B{i}" for i in range(9)) + " và B9.")
    statement = find_border_statement(decode_seed(line.encode(), "x.vi.txt"))
    assert "<script>x</script>" in statement.provenance.quote
    assert statement.length_km == 2340


# --- events ----------------------------------------------------------------------------------

#: An oracle independent of the grammar: a sentence is dated when it holds a four-digit number
#: that can be a year of these texts, or names a century.
YEAR = re.compile(r"(?<![\d.,])(1\d{3}|20\d{2})(?!\d|[.,]\d)|century|thế kỷ", re.IGNORECASE)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_sentence_with_a_year_is_an_event_whose_dates_are_in_its_quote(language: str) -> None:
    seeds = find_seeds(REAL_SEEDS)
    seed = seeds.english if language == "en" else seeds.vietnamese
    events = find_events(seed, language)
    with_year = [(n, s) for n, line in seed.numbered() for s in sentences(line) if YEAR.search(s)]
    # a sentence dating two happenings is two events, each quoting it
    assert list(dict.fromkeys((e.provenance.line, e.provenance.quote) for e in events)) == with_year
    for event in events:
        assert event.provenance.quote in seed.line(event.provenance.line)
        assert event.dates and not event.problems
        for span in event.dates:
            assert span.text in event.provenance.quote
            assert span.start[:4] in event.provenance.quote or span.precision == "century"


def test_events_of_both_texts_are_in_the_records() -> None:
    records = extract(find_seeds(REAL_SEEDS))
    languages = {e.language for e in records.events}
    assert languages == {"en", "vi"}
    assert len({e.id for e in records.events}) == len(records.events)
    treaty = [e for e in records.events if any(d.text == "July 1977" for d in e.dates)]
    assert treaty and treaty[0].provenance.quote.startswith("In July 1977, Laos and Vietnam signed")


def test_a_sentence_ends_after_a_closing_quote_or_a_reference() -> None:
    line = ('to create an "Indochina Federation." This phrase can be found. In 1989 it ended.[5] '
            "Trong năm 1990.")
    assert sentences(line) == ['to create an "Indochina Federation."', "This phrase can be found.",
                               "In 1989 it ended.", "Trong năm 1990."]
