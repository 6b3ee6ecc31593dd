// @ts-check
// The map's part of the page's address (?view=lat,lon,zoom&sel=id&off=a,b&event=id): read,
// checked and written. Pure: the address comes in and goes out as text (url.js reads and writes it).

/**
 * The URL parameters the map owns (the page owns the others: lang, since2025, tiles, years);
 * `event` is the statement the story shows (story.js).
 */
export var OWN_PARAMS = ["view", "sel", "off", "event"];

/**
 * The views the map takes (mapview.ViewRule.config): the pattern of the whole value, the box
 * the centre must be in ([[south, west], [north, east]]) and the zoom limits.
 * @typedef {object} ViewRule
 * @property {string} pattern
 * @property {number[][]} bounds
 * @property {number} minZoom
 * @property {number} maxZoom
 */
/**
 * @typedef {object} View
 * @property {[number, number]} center  [lat, lon]
 * @property {number} zoom
 */
/**
 * What the map writes into the address: the view as its text (or none: the default view),
 * the selected feature, the layers switched off.
 * @typedef {object} OwnState
 * @property {string | null} view
 * @property {string | null} sel
 * @property {string[]} off
 * @property {string | null} [event]
 */

/**
 * The first value of each key of a query string (a malformed escape stays as written: a bad
 * value like any), in an object with no prototype, so no key (`constructor`, `__proto__`)
 * meets one it did not set.
 * @param {string} search  the address's `?…` part
 * @returns {Record<string, string>}
 */
export function firstParams(search) {
    /** @type {Record<string, string>} */
    var out = Object.create(null);
    new URLSearchParams(search).forEach(function (value, key) {
        if (!(key in out)) { out[key] = value; }
    });
    return out;
}

/**
 * The view of `value` (`view=lat,lon,zoom`), or null for one the map refuses: the page's rule
 * (mapview.ViewRule), so the page's print box and the map agree.
 * @param {unknown} value
 * @param {ViewRule} rule
 * @returns {View | null}
 */
export function parseView(value, rule) {
    var match = new RegExp("^(?:" + rule.pattern + ")$").exec(String(value || ""));
    if (!match) { return null; }
    var lat = Number(match[1]), lon = Number(match[2]), zoom = Number(match[3]);
    var south = rule.bounds[0][0], west = rule.bounds[0][1];
    var north = rule.bounds[1][0], east = rule.bounds[1][1];
    if (!(south <= lat && lat <= north && west <= lon && lon <= east &&
          rule.minZoom <= zoom && zoom <= rule.maxZoom)) { return null; }
    return {center: [lat, lon], zoom: zoom};
}

/**
 * A view as the address writes it: 4 decimals (about 10 m, finer than a pixel at the
 * closest zoom), the zoom to a hundredth.
 * @param {number} lat
 * @param {number} lon
 * @param {number} zoom
 * @returns {string}
 */
export function formatView(lat, lon, zoom) {
    return [Number(lat.toFixed(4)), Number(lon.toFixed(4)), Math.round(zoom * 100) / 100]
        .join(",");
}

/**
 * The map's own parameters, as `key=value` strings.
 * @param {OwnState} state
 * @returns {string[]}
 */
export function ownParams(state) {
    var out = [];
    if (state.view) { out.push("view=" + state.view); }
    if (state.sel) { out.push("sel=" + encodeURIComponent(state.sel)); }
    if (state.off.length) { out.push("off=" + state.off.join(",")); }
    if (state.event) { out.push("event=" + encodeURIComponent(state.event)); }
    return out;
}

/**
 * The query string with the map's parameters replaced by `own` (`ownParams`), the page's
 * kept as written. A layer's own `<layer>=false` was the address's form before `off`: it is
 * replaced too.
 * @param {string} search
 * @param {string[]} own
 * @param {string[]} layers
 * @returns {string}  without the "?"
 */
export function mergedQuery(search, own, layers) {
    var kept = search.replace(/^\?/, "").split("&").filter(function (kv) {
        if (!kv) { return false; }
        var key = kv.split("=")[0];
        return OWN_PARAMS.indexOf(key) < 0 && layers.indexOf(key) < 0;
    });
    return kept.concat(own).join("&");
}

/**
 * The layers the address switches off (`off=a,b`, or the older `<layer>=false`), of
 * `layers`; `said` whether it says anything about them (else the page's default holds).
 * @param {Record<string, string>} params  `firstParams`
 * @param {string[]} layers
 * @returns {{off: string[], said: boolean}}
 */
export function layersOff(params, layers) {
    var listed = String(params.off || "").split(",");
    return {
        off: layers.filter(function (name) {
            return listed.indexOf(name) >= 0 || params[name] === "false";
        }),
        said: "off" in params || layers.some(function (name) { return params[name] === "false"; })
    };
}

/**
 * A period the map can load from a file of its own (the static site's embed page): the
 * address's flag that asks for it (`since2025=true`), the period, and the file, beside the
 * map's page, whose script gives the map that period's state (mapview.PeriodFile).
 * @typedef {object} PeriodFile
 * @property {string} param
 * @property {string} period
 * @property {string} file
 */

/**
 * The period file the address asks for (its flag `true`, in any case: as the page reads its
 * toggles, app.py `_url_flag`), or null.
 * @param {Record<string, string>} params  `firstParams`
 * @param {PeriodFile[] | null | undefined} files
 * @returns {PeriodFile | null}
 */
export function askedPeriod(params, files) {
    var asked = (files || []).filter(function (file) {
        return String(params[file.param] || "").toLowerCase() === "true";
    });
    return asked.length ? asked[0] : null;
}
