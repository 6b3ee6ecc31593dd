"""Which features of the map a statement of the texts is about, when it names no place: the
border for the border protocol and its markers, the two provinces of the 1954 regroupment.
The rules are a table in ``geo/sources/`` (``statement_features.csv``) with their trigger
words, so the choice is visible and each statement carries the row that made it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from laovn_map.build.sources import StatementRule
from laovn_map.catalog import STATEMENT_FEATURES
from laovn_map.errors import SourceError


@dataclass(frozen=True)
class Selected:
    """The features a statement selects (ids of the map's layers) and the rule's row
    (``statement_features.csv:3``); none and "" when no rule holds."""

    features: tuple[str, ...] = ()
    rule: str = ""


def _folded(text: str) -> str:
    # NFC first: a seed's "ố" may be one code point or two; case does not matter in a trigger
    return unicodedata.normalize("NFC", text).casefold()


def holds(sentence: str, trigger: str) -> bool:
    """Whether *sentence* holds *trigger* as whole words ("cắm mốc" is not in "cắm mốcx")."""
    pattern = r"(?<!\w)" + re.escape(_folded(trigger)) + r"(?!\w)"
    return re.search(pattern, _folded(sentence)) is not None


def select(sentence: str, language: str, rules: Sequence[StatementRule]) -> Selected:
    """The features of the first rule of *language* one of whose triggers *sentence* holds."""
    for rule in rules:
        if rule.language == language and any(holds(sentence, t) for t in rule.triggers):
            return Selected(rule.features, rule.where)
    return Selected()


def check_features(rules: Sequence[StatementRule], known: Collection[str]) -> None:
    """Refuse a rule naming a feature no layer of the map holds (a typo would select nothing)."""
    for rule in rules:
        for feature in rule.features:
            if feature not in known:
                msg = (f"{STATEMENT_FEATURES.path}:{rule.where.rpartition(':')[2]} names the "
                       f"feature {feature!r}, which no layer of the map holds; give a feature id "
                       "such as border or LA-PH.")
                raise SourceError(msg)
