"""The other names a place of the map goes by, and the province a mission's city lies in.

The page's search finds a feature by every name the datasets and the project's tables give its
place, not only the one the page shows: Natural Earth's name fields (``name_alt`` split on
``|``, ``gn_name``, …) and the rows of ``geo/sources/aliases.csv`` for a province; GeoNames'
alternate names and the rows of ``geo/sources/place_aliases.csv`` for a city. Each name keeps
the rule that gave it (its provenance). Left out: names in a script the page is not written in
(neither Latin nor Lao), GeoNames' all-lower-case forms (machine transliterations of names in
other scripts: ``bin`` for Vinh would find it for "Bình") and all-capital ones (airport codes),
and the names ``names.csv`` says are no place (``Ho Chi Minh``, the person).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anyascii import anyascii
from shapely.geometry import Point

from laovn_map.build.gazetteer import NAME_FIELDS, City
from laovn_map.build.sources import Alias, PlaceAlias, Province, TextName

#: Natural Earth's qualifiers in brackets ("Vientiane [prefecture]"), not part of a name.
_QUALIFIER = re.compile(r"\s*\[[^\]]*\]")
#: The page's scripts: Latin letters with their marks, and Lao.
_PAGE_SCRIPT = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f\u0e80-\u0eff0-9 ,.'’()-]+")
NOT_A_PLACE = "not_a_place"


@dataclass(frozen=True)
class OtherNames:
    """The other names of a place, each with the rule that gave it (same order)."""

    names: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    def without(self, shown: Iterable[object]) -> OtherNames:
        """These names but those a feature shows already (its own name fields)."""
        seen = {str(n).strip() for n in shown if n}
        kept = [(n, r) for n, r in zip(self.names, self.rules, strict=True) if n not in seen]
        return OtherNames(tuple(n for n, _ in kept), tuple(r for _, r in kept))

    def properties(self) -> dict[str, str]:
        """As a layer's properties: ``other_names`` and ``other_names_rules``, ``|``-separated."""
        return {"other_names": "|".join(self.names), "other_names_rules": "|".join(self.rules)}


def plain(name: str) -> str:
    """A name without Natural Earth's bracketed qualifier."""
    return _QUALIFIER.sub("", name).strip()


def _letters(name: str) -> str:
    """A name's letters and digits in ASCII, lower case: ``Hồ Chí Minh`` is ``Ho Chi Minh``
    (the person), ``Thành phố Hồ Chí Minh`` is not (its generic words count here)."""
    return re.sub(r"[^a-z0-9]+", "", anyascii(name).casefold())


def _collect(pairs: Iterable[tuple[str, str]], shown: Iterable[str],
             not_places: Iterable[TextName]) -> OtherNames:
    """The pairs (name, rule) kept: in the page's scripts, not shown already, not a person,
    each name once (its first rule)."""
    seen = {n.strip() for n in shown if n}
    people = {_letters(t.name) for t in not_places if t.kind == NOT_A_PLACE}
    names: list[str] = []
    rules: list[str] = []
    for name, rule in pairs:
        name = plain(name)
        if (not name or name in seen or not _PAGE_SCRIPT.fullmatch(name)
                or _letters(name) in people):
            continue
        seen.add(name)
        names.append(name)
        rules.append(rule)
    return OtherNames(tuple(names), tuple(rules))


def province_other_names(province: Province, aliases: Sequence[Alias], shown: Iterable[str],
                         not_places: Iterable[TextName] = ()) -> OtherNames:
    """A Natural Earth province's names from its name fields and the alias table's rows."""
    props = province.properties
    pairs = [(part, f"ne:{field}") for field in NAME_FIELDS
             if isinstance(props.get(field), str)
             for part in str(props[field]).split("|")]
    pairs += [(a.alias, f"alias aliases.csv:{a.line}") for a in aliases
              if a.adm1_code == province.adm1_code]
    return _collect(pairs, shown, not_places)


def _city_form(name: str) -> bool:
    """A GeoNames alternate name as a reader writes it: neither all lower case (a machine
    transliteration) nor all capitals (a code)."""
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and not all(ch.islower() for ch in letters) \
        and not all(ch.isupper() for ch in letters)


def city_other_names(city: City, place_aliases: Sequence[PlaceAlias], shown: Iterable[str],
                     not_places: Iterable[TextName] = ()) -> OtherNames:
    """A GeoNames city's alternate names (Lao script ones included) and its place alias rows."""
    pairs = [(name, "geonames:alternate") for name in city.alternate_names
             if name != city.name and (_city_form(name) or _is_lao(name))]
    pairs += [(a.alias, f"alias {a.where}") for a in place_aliases
              if a.geonames_id == city.geonames_id]
    return _collect(pairs, shown, not_places)


def _is_lao(name: str) -> bool:
    return any("\u0e80" <= ch <= "\u0eff" for ch in name)


def containing_province(lon: float, lat: float, provinces: Sequence[Province]) -> Province | None:
    """The province whose polygon holds the point (the first in *provinces*' order), else the
    nearest within a few hundred metres (a coastal city's point may lie just off the polygon);
    None when there is none."""
    point = Point(lon, lat)
    inside = [p for p in provinces if p.geometry.covers(point)]
    if inside:
        return inside[0]
    near = sorted((p.geometry.distance(point), p.adm1_code, i) for i, p in enumerate(provinces))
    return provinces[near[0][2]] if near and near[0][0] < 0.005 else None
