// @ts-check
// A popup never lies under one of the map's controls: as it opens, the map pans it into the
// free rectangle (between the controls' boxes, as drawn now) that needs the shortest pan,
// through Leaflet's own autoPan padding. On a phone that is the band between the top and
// bottom controls; on a wide map often the room between the left and right columns.
import { beforePaint, laovn } from "./core.js";
import { panPopupIntoView } from "./leaflet-private.js";

/**
 * A box in the map's container: [left, top, right, bottom] (px).
 * @typedef {[number, number, number, number]} Box
 */
/**
 * Leaflet's autoPan padding for a popup: room kept from the top-left and bottom-right edges.
 * @typedef {{topLeft: [number, number], bottomRight: [number, number]}} Padding
 */

/**
 * @param {Box} a
 * @param {Box} b
 * @returns {boolean} whether the two boxes overlap (touching edges do not)
 */
export function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * How far `popup` must move to lie within [low + gap, high - gap] along one axis.
 * @param {number} start
 * @param {number} end
 * @param {number} low
 * @param {number} high
 * @param {number} gap
 * @returns {number}
 */
function shift(start, end, low, high, gap) {
    if (start < low + gap) { return low + gap - start; }
    if (end > high - gap) { return high - gap - end; }
    return 0;
}

/**
 * The autoPan padding that brings `popup` (its box, tip included) clear of every control
 * with the shortest pan: the free rectangles are those bounded by the map's edges and the
 * controls' edges that meet no control; of those the popup fits in (with `gap` around it),
 * the nearest. Null when it fits in none (the map is too small): Leaflet's default then.
 * @param {Box[]} controls  the controls' boxes
 * @param {[number, number]} size  the map's width and height
 * @param {Box} popup
 * @param {number} gap
 * @returns {Padding | null}
 */
export function clearPadding(controls, size, popup, gap) {
    var lefts = [0], rights = [size[0]], tops = [0], bottoms = [size[1]];
    controls.forEach(function (c) {
        lefts.push(c[2]); rights.push(c[0]); tops.push(c[3]); bottoms.push(c[1]);
    });
    var w = popup[2] - popup[0], h = popup[3] - popup[1];
    /** @type {Padding | null} */
    var best = null, cost = Infinity;
    lefts.forEach(function (l) {
        rights.forEach(function (r) {
            if (r - l < w + 2 * gap) { return; }
            tops.forEach(function (t) {
                bottoms.forEach(function (b) {
                    if (b - t < h + 2 * gap) { return; }
                    /** @type {Box} */
                    var room = [l, t, r, b];
                    if (controls.some(function (c) { return overlaps(c, room); })) { return; }
                    var dx = shift(popup[0], popup[2], l, r, gap);
                    var dy = shift(popup[1], popup[3], t, b, gap);
                    if (Math.abs(dx) + Math.abs(dy) < cost) {
                        cost = Math.abs(dx) + Math.abs(dy);
                        best = {topLeft: [l + gap, t + gap],
                                bottomRight: [size[0] - r + gap, size[1] - b + gap]};
                    }
                });
            });
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
 * Pan `popup` clear of the controls, once the frame it opened in has settled (the
 * selection panel it brings is shown by then).
 * @param {L.Popup} popup
 */
function clearOfControls(popup) {
    var map = laovn.map, element = popup.getElement();
    if (!element || !popup.isOpen()) { return; }
    var container = map.getContainer(), origin = container.getBoundingClientRect();
    var box = boxOf(element, origin);
    var tip = parseInt(getComputedStyle(element).marginBottom, 10) || 0;
    box[3] += tip;
    var size = map.getSize();
    var padding = clearPadding(controlBoxes(container), [size.x, size.y], box,
                               laovn.popup.margin);
    if (!padding) { return; }
    popup.options.autoPanPaddingTopLeft = padding.topLeft;
    popup.options.autoPanPaddingBottomRight = padding.bottomRight;
    // the panning limit may stop the pan short: a popup that would still reach above the
    // free room is made shorter (its content scrolls), then laid out and panned again
    var limit = laovn.limit;
    var room = limit ? Math.max(0, -map.latLngToContainerPoint(limit.getNorthWest()).y) : Infinity;
    var short = Math.ceil(padding.topLeft[1] - (box[1] + room));
    var content = element.querySelector(".leaflet-popup-content");
    if (short > 0 && content) {
        popup.options.maxHeight = Math.max(laovn.popup.minHeight / 2,
                                           Math.floor(content.getBoundingClientRect().height - short));
        popup.update();
        // content that now scrolls is reached by the keyboard too (WCAG 2.1.1)
        content.setAttribute("tabindex", "0");
        return;
    }
    panPopupIntoView(popup);
}

/**
 * Every popup, as it opens, clears the controls.
 * @param {L.Map} map
 */
export function keepPopupsClear(map) {
    map.on("popupopen", function (e) {
        var popup = /** @type {L.PopupEvent} */ (e).popup;
        // read now: a popup opened to keep the view (a link's `sel`) has autoPan off only
        // while it opens
        if (popup.options.autoPan === false) { return; }
        beforePaint(function () { clearOfControls(popup); });
    });
}
