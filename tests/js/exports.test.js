// page/elements/exports.js: what a press of an export button sends, and the file it gets
// back; and the address read as the page reads it at a press (page/pressed.py, whose tests
// hold it to the same cases, tests/page/test_pressed.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import { fromBase64, pressValue } from "../../src/laovn_map/page/elements/exports.js";
import { firstParams, layersOff } from "../../src/laovn_map/page/js/urlstate.js";
import { addressCases, fromPython } from "./fixtures.js";

test("a press sends its format, the address as it is, and an id of its own", () => {
    const first = pressValue("kml", "?off=water&view=17,105,8", 0, 1700000000000);
    const second = pressValue("kml", "?off=water&view=17,105,8", 1, 1700000000000);
    assert.equal(first.format, "kml");
    assert.equal(first.query, "?off=water&view=17,105,8");
    assert.notEqual(first.id, second.id);
    // the ids page/pressed.py takes
    for (const value of [first, second]) {
        assert.match(value.id, /^[0-9a-z]{1,16}-[0-9a-z]{1,16}$/);
    }
});

test("the file comes back byte for byte", () => {
    const bytes = fromBase64(Buffer.from([0, 1, 2, 250, 255, 80, 75]).toString("base64"));
    assert.deepEqual([...bytes], [0, 1, 2, 250, 255, 80, 75]);
});

test("the map reads the address of each case as the page does at a press", () => {
    for (const { query, params, off } of addressCases) {
        assert.deepEqual({ ...firstParams(query) }, params, query);
        assert.deepEqual(layersOff(firstParams(query), fromPython.layers).off, off, query);
    }
});
