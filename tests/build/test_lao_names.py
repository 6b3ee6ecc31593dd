"""The Lao-script names the build gives the places of the map (issue #24), against the real
texts and datasets: each name with the catalogue it comes from, or the rule that it is shown
as written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from laovn_map.build import pipeline
from laovn_map.build.gazetteer import (
    City,
    LocalName,
    city_lao_name,
    iso_lao_name,
    iso_lao_part,
    lao_or_as_written,
    modern_lao_spelling,
)
from laovn_map.build.seeds import find_seeds
from laovn_map.catalog import LAYER_FILES
from laovn_map.i18n import LANGUAGES

from ..conftest import REAL_SEEDS, SOURCES

LayerProps = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def output() -> pipeline.BuildOutput:
    return pipeline.build_layers(find_seeds(REAL_SEEDS), SOURCES)


@pytest.fixture(scope="module")
def layers(output: pipeline.BuildOutput) -> dict[str, LayerProps]:
    """Every layer of a build of the real data, its features' properties by id."""
    return layers_of(output)


def layers_of(output: pipeline.BuildOutput) -> dict[str, LayerProps]:
    return {name: {f["id"]: f["properties"] for f in json.loads(output.files[file])["features"]}
            for name, file in LAYER_FILES.items() if file.endswith(".geojson")}


def _untranslated(record: object, where: str) -> Iterator[str]:
    """Each property of `record` (and the records inside it) that the build translates into one
    language and not into another: a twin (``dataset_vi``) with words beside an empty or missing
    twin of the same property (``dataset_lo``). A name with no form in a language is not a gap:
    its rule says so (``name_lo_rule`` "as written: …"; ``city_vi_rule`` empty for Pakse, which
    no source names in Vietnamese) and the page shows the name as the text writes it."""
    if isinstance(record, list):
        for item in record:
            yield from _untranslated(item, where)
        return
    if not isinstance(record, dict):
        return
    suffixes = [lang.field_suffix for lang in LANGUAGES.values() if lang.field_suffix]
    for key, value in record.items():
        yield from _untranslated(value, f"{where}.{key}")
        for suffix in suffixes:
            if not (key.endswith(suffix) and value):
                continue
            base = key.removesuffix(suffix)
            for other in suffixes:
                rule = record.get(f"{base}{other}_rule")
                named_as_written = rule is not None and (not rule or rule.startswith("as written"))
                if not record.get(f"{base}{other}") and not named_as_written:
                    yield f"{where}: {key} {str(value)[:40]!r} but no {base}{other}"


@pytest.mark.slow
def test_what_the_build_translates_it_translates_into_every_language(
        output: pipeline.BuildOutput) -> None:
    """Every twin per language the layers and the manifest hold (a dataset line, a water body's
    source, a resolution's note, a publisher, an official length's basis) is there in each
    language of `i18n.LANGUAGES`: a Lao page shows no English the Vietnamese one translates."""
    gaps = [gap for file, data in sorted(output.files.items()) if file.endswith((".geojson", ".json"))
            for gap in _untranslated(json.loads(data), file)]
    assert not gaps, "\n".join(gaps[:20])
    # and the rule is not empty: the properties of issue 24's last part are among those held
    props = layers_of(output)
    assert props["water"]["water-000"]["source_feature_lo"].startswith("A3=")
    assert all(p["change_note_lo"] for p in props["provinces_vn_2025"].values() if p["resolution"])


def test_a_vietnamese_province_has_the_lao_form_iso_codes_gives_it() -> None:
    assert iso_lao_name("Điện Biên", "VN") == LocalName("ດຽນບຽນ", "iso-codes VN-71")
    assert iso_lao_name("Quảng Trị", "VN") == LocalName("ກວາງຕຣີ", "iso-codes VN-25")
    # the same name however it is spelt, and only in its own country
    assert iso_lao_name("Dien Bien", "VN") == LocalName("ດຽນບຽນ", "iso-codes VN-71")
    assert iso_lao_name("Điện Biên", "LA") is None
    assert iso_lao_name("Huế", "VN") is None  # iso-codes has Thừa Thiên-Huế, another name


def test_a_city_takes_geonames_lao_name_else_its_namesake_province() -> None:
    pakse = City(1654379, "Pakse", "LA", 1, 0, 0, ("Paksé", "ປາກເຊ", "ເມືອງປາກເຊ"))
    assert city_lao_name(pakse) == LocalName("ປາກເຊ", "geonames")
    hanoi = City(1581130, "Hanoi", "VN", 1, 0, 0, ("Hà Nội",))
    assert city_lao_name(hanoi) == LocalName("ຮ່າໂນ້ຍ", "iso-codes VN-HN")
    vinh = City(1562798, "Vinh", "VN", 1, 0, 0, ("Vinh",))
    assert city_lao_name(vinh) is None
    assert lao_or_as_written(None, "seeds/x.en.txt:4") == LocalName(
        "", "as written: seeds/x.en.txt:4")


def test_a_lao_name_is_written_in_the_current_spelling() -> None:
    """GeoNames has Luang Prabang as ``ຫລວງພະບາງ`` (ຫ before ລ) and ``ເມືອງຫຼວງພະບາງ``; iso-codes
    writes the province ``ຫຼວງພະບາງ``: the city takes that spelling, so the two labels agree."""
    assert modern_lao_spelling("ຫລວງພະບາງ") == "ຫຼວງພະບາງ"
    assert modern_lao_spelling("ຫນອງຄາຍ ຫມາກ") == "ໜອງຄາຍ ໝາກ"
    assert modern_lao_spelling("ປາກເຊ") == "ປາກເຊ"
    luang_prabang = City(1655559, "Luang Prabang", "LA", 1, 0, 0,
                         ("Louangphabang", "ຫລວງພະບາງ", "ເມືອງຫຼວງພະບາງ"))
    assert city_lao_name(luang_prabang) == LocalName("ຫຼວງພະບາງ", "geonames")


@pytest.mark.slow
def test_a_city_and_its_namesake_province_have_one_lao_name(
        layers: dict[str, LayerProps]) -> None:
    namesakes = [m for m in layers["missions"].values() if m["city"] == m["province_name"]]
    assert {m["city"] for m in namesakes} >= {"Luang Prabang", "Savannakhet"}
    assert all(m["city_lo"] == m["province_name_lo"] for m in namesakes), namesakes


@pytest.mark.slow
def test_the_border_provinces_carry_their_lao_names_and_where_they_come_from(
        layers: dict[str, LayerProps]) -> None:
    la, vn = layers["provinces_la"], layers["provinces_vn"]
    assert (la["LA-SV"]["name_lo"], la["LA-SV"]["name_lo_rule"]) == ("ສະຫວັນນະເຂດ", "iso-codes LA-SV")
    assert (la["LA-PH"]["name_lo"], la["LA-PH"]["name_lo_rule"]) == ("ຜົ້ງສາລີ", "iso-codes LA-PH")
    assert (vn["VN-71"]["name_lo"], vn["VN-71"]["name_lo_rule"]) == ("ດຽນບຽນ", "iso-codes VN-71")
    assert vn["VN-25"]["name_lo"] == "ກວາງຕຣີ"
    # the neighbours across, in Lao, as the Vietnamese twin names them in Vietnamese
    assert la["LA-PH"]["neighbours_lo"] == "VN-71 ດຽນບຽນ"
    assert vn["VN-71"]["neighbours_lo"] == "LA-PH ຜົ້ງສາລີ; LA-LP ຫຼວງພະບາງ"
    for props in (*la.values(), *vn.values()):
        assert props["name_lo"] and props["name_lo_rule"] == f"iso-codes {props['iso_3166_2']}"


@pytest.mark.slow
def test_the_units_of_2025_are_named_as_the_province_of_their_name_or_as_written(
        layers: dict[str, LayerProps]) -> None:
    units = {p["name_vi"]: p for p in layers["provinces_vn_2025"].values()}
    assert (units["Quảng Trị"]["name_lo"], units["Quảng Trị"]["name_lo_rule"]) == (
        "ກວາງຕຣີ", "iso-codes VN-25")
    assert units["Quảng Trị"]["merged_from_lo"] == "VN-24 ກວາງບິງ; VN-25 ກວາງຕຣີ"
    assert (units["Đà Nẵng"]["name_lo"], units["Đà Nẵng"]["name_lo_rule"]) == (
        "ດານັງ", "iso-codes VN-DN")
    # Huế is the second part of Thừa Thiên-Huế, the province it was: iso-codes' Lao for it
    assert (units["Huế"]["name_lo"], units["Huế"]["name_lo_rule"]) == (
        "ເຫ້ວ", "iso-codes VN-26, part 2")


def test_a_name_that_is_part_of_a_hyphenated_province_takes_that_part_of_its_lao_name() -> None:
    assert iso_lao_part("Huế", "VN") == LocalName("ເຫ້ວ", "iso-codes VN-26, part 2")
    assert iso_lao_part("Thừa Thiên", "VN") == LocalName("ເທື່ອທຽນ", "iso-codes VN-26, part 1")
    assert iso_lao_part("Vũng Tàu", "VN") == LocalName("ວຸງເຕົ່າ", "iso-codes VN-43, part 2")
    # a whole name, a name of no part, or the other country: none
    assert iso_lao_part("Quảng Trị", "VN") is None
    assert iso_lao_part("Huế", "LA") is None


@pytest.mark.slow
def test_missions_cities_and_events_places_carry_lao_names_with_their_source(
        layers: dict[str, LayerProps]) -> None:
    missions = layers["missions"]
    pakse = missions["vn-consulate-pakse"]
    assert (pakse["city_lo"], pakse["city_lo_rule"]) == ("ປາກເຊ", "geonames")
    hanoi = missions["la-embassy-hanoi"]
    assert (hanoi["city_lo"], hanoi["city_lo_rule"]) == ("ຮ່າໂນ້ຍ", "iso-codes VN-HN")
    savannakhet = missions["vn-consulate-savannakhet"]
    assert (savannakhet["city_lo"], savannakhet["city_lo_rule"]) == ("ສະຫວັນນະເຂດ", "iso-codes LA-SV")
    places = {p["place_name"]: p for p in layers["events"].values()}
    assert (places["Vientiane"]["place_name_lo"], places["Vientiane"]["place_name_lo_rule"]) == (
        "ວຽງຈັນ", "geonames")
    assert places["Houaphanh"]["place_name_lo_rule"] == "iso-codes LA-HO"
    # Vinh: no catalogue has a Lao form; shown as written, the rule naming the GeoNames record
    assert places["Vinh"]["place_name_lo"] == ""
    assert places["Vinh"]["place_name_lo_rule"] == "as written: geonames 1562798"


@pytest.mark.slow
def test_the_border_and_its_segments_are_named_in_lao(layers: dict[str, LayerProps]) -> None:
    # the two countries by CLDR's lo locale
    assert layers["border"]["border"]["name_lo"] == "ຊາຍແດນ ລາວ – ຫວຽດນາມ"
    first = layers["segments"]["segment-00"]
    assert (first["vn_name_lo"], first["la_name_lo"]) == ("ດຽນບຽນ", "ຜົ້ງສາລີ")
    first_2025 = layers["segments_2025"]["segment-2025-00"]
    assert (first_2025["vn_name_lo"], first_2025["la_name_lo"]) == ("ດຽນບຽນ", "ຜົ້ງສາລີ")
