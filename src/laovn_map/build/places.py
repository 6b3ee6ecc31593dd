"""The places that the events' sentences name, found and geocoded offline, never guessed.

Why not named-entity recognition: a statistical tagger guesses, needs a model this project would
have to download, and says nothing about *which* place a name is. Here a place is only a name
that a dataset or a visible table of this repository knows, and each one says which rule found it.

**Finding names.** A candidate is a run of capitalised words (a word starts with an upper-case
letter; hyphens and apostrophes may join its parts, as in ``Phỏng-sả-lỳ``): "Hoàng thân
Souphanouvong đang ở Vinh ra Hà Nội" gives ``Hoàng``, ``Souphanouvong``, ``Vinh`` and
``Hà Nội``. Within a run, the longest known name starting at the leftmost word wins, so
``Ho Chi Minh City`` is the city and ``Thượng Lào`` the region, not the country ``Lào``.

**Known names** (:class:`Vocabulary`), tried in this order for one form:

0. a ``not_a_place`` row of ``geo/sources/names.csv``: a person whom datasets name places after
   (``Ho Chi Minh``: Natural Earth calls Ho Chi Minh City's province so), passed over; and a
   ``proper_name`` row: a name of an organisation, a war or a project that holds a place's
   name (``Đảng Cộng sản Đông Dương``, the Indochinese Communist Party, is no place "Đông
   Dương"), whose words are not read at all, wherever the sentence writes it (any case);
1. ``alias <table>:<line>``: a row of ``geo/sources/place_aliases.csv`` (a GeoNames city) or of
   ``geo/sources/aliases.csv`` (a Natural Earth province): the historic and Vietnamese forms the
   datasets lack (``Sài Gòn``, ``Viên Chăn``, ``Sầm Nứa``), each row with its note; and
   ``border list <seed>:<line>``: a border province as the text's list names it (``Hủa-phăn``);
2. ``region <table>:<line>``: a ``region`` row of ``geo/sources/names.csv`` (``Thượng Lào``,
   Upper Laos). A region covers the provinces whose Natural Earth ``region`` is its name; where
   the dataset says nothing (as for Laos), it is listed without a point;
3. ``geonames:name`` / ``geonames:alternate``: a GeoNames city of Vietnam or Laos, by its name or
   an alternate name that is the same name in another spelling (``Hà Nội`` for Hanoi). Other
   alternate names are not used: GeoNames lists under a city the people it was named after
   (``Ho Chi Minh``, ``Kaysone Phomvihane``) and even a country (``Laos`` under Lào Cai);
4. ``ne:<field>``: a Natural Earth province of Vietnam or Laos, by one of its name fields
   (the point is the dataset's label point). After ``tỉnh`` or before ``province`` provinces are
   tried before cities; otherwise a name that is a city's and a province's (a province and its
   capital often share it) is the city;
5. a country (the two parties' spellings in ``catalog``; every country's English name and its
   Vietnamese translation in the iso-codes database shipped with pycountry): not a place of
   this map, whose every event concerns the two countries, passed over.

A form matches a known name ignoring case, spaces, hyphens, apostrophes and the position of a
Vietnamese tone mark (``Hoá`` = ``Hóa``); the diacritics the text writes must be the dataset's,
but a form written without any (as English writes ``Vinh``) also matches a name's plain letters.

**Never guessed.** A form naming several features of one kind is *ambiguous*; a candidate right
after a word of place (``tại``, ``ở``, ``sân bay``, ``tỉnh``, ``thủ đô``, ``thành phố``; ``in``,
``at``, ``near``) that holds no known name is *unknown*. Both are kept without a point and
reported by the build, with file:line. Shared last words are read for both names ("Trung và
Hạ Lào" is Trung Lào and Hạ Lào; the first is written as the whole phrase, "Trung" being no
name of its own).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate

from anyascii import anyascii

from laovn_map import catalog
from laovn_map.build.gazetteer import (
    LAO_FROM_ISO_CODES,
    NAME_FIELDS,
    City,
    LocalName,
    ProvinceMatch,
    city_lao_name,
    lao_or_as_written,
    lao_script_names,
    vietnamese_name,
)
from laovn_map.build.seeds import SeedText
from laovn_map.build.sources import Alias, PlaceAlias, Province, TextName
from laovn_map.catalog import COUNTRIES, PARTIES

CITY, PROVINCE, REGION = "city", "province", "region"
#: What a mention is: a place with a point, a region (its provinces' points, if a dataset gives
#: them), or a name that could not be placed.
PLACED, REGIONAL, AMBIGUOUS, UNKNOWN = "placed", "region", "ambiguous", "unknown"


@dataclass(frozen=True)
class Place:
    """A place a name can mean: a GeoNames city or a Natural Earth province (with its point),
    or a region (no point of its own)."""

    id: str  # "geonames-<id>", "ne-<adm1_code>", "region-<name>"
    kind: str  # city, province or region
    name: str  # the dataset's English name
    country: str  # VN, LA or "" (a region may span both)
    dataset: str  # catalog key of the dataset that holds it
    dataset_id: str  # its id there: GeoNames id, Natural Earth adm1_code, the table's line
    lon: float | None = None
    lat: float | None = None
    iso_3166_2: str = ""  # provinces
    name_vi: str = ""  # its Vietnamese name, where the dataset or the alias table gives one
    name_lo: str = ""  # its Lao-script name, where a catalogue gives one
    name_lo_rule: str = ""  # where that name comes from (`gazetteer.LAO_FROM_*`)


@dataclass(frozen=True)
class PlaceMention:
    """A name of a sentence and what it was found to be.

    ``places`` are the points it gives (one for a city or province; a region's provinces) or,
    when ambiguous, the candidates (no point is made of them).
    """

    written: str
    status: str  # PLACED, REGIONAL, AMBIGUOUS or UNKNOWN
    places: tuple[Place, ...]
    rule: str
    region: Place | None = None
    at: int = dataclasses.field(default=0, compare=False)  # where the name starts in its sentence
    #: whether the statement's date is this place's (see laovn_map.build.events), and why
    dated: bool = True
    date_rule: str = ""

    @property
    def points(self) -> tuple[Place, ...]:
        """The places a map point is made for."""
        return self.places if self.status in (PLACED, REGIONAL) else ()


@dataclass(frozen=True)
class _Entry:
    """One known form: what it names (one place, or several = ambiguous) and the rule."""

    places: tuple[Place, ...]
    rule: str
    tier: int
    region: Place | None = None


#: Tiers, tried in this order (provinces before cities after a province word). A country or a
#: name the names table says is no place (a person) is known so as to be passed over.
_NOT_A_PLACE, _ALIAS, _REGION, _CITY, _PROVINCE, _COUNTRY = range(6)
_PROVINCE_FIRST = (_NOT_A_PLACE, _ALIAS, _REGION, _PROVINCE, _CITY, _COUNTRY)
_CITY_FIRST = (_NOT_A_PLACE, _ALIAS, _REGION, _CITY, _PROVINCE, _COUNTRY)
_PASSED_OVER = (_NOT_A_PLACE, _COUNTRY)

#: Vietnamese tone marks (decomposed): grave, acute, tilde, hook above, dot below.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


_SEPARATORS = re.compile(r"[\s\-‐‑–—'’.]+")
_QUALIFIER = re.compile(r"\[[^\]]*\]")


@lru_cache(maxsize=1 << 14)
def name_key(form: str) -> str:
    """The key a written form is matched by: casefolded, NFC, without spaces, hyphens,
    apostrophes, dots or a bracketed qualifier, each word's tone mark moved to its end."""
    if form.isascii():
        return _SEPARATORS.sub("", _QUALIFIER.sub(" ", form).casefold())
    text = _QUALIFIER.sub(" ", unicodedata.normalize("NFD", form).casefold())
    words = []
    for word in _SEPARATORS.split(text):
        tones = "".join(sorted(ch for ch in word if ch in _TONES))
        words.append("".join(ch for ch in word if ch not in _TONES) + tones)
    return unicodedata.normalize("NFC", "".join(words))


@lru_cache(maxsize=1 << 14)
def plain_key(form: str) -> str:
    """The key without diacritics (``Hà Nội`` → ``hanoi``)."""
    return re.sub(r"[^a-z0-9]", "", anyascii(name_key(form)).lower())


class Vocabulary:
    """Every known form, by :func:`name_key` and (for forms written without diacritics) by
    :func:`plain_key`; a form known to one tier for several places is ambiguous there.

    *name_vi* gives a place its Vietnamese name when a mention finds it, *name_lo* its Lao-script
    name (asked once per place: only a few of the region's cities are named, and the rules read
    every alternate name).
    """

    def __init__(self, name_vi: Callable[[Place], str] = lambda place: place.name_vi,
                 name_lo: Callable[[Place], LocalName] = lambda place: LocalName(
                     place.name_lo, place.name_lo_rule)) -> None:
        self._exact: dict[str, dict[int, _Entry]] = {}
        self._plain: dict[str, dict[int, _Entry]] = {}
        self._passed_over: dict[str, _Entry] = {}  # by name_key and plain_key
        self._name_vi = name_vi
        self._name_lo = name_lo
        self._named: dict[Place, Place] = {}
        self.max_words = 1
        self._proper: list[str] = []
        self._proper_pattern: re.Pattern[str] | None = None

    def add_proper_name(self, name: str) -> None:
        """Know *name* as a proper name whose words are never read as places."""
        if name.strip():
            self._proper.append(name)
            self._proper_pattern = None

    def proper_names(self, sentence: str) -> list[tuple[int, int]]:
        """Where the proper names of the table are written in *sentence*: one search of one
        pattern (the longest name first at each position)."""
        if not self._proper:
            return []
        if self._proper_pattern is None:
            forms = sorted({unicodedata.normalize("NFC", n) for n in self._proper},
                           key=lambda n: (-len(n), n))
            self._proper_pattern = re.compile(r"(?<!\w)(?:" + "|".join(
                re.escape(n).replace(r"\ ", r"\s+") for n in forms) + r")(?!\w)", re.IGNORECASE)
        return [m.span() for m in self._proper_pattern.finditer(sentence)]

    def named(self, place: Place) -> Place:
        """*place* with its Vietnamese and Lao names."""
        if place not in self._named:
            lao = self._name_lo(place)
            self._named[place] = replace(place, name_vi=self._name_vi(place), name_lo=lao.name,
                                         name_lo_rule=lao.rule)
        return self._named[place]

    def add(self, form: str, place: Place | None, rule: str, tier: int,
            region: Place | None = None) -> None:
        """Know *form* as *place* (None: a country, which is no place) in *tier*."""
        key = name_key(form)
        if not key:
            return
        self.max_words = max(self.max_words, form.count(" ") + 1)
        if tier in _PASSED_OVER:
            for index_key in (key, plain_key(form)):
                known_passed = self._passed_over.get(index_key)
                if known_passed is None or known_passed.tier > tier:
                    self._passed_over[index_key] = _Entry((), rule, tier)
            return
        for index, index_key in ((self._exact, key), (self._plain, plain_key(form))):
            entries = index.setdefault(index_key, {})
            known = entries.get(tier)
            places = (place,) if place else ()
            if known is None:
                entries[tier] = _Entry(places, rule, tier, region)
            elif place and place not in known.places:
                entries[tier] = _Entry((*known.places, place), known.rule, tier, known.region)

    def lookup(self, form: str, order: Sequence[int]) -> _Entry | None:
        """The entry of *form* in the first tier of *order* that knows it."""
        key = name_key(form)
        found = dict(self._exact.get(key, {}))
        passed = self._passed_over.get(key)
        if form.isascii():
            plain = plain_key(form)
            for tier, entry in self._plain.get(plain, {}).items():
                found.setdefault(tier, entry)
            passed = passed or self._passed_over.get(plain)
        if passed is not None:
            found.setdefault(passed.tier, passed)
        chosen = next((found[tier] for tier in order if tier in found), None)
        if chosen is None:
            return None
        return replace(chosen, places=tuple(self.named(p) for p in chosen.places))


def city_place(city: City) -> Place:
    return Place(f"geonames-{city.geonames_id}", CITY, city.name, city.country, catalog.GEONAMES.key,
                 str(city.geonames_id), city.lon, city.lat)


def province_place(province: Province) -> Place:
    """A province at Natural Earth's label point (its ``longitude``/``latitude``)."""
    props = province.properties
    lon, lat = props.get("longitude"), props.get("latitude")
    return Place(f"ne-{province.adm1_code}", PROVINCE, str(props.get("name_en") or props.get("name")),
                 province.country or "", catalog.NE_ADMIN1.key, province.adm1_code,
                 float(lon) if isinstance(lon, int | float) else None,
                 float(lat) if isinstance(lat, int | float) else None, province.iso_3166_2,
                 str(props.get("name_vi") or ""))


#: Latin letters and their marks: an alternate name in another script is never the same name
#: as the texts (in Latin script) write it.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f ,.'’()-]+")


def _same_name(city: City) -> list[tuple[str, str]]:
    """(form, rule) of a city: its name, and its alternate names that are the same name."""
    key = plain_key(city.name)
    alternates = sorted({a for a in city.alternate_names if a != city.name and _LATIN.fullmatch(a)
                         and plain_key(a) == key})
    return [(city.name, "geonames:name"), *((a, "geonames:alternate") for a in alternates)]


def _province_names(province: Province) -> list[tuple[str, str]]:
    props = province.properties
    out = []
    for field in NAME_FIELDS:
        value = props.get(field)
        if isinstance(value, str):
            out += [(part.strip(), f"ne:{field}") for part in value.split("|") if part.strip()]
    return out


def country_names() -> list[str]:
    """Names of countries: the parties' spellings, and every country's English names with their
    Vietnamese translations from the iso-codes database (pycountry)."""
    import gettext

    import pycountry  # imported here: only the build needs it

    vi = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    names = {spelling for country in COUNTRIES.values() for spelling in country.spellings}
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value:
                names |= {value, vi.gettext(value)}
    return sorted(names)


def _province_lao_name(place: Place) -> LocalName | None:
    """iso-codes' Lao-script name of a province place, by its ISO 3166-2 code."""
    lao = lao_script_names([place.iso_3166_2]).get(place.iso_3166_2)
    return LocalName(lao, f"{LAO_FROM_ISO_CODES} {place.iso_3166_2}") if lao else None


def region_provinces(region: TextName, provinces: Iterable[Province]) -> tuple[Place, ...]:
    """The provinces a dataset puts in *region*: Natural Earth's ``region`` field equal to the
    region's English name (none for Laos in this edition, whose field is empty)."""
    key = plain_key(region.region)
    return tuple(province_place(p) for p in provinces if p.country in PARTIES
                 and isinstance(p.properties.get("region"), str)
                 and plain_key(p.properties["region"]) == key)


def vocabulary(cities: Iterable[City], provinces: Sequence[Province], aliases: Sequence[Alias],
               place_aliases: Sequence[PlaceAlias], names: Iterable[TextName],
               countries: Iterable[str], vietnamese: SeedText | None = None,
               border: Iterable[ProvinceMatch] = ()) -> Vocabulary:
    """The known forms of the region: see the module's docstring for the tiers; *border* are
    the border provinces as the text's list names them (``Hủa-phăn``), known like aliases. A city's
    Vietnamese name is the missions' (:func:`laovn_map.build.gazetteer.vietnamese_name`, the
    alias rows attested in the *vietnamese* text).

    An alias row naming a city or province that the datasets do not hold is left out of the
    vocabulary (the table is checked by the tests against the installed datasets).
    """
    party_cities = [c for c in cities if c.country in PARTIES]
    by_id = {c.geonames_id: c for c in party_cities}
    text = vietnamese or SeedText("", ())

    def name_vi(place: Place) -> str:
        if place.kind != CITY:
            return place.name_vi
        local = vietnamese_name(by_id[int(place.dataset_id)], place_aliases, text)
        return local.name if local else ""

    def name_lo(place: Place) -> LocalName:
        lao = (city_lao_name(by_id[int(place.dataset_id)]) if place.kind == CITY else
               _province_lao_name(place) if place.kind == PROVINCE else None)
        return lao_or_as_written(lao, f"{place.dataset} {place.dataset_id}")

    vocab = Vocabulary(name_vi, name_lo)

    party_provinces = [p for p in provinces if p.country in PARTIES]
    by_code = {p.adm1_code: p for p in party_provinces}
    for place_alias in place_aliases:
        if place_alias.geonames_id in by_id:
            vocab.add(place_alias.alias, city_place(by_id[place_alias.geonames_id]),
                      f"alias {place_alias.where}", _ALIAS)
    for alias in aliases:
        if alias.adm1_code in by_code:
            vocab.add(alias.alias, province_place(by_code[alias.adm1_code]),
                      f"alias {catalog.ALIASES.path}:{alias.line}", _ALIAS)
    for match in border:
        if match.feature.adm1_code in by_code:
            where = f"{match.mention.provenance.file}:{match.mention.provenance.line}"
            vocab.add(match.mention.name, province_place(by_code[match.feature.adm1_code]),
                      f"border list {where}", _ALIAS)
    for row in names:
        if row.kind == "proper_name":
            vocab.add_proper_name(row.name)
            continue
        if row.kind != "region":
            vocab.add(row.name, None, f"not a place {row.where}", _NOT_A_PLACE)
            continue
        area = Place(f"region-{plain_key(row.region)}", REGION, row.region, "",
                     catalog.TEXT_NAMES.key, row.where)
        members = region_provinces(row, party_provinces)
        for member in members or (None,):
            vocab.add(row.name, member, f"region {row.where}", _REGION, area)
    for city in party_cities:
        place = city_place(city)
        for form, rule in _same_name(city):
            vocab.add(form, place, rule, _CITY)
    for province in party_provinces:
        place = province_place(province)
        for form, rule in _province_names(province):
            vocab.add(form, place, rule, _PROVINCE)
    for name in countries:
        vocab.add(name, None, "country", _COUNTRY)
    return vocab


#: A word of a name: starts with an upper-case letter; hyphens and apostrophes join its parts.
_WORD = re.compile(r"[^\W\d_][\w]*(?:['’\-‐‑][\w]+)*")
#: Words after which the name that follows is a place (Vietnamese, English). They are found
#: once per sentence and their ends kept: searching the text before each name for one that ends
#: it read the sentence once per name (quadratic).
_CUE_WORDS = re.compile(r"(?:^|(?<=\W))(?:tại|ở|sân\s+bay|tỉnh|thủ\s+đô|thành\s+phố|in|at|near)",
                        re.IGNORECASE)
_PROVINCE_WORD = re.compile(r"(?:^|(?<=\W))tỉnh", re.IGNORECASE)
_PROVINCE_AFTER = re.compile(r"\s+province\b", re.IGNORECASE)  # matched at a name's end


@dataclass(frozen=True)
class _CueEnds:
    """Where the cue words of one sentence end: any place cue, and "tỉnh" (province)."""

    place: frozenset[int]
    province: frozenset[int]

    @classmethod
    def of(cls, sentence: str) -> _CueEnds:
        return cls(frozenset(m.end() for m in _CUE_WORDS.finditer(sentence)),
                   frozenset(m.end() for m in _PROVINCE_WORD.finditer(sentence)))


def _follows_cue(sentence: str, position: int, ends: frozenset[int]) -> bool:
    """Whether a cue word of *ends*, then one or more spaces, come right before *position*."""
    word_end = position
    while word_end > 0 and sentence[word_end - 1].isspace():
        word_end -= 1
    return word_end < position and word_end in ends


def _skipped(skip: Sequence[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a position is inside one of the *skip* spans: a binary search on the spans by
    start, with the furthest end so far (a scan of every span per word was quadratic)."""
    spans = sorted(skip)
    starts = [a for a, _ in spans]
    furthest = list(accumulate((b for _, b in spans), max))

    def inside(position: int) -> bool:
        index = bisect_right(starts, position) - 1
        return index >= 0 and position < furthest[index]
    return inside


def _runs(sentence: str, skip: Sequence[tuple[int, int]]) -> list[list[re.Match[str]]]:
    """Runs of capitalised words separated by single spaces, outside the *skip* spans."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    skipped = _skipped(skip)
    for word in _WORD.finditer(sentence):
        capital = word.group()[0].isupper() and not skipped(word.start())
        if capital and current and sentence[current[-1].end():word.start()] == " ":
            current.append(word)
            continue
        if current:
            runs.append(current)
        current = [word] if capital else []
    if current:
        runs.append(current)
    return runs


_AND = re.compile(r"\s+(?:và|and)\s+", re.IGNORECASE)


def find_places(sentence: str, vocab: Vocabulary,
                skip: Sequence[tuple[int, int]] = ()) -> tuple[PlaceMention, ...]:
    """The names of *sentence* that the vocabulary knows, and the unknown or ambiguous ones
    after a word of place; *skip* are spans not to read (its dates: ``In July 1977``)."""
    mentions: list[PlaceMention] = []
    runs = _runs(sentence, [*skip, *vocab.proper_names(sentence)])
    ends = _CueEnds.of(sentence)
    for index, run in enumerate(runs):
        cue = _follows_cue(sentence, run[0].start(), ends.place)
        if _CUE_WORDS.fullmatch(run[0].group()):  # a capitalised "In", "Tại" opening a sentence
            run, cue = run[1:], True
        found = _known_names(sentence, run, vocab, ends)
        if not found and run and index + 1 < len(runs):
            found = _elided(sentence, run, runs[index + 1], vocab, ends)
        mentions += [m for m in found if m is not None]
        if cue and run and not found:
            mentions.append(PlaceMention(sentence[run[0].start():run[-1].end()], UNKNOWN, (),
                                         "unknown", at=run[0].start()))
    return tuple(_unique(mentions))


def _order(sentence: str, first: re.Match[str], last: re.Match[str],
           ends: _CueEnds) -> tuple[int, ...]:
    province = (_follows_cue(sentence, first.start(), ends.province)
                or _PROVINCE_AFTER.match(sentence, last.end()))
    return _PROVINCE_FIRST if province else _CITY_FIRST


def _known_names(sentence: str, run: Sequence[re.Match[str]],
                 vocab: Vocabulary, ends: _CueEnds) -> list[PlaceMention | None]:
    """The known names of a run, longest first from the left (None for a country)."""
    found: list[PlaceMention | None] = []
    start = 0
    while start < len(run):
        for size in range(min(vocab.max_words, len(run) - start), 0, -1):
            words = run[start:start + size]
            written = sentence[words[0].start():words[-1].end()]
            entry = vocab.lookup(written, _order(sentence, words[0], words[-1], ends))
            if entry is not None:
                found.append(None if entry.tier in _PASSED_OVER
                             else _mention(written, entry, words[0].start()))
                start += size
                break
        else:
            start += 1
    return found


def _elided(sentence: str, run: Sequence[re.Match[str]], following: Sequence[re.Match[str]],
            vocab: Vocabulary, ends: _CueEnds) -> list[PlaceMention | None]:
    """A name whose last words are shared with the next one ("Trung và Hạ Lào" = Trung Lào
    and Hạ Lào; "Upper and Lower Laos"), or nothing."""
    between = sentence[run[-1].end():following[0].start()]
    if len(following) < 2 or not _AND.fullmatch(between):
        return []
    written = sentence[run[0].start():run[-1].end()]
    tail = sentence[following[1].start():following[-1].end()]
    entry = vocab.lookup(f"{written} {tail}", _order(sentence, run[0], run[-1], ends))
    if entry is None or entry.tier in _PASSED_OVER:
        return []
    phrase = sentence[run[0].start():following[-1].end()]
    mention = _mention(phrase, entry, run[0].start())
    return [replace(mention, rule=f"{mention.rule} (\"{written} … {tail}\")")]


def _mention(written: str, entry: _Entry, at: int) -> PlaceMention:
    if entry.tier == _REGION:
        return PlaceMention(written, REGIONAL, entry.places, entry.rule, entry.region, at)
    if len(entry.places) > 1:
        return PlaceMention(written, AMBIGUOUS, entry.places, entry.rule, at=at)
    return PlaceMention(written, PLACED, entry.places, entry.rule, at=at)


def _unique(mentions: Iterable[PlaceMention]) -> list[PlaceMention]:
    """Each written name once per sentence (a sentence that names Hà Nội twice has one place)."""
    seen: dict[str, PlaceMention] = {}
    for mention in mentions:
        seen.setdefault(mention.written, mention)
    return list(seen.values())


def problem_text(mention: PlaceMention) -> str:
    """Why a mention has no point, for the build's report ('' when it has its point(s))."""
    if mention.status == UNKNOWN:
        return ("is a place no dataset or table of the build knows (GeoNames cities, Natural "
                "Earth provinces, geo/sources/place_aliases.csv, aliases.csv, names.csv)")
    if mention.status == AMBIGUOUS:
        listed = ", ".join(f"{p.name} ({p.dataset} {p.dataset_id})" for p in mention.places)
        return f"names several places equally ({listed}); add the intended one to an alias table"
    return ""
