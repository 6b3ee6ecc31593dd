"""The timeline's eras: the texts' subsection headings, bounded by the statements they head."""

from __future__ import annotations

from typing import Any

import pytest

from laovn_map.build import eras, extract, pipeline
from laovn_map.build.eras import Dated, Era, Heading
from laovn_map.build.seeds import SeedText, find_seeds

from ..conftest import REAL_SEEDS, SOURCES

EN = "seeds/laos-vietnam-relations.en.txt"


def test_the_english_texts_headings_with_their_levels_and_lines() -> None:
    seeds = find_seeds(REAL_SEEDS)
    assert eras.headings(seeds.english) == (
        Heading(EN, 15, 2, "History"),
        Heading(EN, 16, 3, "Antiquity and medieval era"),
        Heading(EN, 20, 3, "Modern era"),
        Heading(EN, 41, 2, "Bilateral relations and commerce"),
        Heading(EN, 46, 2, "Diplomatic missions"),
        Heading(EN, 60, 2, "See also"),
    )
    # the Vietnamese text's section names are plain lines, no wiki headings
    assert eras.headings(seeds.vietnamese) == ()


def test_the_real_texts_eras_from_their_statements() -> None:
    seeds = find_seeds(REAL_SEEDS)
    records = extract.extract(seeds)
    dated = [Dated(e.provenance.file, e.provenance.line, (e.reach or (0, 0))[0],
                   e.dates[0].start, e.dates[0].end)
             for e in records.events if e.dates and e.dates[0].start and e.dates[0].end]
    found = eras.eras((seeds.english, seeds.vietnamese), dated)
    # "late 15th century" (line 18) opens the first, "In 1930" (line 22) the second
    assert found == (Era("Antiquity and medieval era", EN, 16, "1401-01-01", "1929-12-31"),
                     Era("Modern era", EN, 20, "1930-01-01", max(d.end for d in dated)))


def _seed(*lines: str) -> SeedText:
    return SeedText("seeds/x.en.txt", tuple(lines))


def test_a_heading_whose_section_dates_nothing_is_no_era_nor_is_a_whole_section() -> None:
    seed = _seed("==History==", "In 1950 a thing.", "===Quiet===", "Nothing dated.",
                 "===Late===", "In 1990 a thing.", "==Trade==", "In 2000 a deal.")
    dated = [Dated(seed.path, 2, 0, "1950-01-01", "1950-12-31"),
             Dated(seed.path, 6, 0, "1990-01-01", "1990-12-31"),
             Dated(seed.path, 8, 0, "2000-01-01", "2000-12-31")]
    # the first era also takes in what is earlier than its section's first statement
    assert eras.eras((seed,), dated) == (Era("Late", seed.path, 5, "1950-01-01", "2000-12-31"),)


def test_eras_in_date_order_contiguous_and_opened_by_their_first_statement_in_reading_order(
        ) -> None:
    seed = _seed("===B===", "In 1970, then 1940.", "===A===", "In 1930 a thing.")
    dated = [Dated(seed.path, 2, 0, "1970-01-01", "1970-12-31"),
             Dated(seed.path, 2, 12, "1940-01-01", "1940-12-31"),
             Dated(seed.path, 4, 0, "1930-01-01", "1930-12-31")]
    assert eras.eras((seed,), dated) == (Era("A", seed.path, 3, "1930-01-01", "1969-12-31"),
                                         Era("B", seed.path, 1, "1970-01-01", "1970-12-31"))
    assert eras.eras((seed,), []) == ()


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return dict(pipeline.build_layers(find_seeds(REAL_SEEDS), SOURCES).manifest["figures"])


@pytest.mark.slow
def test_the_build_states_each_era_with_its_heading_and_takes_every_statement(
        built: dict[str, Any]) -> None:
    found = built["eras"]
    assert [(e["id"], e["words"], e["language"], e["source_file"], e["source_line"],
             e["source_quote"], e["start"], e["end"]) for e in found] == [
        ("laos-vietnam-relations-016", "Antiquity and medieval era", "en", EN, 16,
         "===Antiquity and medieval era===", "1401-01-01", "1929-12-31"),
        ("laos-vietnam-relations-020", "Modern era", "en", EN, 20, "===Modern era===",
         "1930-01-01", "2012-12-31")]
    dated = [e for e in built["events"] if e["start"]]
    for event in dated:
        assert sum(era["start"] <= event["start"] <= era["end"] for era in found) == 1, event["id"]
    # most statements are of the modern era: the timeline's scale must give it room
    assert sum(e["start"] >= "1930" for e in dated) == len(dated) - 4
