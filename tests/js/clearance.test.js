// js/clearance.js: where a popup goes, clear of the map's controls and within the map.
import assert from "node:assert/strict";
import { test } from "node:test";

// the map script's state object is a property of the frame's window, and the script runs
// after Leaflet: node has neither
/** @type {any} */ (globalThis).window = globalThis;
/** @type {any} */ (globalThis).L = {Popup: {prototype: {options: {offset: [0, 7]}}},
                                     point: (/** @type {number} */ x, /** @type {number} */ y) => ({x, y})};
const { freeRooms, overlaps, placePopup } = await import("../../src/laovn_map/page/js/clearance.js");

// a phone's map: search, zoom and tools, story at the top left, layers at the top right,
// the legend and credits at the bottom right, the selection panel and scale at the bottom left
const PHONE = [[10, 10, 220, 46], [10, 56, 150, 90], [10, 100, 40, 130], [271, 10, 356, 50],
               [5, 616, 91, 635], [5, 570, 240, 606], [270, 560, 356, 600], [250, 610, 366, 640]];
const SIZE = /** @type {[number, number]} */ ([366, 640]);
const FREE = /** @type {[[number, number], [number, number]]} */ ([[-1000, 1000], [-1000, 1000]]);
const STUCK = /** @type {[[number, number], [number, number]]} */ ([[0, 0], [0, 0]]);

/**
 * The frame's box (tip included) where a placement puts it, with the point it points at.
 * @param {any} input @param {any} place
 * @returns {[number, number, number, number]}
 */
function where(input, place) {
    const x = input.point[0] + place.pan[0] + place.dx, y = input.point[1] + place.pan[1];
    const half = input.width / 2;
    return place.below ? [x - half, y - input.tail, x + half, y + input.reach + place.height]
        : [x - half, y - input.reach - place.height, x + half, y + input.tail];
}

/** @param {any} over */
function input(over) {
    return {controls: PHONE, size: SIZE, point: [180, 300], width: 342, height: 200,
            minHeight: 120, reach: 13, tail: 7, slide: 139, pan: FREE, gap: 12, ...over};
}

/** @param {any} box @param {any} within */
function inside(box, within) {
    return box[0] >= within[0] && box[1] >= within[1] && box[2] <= within[2] && box[3] <= within[3];
}

test("the free rooms meet no control", () => {
    const rooms = freeRooms(PHONE, SIZE);
    assert.ok(rooms.length > 0);
    assert.ok(rooms.every((room) => PHONE.every((c) => !overlaps(c, room))));
});

test("a popup near the top of a map that cannot pan north opens below its point, whole", () => {
    // Điện Biên on a phone's first view: the panning limit is at the map's top
    const given = input({point: [120, 160], height: 330, pan: [[-40, 40], [-300, 0]]});
    const place = placePopup(given);
    assert.ok(place);
    assert.equal(place.below, true);
    assert.equal(place.height, 330, "not cut");
    assert.deepEqual(place.pan, [0, 0], "the map stays where it is");
    const box = where(given, place);
    assert.ok(PHONE.every((c) => !overlaps(c, box)), JSON.stringify(box));
    assert.ok(inside(box, [0, 0, ...SIZE]), JSON.stringify(box));
});

test("a popup with room above stays above, where it is", () => {
    const given = input({point: [183, 450], height: 200});
    const place = placePopup(given);
    assert.ok(place);
    assert.deepEqual([place.below, place.dx, place.pan, place.height], [false, 0, [0, 0], 200]);
});

test("a popup at the map's west edge slides east along its tip when the map cannot pan", () => {
    // the Vientiane embassy on a phone: the panning limit's west edge is the map's
    const given = input({point: [100, 450], height: 150, pan: STUCK});
    const place = placePopup(given);
    assert.ok(place);
    assert.deepEqual(place.pan, [0, 0]);
    assert.equal(place.dx, 183 - 100, "centred: 12 px from either edge");
    const box = where(given, place);
    assert.ok(inside(box, [0, 0, ...SIZE]) && PHONE.every((c) => !overlaps(c, box)));
});

test("a popup the map may pan for is panned, not cut, when neither side holds it still", () => {
    // too tall to fit above or below the point unless the map moves
    const given = input({point: [183, 300], height: 370});
    const place = placePopup(given);
    assert.ok(place);
    assert.equal(place.height, 370);
    const box = where(given, place);
    assert.ok(PHONE.every((c) => !overlaps(c, box)) && inside(box, [0, 0, ...SIZE]),
              JSON.stringify([place, box]));
});

test("where no side holds it whole and the map cannot move, the popup is cut, never under a control", () => {
    const given = input({point: [183, 330], height: 600, pan: STUCK});
    const place = placePopup(given);
    assert.ok(place);
    assert.ok(place.height < 600 && place.height >= 120, String(place.height));
    const box = where(given, place);
    assert.ok(PHONE.every((c) => !overlaps(c, box)) && inside(box, [0, 0, ...SIZE]));
});

test("on a wide map a small popup goes between the columns, not below them", () => {
    const wide = [[10, 10, 224, 46], [10, 56, 44, 195], [757, 10, 1066, 227], [780, 358, 1066, 594]];
    const given = input({controls: wide, size: [1076, 640], point: [800, 320], width: 200,
                         height: 150, slide: 68});
    const place = placePopup(given);
    assert.ok(place);
    const box = where(given, place);
    assert.ok(wide.every((c) => !overlaps(c, box)), JSON.stringify(box));
    assert.equal(place.pan[1], 0, "no need to pan up or down");
});

test("no room at all gives no placement (Leaflet's own then)", () => {
    assert.equal(placePopup(input({controls: [[0, 0, 366, 640]]})), null);
});
