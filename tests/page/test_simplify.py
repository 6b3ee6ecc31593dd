from __future__ import annotations

import gzip
import json

import pytest
import shapely
from shapely.geometry import Polygon, box, shape

from laovn_map.page.simplify import display_error_m, display_layers, hausdorff_m

from ..conftest import GEO

NAMES = ("border", "segments", "provinces_vn", "provinces_la", "countries", "missions", "water")


def load() -> dict[str, dict]:  # type: ignore[type-arg]
    return {n: json.loads((GEO / f"{n}.geojson").read_text(encoding="utf-8")) for n in NAMES}


def test_hausdorff_is_in_metres() -> None:
    square = box(105.0, 18.0, 105.01, 18.01)
    moved = shapely.affinity.translate(square, xoff=0.001)  # ~105 m east at 18°N
    assert 100 < hausdorff_m(square, moved) < 110


def test_shared_edges_stay_shared_after_simplifying() -> None:
    zigzag = [(0.5 + 0.00002 * (i % 2), i / 100) for i in range(101)]
    left = Polygon([(0, 0), *zigzag, (0, 1)])
    right = Polygon([(1, 0), (1, 1), *reversed(zigzag)])
    layers = {"provinces_vn": {"features": [{"geometry": shapely.geometry.mapping(left)}]},
              "provinces_la": {"features": [{"geometry": shapely.geometry.mapping(right)}]}}
    shown = display_layers(layers)
    a = shape(shown["provinces_vn"]["features"][0]["geometry"])
    b = shape(shown["provinces_la"]["features"][0]["geometry"])
    assert a.intersection(b).area < 1e-12  # no overlap
    assert abs(a.union(b).area - 1.0) < 1e-9  # no gap
    assert shapely.get_num_coordinates(a) < shapely.get_num_coordinates(left)


@pytest.mark.slow
def test_real_layers_stay_within_150_m_and_shrink() -> None:
    full = load()
    shown = display_layers(full)
    errors = display_error_m(full, shown)
    assert max(errors.values()) <= 150, errors
    assert errors["missions"] == 0
    assert set(errors) >= {"water", "countries"}
    for name in ("provinces_vn", "provinces_la", "border", "segments"):
        before = len(gzip.compress(json.dumps(full[name]).encode()))
        after = len(gzip.compress(json.dumps(shown[name]).encode()))
        assert after < before * 0.8, name
    for name in ("provinces_vn", "provinces_la", "countries", "water"):
        assert all(shape(f["geometry"]).is_valid for f in shown[name]["features"]), name
    assert [f["properties"] for f in shown["provinces_vn"]["features"]] == [
        f["properties"] for f in full["provinces_vn"]["features"]]

