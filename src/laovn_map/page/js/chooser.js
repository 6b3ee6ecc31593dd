// @ts-check
// The chooser: where two or more marks share the spot of a click (an event in a mission's
// city, the border under its segment), a short list of every feature there, in the page's
// language; each entry selects its feature as a direct click on it does. One mark under a
// click opens at once, as before (hits.js holds the rules).
import { el, laovn, ui } from "./core.js";
import { popupWidth } from "./draw.js";
import { insidePolygon, isCrowded, slopPx, topFirst } from "./hits.js";
import { select } from "./selection.js";
import { featureText } from "./texts.js";

/** @typedef {import("./core.js").Shape} Shape */
/** @typedef {import("./hits.js").Hit} Hit */

/**
 * Whether `shape` is drawn under the click at `point` (container px), `latlng` (within
 * `slop` px of its symbol for a point or a line).
 * @param {Shape} shape
 * @param {string} kind
 * @param {L.LatLng} latlng
 * @param {L.Point} point
 * @param {number} slop
 * @returns {boolean}
 */
function isUnder(shape, kind, latlng, point, slop) {
    var map = laovn.map, half = (/** @type {L.PathOptions} */ (shape.options).weight || 0) / 2;
    if (kind === "point") {
        var centre = map.latLngToContainerPoint(/** @type {any} */ (shape).getLatLng());
        return centre.distanceTo(point) <= /** @type {any} */ (shape).getRadius() + half + slop;
    }
    if (kind === "line") {
        // the line as drawn now (its clipped, simplified parts), in layer pixels
        var closest = /** @type {any} */ (shape).closestLayerPoint(
            map.containerPointToLayerPoint(point));
        return Boolean(closest) && closest.distance <= half + slop;
    }
    var bounds = shape.getBounds && shape.getBounds();
    return Boolean(bounds && bounds.contains(latlng)) &&
        insidePolygon(/** @type {any} */ (shape).getLatLngs(), latlng.lat, latlng.lng);
}

/**
 * Every interactive feature on the map under a click, the topmost first.
 * @param {L.LatLng} latlng
 * @param {L.Point} point  container px
 * @param {number} slop
 * @returns {Hit[]}
 */
export function hitsAt(latlng, point, slop) {
    var map = laovn.map;
    /** @type {Hit[]} */
    var out = [];
    laovn.config.layers.forEach(function (name, layerIndex) {
        var group = laovn.groups[name], data = laovn.data[name], shapes = laovn.shapes[name] || {};
        if (!group || !data || !map.hasLayer(group)) { return; }
        Object.keys(shapes).forEach(function (id, index) {
            var shape = shapes[id];
            if (laovn.byId.get(id) === shape && group.hasLayer(shape) &&
                    isUnder(shape, data.kind, latlng, point, slop)) {
                out.push({id: id, layer: name, kind: data.kind, layerIndex: layerIndex, index: index});
            }
        });
    });
    return topFirst(out);
}

/**
 * A small swatch of a feature's colour, beside its name in the list (decoration: the name
 * says what it is).
 * @param {Shape} shape
 * @returns {HTMLElement}
 */
function swatch(shape) {
    var options = /** @type {L.PathOptions} */ (shape.options);
    var mark = el("i", "laovn-chooser-swatch");
    mark.setAttribute("aria-hidden", "true");
    mark.style.background = String(options.fill === false ? options.color : options.fillColor ||
                                   options.color || "");
    mark.style.borderColor = String(options.color || "");
    return mark;
}

/**
 * The arrow keys move between the chooser's entries; Escape closes it and gives the keyboard
 * back to the map.
 * @param {KeyboardEvent} e
 */
function onChooserKey(e) {
    var buttons = Array.prototype.slice.call(
        /** @type {HTMLElement} */ (e.currentTarget).querySelectorAll("button.laovn-chooser-item"));
    var i = buttons.indexOf(e.target), step = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
    if (step && i >= 0) {
        e.preventDefault();
        buttons[(i + step + buttons.length) % buttons.length].focus();
    } else if (e.key === "Escape") {
        e.preventDefault();
        laovn.map.closePopup();
        laovn.map.getContainer().focus({preventScroll: true});
    }
}

/**
 * Opens the chooser of `hits` at `latlng`, its first entry focused.
 * @param {Hit[]} hits
 * @param {L.LatLng} latlng
 */
export function openChooser(hits, latlng) {
    var box = el("div", "laovn-chooser");
    box.setAttribute("role", "group");
    var title = el("p", "laovn-chooser-title", ui("chooser.title"));
    title.id = "laovn-chooser-title";
    box.setAttribute("aria-labelledby", title.id);
    var list = el("ul", "laovn-chooser-list");
    hits.forEach(function (hit) {
        var shape = laovn.byId.get(hit.id), text = shape && featureText(shape);
        if (!shape || !text) { return; }
        var button = el("button", "laovn-chooser-item");
        button.type = "button";
        button.setAttribute("data-id", hit.id);
        button.appendChild(swatch(shape));
        button.appendChild(el("span", "", text[2]));  // plain text: set as text, never as HTML
        button.addEventListener("click", function () {
            select(hit.id, {at: latlng, focus: true});
        });
        var item = el("li");
        item.appendChild(button);
        list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    box.addEventListener("keydown", onChooserKey);
    // placed clear of the controls by clearance.js, as a feature's popup is
    L.popup({maxWidth: popupWidth(), autoPan: false, className: "laovn-chooser-popup"})
        .setLatLng(latlng).setContent(box).openOn(laovn.map);
    var first = /** @type {HTMLElement | null} */ (box.querySelector("button"));
    if (first) { first.focus({preventScroll: true}); }
}

/**
 * A click on the map (the container listens, capturing, before Leaflet): where two or more
 * marks lie under it, the chooser opens instead of the topmost feature's popup.
 * @param {MouseEvent} e
 */
export function onMapClick(e) {
    var map = laovn.map, target = /** @type {Element | null} */ (e.target);
    if (!target || !target.closest || target.closest(".leaflet-popup, .leaflet-control")) { return; }
    // the end of a drag is no click (Leaflet drops it too)
    if (map.dragging && /** @type {any} */ (map.dragging).moved()) { return; }
    var point = map.mouseEventToContainerPoint(e), latlng = map.containerPointToLatLng(point);
    var hits = hitsAt(latlng, point, slopPx(/** @type {any} */ (e).pointerType || ""));
    if (!isCrowded(hits)) { return; }
    e.stopPropagation();
    e.preventDefault();
    openChooser(hits, latlng);
}

/**
 * The map's container takes the focus without scrolling the page. Leaflet focuses it on every
 * press (its keyboard handler), and the browser then scrolls the page to show the whole
 * container: on a phone, whose map is taller than the screen's rest, by the part below the
 * screen, between the press and its click, which then lands on whatever moved under the
 * finger instead of what was pressed.
 * @param {L.Map} map
 */
export function focusStaysPut(map) {
    var container = map.getContainer(), focus = container.focus;
    container.focus = function (options) {
        focus.call(container, Object.assign({}, options, {preventScroll: true}));
    };
}
