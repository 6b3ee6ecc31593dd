// js/match.js: how the search compares names and ranks what it finds.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
    fuzzy, matchScore, norm, rankMatches, searchEntries
} from "../../src/laovn_map/page/js/match.js";

/** @param {string} id @param {string[]} names @returns {[string, string, string, string[]]} */
const row = (id, names) => [id, names[0], "kind", names];
const entries = searchEntries([
    row("savannakhet", ["Savannakhet", "Xavannakhét", "ສະຫວັນນະເຂດ"]),
    row("pakse", ["Pakse", "Pắc Xế", "ປາກເຊ"]),
    row("huaphan", ["Houaphanh", "Hủa Phăn"]),
    row("hcm", ["Consulate General of Laos in Ho Chi Minh City", "Hồ Chí Minh"]),
    row("dienbien", ["Điện Biên"]),
    row("bien", ["Biên Hòa"]),
    row("ha", ["Hà Nội", "Hanoi"]),
    row("haiphong", ["Hải Phòng"]),
]);
const ids = (/** @type {string} */ text, limit = 8) =>
    rankMatches(entries, text, limit).map((e) => e.id);

test("case, diacritics, spacing and punctuation are ignored", () => {
    assert.equal(norm("Hủa-phăn"), "huaphan");
    assert.equal(norm("  HO chi   minh!"), "hochiminh");
    assert.equal(norm("Pắc Xế"), "pacxe");
});

test("đ is read as d", () => {
    assert.equal(norm("Điện Biên"), "dienbien");
    assert.equal(norm("đ"), norm("Đ"));
});

test("Lao script keeps its letters and drops its vowel and tone marks", () => {
    assert.equal(norm("ປາກເຊ"), "ປາກເຊ");
    assert.equal(norm("ສະຫວັນນະເຂດ"), "ສະຫວນນະເຂດ");
    assert.equal(norm("ເມືອງ ໄຊ່"), "ເມອງໄຊ");
});

test("a value that is not text is read as its text", () => {
    assert.equal(norm(2025), "2025");
    assert.equal(norm(null), "null");
});

test("fuzzy counts the fewest edits to any part of the name", () => {
    assert.equal(fuzzy("pakxe", "pakse", 2), 1);
    assert.equal(fuzzy("savanakhet", "xsavannakhetx", 2), 1);
    assert.equal(fuzzy("abc", "xxabcxx", 0), 0);
    assert.equal(fuzzy("kx", "", 2), 2);
});

test("fuzzy gives Infinity beyond the edits allowed", () => {
    assert.equal(fuzzy("hanoi", "pakse", 2), Infinity);
    assert.equal(fuzzy("pakxe", "pakse", 0), Infinity);
});

test("a whole name scores before its start, before a part, before a near miss", () => {
    assert.equal(matchScore("pakse", "pakse", 1), 0);
    assert.equal(matchScore("pak", "pakse", 0), 1);
    assert.equal(matchScore("kse", "pakse", 0), 2);
    assert.equal(matchScore("pakxe", "pakse", 1), 4);
    assert.equal(matchScore("zzzzz", "pakse", 1), Infinity);
});

test("the search finds a feature by any of its names, in any script", () => {
    assert.deepEqual(ids("pakse"), ["pakse"]);
    assert.deepEqual(ids("ປາກເຊ"), ["pakse"]);
    assert.deepEqual(ids("Hủa-phăn"), ["huaphan"]);
    assert.deepEqual(ids("hua phan"), ["huaphan"]);
    assert.deepEqual(ids("ho chi minh"), ["hcm"]);
});

test("a longer query allows wrong letters: one from 4 letters, two from 7", () => {
    assert.deepEqual(ids("savanakhet"), ["savannakhet"]);  // 10 letters, one missing
    assert.deepEqual(ids("pakxe"), ["pakse"]);             // 5 letters, one wrong
    assert.deepEqual(ids("pxkxe"), []);                    // 5 letters, two wrong
    assert.deepEqual(ids("pxk"), []);                      // 3 letters: none wrong
});

test("whole names first, then starts, then parts; the index's order among equals", () => {
    const town = searchEntries([row("part", ["Old Pakse"]), row("start", ["Pakse City"]),
                                row("whole", ["Pakse"]), row("start2", ["Pakse Town"])]);
    assert.deepEqual(rankMatches(town, "pakse", 8).map((e) => e.id),
                     ["whole", "start", "start2", "part"]);
    assert.deepEqual(ids("bien"), ["bien", "dienbien"]);
    assert.deepEqual(ids("ha"), ["ha", "haiphong", "huaphan"]);
});

test("no more than the limit", () => {
    assert.equal(ids("a", 2).length, 2);
});

test("a query of nothing but spaces and punctuation finds nothing", () => {
    assert.deepEqual(ids(""), []);
    assert.deepEqual(ids(" -,. "), []);
});

test("names that normalise to nothing are not keys", () => {
    const [entry] = searchEntries([["x", "X", "k", ["--", "Ab", ""]]]);
    assert.deepEqual(entry.keys, ["ab"]);
    assert.deepEqual(entry, {id: "x", name: "X", kind: "k", keys: ["ab"]});
});
