// js/scale.js: the scale bar's round length, its width, and its words in each language.
import assert from "node:assert/strict";
import { test } from "node:test";

import { roundLength, scaleBar, scaleText } from "../../src/laovn_map/page/js/scale.js";

test("the length is the round one (1, 2, 3, 5 × 10ⁿ) at most the bar's", () => {
    assert.equal(roundLength(1), 1);
    assert.equal(roundLength(4.9), 3);
    assert.equal(roundLength(199999), 100000);
    assert.equal(roundLength(200001), 200000);
    assert.equal(roundLength(58000), 50000);
    assert.equal(roundLength(999), 500);
    assert.equal(roundLength(2999.5), 2000);
});

test("the bar is as wide as its round length", () => {
    assert.deepEqual(scaleBar(250000, 100), {meters: 200000, width: 80});
    assert.deepEqual(scaleBar(50000, 100), {meters: 50000, width: 100});
});

test("the words are the language's, metres below a kilometre", () => {
    const lao = {m: "{0} ມ", km: "{0} ກມ"}, english = {m: "{0} m", km: "{0} km"};
    assert.equal(scaleText(200000, lao, "lo"), "200 ກມ");
    assert.equal(scaleText(500, lao, "lo"), "500 ມ");
    assert.equal(scaleText(50000, english, "en"), "50 km");
    assert.equal(scaleText(999, english, "en"), "999 m");
    assert.equal(scaleText(1000, english, "en"), "1 km");
    // grouped as the language groups (CLDR): 1,000 / 1.000
    assert.equal(scaleText(1000000, english, "en"), "1,000 km");
    assert.equal(scaleText(1000000, {m: "{0} m", km: "{0} km"}, "vi"), "1.000 km");
    // a language that puts the number after the unit
    assert.equal(scaleText(3000, {m: "m {0}", km: "km {0}"}, "en"), "km 3");
});
