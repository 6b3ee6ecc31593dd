// @ts-check
// Drawing the layers from their language-free data (browserdata.layer_data): each shape
// once, coarse first far out, and its popup sized to the map as it opens.
import { laovn } from "./core.js";
import { decodeLine } from "./lines.js";
import { onShapeClick } from "./selection.js";
import { decorate, textLayer } from "./texts.js";

/** @typedef {import("./core.js").Shape} Shape */
/** @typedef {import("./core.js").Group} Group */
/** @typedef {import("./core.js").FullGeometry} FullGeometry */

/**
 * @param {number} lat
 * @param {number} lon
 * @returns {L.LatLng}
 */
function latLng(lat, lon) { return new L.LatLng(lat, lon); }

/** @returns {number} the widest a popup may be on the map now (px) */
export function popupWidth() {
    var popup = laovn.popup;
    return Math.max(120, Math.min(popup.maxWidth,
                                  laovn.map.getSize().x - 2 * popup.margin - popup.frameWidth));
}

/**
 * Sizes a shape's popup to the map just before it opens (a click, or `select`).
 * @param {{target: Shape, latlng: L.LatLng}} e
 */
export function fitPopup(e) {
    var map = laovn.map, shape = e.target, popup = laovn.popup;
    var bound = shape.getPopup();
    if (!bound) { return; }
    var options = bound.options;
    // where it goes (above the point or below, and how much shorter where neither has room
    // for it) is clearance.js's, once it is laid out
    options.maxWidth = popupWidth();
    options.minWidth = Math.min(50, options.maxWidth);
    options.maxHeight = Math.round(Math.max(popup.minHeight, map.getSize().y * popup.heightShare));
}

/**
 * A layer's shapes forgotten before it is drawn again (the period changed).
 * @param {string} layer
 */
function forget(layer) {
    Object.keys(laovn.shapes[layer] || {}).forEach(function (id) { laovn.byId.delete(id); });
    laovn.shapes[layer] = Object.create(null);
    laovn.coarse = laovn.coarse.filter(function (s) { return s.laovnLayer !== layer; });
}

/**
 * Leaflet's positions of a feature's encoded geometry (lines.encode_geometry).
 * @param {string} kind  "point", "line" or "polygon"
 * @param {any[]} geom
 * @param {number} scale
 * @returns {any}
 */
export function latLngs(kind, geom, scale) {
    var values = laovn.lineValues;
    /** @param {string} line */
    function decode(line) { return decodeLine(line, scale, values, latLng); }
    if (kind === "point") { return geom; }
    if (kind === "line") { return geom.map(decode); }
    var polygons = geom.map(function (p) { return p.map(decode); });
    return polygons.length === 1 ? polygons[0] : polygons;
}

/**
 * The full detail of every shape first drawn coarse: the same picture below
 * LOD_BELOW_ZOOM (each within a pixel of the true shape there), and what every view
 * shows from the moment the map is idle after its first paint, or at once when it zooms.
 */
export function refine() {
    if (laovn.refined) { return; }
    laovn.refined = true;
    laovn.coarse.forEach(function (shape) {
        var full = /** @type {FullGeometry} */ (shape.laovnFull);
        shape.laovnFull = null;
        /** @type {L.PolylineOptions} */ (shape.options).smoothFactor =
            L.Polyline.prototype.options.smoothFactor;
        if (shape.setLatLngs) { shape.setLatLngs(latLngs(full.kind, full.geom, full.scale)); }
    });
    laovn.coarse = [];
}

/**
 * Draws one layer's data into its feature group (again, when the period changes).
 * @param {any} data  browserdata.layer_data
 * @param {Group} group
 */
export function drawInto(data, group) {
    group.clearLayers();
    forget(data.layer);
    var shapes = laovn.shapes[data.layer];
    data.features.forEach(function (/** @type {any} */ f) {
        /** @type {any} */
        var options = Object.assign({}, data.style, f.style, {className: f.cls});
        if (data.pane) { options.pane = data.pane; }
        // far out, the coarse form first (browserdata.LOD_BELOW_ZOOM); see refine()
        var coarse = Boolean(f.lod) && !laovn.refined;
        var positions = latLngs(data.kind, coarse ? f.lod : f.geom, data.scale);
        // a coarse shape is already simplified (within a pixel): drawn as it is
        if (coarse) { options.smoothFactor = 0; }
        /** @type {Shape} */
        var shape = /** @type {any} */ (data.kind === "point" ? L.circleMarker(positions, options)
            : data.kind === "line" ? L.polyline(positions, options) : L.polygon(positions, options));
        if (coarse) {
            shape.laovnFull = {kind: data.kind, geom: f.geom, scale: data.scale};
            laovn.coarse.push(shape);
        }
        shape.laovnId = f.id;
        shape.laovnLayer = data.layer;
        shape.laovnAt = f.at || (data.kind === "point" ? f.geom : null);
        shape.laovnSpan = f.span || null;
        shape.laovnGroup = f.group || null;
        if (options.interactive !== false) {
            shape.on("click", fitPopup);  // before bindPopup's own click handler opens it
            shape.on("click", onShapeClick);
            shape.on("add", decorate);
            laovn.byId.set(f.id, shape);
        }
        shapes[f.id] = shape;
        shape.addTo(group);
    });
    if (laovn.texts) { textLayer(data.layer); }
}

/**
 * A layer's first drawing (laovnDraw): its group and data kept, to draw the text's period
 * again after 2025.
 * @param {any} data
 * @param {Group} group
 */
export function drawLayer(data, group) {
    group.laovnLayer = data.layer;
    laovn.groups[data.layer] = group;
    laovn.data[data.layer] = data;
    drawInto(data, group);
}

/**
 * Every layer shown in the drawing order again (`config.layers`, the base map first): a layer
 * drawn again (the period) or switched back on is added on top of its pane, where it would
 * cover the layers drawn after it (the segments over the border line).
 */
export function restack() {
    laovn.config.layers.forEach(function (name) {
        var group = laovn.groups[name];
        if (group && laovn.map.hasLayer(group)) { group.bringToFront(); }
    });
}
