"""Tests of the statement features table (geo/sources/statement_features.csv): its reader, its
rules, and the build applying them to the real texts' statements."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from laovn_map import catalog
from laovn_map.build import pipeline, sources, statements
from laovn_map.build.seeds import find_seeds
from laovn_map.errors import SourceError

from ..conftest import REAL_SEEDS, SOURCES

HEADER = "triggers,language,features,note\n"


def _table(tmp_path: Path, *rows: str) -> tuple[Path, bytes]:
    path = tmp_path / "statement_features.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path, path.read_bytes()


def test_the_real_table_is_read_with_its_rows() -> None:
    assert catalog.STATEMENT_FEATURES.path is not None
    rules = sources.read_sources(SOURCES).statement_rules
    assert [r.where for r in rules] == [f"statement_features.csv:{n}" for n in (2, 3, 4)]
    assert rules[0].triggers == ("phân định biên giới", "cắm mốc")
    assert rules[0].features == ("border",)
    assert rules[2].features == ("LA-PH", "LA-HO")


@pytest.mark.parametrize(("row", "words"), [
    ("cắm mốc,fr,border,", "statement_features.csv:2 has language 'fr'; expected one of en, vi."),
    ("cắm mốc||x,vi,border,", "statement_features.csv:2 has an empty trigger or feature"),
    ("cắm mốc,vi,border|,", "statement_features.csv:2 has an empty trigger or feature"),
    (",vi,border,", "statement_features.csv:2 needs the columns triggers, language, features"),
])
def test_a_bad_row_is_refused_at_its_line(tmp_path: Path, row: str, words: str) -> None:
    with pytest.raises(SourceError) as err:
        sources.read_statement_features(*_table(tmp_path, row))
    assert words in str(err.value) and "\n" not in str(err.value)


def _rules(tmp_path: Path) -> tuple[sources.StatementRule, ...]:
    return sources.read_statement_features(*_table(
        tmp_path, "cắm mốc|phân định biên giới,vi,border,", "border marker,en,border,",
        "biên giới,vi,LA-PH,"))


def test_the_first_rule_of_the_language_whose_trigger_the_sentence_holds(tmp_path: Path) -> None:
    rules = _rules(tmp_path)
    chosen = statements.select("Hai nước ký một nghị định thư về Phân Định Biên Giới.", "vi", rules)
    assert chosen == statements.Selected(("border",), "statement_features.csv:2")
    # the later row's trigger is held too, but the first row wins
    assert statements.select("cắm mốc biên giới", "vi", rules).rule == "statement_features.csv:2"
    assert statements.select("biên giới với Thái Lan", "vi", rules).features == ("LA-PH",)
    # another language's rule, a trigger inside a longer word: nothing
    assert statements.select("cắm mốc", "en", rules) == statements.Selected()
    assert statements.select("the border markers", "en", rules) == statements.Selected()
    assert statements.select("the border marker", "en", rules).features == ("border",)


def test_a_trigger_matches_in_either_unicode_form(tmp_path: Path) -> None:
    import unicodedata
    decomposed = unicodedata.normalize("NFD", "ký kết cắm mốc")
    assert statements.select(decomposed, "vi", _rules(tmp_path)).features == ("border",)


def test_a_rule_naming_no_feature_of_the_map_is_refused(tmp_path: Path) -> None:
    rules = sources.read_statement_features(*_table(tmp_path, "a,en,border,", "b,en,LA-XX,"))
    statements.check_features(rules[:1], {"border"})
    with pytest.raises(SourceError) as err:
        statements.check_features(rules, {"border", "LA-PH"})
    assert str(err.value) == ("statement_features.csv:3 names the feature 'LA-XX', which no layer "
                              "of the map holds; give a feature id such as border or LA-PH.")


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    output = pipeline.build_layers(find_seeds(REAL_SEEDS), SOURCES)
    return {e["id"]: e for e in output.manifest["figures"]["events"]}


@pytest.mark.slow
def test_the_build_gives_each_statement_the_features_its_rule_selects(built: dict[str, Any]) -> None:
    # the 1986 border protocol and its markers (line 22), the route across the border (25)
    for event_id in ("vi-022-0", "vi-022-1"):
        assert built[event_id]["features"] == ["border"]
        assert built[event_id]["feature_rule"] == "statement_features.csv:2"
    assert built["vi-025-0"]["features"] == ["border"]
    # the regroupment after the 1954 Geneva accords: the two provinces it names
    assert built["vi-015-0"]["features"] == ["LA-PH", "LA-HO"]
    assert built["vi-015-0"]["feature_rule"] == "statement_features.csv:4"
    # the Lao–Thai border war is not the Laos–Vietnam border; most statements select nothing
    assert built["vi-025-1"]["features"] == [] and built["vi-025-1"]["feature_rule"] == ""
    assert sum(bool(e["features"]) for e in built.values()) == 4


@pytest.mark.slow
def test_a_table_naming_an_unknown_feature_stops_the_build(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    table = folder / "statement_features.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("LA-HO", "LA-HOX"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"^statement_features.csv:4 names the feature 'LA-HOX'"):
        pipeline.build_layers(find_seeds(REAL_SEEDS), folder)
