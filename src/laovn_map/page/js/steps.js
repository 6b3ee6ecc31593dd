// @ts-check
// The story's steps through the texts' statements (js/story.js shows them): their order, the
// next one, what `?event=` names, what a screen reader hears. Pure.

/**
 * A statement of the texts as the page gives it (browserdata.story_statements).
 * @typedef {object} Said
 * @property {string} written   its date as the text writes it
 * @property {string} date      its date in the page's language
 * @property {string} code      the text's language (en, vi)
 * @property {string} language  the text's language, named in the page's language
 * @property {string} quote
 * @property {string} cite      file:line
 */
/**
 * @typedef {Said & {id: string, start: string, end: string, places: string[],
 *     features: string[], rule: string, link: Said | null}} Statement
 */

/**
 * The statements' ids in date order: by start, then end, then id (the events table's order).
 * @param {{id: string, start: string, end: string}[]} statements
 * @returns {string[]}
 */
export function storyOrder(statements) {
    return statements.slice().sort(function (a, b) {
        return a.start < b.start ? -1 : a.start > b.start ? 1 :
            a.end < b.end ? -1 : a.end > b.end ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    }).map(function (s) { return s.id; });
}

/**
 * The statement a step of `delta` from `current` reaches, within the ends (none shown yet:
 * Next starts at the first, Previous at the last); null when there is none.
 * @param {string[]} order
 * @param {string | null} current
 * @param {number} delta
 * @returns {string | null}
 */
export function step(order, current, delta) {
    if (!order.length) { return null; }
    var i = current === null ? -1 : order.indexOf(current);
    if (i < 0) { return order[delta < 0 ? order.length - 1 : 0]; }
    return order[Math.max(0, Math.min(order.length - 1, i + delta))];
}

/**
 * What playing does after `current`: the next statement, or null at the last (play stops).
 * @param {string[]} order
 * @param {string | null} current
 * @returns {string | null}
 */
export function playNext(order, current) {
    var next = step(order, current, 1);
    return next === current ? null : next;
}

/**
 * The statement `?event=` names, when it is one of `order` (anything else is ignored, as
 * `sel=` is: no key of an object's prototype either).
 * @param {unknown} value
 * @param {string[]} order
 * @returns {string | null}
 */
export function eventParam(value, order) {
    return typeof value === "string" && order.indexOf(value) >= 0 ? value : null;
}

/**
 * A statement's date as a reader of the page reads it, in pieces [text, language code or ""]:
 * the date as its text writes it; from a text in another language than the page's, the page's
 * own date first ("ສິງຫາ 1950 (Tháng 8/1950)"), since the written one is in that language.
 * @param {Said} statement
 * @param {string} pageLang  the page's language code
 * @returns {[string, string][]}
 */
export function dateParts(statement, pageLang) {
    if (statement.code === pageLang || !statement.date || statement.date === statement.written) {
        return [[statement.written, statement.code]];
    }
    return [[statement.date, ""], [" (", ""], [statement.written, statement.code], [")", ""]];
}

/**
 * What a screen reader hears at a step: "<n of total>: <date> (<language>): <quote>", in
 * pieces, each with the language it is in ("" for the page's): the date as `dateParts` says
 * it; the date as written and the quote are the text's own words, so a reader of another
 * language hears them in theirs.
 * @param {string} count  the catalog's "{n} of {total}" words
 * @param {string[]} order
 * @param {Statement} statement
 * @param {string} pageLang
 * @returns {[string, string][]}  [text, language code or ""]
 */
export function liveParts(count, order, statement, pageLang) {
    var where = count.replace("{n}", String(order.indexOf(statement.id) + 1))
        .replace("{total}", String(order.length));
    return [[where + ": ", ""], ...dateParts(statement, pageLang),
            [" (" + statement.language + "): ", ""], [statement.quote, statement.code]];
}

/**
 * `liveParts` as one string.
 * @param {string} count
 * @param {string[]} order
 * @param {Statement} statement
 * @param {string} pageLang
 * @returns {string}
 */
export function liveText(count, order, statement, pageLang) {
    return liveParts(count, order, statement, pageLang).map(function (part) { return part[0]; }).join("");
}
