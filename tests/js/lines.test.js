// js/lines.js: the browser reads each encoded line as Python's decoder does.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeLine, lineValues } from "../../src/laovn_map/page/js/lines.js";
import { fromPython } from "./fixtures.js";

const values = lineValues(fromPython.lineAlphabet);
/** @param {number} lat @param {number} lon */
const lonLat = (lat, lon) => [lon, lat];

test("each character of the alphabet has its place as its value", () => {
    const alphabet = fromPython.lineAlphabet;
    assert.equal(alphabet.length, 64);
    for (let i = 0; i < alphabet.length; i++) {
        assert.equal(values[alphabet.charCodeAt(i)], i, alphabet[i]);
    }
});

test("every line Python encoded decodes to the positions Python's decoder reads", () => {
    assert.ok(fromPython.lines.length >= 8);
    for (const line of fromPython.lines) {
        assert.deepEqual(decodeLine(line.encoded, fromPython.scale, values, lonLat), line.decoded,
                         line.encoded.slice(0, 40));
    }
});

test("an empty line has no positions", () => {
    assert.deepEqual(decodeLine("", fromPython.scale, values, lonLat), []);
});

test("positions are made latitude first, by the caller's function", () => {
    const line = fromPython.lines.find((l) => l.decoded.length >= 2);
    const seen = [];
    decodeLine(line.encoded, fromPython.scale, values, (lat, lon) => seen.push([lat, lon]));
    assert.deepEqual(seen, line.decoded.map(([lon, lat]) => [lat, lon]));
});
