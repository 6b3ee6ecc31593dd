// js/hits.js: what lies under a click, and when the reader chooses among it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { insidePolygon, insideRings, isCrowded, slopPx, topFirst } from "../../src/laovn_map/page/js/hits.js";

/** @param {number[][]} pairs  [lat, lng] */
function ring(pairs) { return pairs.map(([lat, lng]) => ({lat, lng})); }

const square = ring([[0, 0], [0, 10], [10, 10], [10, 0]]);
const hole = ring([[4, 4], [4, 6], [6, 6], [6, 4]]);

test("a point is inside a ring, not outside it, and not in its hole", () => {
    assert.equal(insideRings([square], 5, 5), true);
    assert.equal(insideRings([square], 5, 11), false);
    assert.equal(insideRings([square], -1, 5), false);
    assert.equal(insideRings([square, hole], 5, 5), false);
    assert.equal(insideRings([square, hole], 2, 2), true);
});

test("a polygon of several parts holds a point in any of them; an empty one none", () => {
    const far = ring([[20, 20], [20, 30], [30, 30], [30, 20]]);
    assert.equal(insidePolygon([[square], [far]], 25, 25), true);
    assert.equal(insidePolygon([[square], [far]], 15, 15), false);
    assert.equal(insidePolygon(square, 5, 5), true);      // one ring, as Leaflet holds it
    assert.equal(insidePolygon([square, hole], 5, 5), false);
    assert.equal(insidePolygon([], 5, 5), false);
});

test("a finger reaches further than a mouse pointer", () => {
    assert.ok(slopPx("touch") > slopPx("mouse"));
    assert.equal(slopPx(""), slopPx("mouse"));
});

/**
 * @param {string} id
 * @param {string} kind
 * @param {number} layerIndex
 * @param {number} [index]
 */
function hit(id, kind, layerIndex, index) {
    return {id, layer: "l" + layerIndex, kind, layerIndex, index: index || 0};
}

test("the hits come as drawn, the topmost first: points, lines, then areas", () => {
    const hits = [hit("province", "polygon", 2), hit("segment", "line", 4), hit("border", "line", 5),
                  hit("embassy", "point", 6), hit("event", "point", 8), hit("water", "polygon", 1),
                  hit("event-b", "point", 8, 3)];
    assert.deepEqual(topFirst(hits).map((h) => h.id),
                     ["event-b", "event", "embassy", "border", "segment", "province", "water"]);
    assert.equal(hits[0].id, "province");  // the list given is left as it was
});

test("two marks at a spot ask the reader; one mark over an area does not", () => {
    assert.equal(isCrowded([hit("embassy", "point", 6), hit("event", "point", 8)]), true);
    assert.equal(isCrowded([hit("border", "line", 5), hit("segment", "line", 4),
                            hit("province", "polygon", 2)]), true);
    assert.equal(isCrowded([hit("embassy", "point", 6), hit("province", "polygon", 2)]), false);
    assert.equal(isCrowded([hit("a", "polygon", 2), hit("b", "polygon", 3)]), false);
    assert.equal(isCrowded([]), false);
});
