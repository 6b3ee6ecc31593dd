// @ts-check
// The texts of a language on the map (laovn.apply gives them): tooltips, popups, accessible
// names, labels and the controls' own words.
import { el, laovn, node } from "./core.js";
import { scheduleRove } from "./keyboard.js";
import { isOnMap, zoomButtons } from "./leaflet-private.js";
import { placeNames } from "./place.js";
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
                                          autoPan: false});  // clearance.js places it
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
 * Where each label's box lies from its anchor, as the page lays it out now (px).
 * @param {any} marker
 * @param {DOMRect} origin  the map container's box
 * @returns {import("./place.js").Extent}
 */
function extentOf(marker, origin) {
    var r = marker.getElement().firstChild.getBoundingClientRect();
    var at = laovn.map.latLngToContainerPoint(marker.getLatLng());
    return {dx: r.left - origin.left - at.x, dy: r.top - origin.top - at.y,
            w: r.width, h: r.height};
}

/**
 * What names may not cover: the dots of the point layers on the map (missions, events) and
 * the map's controls.
 * @param {DOMRect} origin
 * @returns {import("./place.js").Obstacle[]}
 */
function obstacles(origin) {
    var map = laovn.map;
    /** @type {import("./place.js").Obstacle[]} */
    var out = [];
    Object.keys(laovn.groups).forEach(function (name) {
        var group = laovn.groups[name], data = laovn.data[name];
        if (!data || data.kind !== "point" || !map.hasLayer(group)) { return; }
        Object.keys(laovn.shapes[name] || {}).forEach(function (id) {
            var dot = /** @type {any} */ (laovn.shapes[name][id]);
            if (!group.hasLayer(dot)) { return; }
            var c = map.latLngToContainerPoint(dot.getLatLng());
            var r = dot.getRadius() + (dot.options.weight || 0) / 2;
            out.push({box: {left: c.x - r, top: c.y - r, right: c.x + r, bottom: c.y + r},
                      control: false, centre: {x: c.x, y: c.y}});
        });
    });
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
        var r = control.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) {
            out.push({box: {left: r.left - origin.left, top: r.top - origin.top,
                            right: r.right - origin.left, bottom: r.bottom - origin.top},
                      control: true});
        }
    });
    return out;
}

/**
 * After every move, zoom and toggle: each name, in rank order, at the first of its places
 * and sizes that is in the view, fits its province and clears the names placed before it,
 * the dots and the controls (place.js); hidden where none does. A province's name tries the
 * points inside it that the build found (browserdata.label_points), then a smaller size.
 */
export function placeLabels() {
    var map = laovn.map, config = laovn.config;
    laovn.labels = allLabels();
    var labels = laovn.labels.filter(function (/** @type {any} */ m) {
        return m.getElement() && isOnMap(m);
    });
    // written first, then read: the page is laid out once for each size
    labels.forEach(function (/** @type {any} */ m) {
        m.setLatLng(m.laovnLabel.at);
        L.DomUtil.removeClass(m.getElement(), SMALL);
    });
    var origin = map.getContainer().getBoundingClientRect();
    var full = labels.map(function (m) { return extentOf(m, origin); });
    var shrinks = labels.filter(function (/** @type {any} */ m) { return m.laovnLabel.fit; });
    shrinks.forEach(function (/** @type {any} */ m) { L.DomUtil.addClass(m.getElement(), SMALL); });
    var small = new Map(shrinks.map(function (m) { return [m, extentOf(m, origin)]; }));
    shrinks.forEach(function (/** @type {any} */ m) { L.DomUtil.removeClass(m.getElement(), SMALL); });
    var size = map.getSize();
    var wanted = labels.map(function (/** @type {any} */ m, i) {
        var label = m.laovnLabel, fit = null;
        if (label.fit) {
            var sw = map.latLngToContainerPoint([label.fit[0], label.fit[1]]);
            var ne = map.latLngToContainerPoint([label.fit[2], label.fit[3]]);
            fit = {w: ne.x - sw.x, h: sw.y - ne.y};
        }
        var extra = small.get(m);
        return {points: [label.at].concat(label.alt || []).map(function (/** @type {any} */ at) {
                    return map.latLngToContainerPoint(at);
                }),
                sizes: extra ? [full[i], extra] : [full[i]],
                fit: fit, framed: label.cls.indexOf("laovn-label-city") < 0};
    });
    var places = placeNames(wanted, obstacles(origin), {
        view: {left: 0, top: 0, right: size.x, bottom: size.y},
        gap: config.labelGapPx, overflow: config.labelOverflow});
    labels.forEach(function (/** @type {any} */ m, i) {
        var place = places[i], icon = m.getElement(), label = m.laovnLabel;
        if (place && place.point > 0) { m.setLatLng(label.alt[place.point - 1]); }
        L.DomUtil[place && place.size > 0 ? "addClass" : "removeClass"](icon, SMALL);
        L.DomUtil[place ? "removeClass" : "addClass"](icon, "laovn-label-hidden");
    });
}
/** The class of a name drawn at its smaller size (mapstyle.CSS). */
var SMALL = "laovn-label-small";

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
