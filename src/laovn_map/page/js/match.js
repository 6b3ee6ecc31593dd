// @ts-check
// The search's names and ranking. Pure: no DOM, no Leaflet.

/**
 * A row of the search index (browserdata.search_index): [id, name, kind, names].
 * @typedef {[string, string, string, string[]]} SearchRow
 */
/**
 * A feature the search can find, its names normalised once (`norm`).
 * @typedef {object} SearchEntry
 * @property {string} id
 * @property {string} name   in the page's language, plain text
 * @property {string} kind   its layer's name
 * @property {string[]} keys
 */

/**
 * A name as the search compares it: case, diacritics (đ too), spacing and punctuation are
 * ignored; Lao script keeps its letters (its vowel and tone marks are dropped on both sides).
 * @param {unknown} text
 * @returns {string}
 */
export function norm(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .replace(/[đĐ]/g, "d").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * The fewest edits turning `query` into some part of `text` (Sellers' algorithm), or
 * Infinity when more than `most`.
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
    for (var j = 1; j <= text.length; j++) {
        cur[0] = 0;
        for (var k = 1; k <= m; k++) {
            cur[k] = Math.min(prev[k] + 1, cur[k - 1] + 1,
                              prev[k - 1] + (query[k - 1] === text[j - 1] ? 0 : 1));
        }
        best = Math.min(best, cur[m]);
        var swap = prev; prev = cur; cur = swap;
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
        return {id: row[0], name: row[1], kind: row[2],
                keys: row[3].map(norm).filter(function (k) { return k; })};
    });
}

/**
 * How well `query` (normalised) meets `key`: 0 the whole name, 1 its start, 2 a part of it,
 * 3 + the edits within a part (at most `most`), Infinity not at all.
 * @param {string} query
 * @param {string} key
 * @param {number} most
 * @returns {number}
 */
export function matchScore(query, key, most) {
    var at = key.indexOf(query);
    return key === query ? 0 : at === 0 ? 1 : at > 0 ? 2 :
        (most ? 3 + fuzzy(query, key, most) : Infinity);
}

/**
 * The best `limit` entries for `text`, best first, in index order among equals: a longer
 * query allows one (4 letters) or two (7) wrong letters.
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
    var most = query.length >= 7 ? 2 : query.length >= 4 ? 1 : 0;
    entries.forEach(function (entry, order) {
        var score = Infinity;
        entry.keys.forEach(function (key) { score = Math.min(score, matchScore(query, key, most)); });
        if (score < Infinity) { found.push({entry: entry, score: score, order: order}); }
    });
    found.sort(function (a, b) { return a.score - b.score || a.order - b.order; });
    return found.slice(0, limit).map(function (f) { return f.entry; });
}
