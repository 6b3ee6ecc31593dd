// @ts-check
// A popup (a feature's, or the chooser's list) never lies under one of the map's controls nor
// past the map's edge: as it opens, it is placed in the free room between the controls' boxes
// as drawn now. It opens above the clicked point (Leaflet's way) or, where there is no room
// above (a point near the top of a map that cannot pan further north, its panning limit),
// below it, its tip turned up; it may slide sideways along its tip, and the map pans only what
// is left, within the panning limit; the last resort is a shorter popup whose content scrolls.
// What the reader clicked stays where it is wherever that suffices.
import { beforePaint, laovn } from "./core.js";

/**
 * A box in the map's container: [left, top, right, bottom] (px).
 * @typedef {[number, number, number, number]} Box
 */
/**
 * Where a popup goes: `below` its point or above, slid `dx` px sideways along its tip, the
 * map's content moved by `pan` ([x, y] px, the opposite of Leaflet's panBy), and the popup's
 * frame (content wrapper) `height` px tall.
 * @typedef {{below: boolean, dx: number, pan: [number, number], height: number}} Placement
 */
/**
 * What placePopup needs to know: the controls' boxes, the map's size, the point the popup
 * points at, its frame's width and height (as laid out, uncut), the least height it may be
 * cut to, the distance from the point to its frame (the tip) and past it, how far it may slide along its
 * tip, how far the map's content may move ([[min x, max x], [min y, max y]]), and the gap
 * kept from every control and edge.
 * @typedef {object} PlaceInput
 * @property {Box[]} controls
 * @property {[number, number]} size
 * @property {[number, number]} point
 * @property {number} width
 * @property {number} height
 * @property {number} minHeight
 * @property {number} reach
 * @property {number} tail  how far the tip's box reaches past the point
 * @property {number} slide
 * @property {[[number, number], [number, number]]} pan
 * @property {number} gap
 */

/** What a pixel of placement costs, against a pixel of pan: a slide along the tip is cheap
 * (the map stays still), a cut popup dear (its content then scrolls), and below the point a
 * fixed price (above is where a reader looks first). */
var COST = {slide: 0.5, cut: 4, below: 30};

/**
 * @param {Box} a
 * @param {Box} b
 * @returns {boolean} whether the two boxes overlap (touching edges do not)
 */
export function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * @param {number} value
 * @param {number} low
 * @param {number} high
 * @returns {number} `value` brought within [low, high]
 */
function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

/**
 * The free rectangles of the map: bounded by its edges and the controls' edges, meeting no
 * control.
 * @param {Box[]} controls
 * @param {[number, number]} size
 * @returns {Box[]}
 */
export function freeRooms(controls, size) {
    var lefts = [0], rights = [size[0]], tops = [0], bottoms = [size[1]];
    controls.forEach(function (c) {
        lefts.push(c[2]); rights.push(c[0]); tops.push(c[3]); bottoms.push(c[1]);
    });
    /** @type {Box[]} */
    var rooms = [];
    lefts.forEach(function (l) {
        rights.forEach(function (r) {
            if (r <= l) { return; }
            tops.forEach(function (t) {
                bottoms.forEach(function (b) {
                    /** @type {Box} */
                    var room = [l, t, r, b];
                    if (b > t && !controls.some(function (c) { return overlaps(c, room); })) {
                        rooms.push(room);
                    }
                });
            });
        });
    });
    return rooms;
}

/**
 * The sideways part of a placement in `room`: the slide along the tip and the map's pan that
 * bring the frame within the room (with `gap`), the slide first; null when none does.
 * @param {PlaceInput} input
 * @param {Box} room
 * @returns {{dx: number, pan: number} | null}
 */
function across(input, room) {
    var half = input.width / 2, x = input.point[0], gap = input.gap;
    // the whole shift (slide + pan) that puts the frame inside the room
    var low = Math.max(room[0] + gap - (x - half), -input.slide + input.pan[0][0]);
    var high = Math.min(room[2] - gap - (x + half), input.slide + input.pan[0][1]);
    if (low > high) { return null; }
    var shift = clamp(0, low, high), dx = clamp(shift, -input.slide, input.slide);
    return {dx: dx, pan: shift - dx};
}

/**
 * The up-and-down part of a placement in `room`, above or `below` the point: the map's pan
 * and the frame's height (cut no lower than minHeight) that bring the frame and its tip
 * within the room (with `gap`); null when none does.
 * @param {PlaceInput} input
 * @param {Box} room
 * @param {boolean} below
 * @returns {{pan: number, height: number} | null}
 */
function upDown(input, room, below) {
    var y = input.point[1], reach = input.reach, top = room[1] + input.gap;
    var bottom = room[3] - input.gap, panLow = input.pan[1][0], panHigh = input.pan[1][1];
    // the content moved by p: above, the frame spans [y + p - reach - h, y + p - reach] and
    // the tip's box reaches y + p + tail; below, it starts at y + p - tail and the frame spans
    // [y + p + reach, y + p + reach + h]
    var low = below ? Math.max(top - y + input.tail, panLow) : panLow;
    var high = below ? panHigh : Math.min(bottom - y - input.tail, panHigh);
    var space = below ? bottom - y - reach - low : high - (top - y + reach);
    var height = Math.min(input.height, space);
    if (low > high || height < Math.min(input.height, input.minHeight)) { return null; }
    if (below) { high = Math.min(high, bottom - y - reach - height); }
    else { low = Math.max(low, top - y + reach + height); }
    return {pan: clamp(0, low, high), height: height};
}

/**
 * Where a popup goes: of every free room and either side of its point, the placement that
 * costs least (pan, slide, cut, below: COST). Null where none fits (a map too small).
 * @param {PlaceInput} input
 * @returns {Placement | null}
 */
export function placePopup(input) {
    /** @type {Placement | null} */
    var best = null, cost = Infinity;
    freeRooms(input.controls, input.size).forEach(function (room) {
        var side = across(input, room);
        if (!side) { return; }
        [false, true].forEach(function (below) {
            var vertical = upDown(input, room, below);
            if (!vertical) { return; }
            var price = Math.abs(side.pan) + Math.abs(vertical.pan) + COST.slide * Math.abs(side.dx) +
                COST.cut * (input.height - vertical.height) + (below ? COST.below : 0);
            if (price < cost) {
                cost = price;
                best = {below: below, dx: side.dx, pan: [side.pan, vertical.pan],
                        height: vertical.height};
            }
        });
    });
    return best;
}

/**
 * A box of `el` in the map container's coordinates.
 * @param {Element} el
 * @param {DOMRect} origin  the container's box
 * @returns {Box}
 */
function boxOf(el, origin) {
    var r = el.getBoundingClientRect();
    return [r.left - origin.left, r.top - origin.top, r.right - origin.left, r.bottom - origin.top];
}

/**
 * The boxes of the map's controls as drawn now (a hidden one has none).
 * @param {HTMLElement} container
 * @returns {Box[]}
 */
export function controlBoxes(container) {
    var origin = container.getBoundingClientRect();
    return Array.prototype.filter.call(container.querySelectorAll(".leaflet-control"),
        function (/** @type {HTMLElement} */ c) { return c.getClientRects().length > 0; })
        .map(function (/** @type {HTMLElement} */ c) { return boxOf(c, origin); });
}

/**
 * How far the map's content may move (px) and stay within the panning limit; none at all
 * while the view is to stay as it is. A view already past the limit may stay there.
 * @param {L.Map} map
 * @param {boolean} still
 * @returns {[[number, number], [number, number]]}
 */
function panRoom(map, still) {
    var limit = laovn.limit;
    if (still) { return [[0, 0], [0, 0]]; }
    if (!limit) { return [[-Infinity, Infinity], [-Infinity, Infinity]]; }
    var size = map.getSize(), nw = map.latLngToContainerPoint(limit.getNorthWest());
    var se = map.latLngToContainerPoint(limit.getSouthEast());
    return [[Math.min(0, size.x - se.x), Math.max(0, -nw.x)],
            [Math.min(0, size.y - se.y), Math.max(0, -nw.y)]];
}

/** Leaflet's own offset of a popup from its point (the tip's length, below the point). */
var OFFSET = L.point(L.Popup.prototype.options.offset || [0, 7]);

/**
 * A popup back as Leaflet lays it out: above its point, centred on it (a shape's popup is
 * opened again and again).
 * @param {L.Popup} popup
 * @param {HTMLElement} element
 */
function unplace(popup, element) {
    L.DomUtil.removeClass(element, "laovn-below");
    element.style.removeProperty("--laovn-dx");
    popup.options.offset = OFFSET;
    popup.setLatLng(popup.getLatLng() || laovn.map.getCenter());
}

/**
 * Place `popup` clear of the controls (placePopup), once the frame it opened in has settled
 * (the selection panel it brings is shown by then).
 * @param {L.Popup} popup
 * @param {boolean} still  whether the view stays as it is (one restored from the address)
 */
function clearOfControls(popup, still) {
    var map = laovn.map, element = popup.getElement(), latlng = popup.getLatLng();
    if (!element || !latlng || !popup.isOpen()) { return; }
    unplace(popup, element);
    var container = map.getContainer(), origin = container.getBoundingClientRect();
    var frame = element.querySelector(".leaflet-popup-content-wrapper");
    var content = /** @type {HTMLElement | null} */ (element.querySelector(".leaflet-popup-content"));
    if (!frame || !content) { return; }
    var box = boxOf(frame, origin), point = map.latLngToContainerPoint(latlng);
    var size = map.getSize(), width = box[2] - box[0], height = box[3] - box[1];
    var place = placePopup({
        controls: controlBoxes(container), size: [size.x, size.y], point: [point.x, point.y],
        width: width, height: height, minHeight: laovn.popup.minHeight,
        reach: Math.max(0, point.y - box[3]), tail: OFFSET.y,
        // the tip stays on the frame, clear of its rounded corners
        slide: Math.max(0, width / 2 - 2 * laovn.popup.margin - 8),
        pan: panRoom(map, still), gap: laovn.popup.margin
    });
    if (!place) { return; }
    if (place.height < height) {
        // cut: the content scrolls, and is reached by the keyboard too (WCAG 2.1.1)
        var cut = Math.max(1, Math.floor(content.offsetHeight - (height - place.height)));
        popup.options.maxHeight = cut;
        content.style.height = cut + "px";
        L.DomUtil.addClass(content, "leaflet-popup-scrolled");
        content.setAttribute("tabindex", "0");
    }
    if (place.below) { L.DomUtil.addClass(element, "laovn-below"); }
    element.style.setProperty("--laovn-dx", place.dx + "px");
    popup.options.offset = L.point(OFFSET.x + place.dx, OFFSET.y);
    popup.setLatLng(latlng);
    // at once: the popup is where it goes from its first frame on
    if (place.pan[0] || place.pan[1]) { map.panBy([-place.pan[0], -place.pan[1]], {animate: false}); }
}

/**
 * Every popup, as it opens, is placed clear of the controls; Leaflet's own pan into view
 * (autoPan) is off for every popup of the map (texts.js, chooser.js): this places them. A
 * control that changes its size while a popup is open (the selection panel named again when
 * the page's state arrives, a legend unfolded) places it again, as does its text set again.
 * @param {L.Map} map
 */
export function keepPopupsClear(map) {
    /** @type {{popup: L.Popup, still: boolean} | null} */
    var open = null;
    function again() {
        var now = open;
        if (now) { beforePaint(function () { clearOfControls(now.popup, now.still); }); }
    }
    map.on("popupopen", function (e) {
        var popup = /** @type {L.PopupEvent} */ (e).popup;
        // read now: a popup opened to keep the view (a link's `sel`) opens while this is set
        open = {popup: popup, still: laovn.keepView};
        again();
        // its text set again (the page's state arrives, or another language): laid out anew
        popup.on("contentupdate", again);
    });
    map.on("popupclose", function (e) {
        var popup = /** @type {L.PopupEvent} */ (e).popup;
        popup.off("contentupdate", again);
        if (open && open.popup === popup) { open = null; }
    });
    map.on("resize", again);  // the frame sized again: the controls kept their corners
    if (typeof ResizeObserver === "undefined") { return; }
    var watch = new ResizeObserver(again);
    map.getContainer().querySelectorAll(".leaflet-control-container > div").forEach(
        function (corner) { watch.observe(corner); });
}
