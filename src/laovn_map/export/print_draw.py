"""Drawing a print's map with matplotlib: the layers in the map's colours and widths, the names,
the scale bar, the north arrow and the legend's swatches. Every colour is the page's
(`mapstyle.COLOURS`, where the contrast checks see it)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely

from laovn_map.catalog import LAOS, VIETNAM
from laovn_map.export.features import Feature, geometries, leaflet_options
from laovn_map.export.print_content import MapLabel, PrintContent
from laovn_map.export.print_layout import TO_DEGREES, TO_METRES, Paper, project
from laovn_map.page.mapstyle import COLOURS, STORY_MARK

#: A Leaflet pixel on paper (pt): a print is read closer than a screen, so lines are finer.
PX_TO_PT = 0.6


def _rgba(css: str, alpha: float) -> tuple[float, float, float, float]:
    """`#rrggbb` and an opacity as matplotlib's RGBA."""
    value = css.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255,
            max(0.0, min(1.0, alpha)))


#: Outlines are simplified to this share of a printed pixel (at 300 dpi for the PDF): nothing
#: the eye or a zoomed PDF can tell, and far fewer vertices for matplotlib to draw.
PRINT_TOLERANCE_PX = 0.25


def draw_map(ax: Any, content: PrintContent, limits: tuple[float, float, float, float],
             paper: Paper, metres_per_px: float) -> None:
    """Every shown layer, bottom first, in the map's colours and widths: the full layers in
    UTM 48N, clipped to the map (plus a margin) and simplified below a printed pixel."""
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.patches import PathPatch

    xmin, ymin, xmax, ymax = limits
    margin = 0.05 * max(xmax - xmin, ymax - ymin)
    clip = (xmin - margin, ymin - margin, xmax + margin, ymax + margin)
    tolerance = PRINT_TOLERANCE_PX * metres_per_px
    for z, (layer, features) in enumerate(content.shown.items()):
        options = [marked_options(leaflet_options(layer, i, f.get("properties") or {}),
                                  f, content.marked) for i, f in enumerate(features)]
        geoms = shapely.transform(geometries(content.geometries, features), project)
        if all(g.geom_type == "Point" for g in geoms):
            # every point layer (missions, events) as the map's circle markers
            xy = shapely.get_coordinates(geoms)
            ax.scatter(xy[:, 0], xy[:, 1], zorder=10 + z,
                       s=[(2 * o.get("radius", 8) * PX_TO_PT * paper.k) ** 2 for o in options],
                       c=[_rgba(o["fillColor"], o["fillOpacity"]) for o in options],
                       edgecolors=[_rgba(o["color"], o["opacity"]) for o in options],
                       linewidths=[o["weight"] * PX_TO_PT * paper.k for o in options])
            continue
        geoms = shapely.simplify(shapely.clip_by_rect(geoms, *clip), tolerance)
        kept = [(g, o) for g, o in zip(geoms, options, strict=True) if not g.is_empty]
        if not kept:
            continue
        if all("Polygon" in g.geom_type for g, _ in kept):
            ax.add_collection(PatchCollection(
                [PathPatch(_polygon_path(g)) for g, _ in kept], zorder=z,
                linewidths=[o["weight"] * PX_TO_PT * paper.k for _, o in kept],
                facecolors=[_rgba(o["fillColor"], o["fillOpacity"]) for _, o in kept],
                edgecolors=[_rgba(o["color"], o["opacity"]) for _, o in kept]))
        else:
            lines = [(shapely.get_coordinates(part), o) for g, o in kept
                     for part in shapely.get_parts(g)]
            ax.add_collection(LineCollection(
                [xy for xy, _ in lines], zorder=z,
                linewidths=[o["weight"] * PX_TO_PT * paper.k for _, o in lines], capstyle="round",
                joinstyle="round", colors=[_rgba(o["color"], o["opacity"]) for _, o in lines]))


def marked_options(options: dict[str, Any], feature: Feature, marked: frozenset[str]
                   ) -> dict[str, Any]:
    """A feature's options, with the story's mark (`mapstyle.STORY_MARK`) when the statement
    shown selects it, as the map's CSS marks it."""
    if str((feature.get("properties") or {}).get("id")) in marked:
        return {**options, **STORY_MARK}
    return options


def _polygon_path(geom: Any) -> Any:
    """A (multi)polygon as one matplotlib path: every ring closed, holes wound against their
    exterior so that the nonzero fill leaves them open."""
    from matplotlib.path import Path as MplPath

    oriented = shapely.orient_polygons(geom)
    vertices, codes = [], []
    for ring in shapely.get_rings(shapely.get_parts(oriented)):
        xy = shapely.get_coordinates(ring)
        vertices.append(xy)
        codes += [MplPath.MOVETO, *[MplPath.LINETO] * (len(xy) - 2), MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


_LABEL_STYLE: dict[str, dict[str, Any]] = {
    # tier: size (pt at A4), weight, colour: the page's CSS (mapstyle.CSS), a size smaller;
    # regular or bold only (the weights fonts-noto-core has)
    "capital": {"size": 7.5, "weight": "bold", "color": COLOURS["label"]},
    "city": {"size": 7.0, "weight": "normal", "color": COLOURS["label"]},
    "party": {"size": 11.0, "weight": "bold", "color": COLOURS["label"]},
    "country": {"size": 8.0, "weight": "normal", "color": COLOURS["label_country"]},
    "province": {"size": 6.5, "weight": "bold", "color": COLOURS["label"]},
}
#: Province label colours by country (mapstyle.CSS: .laovn-label-vn / -la).
_PROVINCE_LABEL_COLOUR = {VIETNAM.code: COLOURS["label_vn"], LAOS.code: COLOURS["label_la"]}


def draw_labels(ax: Any, renderer: Any, content: PrintContent, paper: Paper,
                metres_per_mm: float) -> None:
    """The names, in rank order, each in the first of its forms that fits; a name is left out
    where every form would overlap one placed before it, leave the map, or (a province's) be
    larger than its province's box (the page's rules)."""
    from matplotlib import patheffects

    axes_box = ax.get_window_extent(renderer)
    placed: list[Any] = []
    pad = 1.0 * paper.k * renderer.points_to_pixels(1.0)

    def fits(box: Any, label: MapLabel) -> bool:
        if not (axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1 and axes_box.y0 <= box.y0
                and box.y1 <= axes_box.y1):
            return False
        if label.fit:
            south, west, north, east = label.fit
            (x0, y0), (x1, y1) = (ax.transData.transform(TO_METRES.transform(lon, lat))
                                  for lon, lat in ((west, south), (east, north)))
            if box.width > abs(x1 - x0) or box.height > abs(y1 - y0):
                return False
        return not any(box.x0 < p.x1 + pad and p.x0 < box.x1 + pad and box.y0 < p.y1 + pad
                       and p.y0 < box.y1 + pad for p in placed)

    for label in content.labels:
        style = _LABEL_STYLE[label.tier]
        x, y = TO_METRES.transform(label.lon, label.lat)
        city = label.tier in ("capital", "city")
        for form in label.texts:
            args = (x + (3.2 * paper.k * metres_per_mm if city else 0), y, form)
            look = {"ha": "left" if city else "center", "va": "center",
                    "fontsize": paper.pt(style["size"]), "fontweight": style["weight"],
                    "color": _PROVINCE_LABEL_COLOUR.get(label.country, style["color"]),
                    "linespacing": 1.05, "multialignment": "left" if city else "center"}
            text = ax.text(*args, zorder=31, **look)
            box = text.get_window_extent(renderer)
            if fits(box, label):
                placed.append(box)
                # the halo under the name: a path effect turns its text into outlines, so the
                # name itself stays text a reader can copy from the PDF
                ax.text(*args, zorder=30, **look, path_effects=[patheffects.Stroke(
                    linewidth=paper.pt(2.0), foreground=COLOURS["paper"])])
                break
            text.remove()


def draw_scale_and_north(ax: Any, content: PrintContent,
                         limits: tuple[float, float, float, float], paper: Paper,
                         metres_per_mm: float, length_km: float) -> None:
    """The scale bar (bottom left) and the north arrow (top left), haloed over the map."""
    from matplotlib import patheffects
    from matplotlib.patches import FancyBboxPatch, Rectangle

    xmin, ymin, _xmax, ymax = limits
    halo = [patheffects.withStroke(linewidth=paper.pt(2.0), foreground=COLOURS["paper"])]
    # scale bar: a round length near a fifth of the map's width, in four alternating parts
    x0, y0 = xmin + 8 * paper.k * metres_per_mm, ymin + 8 * paper.k * metres_per_mm
    height = 1.6 * paper.k * metres_per_mm
    part = length_km * 1000 / 4
    ax.add_patch(FancyBboxPatch(
        (x0 - 3 * paper.k * metres_per_mm, y0 - 3.5 * paper.k * metres_per_mm),
        length_km * 1000 + 12 * paper.k * metres_per_mm, 10 * paper.k * metres_per_mm,
        boxstyle="round,pad=0", facecolor=_rgba(COLOURS["paper"], 0.85), edgecolor="none", zorder=40))
    for i in range(4):
        ax.add_patch(Rectangle((x0 + i * part, y0), part, height, zorder=41, linewidth=0.6,
                               facecolor=COLOURS["border"] if i % 2 == 0 else COLOURS["paper"],
                               edgecolor=COLOURS["border"]))
    for at, value in ((0, "0"), (2, f"{length_km / 2:g}"), (4, f"{length_km:g} {content.km}")):
        ax.text(x0 + at * part, y0 + height + 1.0 * paper.k * metres_per_mm, value, zorder=42,
                ha="center", va="bottom",
                fontsize=paper.pt(6.5), color=COLOURS["label"])
    # north arrow: true north where the arrow stands (UTM's grid north differs off 105°E)
    nx, ny = xmin + 12 * paper.k * metres_per_mm, ymax - 20 * paper.k * metres_per_mm
    lon, lat = TO_DEGREES.transform(nx, ny)
    tx, ty = TO_METRES.transform(lon, lat + 0.05)
    dx, dy = tx - nx, ty - ny
    norm = math.hypot(dx, dy)
    length = 10 * paper.k * metres_per_mm
    tip = (nx + dx / norm * length, ny + dy / norm * length)
    ax.annotate("", xy=tip, xytext=(nx, ny), zorder=42,
                arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.45",
                            "color": COLOURS["border"], "linewidth": paper.pt(1.6),
                            "shrinkA": 0, "shrinkB": 0})
    ax.text(tip[0] + dx / norm * 1.2 * paper.k * metres_per_mm,
            tip[1] + dy / norm * 1.2 * paper.k * metres_per_mm, content.north, zorder=42,
            ha="center", va="bottom", fontsize=paper.pt(10), fontweight="bold",
            color=COLOURS["border"], path_effects=halo)


def legend_handles(content: PrintContent, paper: Paper) -> list[Any]:
    """A swatch per legend entry, drawn as the map draws its layer."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for entry in content.legend:
        style = leaflet_options(entry.layer, 0, {"sending_country": entry.variant})
        if entry.layer in ("provinces_vn", "provinces_la", "water"):
            handles.append(Patch(facecolor=_rgba(style["fillColor"], max(style["fillOpacity"],
                                                                          0.33)),
                                 edgecolor=style["color"], linewidth=paper.pt(1.0)))
        elif entry.layer == "segments":
            handles.append(tuple(
                Line2D([], [], color=COLOURS[key], linewidth=paper.pt(4.0))
                for key in ("segment_a", "segment_b")))
        elif entry.layer == "border":
            handles.append(Line2D([], [], color=style["color"], linewidth=paper.pt(1.8)))
        else:
            size = 2 * style.get("radius", 8) * PX_TO_PT * paper.k
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=size,
                                  markerfacecolor=style["fillColor"],
                                  markeredgecolor=style["color"],
                                  markeredgewidth=style["weight"] * PX_TO_PT * paper.k))
    return handles
