"""laovn_map.build.segments: the border line cut by province pair."""

from __future__ import annotations

import itertools
import json
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, box, shape
from shapely.ops import substring

from laovn_map import catalog
from laovn_map.build.border import BorderSegment, geodesic_length_m, province_border_lengths
from laovn_map.build.segments import _Line, split_border
from laovn_map.errors import GeometryError

from ..conftest import GEO
from .borderdata import DEG_PER_M, EXPECTED_LA, EXPECTED_VN, GEOD, LA_EAST, LINE, VN_WEST, _pairs, province


def _assert_chain(segments: list[BorderSegment], line: LineString) -> None:
    """Segments are in order, end to end, and their lengths add up to the line's."""
    assert [s.order for s in segments] == list(range(len(segments)))
    for before, after in itertools.pairwise(segments):
        assert before.geometry.coords[-1] == after.geometry.coords[0]
    total = sum(s.length_m for s in segments)
    assert total == pytest.approx(geodesic_length_m(line), rel=1e-9)


def test_split_pairs_and_breakpoints_of_two_by_two_squares() -> None:
    segments = split_border(LINE, VN_WEST, LA_EAST)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L1"), ("V2", "L2")]
    assert segments[0].geometry.coords[0] == (1.0, 3.0)  # northern end first
    assert segments[-1].geometry.coords[-1] == (1.0, 0.0)
    breaks = [s.geometry.coords[-1][1] for s in segments[:-1]]
    assert breaks == pytest.approx([2.0, 1.0], abs=50 * DEG_PER_M)
    assert breaks == pytest.approx([2.0, 1.0], abs=0.01 * DEG_PER_M)  # bisection: < 1 cm
    assert [s.vn_code for s in segments] == ["VN-V1", "VN-V2", "VN-V2"]
    assert [s.la_code for s in segments] == ["LA-L1", "LA-L1", "LA-L2"]
    _assert_chain(segments, LINE)
    for segment in segments:
        assert segment.length_m == pytest.approx(geodesic_length_m(segment.geometry))


def test_split_accepts_bare_geometries_with_codes() -> None:
    vn = {k: v.geometry for k, v in VN_WEST.items()}
    la = {k: v.geometry for k, v in LA_EAST.items()}
    segments = split_border(LINE, vn, la, codes={"V1": "VN-01", "L2": "LA-02"})
    assert [(s.vn_code, s.la_code) for s in segments] == [
        ("VN-01", "L1"),
        ("V2", "L1"),
        ("V2", "LA-02"),
    ]


def test_split_absorbs_a_short_run_without_losing_length() -> None:
    # The LA change is ~55 m south of the VN change: the (V1, L2) run between them is noise.
    la = {
        "L1": province("L1", box(1, 2.0005, 2, 3), "LA"),
        "L2": province("L2", box(1, 0, 2, 2.0005), "LA"),
    }
    segments = split_border(LINE, VN_WEST, la)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L2")]
    _assert_chain(segments, LINE)
    kept = split_border(LINE, VN_WEST, la, min_run_m=10.0)
    assert _pairs(kept) == [("V1", "L1"), ("V1", "L2"), ("V2", "L2")]
    assert kept[1].length_m == pytest.approx(GEOD.inv(1, 2.0005, 1, 2.0)[2], rel=1e-4)
    _assert_chain(kept, LINE)


def test_split_absorbs_a_province_touching_the_line_for_a_few_metres() -> None:
    vn = {
        "V1": province("V1", box(0, 2, 1, 3), "VN"),
        "V2": province("V2", box(0, 0, 1, 2).difference(box(0.5, 1.5, 1, 1.5003)), "VN"),
        "V3": province("V3", box(0.5, 1.5, 1, 1.5003), "VN"),  # ~33 m of the line
    }
    segments = split_border(LINE, vn, LA_EAST)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L1"), ("V2", "L2")]
    _assert_chain(segments, LINE)


def test_split_uses_the_nearest_province_where_provinces_stop_short() -> None:
    vn = {
        k: province(k, shapely.affinity.scale(v.geometry, 0.98, 1.0, origin=(0, 0)))
        for k, v in VN_WEST.items()
    }
    la = {k: province(k, shapely.affinity.translate(v.geometry, 0.01, 0)) for k, v in LA_EAST.items()}
    segments = split_border(LINE, vn, la)
    assert _pairs(segments) == [("V1", "L1"), ("V2", "L1"), ("V2", "L2")]
    _assert_chain(segments, LINE)


def test_split_rejects_bad_input() -> None:
    with pytest.raises(GeometryError, match="no VN provinces"):
        split_border(LINE, {}, LA_EAST)
    with pytest.raises(GeometryError, match="LineString"):
        split_border(box(0, 0, 1, 1), VN_WEST, LA_EAST)
    with pytest.raises(GeometryError, match="two distinct points"):
        split_border(LineString([(1, 1), (1, 1)]), VN_WEST, LA_EAST)
    with pytest.raises(GeometryError, match="province X has no polygon"):
        split_border(LINE, VN_WEST, {"X": LineString([(0, 0), (1, 1)])})
    with pytest.raises(GeometryError, match="max_step_m"):
        split_border(LINE, VN_WEST, LA_EAST, max_step_m=0)


def _assert_cuts_are_substrings(line: LineString, count: int) -> None:
    """``_Line.cut`` gives substring's very bytes, also when cutting exactly on a vertex."""
    border = _Line.build(line)
    rng = np.random.default_rng(7)
    vertices = rng.choice(len(border.walked), min(count, len(border.walked)), replace=False)
    stops = sorted({0.0, border.length, *border.planar[vertices].tolist(),
                    *np.asarray(border.walked)[vertices].tolist(),
                    *rng.uniform(0.0, border.length, count).tolist()})
    pairs = [*itertools.pairwise(stops),
             *(tuple(sorted(rng.choice(stops, 2, replace=False))) for _ in range(count))]
    for start, end in pairs:
        if start < end:
            expected = substring(border.geometry, start, end)
            assert shapely.to_wkb(border.cut(start, end)) == shapely.to_wkb(expected), (start, end)


def test_line_cut_equals_substring() -> None:
    zigzag = LineString([(0.1 * i, 0.37 * (i % 3) + 1e-9 * i * i) for i in range(40)])
    _assert_cuts_are_substrings(zigzag, 200)


@pytest.mark.slow
def test_real_provinces_of_both_sides_meet_on_the_line(real: dict[str, Any]) -> None:
    segments: list[BorderSegment] = real["segments"]
    line: LineString = real["line"]
    vn = shapely.union_all([real["vn"][k] for k in sorted({s.vn_key for s in segments})])
    la = shapely.union_all([real["la"][k] for k in sorted({s.la_key for s in segments})])
    count = int(geodesic_length_m(line) / 1000)  # a probe every ~1 km
    probes = shapely.line_interpolate_point(line, np.linspace(0, 1, count + 1), normalized=True)
    assert shapely.distance(vn, probes).max() <= 10 * DEG_PER_M
    assert shapely.distance(la, probes).max() <= 10 * DEG_PER_M
    overlap = shapely.intersection(vn, la)
    overlap_m2 = 0.0 if overlap.is_empty else abs(GEOD.geometry_area_perimeter(overlap)[0])
    assert overlap_m2 / geodesic_length_m(line) <= 10.0


@pytest.mark.slow
def test_real_segments_cover_the_line_between_the_expected_provinces(real: dict[str, Any]) -> None:
    segments: list[BorderSegment] = real["segments"]
    line: LineString = real["line"]
    total = geodesic_length_m(line)
    assert sum(s.length_m for s in segments) == pytest.approx(total, rel=0.001)
    _assert_chain(segments, line)
    assert {s.vn_code for s in segments} <= EXPECTED_VN
    assert {s.la_code for s in segments} <= EXPECTED_LA
    # Every expected province takes part, and the north end is Điện Biên / Phongsaly.
    assert {s.vn_code for s in segments} == EXPECTED_VN
    assert {s.la_code for s in segments} == EXPECTED_LA
    assert (segments[0].vn_code, segments[0].la_code) == ("VN-71", "LA-PH")
    assert (segments[-1].vn_code, segments[-1].la_code) == ("VN-28", "LA-AT")
    lengths = province_border_lengths(segments)
    assert sum(lengths.values()) == pytest.approx(2 * total, rel=0.001)


@pytest.mark.slow
def test_real_line_cut_equals_substring(real: dict[str, Any]) -> None:
    _assert_cuts_are_substrings(real["line"], 60)



def _built(file: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads((GEO / file).read_text(encoding="utf-8"))["features"]
    return features


@pytest.mark.parametrize("period", catalog.PERIODS)
def test_the_built_border_file_holds_the_line_once_and_each_period_its_segments(period: str) -> None:
    """border.geojson is the measured line alone; the segments the map draws in each period are
    a file of their own, which together make that line again (issue #22: the lines of
    border.geojson added up to twice the border)."""
    figures = json.loads((GEO / catalog.MANIFEST).read_text(encoding="utf-8"))["figures"]
    measured_km = figures["border_length_km_osm"]
    (line,) = _built("border.geojson")
    assert line["properties"]["kind"] == catalog.BORDER_LINE
    assert line["properties"]["length_km_osm"] == measured_km
    assert geodesic_length_m(shape(line["geometry"])) / 1000 == pytest.approx(measured_km, abs=0.001)

    source = catalog.PERIOD_SOURCES[period].get("segments",
                                                catalog.MAP_LAYER_BY_KEY["segments"].source)
    file = catalog.LAYER_FILES[source]
    assert file != "border.geojson"
    segments = _built(file)
    assert len(segments) >= 2
    assert {s["properties"]["kind"] for s in segments} == {catalog.SEGMENT}
    ids = [s["id"] for s in segments]
    assert len(ids) == len(set(ids)), file
    assert sorted(s["properties"]["order"] for s in segments) == list(range(len(segments)))
    # each length_km is rounded to the metre: their sum is within a metre a segment
    assert sum(s["properties"]["length_km"] for s in segments) == pytest.approx(
        measured_km, abs=0.001 * len(segments))
    assert sum(geodesic_length_m(shape(s["geometry"])) for s in segments) / 1000 == pytest.approx(
        measured_km, abs=0.001 * len(segments))
    if period == catalog.PERIOD_TEXT:
        assert len(segments) == figures["segments"]
