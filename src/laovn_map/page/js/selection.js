// @ts-check
// The selected feature: one at a time (an event's places together), shown as a click shows
// it (popup open, marked, named in the selection panel) and kept in the address.
import { el, laovn } from "./core.js";
import { fitPopup } from "./draw.js";
import { rove } from "./keyboard.js";
import { featureText } from "./texts.js";
import { writeUrlSoon } from "./url.js";

/** @typedef {import("./core.js").Shape} Shape */
/** @typedef {import("./core.js").SelectHow} SelectHow */

/**
 * Where a feature's popup opens when it is selected without a click.
 * @param {Shape} shape
 * @returns {L.LatLng}
 */
function anchorOf(shape) {
    if (shape.getLatLng) { return shape.getLatLng(); }
    return shape.laovnAt ? L.latLng(shape.laovnAt) : shape.getBounds().getCenter();
}

/**
 * The shapes selected with `shape`: itself, and the other places of its event.
 * @param {Shape} shape
 * @returns {Shape[]}
 */
function companions(shape) {
    if (!shape.laovnGroup) { return [shape]; }
    var shapes = laovn.shapes[shape.laovnLayer] || {};
    return Object.keys(shapes).map(function (id) { return shapes[id]; })
        .filter(function (s) { return s.laovnGroup === shape.laovnGroup; });
}

/**
 * @param {Shape} shape
 * @returns {boolean}
 */
export function isSelected(shape) {
    var sel = laovn.sel && laovn.byId.get(laovn.sel);
    return !!sel && (sel === shape || (!!sel.laovnGroup && sel.laovnGroup === shape.laovnGroup &&
                                       sel.laovnLayer === shape.laovnLayer));
}

/** @param {Shape} shape */
function zoomTo(shape) {
    var map = laovn.map, all = companions(shape);
    if (all.length > 1) {
        map.fitBounds(L.latLngBounds(all.map(function (s) { return s.getLatLng(); })),
                      {padding: [60, 60], maxZoom: laovn.config.selectZoom, animate: false});
    } else if (shape.getLatLng) {
        map.setView(shape.getLatLng(), Math.max(map.getZoom(), laovn.config.selectZoom),
                    {animate: false});
    } else {
        map.fitBounds(shape.getBounds(), {padding: [40, 40], maxZoom: laovn.config.selectZoom + 1,
                                          animate: false});
    }
}

/**
 * Marks `id` as the selection (null: none), without opening or moving anything.
 * @param {string | null} id
 */
export function setSelected(id) {
    var old = laovn.sel && laovn.byId.get(laovn.sel);
    laovn.sel = id && laovn.byId.has(id) ? id : null;
    var shape = laovn.sel && laovn.byId.get(laovn.sel);
    (old ? companions(old) : []).concat(shape ? companions(shape) : []).forEach(function (s) {
        var path = s.getElement && s.getElement();
        if (path) {
            L.DomUtil[isSelected(s) ? "addClass" : "removeClass"](
                /** @type {HTMLElement} */ (path), "laovn-selected");
        }
    });
    showSelection();
    writeUrlSoon(0);
}

/**
 * Select a feature as a click does: its layer shown, its popup open, the panel and the URL
 * updated; `zoom` also brings it into view, `focus` moves the keyboard to it.
 * @param {string} id
 * @param {SelectHow} [how]
 * @returns {boolean} whether there is such a feature
 */
export function select(id, how) {
    var shape = laovn.byId.get(id), map = laovn.map;
    how = how || {};
    if (!shape) { return false; }
    if (how.zoom) { laovn.touch(); }
    var group = laovn.groups[shape.laovnLayer];
    if (group && !map.hasLayer(group)) { map.addLayer(group); }
    if (how.zoom) { zoomTo(shape); }
    var at = how.at || anchorOf(shape);
    var popup = shape.getPopup();
    if (popup) {
        fitPopup({target: shape, latlng: at});
        // a view restored from the URL stays as it was: the popup does not pan it
        laovn.keepView = Boolean(how.keepView);
        try { shape.openPopup(at); } finally { laovn.keepView = false; }
    }
    setSelected(id);
    var path = shape.getElement && shape.getElement();
    if (how.focus && path) {
        laovn.roving = id;
        rove();
        /** @type {HTMLElement} */ (path).focus({preventScroll: true});
    }
    return true;
}
laovn.select = select;

/** @param {L.LeafletEvent} e */
export function onShapeClick(e) { setSelected(/** @type {Shape} */ (e.target).laovnId); }

/** The selection panel names the selected feature, or hides. */
export function showSelection() {
    var panel = laovn.selectionPanel;
    if (!panel) { return; }
    var shape = laovn.sel && laovn.byId.get(laovn.sel), text = shape && featureText(shape);
    panel.name.textContent = text ? text[2] : "";
    panel.box.hidden = !text;
}

/** @returns {L.Control} the selection panel: the feature's name and a button that clears it */
export function selectionControl() {
    var control = new L.Control({position: "bottomleft"});
    control.onAdd = function () {
        var box = el("div", "laovn-selection");
        box.setAttribute("role", "status");
        var title = el("span", "laovn-selection-title");
        var name = el("span", "laovn-selection-name");
        var clear = el("button", "laovn-selection-clear", "\u00d7");
        clear.type = "button";
        clear.addEventListener("click", function () { laovn.map.closePopup(); setSelected(null); });
        box.appendChild(title); box.appendChild(name); box.appendChild(clear);
        L.DomEvent.disableClickPropagation(box);
        box.hidden = true;
        laovn.selectionPanel = {box: box, title: title, name: name, clear: clear};
        return box;
    };
    return control;
}
