// @ts-check
// The page's address as the map keeps it: read once (laovnInit, laovnMap), then written
// after every change of view, selection or layers (urlstate.js holds the rules).
import { laovn } from "./core.js";
import { firstParams, formatView, mergedQuery, ownParams } from "./urlstate.js";

/**
 * The window whose address holds the state: the page around the map's frame (same origin),
 * or the map's own document when it is opened by itself (an exported file) or framed by a
 * page of another origin (the site's embed page in an article), whose address it cannot read.
 * @returns {Window | null}
 */
export function urlWindow() {
    try {
        var w = window.parent;
        if (w && w.location && typeof w.location.search === "string") { return w; }
    } catch { /* another origin: the map's own address */ }
    try {
        if (typeof window.location.search === "string") { return window; }
    } catch { /* no address at all */ }
    return null;
}

/** @returns {Record<string, string>} the address's parameters, the first value of each */
export function readParams() {
    var w = urlWindow();
    return firstParams(w ? w.location.search : "");
}

/**
 * The centre the map was last moved to: Leaflet's own getCenter() is worked out again from
 * whole pixels after any size check, which moves it by a fraction of a pixel.
 * @returns {L.LatLng}
 */
function centre() { return laovn.kept ? laovn.kept.center : laovn.map.getCenter(); }

/** @returns {boolean} whether the map shows its default view */
function isHome() {
    var map = laovn.map, home = laovn.home;
    if (!home) { return true; }
    var c = centre();
    return Math.abs(c.lat - home.lat) < 1e-4 && Math.abs(c.lng - home.lng) < 1e-4 &&
        Math.abs(map.getZoom() - home.zoom) < 1e-3;
}

/** @returns {string[]} the layers switched off now, in the config's order */
function layersHidden() {
    return laovn.config.layers.filter(function (name) {
        return laovn.groups[name] && !laovn.map.hasLayer(laovn.groups[name]);
    });
}

/** @returns {string | null} the view as the address says it, or null for the default one */
function viewText() {
    if (laovn.untouched()) {
        // not moved since the page opened: the address keeps the view it was opened with
        // (the map's own centre differs from it by the rounding of a pixel)
        return laovn.viewParam;
    }
    if (isHome()) { return null; }
    var c = centre();
    return formatView(c.lat, c.lng, laovn.map.getZoom());
}

/** Writes the map's state into the address (without a new history entry). */
export function writeUrl() {
    var w = urlWindow();
    if (!w || !laovn.ready) { return; }
    var own = ownParams({view: viewText(), sel: laovn.sel, off: layersHidden(), event: laovn.event});
    var query = mergedQuery(w.location.search, own, laovn.config.layers);
    var url = w.location.pathname + (query ? "?" + query : "") + w.location.hash;
    if (url !== w.location.pathname + w.location.search + w.location.hash) {
        w.history.replaceState(w.history.state, "", url);
    }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
var urlTimer;
/**
 * `writeUrl` once a burst of changes is over.
 * @param {number} [delay]  ms
 */
export function writeUrlSoon(delay) {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, delay === undefined ? 150 : delay);
}

laovn.url = function () {
    var w = urlWindow();
    return w ? w.location.href : "";
};
