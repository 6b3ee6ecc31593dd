// js/match.js: how the search compares names and ranks what it finds.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
    EXACT, FUZZY, INSIDE, NAME_START, WORD_START, editsAllowed, fuzzy, matchScore, norm,
    rankMatches, searchEntries, searchKey, withProvinces
} from "../../src/laovn_map/page/js/match.js";

/** @param {string} id @param {string[]} names @param {string} [within] @returns {[string, string, string, string[], string]} */
const row = (id, names, within = "") => [id, names[0], "kind", names, within];
const entries = searchEntries([
    row("savannakhet", ["Savannakhet", "Xavannakhét", "ສະຫວັນນະເຂດ"]),
    row("huaphan", ["Houaphanh", "Hủa-phăn", "ຫົວພັນ", "Sầm Nứa"]),
    row("hatinh", ["Hà Tĩnh"]),
    row("thanhhoa", ["Thanh Hóa"]),
    row("sekong", ["Sekong", "Xékong", "ເຊກອງ"]),
    row("pakse", ["Consulate of Vietnam, Pakse", "Pakse", "Pakxé", "ປາກເຊ", "Champasak"]),
    row("hcm", ["Consulate General of Laos in Ho Chi Minh City", "Thành phố Hồ Chí Minh",
                "Saigon", "Sài Gòn", "Thanh pho Ho Chi Minh"]),
    row("dienbien", ["Điện Biên"]),
    row("bien", ["Biên Hòa"]),
    row("ha", ["Hà Nội", "Hanoi"]),
    row("haiphong", ["Hải Phòng"]),
    row("vinh", ["Event 4/9/1945, Vinh", "Vinh", "1945"]),
    row("xayabury", ["Event 1987, Sainyabuli", "Sainyabuli", "Xayabury", "1987", "1988"]),
    row("liberation", ["Event 1975, Sài Gòn", "Sài Gòn", "Saigon", "1975"]),
]);
const ids = (/** @type {string} */ text, limit = 20) =>
    rankMatches(entries, text, limit).map((e) => e.id);

test("case, diacritics, spacing and punctuation are ignored", () => {
    assert.equal(norm("Hủa-phăn"), "huaphan");
    assert.equal(norm("  HO chi   minh!"), "hochiminh");
    assert.equal(norm("Pắc Xế"), "pacxe");
    assert.equal(norm("Sầm Nứa"), norm("sam nua"));
});

test("đ is read as d", () => {
    assert.equal(norm("Điện Biên"), "dienbien");
    assert.equal(norm("đ"), norm("Đ"));
});

test("Lao script is compared as written, its vowel and tone marks kept", () => {
    assert.equal(norm("ປາກເຊ"), "ປາກເຊ");
    assert.equal(norm("ສະຫວັນນະເຂດ"), "ສະຫວັນນະເຂດ".normalize("NFKD"));
    assert.notEqual(norm("ຫົວພັນ"), norm("ຫວພນ"));
    assert.equal(norm("ຫຼວງພະບາງ"), norm("ຫລວງພະບາງ"));  // one letter or two, the same name
});

test("a value that is not text is read as its text", () => {
    assert.equal(norm(2025), "2025");
    assert.equal(norm(null), "null");
});

test("a key knows where its words start", () => {
    assert.deepEqual(searchKey("Consulate of Vietnam, Pakse"),
                     {text: "consulateofvietnampakse", starts: [0, 9, 11, 18]});
    assert.deepEqual(searchKey(" -- "), {text: "", starts: []});
});

test("fuzzy counts the fewest edits to a start of the name", () => {
    assert.equal(fuzzy("pakxe", "pakse", 2), 1);
    assert.equal(fuzzy("savanakhet", "savannakhet", 2), 1);
    assert.equal(fuzzy("abc", "abcxx", 0), 0);
    assert.equal(fuzzy("abc", "xxabc", 1), Infinity);  // not a part inside
    assert.equal(fuzzy("kx", "", 2), 2);
});

test("fuzzy gives Infinity beyond the edits allowed", () => {
    assert.equal(fuzzy("hanoi", "pakse", 2), Infinity);
    assert.equal(fuzzy("pakxe", "pakse", 0), Infinity);
});

test("wrong letters are allowed in longer queries of Latin letters only", () => {
    assert.equal(editsAllowed("pak"), 0);
    assert.equal(editsAllowed("pakx"), 1);
    assert.equal(editsAllowed("savanak"), 2);
    assert.equal(editsAllowed("1975"), 0);
    assert.equal(editsAllowed(norm("ຫົວພັນ")), 0);
});

test("a whole name scores before its start, a word's start, a part, a near miss", () => {
    const key = searchKey("Pakse City");
    assert.equal(matchScore("paksecity", key, 1), EXACT);
    assert.equal(matchScore("pak", key, 0), NAME_START);
    assert.equal(matchScore("city", key, 0), WORD_START);
    assert.equal(matchScore("kse", key, 0), INSIDE);
    assert.equal(matchScore("pakxe", key, 1), FUZZY + 1);
    assert.equal(matchScore("zzzzz", key, 1), Infinity);
    assert.equal(matchScore("mekong", searchKey("Sekong"), 1), Infinity);  // first letter differs
});

test("the search finds a feature by any of its names, in any script", () => {
    assert.deepEqual(ids("Pakse"), ["pakse"]);
    assert.deepEqual(ids("ປາກເຊ"), ["pakse"]);
    assert.deepEqual(ids("Hủa-phăn"), ["huaphan"]);
    assert.deepEqual(ids("hua phan"), ["huaphan"]);
    assert.deepEqual(ids("ho chi minh"), ["hcm"]);
});

test("the issue's queries: the right one first, no wrong ones", () => {
    assert.deepEqual(ids("Sầm Nứa"), ["huaphan"]);
    assert.deepEqual(ids("sam nua"), ["huaphan"]);
    assert.deepEqual(ids("Saigon"), ["hcm", "liberation"]);
    assert.deepEqual(ids("Sài Gòn"), ["hcm", "liberation"]);
    assert.deepEqual(ids("Xayabury"), ["xayabury"]);
    assert.deepEqual(ids("Vinh"), ["vinh"]);           // not Hà Tĩnh, one letter off
    assert.deepEqual(ids("Thanh Hoa"), ["thanhhoa"]);  // not Thanh pho Ho Chi Minh
    assert.deepEqual(ids("Mekong"), []);               // not Sekong
    assert.deepEqual(ids("ຫົວພັນ"), ["huaphan"]);      // not Savannakhet (ສະຫວັນ…)
    assert.deepEqual(ids("Champasak"), ["pakse"]);
});

test("a year finds the events of that year", () => {
    assert.deepEqual(ids("1975"), ["liberation"]);
    assert.deepEqual(ids("1988"), ["xayabury"]);
    assert.deepEqual(ids("1976"), []);  // no wrong digit allowed
});

test("near misses only when nothing matches better", () => {
    assert.deepEqual(ids("savanakhet"), ["savannakhet"]);  // 10 letters, one missing
    assert.deepEqual(ids("pakxi"), ["pakse"]);             // 5 letters, one wrong
    assert.deepEqual(ids("pxkxi"), []);                    // 5 letters, two wrong
    assert.deepEqual(ids("pxk"), []);                      // 3 letters: none wrong
    assert.deepEqual(ids("thanh ho"), ["thanhhoa"]);       // a start, and no near miss after it
});

test("whole names first, then starts, then words, then parts; the index's order among equals", () => {
    const town = searchEntries([row("part", ["Oldpakse"]), row("word", ["Old Pakse"]),
                                row("start", ["Pakse City"]), row("whole", ["Pakse"]),
                                row("start2", ["Pakse Town"])]);
    assert.deepEqual(rankMatches(town, "pakse", 8).map((e) => e.id),
                     ["whole", "start", "start2", "word", "part"]);
    assert.deepEqual(ids("bien"), ["bien", "dienbien"]);
    assert.deepEqual(ids("ha", 4), ["hatinh", "ha", "haiphong", "huaphan"]);
});

test("a mission is followed by the province on the map it lies in", () => {
    const index = searchEntries([row("LA-SV", ["Savannakhet province"]),
                                 row("consulate", ["Consulate in Savannakhet", "Savannakhet"], "LA-SV"),
                                 row("other", ["Vientiane"], "LA-NOT-ON-MAP")]);
    assert.deepEqual(rankMatches(index, "consulate", 8).map((e) => e.id), ["consulate", "LA-SV"]);
    assert.deepEqual(rankMatches(index, "savannakhet", 8).map((e) => e.id), ["consulate", "LA-SV"]);
    assert.deepEqual(rankMatches(index, "vientiane", 8).map((e) => e.id), ["other"]);
    assert.deepEqual(withProvinces([index[1], index[0]], index).map((e) => e.id),
                     ["consulate", "LA-SV"]);
    assert.equal(rankMatches(index, "consulate", 1).length, 1);
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
    assert.deepEqual(entry.keys, [{text: "ab", starts: [0]}]);
    assert.deepEqual(entry, {id: "x", name: "X", kind: "k", within: "",
                             keys: [{text: "ab", starts: [0]}]});
});
