// The fixtures the map script's unit tests share with pytest (tests/page/test_runtime.py):
// from_python.json is what Python's encoder and view rule give, written by that test;
// address_cases.json how an address reads (tests/page/test_pressed.py holds Python to it).
import { readFileSync } from "node:fs";

/** @param {string} name */
function read(name) {
    return JSON.parse(readFileSync(new URL("./fixtures/" + name, import.meta.url), "utf-8"));
}

export const fromPython = read("from_python.json");
export const timelineCases = read("timeline_cases.json");
export const addressCases = read("address_cases.json");
