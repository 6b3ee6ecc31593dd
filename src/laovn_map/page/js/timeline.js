// @ts-check
// The timeline's rules, the same as the page's (pagetext.in_timeline, pagetext.YearsRule;
// tests/js/fixtures hold both to the same cases). Pure.

/**
 * Whether the dates `start`–`end` (ISO) meet `range` [first, last] (both ends in): no range,
 * or a statement without dates, always does.
 * @param {unknown} start
 * @param {unknown} end
 * @param {[string, string] | null | undefined} range
 * @returns {boolean}
 */
export function inTimeline(start, end, range) {
    if (!range || typeof start !== "string" || typeof end !== "string") { return true; }
    return end >= range[0] && start <= range[1];
}

/**
 * How an address's `?years=FIRST-LAST` reads (pagetext.YearsRule.config): the parameter, the
 * pattern of the whole value, its longest length, and the timeline's whole span in years.
 * @typedef {object} YearsRule
 * @property {string} param
 * @property {string} pattern
 * @property {number} maxChars
 * @property {number} first
 * @property {number} last
 */

/**
 * The years `value` names, in order and within the rule's span, or null: the page's rule
 * (pagetext.YearsRule.years; tests/js hold the two to Python's answers).
 * @param {unknown} value
 * @param {YearsRule} rule
 * @returns {[number, number] | null}
 */
export function addressYears(value, rule) {
    if (typeof value !== "string" || value.length > rule.maxChars) { return null; }
    var match = new RegExp("^(?:" + rule.pattern + ")$").exec(value);
    if (!match) { return null; }
    var first = Number(match[1]), last = Number(match[2]);
    return rule.first <= first && first <= last && last <= rule.last ? [first, last] : null;
}

/**
 * The range of dates `years` take in (ISO, both ends in), or null for the whole span: the
 * page's rule (pagetext.YearsRule.timeline).
 * @param {[number, number]} years
 * @param {YearsRule} rule
 * @returns {[string, string] | null}
 */
export function yearsTimeline(years, rule) {
    if (years[0] === rule.first && years[1] === rule.last) { return null; }
    return [String(years[0]).padStart(4, "0") + "-01-01",
        String(years[1]).padStart(4, "0") + "-12-31"];
}
