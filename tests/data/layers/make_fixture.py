"""Write the small hand-made layer set in this folder (schema: docs/data.md, "The layers in geo/").

The shapes are rough sketches, not real boundaries; a few strings are hostile on purpose so
that the escaping tests have something to catch. The two seed texts in seeds/ are hand-made
too (not the repository's seeds/), with the quoted passages on the lines the records cite, so a
test can tell which texts the page shows. Run it again after editing to refresh the checksums
in manifest.json:  .venv/bin/python tests/data/layers/make_fixture.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from laovn_map.catalog import ATTRIBUTION_FILE, LAYER_FILES, TEXTS_DIR, attribution_markdown

#: The layer key of each file, as the build's manifest names it.
LAYER_OF_FILE = {file: key for key, file in LAYER_FILES.items()}

HERE = Path(__file__).resolve().parent
EN = f"{TEXTS_DIR}/laos-vietnam-relations.en.txt"
VI = f"{TEXTS_DIR}/quan-he-lao-viet-nam.vi.txt"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_TEMPLATE = "${alert(1)} `tick` \\u{zz}"


def feature(fid: str, layer: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": fid,
        "geometry": geometry,
        "properties": {"id": fid, "layer": layer, **props},
    }


def polygon(*ring: tuple[float, float]) -> dict[str, Any]:
    coords = [list(p) for p in ring]
    return {"type": "Polygon", "coordinates": [[*coords, coords[0]]]}


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


BORDER_COORDS = [[102.14, 22.40], [102.90, 21.70], [103.30, 21.10], [104.00, 20.75]]

border = collection([
    feature(
        "border", "border",
        {"type": "LineString", "coordinates": BORDER_COORDS},
        kind="border_line", name_en="Laos–Vietnam border", name_vi="Biên giới Việt Nam – Lào",
        length_km_osm=2199.4, length_km_ne=1750.2, length_km_stated=2340.0,
        stated_text="khoảng 2.340km " + XSS_TEMPLATE, dataset="osm-countries-land-10m",
        source_file=VI, source_line=4,
        source_quote="Đường biên giới giữa Việt Nam và Lào dài khoảng 2.340km",
        source_article=f"Quan hệ Lào – Việt Nam {XSS_SCRIPT}", source_section="Lịch sử",
    ),
])

#: The articles the texts copy, as the build's manifest gives them (seeds' metadata files):
#: the English one with a recorded revision and day and a title full of what BibTeX and HTML
#: must escape, the Vietnamese one with neither recorded.
TEXT_ARTICLES: dict[str, dict[str, Any]] = {
    EN: {"title": "Laos–Vietnam {relations} & 100% <b>_#$^~\\</b>",
         "url": "https://en.wikipedia.org/wiki/Laos%E2%80%93Vietnam_relations?a={b}",
         "revision": 1234567, "retrieved": "2024-05-01",
         "sections": [{"line": 2, "title": "History"}]},
    VI: {"title": "Quan hệ Lào – Việt Nam", "url": "https://vi.wikipedia.org/wiki/Quan_h%E1%BB%87",
         "revision": None, "retrieved": None, "sections": [{"line": 3, "title": "Lịch sử"}]},
}

segments = collection([
    feature(
        "segment-00", "segments", {"type": "LineString", "coordinates": BORDER_COORDS[:3]},
        kind="segment", order=0, vn_code="VN-71", vn_name="Điện Biên", la_code="LA-PH",
        la_name="Phongsaly", length_km=180.5, dataset="osm-countries-land-10m",
    ),
    feature(
        "segment-01", "segments", {"type": "LineString", "coordinates": BORDER_COORDS[2:]},
        kind="segment", order=1, vn_code="VN-05", vn_name="Sơn La", la_code="LA-HO",
        la_name="Houaphanh " + XSS_IMG, length_km=95.25, dataset="osm-countries-land-10m",
    ),
])

SEED_LIST = (
    "trải dài suốt 10 tỉnh của Việt Nam là: Điện Biên, Sơn La, Thanh Hoá, Nghệ An, Hà Tĩnh,"
)


def province(code: str, country: str, seed: str, vi: str, en: str, local: str, km: float,
             neighbours: str, order: int, geom: dict[str, Any], quote: str) -> dict[str, Any]:
    return feature(
        code, f"provinces_{country.lower()}", geom, country=country, name_seed=seed,
        name_vi=vi, name_en=en, name_local=local, border_length_km=km, neighbours=neighbours,
        neighbour_codes="; ".join(n.split(" ")[0] for n in neighbours.split("; ")),
        match_rule="exact:name_vi" if country == "VN" else "alias", match_score=100,
        ne_adm1_code=f"NE-{code}", ne_id=1000 + order, wikidata=f"Q{9000 + order}",
        dataset="naturalearth-admin1-10m", source_file=VI, source_line=4, source_quote=quote,
        seed_order=order,
    )


provinces_vn = collection([
    province("VN-71", "VN", "Điện Biên", "Điện Biên", "Dien Bien", "Dien Bien", 180.5,
             "LA-PH Phongsaly", 0,
             polygon((102.14, 22.40), (103.00, 22.50), (103.30, 21.10), (102.90, 21.70)),
             SEED_LIST),
    province("VN-05", "VN", "Sơn La", "Sơn La", "Son La", "Son La", 95.25,
             "LA-HO Houaphanh", 1,
             polygon((103.30, 21.10), (104.90, 21.70), (104.00, 20.75)),
             SEED_LIST + " " + XSS_IMG),
])

provinces_la = collection([
    province("LA-PH", "LA", "Phỏng-sả-lỳ", "Phongsaly", "Phongsaly", "Phongsali", 180.5,
             "VN-71 Điện Biên", 0,
             polygon((102.14, 22.40), (102.90, 21.70), (103.30, 21.10), (101.80, 21.20)),
             "tiếp giáp với 10 tỉnh phía Lào là: Phỏng-sả-lỳ, Luổng-pha-bang, Hủa-phăn"),
    province("LA-HO", "LA", "Hủa-phăn", "Hủa Phăn", "Houaphanh " + XSS_IMG, "Houaphan", 95.25,
             "VN-05 Sơn La", 1,
             polygon((103.30, 21.10), (104.00, 20.75), (103.60, 20.00), (102.90, 20.40)),
             "Hủa-phăn " + XSS_SCRIPT),
])

MISSIONS: list[tuple[str, str, str, str, str, float, float, int, str]] = [
    # id suffix, kind, sending, host, city, lon, lat, source_line, extra quote
    ("embassy-vientiane", "embassy", "VN", "LA", "Vientiane", 102.6, 17.9667, 50, ""),
    ("consulate-luang-prabang", "consulate", "VN", "LA", "Luang Prabang", 102.135, 19.8856,
     51, ""),
    ("consulate-pakse", "consulate", "VN", "LA", "Pakse", 105.7833, 15.1167, 52,
     " " + XSS_SCRIPT + " " + XSS_IMG),
    ("consulate-savannakhet", "consulate", "VN", "LA", "Savannakhet", 104.75, 16.55, 53, ""),
    ("embassy-hanoi", "embassy", "LA", "VN", "Hanoi", 105.8412, 21.0245, 56, ""),
    ("consulate-ho-chi-minh-city", "consulate", "LA", "VN", "Ho Chi Minh City", 106.6296,
     10.823, 57, ""),
    ("consulate-da-nang", "consulate", "LA", "VN", "Da Nang", 108.2208, 16.0678, 58, ""),
]
COUNTRY = {"VN": "Vietnam", "LA": "Laos"}
AMBASSADOR = {"VN": ("Nguyễn Minh Tâm", "Vietnam Ambassador to Laos", 7,
                     "- Envoy2: Nguyễn Minh Tâm"),
              "LA": ("Khamphao Ernthavanh", "Laos Ambassador to Vietnam", 5,
                     "- Envoy1: Khamphao Ernthavanh")}


def mission(row: tuple[str, str, str, str, str, float, float, int, str], n: int
            ) -> dict[str, Any]:
    suffix, kind, sending, host, city, lon, lat, line, extra = row
    heading = ";Of Vietnam" if sending == "VN" else ";Of Laos"
    embassy = kind == "embassy"
    amb = AMBASSADOR[sending]
    return feature(
        f"{sending.lower()}-{suffix}", "missions", {"type": "Point", "coordinates": [lon, lat]},
        name=f"{'Embassy' if embassy else 'Consulate'} of {COUNTRY[sending]}, {city}",
        kind=kind, sending_country=sending, host_country=host,
        sending_country_name=COUNTRY[sending], host_country_name=COUNTRY[host], city=city,
        geonames_id=1650000 + n, geonames_name=city, geonames_population=100000 * (n + 1),
        ambassador=amb[0] if embassy else "", ambassador_title=amb[1] if embassy else "",
        source_file=EN, source_line=line,
        source_quote=f"{heading} / - {city} ({kind.capitalize()}){extra}",
        infobox_line=amb[2] if embassy else "", infobox_quote=amb[3] if embassy else "",
        dataset="geonames-cities15000",
    )


missions = collection([mission(r, i) for i, r in enumerate(MISSIONS)])

countries = collection([
    feature("LAO", "countries",
            polygon((100.1, 20.4), (101.8, 22.5), (102.14, 22.40), (104.0, 20.75), (107.6, 15.5),
                    (106.0, 13.9), (105.2, 14.3), (104.0, 18.0), (102.0, 17.9), (101.0, 17.5)),
            iso_a2="LA", is_party=True, dataset="naturalearth-admin0-10m"),
    feature("VNM", "countries",
            polygon((102.14, 22.40), (103.0, 22.8), (105.3, 23.3), (106.7, 22.8), (108.0, 21.5),
                    (106.5, 20.0), (106.0, 18.9), (107.2, 17.0), (109.3, 13.5), (109.0, 11.5),
                    (105.0, 8.6), (104.5, 10.4), (106.0, 11.0), (107.6, 15.5), (104.0, 20.75)),
            iso_a2="VN", is_party=True, dataset="naturalearth-admin0-10m"),
    feature("THA", "countries",
            polygon((100.1, 20.4), (101.0, 17.5), (102.0, 17.9), (104.0, 18.0), (105.2, 14.3),
                    (102.5, 12.0), (99.0, 10.0), (98.6, 16.0), (97.7, 18.6)),
            iso_a2="TH", is_party=False, dataset="naturalearth-admin0-10m"),
])

water = collection([
    feature("water-000", "water", polygon((102.5, 18.6), (102.7, 18.6), (102.7, 18.8), (102.5, 18.8)),
            area_km2=440.12, country="LA", dataset="osm-countries-land-10m",
            source_feature="A3=LAO, polygon 0, hole 3 " + XSS_SCRIPT),
])

provinces_vn_2025 = collection([
    feature("vn2025-11", "provinces_vn_2025",
            polygon((102.14, 22.40), (103.0, 22.2), (102.90, 21.70), (102.6, 21.5)),
            period="2025", national_code="11", iso_3166_2="", name_vi="Điện Biên",
            name_en="Điện Biên", name_full="Tỉnh Điện Biên", merged=False,
            merged_from="VN-71 Điện Biên", merged_codes="VN-71", area_km2=9541.0,
            area_km2_members=9541.0, border_length_km=180.5, neighbours="LA-PH Phongsaly",
            neighbour_codes="LA-PH", resolution="", in_force="", operating_from="",
            change_note="", change_source="", converter="vietnamadminunits 1.0.4",
            dataset="naturalearth-admin1-10m " + XSS_IMG),
])

segments_2025 = collection([
    feature("segment-2025-00", "segments_2025", {"type": "LineString", "coordinates": BORDER_COORDS[:3]},
            kind="segment", period="2025", order=0, vn_code="11", vn_name="Điện Biên",
            la_code="LA-PH", la_name="Phongsaly", length_km=180.5, dataset="osm-countries-land-10m"),
])

EVENT_VI = "Ngày 4/9/1945, Chủ tịch Hồ Chí Minh đã mời Hoàng thân Souphanouvong đang ở Vinh ra Hà Nội."
EVENT_EN = "In July 1977, Laos and Vietnam signed a treaty in Vientiane " + XSS_IMG
FIGURE_EN = "The two countries' bilateral trade was about US$725 million at the end of 2012."


def event(event_id: str, place: str, lon: float, lat: float, **props: Any) -> dict[str, Any]:
    return feature(f"{event_id}-{place}", "events", {"type": "Point", "coordinates": [lon, lat]},
                   event_id=event_id, **props)


events = collection([
    event("vi-005-0", "geonames-1562798", 105.69232, 18.67337, link_id="", language="vi",
          start="1945-09-04", end="1945-09-04", precision="day", date_text="4/9/1945",
          qualifier="", dates="4/9/1945", place_written="Vinh", place_name="Vinh",
          place_name_vi="", place_kind="city", place_country="VN", place_iso_3166_2="",
          place_dataset="geonames", place_dataset_id="1562798", place_rule="geonames:name",
          region="", dataset="GeoNames cities", source_file=VI, source_line=5,
          source_quote=EVENT_VI),
    event("en-010-0", "geonames-1651944", 102.6, 17.96667, link_id="en-010-0+vi-006-0",
          language="en", start="1977-07-01", end="1977-07-31", precision="month",
          date_text="July 1977", qualifier="", dates="July 1977", place_written="Vientiane",
          place_name="Vientiane " + XSS_SCRIPT, place_name_vi="Viêng Chăn", place_kind="city",
          place_country="LA", place_iso_3166_2="", place_dataset="geonames",
          place_dataset_id="1651944", place_rule="geonames:name", region="",
          dataset="GeoNames cities", source_file=EN, source_line=10, source_quote=EVENT_EN),
])

LAYERS = {
    "border.geojson": border,
    "segments.geojson": segments,
    "provinces_vn.geojson": provinces_vn,
    "provinces_la.geojson": provinces_la,
    "missions.geojson": missions,
    "countries.geojson": countries,
    "water.geojson": water,
    "provinces_vn_2025.geojson": provinces_vn_2025,
    "segments_2025.geojson": segments_2025,
    "events.geojson": events,
}


def seed_text(cited: dict[int, str], lines: int, marker: str) -> bytes:
    """A text of `lines` lines holding `cited[n]` on line n; the others say what they are."""
    body = [cited.get(n, f"{marker}, line {n}.") for n in range(1, lines + 1)]
    return ("\n".join(body) + "\n").encode()


TEXTS: dict[str, tuple[str, bytes]] = {
    EN: ("en", seed_text({
        1: "Laos–Vietnam relations (hand-made test fixture, not the article)",
        3: "A line with markup that must stay text: " + XSS_SCRIPT,
        5: "- Envoy1: Khamphao Ernthavanh", 7: "- Envoy2: Nguyễn Minh Tâm",
        10: EVENT_EN, 12: FIGURE_EN,
        49: ";Of Vietnam", 50: "- Vientiane (Embassy)", 51: "- Luang Prabang (Consulate)",
        52: "- Pakse (Consulate)", 53: "- Savannakhet (Consulate)", 55: ";Of Laos",
        56: "- Hanoi (Embassy)", 57: "- Ho Chi Minh City (Consulate)",
        58: "- Da Nang (Consulate)"}, 58, "Fixture filler")),
    VI: ("vi", seed_text({
        1: "Quan hệ Lào – Việt Nam (văn bản thử, không phải bài viết)",
        4: "Đường biên giới giữa Việt Nam và Lào dài khoảng 2.340km, " + SEED_LIST
           + " tiếp giáp với 10 tỉnh phía Lào là: Phỏng-sả-lỳ, Luổng-pha-bang, Hủa-phăn.",
        5: EVENT_VI, 6: "Năm 1977, hai nước kí hiệp ước hữu nghị."},
        6, "Dòng đệm")),
}


def dump(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def main() -> None:
    entries = []
    for name, fc in LAYERS.items():
        data = dump(fc)
        (HERE / name).write_bytes(data)
        entries.append({"name": LAYER_OF_FILE[name], "file": name, "features": len(fc["features"]),
                        "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    attribution = attribution_markdown().encode()
    (HERE / ATTRIBUTION_FILE).write_bytes(attribution)
    entries.append({"name": "attribution", "file": ATTRIBUTION_FILE, "features": 0,
                    "sha256": hashlib.sha256(attribution).hexdigest(), "bytes": len(attribution)})
    texts = []
    (HERE / TEXTS_DIR).mkdir(exist_ok=True)
    for file, (language, data) in TEXTS.items():
        (HERE / file).write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        texts.append({"file": file, "language": language, "sha256": digest,
                      "bytes": len(data), "source_sha256": digest, **TEXT_ARTICLES[file]})
    lengths = [f["properties"]["length_km"] for f in segments["features"]]
    manifest = {
        "generator": "tests/data/layers/make_fixture.py",
        "layers": entries,
        "texts": texts,
        "sources": [],
        "parameters": {},
        # as the build states them; embassies and consulates are left for the page to count
        "figures": {"border_length_km_osm": 2199.4, "border_length_km_ne": 1750.2,
                    "border_length_km_stated": 2340.0, "segments": len(lengths),
                    "segments_length_km_sum": sum(lengths),
                    "provinces": {"VN": len(provinces_vn["features"]),
                                  "LA": len(provinces_la["features"])},
                    "missions": len(missions["features"]),
                    "events": [
                        {"id": "vi-005-0", "language": "vi", "start": "1945-09-04",
                         "end": "1945-09-04", "precision": "day", "date_text": "4/9/1945",
                         "qualifier": "", "open_end": False, "link_id": "", "stated_start": 0,
                         "stated_end": len(EVENT_VI), "dates": [], "date_problems": [], "places": [],
                         "source_file": VI, "source_line": 5,
                         "source_quote": EVENT_VI},
                        {"id": "vi-006-0", "language": "vi", "start": "1977-01-01",
                         "end": "1977-12-31", "precision": "year", "date_text": "Năm 1977",
                         "qualifier": "", "open_end": False, "link_id": "en-010-0+vi-006-0",
                         "stated_start": 0, "stated_end": 40, "dates": [],
                         "date_problems": [], "places": [], "source_file": VI,
                         "source_line": 6, "source_quote": "Năm 1977, hai nước kí hiệp ước hữu nghị."},
                        {"id": "en-010-0", "language": "en", "start": "1977-07-01",
                         "end": "1977-07-31", "precision": "month", "date_text": "July 1977",
                         "qualifier": "", "open_end": False, "link_id": "en-010-0+vi-006-0",
                         "stated_start": 0, "stated_end": len(EVENT_EN), "dates": [],
                         "date_problems": [], "places": [], "source_file": EN,
                         "source_line": 10, "source_quote": EVENT_EN},
                    ],
                    "figures_from_texts": [
                        {"value": 725000000, "unit": "usd", "measure": "trade",
                         "text": "about US$725 million", "qualifier": "about", "language": "en",
                         "period_start": "2012-01-01", "period_end": "2012-12-31",
                         "period_precision": "year", "period_text": "the end of 2012",
                         "period_qualifier": "the end of", "source_file": EN, "source_line": 12,
                         "source_quote": FIGURE_EN},
                    ]},
        "note": "hand-made test fixture, not real data",
    }
    (HERE / "manifest.json").write_bytes(dump(manifest))


if __name__ == "__main__":
    main()
