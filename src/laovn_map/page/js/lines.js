// @ts-check
// Encoded lines (lines.encode_line) read straight from their string into the caller's
// points: no array of numbers for Leaflet to convert (and collect). Pure: no DOM, no Leaflet.

/**
 * The value of each character code of an encoded line (its alphabet, the config's
 * `lineAlphabet`: lines.LINE_ALPHABET).
 * @param {string} alphabet
 * @returns {Int8Array}
 */
export function lineValues(alphabet) {
    var values = new Int8Array(128);
    for (var i = 0; i < alphabet.length; i++) { values[alphabet.charCodeAt(i)] = i; }
    return values;
}

/**
 * The positions of an encoded line: zigzag numbers five bits a character, the lowest first
 * (a value of 32 or more says more follow), alternately latitude and longitude steps in
 * units of 1/`scale` degree.
 * @template P
 * @param {string} text
 * @param {number} scale
 * @param {Int8Array} values  `lineValues` of the alphabet
 * @param {(lat: number, lon: number) => P} point  makes one position
 * @returns {P[]}
 */
export function decodeLine(text, scale, values, point) {
    /** @type {P[]} */
    var out = [];
    var lat = 0, lon = 0, odd = false, i = 0, n = text.length;
    while (i < n) {
        var zigzag = 0, weight = 1, c;
        do {
            c = values[text.charCodeAt(i++)];
            zigzag += (c & 31) * weight;
            weight *= 32;
        } while (c >= 32);
        var delta = zigzag % 2 ? -(zigzag + 1) / 2 : zigzag / 2;
        if (odd) {
            lon += delta;
            out.push(point(lat / scale, lon / scale));
        } else {
            lat += delta;
        }
        odd = !odd;
    }
    return out;
}
