// js/clearance.js: the free room a popup is panned into, between the map's controls.
import assert from "node:assert/strict";
import { test } from "node:test";

// the map script's state object is a property of the frame's window: node has none
/** @type {any} */ (globalThis).window = globalThis;
const { clearPadding, overlaps } = await import("../../src/laovn_map/page/js/clearance.js");

// a phone's map: search and tools at the top left, layers at the top right, the legend and
// credits at the bottom right, the scale at the bottom left
const PHONE = [[10, 10, 220, 46], [10, 56, 150, 90], [271, 10, 356, 50], [5, 616, 91, 635],
               [270, 560, 356, 600], [250, 610, 366, 640]];
const SIZE = [366, 640];

/** @param {[number, number, number, number]} popup @param {any} padding */
function moved(popup, padding) {
    // what Leaflet's autoPan does with the padding
    let dx = 0, dy = 0;
    if (popup[2] + padding.bottomRight[0] > SIZE[0]) { dx = popup[2] + padding.bottomRight[0] - SIZE[0]; }
    if (popup[0] - dx < padding.topLeft[0]) { dx = popup[0] - padding.topLeft[0]; }
    if (popup[3] + padding.bottomRight[1] > SIZE[1]) { dy = popup[3] + padding.bottomRight[1] - SIZE[1]; }
    if (popup[1] - dy < padding.topLeft[1]) { dy = popup[1] - padding.topLeft[1]; }
    return [popup[0] - dx, popup[1] - dy, popup[2] - dx, popup[3] - dy];
}

test("a popup under the top controls is panned into the band below them", () => {
    const popup = [12, 30, 354, 400];
    const padding = clearPadding(PHONE, SIZE, popup, 12);
    assert.ok(padding);
    const after = moved(popup, padding);
    assert.ok(PHONE.every((c) => !overlaps(c, after)), JSON.stringify(after));
    assert.equal(after[1], 90 + 12);
});

test("a popup already clear stays where it is", () => {
    const popup = [20, 200, 340, 500];
    const padding = clearPadding(PHONE, SIZE, popup, 12);
    assert.deepEqual(moved(popup, padding), popup);
});

test("on a wide map a small popup goes between the columns, not below them", () => {
    const wide = [[10, 10, 224, 46], [10, 56, 44, 195], [757, 10, 1066, 227], [780, 358, 1066, 594]];
    const popup = [700, 100, 900, 300];
    const padding = clearPadding(wide, [1076, 640], popup, 12);
    const after = moved(popup, padding);
    assert.ok(wide.every((c) => !overlaps(c, after)), JSON.stringify(after));
    assert.ok(after[1] < 227, "it did not have to go below the layer control");
});

test("no room at all gives no padding (Leaflet's own then)", () => {
    assert.equal(clearPadding([[0, 0, 100, 100]], [100, 100], [10, 10, 50, 50], 12), null);
});
