// @ts-check
/* laovn-map's map script: runs inside the map's frame, after Leaflet.
 *
 * Its parts are the files of this folder, joined in runtime.RUNTIME_FILES' order into one
 * function scope (runtime.join_runtime: their imports and exports only tie them together
 * for the checks, tsc and eslint, and the unit tests, tests/js); this one, last, is what
 * folium's map script calls, in order:
 *   laovnInit(map, config)   once, before the layers: panes, CSS, zoom floor; every value
 *                            from Python comes in `config` (mapview.map_config)
 *   laovnDraw(data, group)   once per layer: its shapes, from language-free data (browserdata)
 *   laovnMap(map)            once, after the layers: controls, keyboard, URL state
 * and the page's state arrives as a call of laovn.apply(state) (mapview.state_script), which
 * streamlit-folium evaluates again whenever the page's state changes, without redrawing the
 * map: it sets the texts of a language (tooltips, popups, accessible names, labels, legend,
 * layer names, search), the period's layers, the tiles, and a selection the page asks for.
 *
 * One state: the visible layers, the view and the selected feature live here and in the
 * page's URL (?view=lat,lon,zoom&sel=id&off=a,b), which this script reads once and then keeps
 * current; the language, period, tiles and timeline belong to the page (its sidebar and URL).
 * A map that is a page of its own (the site's, a file) reads the timeline's years and the
 * period from its address when its first state gives it the rules (`firstTimeline`,
 * `waitsForPeriod`). Nothing here talks to the server but one message, once the map is
 * drawn (see laovnMap's end).
 */
import { focusStaysPut, onMapClick } from "./chooser.js";
import { beforePaint, laovn } from "./core.js";
import { keepPopupsClear } from "./clearance.js";
import {
    creditsControl, layerControl, legendControl, markNarrow, nameLayers, scaleControl, setTiles,
    showLegend, showScale, toolsControl
} from "./controls.js";
import { drawInto, drawLayer, refine, restack } from "./draw.js";
import { onKey, rove, scheduleRove } from "./keyboard.js";
import { showLand } from "./land.js";
import { controlCorner, popupSource } from "./leaflet-private.js";
import { lineValues } from "./lines.js";
import { searchControl } from "./search.js";
import { openFromAddress, showStatement, storyControl, storyTexts } from "./story.js";
import { select, selectionControl, setSelected, showSelection } from "./selection.js";
import { placeLabels, setLanguage, textLayer } from "./texts.js";
import { addressYears, inTimeline, yearsTimeline } from "./timeline.js";
import { readParams, writeUrl, writeUrlSoon } from "./url.js";
import { askedPeriod, layersOff, parseView } from "./urlstate.js";
import { firstView, isSettingView, sizeChecksAreNotMoves, touchGestures, zoomFloor } from "./view.js";

/** @typedef {import("./core.js").Shape} Shape */
/** @typedef {import("./core.js").Config} Config */

/** @type {any} */ (window).laovnInit = function (/** @type {L.Map} */ map, /** @type {Config} */ config) {
    laovn.map = map;
    laovn.config = config;
    laovn.popup = config.popup;
    laovn.lineValues = lineValues(config.lineAlphabet);
    laovn.limit = /** @type {L.LatLngBounds | undefined} */ (map.options.maxBounds) || null;
    laovn.period = config.period;  // the period laovnDraw draws: a state of it draws nothing again
    var style = document.createElement("style");
    style.textContent = config.css;
    document.head.appendChild(style);
    var points = map.createPane(config.pointsPane);
    points.style.zIndex = "450";  // above the areas and lines (400), below tooltips and popups
    // first in the document among the panes that hold shapes: the keyboard meets the
    // missions before the areas
    map.getPanes().mapPane.insertBefore(points, map.getPane("overlayPane") || null);
    // the plain land while the base map is off (land.js): above tiles, below every layer
    map.createPane(config.landPane).style.zIndex = "350";
    laovn.startView = parseView(readParams().view, config.view);
    firstView();
};

/** @type {any} */ (window).laovnDraw = drawLayer;

/**
 * The events whose dates meet the timeline's range [start, end] (ISO dates) stay on the
 * map; the others leave their layer until the range takes them in again.
 */
function showTimeline() {
    var group = laovn.groups.events, range = laovn.timeline;
    if (!group) { return; }
    Object.keys(laovn.shapes.events || {}).forEach(function (id) {
        var shape = laovn.shapes.events[id], span = shape.laovnSpan;
        var keep = inTimeline(span && span[0], span && span[1], range);
        if (keep && !group.hasLayer(shape)) { group.addLayer(shape); }
        if (!keep && group.hasLayer(shape)) {
            if (laovn.sel === id) { laovn.map.closePopup(); }
            group.removeLayer(shape);
        }
    });
}
laovn.shownEvents = function () {
    var group = laovn.groups.events;
    return Object.keys(laovn.shapes.events || {}).filter(function (id) {
        return group && group.hasLayer(laovn.shapes.events[id]);
    });
};

/**
 * The timeline's range of a first state: the address's ?years=, where the state gives its
 * rule (a map that reads its own address: the site's, a file) and the address names a range
 * of it; else the state's. (The page reads ?years= itself and sends the range.)
 * @param {any} state
 * @returns {[string, string] | null}
 */
function firstTimeline(state) {
    var rule = state.years, years = rule && addressYears(readParams()[rule.param], rule);
    return years ? yearsTimeline(years, rule) : state.timeline || null;
}

/**
 * Whether a first state waits for the period its address asks for: that period's file
 * (the site's) is loaded, and its script's `laovn.apply` comes instead of this one (the
 * texts' period if it cannot be loaded).
 * @param {any} state
 * @returns {boolean}
 */
function waitsForPeriod(state) {
    var asked = askedPeriod(readParams(), state.periodFiles);
    if (!asked || asked.period === state.period) { return false; }
    var script = document.createElement("script");
    script.src = asked.file;
    var texts = Object.assign({}, state, {periodFiles: null});
    script.onerror = function () { laovn.apply(texts); };
    document.head.appendChild(script);
    return true;
}

laovn.apply = function (state) {
    var map = laovn.map, first = !laovn.applied;
    if (!map) { return; }
    if (first && waitsForPeriod(state)) { return; }
    laovn.applied = true;
    if (state.period !== laovn.period) {
        laovn.config.periodLayers.forEach(function (name) {
            var data = (state.data && state.data[name]) || laovn.data[name];
            if (laovn.groups[name] && data) { drawInto(data, laovn.groups[name]); }
        });
        laovn.period = state.period;
        restack();
    }
    laovn.texts = state.texts;
    laovn.lang = state.texts.lang;
    Object.keys(laovn.groups).forEach(textLayer);
    laovn.index = null;
    setLanguage(state.texts);
    showScale();
    storyTexts();
    laovn.timeline = first ? firstTimeline(state) : state.timeline || null;
    showTimeline();
    nameLayers();
    setTiles(state.tiles, state.texts.credit);
    showLegend();
    beforePaint(placeLabels);
    if (first && !laovn.offFromUrl) {
        (state.off || []).forEach(function (/** @type {string} */ name) {
            if (laovn.groups[name]) { map.removeLayer(laovn.groups[name]); }
        });
        showLand();
    }
    // a feature of the period just drawn (a 2025 province) is known only now
    if (first && laovn.pendingSel && laovn.byId.has(laovn.pendingSel)) {
        select(laovn.pendingSel, {zoom: !laovn.viewFromUrl, keepView: laovn.viewFromUrl});
    } else if (laovn.sel && !laovn.byId.has(laovn.sel)) {
        setSelected(null);  // the period changed under it
    }
    laovn.pendingSel = null;
    // the statement the address names: known once the texts have come
    // (a map saved as a file opens on the statement its state names, where the address names none)
    if (first) { openFromAddress(laovn.pendingEvent || state.event, laovn.viewFromUrl); }
    var ask = state.select;
    if (ask && ask.nonce !== laovn.lastSelect) {
        laovn.lastSelect = ask.nonce;
        var found = !first && (ask.event ? showStatement(ask.event)
            : select(ask.id, {zoom: true, focus: true}));
        if (found && window.frameElement) {
            window.frameElement.scrollIntoView({block: "nearest"});
        }
    }
    showSelection();
    scheduleRove();
    // the page may have written its own copy of the address meanwhile: this state wins
    writeUrlSoon(0);
    setTimeout(writeUrl, 600);
};

/** @type {any} */ (window).laovnMap = function (/** @type {L.Map} */ map) {
    var config = laovn.config, params = readParams(), view = laovn.startView;
    laovn.viewFromUrl = Boolean(view);
    // the frame takes its size after the map is drawn: until the reader moves the map, the
    // first view is set again exactly (a resize alone would shift it by a rounded pixel)
    var untouched = true;
    laovn.touch = function () { untouched = false; };
    laovn.untouched = function () { return untouched; };
    laovn.viewParam = view ? String(params.view) : null;
    map.on("movestart", function () { if (!isSettingView()) { untouched = false; } });
    sizeChecksAreNotMoves(map);
    // the centre the reader moved to: a later check of the size (a resize, or the page asking
    // Leaflet to measure again) makes Leaflet work its centre out again from whole pixels; a
    // centre within a pixel of the kept one is the same view, and the address keeps its value
    function keep() {
        var c = map.getCenter(), kept = laovn.kept;
        if (kept && kept.zoom === map.getZoom() &&
                map.latLngToContainerPoint(kept.center)
                    .distanceTo(map.latLngToContainerPoint(c)) < 1) {
            c = kept.center;
        }
        laovn.kept = {center: c, zoom: map.getZoom()};
    }
    map.on("moveend", keep);
    map.on("resize", function () {
        if (untouched) { firstView(); } else { zoomFloor(); }
        keep();
    });
    var off = layersOff(params, config.layers);
    laovn.offFromUrl = off.said;
    off.off.forEach(function (name) {
        var group = laovn.groups[name];
        if (group) { map.removeLayer(group); }
    });
    showLand();
    laovn.pendingSel = params.sel || null;  // selected by the first laovn.apply
    laovn.pendingEvent = params.event || null;  // shown by the first laovn.apply (story.js)

    // controls: the search first, then zoom, reset and link, in the corner the keyboard
    // reaches before the features; the layer control after them
    var corner = controlCorner(map, "topleft");
    searchControl().addTo(map);
    corner.insertBefore(/** @type {Node} */ (corner.lastChild), corner.firstChild);
    toolsControl().addTo(map);
    map.getContainer().insertBefore(corner, map.getPanes().mapPane);
    layerControl(map);
    scaleControl().addTo(map);
    selectionControl().addTo(map);
    storyControl().addTo(map);
    laovn.legend = legendControl();
    laovn.legend.addTo(map);
    creditsControl(map);
    markNarrow(map);
    keepPopupsClear(map);
    touchGestures(map);

    map.getContainer().addEventListener("keydown", onKey, true);
    map.getContainer().addEventListener("click", onMapClick, true);
    focusStaysPut(map);
    map.getContainer().addEventListener("focusin", function (e) {
        var shape = e.target && /** @type {any} */ (e.target).laovnShape;
        if (shape && shape.laovnId !== laovn.roving) { laovn.roving = shape.laovnId; rove(); }
    });
    map.on("popupclose", function (e) {
        var source = /** @type {Shape | undefined} */ (popupSource(/** @type {L.PopupEvent} */ (e).popup));
        if (source && source.laovnId === laovn.sel) { setSelected(null); }
    });
    map.on("overlayadd", restack);
    map.on("overlayadd overlayremove", function () {
        showLand();
        showLegend();
        scheduleRove();
        writeUrlSoon();
    });
    map.on("moveend", function () { writeUrlSoon(); });
    // names follow the view: one out of it may go elsewhere in its province (texts.js)
    map.on("moveend overlayadd overlayremove resize", placeLabels);
    // the full detail: at once for a view opened close in, before any zoom, else when idle
    if (map.getZoom() >= config.lodBelowZoom) {
        refine();
    } else {
        map.once("zoomstart", refine);
        if (window.requestIdleCallback) {
            window.requestIdleCallback(refine, {timeout: 1000});
        } else {
            setTimeout(refine, 300);
        }
    }
    laovn.ready = true;
    // The page sends the rest of itself once the map is on screen (app.py, DRAWN_KEY): the
    // map's value changes once, after the first paint. (A map saved as a file has no page.)
    var component = /** @type {any} */ (window).Streamlit;
    if (component && component.setComponentValue) {
        requestAnimationFrame(function () {
            setTimeout(function () { component.setComponentValue({drawn: true}); }, 0);
        });
    }
};
laovn.refine = refine;
