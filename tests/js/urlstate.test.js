// js/urlstate.js: the map's part of the address, read and written, with Python's view rule.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
    firstParams, formatView, layersOff, mergedQuery, ownParams, parseView
} from "../../src/laovn_map/page/js/urlstate.js";
import { fromPython } from "./fixtures.js";

const rule = fromPython.viewRule;
const layers = fromPython.layers;

/** The map's state written into `search` and read back as the map reads it. */
function roundTrip(/** @type {any} */ state, search = "?lang=vi&tiles=1") {
    const query = mergedQuery(search, ownParams(state), layers);
    const params = firstParams("?" + query);
    return {
        view: params.view === undefined ? null : params.view,
        sel: params.sel === undefined ? null : params.sel,
        off: layersOff(params, layers).off,
        params,
    };
}

test("the first value of a key wins", () => {
    const params = firstParams("?sel=a&sel=b&view=1,2,3");
    assert.equal(params.sel, "a");
    assert.equal(params.view, "1,2,3");
});

test("keys like constructor and __proto__ meet nothing the map did not read", () => {
    const empty = firstParams("");
    assert.equal(Object.getPrototypeOf(empty), null);
    assert.equal(empty.constructor, undefined);
    assert.equal("toString" in empty, false);
    const hostile = firstParams("?__proto__=x&constructor=y&hasOwnProperty=z");
    assert.equal(hostile.__proto__, "x");
    assert.equal(hostile.constructor, "y");
    assert.equal(Object.getPrototypeOf(hostile), null);
    assert.equal(({}).x, undefined);  // nothing reached Object.prototype
});

test("every view value gets the answer of Python's ViewRule.parse", () => {
    assert.ok(fromPython.views.length >= 25);
    for (const {value, view} of fromPython.views) {
        const parsed = parseView(value, rule);
        assert.deepEqual(parsed && [...parsed.center, parsed.zoom], view, JSON.stringify(value));
    }
});

test("a missing or non-text view is refused", () => {
    assert.equal(parseView(undefined, rule), null);
    assert.equal(parseView(null, rule), null);
    assert.equal(parseView("", rule), null);
});

test("a view written by the map is read back within its rounding", () => {
    for (const [lat, lon, zoom] of [[17.52345678, 105.1, 6.333], [7, 99, 6], [24.49999, 111.5, 13]]) {
        const text = formatView(lat, lon, zoom);
        const view = parseView(text, rule);
        assert.ok(view, text);
        assert.ok(Math.abs(view.center[0] - lat) <= 5e-5 && Math.abs(view.center[1] - lon) <= 5e-5);
        assert.ok(Math.abs(view.zoom - zoom) <= 5e-3);
        assert.equal(formatView(view.center[0], view.center[1], view.zoom), text);
    }
});

test("the view is written with 4 decimals and the zoom to a hundredth, no trailing zeros", () => {
    assert.equal(formatView(17.123456, 105.5, 6.256), "17.1235,105.5,6.26");
    assert.equal(formatView(-0.00001, 100, 6), "0,100,6");
});

test("view, selection and layers off survive the address", () => {
    const state = {view: "17.5,105,6.25", sel: "vn-dien-bien", off: ["water", "segments"]};
    const back = roundTrip(state);
    assert.deepEqual({view: back.view, sel: back.sel, off: back.off},
                     {view: state.view, sel: state.sel, off: ["water", "segments"]});
    assert.equal(back.params.lang, "vi");
    assert.equal(back.params.tiles, "1");
});

test("a selection of any text comes back as it was", () => {
    for (const sel of ["constructor", "__proto__", "a&b=c", "a b+c", "Hà Nội", "x?y#z", "%41"]) {
        assert.equal(roundTrip({view: null, sel, off: []}).sel, sel);
    }
});

test("nothing of the map's is written for the default state", () => {
    assert.deepEqual(ownParams({view: null, sel: null, off: []}), []);
    assert.equal(mergedQuery("?lang=en", [], layers), "lang=en");
    assert.equal(mergedQuery("", [], layers), "");
});

test("the map's old parameters are replaced, the page's kept in their order", () => {
    const query = mergedQuery("?lang=vi&view=1,2,3&water=false&sel=old&since2025=1&off=border",
                              ["sel=new"], layers);
    assert.equal(query, "lang=vi&since2025=1&sel=new");
});

test("layers off: the list and the older <layer>=false, only the map's layers", () => {
    assert.deepEqual(layersOff(firstParams("?off=water,nonsense,constructor,border"), layers),
                     {off: ["water", "border"], said: true});
    assert.deepEqual(layersOff(firstParams("?events=false&water=true"), layers),
                     {off: ["events"], said: true});
    assert.deepEqual(layersOff(firstParams("?off="), layers), {off: [], said: true});
    assert.deepEqual(layersOff(firstParams("?lang=en&constructor=false"), layers),
                     {off: [], said: false});
});
