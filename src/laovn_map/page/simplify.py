"""Lighter geometry for the map in the browser; the downloads keep the full layers.

The full layers carry ~50,000 vertices at 6 decimals, most of which a screen cannot show. For
display the provinces of both countries are simplified *together* as one coverage
(``shapely.coverage_simplify``), so a Vietnamese and a Lao province keep one shared edge along
the border, with no gap or sliver between them; the national outlines likewise. Lines are
simplified with Douglas–Peucker, each border segment on its own so their ends still meet. The
inland water bodies are a coverage of their own (they touch neither each other nor, since the
provinces include their water, any edge of another layer).
:func:`display_error_m` measures what that costs, in metres, per layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

FeatureCollection = dict[str, Any]

#: Coverage simplification tolerance (degrees, Visvalingam–Whyatt "effective area" as a length).
#: 0.0006 keeps every displayed province within about 90 m of the full layer.
POLYGON_TOLERANCE_DEG = 0.0006
#: Douglas–Peucker tolerance for lines (degrees; ~90 m, the provinces' own display error).
LINE_TOLERANCE_DEG = 0.0008
#: 4 decimals are ~11 m: below a screen pixel at the zooms where a province fills the screen.
DISPLAY_DECIMALS = 4
#: UTM zone 48N covers the border region; distances there are true to a fraction of a percent.
METRIC_CRS = "EPSG:32648"
#: The 2025 units are a coverage of their own: they replace the provinces of Vietnam on the map.
COVERAGES = (("provinces_vn", "provinces_la"), ("countries",), ("water",), ("provinces_vn_2025",))

_TO_METRES = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _round(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    rounded: npt.NDArray[np.float64] = np.round(coords, DISPLAY_DECIMALS)
    return rounded


def _finish(geom: BaseGeometry) -> dict[str, Any]:
    snapped = shapely.set_precision(geom, 10.0 ** -DISPLAY_DECIMALS)
    return dict(mapping(shapely.transform(snapped, _round)))


def display_layers(layers: Mapping[str, FeatureCollection]) -> dict[str, FeatureCollection]:
    """Copies of *layers* with simplified geometry; properties and ids untouched.

    The feature dicts are copied, not their contents: only `geometry` is replaced below, and a
    deep copy of the full-resolution coordinates cost most of this function's time.
    """
    out = {name: {**collection, "features": [dict(f) for f in collection.get("features", [])]}
           for name, collection in layers.items()}
    for group in COVERAGES:
        present = [name for name in group if name in out]
        features = [f for name in present for f in out[name]["features"]]
        if not features:
            continue
        simplified = shapely.coverage_simplify([shape(f["geometry"]) for f in features],
                                               POLYGON_TOLERANCE_DEG)
        for feature, geom in zip(features, simplified, strict=True):
            feature["geometry"] = _finish(geom)
    for collection in out.values():
        for feature in collection["features"]:
            kind = feature["geometry"]["type"]
            if kind in ("LineString", "MultiLineString"):
                line = shapely.simplify(shape(feature["geometry"]), LINE_TOLERANCE_DEG)
                feature["geometry"] = _finish(line)
    return out


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    def project(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = _TO_METRES.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, project)


def _directed_m(points: npt.NDArray[Any], target: BaseGeometry) -> float:
    """Largest distance from *points* to the nearest edge of *target* (an R-tree of edges)."""
    rings = shapely.get_parts(shapely.boundary(target)) if target.area > 0 else [target]
    edges = []
    for ring in shapely.get_parts(rings):
        coords = shapely.get_coordinates(ring)
        if len(coords) == 1:
            edges.append(shapely.points(coords))
        else:
            edges.append(shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1)))
    tree = shapely.STRtree(np.concatenate(edges))
    _, distances = tree.query_nearest(points, return_distance=True, all_matches=False)
    return float(distances.max()) if len(distances) else 0.0


def hausdorff_m(a: BaseGeometry, b: BaseGeometry) -> float:
    """Hausdorff distance between the outlines of *a* and *b* in metres (UTM 48N).

    Edges are sampled every 250 m so that a gap in the middle of a long edge counts too; the
    nearest-edge search uses an R-tree, so the cost grows as n log n rather than n × m.
    """
    ma, mb = to_metres(a), to_metres(b)
    pa = shapely.points(shapely.get_coordinates(shapely.segmentize(shapely.boundary(ma)
                                                                  if ma.area > 0 else ma, 250.0)))
    pb = shapely.points(shapely.get_coordinates(shapely.segmentize(shapely.boundary(mb)
                                                                  if mb.area > 0 else mb, 250.0)))
    return max(_directed_m(pa, mb), _directed_m(pb, ma))


def display_error_m(
    full: Mapping[str, FeatureCollection], shown: Mapping[str, FeatureCollection],
    names: Sequence[str] | None = None,
) -> dict[str, float]:
    """Per layer, the largest Hausdorff distance between a shown feature and its full form."""
    errors: dict[str, float] = {}
    for name in names or sorted(full):
        pairs = zip(full[name]["features"], shown[name]["features"], strict=True)
        errors[name] = max((hausdorff_m(shape(a["geometry"]), shape(b["geometry"]))
                            for a, b in pairs), default=0.0)
    return errors
