// @ts-check
// The keyboard: the features are one stop of the Tab key (a roving tabindex), the arrows
// walk them in the config's `keyboardLayers` order, Enter or Space selects.
import { laovn } from "./core.js";
import { select } from "./selection.js";

/** @typedef {import("./core.js").Shape} Shape */

/** @returns {Shape[]} the features the keyboard reaches now: on the map, interactive */
function walkable() {
    var map = laovn.map;
    /** @type {Shape[]} */
    var out = [];
    laovn.config.keyboardLayers.forEach(function (name) {
        var group = laovn.groups[name];
        if (!group || !map.hasLayer(group)) { return; }
        Object.keys(laovn.shapes[name] || {}).forEach(function (id) {
            var shape = laovn.shapes[name][id];
            if (laovn.byId.has(id) && shape.getElement && shape.getElement()) { out.push(shape); }
        });
    });
    return out;
}

/** @param {Shape} shape */
function elementOf(shape) { return /** @type {HTMLElement} */ (shape.getElement()); }

/** Gives the roving feature (the first, when it left) the one tabindex of 0. */
export function rove() {
    var shapes = walkable();
    if (!shapes.some(function (s) { return s.laovnId === laovn.roving; })) {
        laovn.roving = shapes.length ? shapes[0].laovnId : null;
    }
    shapes.forEach(function (s) {
        elementOf(s).setAttribute("tabindex", s.laovnId === laovn.roving ? "0" : "-1");
    });
}

/** @type {ReturnType<typeof setTimeout> | null} */
var roveTimer = null;
/**
 * `rove` once after the shapes of a burst of changes are (re)created: one timer for the
 * burst, not one per shape (drawing a layer creates ~100 elements at once).
 */
export function scheduleRove() {
    if (roveTimer !== null) { return; }
    roveTimer = setTimeout(function () { roveTimer = null; rove(); }, 0);
}

/** @type {Record<string, number>} */
var STEPS = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1};

/**
 * A key pressed on a feature (the map's container listens, capturing).
 * @param {KeyboardEvent} e
 */
export function onKey(e) {
    var shape = e.target && /** @type {any} */ (e.target).laovnShape;
    if (!shape) { return; }
    var key = e.key, step = STEPS[key];
    if (key === "Enter" || key === " " || key === "Spacebar") {
        e.preventDefault(); e.stopPropagation();
        select(shape.laovnId, {});
    } else if (step || key === "Home" || key === "End") {
        // the map's own keyboard handler would pan the map: the features' walk comes first
        e.preventDefault(); e.stopPropagation();
        var shapes = walkable(), i = shapes.indexOf(shape), n = shapes.length;
        var next = key === "Home" ? 0 : key === "End" ? n - 1 : (i + step + n) % n;
        if (shapes[next]) {
            laovn.roving = shapes[next].laovnId;
            rove();
            elementOf(shapes[next]).focus({preventScroll: true});
        }
    }
}
