// js/timeline.js: the map's timeline rule on the cases pytest holds the page's rule to.
import assert from "node:assert/strict";
import { test } from "node:test";

import { addressYears, inTimeline, yearsTimeline } from "../../src/laovn_map/page/js/timeline.js";
import { firstParams } from "../../src/laovn_map/page/js/urlstate.js";
import { fromPython, timelineCases } from "./fixtures.js";

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

test("every years value gets the answer of Python's YearsRule, under each rule", () => {
    assert.ok(fromPython.years.length >= 2);
    for (const {rule, cases} of fromPython.years) {
        assert.ok(cases.length >= 25);
        for (const {value, years, timeline} of cases) {
            const read = addressYears(value, rule);
            assert.deepEqual(read, years, JSON.stringify(value));
            assert.deepEqual(read && yearsTimeline(read, rule), timeline, JSON.stringify(value));
        }
    }
});

test("a years value as an address gives it, escaped or not, and a missing one is none", () => {
    const rule = fromPython.years[0].rule;
    const params = firstParams("?years=1945%20-%201960&years=1970-1980");
    assert.deepEqual(addressYears(params[rule.param], rule), [1945, 1960]);
    assert.deepEqual(addressYears(firstParams("?years=1945+-+1960")[rule.param], rule), [1945, 1960]);
    assert.equal(addressYears(firstParams("?view=1,2,3")[rule.param], rule), null);
    assert.equal(addressYears(undefined, rule), null);
});
