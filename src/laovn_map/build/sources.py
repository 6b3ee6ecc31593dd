"""Read the open datasets of ``geo/sources/`` (registered in ``catalog``) into typed records, once.

Each file is read once: its bytes are hashed for the manifest and parsed into records whose
geometry is already shapely (national polygons repaired here, once). Anything missing or
malformed is a :class:`SourceError` naming the file (and the feature or line) and the fix.
Known quirks of Natural Earth are fixed here, once, in :data:`NATURAL_EARTH_FIXES`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from laovn_map.build import border, geojson
from laovn_map.build.areas import DIVISION_2025, DIVISION_BEFORE
from laovn_map.catalog import (
    ALIASES,
    COUNTRIES,
    MISSION_RANK_SOURCES,
    MISSION_RANKS,
    NE_ADMIN1,
    NE_CONTEXT,
    NE_COUNTRIES,
    OFFICIAL_AREAS,
    OFFICIAL_LENGTHS,
    OSM_LAND,
    PARTIES,
    PLACE_ALIASES,
    STATEMENT_FEATURES,
    TEXT_NAMES,
    VN_ADMIN_2025,
    Dataset,
)
from laovn_map.errors import LaovnMapError, SourceError
from laovn_map.i18n import DEFAULT_LANG, LANGUAGES

#: Natural Earth 1:10m admin-1 quirks, fixed before matching (see geo/sources/SOURCES.md).
#: (adm1_code, property, corrected value, why)
NATURAL_EARTH_FIXES: tuple[tuple[str, str, str, str], ...] = (
    # Vientiane Prefecture and Vientiane Province share LA-VI; ISO 3166-2 gives the prefecture LA-VT.
    ("LAO-3283", "iso_3166_2", "LA-VT", "ISO 3166-2:LA code of Vientiane Prefecture"),
    # Three Vietnamese features carry a region's name; their gn_name gives the province.
    ("VNM-497", "name", "Đồng Nai", "feature named after the South East region"),
    ("VNM-451", "name", "Bắc Kạn", "feature named after the North East region"),
    ("VNM-461", "name", "Hưng Yên", "feature named after the Red River Delta"),
    # NE's `name` for Quảng Nam carries a wrong tone mark ("Quàng Nam").
    ("VNM-487", "name", "Quảng Nam", "typo in the dataset's local name"),
)
# Xaisomboun province (LA-XS) is absent from this Natural Earth edition; it does not border
# Vietnam, so the map is not affected, but a name matching it would fail with a clear error.

_A3_TO_CODE = {COUNTRIES[code].alpha3: code for code in PARTIES}


@dataclass(frozen=True)
class SourceFile:
    """A dataset file as the build read it: where, which dataset, the SHA-256 of its bytes."""

    dataset: Dataset
    path: str  # "<sources folder name>/<dataset path>", the same whatever the absolute path
    sha256: str


@dataclass(frozen=True)
class Province:
    """A Natural Earth admin-1 feature: its identifiers, its name fields and its polygon.

    ``properties`` are the dataset's own (with :data:`NATURAL_EARTH_FIXES` applied): the
    gazetteer matches on its name fields and the layers quote some of them.
    """

    adm1_code: str
    iso_3166_2: str
    adm0_a3: str
    properties: Mapping[str, Any]
    geometry: BaseGeometry

    @property
    def country(self) -> str | None:
        """``VN`` or ``LA`` for the two parties, None for any other country."""
        return _A3_TO_CODE.get(self.adm0_a3)


@dataclass(frozen=True)
class Outline:
    """A national outline of the base map (Natural Earth), repaired."""

    alpha3: str
    alpha2: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Alias:
    """A row of the alias table: a spelling the dataset lacks, and the feature it names."""

    country: str
    alias: str
    adm1_code: str
    note: str
    line: int


@dataclass(frozen=True)
class PlaceAlias:
    """A row of the place alias table: a place's name in a language GeoNames lacks it in.

    ``where`` is the table's file:line, the provenance of the name.
    """

    alias: str
    language: str
    geonames_id: int
    note: str
    where: str


@dataclass(frozen=True)
class TextName:
    """A row of the names table: a name a text uses that the datasets do not resolve, and what
    it is (``kind``): a region (``region``, its English name, e.g. "Upper Laos"), not a
    place in these texts (``not_a_place``: a person a dataset names a place after), or a proper
    name holding a place's name (``proper_name``: "Đảng Cộng sản Đông Dương"), none of whose
    words is a place.

    ``where`` is the table's file:line.
    """

    name: str
    language: str
    kind: str
    region: str
    note: str
    where: str


#: The kinds of row of the names table.
NAME_KINDS = ("region", "not_a_place", "proper_name")


@dataclass(frozen=True)
class StatementRule:
    """A row of the statement features table: a statement of the text in ``language`` whose
    sentence holds one of ``triggers`` (words, compared without case) is about the map
    features ``features`` (their ids: ``border``, a province's ISO 3166-2 code …).

    ``where`` is the table's file:line, shown with the statement as the rule that chose them.
    """

    triggers: tuple[str, ...]
    language: str
    features: tuple[str, ...]
    note: str
    where: str


@dataclass(frozen=True)
class Words:
    """A table's words in every language of `i18n.LANGUAGES`: a column in English and its twin
    per language beside it (``note``, ``note_vi``, ``note_lo``); "" where a row leaves a twin
    empty, so that a page in that language says the English is all there is."""

    by_language: tuple[tuple[str, str], ...]

    def __call__(self, lang: str) -> str:
        return dict(self.by_language).get(lang, "")

    @property
    def english(self) -> str:
        return self(DEFAULT_LANG)

    @classmethod
    def of(cls, english: str, **translations: str) -> Words:
        """Words from their English and the translations given (by language code)."""
        return cls(tuple({DEFAULT_LANG: english, **translations}.items()))


def twin_columns(column: str) -> tuple[str, ...]:
    """The columns of `column`'s translations (``note_vi``, ``note_lo``): optional in a table."""
    return tuple(f"{column}{lang.field_suffix}" for lang in LANGUAGES.values() if lang.field_suffix)


def _words(row: Mapping[str, str], column: str) -> Words:
    return Words(tuple((code, row.get(f"{column}{lang.field_suffix}", ""))
                       for code, lang in LANGUAGES.items()))


@dataclass(frozen=True)
class OfficialLength:
    """A published length of the border: the whole (``total``), a Vietnamese province's
    (``province``) or a province pair's (``pair``), with what the table says of it."""

    scope: str
    code: str  # ISO 3166-2 of the Vietnamese province (pre-2025), or VN-LA for the total
    partner: str  # the Lao province of a pair, or its only partner; "" otherwise
    length_km: float
    part: str  # all, land or river
    year: int | None
    basis: Words
    confidence: str
    source: Words  # translated where the source has words, not only names
    where: str  # its row: file (in the sources folder):line


#: The values the official table's closed columns may take.
OFFICIAL_SCOPES = ("total", "province", "pair")
OFFICIAL_PARTS = ("all", "land", "river")
OFFICIAL_CONFIDENCE = ("high", "medium", "low")


@dataclass(frozen=True)
class OfficialArea:
    """The area of a Vietnamese province (``2025`` or ``pre-2025`` division, by national code) in
    ``official/province_areas.csv``; None where the table gives its reason instead."""

    division: str
    code: str
    name: str
    area_km2: float | None
    year: int
    basis: str
    package: str
    source: str
    where: str  # its row: file (in the sources folder):line


#: The divisions of the official areas' table (build.areas writes them).
AREA_DIVISIONS = (DIVISION_2025, DIVISION_BEFORE)


@dataclass(frozen=True)
class MissionRank:
    """The rank a published source gives one mission of the text (by its sending country and
    its city as the English text writes it), with the source: its title, publisher, address,
    date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and the phrase that names the mission so."""

    sending_country: str
    city: str
    rank: str
    title: str
    publisher: Words
    url: str
    date: str
    phrase: str
    where: str  # its row: file (in the sources folder):line


@dataclass(frozen=True)
class AdminChange:
    """A resolution behind the 2025 provinces: when it took force and whom it concerns
    (``merged``: every unit made of several provinces; else one unit's national code)."""

    resolution: str
    in_force: str  # ISO date
    operating_from: str  # ISO date
    applies_to: str
    note: Words
    where: str


@dataclass(frozen=True)
class Sources:
    """Everything the build takes from geo/sources/, each file read once."""

    provinces: tuple[Province, ...]
    osm_land: dict[str, BaseGeometry]  # repaired OSM land polygon of each party, by alpha-3
    outlines: tuple[Outline, ...]  # NE national outlines (neighbours and context), by alpha-3
    aliases: tuple[Alias, ...]
    place_aliases: tuple[PlaceAlias, ...]
    official: tuple[OfficialLength, ...]
    admin_changes: tuple[AdminChange, ...]
    files: tuple[SourceFile, ...]
    names: tuple[TextName, ...] = ()
    areas: tuple[OfficialArea, ...] = ()
    ranks: tuple[MissionRank, ...] = ()
    statement_rules: tuple[StatementRule, ...] = ()


def _path(folder: Path, dataset: Dataset) -> Path:
    if dataset.path is None:
        msg = f"Dataset {dataset.key} has no file in the sources folder."
        raise SourceError(msg)
    return folder / dataset.path


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        msg = f"Source {path} is missing; copy it from the raw extracts (see geo/sources/SOURCES.md)."
        raise SourceError(msg) from None
    except OSError as exc:
        msg = f"Source {path} cannot be read ({exc.strerror}); check the file and its permissions."
        raise SourceError(msg) from None


def _geojson_features(path: Path, data: bytes) -> list[dict[str, Any]]:
    try:
        parsed = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        msg = f"Source {path} is not UTF-8 (byte {exc.start}); restore it from the raw extracts."
        raise SourceError(msg) from None
    except json.JSONDecodeError as exc:
        msg = (f"Source {path}:{exc.lineno} is not valid GeoJSON ({exc.msg}); restore it from the "
               "raw extracts.")
        raise SourceError(msg) from None
    features = parsed.get("features") if isinstance(parsed, dict) else None
    if not isinstance(features, list) or not features:
        msg = f"Source {path} holds no features; restore it from the raw extracts."
        raise SourceError(msg)
    for index, feature in enumerate(features):
        if not (isinstance(feature, dict) and isinstance(feature.get("properties"), dict)
                and isinstance(feature.get("geometry"), dict)):
            msg = f"Source {path} feature #{index} has no properties or geometry object."
            raise SourceError(msg)
    return features


def _property(path: Path, index: int, feature: Mapping[str, Any], key: str) -> str:
    value = feature["properties"].get(key)
    if not isinstance(value, str) or not value:
        msg = f"Source {path} feature #{index} lacks the text property {key!r} the build needs."
        raise SourceError(msg)
    return value


def polygon_shape(geometry: Mapping[str, Any]) -> BaseGeometry:
    """``shapely.geometry.shape`` of a GeoJSON geometry, its rings passed as arrays.

    Why: given lists, shapely converts every coordinate pair in Python; given float arrays,
    the same constructors take them as they are. The coordinates are the same doubles
    either way.
    """
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    try:
        if kind == "Polygon" and isinstance(coords, list):
            return shape({"type": kind, "coordinates": [np.asarray(r, dtype=np.float64) for r in coords]})
        if kind == "MultiPolygon" and isinstance(coords, list):
            return shape({"type": kind, "coordinates": [[np.asarray(r, dtype=np.float64) for r in p]
                                                        for p in coords]})
    except (TypeError, ValueError):  # ragged or not numbers: shape() judges the original
        pass
    return shape(geometry)


def _geometry(path: Path, index: int, feature: Mapping[str, Any],
              finish: Callable[[BaseGeometry], BaseGeometry] = lambda g: g) -> BaseGeometry:
    try:
        return finish(polygon_shape(feature["geometry"]))
    except (GEOSException, TypeError, ValueError, AttributeError, LaovnMapError) as exc:
        msg = f"Source {path} feature #{index} has an unusable geometry ({exc})."
        raise SourceError(msg) from None


def _fixed(properties: Mapping[str, Any]) -> dict[str, Any]:
    fixes = {(code, prop): value for code, prop, value, _why in NATURAL_EARTH_FIXES}
    props = dict(properties)
    for prop in ("iso_3166_2", "name"):
        if (props.get("adm1_code"), prop) in fixes:
            props[prop] = fixes[(props["adm1_code"], prop)]
    return props


def read_provinces(path: Path, data: bytes) -> tuple[Province, ...]:
    """Natural Earth admin-1 features with :data:`NATURAL_EARTH_FIXES` applied."""
    out = []
    for index, feature in enumerate(_geojson_features(path, data)):
        for key in ("adm1_code", "iso_3166_2", "adm0_a3"):
            _property(path, index, feature, key)
        props = _fixed(feature["properties"])
        out.append(Province(props["adm1_code"], props["iso_3166_2"], props["adm0_a3"], props,
                            _geometry(path, index, feature)))
    return tuple(out)


def read_party_polygons(path: Path, data: bytes, key: str) -> dict[str, BaseGeometry]:
    """The repaired polygon of each party by alpha-3 (the last one if repeated), all present.

    The two repairs run in threads: GEOS releases the GIL, and the OSM polygons are large.
    """
    features: dict[str, tuple[int, dict[str, Any]]] = {}
    for index, feature in enumerate(_geojson_features(path, data)):
        a3 = feature["properties"].get(key)
        if a3 in _A3_TO_CODE:
            features[a3] = (index, feature)
    missing = sorted(set(_A3_TO_CODE) - set(features))
    if missing:
        msg = f"Source {path} lacks the national polygon of {', '.join(missing)} (property {key!r})."
        raise SourceError(msg)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="repair") as pool:
        repaired = {a3: pool.submit(_geometry, path, index, feature, border.repair)
                    for a3, (index, feature) in sorted(features.items())}
        return {a3: future.result() for a3, future in repaired.items()}


def read_outlines(path: Path, data: bytes) -> list[Outline]:
    """The national outlines of one file, repaired."""
    out = []
    for index, feature in enumerate(_geojson_features(path, data)):
        out.append(Outline(_property(path, index, feature, "country_a3"),
                           _property(path, index, feature, "country_a2"),
                           _geometry(path, index, feature, border.repair)))
    return out


def _csv_rows(path: Path, data: bytes, required: Sequence[str],
              optional: Sequence[str] = ("note",)) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, values by column) of each row of a UTF-8 CSV table with a header: every
    *required* column non-empty, *optional* ones "" when absent, no column beyond them.
    Any fault is a SourceError naming file:line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = f"{path}:{line} is not valid UTF-8; re-save the table as UTF-8."
        raise SourceError(msg) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            values = {column: (row.get(column) or "").strip() for column in (*required, *optional)}
            if not all(values[column] for column in required) or None in row:
                msg = (f"{path}:{reader.line_num} needs the columns {', '.join(required)} (and "
                       f"optionally {', '.join(optional)}).")
                raise SourceError(msg)
            yield reader.line_num, values
    except csv.Error as exc:
        msg = f"{path}:{reader.line_num} is not valid CSV ({exc})."
        raise SourceError(msg) from None


def _party(path: Path, line: int, country: str) -> str:
    if country not in COUNTRIES:
        msg = f"{path}:{line} names the country {country!r}; expected one of {', '.join(PARTIES)}."
        raise SourceError(msg)
    return country


def read_aliases(path: Path, data: bytes) -> tuple[Alias, ...]:
    """The province alias table (``country,alias,adm1_code,note``); line numbers as in the file."""
    return tuple(Alias(_party(path, line, row["country"]), row["alias"], row["adm1_code"],
                       row["note"], line)
                 for line, row in _csv_rows(path, data, ("country", "alias", "adm1_code")))


def read_place_aliases(path: Path, data: bytes) -> tuple[PlaceAlias, ...]:
    """The place alias table (``alias,language,geonames_id,note``)."""
    rows = []
    for line, row in _csv_rows(path, data, ("alias", "language", "geonames_id")):
        if not row["geonames_id"].isdigit():
            msg = f"{path}:{line} has the GeoNames id {row['geonames_id']!r}; expected a whole number."
            raise SourceError(msg)
        rows.append(PlaceAlias(row["alias"], row["language"], int(row["geonames_id"]), row["note"],
                               f"{path.name}:{line}"))
    return tuple(rows)


def read_names(path: Path, data: bytes) -> tuple[TextName, ...]:
    """The names table (``name,language,kind,region,note``; ``region`` for regions only)."""
    rows = []
    for line, row in _csv_rows(path, data, ("name", "language", "kind"), ("region", "note")):
        for column, allowed in (("language", ("en", "vi")), ("kind", NAME_KINDS)):
            if row[column] not in allowed:
                msg = f"{path}:{line} has {column} {row[column]!r}; expected one of {', '.join(allowed)}."
                raise SourceError(msg)
        if (row["kind"] == "region") != bool(row["region"]):
            msg = f"{path}:{line} needs a region (its English name) for a region, and only then."
            raise SourceError(msg)
        rows.append(TextName(row["name"], row["language"], row["kind"], row["region"], row["note"],
                             f"{path.name}:{line}"))
    return tuple(rows)


def read_statement_features(path: Path, data: bytes) -> tuple[StatementRule, ...]:
    """The statement features table (``triggers,language,features,note``; triggers and
    features each ``|``-separated, none empty)."""
    rows = []
    for line, row in _csv_rows(path, data, ("triggers", "language", "features")):
        if row["language"] not in ("en", "vi"):
            msg = f"{path}:{line} has language {row['language']!r}; expected one of en, vi."
            raise SourceError(msg)
        triggers = tuple(part.strip() for part in row["triggers"].split("|"))
        ids = tuple(part.strip() for part in row["features"].split("|"))
        if not all(triggers) or not all(ids):
            msg = f"{path}:{line} has an empty trigger or feature between its '|'s."
            raise SourceError(msg)
        rows.append(StatementRule(triggers, row["language"], ids, row["note"],
                                  f"{path.name}:{line}"))
    return tuple(rows)


def read_official_lengths(path: Path, data: bytes) -> tuple[OfficialLength, ...]:
    """The table of published border lengths; a malformed row is a SourceError at file:line."""
    rows = []
    required = ("scope", "code", "name", "length_km", "part", "basis", "confidence", "source")
    optional = ("partner", "year", *twin_columns("basis"), *twin_columns("source"))
    for line, row in _csv_rows(path, data, required, optional):
        for column, allowed in (("scope", OFFICIAL_SCOPES), ("part", OFFICIAL_PARTS),
                                ("confidence", OFFICIAL_CONFIDENCE)):
            if row[column] not in allowed:
                msg = f"{path}:{line} has {column} {row[column]!r}; expected one of {', '.join(allowed)}."
                raise SourceError(msg)
        try:
            length_km = float(row["length_km"])
        except ValueError:
            length_km = float("nan")
        if not 0 < length_km < 10_000:
            msg = f"{path}:{line} has the length {row['length_km']!r}; expected kilometres like 2337.459."
            raise SourceError(msg)
        year = row["year"]
        if year and not (year.isdigit() and len(year) == 4):
            msg = f"{path}:{line} has the year {year!r}; expected four digits or nothing."
            raise SourceError(msg)
        rows.append(OfficialLength(row["scope"], row["code"], row["partner"], length_km, row["part"],
                                   int(year) if year else None, _words(row, "basis"), row["confidence"],
                                   _words(row, "source"), f"{OFFICIAL_LENGTHS.path}:{line}"))
    return tuple(rows)


def read_official_areas(path: Path, data: bytes) -> tuple[OfficialArea, ...]:
    """The table of official province areas (``build.areas`` derives it); a malformed row, or a
    province given twice, is a SourceError at file:line."""
    rows: dict[tuple[str, str], OfficialArea] = {}
    for line, row in _csv_rows(path, data, ("division", "code", "name", "year", "basis", "package",
                                            "source"), ("area_km2", "communes",
                                                        "communes_without_area", "licence")):
        if row["division"] not in AREA_DIVISIONS:
            msg = (f"{path}:{line} has division {row['division']!r}; expected one of "
                   f"{', '.join(AREA_DIVISIONS)}.")
            raise SourceError(msg)
        try:
            area = float(row["area_km2"]) if row["area_km2"] else None
        except ValueError:
            area = float("nan")
        if area is not None and not 0 < area < 100_000:
            msg = f"{path}:{line} has the area {row['area_km2']!r}; expected square kilometres like 9750.79."
            raise SourceError(msg)
        if not (row["year"].isdigit() and len(row["year"]) == 4):
            msg = f"{path}:{line} has the year {row['year']!r}; expected four digits."
            raise SourceError(msg)
        key = (row["division"], row["code"])
        if key in rows:
            msg = f"{path}:{line} gives the {row['division']} province {row['code']} a second time."
            raise SourceError(msg)
        rows[key] = OfficialArea(row["division"], row["code"], row["name"], area, int(row["year"]),
                                 row["basis"], row["package"], row["source"],
                                 f"{OFFICIAL_AREAS.path}:{line}")
    return tuple(rows.values())


_DATE_FORMATS = {1: "%Y", 2: "%Y-%m", 3: "%Y-%m-%d"}


def _partial_date(path: Path, line: int, text: str) -> str:
    """*text* if it is the date of a day, a month or a year (``2023-08-14``, ``2023-08``,
    ``2023``): a press item is sometimes known only to its month."""
    parts = text.split("-")
    try:
        shaped = (len(parts[0]) == 4 and all(len(p) == 2 for p in parts[1:])
                  and bool(datetime.strptime(text, _DATE_FORMATS[len(parts)])))
    except (KeyError, ValueError):
        shaped = False
    if not shaped:
        msg = f"{path}:{line} has the date {text!r}; expected YYYY-MM-DD, YYYY-MM or YYYY."
        raise SourceError(msg)
    return text


def read_mission_ranks(path: Path, data: bytes) -> tuple[MissionRank, ...]:
    """The table of the missions' ranks; a malformed row, or a mission given twice, is a
    SourceError at file:line."""
    rows: dict[tuple[str, str], MissionRank] = {}
    for line, row in _csv_rows(path, data, ("sending_country", "city", "rank", "title", "publisher",
                                            "url", "date", "phrase"), twin_columns("publisher")):
        if row["rank"] not in MISSION_RANKS:
            msg = f"{path}:{line} has rank {row['rank']!r}; expected one of {', '.join(MISSION_RANKS)}."
            raise SourceError(msg)
        if not row["url"].startswith(("https://", "http://")):
            msg = f"{path}:{line} has the address {row['url']!r}; expected an http(s):// address."
            raise SourceError(msg)
        key = (_party(path, line, row["sending_country"]), row["city"])
        if key in rows:
            msg = f"{path}:{line} gives the mission of {key[0]} in {key[1]} a second time."
            raise SourceError(msg)
        rows[key] = MissionRank(key[0], row["city"], row["rank"], row["title"], _words(row, "publisher"),
                                row["url"], _partial_date(path, line, row["date"]), row["phrase"],
                                f"{MISSION_RANK_SOURCES.path}:{line}")
    return tuple(rows.values())


def read_admin_changes(path: Path, data: bytes) -> tuple[AdminChange, ...]:
    """The table of the resolutions behind the 2025 provinces (dates as YYYY-MM-DD)."""
    rows = []
    for line, row in _csv_rows(path, data, ("resolution", "in_force", "operating_from", "applies_to"),
                               ("note", *twin_columns("note"))):
        for column in ("in_force", "operating_from"):
            try:
                date.fromisoformat(row[column])
            except ValueError:
                msg = f"{path}:{line} has the {column} date {row[column]!r}; expected YYYY-MM-DD."
                raise SourceError(msg) from None
        rows.append(AdminChange(row["resolution"], row["in_force"], row["operating_from"],
                                row["applies_to"], _words(row, "note"),
                                f"{VN_ADMIN_2025.path}:{line}"))
    return tuple(rows)


def read_sources(folder: Path) -> Sources:
    """Read every dataset of the sources folder once (the alias and region tables are optional)."""
    files: list[SourceFile] = []

    def load(dataset: Dataset, optional: bool = False) -> tuple[Path, bytes] | None:
        path = _path(folder, dataset)
        if optional and not path.exists():
            return None
        data = _read_bytes(path)
        files.append(SourceFile(dataset, f"{folder.name}/{dataset.path}", geojson.sha256(data)))
        return path, data

    def required(dataset: Dataset) -> tuple[Path, bytes]:
        loaded = load(dataset)
        assert loaded is not None
        return loaded

    provinces = read_provinces(*required(NE_ADMIN1))
    outlines = sorted([*read_outlines(*required(NE_COUNTRIES)), *read_outlines(*required(NE_CONTEXT))],
                      key=lambda o: o.alpha3)
    osm_land = read_party_polygons(*required(OSM_LAND), "A3")
    alias_file = load(ALIASES, optional=True)
    aliases = read_aliases(*alias_file) if alias_file else ()
    place_file = load(PLACE_ALIASES, optional=True)
    places = read_place_aliases(*place_file) if place_file else ()
    names_file = load(TEXT_NAMES, optional=True)
    names = read_names(*names_file) if names_file else ()
    rules_file = load(STATEMENT_FEATURES, optional=True)
    rules = read_statement_features(*rules_file) if rules_file else ()
    official = read_official_lengths(*required(OFFICIAL_LENGTHS))
    areas = read_official_areas(*required(OFFICIAL_AREAS))
    ranks = read_mission_ranks(*required(MISSION_RANK_SOURCES))
    changes = read_admin_changes(*required(VN_ADMIN_2025))
    return Sources(provinces, osm_land, tuple(outlines), aliases, places, official, changes,
                   tuple(files), names, areas, ranks, rules)


def party_provinces(sources: Sources) -> dict[str, tuple[Province, ...]]:
    """The provinces of each party, by ``VN``/``LA``."""
    return {code: tuple(p for p in sources.provinces if p.country == code) for code in PARTIES}


def find_outline(outlines: Sequence[Outline], alpha3: str) -> Outline:
    found = [o for o in outlines if o.alpha3 == alpha3]
    if not found:
        msg = f"The national outlines ({NE_COUNTRIES.path}) lack {alpha3}."
        raise SourceError(msg)
    return found[-1]
