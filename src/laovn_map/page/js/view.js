// @ts-check
// The view: the first one (the address's, else home), the zoom floor, the panning limit, and
// the touch screen's gestures.
import { el, laovn } from "./core.js";

/** The default view: the border region, framed. */
export function goHome() {
    var map = laovn.map;
    map.fitBounds(/** @type {L.LatLngBoundsLiteral} */ (laovn.config.home),
                  {padding: [24, 24], animate: false});
    withinLimit();
    laovn.home = {lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom()};
}

/**
 * One finger over the map scrolls the page on a touch screen; two fingers pan and zoom it
 * (Leaflet's pinch zoom follows the fingers' centre). A hint says so on a one-finger swipe.
 * @param {L.Map} map
 */
export function touchGestures(map) {
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches &&
        !window.matchMedia("(any-pointer: fine)").matches;
    if (!(coarse || L.Browser.mobile)) { return; }
    map.dragging.disable();
    L.DomUtil.addClass(map.getContainer(), "laovn-gestures");
    var hint = el("div", "laovn-touch-hint");
    hint.setAttribute("aria-hidden", "true");
    hint.hidden = true;
    map.getContainer().appendChild(hint);
    laovn.hint = hint;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    var timer;
    map.getContainer().addEventListener("touchmove", function (e) {
        if (e.touches.length !== 1) { hint.hidden = true; return; }
        hint.hidden = false;
        clearTimeout(timer);
        timer = setTimeout(function () { hint.hidden = true; }, 1200);
    }, {passive: true});
}

/** Never zoomed out so far that the view reaches past the base map's outlines. */
export function zoomFloor() {
    var map = laovn.map, config = laovn.config;
    // worked out afresh for the map's size: getBoundsZoom clamps to the floor already set, so
    // a floor raised while the map was wider would otherwise stay when it narrows
    map.options.minZoom = config.minZoom;
    var fit = config.extent ?
        map.getBoundsZoom(/** @type {L.LatLngBoundsLiteral} */ (config.extent), true) : config.minZoom;
    var floor = Math.max(config.minZoom, fit);
    if (map.getZoom() < floor) { map.setZoom(floor, {animate: false}); }
    map.setMinZoom(floor);
}

/**
 * The view the map opens with: the URL's (each value checked; a bad one falls back to its
 * default), else home. Set by laovnInit, before any layer is on the map, so that each
 * shape is projected and clipped once for it.
 */
export function firstView() {
    settingTheView(function () {
        var map = laovn.map, view = laovn.startView;
        zoomFloor();  // first: a view fitted below the floor would be pulled off centre
        goHome();
        if (view) { map.setView(view.center, view.zoom, {animate: false}); withinLimit(); }
    });
}

/** Kept within the panning limit at once (Leaflet would pan there after the move, animated). */
function withinLimit() {
    if (laovn.limit) { laovn.map.panInsideBounds(laovn.limit, {animate: false}); }
}

// While the page sets the view, and while Leaflet measures the map's size, no move is the
// reader's. Leaflet's own pan back inside the panning limit, which it starts animated after
// every move, would end a quarter of a second later off the view just set, so the limit is
// lifted meanwhile and applied at once by withinLimit.
var settingView = false;
/** @returns {boolean} whether the page, not the reader, is moving the map now */
export function isSettingView() { return settingView; }
/** @param {() => void} set */
function settingTheView(set) {
    var map = laovn.map, was = settingView;
    settingView = true;
    if (!was && laovn.limit) { map.setMaxBounds(/** @type {any} */ (null)); }
    try { set(); } finally {
        if (!was && laovn.limit) { map.setMaxBounds(laovn.limit); }
        settingView = was;
    }
}

/**
 * The map's size checks (`invalidateSize`) are the page's moves, not the reader's.
 * @param {L.Map} map
 */
export function sizeChecksAreNotMoves(map) {
    var invalidateSize = map.invalidateSize;
    map.invalidateSize = function (options) {
        var self = this, out = this;
        settingTheView(function () { out = invalidateSize.call(self, options); });
        return out;
    };
}
