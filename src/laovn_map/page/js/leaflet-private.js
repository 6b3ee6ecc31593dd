// @ts-check
// Every use of a member that Leaflet does not document (a leading "_"), in one place, each
// wrapped by a function: checked against Leaflet LEAFLET_CHECKED, the version the page ships
// (xstatic-leaflet, webassets.py; tests/page/test_runtime.py fails when they differ and when
// another file of the map script touches a "_" member). CHECK THESE AT EVERY LEAFLET UPGRADE:
//   Control.Layers._layers, ._update(), ._expandIfNotCollapsed()
//   Control.Zoom._zoomInButton, ._zoomOutButton
//   Map._controlCorners
//   Popup._source
//   Layer._map

/** The Leaflet version these wrappers were checked against. */
export var LEAFLET_CHECKED = "1.9.3";

/**
 * A layer control's entries (`_layers`): each overlay and the name it is listed under.
 * @param {L.Control.Layers} control
 * @returns {{layer: L.Layer, name: string}[]}
 */
export function layerEntries(control) {
    return /** @type {any} */ (control)._layers;
}

/**
 * Lists the control's entries again, with their names as they are now (`_update`).
 * @param {L.Control.Layers} control
 */
export function relistLayers(control) {
    /** @type {any} */ (control)._update();
}

/**
 * Adds the layer control to `map` without Leaflet fitting its open list to the map's height
 * as it adds it (`_expandIfNotCollapsed`, a measurement of the half-built map): the caller
 * expands it later, once.
 * @param {L.Control.Layers} control
 * @param {L.Map} map
 */
export function addUnmeasured(control, map) {
    var own = /** @type {any} */ (control);
    own._expandIfNotCollapsed = function () { return this; };
    control.addTo(map);
    delete own._expandIfNotCollapsed;
}

/**
 * The zoom control's two buttons (`_zoomInButton`, `_zoomOutButton`), to name them.
 * @param {L.Control.Zoom} zoom
 * @returns {[HTMLElement, HTMLElement]}
 */
export function zoomButtons(zoom) {
    var own = /** @type {any} */ (zoom);
    return [own._zoomInButton, own._zoomOutButton];
}

/**
 * The element of one of the map's control corners (`_controlCorners`).
 * @param {L.Map} map
 * @param {"topleft" | "topright" | "bottomleft" | "bottomright"} corner
 * @returns {HTMLElement}
 */
export function controlCorner(map, corner) {
    return /** @type {any} */ (map)._controlCorners[corner];
}

/**
 * The layer a popup was opened from (`_source`), if any.
 * @param {L.Popup | undefined} popup
 * @returns {L.Layer | undefined}
 */
export function popupSource(popup) {
    return popup ? /** @type {any} */ (popup)._source : undefined;
}

/**
 * Whether a layer is on a map now (`_map`).
 * @param {L.Layer} layer
 * @returns {boolean}
 */
export function isOnMap(layer) {
    return Boolean(/** @type {any} */ (layer)._map);
}
