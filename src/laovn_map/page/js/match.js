// @ts-check
// The search's names and ranking. Pure: no DOM, no Leaflet.

/**
 * A row of the search index (browserdata.search_index): [id, name, kind, names, within],
 * `within` the id of the map's province a mission's city lies in ("" when it is not on the map).
 * @typedef {[string, string, string, string[], string?]} SearchRow
 */
/**
 * A name as the search compares it: its letters run together, and where each word starts.
 * @typedef {object} SearchKey
 * @property {string} text
 * @property {number[]} starts
 */
/**
 * A feature the search can find, its names normalised once (`searchKey`).
 * @typedef {object} SearchEntry
 * @property {string} id
 * @property {string} name   in the page's language, plain text
 * @property {string} kind   its layer's name (and where it lies), plain text
 * @property {SearchKey[]} keys
 * @property {string} within  the id of the province on the map it lies in, or ""
 */

/** Latin marks (NFKD splits them off): the search ignores diacritics of the Latin script. */
var LATIN_MARKS = /[\u0300-\u036f]/g;
/** What separates words: anything but a letter, a mark of another script, or a digit. */
var SEPARATOR = /[^\p{L}\p{M}\p{N}]+/u;

/**
 * A word as the search compares it: case and Latin diacritics (đ too) are ignored; other
 * scripts keep their marks, so Lao is matched as written, but for its two ways of writing
 * the lo after a consonant (subscript ຼ or the letter ລ: ຫຼວງ and ຫລວງ are one name).
 * @param {unknown} text
 * @returns {string}
 */
function foldName(text) {
    return String(text).normalize("NFKD").replace(LATIN_MARKS, "").replace(/[đĐ]/g, "d")
        .replace(/\u0ebc/g, "\u0ea5").toLowerCase();
}

/**
 * A name as the search compares it, spaces and punctuation dropped.
 * @param {unknown} text
 * @returns {string}
 */
export function norm(text) {
    return foldName(text).split(SEPARATOR).join("");
}

/**
 * A name's letters run together, with the offsets where its words start.
 * @param {unknown} text
 * @returns {SearchKey}
 */
export function searchKey(text) {
    /** @type {number[]} */
    var starts = [];
    var joined = "";
    foldName(text).split(SEPARATOR).forEach(function (word) {
        if (word) { starts.push(joined.length); joined += word; }
    });
    return {text: joined, starts: starts};
}

/**
 * The fewest edits turning `query` into a start of `text`, or Infinity when more than `most`.
 * @param {string} query
 * @param {string} text
 * @param {number} most
 * @returns {number}
 */
export function fuzzy(query, text, most) {
    /** @type {number[]} */
    var prev = [];
    /** @type {number[]} */
    var cur = [];
    var m = query.length, best = m;
    for (var i = 0; i <= m; i++) { prev[i] = i; }
    for (var j = 1; j <= text.length && j <= m + most; j++) {
        cur[0] = j;
        var least = j;
        for (var k = 1; k <= m; k++) {
            cur[k] = Math.min(prev[k] + 1, cur[k - 1] + 1,
                              prev[k - 1] + (query[k - 1] === text[j - 1] ? 0 : 1));
            least = Math.min(least, cur[k]);
        }
        best = Math.min(best, cur[m]);
        var swap = prev; prev = cur; cur = swap;
        if (least > most) { break; }
    }
    return best <= most ? best : Infinity;
}

/**
 * The index's rows with their names normalised (empty ones dropped).
 * @param {SearchRow[]} rows
 * @returns {SearchEntry[]}
 */
export function searchEntries(rows) {
    return rows.map(function (row) {
        return {id: row[0], name: row[1], kind: row[2], within: row[4] || "",
                keys: row[3].map(searchKey).filter(function (k) { return k.text; })};
    });
}

/** The scores of matchScore, best first. */
export var EXACT = 0, NAME_START = 1, WORD_START = 2, INSIDE = 3, FUZZY = 4;

/**
 * How many letters may be wrong in a query: none in a short one, nor where the query is not
 * plain Latin letters (a year, Lao script: a wrong letter there is another name).
 * @param {string} query  normalised
 * @returns {number}
 */
export function editsAllowed(query) {
    if (!/^[a-z]+$/.test(query)) { return 0; }
    return query.length >= 7 ? 2 : query.length >= 4 ? 1 : 0;
}

/**
 * How well `query` (normalised) meets `key`: EXACT the whole name, NAME_START its start,
 * WORD_START the start of one of its words, INSIDE a part of a word, FUZZY + the edits when a
 * word starts with the query's first letter and the query is within `most` edits of that word's
 * start (a misspelling rarely starts with a wrong letter: "Mekong" is not "Sekong"), Infinity
 * not at all.
 * @param {string} query
 * @param {SearchKey} key
 * @param {number} most
 * @returns {number}
 */
export function matchScore(query, key, most) {
    var text = key.text;
    if (text === query) { return EXACT; }
    if (text.indexOf(query) === 0) { return NAME_START; }
    if (key.starts.some(function (s) { return text.indexOf(query, s) === s; })) { return WORD_START; }
    if (text.indexOf(query) > 0) { return INSIDE; }
    var best = Infinity;
    if (most) {
        key.starts.forEach(function (s) {
            if (text[s] === query[0]) { best = Math.min(best, fuzzy(query, text.slice(s), most)); }
        });
    }
    return FUZZY + best;
}

/**
 * The best `limit` entries for `text`, best first, in index order among equals. Near misses
 * (a longer query allows one wrong letter from 4 letters, two from 7) only when nothing
 * matches better. A mission is followed by the province on the map it lies in.
 * @param {SearchEntry[]} entries
 * @param {string} text
 * @param {number} limit
 * @returns {SearchEntry[]}
 */
export function rankMatches(entries, text, limit) {
    var query = norm(text);
    /** @type {{entry: SearchEntry, score: number, order: number}[]} */
    var found = [];
    if (!query) { return []; }
    var most = editsAllowed(query);
    entries.forEach(function (entry, order) {
        var score = Infinity;
        entry.keys.forEach(function (key) { score = Math.min(score, matchScore(query, key, most)); });
        if (score < Infinity) { found.push({entry: entry, score: score, order: order}); }
    });
    var exactish = found.some(function (f) { return f.score < FUZZY; });
    found = found.filter(function (f) { return !exactish || f.score < FUZZY; });
    found.sort(function (a, b) { return a.score - b.score || a.order - b.order; });
    return withProvinces(found.map(function (f) { return f.entry; }), entries).slice(0, limit);
}

/**
 * `results` with the province each one lies in after it, when the province is not listed yet.
 * @param {SearchEntry[]} results
 * @param {SearchEntry[]} entries  the whole index
 * @returns {SearchEntry[]}
 */
export function withProvinces(results, entries) {
    var listed = new Set(results.map(function (e) { return e.id; }));
    /** @type {SearchEntry[]} */
    var out = [];
    results.forEach(function (entry) {
        out.push(entry);
        var province = entry.within && !listed.has(entry.within) ?
            entries.find(function (e) { return e.id === entry.within; }) : undefined;
        if (province) { listed.add(province.id); out.push(province); }
    });
    return out;
}
