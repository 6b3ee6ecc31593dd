// js/place.js: where the map's names go, on boxes in screen pixels.
import assert from "node:assert/strict";
import { test } from "node:test";

import { boxAt, near, placeNames } from "../../src/laovn_map/page/js/place.js";

const RULE = {view: {left: 0, top: 0, right: 400, bottom: 300}, gap: 3, overflow: 1.5};
/** A name 40 × 10 px centred on its point, or 30 × 8 at its smaller size. */
const FULL = {dx: -20, dy: -5, w: 40, h: 10};
const SMALL = {dx: -15, dy: -4, w: 30, h: 8};

function name(points, extra = {}) {
    return {points, sizes: [FULL, SMALL], fit: null, framed: true, ...extra};
}
function dot(x, y, r = 6) {
    return {box: {left: x - r, top: y - r, right: x + r, bottom: y + r}, control: false,
            centre: {x, y}};
}

test("a name goes at its first place when nothing is there", () => {
    assert.deepEqual(placeNames([name([{x: 100, y: 100}])], [], RULE)[0],
                     {point: 0, size: 0, box: boxAt({x: 100, y: 100}, FULL)});
});

test("a name taken by one placed before it goes to its next place, else hides", () => {
    const first = name([{x: 100, y: 100}]);
    const second = name([{x: 110, y: 102}, {x: 100, y: 140}]);
    const third = name([{x: 105, y: 98}]);
    const places = placeNames([first, second, third], [], RULE);
    assert.equal(places[1].point, 1);
    assert.equal(places[2], null);
});

test("a name never covers a dot: it moves, and hides where every place has one", () => {
    const places = placeNames([name([{x: 100, y: 100}, {x: 200, y: 100}]),
                               name([{x: 100, y: 200}])],
                              [dot(110, 100), dot(100, 205)], RULE);
    assert.equal(places[0].point, 1);
    assert.equal(places[1], null);
    for (const place of places.filter(Boolean)) {
        assert.ok(!near(place.box, dot(110, 100).box, 0));
    }
});

test("a city's name beside its own dot stays, under a control too, but not over another dot", () => {
    const city = {points: [{x: 100, y: 100}], sizes: [{dx: 13, dy: -5, w: 40, h: 10}],
                  fit: null, framed: false};
    const control = {box: {left: 120, top: 90, right: 200, bottom: 110}, control: true};
    assert.equal(placeNames([city], [dot(100, 100, 9), control], RULE)[0].point, 0);
    assert.equal(placeNames([city], [dot(130, 100)], RULE)[0], null);
});

test("a framed name lies whole in the view and clear of the controls", () => {
    const control = {box: {left: 0, top: 0, right: 60, bottom: 60}, control: true};
    const places = placeNames([name([{x: 10, y: 150}, {x: 40, y: 40}, {x: 80, y: 150}])],
                              [control], RULE);
    assert.equal(places[0].point, 2);
});

test("a province's name too large for it is drawn smaller, or hidden", () => {
    // 40 px wide may be 1.5 × a 27 px province, not a 26 px one: then 30 px is tried
    assert.equal(placeNames([name([{x: 100, y: 100}], {fit: {w: 27, h: 12}})], [], RULE)[0].size, 0);
    assert.equal(placeNames([name([{x: 100, y: 100}], {fit: {w: 26, h: 12}})], [], RULE)[0].size, 1);
    assert.equal(placeNames([name([{x: 100, y: 100}], {fit: {w: 40, h: 7}})], [], RULE)[0], null);
    // every place at the full size before the smaller size anywhere
    const taken = name([{x: 100, y: 100}]);
    const later = name([{x: 105, y: 100}, {x: 100, y: 200}]);
    assert.deepEqual(placeNames([taken, later], [], RULE).map((p) => [p.point, p.size]),
                     [[0, 0], [1, 0]]);
});
