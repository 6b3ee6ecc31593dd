"""Python-side probes: what a page hands to streamlit-folium, and how far its geometry is from
the full-resolution layers.

`capture` runs a page script with Streamlit's AppTest, with streamlit-folium's component
function replaced by a recorder: it returns the exact arguments (script, header, css/js links)
the browser would receive, and the `folium.Map` the page built. The displayed geometry is read
from that map's layer data (the JSON the browser decodes), so what the app does to its
geometry is what is measured, with the package's own measure (`display.hausdorff_m`, the one
the tests use).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from benchlib import gz


def capture(script: Path, env: Mapping[str, str] | None = None, repeat: int = 1
            ) -> dict[str, Any]:
    """Run `script` `repeat` times (bare AppTest) and record what it passes to
    streamlit-folium's component (which still gets it), with per run: the time the script
    took, when it began to hand the map over and how long that took, the component's own
    marshalling included (`map_call_s`: `st_folium` for the baselines, the app's
    `component.MapComponent.show`), the app's `st_folium` render of the map when it works out
    the arguments (`map_render_s`: once per build, so in the first run only, the caches being
    emptied first) and the time spent in `mapview.build_map` (the map is `fig`)."""
    import streamlit as st
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    from laovn_map.page import component, mapview

    # caches live as long as the process: an earlier capture's would hide the map's build
    st.cache_resource.clear()
    st.cache_data.clear()
    component.clear_kept()
    captured: dict[str, Any] = {}
    t_start = time.perf_counter()

    def record(**kwargs: Any) -> Any:
        captured["args"] = kwargs
        return real["component"](**kwargs)

    def timed(call: Any, name: str, **extra: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for k, v in extra.items():
                captured[k] = v(args)
            captured[f"t_{name}_start"] = time.perf_counter() - t_start
            t0 = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                captured[f"{name}_s"] = time.perf_counter() - t0
        return wrapper

    def build_map(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            captured["fig"] = real["build_map"](*args, **kwargs)
            return captured["fig"]
        finally:
            captured["build_map_s"] = time.perf_counter() - t0

    def timings() -> dict[str, Any]:
        if "show_s" in captured:  # the app: its call, and st_folium's render inside `of`
            return {"t_map_call_start": captured["t_show_start"], "map_call_s": captured["show_s"],
                    "map_render_s": captured.get("st_folium_s"),
                    "build_map_s": captured.get("build_map_s")}
        return {"t_map_call_start": captured.get("t_st_folium_start"),
                "map_call_s": captured.get("st_folium_s"),
                "build_map_s": captured.get("build_map_s")}

    real = {"st_folium": streamlit_folium.st_folium, "component": streamlit_folium._component_func,
            "show": component.MapComponent.show, "build_map": mapview.build_map,
            "ours": component._COMPONENT}
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    streamlit_folium._component_func = component._COMPONENT = record
    streamlit_folium.st_folium = timed(real["st_folium"], "st_folium", fig=lambda a: a[0])
    component.MapComponent.show = timed(real["show"], "show")  # type: ignore[method-assign]
    mapview.build_map = build_map
    try:
        at = AppTest.from_file(str(script), default_timeout=120)
        runs = []
        for _ in range(max(1, repeat)):  # the first run fills the page's caches
            t_start = time.perf_counter()
            for key in ("build_map_s", "show_s", "t_show_start", "st_folium_s",
                        "t_st_folium_start"):
                captured.pop(key, None)
            at.run()
            runs.append({"script_s": time.perf_counter() - t_start, **timings()})
        captured["runs"] = runs
        captured["exception"] = [str(e.value) for e in at.exception]
    finally:
        streamlit_folium.st_folium = real["st_folium"]
        streamlit_folium._component_func = real["component"]
        component._COMPONENT = real["ours"]
        component.MapComponent.show = real["show"]  # type: ignore[method-assign]
        mapview.build_map = real["build_map"]
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return captured


def payload_breakdown(args: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Raw and gzip bytes of each part of the component's arguments, as JSON text."""
    parts: dict[str, bytes] = {}
    for key in ("script", "header", "html", "feature_group", "layer_control"):
        value = args.get(key) or ""
        parts[key] = str(value).encode()
    parts["js_links"] = json.dumps(args.get("js_links") or []).encode()
    parts["css_links"] = json.dumps(args.get("css_links") or []).encode()
    out = {k: {"raw": len(v), "gzip": gz(v)} for k, v in parts.items() if v}
    whole = json.dumps({k: (v if isinstance(v, str | int | float | list | dict) or v is None
                            else str(v)) for k, v in args.items() if k != "on_change"},
                       default=str).encode()
    out["all_args_json"] = {"raw": len(whole), "gzip": gz(whole)}
    return out


# --- geometry --------------------------------------------------------------------------------

def _css_id(value: object) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", str(value).lower()).strip("-")


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def displayed_geometries(fig: Any) -> dict[str, Any]:
    """Geometry drawn on the map, by CSS id of the feature (its `laovn-id-…` class): the
    JSON each of the app's layer elements sends to the browser, decoded as the browser does."""
    from shapely.geometry import shape

    from laovn_map.page.lines import decode_geometry

    out: dict[str, Any] = {}
    for el in _walk(fig):
        if isinstance(getattr(el, "data_json", None), str):
            data = json.loads(el.data_json)
            for f in data["features"]:
                fid = next(c[len("laovn-id-"):] for c in f["cls"].split()
                           if c.startswith("laovn-id-"))
                out[fid] = shape(decode_geometry(data["kind"], f["geom"]))
    return out


def full_geometries(collections: Mapping[str, Mapping[str, Any]]
                    ) -> dict[str, dict[str, Any]]:
    """Full-resolution geometry by layer file, then by CSS id."""
    from shapely.geometry import shape

    out: dict[str, dict[str, Any]] = {}
    for name, fc in collections.items():
        for f in fc.get("features", []):
            props = f.get("properties") or {}
            fid = props.get("id", f.get("id"))
            if f.get("geometry"):
                out.setdefault(name, {})[_css_id(fid)] = shape(f["geometry"])
    return out


def geometry_error(fig: Any, collections: Mapping[str, Mapping[str, Any]]
                   ) -> dict[str, dict[str, Any]]:
    """Per layer: the largest Hausdorff distance (m, `display.hausdorff_m`) between a displayed
    feature and its full-resolution feature, with vertex counts, and features not found on the
    map."""
    import shapely

    from laovn_map.page.simplify import hausdorff_m

    shown = displayed_geometries(fig)
    result: dict[str, dict[str, Any]] = {}
    for layer, feats in full_geometries(collections).items():
        worst = 0.0
        missing: list[str] = []
        v_full = v_shown = 0
        for fid, full in feats.items():
            disp = shown.get(fid)
            if disp is None:
                missing.append(fid)
                continue
            v_full += shapely.get_num_coordinates(full)
            v_shown += shapely.get_num_coordinates(disp)
            worst = max(worst, hausdorff_m(full, disp))
        result[layer] = {"hausdorff_m": round(worst, 1), "features": len(feats),
                         "not_shown": missing, "vertices_full": int(v_full),
                         "vertices_shown": int(v_shown)}
    return result


# --- what simplification would give --------------------------------------------------------------

def simplified_collections(collections: Mapping[str, Mapping[str, Any]], tolerance_m: float
                           ) -> dict[str, dict[str, Any]]:
    """A copy of the layers with polygons simplified as coverages (shared edges stay shared:
    the 20 provinces together, the countries together) and lines simplified, all in the
    display module's metric CRS (UTM 48N)."""
    import copy

    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import mapping, shape

    from laovn_map.page.simplify import METRIC_CRS, to_metres

    back = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)

    def unproject(g: Any) -> Any:
        def fn(coords: Any) -> Any:
            x, y = back.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([np.round(x, 6), np.round(y, 6)])
        return shapely.transform(g, fn)

    out: dict[str, dict[str, Any]] = copy.deepcopy({k: dict(v) for k, v in collections.items()})
    groups = [["provinces_vn", "provinces_la"], ["countries"]]
    for names in groups:
        feats = [f for n in names if n in out for f in out[n]["features"]]
        geoms = np.array([to_metres(shape(f["geometry"])) for f in feats])
        if len(geoms):
            simple = shapely.coverage_simplify(geoms, tolerance_m)
            for f, g in zip(feats, simple, strict=True):
                f["geometry"] = mapping(unproject(g))
    for f in (f for name in ("border", "segments") if name in out for f in out[name]["features"]):
        g = to_metres(shape(f["geometry"]))
        f["geometry"] = mapping(unproject(shapely.simplify(g, tolerance_m, preserve_topology=True)))
    return out


def simplify_table(collections: Mapping[str, Mapping[str, Any]], build_map: Any,
                   leaflet_string: Any, tolerances: list[float]) -> list[dict[str, Any]]:
    """For each tolerance: Hausdorff per layer and the map script size the app would send."""
    rows = []
    for tol in tolerances:
        simple = simplified_collections(collections, tol) if tol > 0 else collections
        fig = build_map(simple)
        script = leaflet_string(fig).encode()
        err = geometry_error(fig, collections)
        rows.append({"tolerance_m": tol, "script_raw": len(script), "script_gzip": gz(script),
                     "hausdorff_m": {k: v["hausdorff_m"] for k, v in err.items()},
                     "vertices": sum(v["vertices_shown"] for v in err.values())})
    return rows
