// @ts-check
// What lies under a click: the rules, pure (chooser.js measures the shapes and asks these).
// A click opens its feature at once when one mark (a mission, an event, the border, a
// segment) is under it; where two or more share the spot, the reader chooses among them.

/**
 * A feature under a click: its id, its layer, the kind of its geometry ("point", "line" or
 * "polygon"), and where it is drawn (its layer's place in the drawing order, its own place
 * in its layer).
 * @typedef {object} Hit
 * @property {string} id
 * @property {string} layer
 * @property {string} kind
 * @property {number} layerIndex
 * @property {number} index
 */

/** The kinds of geometry drawn over the areas: the marks that can hide one another. */
var MARK_KINDS = ["point", "line"];

/**
 * How far (px) beyond a symbol's edge a click still counts as on it: a finger covers more
 * than a mouse pointer, and the border line is 2.5 px wide.
 * @param {string} pointerType  the click's ("mouse", "touch", "pen", or "" from the keyboard)
 * @returns {number}
 */
export function slopPx(pointerType) {
    return pointerType === "touch" ? 10 : 2;
}

/**
 * Whether a point is inside a polygon (even-odd over all its rings: holes count out).
 * @param {{lat: number, lng: number}[][]} rings
 * @param {number} lat
 * @param {number} lng
 * @returns {boolean}
 */
export function insideRings(rings, lat, lng) {
    var inside = false;
    rings.forEach(function (ring) {
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            var a = ring[i], b = ring[j];
            if ((a.lat > lat) !== (b.lat > lat) &&
                    lng < (b.lng - a.lng) * (lat - a.lat) / (b.lat - a.lat) + a.lng) {
                inside = !inside;
            }
        }
    });
    return inside;
}

/**
 * Whether a point is inside a polygon as Leaflet holds it: rings, or (several parts) a list
 * of polygons' rings.
 * @param {any[]} latlngs  Polygon.getLatLngs()
 * @param {number} lat
 * @param {number} lng
 * @returns {boolean}
 */
export function insidePolygon(latlngs, lat, lng) {
    if (!latlngs.length) { return false; }
    var multi = Array.isArray(latlngs[0]) && Array.isArray(latlngs[0][0]);
    var polygons = multi ? latlngs : [latlngs];
    return polygons.some(function (/** @type {any[]} */ p) {
        return insideRings(Array.isArray(p[0]) ? p : [p], lat, lng);
    });
}

/**
 * The hits as they are drawn, the topmost first: the points (their own pane, above), then
 * the lines, then the areas; within each, the later layer and the later feature on top.
 * @param {Hit[]} hits
 * @returns {Hit[]}
 */
export function topFirst(hits) {
    /** @param {string} kind */
    function rank(kind) { var i = MARK_KINDS.indexOf(kind); return i < 0 ? MARK_KINDS.length : i; }
    return hits.slice().sort(function (a, b) {
        return rank(a.kind) - rank(b.kind) || b.layerIndex - a.layerIndex || b.index - a.index;
    });
}

/**
 * Whether the reader chooses among the hits: two or more marks share the spot (one of them
 * hides or covers the other). One mark over an area opens at once, as it is drawn on top,
 * and the area is reached beside it.
 * @param {Hit[]} hits
 * @returns {boolean}
 */
export function isCrowded(hits) {
    return hits.filter(function (h) { return MARK_KINDS.indexOf(h.kind) >= 0; }).length >= 2;
}
