// @ts-check
// The texts of a language on the map (laovn.apply gives them): tooltips, popups, accessible
// names, labels and the controls' own words.
import { el, laovn, node } from "./core.js";
import { scheduleRove } from "./keyboard.js";
import { isOnMap, zoomButtons } from "./leaflet-private.js";
import { isSelected } from "./selection.js";
import { urlWindow } from "./url.js";

/** @typedef {import("./core.js").Shape} Shape */

/**
 * A feature's texts in the page's language: [tooltip HTML, popup HTML, accessible name].
 * @param {Shape} shape
 * @returns {string[] | undefined}
 */
export function featureText(shape) {
    var layer = laovn.texts && laovn.texts.layers[shape.laovnLayer];
    return layer && layer.features[shape.laovnId];
}

/**
 * An interactive shape's element: a button the keyboard reaches (one at a time, see rove)
 * with its accessible name; called whenever Leaflet (re)creates the element.
 * @param {L.LeafletEvent} e
 */
export function decorate(e) {
    var shape = /** @type {Shape} */ (e.target), path = shape.getElement && shape.getElement();
    if (!path) { return; }
    /** @type {any} */ (path).laovnShape = shape;
    path.setAttribute("role", "button");
    path.setAttribute("tabindex", shape.laovnId === laovn.roving ? "0" : "-1");
    var text = featureText(shape);
    if (text) { path.setAttribute("aria-label", text[2]); }
    L.DomUtil[isSelected(shape) ? "addClass" : "removeClass"](
        /** @type {HTMLElement} */ (path), "laovn-selected");
    scheduleRove();
}

/**
 * A popup's content, parsed when it opens: most popups never do.
 * @param {string} html
 * @returns {() => HTMLElement}
 */
function popupContent(html) {
    return function () { return /** @type {HTMLElement} */ (node(html)); };
}

/**
 * Gives a drawn layer the texts of the page's language, and its labels.
 * @param {string} name
 */
export function textLayer(name) {
    var layer = laovn.texts.layers[name], group = laovn.groups[name];
    if (!layer || !group) { return; }
    Object.keys(laovn.shapes[name] || {}).forEach(function (id) {
        var shape = laovn.shapes[name][id], text = layer.features[id];
        if (!text) { return; }
        if (text[0]) {
            if (shape.getTooltip()) { shape.setTooltipContent(text[0]); }
            else { shape.bindTooltip(text[0], {sticky: true}); }
        }
        if (text[1]) {
            var content = /** @type {any} */ (popupContent(text[1]));
            if (shape.getPopup()) { shape.setPopupContent(content); }
            else {
                shape.bindPopup(content, {maxWidth: laovn.popup.maxWidth,
                                          autoPanPadding: laovn.popup.autoPanPadding});
            }
        }
        var path = shape.getElement && shape.getElement();
        if (path) { path.setAttribute("aria-label", text[2]); }
    });
    // the layer's labels: zero-size marker icons, in the group so they follow its toggle
    (group.laovnLabels || []).forEach(function (marker) { group.removeLayer(marker); });
    group.laovnLabels = (layer.labels || []).map(function (/** @type {any} */ label) {
        var icon = L.divIcon({className: label.cls, html: "<span>" + label.text + "</span>",
                              iconSize: null});
        /** @type {any} */
        var marker = L.marker(label.at, {icon: icon, interactive: false, keyboard: false});
        marker.laovnLabel = label;
        marker.addTo(group);
        return marker;
    });
}

/** @returns {any[]} every layer's labels, in the order they are placed (their rank) */
function allLabels() {
    /** @type {any[]} */
    var out = [];
    Object.keys(laovn.groups).forEach(function (name) {
        out = out.concat(laovn.groups[name].laovnLabels || []);
    });
    return out.sort(function (a, b) {
        var x = a.laovnLabel.rank, y = b.laovnLabel.rank;
        return x[0] - y[0] || x[1] - y[1];
    });
}

/**
 * After every zoom and toggle: hide each label whose box overlaps one placed before it (in
 * rank order) or, for a province, is wider or taller than the province's box on screen.
 */
export function placeLabels() {
    var map = laovn.map, pad = laovn.config.labelGapPx;
    /** @type {DOMRect[]} */
    var placed = [];
    laovn.labels = allLabels();
    laovn.labels.forEach(function (/** @type {any} */ marker) {
        var icon = marker.getElement();
        if (!icon || !isOnMap(marker)) { return; }
        var span = icon.firstChild, fit = marker.laovnLabel.fit, show = true;
        if (fit) {
            var sw = map.latLngToContainerPoint([fit[0], fit[1]]);
            var ne = map.latLngToContainerPoint([fit[2], fit[3]]);
            show = span.offsetWidth <= ne.x - sw.x && span.offsetHeight <= sw.y - ne.y;
        }
        var r = span.getBoundingClientRect();
        show = show && !placed.some(function (p) {
            return r.left < p.right + pad && p.left < r.right + pad &&
                r.top < p.bottom + pad && p.top < r.bottom + pad;
        });
        if (show) { placed.push(r); }
        L.DomUtil[show ? "removeClass" : "addClass"](icon, "laovn-label-hidden");
    });
}

/**
 * Names the map, its frame and its controls in the language of `texts`.
 * @param {any} texts  browserdata.prepare_texts
 */
export function setLanguage(texts) {
    var w = urlWindow();
    document.documentElement.lang = texts.lang;
    try {
        if (w && w !== window) { w.document.documentElement.lang = texts.lang; }
        if (window.frameElement) {
            /** @type {HTMLElement} */ (window.frameElement).title = texts.ui["map.title"];
            window.frameElement.id = laovn.config.frameId;
        }
    } catch { /* another origin */ }
    var map = laovn.map;
    map.getContainer().setAttribute("aria-label", texts.ui["map.label"]);
    map.getContainer().setAttribute("aria-roledescription", texts.ui["map.role"]);
    if (map.zoomControl) {
        var buttons = zoomButtons(map.zoomControl);
        [[buttons[0], "zoom.in"], [buttons[1], "zoom.out"]].forEach(function (/** @type {any} */ b) {
            b[0].title = texts.ui[b[1]];
            b[0].setAttribute("aria-label", texts.ui[b[1]]);
        });
    }
    if (laovn.searchBox) {
        laovn.searchBox.label.textContent = texts.ui.search;
        laovn.searchBox.input.placeholder = texts.ui["search.placeholder"];
        if (laovn.searchBox.input.value) { laovn.searchBox.show(); }
    }
    if (laovn.tools) {
        [[laovn.tools.reset, "view.reset"], [laovn.tools.copy, "link.copy"]].forEach(function (/** @type {any} */ b) {
            b[0].title = texts.ui[b[1]];
            b[0].setAttribute("aria-label", texts.ui[b[1]]);
        });
    }
    if (laovn.layersButton && laovn.control) {
        laovn.layersButton.textContent = texts.ui.layers;
        // Leaflet's own toggle (hidden while the list is expanded) keeps its English title
        var toggle = /** @type {HTMLElement | null} */ (laovn.control.getContainer()
            .querySelector(".leaflet-control-layers-toggle"));
        if (toggle) { toggle.title = texts.ui.layers; toggle.setAttribute("aria-label", texts.ui.layers); }
    }
    if (laovn.creditsButton) {
        laovn.creditsButton.textContent = "";
        var icon = el("span", "laovn-credits-icon", "\u24d8 ");
        icon.setAttribute("aria-hidden", "true");
        laovn.creditsButton.appendChild(icon);
        laovn.creditsButton.appendChild(document.createTextNode(texts.ui.credits));
    }
    if (laovn.selectionPanel) {
        laovn.selectionPanel.title.textContent = texts.ui.selected + ": ";
        laovn.selectionPanel.clear.setAttribute("aria-label", texts.ui["selection.clear"]);
        laovn.selectionPanel.clear.title = texts.ui["selection.clear"];
    }
    if (laovn.hint) { laovn.hint.textContent = texts.ui["touch.hint"]; }
    titleLeafletLink(map, texts.ui["leaflet.title"]);
}

/**
 * Leaflet's own link in the credits keeps its English title ("A JavaScript library for
 * interactive maps"): the prefix is redrawn from its option at every change of the credits,
 * so the title is set in the prefix itself.
 * @param {L.Map} map
 * @param {string} title
 */
function titleLeafletLink(map, title) {
    var attribution = map.attributionControl;
    var prefix = attribution && attribution.options.prefix;
    if (!attribution || typeof prefix !== "string" || !title) { return; }
    var box = document.createElement("span");
    box.innerHTML = prefix;  // Leaflet's own prefix, or the one set here before
    var link = box.querySelector("a");
    if (!link) { return; }
    link.title = title;
    attribution.setPrefix(box.innerHTML);
}
