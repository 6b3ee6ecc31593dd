// @ts-check
// The timeline's rule, the same as the page's (pagetext.in_timeline; tests/js/fixtures/
// timeline_cases.json holds both to the same cases). Pure.

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
