"""Records and geometry → RFC 7946 FeatureCollections, serialised the same way every time.

Stable bytes are what make ``laovn-map check`` and ``git diff geo/`` meaningful: coordinates
snapped to 6 decimals (about 0.1 m) with a topology-aware precision grid, exterior rings
counter-clockwise, keys sorted, one feature per line, a trailing newline. No timestamps.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from laovn_map.errors import GeometryError

COORDINATE_DECIMALS = 6
_GRID = 10.0 ** -COORDINATE_DECIMALS

Properties = dict[str, str | int | float | bool | None]


@dataclass(frozen=True)
class LayerFeature:
    """One output feature: a stable id, its geometry and flat properties."""

    id: str
    geometry: BaseGeometry
    properties: Properties


def rfc7946_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the 6-decimal grid (keeping validity) and orient rings as RFC 7946 asks."""
    snapped = shapely.set_precision(geom, _GRID)
    if isinstance(snapped, Polygon):
        return orient(snapped, sign=1.0)
    if isinstance(snapped, MultiPolygon):
        return MultiPolygon([orient(p, sign=1.0) for p in snapped.geoms])
    return snapped


def _round_coordinates(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    # After snapping, values sit on the grid up to float noise (105.12345600000001); rounding
    # gives the double whose repr is the short decimal. Adding 0.0 turns -0.0 into 0.0.
    rounded: npt.NDArray[np.float64] = np.round(coords, COORDINATE_DECIMALS) + 0.0
    return rounded


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    if geom.is_empty:
        msg = "An output geometry is empty."
        raise GeometryError(msg)
    if not isinstance(geom, Point | LineString | MultiLineString | Polygon | MultiPolygon):
        msg = f"Unsupported output geometry type {geom.geom_type}."
        raise GeometryError(msg)
    fixed = rfc7946_geometry(geom)
    if not fixed.is_valid:
        msg = f"An output {fixed.geom_type} is invalid after snapping: {shapely.is_valid_reason(fixed)}."
        raise GeometryError(msg)
    rounded = shapely.transform(fixed, _round_coordinates)
    return {"type": rounded.geom_type, "coordinates": _coordinates(rounded)}


def _coordinates(geom: BaseGeometry) -> Any:
    """The GeoJSON ``coordinates`` of a non-empty geometry: what ``mapping()`` gives, as lists.

    Why: ``mapping()`` walks every coordinate in Python; here each
    array of coordinates is converted to lists in one call. Lists and tuples serialise
    alike, and the numbers are the same doubles.
    """
    if isinstance(geom, Point | LineString):
        coords = _line_coordinates(np.array([geom], dtype=object))[0]
        return coords[0] if isinstance(geom, Point) else coords
    if isinstance(geom, MultiLineString):
        return _line_coordinates(shapely.get_parts(geom))
    polygons = np.array([geom], dtype=object) if isinstance(geom, Polygon) else shapely.get_parts(geom)
    rings, owner = shapely.get_rings(polygons, return_index=True)
    ring_coords = _line_coordinates(rings)
    by_polygon: list[list[Any]] = [[] for _ in range(len(polygons))]
    for index, coords in zip(owner.tolist(), ring_coords, strict=True):
        by_polygon[index].append(coords)
    return by_polygon[0] if isinstance(geom, Polygon) else by_polygon


def _line_coordinates(lines: npt.NDArray[Any]) -> list[list[list[float]]]:
    """Coordinate lists of each point, line or ring in *lines* (z included where present)."""
    coords, owner = shapely.get_coordinates(lines, include_z=bool(shapely.has_z(lines).any()),
                                            return_index=True)
    flat: list[list[float]] = coords.tolist()
    bounds = np.searchsorted(owner, np.arange(len(lines) + 1)).tolist()
    return [flat[start:end] for start, end in pairwise(bounds)]


def _check_properties(feature_id: str, properties: Mapping[str, Any]) -> None:
    for key, value in properties.items():
        if not (value is None or isinstance(value, str | int | float | bool)):
            msg = f"Property {key!r} of {feature_id!r} is not flat ({type(value).__name__})."
            raise GeometryError(msg)
        if isinstance(value, float) and not math.isfinite(value):
            msg = f"Property {key!r} of {feature_id!r} is not a finite number."
            raise GeometryError(msg)


def feature_collection_bytes(layer: str, features: Iterable[LayerFeature]) -> bytes:
    """Serialise one layer: keys sorted, one feature per line, UTF-8, trailing newline."""
    lines = []
    seen: set[str] = set()
    for feature in features:
        if feature.id in seen:
            msg = f"Layer {layer!r} has two features with id {feature.id!r}."
            raise GeometryError(msg)
        seen.add(feature.id)
        properties = {**feature.properties, "id": feature.id, "layer": layer}
        _check_properties(feature.id, properties)
        record = {"type": "Feature", "id": feature.id, "geometry": geometry_json(feature.geometry),
                  "properties": properties}
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True,
                                separators=(",", ":"), allow_nan=False))
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n'.encode()


def json_bytes(data: Mapping[str, Any]) -> bytes:
    """Pretty, sorted, deterministic JSON for the manifest."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
            + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
