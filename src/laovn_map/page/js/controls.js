// @ts-check
// The map's own controls: reset and link tools, the layer control, the legend, the tiles
// with their credit line, and the button that folds that line.
import { beforePaint, el, laovn, ui } from "./core.js";
import { addUnmeasured, layerEntries, relistLayers } from "./leaflet-private.js";
import { scaleBar, scaleText } from "./scale.js";
import { urlWindow, writeUrl, writeUrlSoon } from "./url.js";
import { goHome } from "./view.js";

/** @typedef {import("./core.js").Group} Group */

/** The tools' icons (drawn here: no icon font), hidden from screen readers (buttons are named). */
var ICONS = {
    reset: '<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" ' +
        'stroke-width="1.8"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg>',
    link: '<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" ' +
        'stroke-width="1.8" stroke-linecap="round"><path d="M6.5 9.5l3-3M5.5 7.5l-2 2a2.1 2.1 ' +
        '0 0 0 3 3l2-2M10.5 8.5l2-2a2.1 2.1 0 0 0-3-3l-2 2"/></svg>'
};

/**
 * A button that folds `body`, open or not from the start.
 * @param {HTMLElement} button
 * @param {HTMLElement} body
 * @param {boolean} open
 */
function fold(button, body, open) {
    /** @param {boolean} value */
    function set(value) {
        button.setAttribute("aria-expanded", String(value));
        body.hidden = !value;
    }
    button.addEventListener("click", function () {
        set(button.getAttribute("aria-expanded") !== "true");
    });
    set(open);
}

/** @returns {L.Control} the reset-view and copy-link buttons */
export function toolsControl() {
    var control = new L.Control({position: "topleft"});
    control.onAdd = function () {
        var bar = el("div", "laovn-tools leaflet-bar");
        var reset = el("button", "laovn-tool laovn-reset");
        reset.type = "button";
        reset.innerHTML = ICONS.reset;
        reset.addEventListener("click", function () { laovn.touch(); goHome(); writeUrlSoon(0); });
        var copy = el("button", "laovn-tool laovn-copy");
        copy.type = "button";
        copy.innerHTML = ICONS.link;
        /** @type {HTMLElement & {timer?: ReturnType<typeof setTimeout>}} */
        var status = el("div", "laovn-copied");
        status.setAttribute("role", "status");
        copy.addEventListener("click", function () {
            writeUrl();
            var url = laovn.url();
            /** @param {boolean} ok */
            function copied(ok) {
                status.textContent = ok ? ui("link.copied") : ui("link.manual");
                if (!ok) {
                    var field = el("input", "laovn-link-field");
                    field.value = url;
                    field.readOnly = true;
                    field.setAttribute("aria-label", ui("link"));
                    status.appendChild(field);
                    field.select();
                }
                status.hidden = false;
                clearTimeout(status.timer);
                status.timer = setTimeout(function () { status.hidden = true; }, ok ? 2500 : 15000);
            }
            var outer = urlWindow();
            var clip = navigator.clipboard || (outer && outer.navigator.clipboard);
            if (clip && clip.writeText) {
                clip.writeText(url).then(function () { copied(true); }, function () { copied(false); });
            } else { copied(false); }
        });
        status.hidden = true;
        bar.appendChild(reset); bar.appendChild(copy); bar.appendChild(status);
        L.DomEvent.disableClickPropagation(bar);
        laovn.tools = {reset: reset, copy: copy};
        return bar;
    };
    return control;
}

/** The scale bar's longest width, in px (Leaflet's scale's). */
var SCALE_WIDTH = 100;

/**
 * The scale bar, Leaflet's look, its length written in the page's language (Leaflet's own
 * scale writes English "km"); `showScale` writes it as the map moves and the language changes.
 * @returns {L.Control}
 */
export function scaleControl() {
    var control = new L.Control({position: "bottomleft"});
    control.onAdd = function (/** @type {L.Map} */ map) {
        var box = el("div", "leaflet-control-scale");
        laovn.scaleLine = el("div", "leaflet-control-scale-line");
        box.appendChild(laovn.scaleLine);
        map.on("move", showScale);
        map.whenReady(showScale);
        return box;
    };
    return control;
}

/** The scale bar for the view: a round length across the map's middle, in the page's words. */
export function showScale() {
    var map = laovn.map, line = laovn.scaleLine;
    if (!map || !line) { return; }
    var y = map.getSize().y / 2;
    var most = map.distance(map.containerPointToLatLng([0, y]),
                            map.containerPointToLatLng([SCALE_WIDTH, y]));
    if (!most) { return; }
    var bar = scaleBar(most, SCALE_WIDTH);
    line.style.width = bar.width + "px";
    line.textContent = laovn.texts ? scaleText(bar.meters, laovn.texts.scale, laovn.texts.lang) : "";
}

/** @returns {L.Control} the legend's box (showLegend fills it) */
export function legendControl() {
    var control = new L.Control({position: "bottomright"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "laovn-legend");
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    return control;
}

/** The legend in the page's language, an entry for each layer shown. */
export function showLegend() {
    /** @type {any} */
    var box = laovn.legend && laovn.legend.getContainer();
    if (!box || !laovn.texts) { return; }
    if (box.laovnHtml !== laovn.texts.legend) {
        var open = box.laovnFold ? box.laovnFold.getAttribute("aria-expanded") === "true"
            : laovn.map.getSize().x >= laovn.config.foldBelowPx;
        box.innerHTML = laovn.texts.legend;
        box.laovnHtml = laovn.texts.legend;
        box.laovnFold = box.querySelector(".laovn-legend-toggle");
        if (box.laovnFold) { fold(box.laovnFold, box.querySelector(".laovn-legend-body"), open); }
    }
    // an entry shows while every layer it names is on (an event in a mission's symbol: both)
    box.querySelectorAll(".laovn-legend-entry").forEach(function (/** @type {HTMLElement} */ entry) {
        entry.hidden = !String(entry.getAttribute("data-layer")).split(" ").every(function (name) {
            var group = laovn.groups[name];
            return group && laovn.map.hasLayer(group);
        });
    });
    box.hidden = !box.querySelector(".laovn-legend-entry:not([hidden])");
}

/**
 * The layer control, with a button that folds its list (folded from the start on a phone).
 * @param {L.Map} map
 * @returns {L.Control.Layers}
 */
export function layerControl(map) {
    /** @type {Record<string, L.Layer>} */
    var overlays = {};
    laovn.config.layers.forEach(function (name) {
        if (laovn.groups[name]) { overlays[name] = laovn.groups[name]; }
    });
    var control = L.control.layers(undefined, overlays, {collapsed: false, position: "topright"});
    // Leaflet fits the open list to the map's height as it adds it, a measurement: shown
    // open at once, and fitted before the first paint (beforePaint)
    addUnmeasured(control, map);
    L.DomUtil.addClass(control.getContainer(), "leaflet-control-layers-expanded");
    beforePaint(function () { control.expand(); });
    var box = control.getContainer();
    var list = /** @type {HTMLElement} */ (box.querySelector(".leaflet-control-layers-list"));
    var button = el("button", "laovn-fold laovn-layers-toggle");
    button.type = "button";
    button.setAttribute("aria-controls", "laovn-layers-list");
    list.id = "laovn-layers-list";
    box.insertBefore(button, box.firstChild);
    fold(button, list, map.getSize().x >= laovn.config.foldBelowPx);
    L.DomEvent.disableClickPropagation(box);
    laovn.control = control;
    laovn.layersButton = button;
    return control;
}

/** The layer control's entries named in the page's language. */
export function nameLayers() {
    var control = laovn.control;
    if (!control || !laovn.texts) { return; }
    layerEntries(control).forEach(function (item) {
        var layer = laovn.texts.layers[/** @type {Group} */ (item.layer).laovnLayer];
        if (layer) { item.name = layer.label; }
    });
    relistLayers(control);
}

/**
 * The credit line behind a button ("ⓘ Credits", named by texts.js `setLanguage`): open on a
 * wide map, folded on a phone, where the whole line would take six lines of the map. The
 * attribution control's own box is what it folds, so the tiles' credit goes in it as before.
 * @param {L.Map} map
 */
export function creditsControl(map) {
    var attribution = map.attributionControl;
    if (!attribution) { return; }
    var line = attribution.getContainer(), corner = line && line.parentNode;
    if (!line || !corner) { return; }
    var box = el("div", "laovn-credits leaflet-control");
    var button = el("button", "laovn-fold laovn-credits-toggle");
    button.type = "button";
    line.id = "laovn-credits-line";
    button.setAttribute("aria-controls", line.id);
    corner.replaceChild(box, line);
    box.appendChild(button);
    box.appendChild(line);
    fold(button, line, map.getSize().x >= laovn.config.foldBelowPx);
    L.DomEvent.disableClickPropagation(box);
    laovn.creditsButton = button;
}

/**
 * A narrow map (a phone) lays its controls out more tightly (the CSS of `laovn-narrow`):
 * zoom and tools in one row.
 * @param {L.Map} map
 */
export function markNarrow(map) {
    function mark() {
        L.DomUtil[map.getSize().x < laovn.config.foldBelowPx ? "addClass" : "removeClass"](
            map.getContainer(), "laovn-narrow");
    }
    mark();
    map.on("resize", mark);
}

/**
 * The tiles the page asks for (none: the outlines only), and the credit line that goes
 * with them: the tile layer's when tiles are on (OpenStreetMap named once), else `credit`.
 * @param {any} tiles  mapview.state_script's `tiles`
 * @param {string} credit
 */
export function setTiles(tiles, credit) {
    var map = laovn.map, attribution = map.attributionControl;
    var key = tiles ? tiles.url + "|" + tiles.attribution : null;
    if (key !== laovn.tilesKey && laovn.tiles) {
        map.removeLayer(laovn.tiles);
        laovn.tiles = null;
        L.DomUtil.removeClass(map.getContainer(), "laovn-tiles-shown");
        if (laovn.notice) { laovn.notice.remove(); laovn.notice = null; }
    }
    if (tiles && !laovn.tiles) {
        var layer = L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: tiles.maxZoom});
        layer.once("tileload", function () {
            L.DomUtil.addClass(map.getContainer(), "laovn-tiles-shown");
        });
        layer.once("tileerror", function () {
            if (laovn.notice || laovn.tiles !== layer) { return; }
            var notice = new L.Control({position: "bottomleft"});
            notice.onAdd = function () {
                var div = L.DomUtil.create("div", "laovn-notice");
                div.setAttribute("role", "status");
                div.textContent = tiles.offline;
                return div;
            };
            notice.addTo(map);
            laovn.notice = notice;
        });
        layer.addTo(map);
        laovn.tiles = layer;
    }
    laovn.tilesKey = key;
    var plain = tiles ? "" : credit;
    if (attribution && plain !== laovn.credit) {
        if (laovn.credit) { attribution.removeAttribution(laovn.credit); }
        if (plain) { attribution.addAttribution(plain); }
        laovn.credit = plain;
    }
}
