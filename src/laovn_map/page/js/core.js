// @ts-check
// The map script's one state object (`window.laovn`, which the browser tests read too) and
// the small helpers every part uses.

/**
 * The marks the map script puts on each shape it draws.
 * @typedef {object} ShapeMarks
 * @property {string} laovnId
 * @property {string} laovnLayer
 * @property {L.LatLngExpression | null} laovnAt   where its popup opens from the keyboard
 * @property {[string, string] | null} laovnSpan   an event's dates (ISO)
 * @property {string | null} laovnGroup            the event whose place it is
 * @property {FullGeometry | null} [laovnFull]     its full detail, while drawn coarse
 */
/**
 * @typedef {object} FullGeometry
 * @property {string} kind
 * @property {any[]} geom
 * @property {number} scale
 */
/**
 * A drawn feature: a circle marker, a line or a polygon, with its marks.
 * @typedef {L.Path & ShapeMarks & {getLatLng?: () => L.LatLng,
 *   getBounds?: () => L.LatLngBounds, setLatLngs?: (positions: any) => any}} Shape
 */
/**
 * A feature group of the map, with the labels it holds.
 * @typedef {L.FeatureGroup & {laovnLayer?: string, laovnLabels?: L.Marker[]}} Group
 */
/**
 * How popups fit the map (browserdata.POPUP).
 * @typedef {object} PopupFit
 * @property {number} maxWidth
 * @property {number} margin
 * @property {number} frameWidth
 * @property {number} minHeight
 * @property {number} heightShare
 */
/**
 * What laovnInit is given, the same for every state (mapview.map_config).
 * @typedef {object} Config
 * @property {string} css
 * @property {number} foldBelowPx
 * @property {number} minZoom
 * @property {number} maxZoom
 * @property {number} selectZoom
 * @property {number[][] | null} extent
 * @property {number[][] | null} home
 * @property {number} labelGapPx
 * @property {number} labelOverflow
 * @property {string[]} layers         the layer control's order
 * @property {string[]} keyboardLayers the order in which the keyboard walks the features
 * @property {string[]} periodLayers
 * @property {string} period         the period laovnDraw draws (the text's)
 * @property {string} pointsPane
 * @property {string} landPane
 * @property {L.PathOptions} land   the plain land's style while the base map is off
 * @property {number} searchResults
 * @property {string} frameId
 * @property {number} lodBelowZoom
 * @property {string} lineAlphabet
 * @property {PopupFit} popup
 * @property {import("./urlstate.js").ViewRule} view
 */

/**
 * The state of the map script: the map, its layers and shapes, the texts of a language,
 * the selection, and the controls it added.
 */
export var laovn = {
    /** @type {L.Map} */ map: /** @type {any} */ (null),
    /** @type {Config} */ config: /** @type {any} */ (null),
    /** @type {Record<string, Group>} */ groups: {},
    /** @type {Record<string, any>} */ data: {},
    /** @type {Record<string, Record<string, Shape>>} */ shapes: {},
    /** @type {Map<string, Shape>} */ byId: new Map(),
    /** @type {L.Marker[]} */ labels: [],
    /** @type {any} */ texts: null,
    /** @type {string | null} */ lang: null,
    /** @type {string | null} */ period: null,
    /** @type {string | null} */ sel: null,
    keepView: false,  // set while `select` opens a popup that must not move the view
    /** @type {string | null} */ event: null,  // the statement the story shows (story.js)
    applied: false,
    /** @type {unknown} */ lastSelect: null,
    /** @type {PopupFit} */ popup: /** @type {any} */ (null),
    /** @type {Int8Array} */ lineValues: new Int8Array(128),
    /** @type {L.TileLayer | null} */ tiles: null,
    /** @type {string | null} */ tilesKey: null,
    /** @type {string | null} */ credit: null,
    /** @type {L.Control.Layers | null} */ control: null,
    /** @type {string | null} */ roving: null,
    /** @type {import("./match.js").SearchEntry[] | null} */ index: null,
    /** @type {{lat: number, lng: number, zoom: number} | null} */ home: null,
    /** @type {string | null} */ viewParam: null,
    /** @type {{center: L.LatLng, zoom: number} | null} */ kept: null,
    /** @type {L.LatLngBounds | null} */ limit: null,
    /** @type {import("./urlstate.js").View | null} */ startView: null,
    /** @type {Shape[]} */ coarse: [],
    refined: false,
    ready: false,
    viewFromUrl: false,
    offFromUrl: false,
    /** @type {string | null} */ pendingSel: null,
    /** @type {string | null} */ pendingEvent: null,
    /** @type {[string, string] | null} */ timeline: null,
    /** @type {L.Control | null} */ legend: null,
    /** @type {HTMLElement | null} */ scaleLine: null,  // the scale bar (controls.js)
    /** @type {L.Control | null} */ notice: null,
    /** @type {HTMLButtonElement | null} */ layersButton: null,
    /** @type {HTMLButtonElement | null} */ creditsButton: null,
    /** @type {HTMLElement | null} */ hint: null,
    /** @type {{input: HTMLInputElement, label: HTMLElement, status: HTMLElement, show: () => void} | null} */
    searchBox: null,
    /** @type {{reset: HTMLButtonElement, copy: HTMLButtonElement} | null} */ tools: null,
    /** @type {{box: HTMLElement, title: HTMLElement, name: HTMLElement, clear: HTMLElement} | null} */
    selectionPanel: null,
    /** Marks the view as the reader's (set up by laovnMap). */
    touch: function () {},
    /** @returns {boolean} whether the reader has not moved the map yet */
    untouched: function () { return false; },
    // what the page and the browser tests call (set by the parts that define them)
    /** @type {(state: any) => void} */ apply: function () {},
    /** @type {() => void} */ refine: function () {},
    /** @type {(id: string, how?: SelectHow) => boolean} */ select: function () { return false; },
    /** @type {(text: string) => import("./match.js").SearchEntry[]} */ search: function () { return []; },
    /** @type {() => string[]} */ shownEvents: function () { return []; },
    /** @type {(id: string, how?: {keepView?: boolean}) => boolean} */
    showStatement: function () { return false; },
    /** @type {() => string} */ url: function () { return ""; }
};
/** @type {any} */ (window).laovn = laovn;

/**
 * How `select` shows a feature: `zoom` brings it into view, `focus` moves the keyboard to
 * it, `keepView` leaves the view as it is (one restored from the address), `at` opens its
 * popup where the reader clicked (chosen from the chooser, as a direct click opens it).
 * @typedef {object} SelectHow
 * @property {boolean} [zoom]
 * @property {boolean} [focus]
 * @property {boolean} [keepView]
 * @property {L.LatLng} [at]
 */

/**
 * A popup's content as a DOM node, parsed inertly by a <template> (nothing in it runs).
 * @param {string} html
 * @returns {Element | null}
 */
export function node(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
}
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [cls]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
}
/**
 * A label of the map's own controls in the page's language (i18n, browserdata.UI_KEYS).
 * @param {string} key
 * @returns {string}
 */
export function ui(key) { return (laovn.texts && laovn.texts.ui[key]) || ""; }

/** @type {(() => void)[]} */
var beforePaintQueue = [];
/**
 * Run `fn` once before the next frame is painted, when the map is built: what it measures
 * is then laid out once, with everything else the frame holds (measured while the map is
 * being built, each reading makes the browser lay out the half-built map again).
 * @param {() => void} fn
 */
export function beforePaint(fn) {
    if (beforePaintQueue.indexOf(fn) >= 0) { return; }
    beforePaintQueue.push(fn);
    if (beforePaintQueue.length > 1) { return; }
    requestAnimationFrame(function () {
        var queue = beforePaintQueue;
        beforePaintQueue = [];
        queue.forEach(function (f) { f(); });
    });
}
