// @ts-check
// The scale bar's length and its words: a round length that fits the bar (as Leaflet's own
// scale chooses it) written in the page's language, the unit from CLDR (browserdata's
// `texts.scale`, labels.scale_units). Pure.

/**
 * How the language writes a length in each unit: CLDR's short pattern, `{0}` for the number.
 * @typedef {{m: string, km: string}} ScaleUnits
 */

/**
 * The round length (1, 2, 3 or 5 times a power of ten) at most `most`, as Leaflet's scale.
 * @param {number} most  a length > 0
 * @returns {number}
 */
export function roundLength(most) {
    var power = Math.pow(10, String(Math.floor(most)).length - 1), d = most / power;
    return power * (d >= 10 ? 10 : d >= 5 ? 5 : d >= 3 ? 3 : d >= 2 ? 2 : 1);
}

/**
 * The scale bar for a bar at most `maxWidth` px long that spans `maxMeters`: its length in
 * metres and its width in px.
 * @param {number} maxMeters
 * @param {number} maxWidth
 * @returns {{meters: number, width: number}}
 */
export function scaleBar(maxMeters, maxWidth) {
    var meters = roundLength(maxMeters);
    return {meters: meters, width: Math.round(maxWidth * meters / maxMeters)};
}

/**
 * A length as the language writes it: metres below a kilometre, else kilometres, the number
 * grouped by the language's rule (`locale`, a BCP 47 tag: Intl has CLDR's, as Babel).
 * @param {number} meters
 * @param {ScaleUnits} units
 * @param {string} locale
 * @returns {string}
 */
export function scaleText(meters, units, locale) {
    var km = meters >= 1000, value = km ? meters / 1000 : meters;
    var number = new Intl.NumberFormat(locale, {maximumFractionDigits: 0}).format(value);
    return (km ? units.km : units.m).split("{0}").join(number);
}
