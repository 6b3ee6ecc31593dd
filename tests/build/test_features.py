"""Tests of laovn_map.build.features on small explicit records: ids, provenance and the base map."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import box

from laovn_map.build import features
from laovn_map.build.derive import WaterBody
from laovn_map.build.records import Provenance
from laovn_map.build.sources import Outline

HERE = Provenance("seeds/x.vi.txt", 7, "Câu trích.")


def test_provenance_and_km() -> None:
    assert features.provenance(HERE) == {"source_file": "seeds/x.vi.txt", "source_line": 7,
                                         "source_quote": "Câu trích."}
    assert features.km(2199214.885) == 2199.215


def test_water_features_keep_their_source_hole_and_area() -> None:
    body = WaterBody("LAO", 0, 12, box(104.9, 17.8, 105.1, 18.0), 462.04e6)
    (feature,) = features.water_features([body])
    assert feature.id == "water-000"
    assert feature.properties == {"area_km2": 462.04, "country": "LA",
                                  "dataset": features.catalog.OSM_LAND.title,
                                  "dataset_vi": features.catalog.OSM_LAND.title_in("vi"),
                                  "dataset_lo": features.catalog.OSM_LAND.title_in("lo"),
                                  "source_feature": "A3=LAO, polygon 0, hole 12",
                                  "source_feature_vi": "A3=LAO, đa giác 0, lỗ 12",
                                  "source_feature_lo": "A3=LAO, ຮູບຫຼາຍແຈ 0, ຮູ 12"}


def test_base_map_is_detailed_near_the_parties_and_coarse_beyond() -> None:
    """A wiggly far coast is simplified; the part near the parties keeps every vertex."""
    party = box(100, 10, 101, 11)
    wiggles = [(112 + i * 0.005, 10 + (0.003 if i % 2 else 0)) for i in range(400)]
    far = shapely.Polygon([*wiggles, (114, 12), (112, 12)])
    near = shapely.Polygon([(101.5, 10), (102, 10.001), (102.5, 10), (102.5, 11), (101.5, 11)])
    out = features.country_features([Outline("LAO", "LA", party), Outline("AAA", "AA", near),
                                     Outline("BBB", "BB", far)], [party])
    by_id = {f.id: f for f in out}
    assert by_id["LAO"].properties["is_party"] is True
    assert by_id["AAA"].properties["is_party"] is False
    assert shapely.get_num_coordinates(by_id["AAA"].geometry) == shapely.get_num_coordinates(near)
    assert shapely.get_num_coordinates(by_id["BBB"].geometry) < 50
    # beyond the context frame nothing is kept
    away = Outline("CCC", "CC", box(150, 10, 151, 11))
    assert [f.id for f in features.country_features([away], [party])] == []


def test_check_sides_refuses_a_province_on_the_border_that_the_text_does_not_list() -> None:
    from shapely.geometry import LineString, Point

    from laovn_map.build.border import BorderSegment
    from laovn_map.build.gazetteer import ProvinceMatch
    from laovn_map.build.records import ProvinceMention
    from laovn_map.build.sources import Province
    from laovn_map.errors import GeometryError

    def match(key: str, iso: str, country: str) -> ProvinceMatch:
        feature = Province(key, iso, "VNM" if country == "VN" else "LAO", {"name": iso}, Point(0, 0))
        return ProvinceMatch(ProvinceMention(country, iso, HERE), feature, "exact:name", 100.0)

    places = features.Places({"VN": (match("v1", "VN-01", "VN"),), "LA": (match("l1", "LA-01", "LA"),)},
                             (), {}, (), ())
    line = LineString([(0, 0), (0, 1)])
    listed = BorderSegment("v1", "VN-01", "l1", "LA-01", line, 5_000.0, 0)
    features.check_sides(places, [listed])  # both listed, both on the border: fine
    unlisted = BorderSegment("v2", "VN-02", "l1", "LA-01", line, 12_300.0, 1)
    with pytest.raises(GeometryError, match=r"Province VN-02 touches the OSM Laos–Vietnam border for "
                                            r"12\.3 km but is not in the list of seeds/x\.vi\.txt:7"):
        features.check_sides(places, [listed, unlisted])
    with pytest.raises(GeometryError, match=r"matched LA-01, which does not touch"):
        features.check_sides(places, [BorderSegment("v1", "VN-01", "l9", "LA-09", line, 1.0, 0)])


def test_an_event_has_one_point_per_place_and_none_without_a_date_or_point() -> None:
    from laovn_map.build.dates import Span, find_dates
    from laovn_map.build.events import LocatedEvent, locate
    from laovn_map.build.gazetteer import City
    from laovn_map.build.places import vocabulary
    from laovn_map.build.records import Event

    vinh = City(1562798, "Vinh", "VN", 790_000, 105.69, 18.67, ())
    words = vocabulary([vinh], [], [], [], [], [])
    quote = "Ngày 4/9/1945, Souphanouvong ở Vinh, rồi lại về Vinh."
    spans = tuple(d for d in find_dates(quote) if isinstance(d, Span))
    dated = Event("vi-011-0", "vi", spans, (), Provenance("seeds/x.vi.txt", 11, quote))
    undated = Event("vi-012-0", "vi", (), (), Provenance("seeds/x.vi.txt", 12, "ở Vinh"))
    located = locate([dated, undated], words)
    (point,) = features.event_features([*located, LocatedEvent(dated, located[0].date, ())])
    assert point.id == "vi-011-0-geonames-1562798"
    assert (point.geometry.x, point.geometry.y) == (105.69, 18.67)
    props = point.properties
    assert (props["start"], props["end"], props["precision"]) == ("1945-09-04", "1945-09-04", "day")
    assert (props["place_written"], props["place_rule"], props["place_dataset_id"]) == (
        "Vinh", "geonames:name", "1562798")
    assert props["source_quote"] == quote and props["source_line"] == 11


def test_an_event_point_carries_the_same_events_statement_in_the_other_text() -> None:
    from dataclasses import replace

    from laovn_map.build.dates import Span, find_dates
    from laovn_map.build.events import locate
    from laovn_map.build.gazetteer import City
    from laovn_map.build.places import vocabulary
    from laovn_map.build.records import Event

    vinh = City(1562798, "Vinh", "VN", 790_000, 105.69, 18.67, ())
    words = vocabulary([vinh], [], [], [], [], [])

    def event(id_: str, lang: str, line: int, quote: str) -> Event:
        spans = tuple(d for d in find_dates(quote) if isinstance(d, Span))
        return Event(id_, lang, spans, (), Provenance(f"seeds/x.{lang}.txt", line, quote))

    vi = event("vi-011-0", "vi", 11, "Ngày 4/9/1945, Souphanouvong ở Vinh.")
    en = event("en-020-0", "en", 20, "In September 1945 Souphanouvong came to Vinh.")
    link = "en-020-0+vi-011-0"
    located = [replace(e, link_id=link) for e in locate([vi, en], words)]
    by_event = {p.properties["event_id"]: p.properties for p in features.event_features(located)}
    linked = by_event["vi-011-0"]
    assert (linked["link_start"], linked["link_end"], linked["link_precision"]) == (
        "1945-09-01", "1945-09-30", "month")
    assert (linked["link_quote"], linked["link_file"], linked["link_line"]) == (
        en.provenance.quote, "seeds/x.en.txt", 20)
    assert by_event["en-020-0"]["link_quote"] == vi.provenance.quote
    alone = features.event_features(locate([vi], words))[0].properties
    assert (alone["link_quote"], alone["link_start"], alone["link_line"]) == ("", "", None)


def test_a_place_only_mentioned_gets_no_point_and_an_open_date_runs_to_the_horizon() -> None:
    from laovn_map.build.clauses import statements
    from laovn_map.build.dates import Span, find_dates
    from laovn_map.build.events import locate
    from laovn_map.build.gazetteer import City
    from laovn_map.build.places import vocabulary
    from laovn_map.build.records import Event

    vinh = City(1562798, "Vinh", "VN", 790_000, 105.69, 18.67, ())
    hue = City(1580240, "Huế", "VN", 340_000, 107.6, 16.46, ())
    words = vocabulary([vinh, hue], [], [], [], [], [])

    def event(id_: str, line: int, quote: str) -> Event:
        (told,) = statements(quote, list(find_dates(quote)))
        spans = tuple(d for d in told.dates if isinstance(d, Span))
        return Event(id_, "vi", spans, (), Provenance("seeds/x.vi.txt", line, quote),
                     (told.start, told.end), told.dated_from, told.where)

    after = event("vi-001-0", 1, "Sau khi rời Vinh, đoàn đến Huế tháng 12/1975.")
    since = event("vi-002-0", 2, "Kể từ năm 1980 hai nước họp tại Huế.")
    later = event("vi-003-0", 3, "Năm 2012 hai nước họp lại.")  # the texts' last closed date
    points = features.event_features(locate([after, since, later], words))
    assert [(p.properties["event_id"], p.properties["place_written"]) for p in points] == [
        ("vi-001-0", "Huế"), ("vi-002-0", "Huế")]  # Vinh, before the dated clause: no point
    opened = points[1].properties
    assert (opened["start"], opened["end"], opened["open_end"]) == (
        "1980-01-01", "2012-12-31", True)
