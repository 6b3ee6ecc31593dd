from __future__ import annotations

import json
from typing import Any

import pytest
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from laovn_map.build.geojson import LayerFeature, _coordinates, feature_collection_bytes, json_bytes
from laovn_map.errors import GeometryError

CLOCKWISE = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])


def parse(data: bytes) -> dict:  # type: ignore[type-arg]
    return json.loads(data.decode("utf-8"))  # type: ignore[no-any-return]


def test_rings_become_counter_clockwise_and_coordinates_six_decimals() -> None:
    assert not CLOCKWISE.exterior.is_ccw
    shifted = Polygon([(x + 0.1234567891, y + 0.0000004) for x, y in CLOCKWISE.exterior.coords])
    data = parse(feature_collection_bytes("t", [LayerFeature("a", shifted, {})]))
    geometry = data["features"][0]["geometry"]
    ring = geometry["coordinates"][0]
    assert Polygon(ring).exterior.is_ccw
    assert all(len(repr(c).split(".")[1]) <= 6 for xy in ring for c in xy)
    assert shape(geometry).is_valid


def test_collection_is_rfc7946_and_flat() -> None:
    data = parse(feature_collection_bytes("t", [
        LayerFeature("p", Point(105.5, 18.25), {"name": "Vinh", "n": 1, "ok": True, "none": None})]))
    assert set(data) == {"type", "features"}  # no crs, no bbox
    feature = data["features"][0]
    assert feature["id"] == feature["properties"]["id"] == "p"
    assert feature["properties"]["layer"] == "t"
    assert feature["geometry"] == {"type": "Point", "coordinates": [105.5, 18.25]}


def test_bytes_are_stable_sorted_and_end_with_newline() -> None:
    features = [LayerFeature("b", LineString([(1, 2), (3, 4)]), {"z": "ừ", "a": 1}),
                LayerFeature("a", orient(CLOCKWISE), {})]
    first = feature_collection_bytes("t", features)
    assert first == feature_collection_bytes("t", list(features))
    assert first.endswith(b"]}\n")
    line = first.decode().splitlines()[1]
    assert line.index('"a"') < line.index('"z"')
    assert "ừ" in first.decode()  # UTF-8, not \u escapes


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([LayerFeature("a", Point(0, 0), {}), LayerFeature("a", Point(1, 1), {})],
         "Layer 't' has two features with id 'a'."),
        ([LayerFeature("a", Point(0, 0), {"x": [1, 2]})],  # type: ignore[dict-item]
         "Property 'x' of 'a' is not flat (list)."),
        ([LayerFeature("a", Point(0, 0), {"x": float("nan")})],
         "Property 'x' of 'a' is not a finite number."),
        ([LayerFeature("a", Polygon(), {})], "An output geometry is empty."),
    ],
)
def test_bad_features_are_refused(features: list[LayerFeature], message: str) -> None:
    with pytest.raises(GeometryError) as err:
        feature_collection_bytes("t", features)
    assert str(err.value) == message


def test_manifest_json_is_sorted_and_indented() -> None:
    assert json_bytes({"b": 1, "a": "ừ"}) == b'{\n  "a": "\xe1\xbb\xab",\n  "b": 1\n}\n'


@pytest.mark.parametrize(
    "geom",
    [
        Point(105.5, 18.25),
        Point(1, 2, 3),
        LineString([(1, 2), (3, 4), (5, -0.5)]),
        MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 3), (4, 2)]]),
        Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (1, 2), (2, 2), (2, 1)],
                                                     [(3, 3), (3, 3.5), (3.5, 3.5)]]),
        MultiPolygon([Polygon([(0, 0), (1, 0), (1, 1)]),
                      Polygon([(5, 5), (9, 5), (9, 9), (5, 9)], [[(6, 6), (6, 7), (7, 7), (7, 6)]])]),
        Polygon([(0, 0, 1), (1, 0, 2), (1, 1, 3)]),
    ],
)
def test_coordinates_are_those_of_shapely_mapping(geom: BaseGeometry) -> None:
    def lists(value: Any) -> Any:
        return [lists(v) for v in value] if isinstance(value, tuple | list) else value

    assert _coordinates(geom) == lists(mapping(geom)["coordinates"])
