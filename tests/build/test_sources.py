"""Tests of laovn_map.build.sources: typed records read once from geo/sources/, and clear errors."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from laovn_map import catalog
from laovn_map.build import border, sources
from laovn_map.errors import SourceError
from laovn_map.i18n import LANGUAGES

from ..conftest import SOURCES


def _real(dataset: catalog.Dataset) -> tuple[Path, bytes]:
    assert dataset.path is not None
    path = SOURCES / dataset.path
    return path, path.read_bytes()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A private copy of geo/sources/ to break."""
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


@pytest.fixture(scope="module")
def real() -> sources.Sources:
    return sources.read_sources(SOURCES)


def test_read_sources_gives_typed_records_with_checksums(real: sources.Sources) -> None:
    assert {p.country for p in real.provinces} == {"VN", "LA"}
    assert all(isinstance(p.geometry, shapely.Polygon | shapely.MultiPolygon) for p in real.provinces)
    assert set(real.osm_land) == {"VNM", "LAO"}
    assert all(g.is_valid for g in real.osm_land.values())
    assert [o.alpha3 for o in real.outlines] == sorted(o.alpha3 for o in real.outlines)
    assert all(o.geometry.is_valid for o in real.outlines)
    assert real.aliases and real.aliases[0].line == 2
    assert real.place_aliases and real.place_aliases[0].where == "place_aliases.csv:2"
    assert real.official[0].where == "official/border_lengths.csv:2"
    assert real.official[0].length_km == 2337.459 and real.official[0].year == 2016
    for file in real.files:
        assert file.dataset.path is not None
        data = (SOURCES / file.dataset.path).read_bytes()
        assert file.sha256 == hashlib.sha256(data).hexdigest()
        assert file.path == f"sources/{file.dataset.path}"
    assert {f.dataset.key for f in real.files} == {d.key for d in catalog.DATASETS if d.path}


def test_each_national_polygon_is_repaired_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = border.repair

    def counting(geom: shapely.Geometry) -> shapely.Geometry:
        calls.append(geom.geom_type)
        return original(geom)

    monkeypatch.setattr(border, "repair", counting)
    data = sources.read_sources(SOURCES)
    assert len(calls) == len(data.osm_land) + len(data.outlines)


def test_natural_earth_fixes_are_applied() -> None:
    by_code = {p.adm1_code: p for p in sources.read_provinces(*_real(catalog.NE_ADMIN1))}
    assert by_code["LAO-3283"].iso_3166_2 == "LA-VT"
    assert by_code["LAO-3284"].iso_3166_2 == "LA-VI"
    assert by_code["VNM-487"].properties["name"] == "Quảng Nam"


def test_polygon_shape_is_shapely_shape() -> None:
    """The array-fed ``shape`` gives the same geometries as shapely's own."""
    geometries = [f["geometry"] for d in (catalog.OSM_LAND, catalog.NE_COUNTRIES, catalog.NE_ADMIN1)
                  for f in json.loads(_real(d)[1])["features"]]
    odd = [{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},  # integers
           {"type": "MultiPolygon", "coordinates": []},
           {"type": "Point", "coordinates": [1.5, 2.5]}]
    for geometry in geometries + odd:
        assert sources.polygon_shape(geometry).wkb == shape(geometry).wkb
    ragged = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0, 5], [1, 1], [0, 0]]]}
    with pytest.raises(ValueError) as theirs:
        shape(ragged)
    with pytest.raises(ValueError) as ours:
        sources.polygon_shape(ragged)
    assert str(ours.value) == str(theirs.value)


OFFICIAL_HEADER = b"scope,code,name,partner,length_km,part,year,basis,confidence,source\n"
AREAS_HEADER = (b"division,code,name,area_km2,communes,communes_without_area,year,basis,package,"
                b"source,licence\n")


def test_the_official_areas_are_read_with_their_rows(real: sources.Sources) -> None:
    by_key = {(a.division, a.code): a for a in real.areas}
    dien_bien = by_key[("pre-2025", "11")]
    assert (dien_bien.area_km2, dien_bien.year) == (9750.79, 2025)
    assert dien_bien.package.startswith("vietnamadminunits ")
    assert dien_bien.where.startswith("official/province_areas.csv:")
    # a province the table gives no area keeps its row, with no number
    assert by_key[("pre-2025", "44")].area_km2 is None


def _break(folder: Path, dataset: catalog.Dataset, data: bytes) -> Path:
    assert dataset.path is not None
    path = folder / dataset.path
    path.write_bytes(data)
    return path


def _admin1_with(change: str) -> bytes:
    features = json.loads(_real(catalog.NE_ADMIN1)[1])
    first = features["features"][0]
    if change == "no-code":
        del first["properties"]["adm1_code"]
    elif change == "bad-geometry":
        first["geometry"] = {"type": "Polygon", "coordinates": [[[0, 0], [1]]]}
    elif change == "not-an-object":
        features["features"][0] = [1, 2]
    return json.dumps(features).encode()


@pytest.mark.parametrize(
    ("dataset", "data", "message"),
    [
        (catalog.NE_ADMIN1, b"", "ne_10m_admin_1_states_provinces_lao_vnm.geojson:1 is not valid GeoJSON"),
        (catalog.NE_ADMIN1, b'{"features": [', "is not valid GeoJSON"),
        (catalog.NE_ADMIN1, b"\xff\xfe{", "is not UTF-8 (byte 0)"),
        (catalog.NE_ADMIN1, b'{"type": "FeatureCollection", "features": []}', "holds no features"),
        (catalog.NE_ADMIN1, _admin1_with("no-code"),
         "feature #0 lacks the text property 'adm1_code' the build needs"),
        (catalog.NE_ADMIN1, _admin1_with("bad-geometry"), "feature #0 has an unusable geometry"),
        (catalog.NE_ADMIN1, _admin1_with("not-an-object"), "feature #0 has no properties or geometry"),
        (catalog.OSM_LAND, b'{"features": [{"properties": {"A3": "VNM"}, "geometry": '
                           b'{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}',
         "lacks the national polygon of LAO (property 'A3')"),
        (catalog.ALIASES, b"country,alias\nLA,X\n",
         "aliases.csv:2 needs the columns country, alias, adm1_code"),
        (catalog.ALIASES, b"country,alias,adm1_code,note\nLA,X,LAO-1,n,extra\n", "aliases.csv:2 needs"),
        (catalog.ALIASES, b"country,alias,adm1_code,note\nTH,X,LAO-1,n\n",
         "aliases.csv:2 names the country 'TH'; expected one of VN, LA"),
        (catalog.ALIASES, b"country,alias,adm1_code,note\nLA,\xe9,LAO-1,n\n",
         "aliases.csv:2 is not valid UTF-8"),
        (catalog.ALIASES, b'country,alias,adm1_code,note\nLA,"X,LAO-1\n', "aliases.csv:"),
        (catalog.PLACE_ALIASES, b"alias,language,geonames_id,note\nX,vi,12a,n\n",
         "place_aliases.csv:2 has the GeoNames id '12a'; expected a whole number"),
        (catalog.PLACE_ALIASES, b"alias,language\nX,vi\n",
         "place_aliases.csv:2 needs the columns alias, language, geonames_id"),
        (catalog.OFFICIAL_LENGTHS, OFFICIAL_HEADER + b"total,VN-LA,x,,2.337,459,all,2016,b,high,s\n",
         "border_lengths.csv:2 needs the columns scope"),
        (catalog.OFFICIAL_LENGTHS, OFFICIAL_HEADER + b"total,VN-LA,x,,2337.4x,all,2016,b,high,s\n",
         "border_lengths.csv:2 has the length '2337.4x'; expected kilometres like 2337.459"),
        (catalog.OFFICIAL_LENGTHS, OFFICIAL_HEADER + b"total,VN-LA,x,,0,all,2016,b,high,s\n",
         "border_lengths.csv:2 has the length '0'"),
        (catalog.OFFICIAL_LENGTHS, OFFICIAL_HEADER + b"total,VN-LA,x,,2337,all,16,b,high,s\n",
         "border_lengths.csv:2 has the year '16'; expected four digits or nothing"),
        (catalog.OFFICIAL_LENGTHS, OFFICIAL_HEADER + b"region,VN-LA,x,,2337,all,,b,high,s\n",
         "border_lengths.csv:2 has scope 'region'; expected one of total, province, pair"),
        (catalog.OFFICIAL_LENGTHS, OFFICIAL_HEADER + b"total,VN-LA,x,,2337,all,,b,sure,s\n",
         "border_lengths.csv:2 has confidence 'sure'"),
        (catalog.OFFICIAL_AREAS, AREAS_HEADER + b"2026,11,x,9750.79,45,0,2025,b,p,s,MIT\n",
         "province_areas.csv:2 has division '2026'; expected one of 2025, pre-2025"),
        (catalog.OFFICIAL_AREAS, AREAS_HEADER + b"2025,11,x,9.750,79,45,0,2025,b,p,s,MIT\n",
         "province_areas.csv:2 needs the columns division"),
        (catalog.OFFICIAL_AREAS, AREAS_HEADER + b"2025,11,x,-5,45,0,2025,b,p,s,MIT\n",
         "province_areas.csv:2 has the area '-5'; expected square kilometres"),
        (catalog.OFFICIAL_AREAS, AREAS_HEADER + b"2025,11,x,1,45,0,2025,b,p,s,MIT\n"
         b"2025,11,y,2,45,0,2025,b,p,s,MIT\n",
         "province_areas.csv:3 gives the 2025 province 11 a second time"),
    ],
    ids=["empty", "truncated", "utf16", "no-features", "missing-property", "bad-geometry",
         "feature-not-object", "missing-party", "alias-columns", "alias-extra-column",
         "alias-country", "alias-not-utf8", "alias-open-quote", "place-id", "place-columns",
         "official-comma", "official-number", "official-zero", "official-year", "official-scope",
         "official-confidence", "area-division", "area-comma", "area-negative", "area-twice"],
)
def test_broken_sources_give_one_line_errors(copy: Path, dataset: catalog.Dataset, data: bytes,
                                             message: str) -> None:
    path = _break(copy, dataset, data)
    with pytest.raises(SourceError) as info:
        sources.read_sources(copy)
    text = str(info.value)
    assert message in text
    assert str(path) in text
    assert "\n" not in text


def test_missing_and_unreadable_sources(copy: Path) -> None:
    assert catalog.OSM_LAND.path is not None
    (copy / catalog.OSM_LAND.path).unlink()
    with pytest.raises(SourceError, match=r"is missing; copy it from the raw extracts"):
        sources.read_sources(copy)
    (copy / catalog.OSM_LAND.path).mkdir()  # a folder where the file should be
    with pytest.raises(SourceError, match=r"cannot be read \(Is a directory\)"):
        sources.read_sources(copy)


def test_alias_table_is_optional(copy: Path) -> None:
    assert catalog.ALIASES.path is not None
    (copy / catalog.ALIASES.path).unlink()
    data = sources.read_sources(copy)
    assert data.aliases == ()
    assert catalog.ALIASES.key not in {f.dataset.key for f in data.files}


@pytest.mark.parametrize(("row", "words"), [
    ("Thượng Lào,fr,region,Upper Laos,", "names.csv:3 has language 'fr'; expected one of en, vi."),
    ("Thượng Lào,vi,town,Upper Laos,", "names.csv:3 has kind 'town'; expected one of region, "
     "not_a_place, proper_name."),
    ("Thượng Lào,vi,region,,", "names.csv:3 needs a region (its English name) for a region, and "
     "only then."),
    ("Ho Chi Minh,en,not_a_place,Saigon,", "names.csv:3 needs a region"),
])
def test_a_bad_row_of_the_names_table_is_refused_at_its_line(copy: Path, row: str, words: str) -> None:
    table = copy / "names.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([*lines[:2], row, *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        sources.read_sources(copy)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_the_names_table_is_read_with_its_lines(real: sources.Sources) -> None:
    rows = {row.name: row for row in real.names}
    assert rows["Thượng Lào"].kind == "region" and rows["Thượng Lào"].region == "Upper Laos"
    assert rows["Thượng Lào"].where == "names.csv:2"
    assert rows["Ho Chi Minh"].kind == "not_a_place" and rows["Ho Chi Minh"].region == ""


RANKS_HEADER = b"sending_country,city,rank,title,publisher,publisher_vi,url,date,phrase\n"
RANK_ROW = b"VN,Pakse,consulate-general,T,P,,https://x.example/a,%s,Consulate General in Pakse\n"


def test_the_mission_ranks_are_read_with_their_sources_and_rows(real: sources.Sources) -> None:
    by_mission = {(r.sending_country, r.city): r for r in real.ranks}
    assert set(by_mission) == {("VN", "Luang Prabang"), ("VN", "Pakse"), ("VN", "Savannakhet"),
                               ("LA", "Da Nang"), ("LA", "Ho Chi Minh City")}
    assert {r.rank for r in real.ranks} == {catalog.CONSULATE_GENERAL}
    pakse = by_mission[("VN", "Pakse")]
    assert pakse.url.startswith("https://en.vietnamplus.vn/") and pakse.date == "2023-11"
    assert pakse.publisher.english == "Vietnam News Agency" and pakse.publisher("vi")
    assert "Pakse" in pakse.phrase and pakse.where == "official/mission_ranks.csv:3"
    assert catalog.MISSION_RANK_SOURCES.key in {f.dataset.key for f in real.files}


@pytest.mark.parametrize("day", [b"2023", b"2023-08", b"2023-08-14"])
def test_a_rank_may_be_dated_to_its_year_month_or_day(copy: Path, day: bytes) -> None:
    _break(copy, catalog.MISSION_RANK_SOURCES, RANKS_HEADER + RANK_ROW % day)
    (rank,) = sources.read_sources(copy).ranks
    assert (rank.date, rank.where) == (day.decode(), "official/mission_ranks.csv:2")


@pytest.mark.parametrize(("data", "message"), [
    (RANKS_HEADER + RANK_ROW.replace(b"consulate-general", b"consulate") % b"2023",
     "mission_ranks.csv:2 has rank 'consulate'; expected one of consulate-general."),
    (RANKS_HEADER + RANK_ROW.replace(b"VN,", b"TH,", 1) % b"2023",
     "mission_ranks.csv:2 names the country 'TH'; expected one of VN, LA."),
    (RANKS_HEADER + RANK_ROW.replace(b"https://x.example/a", b"x.example/a") % b"2023",
     "mission_ranks.csv:2 has the address 'x.example/a'; expected an http(s):// address."),
    (RANKS_HEADER + RANK_ROW % b"14/08/2023",
     "mission_ranks.csv:2 has the date '14/08/2023'; expected YYYY-MM-DD, YYYY-MM or YYYY."),
    (RANKS_HEADER + RANK_ROW % b"2023-13",
     "mission_ranks.csv:2 has the date '2023-13'"),
    (RANKS_HEADER + RANK_ROW % b"2023-8",
     "mission_ranks.csv:2 has the date '2023-8'"),
    (RANKS_HEADER + RANK_ROW.replace(b",T,", b",,") % b"2023",
     "mission_ranks.csv:2 needs the columns sending_country, city, rank, title"),
    (RANKS_HEADER + RANK_ROW % b"2023" + RANK_ROW % b"2024",
     "mission_ranks.csv:3 gives the mission of VN in Pakse a second time."),
], ids=["rank", "country", "address", "date-shape", "date-month", "date-digits", "no-title",
        "twice"])
def test_a_bad_row_of_the_ranks_table_is_refused_at_its_line(copy: Path, data: bytes,
                                                             message: str) -> None:
    path = _break(copy, catalog.MISSION_RANK_SOURCES, data)
    with pytest.raises(SourceError) as info:
        sources.read_sources(copy)
    assert message in str(info.value) and str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_kon_tum_has_its_whole_border_with_laos_sourced(real: sources.Sources) -> None:
    (kon_tum,) = [o for o in real.official if o.scope == "province" and o.code == "VN-28"]
    assert (kon_tum.length_km, kon_tum.partner, kon_tum.year) == (154.222, "", 2020)
    assert "vietnam.vn/de/chot-chong-dich-covid-19-o-bien-gioi-kon-tum" in kon_tum.source.english
    assert kon_tum.confidence == "low" and kon_tum.basis("vi") and kon_tum.basis("lo")


def test_a_worded_column_is_read_with_its_twin_in_each_language(copy: Path) -> None:
    """``note`` with ``note_vi`` and ``note_lo`` beside it; a table without a language's column
    (or with the cell empty) gives "" in that language, and the page shows the English."""
    header = b"resolution,in_force,operating_from,applies_to,note,note_vi"
    row = b"1/2025/QH15,2025-01-01,2025-01-01,46,Made a city,"
    _break(copy, catalog.VN_ADMIN_2025, header + b",note_lo\n" + row + "Thành phố,ນະຄອນ\n".encode())
    (change,) = sources.read_sources(copy).admin_changes
    assert [change.note(lang) for lang in LANGUAGES] == ["Made a city", "Thành phố", "ນະຄອນ"]
    _break(copy, catalog.VN_ADMIN_2025, header + b"\n" + row + "Thành phố\n".encode())
    (change,) = sources.read_sources(copy).admin_changes
    assert (change.note.english, change.note("vi"), change.note("lo")) == (
        "Made a city", "Thành phố", "")


def test_the_tables_words_are_in_every_language(real: sources.Sources) -> None:
    """The shipped tables translate what they word: each resolution's note and publisher in
    every language, and each official length's basis; a source only where it has words beyond
    names, and then in every language."""
    others = [code for code, lang in LANGUAGES.items() if lang.field_suffix]
    assert all(w(code) for code in others
               for w in [*(c.note for c in real.admin_changes), *(r.publisher for r in real.ranks),
                         *(o.basis for o in real.official)])
    for official in real.official:
        assert len({bool(official.source(code)) for code in others}) == 1, official.where
