// js/steps.js: the story's order, its steps, what ?event= names and what a screen reader hears.
import assert from "node:assert/strict";
import { test } from "node:test";

import { dateParts, eventParam, liveParts, liveText, playNext, step, storyOrder } from "../../src/laovn_map/page/js/steps.js";

const statements = [
    {id: "vi-002-0", start: "1962-09-05", end: "1962-09-05"},
    {id: "en-047-0", start: "1962-01-01", end: "1962-12-31"},
    {id: "en-018-2", start: "1401-01-01", end: "1500-12-31"},
    {id: "en-023-3", start: "1975-01-01", end: "1975-12-31"},
    {id: "en-023-0", start: "1975-01-01", end: "1975-12-31"},
];

test("the story goes in date order: start, then end, then id", () => {
    assert.deepEqual(storyOrder(statements),
                     ["en-018-2", "en-047-0", "vi-002-0", "en-023-0", "en-023-3"]);
    assert.deepEqual(storyOrder([]), []);
});

test("Next and Previous step within the ends; with none shown they start at an end", () => {
    const order = storyOrder(statements);
    assert.equal(step(order, null, 1), "en-018-2");
    assert.equal(step(order, null, -1), "en-023-3");
    assert.equal(step(order, "en-047-0", 1), "vi-002-0");
    assert.equal(step(order, "en-047-0", -1), "en-018-2");
    assert.equal(step(order, "en-018-2", -1), "en-018-2");
    assert.equal(step(order, "en-023-3", 1), "en-023-3");
    // a statement no longer in the order (another build): from the start
    assert.equal(step(order, "xx-000-0", 1), "en-018-2");
    assert.equal(step([], null, 1), null);
});

test("play goes on to the next statement and stops after the last", () => {
    const order = storyOrder(statements);
    assert.equal(playNext(order, "en-018-2"), "en-047-0");
    assert.equal(playNext(order, "en-023-3"), null);
    assert.equal(playNext(order, null), "en-018-2");
});

test("?event= names a statement of the texts, or nothing", () => {
    const order = storyOrder(statements);
    assert.equal(eventParam("vi-002-0", order), "vi-002-0");
    for (const bad of ["", "vi-002", "constructor", "__proto__", null, undefined, 3]) {
        assert.equal(eventParam(bad, order), null, String(bad));
    }
});

test("a screen reader hears where in the story, the date as written, the language, the words", () => {
    const order = storyOrder(statements);
    const said = {...statements[0], written: "5/9/1962", date: "5 September 1962", code: "vi",
                  language: "Vietnamese", quote: "Hai nước thiết lập quan hệ ngoại giao.",
                  cite: "quan-he-lao-viet-nam.vi.txt:2", places: [], features: [], rule: "",
                  link: null};
    assert.equal(liveText("{n} of {total}", order, said, "en"),
                 "3 of 5: 5 September 1962 (5/9/1962) (Vietnamese): Hai nước thiết lập quan hệ ngoại giao.");
    assert.equal(liveText("{n} trên {total}", order, said, "vi").slice(0, 18), "3 trên 5: 5/9/1962");
});

test("what a screen reader hears marks the text's own words with the text's language", () => {
    const order = storyOrder(statements);
    const said = {...statements[0], written: "September 1962", date: "ກັນຍາ 1962", code: "en",
                  language: "ອັງກິດ", quote: "The two countries established relations.",
                  cite: "laos-vietnam-relations.en.txt:2", places: [], features: [], rule: "",
                  link: null};
    assert.deepEqual(liveParts("{n} ຈາກ {total}", order, said, "lo"), [
        ["3 ຈາກ 5: ", ""], ["ກັນຍາ 1962", ""], [" (", ""], ["September 1962", "en"], [")", ""],
        [" (ອັງກິດ): ", ""], ["The two countries established relations.", "en"]]);
});

test("a date from a text in another language comes in the page's language first", () => {
    const said = {...statements[0], written: "Tháng 8/1950", date: "ສິງຫາ 1950", code: "vi",
                  language: "ພາສາຫວຽດນາມ", quote: "", cite: "", places: [], features: [],
                  rule: "", link: null};
    assert.deepEqual(dateParts(said, "lo"),
                     [["ສິງຫາ 1950", ""], [" (", ""], ["Tháng 8/1950", "vi"], [")", ""]]);
    // in the text's own language, or where the page has no other date: as written alone
    assert.deepEqual(dateParts(said, "vi"), [["Tháng 8/1950", "vi"]]);
    assert.deepEqual(dateParts({...said, date: ""}, "lo"), [["Tháng 8/1950", "vi"]]);
});
