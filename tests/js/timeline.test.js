// js/timeline.js: the map's timeline rule on the cases pytest holds the page's rule to.
import assert from "node:assert/strict";
import { test } from "node:test";

import { inTimeline } from "../../src/laovn_map/page/js/timeline.js";
import { timelineCases } from "./fixtures.js";

test("the map's rule gives the page's answer on every shared case", () => {
    assert.ok(timelineCases.length >= 10);
    for (const c of timelineCases) {
        assert.equal(inTimeline(c.start, c.end, c.range), c.shown, c.why);
    }
});

test("an event stays while no range is set, even one without dates", () => {
    assert.equal(inTimeline(undefined, undefined, null), true);
    assert.equal(inTimeline("1962-09-05", "1962-09-05", undefined), true);
});
