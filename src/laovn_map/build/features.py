"""Records and derived geometry → the features of each layer, with their provenance.

Pure: every function takes what the earlier stages produced and returns
:class:`~laovn_map.build.geojson.LayerFeature` lists; serialising them is
:mod:`laovn_map.build.geojson`'s job.
The property names are the layer schema documented in docs/data.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import shapely
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from laovn_map import catalog
from laovn_map.build import border
from laovn_map.build.areas import DIVISION_2025, DIVISION_BEFORE
from laovn_map.build.derive import BorderGeometry, UnitsGeometry, WaterBody, geodesic_area_m2
from laovn_map.build.events import LocatedEvent
from laovn_map.build.gazetteer import (
    City,
    LocalName,
    ProvinceMatch,
    city_lao_name,
    iso_lao_name,
    iso_lao_part,
    lao_or_as_written,
    lao_script_names,
    local_form,
)
from laovn_map.build.geojson import LayerFeature, Properties
from laovn_map.build.merger import Unit
from laovn_map.build.official import area_properties, rank_properties
from laovn_map.build.othernames import OtherNames, plain
from laovn_map.build.records import Mission, Provenance, SeedRecords
from laovn_map.build.sources import AdminChange, MissionRank, OfficialArea, Outline, Province
from laovn_map.catalog import BORDER_LINE, COUNTRIES, PARTIES, PERIOD_2025, SEGMENT
from laovn_map.errors import GeometryError
from laovn_map.geo import manifest
from laovn_map.i18n import t, twins

#: The offline base map keeps the outlines at full detail this far around the two countries
#: (degrees), beyond the page's panning limit;
BASEMAP_MARGIN_DEG = 2.0
#: beyond, out to this many degrees (longitude, latitude), it keeps them simplified by this
#: tolerance (degrees; under a pixel at zoom 6, the only zoom at which the page shows that far),
#: without islands smaller than the tolerance squared: wide enough for a 2,500 px map at zoom 6.
BASEMAP_CONTEXT_MARGIN_DEG = (20.0, 6.0)
BASEMAP_CONTEXT_TOLERANCE_DEG = 0.02


@dataclass(frozen=True)
class Places:
    """What the geocode stage found: each side's provinces, and the city of every mission."""

    provinces: dict[str, tuple[ProvinceMatch, ...]]  # by VN/LA
    cities: tuple[City, ...]  # in the order of SeedRecords.missions
    lao_names: dict[str, str]  # Lao-script names by ISO 3166-2 code (iso-codes)
    city_vi: tuple[LocalName | None, ...]  # the Vietnamese name of each city, when known
    units_2025: tuple[Unit, ...]  # the Vietnamese units since 2025 that border Laos
    events: tuple[LocatedEvent, ...] = ()  # the dated sentences with their places and links
    #: the other names of each place (border provinces, missions' cities, events' places), by
    #: place id (``ne-<adm1_code>``, ``geonames-<id>``)
    other_names: Mapping[str, OtherNames] = field(default_factory=dict)
    #: the Natural Earth province each mission's city lies in (None: none), as ``cities``
    mission_provinces: tuple[Province | None, ...] = ()

    def others(self, place_id: str, props: Mapping[str, object]) -> Properties:
        """``other_names`` and ``other_names_rules`` of a place, but the names *props* hold."""
        names = self.other_names.get(place_id, OtherNames())
        return cast(Properties, names.without(props.values()).properties())

    def by_key(self) -> dict[str, ProvinceMatch]:
        """Every matched province by NE ``adm1_code``."""
        return {m.feature.adm1_code: m for side in self.provinces.values() for m in side}


def km(metres: float) -> float:
    """Metres → kilometres at the layers' precision (1 m)."""
    return round(metres / 1000.0, 3)


def km2(geometry: BaseGeometry) -> float:
    """A polygon's geodesic area in square kilometres, to 0.01 km² (the official areas' precision)."""
    return round(geodesic_area_m2(geometry) / 1e6, 2)


def official_areas(areas: Sequence[OfficialArea], units: Sequence[Unit]
                   ) -> tuple[dict[str, OfficialArea], dict[str, OfficialArea]]:
    """The official areas of the provinces before 2025 by NE ``adm1_code`` (through the
    converter's national codes of the units' members) and of the units since 2025 by code."""
    before = {a.code: a for a in areas if a.division == DIVISION_BEFORE}
    since = {a.code: a for a in areas if a.division == DIVISION_2025}
    by_adm1 = {key: before[code] for unit in units
               for key, code in zip(unit.members, unit.member_codes, strict=True) if code in before}
    return by_adm1, since


def provenance(p: Provenance) -> manifest.Provenance:
    """Where a record comes from, as the layers' properties and the manifest both carry it."""
    return {"source_file": p.file, "source_line": p.line, "source_quote": p.quote}


def _cited(p: Provenance) -> Properties:
    """:func:`provenance` among a feature's properties (its values are all property values)."""
    return cast(Properties, provenance(p))


def province_name(match: ProvinceMatch) -> str:
    """The English name of a matched province (the dataset's own where it has none)."""
    return str(match.properties.get("name_en") or match.properties.get("name"))


def province_name_vi(match: ProvinceMatch) -> str:
    """The Vietnamese name of a matched province: the form the Vietnamese text writes
    (``Phỏng-sả-lỳ``), which the Vietnamese page uses everywhere it names the province."""
    return match.mention.name


def province_name_lo(match: ProvinceMatch, lao_names: Mapping[str, str]) -> str:
    """The Lao-script name of a matched province (iso-codes), else its English name."""
    return lao_names.get(match.feature.iso_3166_2) or province_name(match)


def lao_name_rule(code: str, lao_names: Mapping[str, str], where: str) -> str:
    """Where a province's ``name_lo`` comes from: ``iso-codes <code>``, else as written."""
    return lao_or_as_written(LocalName(lao_names[code], f"iso-codes {code}")
                             if code in lao_names else None, where).rule


def border_name_lo() -> str:
    """The border's name in Lao, its two countries named by CLDR's ``lo`` locale (`catalog`)."""
    return BORDER_NAME_LO.format(la=COUNTRIES["LA"].name("lo"), vn=COUNTRIES["VN"].name("lo"))


#: "the Laos–Vietnam border" in Lao (ຊາຍແດນ: border, frontier); the countries from CLDR.
BORDER_NAME_LO = "ຊາຍແດນ {la} – {vn}"


def _neighbours(matches: Sequence[ProvinceMatch], name: Callable[[ProvinceMatch], str]) -> str:
    return "; ".join(dict.fromkeys(f"{n.feature.iso_3166_2} {name(n)}" for n in matches))


def datasets(words: Callable[[str], str]) -> Properties:
    """The ``dataset`` property and its twins: what a feature is made from."""
    return {**twins("dataset", words)}


def provinces_dataset(lang: str) -> str:
    """What a conformed province is made from: Natural Earth's outline fitted to OSM's land."""
    return t(catalog.MADE_FROM_CONFORMED, lang).format(provinces=catalog.NE_ADMIN1.title_in(lang),
                                               land=catalog.OSM_LAND.title_in(lang))


def segments_dataset(lang: str) -> str:
    """What a segment is made from: OSM's line, cut where the provinces meet it."""
    return t(catalog.MADE_FROM_SEGMENTS, lang).format(land=catalog.OSM_LAND.title_in(lang),
                                              provinces=catalog.NE_ADMIN1.title_in(lang))


def dissolved(made_from: Callable[[str], str]) -> Callable[[str], str]:
    """What a feature since 2025 is made from: *made_from* dissolved by the 2025 converter."""
    return lambda lang: t(catalog.MADE_FROM_DISSOLVED, lang).format(
        dataset=made_from(lang), converter=catalog.CONVERTER_2025.title_in(lang))


def water_source_feature(body: WaterBody) -> Callable[[str], str]:
    """Which hole of which OSM land polygon a water body is."""
    return lambda lang: t(catalog.WATER_SOURCE_FEATURE, lang).format(
        alpha3=body.alpha3, part=body.part, ring=body.ring)


def check_sides(places: Places, segments: Sequence[border.BorderSegment]) -> None:
    """The text's provinces are exactly the provinces along the measured border: a listed one
    that does not touch it, or one that touches it and is not listed, stops the build."""
    listed = places.by_key()
    touching = {key for s in segments for key in (s.vn_key, s.la_key)}
    for key, match in sorted(listed.items()):
        if key not in touching:
            msg = (f"Province {match.mention.name!r} ({match.mention.provenance.file}:"
                   f"{match.mention.provenance.line}) matched {match.feature.iso_3166_2}, which "
                   "does not touch the OSM Laos–Vietnam border.")
            raise GeometryError(msg)
    for segment in segments:
        for key, code in ((segment.vn_key, segment.vn_code), (segment.la_key, segment.la_code)):
            if key not in listed:
                where = next(iter(listed.values())).mention.provenance
                msg = (f"Province {code} touches the OSM Laos–Vietnam border for "
                       f"{segment.length_m / 1000:.1f} km but is not in the list of "
                       f"{where.file}:{where.line}; is a name misspelt or replaced?")
                raise GeometryError(msg)


def province_features(
    matches: Sequence[ProvinceMatch], geometry: BorderGeometry,
    across: Mapping[str, ProvinceMatch], lao_names: Mapping[str, str],
    others: Callable[[str, Mapping[str, object]], Properties] = lambda _key, _props: {},
    areas: Mapping[str, OfficialArea] | None = None,
) -> list[LayerFeature]:
    """One feature per border province, with its border length, neighbours across and area
    (*areas*: the official one by NE ``adm1_code``, where the table has the province)."""
    areas = areas or {}
    lengths = border.province_border_lengths(geometry.segments)
    features = []
    for match in sorted(matches, key=lambda m: m.feature.iso_3166_2):
        props = match.properties
        key = match.feature.adm1_code
        own_side = [s for s in geometry.segments if key in (s.vn_key, s.la_key)]
        neighbour_keys: list[str] = []
        for segment in own_side:
            other = segment.la_key if segment.vn_key == key else segment.vn_key
            if other not in neighbour_keys:
                neighbour_keys.append(other)
        neighbours = [across[k] for k in neighbour_keys if k in across]
        code = match.feature.iso_3166_2
        names: Properties = {
            "name_seed": match.mention.name,
            "name_vi": props.get("name_vi") or "",
            "name_en": props.get("name_en") or "",
            "name_local": local_form(match.feature),
            "name_lo": lao_names.get(code, ""),
        }
        features.append(LayerFeature(
            id=match.feature.iso_3166_2,
            geometry=geometry.provinces[key],
            properties={
                "iso_3166_2": match.feature.iso_3166_2,
                "country": match.mention.country,
                **names,
                "name_lo_rule": lao_name_rule(code, lao_names, f"Natural Earth {key}"),
                **others(f"ne-{key}", names),
                "border_length_km": km(lengths.get(key, 0.0)),
                **area_properties(km2(geometry.provinces[key]), areas.get(key)),
                "neighbours": _neighbours(neighbours, province_name),
                "neighbours_vi": _neighbours(neighbours, province_name_vi),
                "neighbours_lo": _neighbours(neighbours, lambda n: province_name_lo(n, lao_names)),
                "neighbour_codes": ";".join(n.feature.iso_3166_2 for n in neighbours),
                "match_rule": match.rule,
                "match_score": match.score,
                "ne_adm1_code": key,
                "ne_id": props.get("ne_id"),
                "wikidata": props.get("wikidataid") or "",
                **datasets(provinces_dataset),
                **_cited(match.mention.provenance),
            },
        ))
    return features


def border_features(records: SeedRecords, geometry: BorderGeometry) -> list[LayerFeature]:
    """The measured line, once, with the three lengths and the text's sentence (its segments
    are a layer of their own, so that the file's lines add up to the border)."""
    statement = records.border
    return [LayerFeature(
        id="border",
        geometry=geometry.line,
        properties={
            "kind": BORDER_LINE,
            "name_en": f"{COUNTRIES['LA'].name_en}–{COUNTRIES['VN'].name_en} border",
            "name_vi": f"Biên giới {COUNTRIES['VN'].name_vi} – {COUNTRIES['LA'].name_vi}",
            "name_lo": border_name_lo(),
            "length_km_osm": km(geometry.length_m_osm),
            "length_km_ne": km(geometry.length_m_ne),
            "length_km_stated": statement.length_km,
            "stated_text": statement.length_text,
            **datasets(catalog.OSM_LAND.title_in),
            **_cited(statement.provenance),
        },
    )]


def segment_features(geometry: BorderGeometry, by_key: Mapping[str, ProvinceMatch],
                     lao_names: Mapping[str, str] | None = None) -> list[LayerFeature]:
    """The border's segments per (Vietnamese province, Lao province) as the text lists them,
    north end first."""
    features = []
    lao_names = lao_names or {}
    for segment in geometry.segments:
        vn, la = by_key.get(segment.vn_key), by_key.get(segment.la_key)
        features.append(LayerFeature(
            id=f"segment-{segment.order:02d}",
            geometry=segment.geometry,
            properties={
                "kind": SEGMENT,
                "order": segment.order,
                "vn_code": segment.vn_code,
                "vn_name": province_name(vn) if vn else segment.vn_code,
                "vn_name_vi": province_name_vi(vn) if vn else segment.vn_code,
                "vn_name_lo": province_name_lo(vn, lao_names) if vn else segment.vn_code,
                "la_code": segment.la_code,
                "la_name": province_name(la) if la else segment.la_code,
                "la_name_vi": province_name_vi(la) if la else segment.la_code,
                "la_name_lo": province_name_lo(la, lao_names) if la else segment.la_code,
                "length_km": km(segment.length_m),
                **datasets(segments_dataset),
            },
        ))
    return features


def province_within(province: Province | None, border_names: Mapping[str, ProvinceMatch],
                    lao_names: Mapping[str, str]) -> Properties:
    """The province a mission's city lies in: its code and names (the Vietnamese text's form
    for a border province, as the page names it), and the Natural Earth feature that holds the
    city's point (its provenance)."""
    if province is None:
        return {"province_iso_3166_2": "", "province_name": "", "province_name_vi": "",
                "province_name_lo": "", "province_ne_adm1_code": ""}
    props, match = province.properties, border_names.get(province.adm1_code)
    return {
        "province_iso_3166_2": province.iso_3166_2,
        "province_name": plain(str(props.get("name_en") or props.get("name") or "")),
        "province_name_vi": province_name_vi(match) if match else plain(str(props.get("name_vi") or "")),
        "province_name_lo": lao_names.get(province.iso_3166_2, ""),
        "province_ne_adm1_code": province.adm1_code,
    }


def mission_features(missions: Sequence[Mission], cities: Sequence[City],
                     city_vi: Sequence[LocalName | None], places: Places | None = None,
                     ranks: Sequence[MissionRank] = ()) -> list[LayerFeature]:
    """One point per mission, at its host city; the infobox's envoy on embassies; the
    province the city lies in, and the city's other names; the rank a source gives it."""
    features = []
    ranked = rank_properties(missions, ranks)
    within = places.mission_provinces if places else ()
    for index, (mission, city, vi) in enumerate(zip(missions, cities, city_vi, strict=True)):
        envoy = mission.envoy
        sender, host = COUNTRIES[mission.sending_country], COUNTRIES[mission.host_country]
        lao = lao_or_as_written(city_lao_name(city),
                                f"{mission.provenance.file}:{mission.provenance.line}")
        names: Properties = {"city": mission.city, "city_lo": lao.name,
                             "city_vi": vi.name if vi else "", "geonames_name": city.name}
        extra: Properties = {}
        if places is not None:
            extra = {**province_within(within[index] if index < len(within) else None,
                                       places.by_key(), places.lao_names),
                     **places.others(f"geonames-{city.geonames_id}", names)}
        features.append(LayerFeature(
            id=mission.slug,
            geometry=Point(city.lon, city.lat),
            properties={
                "name": f"{mission.kind.capitalize()} of {sender.name_en}, {mission.city}",
                "kind": mission.kind,
                "sending_country": sender.code,
                "sending_country_name": sender.name_en,
                "host_country": host.code,
                "host_country_name": host.name_en,
                "city": mission.city,
                "city_lo": lao.name,
                "city_lo_rule": lao.rule,
                "city_vi": vi.name if vi else "",
                "city_vi_rule": vi.rule if vi else "",
                "geonames_id": city.geonames_id,
                "geonames_name": city.name,
                "geonames_population": city.population,
                "ambassador": envoy.name if envoy else "",
                "ambassador_title": envoy.title if envoy else "",
                "infobox_line": mission.infobox.line if mission.infobox else None,
                "infobox_quote": "\n".join(
                    q for q in (mission.infobox.quote if mission.infobox else "",
                                envoy.provenance.quote if envoy else "") if q),
                **ranked[mission.slug],
                **extra,
                **datasets(catalog.GEONAMES.title_in),
                **_cited(mission.provenance),
            },
        ))
    return features


def _frame(bounds: Sequence[float], dx: float, dy: float) -> BaseGeometry:
    minx, miny, maxx, maxy = bounds
    return box(minx - dx, miny - dy, maxx + dx, maxy + dy)


def country_features(outlines: Sequence[Outline], parties: Sequence[BaseGeometry]) -> list[LayerFeature]:
    """National outlines for the offline base map: full detail near the two countries, coarse
    further out, so that no view the page allows (see ``map`` in the manifest) shows an edge.

    The far parts of all countries are simplified together as one coverage, so neighbouring
    countries keep one shared edge there too.
    """
    bounds = shapely.total_bounds(list(parties)).tolist()
    detail = _frame(bounds, BASEMAP_MARGIN_DEG, BASEMAP_MARGIN_DEG)
    context = _frame(bounds, *BASEMAP_CONTEXT_MARGIN_DEG)
    inside = [(o, o.geometry.intersection(context)) for o in outlines]
    inside = [(o, g) for o, g in inside if not g.is_empty]
    coarse = shapely.coverage_simplify([g for _, g in inside], BASEMAP_CONTEXT_TOLERANCE_DEG)
    features = []
    for (outline, near), far in zip(inside, coarse, strict=True):
        far_parts = [p for p in shapely.get_parts(far.difference(detail))
                     if p.area >= BASEMAP_CONTEXT_TOLERANCE_DEG**2]
        whole = shapely.union_all([near.intersection(detail), *far_parts])
        features.append(LayerFeature(
            id=outline.alpha3,
            geometry=border.repair(whole),
            properties={"iso_a2": outline.alpha2, "is_party": outline.alpha2 in PARTIES,
                        "dataset": catalog.NE_COUNTRIES.title},
        ))
    return features


def water_features(water: Sequence[WaterBody]) -> list[LayerFeature]:
    """The large inland water bodies, largest first, with the hole of the source they are."""
    codes = {COUNTRIES[c].alpha3: c for c in PARTIES}
    return [LayerFeature(
        id=f"water-{index:03d}",
        geometry=body.geometry,
        properties={"area_km2": round(body.area_m2 / 1e6, 2), "country": codes[body.alpha3],
                    **datasets(catalog.OSM_LAND.title_in),
                    **twins("source_feature", water_source_feature(body))},
    ) for index, body in enumerate(water)]


def _change(unit: Unit, changes: Sequence[AdminChange]) -> AdminChange | None:
    """The resolution that made *unit* what it is since 2025 (None: unchanged)."""
    wanted = "merged" if unit.merged else unit.code
    return next((c for c in changes if c.applies_to == wanted), None)


def unit_lao_name(unit: Unit, converter: str) -> LocalName:
    """A unit since 2025 in Lao script: iso-codes' name of the province before 2025 of the same
    name (``Quảng Trị`` → ``ກວາງຕຣີ``), else the part of a province's hyphenated name it is
    (``Huế`` of ``Thừa Thiên-Huế`` → ``ເຫ້ວ``), else as the converter writes it."""
    return lao_or_as_written(iso_lao_name(unit.name, "VN") or iso_lao_part(unit.name, "VN"),
                             converter)


def _member_lao(member_name: str) -> str:
    """"VN-24 ກວາງບິງ" for "VN-24 Quảng Bình": a member province with its iso-codes Lao name."""
    code, _, name = member_name.partition(" ")
    return f"{code} {lao_script_names([code]).get(code) or name}"


def unit_features(places: Places, geometry: BorderGeometry, units: UnitsGeometry,
                  changes: Sequence[AdminChange], converter: str,
                  areas: Mapping[str, OfficialArea] | None = None) -> list[LayerFeature]:
    """The Vietnamese units since 2025 along the border, with what they were made of and when
    (*areas*: the official ones by national code)."""
    areas = areas or {}
    by_key = places.by_key()
    lao_names = places.lao_names
    lengths = border.province_border_lengths(units.segments)
    out = []
    for unit in places.units_2025:
        before = [geometry.provinces[k] for k in unit.members]
        polygon = units.polygons[unit.code]
        neighbours = [by_key[s.la_key] for s in units.segments if s.vn_key == unit.code]
        change = _change(unit, changes)
        lao = unit_lao_name(unit, converter)
        out.append(LayerFeature(
            id=f"vn2025-{unit.code}",
            geometry=polygon,
            properties={
                "period": PERIOD_2025, "national_code": unit.code, "iso_3166_2": "",
                "name_vi": unit.name, "name_en": unit.name, "name_full": unit.full_name,
                "name_lo": lao.name, "name_lo_rule": lao.rule,
                "merged": unit.merged,
                "merged_from": "; ".join(unit.member_names),
                "merged_from_vi": "; ".join(
                    f"{by_key[key].feature.iso_3166_2} {province_name_vi(by_key[key])}"
                    if key in by_key else name
                    for key, name in zip(unit.members, unit.member_names_vi or unit.member_names,
                                         strict=True)),
                "merged_from_lo": "; ".join(_member_lao(name) for name in unit.member_names),
                "merged_codes": ";".join(name.split(" ", 1)[0] for name in unit.member_names),
                **area_properties(km2(polygon), areas.get(unit.code)),
                "area_km2_members": round(sum(geodesic_area_m2(g) for g in before) / 1e6, 2),
                "border_length_km": km(lengths.get(unit.code, 0.0)),
                "neighbours": _neighbours(neighbours, province_name),
                "neighbours_vi": _neighbours(neighbours, province_name_vi),
                "neighbours_lo": _neighbours(neighbours, lambda n: province_name_lo(n, lao_names)),
                "neighbour_codes": ";".join(dict.fromkeys(n.feature.iso_3166_2 for n in neighbours)),
                "resolution": change.resolution if change else "",
                "in_force": change.in_force if change else "",
                "operating_from": change.operating_from if change else "",
                **twins("change_note", change.note if change else lambda _: ""),
                "change_source": change.where if change else "",
                "converter": converter,
                **datasets(dissolved(provinces_dataset)),
            },
        ))
    return out


def unit_segment_features(places: Places, units: UnitsGeometry, converter: str = ""
                          ) -> list[LayerFeature]:
    """The border's segments per (unit since 2025, Lao province), north end first."""
    by_key = places.by_key()
    names = {u.code: u.name for u in places.units_2025}
    names_lo = {u.code: unit_lao_name(u, converter).name or u.name for u in places.units_2025}
    return [LayerFeature(
        id=f"segment-2025-{segment.order:02d}",
        geometry=segment.geometry,
        properties={"kind": SEGMENT, "period": PERIOD_2025, "order": segment.order,
                    "vn_code": segment.vn_code, "vn_name": names[segment.vn_code],
                    "vn_name_vi": names[segment.vn_code], "vn_name_lo": names_lo[segment.vn_code],
                    "la_code": segment.la_code, "la_name": province_name(by_key[segment.la_key]),
                    "la_name_vi": province_name_vi(by_key[segment.la_key]),
                    "la_name_lo": province_name_lo(by_key[segment.la_key], places.lao_names),
                    "length_km": km(segment.length_m),
                    **datasets(dissolved(segments_dataset))},
    ) for segment in units.segments]


def _linked(located: LocatedEvent, by_id: Mapping[str, LocatedEvent]) -> Properties:
    """The statement of the same event in the other text, as a reader of the popup wants it:
    its date and its sentence with file and line (the first, when the other text states it
    twice); empty when it has none."""
    others = [by_id[i] for i in located.link_id.split("+")
              if i in by_id and by_id[i].event.language != located.event.language]
    other = others[0] if others else None
    date = other.timeline_date if other else None
    cited = other.event.provenance if other else None
    return {"link_start": date.start if date else "", "link_end": date.end if date else "",
            "link_precision": date.precision if date else "",
            "link_open_end": date.open_end if date else False,
            "link_quote": cited.quote if cited else "", "link_file": cited.file if cited else "",
            "link_line": cited.line if cited else None}


def event_features(events: Sequence[LocatedEvent], places: Places | None = None,
                   ) -> list[LayerFeature]:
    """One point per (dated event, place it dates), earliest first; a place named twice in
    one sentence is one point, and an event without a date or a place it dates has none (it is
    in the manifest, its places mentioned there)."""
    out = []
    by_id = {located.id: located for located in events}
    for located in events:
        date, event = located.timeline_date, located.event
        if date is None:
            continue
        seen: set[str] = set()
        for mention in located.places:
            if not mention.dated:
                continue
            for place in mention.points:
                if place.id in seen or place.lon is None or place.lat is None:
                    continue
                seen.add(place.id)
                names = {"place_written": mention.written, "place_name": place.name,
                         "place_name_vi": place.name_vi, "place_name_lo": place.name_lo}
                out.append(LayerFeature(
                    id=f"{event.id}-{place.id}",
                    geometry=Point(place.lon, place.lat),
                    properties={
                        "event_id": event.id, "link_id": located.link_id,
                        **_linked(located, by_id),
                        "language": event.language, "start": date.start, "end": date.end,
                        "precision": date.precision, "open_end": date.open_end,
                        "date_text": date.text, "qualifier": date.qualifier,
                        "dates": "; ".join(d.text for d in event.dates),
                        "place_written": mention.written, "place_name": place.name,
                        "place_name_vi": place.name_vi, "place_name_lo": place.name_lo,
                        "place_name_lo_rule": place.name_lo_rule, "place_kind": place.kind,
                        "place_country": place.country, "place_iso_3166_2": place.iso_3166_2,
                        "place_dataset": place.dataset, "place_dataset_id": place.dataset_id,
                        "place_rule": mention.rule, "date_rule": mention.date_rule,
                        **(places.others(place.id, names) if places else {}),
                        "region": mention.region.name if mention.region else "",
                        "dataset": catalog.DATASETS_BY_KEY[place.dataset].title,
                        **_cited(event.provenance),
                    },
                ))
    return sorted(out, key=lambda f: (str(f.properties["start"]), str(f.properties["end"]), f.id))


def layer_features(records: SeedRecords, places: Places, geometry: BorderGeometry,
                   outlines: Sequence[Outline], parties: Sequence[BaseGeometry],
                   units: UnitsGeometry, changes: Sequence[AdminChange], converter: str,
                   areas: Sequence[OfficialArea] = (), ranks: Sequence[MissionRank] = (),
                   ) -> dict[str, list[LayerFeature]]:
    """Every layer's features, by layer key (in ``catalog.LAYER_FILES`` order)."""
    by_key = places.by_key()
    areas_before, areas_since = official_areas(areas, places.units_2025)
    sides = {code: {k: m for k, m in by_key.items() if m.mention.country == code}
             for code in PARTIES}
    out = {
        "border": border_features(records, geometry),
        "segments": segment_features(geometry, by_key, places.lao_names),
        **{catalog.PROVINCE_LAYERS[code]: province_features(
            places.provinces[code], geometry, sides[catalog.other_party(code)], places.lao_names,
            places.others, areas_before)
           for code in PARTIES},
        "missions": mission_features(records.missions, places.cities, places.city_vi, places,
                                     ranks),
        "countries": country_features(outlines, parties),
        "water": water_features(geometry.water),
        "provinces_vn_2025": unit_features(places, geometry, units, changes, converter, areas_since),
        "segments_2025": unit_segment_features(places, units, converter),
        "events": event_features(places.events, places),
    }
    return {key: out[key] for key in catalog.LAYER_FILES}
