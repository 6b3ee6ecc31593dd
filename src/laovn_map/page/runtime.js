/* laovn-map's map script: runs inside the map's frame, after Leaflet.
 *
 * The map script that folium writes calls, in order:
 *   laovnInit(map, config)   once, before the layers: panes, CSS, zoom floor (mapview.map_config)
 *   laovnDraw(data, group)   once per layer: its shapes, from language-free data (browserdata)
 *   laovnMap(map)            once, after the layers: controls, keyboard, URL state
 * and the page's state arrives as a call of laovn.apply(state) (mapview.state_script), which
 * streamlit-folium evaluates again whenever the page's state changes, without redrawing the
 * map: it sets the texts of a language (tooltips, popups, accessible names, labels, legend,
 * layer names, search), the period's layers, the tiles, and a selection the page asks for.
 *
 * One state: the visible layers, the view and the selected feature live here and in the
 * page's URL (?view=lat,lon,zoom&sel=id&off=a,b), which this script reads once and then keeps
 * current; the language, period and tiles belong to the page (its sidebar and URL). Nothing
 * here talks to the server but one message, once the map is drawn (see laovnMap's end).
 */
(function () {
"use strict";
var laovn = window.laovn = {
    map: null, config: null, groups: {}, data: {}, shapes: {}, byId: new Map(), labels: [],
    texts: null, lang: null, period: null, sel: null, applied: false, lastSelect: null,
    popup: __POPUP__, tiles: null, tilesKey: null, credit: null, control: null,
    roving: null, index: null, home: null, viewParam: null, kept: null,
    coarse: [], refined: false,
    touch: function () {}, untouched: function () { return false; }
};
//: The URL parameters this script owns (the page owns the others: lang, since2025, tiles).
var OWN_PARAMS = ["view", "sel", "off"];
//: The order in which the keyboard walks the features (points first).
var WALK = ["embassies", "consulates", "events", "provinces_vn", "provinces_la", "segments",
            "border", "water"];

//: The tools' icons (drawn here: no icon font), hidden from screen readers (buttons are named).
var ICONS = {
    reset: '<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" ' +
        'stroke-width="1.8"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg>',
    link: '<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" ' +
        'stroke-width="1.8" stroke-linecap="round"><path d="M6.5 9.5l3-3M5.5 7.5l-2 2a2.1 2.1 ' +
        '0 0 0 3 3l2-2M10.5 8.5l2-2a2.1 2.1 0 0 0-3-3l-2 2"/></svg>'
};

// An encoded line (browserdata.encode_line) as Leaflet's own points, read straight from the
// string: no array of numbers for Leaflet to convert (and collect).
var LINE_VALUES = (function () {
    var values = new Int8Array(128), alphabet = __LINE_ALPHABET__;
    for (var i = 0; i < alphabet.length; i++) { values[alphabet.charCodeAt(i)] = i; }
    return values;
}());
function decode(text, scale) {
    var out = [], lat = 0, lon = 0, odd = false, i = 0, n = text.length;
    while (i < n) {
        var zigzag = 0, weight = 1, c;
        do {
            c = LINE_VALUES[text.charCodeAt(i++)];
            zigzag += (c & 31) * weight;
            weight *= 32;
        } while (c >= 32);
        var delta = zigzag % 2 ? -(zigzag + 1) / 2 : zigzag / 2;
        if (odd) {
            lon += delta;
            out.push(new L.LatLng(lat / scale, lon / scale));
        } else {
            lat += delta;
        }
        odd = !odd;
    }
    return out;
}
// A popup's content is a DOM node parsed inertly by a <template> (nothing in it runs).
function node(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
}
function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
}
function ui(key) { return (laovn.texts && laovn.texts.ui[key]) || ""; }

// --- popups: sized to the map just before they open ---------------------------------------
function fitPopup(e) {
    var map = laovn.map, shape = e.target, popup = laovn.popup;
    if (!shape.getPopup()) { return; }
    var options = shape.getPopup().options;
    var size = map.getSize(), limit = laovn.limit;
    var room = limit ? Math.max(0, -map.latLngToContainerPoint(limit.getNorthWest()).y) : 0;
    var above = map.latLngToContainerPoint(e.latlng).y + room - popup.margin - popup.frameHeight;
    options.maxWidth = Math.max(120, Math.min(popup.maxWidth,
                                              size.x - 2 * popup.margin - popup.frameWidth));
    options.minWidth = Math.min(50, options.maxWidth);
    options.maxHeight = Math.round(Math.max(popup.minHeight,
                                            Math.min(size.y * popup.heightShare, above)));
}

// --- drawing ------------------------------------------------------------------------------
window.laovnInit = function (map, config) {
    laovn.map = map;
    laovn.config = config;
    laovn.limit = map.options.maxBounds || null;
    var style = document.createElement("style");
    style.textContent = config.css;
    document.head.appendChild(style);
    var points = map.createPane(config.pointsPane);
    points.style.zIndex = 450;  // above the areas and lines (400), below tooltips and popups
    // first in the document among the panes that hold shapes: the keyboard meets the
    // missions before the areas
    map.getPanes().mapPane.insertBefore(points, map.getPane("overlayPane"));
    laovn.startView = parseView(readParams().view);
    firstView();
};

function forget(layer) {
    Object.keys(laovn.shapes[layer] || {}).forEach(function (id) { laovn.byId.delete(id); });
    laovn.shapes[layer] = Object.create(null);
    laovn.coarse = laovn.coarse.filter(function (s) { return s.laovnLayer !== layer; });
}

// Leaflet's positions of a feature's encoded geometry (browserdata.encode_geometry).
function latLngs(kind, geom, scale) {
    if (kind === "point") { return geom; }
    if (kind === "line") { return geom.map(function (l) { return decode(l, scale); }); }
    var polygons = geom.map(function (p) {
        return p.map(function (r) { return decode(r, scale); });
    });
    return polygons.length === 1 ? polygons[0] : polygons;
}
// The full detail of every shape first drawn coarse: the same picture below
// LOD_BELOW_ZOOM (each within a pixel of the true shape there), and what every view
// shows from the moment the map is idle after its first paint, or at once when it zooms.
function refine() {
    if (laovn.refined) { return; }
    laovn.refined = true;
    laovn.coarse.forEach(function (shape) {
        var full = shape.laovnFull;
        shape.laovnFull = null;
        shape.options.smoothFactor = L.Polyline.prototype.options.smoothFactor;
        shape.setLatLngs(latLngs(full.kind, full.geom, full.scale));
    });
    laovn.coarse = [];
}
laovn.refine = refine;

function drawInto(data, group) {
    group.clearLayers();
    forget(data.layer);
    var shapes = laovn.shapes[data.layer];
    data.features.forEach(function (f) {
        var options = Object.assign({}, data.style, f.style, {className: f.cls});
        if (data.pane) { options.pane = data.pane; }
        // far out, the coarse form first (browserdata.LOD_BELOW_ZOOM); see refine()
        var coarse = Boolean(f.lod) && !laovn.refined, shape;
        var positions = latLngs(data.kind, coarse ? f.lod : f.geom, data.scale);
        // a coarse shape is already simplified (within a pixel): drawn as it is
        if (coarse) { options.smoothFactor = 0; }
        if (data.kind === "point") {
            shape = L.circleMarker(positions, options);
        } else if (data.kind === "line") {
            shape = L.polyline(positions, options);
        } else {
            shape = L.polygon(positions, options);
        }
        if (coarse) {
            shape.laovnFull = {kind: data.kind, geom: f.geom, scale: data.scale};
            laovn.coarse.push(shape);
        }
        shape.laovnId = f.id;
        shape.laovnLayer = data.layer;
        shape.laovnAt = f.at || (data.kind === "point" ? f.geom : null);
        shape.laovnSpan = f.span || null;
        shape.laovnGroup = f.group || null;
        if (options.interactive !== false) {
            shape.on("click", fitPopup);  // before bindPopup's own click handler opens it
            shape.on("click", onShapeClick);
            shape.on("add", decorate);
            laovn.byId.set(f.id, shape);
        }
        shapes[f.id] = shape;
        shape.addTo(group);
    });
    if (laovn.texts) { textLayer(data.layer); }
}

window.laovnDraw = function (data, group) {
    group.laovnLayer = data.layer;
    laovn.groups[data.layer] = group;
    laovn.data[data.layer] = data;  // the text's period; kept to draw it again after 2025
    drawInto(data, group);
};

// --- texts of a language ------------------------------------------------------------------
function featureText(shape) {
    var layer = laovn.texts && laovn.texts.layers[shape.laovnLayer];
    return layer && layer.features[shape.laovnId];
}

// An interactive shape's element: a button the keyboard reaches (one at a time, see rove)
// with its accessible name; called whenever Leaflet (re)creates the element.
function decorate(e) {
    var shape = e.target, path = shape.getElement && shape.getElement();
    if (!path) { return; }
    path.laovnShape = shape;
    path.setAttribute("role", "button");
    path.setAttribute("tabindex", shape.laovnId === laovn.roving ? "0" : "-1");
    var text = featureText(shape);
    if (text) { path.setAttribute("aria-label", text[2]); }
    L.DomUtil[isSelected(shape) ? "addClass" : "removeClass"](path, "laovn-selected");
    scheduleRove();
}

function popupContent(html) {
    return function () { return node(html); };
}
function textLayer(name) {
    var layer = laovn.texts.layers[name], group = laovn.groups[name];
    if (!layer || !group) { return; }
    Object.keys(laovn.shapes[name] || {}).forEach(function (id) {
        var shape = laovn.shapes[name][id], text = layer.features[id];
        if (!text) { return; }
        if (text[0]) {
            if (shape.getTooltip()) { shape.setTooltipContent(text[0]); }
            else { shape.bindTooltip(text[0], {sticky: true}); }
        }
        if (text[1]) {
            // parsed when it opens: most popups never do
            var content = popupContent(text[1]);
            if (shape.getPopup()) { shape.setPopupContent(content); }
            else {
                shape.bindPopup(content, {maxWidth: laovn.popup.maxWidth,
                                          autoPanPadding: laovn.popup.autoPanPadding});
            }
        }
        var path = shape.getElement && shape.getElement();
        if (path) { path.setAttribute("aria-label", text[2]); }
    });
    // the layer's labels: zero-size marker icons, in the group so they follow its toggle
    (group.laovnLabels || []).forEach(function (marker) { group.removeLayer(marker); });
    group.laovnLabels = (layer.labels || []).map(function (label) {
        var icon = L.divIcon({className: label.cls, html: "<span>" + label.text + "</span>",
                              iconSize: null});
        var marker = L.marker(label.at, {icon: icon, interactive: false, keyboard: false});
        marker.laovnLabel = label;
        marker.addTo(group);
        return marker;
    });
}

function allLabels() {
    var out = [];
    Object.keys(laovn.groups).forEach(function (name) {
        out = out.concat(laovn.groups[name].laovnLabels || []);
    });
    return out.sort(function (a, b) {
        var x = a.laovnLabel.rank, y = b.laovnLabel.rank;
        return x[0] - y[0] || x[1] - y[1];
    });
}

// Run `fn` once before the next frame is painted, when the map is built: what it measures
// is then laid out once, with everything else the frame holds (measured while the map is
// being built, each reading makes the browser lay out the half-built map again).
var beforePaintQueue = [];
function beforePaint(fn) {
    if (beforePaintQueue.indexOf(fn) >= 0) { return; }
    beforePaintQueue.push(fn);
    if (beforePaintQueue.length > 1) { return; }
    requestAnimationFrame(function () {
        var queue = beforePaintQueue;
        beforePaintQueue = [];
        queue.forEach(function (f) { f(); });
    });
}

// After every zoom and toggle: hide each label whose box overlaps one placed before it (in
// rank order) or, for a province, is wider or taller than the province's box on screen.
function placeLabels() {
    var map = laovn.map, placed = [], pad = laovn.config.labelGapPx;
    laovn.labels = allLabels();
    laovn.labels.forEach(function (marker) {
        var icon = marker.getElement();
        if (!icon || !marker._map) { return; }
        var span = icon.firstChild, fit = marker.laovnLabel.fit, show = true;
        if (fit) {
            var sw = map.latLngToContainerPoint([fit[0], fit[1]]);
            var ne = map.latLngToContainerPoint([fit[2], fit[3]]);
            show = span.offsetWidth <= ne.x - sw.x && span.offsetHeight <= sw.y - ne.y;
        }
        var r = span.getBoundingClientRect();
        show = show && !placed.some(function (p) {
            return r.left < p.right + pad && p.left < r.right + pad &&
                r.top < p.bottom + pad && p.top < r.bottom + pad;
        });
        if (show) { placed.push(r); }
        L.DomUtil[show ? "removeClass" : "addClass"](icon, "laovn-label-hidden");
    });
}

// --- the URL ------------------------------------------------------------------------------
// The window whose address holds the state: the page around the map's frame (same origin),
// or the map's own document when it is opened by itself (an exported file).
function urlWindow() {
    try {
        var w = window.parent;
        if (w && w.location && typeof w.location.search === "string") { return w; }
    } catch (err) { /* another origin: the map keeps no URL */ }
    return null;
}
function readParams() {
    // the first value of each key (a malformed escape stays as written: a bad value like any)
    var w = urlWindow(), out = Object.create(null);
    new URLSearchParams(w ? w.location.search : "").forEach(function (value, key) {
        if (!(key in out)) { out[key] = value; }
    });
    return out;
}
// The centre the map was last moved to: Leaflet's own getCenter() is worked out again from
// whole pixels after any size check, which moves it by a fraction of a pixel.
function centre() { return laovn.kept ? laovn.kept.center : laovn.map.getCenter(); }
function isHome() {
    var map = laovn.map, home = laovn.home;
    if (!home) { return true; }
    var c = centre();
    return Math.abs(c.lat - home.lat) < 1e-4 && Math.abs(c.lng - home.lng) < 1e-4 &&
        Math.abs(map.getZoom() - home.zoom) < 1e-3;
}
function layersOff() {
    return laovn.config.layers.filter(function (name) {
        return laovn.groups[name] && !laovn.map.hasLayer(laovn.groups[name]);
    });
}
function ownParams() {
    var map = laovn.map, out = [];
    if (laovn.untouched()) {
        // not moved since the page opened: the address keeps the view it was opened with
        // (the map's own centre differs from it by the rounding of a pixel)
        if (laovn.viewParam) { out.push("view=" + laovn.viewParam); }
    } else if (!isHome()) {
        var c = centre();
        // 4 decimals: about 10 m, finer than a pixel at the closest zoom
        out.push("view=" + [Number(c.lat.toFixed(4)), Number(c.lng.toFixed(4)),
                            Math.round(map.getZoom() * 100) / 100].join(","));
    }
    if (laovn.sel) { out.push("sel=" + encodeURIComponent(laovn.sel)); }
    var off = layersOff();
    if (off.length) { out.push("off=" + off.join(",")); }
    return out;
}
function writeUrl() {
    var w = urlWindow();
    if (!w || !laovn.ready) { return; }
    var kept = w.location.search.replace(/^\?/, "").split("&").filter(function (kv) {
        if (!kv) { return false; }
        var key = kv.split("=")[0];
        // a layer's own `<layer>=false` was the URL's form before `off`; it is replaced
        return OWN_PARAMS.indexOf(key) < 0 && laovn.config.layers.indexOf(key) < 0;
    });
    var query = kept.concat(ownParams()).join("&");
    var url = w.location.pathname + (query ? "?" + query : "") + w.location.hash;
    if (url !== w.location.pathname + w.location.search + w.location.hash) {
        w.history.replaceState(w.history.state, "", url);
    }
}
var urlTimer = null;
function writeUrlSoon(delay) {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, delay === undefined ? 150 : delay);
}
laovn.url = function () {
    var w = urlWindow();
    return w ? w.location.href : "";
};
// The URL's view=lat,lon,zoom, or null for one the map refuses: the page's rule
// (mapview.ViewRule), given in the config, so the page's print box and the map agree.
function parseView(value) {
    var rule = laovn.config.view;
    var match = new RegExp("^(?:" + rule.pattern + ")$").exec(String(value || ""));
    if (!match) { return null; }
    var lat = Number(match[1]), lon = Number(match[2]), zoom = Number(match[3]);
    var south = rule.bounds[0][0], west = rule.bounds[0][1];
    var north = rule.bounds[1][0], east = rule.bounds[1][1];
    if (!(south <= lat && lat <= north && west <= lon && lon <= east &&
          rule.minZoom <= zoom && zoom <= rule.maxZoom)) { return null; }
    return {center: [lat, lon], zoom: zoom};
}

// --- selection ----------------------------------------------------------------------------
function anchorOf(shape) {
    if (shape.getLatLng) { return shape.getLatLng(); }
    return shape.laovnAt ? L.latLng(shape.laovnAt) : shape.getBounds().getCenter();
}
// The shapes selected with `shape`: itself, and the other places of its event.
function companions(shape) {
    if (!shape.laovnGroup) { return [shape]; }
    var shapes = laovn.shapes[shape.laovnLayer] || {};
    return Object.keys(shapes).map(function (id) { return shapes[id]; })
        .filter(function (s) { return s.laovnGroup === shape.laovnGroup; });
}
function isSelected(shape) {
    var sel = laovn.sel && laovn.byId.get(laovn.sel);
    return !!sel && (sel === shape || (!!sel.laovnGroup && sel.laovnGroup === shape.laovnGroup &&
                                       sel.laovnLayer === shape.laovnLayer));
}
function zoomTo(shape) {
    var map = laovn.map, all = companions(shape);
    if (all.length > 1) {
        map.fitBounds(L.latLngBounds(all.map(function (s) { return s.getLatLng(); })),
                      {padding: [60, 60], maxZoom: laovn.config.selectZoom, animate: false});
    } else if (shape.getLatLng) {
        map.setView(shape.getLatLng(), Math.max(map.getZoom(), laovn.config.selectZoom),
                    {animate: false});
    } else {
        map.fitBounds(shape.getBounds(), {padding: [40, 40], maxZoom: laovn.config.selectZoom + 1,
                                          animate: false});
    }
}
function setSelected(id) {
    var old = laovn.sel && laovn.byId.get(laovn.sel);
    laovn.sel = id && laovn.byId.has(id) ? id : null;
    var shape = laovn.sel && laovn.byId.get(laovn.sel);
    (old ? companions(old) : []).concat(shape ? companions(shape) : []).forEach(function (s) {
        var path = s.getElement && s.getElement();
        if (path) { L.DomUtil[isSelected(s) ? "addClass" : "removeClass"](path, "laovn-selected"); }
    });
    showSelection();
    writeUrlSoon(0);
}
// Select a feature as a click does: its layer shown, its popup open, the panel and the URL
// updated; `zoom` also brings it into view, `focus` moves the keyboard to it.
function select(id, how) {
    var shape = laovn.byId.get(id), map = laovn.map;
    how = how || {};
    if (!shape) { return false; }
    if (how.zoom) { laovn.touch(); }
    var group = laovn.groups[shape.laovnLayer];
    if (group && !map.hasLayer(group)) { map.addLayer(group); }
    if (how.zoom) { zoomTo(shape); }
    var at = anchorOf(shape);
    var popup = shape.getPopup();
    if (popup) {
        fitPopup({target: shape, latlng: at});
        // a view restored from the URL stays as it was: the popup does not pan it
        var autoPan = popup.options.autoPan;
        if (how.keepView) { popup.options.autoPan = false; }
        shape.openPopup(at);
        popup.options.autoPan = autoPan;
    }
    setSelected(id);
    if (how.focus && shape.getElement && shape.getElement()) {
        laovn.roving = id;
        rove();
        shape.getElement().focus({preventScroll: true});
    }
    return true;
}
laovn.select = select;
function onShapeClick(e) { setSelected(e.target.laovnId); }

function showSelection() {
    var panel = laovn.selectionPanel;
    if (!panel) { return; }
    var shape = laovn.sel && laovn.byId.get(laovn.sel), text = shape && featureText(shape);
    panel.name.textContent = text ? text[2] : "";
    panel.box.hidden = !text;
}

// --- keyboard: the features are one stop of the Tab key, the arrows walk them -------------
function walkable() {
    var map = laovn.map, out = [];
    WALK.forEach(function (name) {
        var group = laovn.groups[name];
        if (!group || !map.hasLayer(group)) { return; }
        Object.keys(laovn.shapes[name] || {}).forEach(function (id) {
            var shape = laovn.shapes[name][id];
            if (laovn.byId.has(id) && shape.getElement && shape.getElement()) { out.push(shape); }
        });
    });
    return out;
}
function rove() {
    var shapes = walkable();
    if (!shapes.some(function (s) { return s.laovnId === laovn.roving; })) {
        laovn.roving = shapes.length ? shapes[0].laovnId : null;
    }
    shapes.forEach(function (s) {
        s.getElement().setAttribute("tabindex", s.laovnId === laovn.roving ? "0" : "-1");
    });
}
var roveTimer = null;
// Once after the shapes of a burst of changes are (re)created: one timer for the burst, not
// one per shape (drawing a layer creates ~100 elements at once).
function scheduleRove() {
    if (roveTimer !== null) { return; }
    roveTimer = setTimeout(function () { roveTimer = null; rove(); }, 0);
}
function onKey(e) {
    var shape = e.target && e.target.laovnShape;
    if (!shape) { return; }
    var key = e.key, step = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1}[key];
    if (key === "Enter" || key === " " || key === "Spacebar") {
        e.preventDefault(); e.stopPropagation();
        select(shape.laovnId, {});
    } else if (step || key === "Home" || key === "End") {
        // the map's own keyboard handler would pan the map: the features' walk comes first
        e.preventDefault(); e.stopPropagation();
        var shapes = walkable(), i = shapes.indexOf(shape), n = shapes.length;
        var next = key === "Home" ? 0 : key === "End" ? n - 1 : (i + step + n) % n;
        if (shapes[next]) {
            laovn.roving = shapes[next].laovnId;
            rove();
            shapes[next].getElement().focus({preventScroll: true});
        }
    }
}

// --- search ---------------------------------------------------------------------------------
// Case, diacritics (đ too), spacing and punctuation are ignored; Lao script keeps its
// letters (its vowel and tone marks are dropped on both sides).
function norm(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .replace(/[đĐ]/g, "d").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}
// The fewest edits turning `query` into some part of `text` (Sellers' algorithm), or
// Infinity when more than `most`.
function fuzzy(query, text, most) {
    var m = query.length, prev = [], cur = [], best = m;
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
// The names normalised once per language, when the search is first used (not while the map
// is being drawn).
function searchIndex() {
    if (!laovn.index) {
        laovn.index = laovn.texts.search.map(function (row) {
            return {id: row[0], name: row[1], kind: row[2],
                    keys: row[3].map(norm).filter(function (k) { return k; })};
        });
    }
    return laovn.index;
}
function search(text) {
    var query = norm(text), found = [];
    if (!query) { return found; }
    var most = query.length >= 7 ? 2 : query.length >= 4 ? 1 : 0;
    searchIndex().forEach(function (entry, order) {
        var score = Infinity;
        entry.keys.forEach(function (key) {
            var at = key.indexOf(query);
            var s = key === query ? 0 : at === 0 ? 1 : at > 0 ? 2 :
                (most ? 3 + fuzzy(query, key, most) : Infinity);
            score = Math.min(score, s);
        });
        if (score < Infinity) { found.push({entry: entry, score: score, order: order}); }
    });
    found.sort(function (a, b) { return a.score - b.score || a.order - b.order; });
    return found.slice(0, laovn.config.searchResults).map(function (f) { return f.entry; });
}
laovn.search = search;

function searchControl() {
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
        var box = el("div", "laovn-search leaflet-bar");
        var label = el("label", "laovn-sr");
        label.htmlFor = "laovn-search-input";
        var input = el("input");
        input.id = "laovn-search-input";
        input.type = "search";
        input.autocomplete = "off";
        input.spellcheck = false;
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", "laovn-search-results");
        var list = el("ul", "laovn-search-results");
        list.id = "laovn-search-results";
        list.setAttribute("role", "listbox");
        list.hidden = true;
        var status = el("div", "laovn-sr");
        status.setAttribute("role", "status");
        box.appendChild(label); box.appendChild(input); box.appendChild(list);
        box.appendChild(status);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var results = [], active = -1;
        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
        }
        function mark(i) {
            active = i;
            Array.prototype.forEach.call(list.children, function (li, j) {
                li.setAttribute("aria-selected", String(j === i));
            });
            if (i >= 0) { input.setAttribute("aria-activedescendant", "laovn-result-" + i); }
        }
        function choose(i) {
            var entry = results[i];
            if (!entry) { return; }
            input.value = entry.name;
            close();
            select(entry.id, {zoom: true});
            status.textContent = ui("search.chosen").replace("{name}", entry.name);
        }
        function show() {
            results = search(input.value);
            list.textContent = "";
            results.forEach(function (entry, i) {
                var li = el("li", "laovn-search-result");
                li.id = "laovn-result-" + i;
                li.setAttribute("role", "option");
                li.appendChild(el("span", "laovn-search-name", entry.name));
                li.appendChild(el("span", "laovn-search-kind", entry.kind));
                li.addEventListener("mousedown", function (e) { e.preventDefault(); });
                li.addEventListener("click", function () { choose(i); });
                list.appendChild(li);
            });
            var open = results.length > 0;
            list.hidden = !open;
            input.setAttribute("aria-expanded", String(open));
            mark(open ? 0 : -1);
            status.textContent = input.value.trim() ? (open ?
                ui("search.count").replace("{n}", String(results.length)) : ui("search.none"))
                : "";
        }
        input.addEventListener("input", show);
        input.addEventListener("keydown", function (e) {
            if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                if (list.hidden) { show(); return; }
                var n = results.length;
                if (n) { mark((active + (e.key === "ArrowDown" ? 1 : -1) + n) % n); }
            } else if (e.key === "Enter") {
                e.preventDefault();
                if (list.hidden) { show(); }
                choose(active < 0 ? 0 : active);
            } else if (e.key === "Escape") {
                if (!list.hidden) { e.preventDefault(); close(); }
            }
            e.stopPropagation();  // the map's keyboard handler must not pan or zoom
        });
        input.addEventListener("blur", function () { setTimeout(close, 150); });
        laovn.searchBox = {input: input, label: label, status: status, show: show};
        return box;
    };
    return control;
}

// --- controls ---------------------------------------------------------------------------------
// A button that folds `body`, open or not from the start.
function fold(button, body, open) {
    function set(value) {
        button.setAttribute("aria-expanded", String(value));
        body.hidden = !value;
    }
    button.addEventListener("click", function () {
        set(button.getAttribute("aria-expanded") !== "true");
    });
    set(open);
}

function toolsControl() {
    var control = L.control({position: "topleft"});
    control.onAdd = function () {
        var bar = el("div", "laovn-tools leaflet-bar");
        var reset = el("button", "laovn-tool laovn-reset");
        reset.type = "button";
        reset.innerHTML = ICONS.reset;
        reset.addEventListener("click", function () { laovn.touch(); goHome(); writeUrlSoon(0); });
        var copy = el("button", "laovn-tool laovn-copy");
        copy.type = "button";
        copy.innerHTML = ICONS.link;
        var status = el("div", "laovn-copied");
        status.setAttribute("role", "status");
        copy.addEventListener("click", function () {
            writeUrl();
            var url = laovn.url();
            function copied(ok) {
                status.textContent = ok ? ui("link.copied") : ui("link.manual");
                if (!ok) {
                    var field = el("input", "laovn-link-field");
                    field.value = url;
                    field.readOnly = true;
                    field.setAttribute("aria-label", ui("link"));
                    status.appendChild(field);
                    field.select();
                }
                status.hidden = false;
                clearTimeout(status.timer);
                status.timer = setTimeout(function () { status.hidden = true; }, ok ? 2500 : 15000);
            }
            var clip = navigator.clipboard || (urlWindow() && urlWindow().navigator.clipboard);
            if (clip && clip.writeText) {
                clip.writeText(url).then(function () { copied(true); }, function () { copied(false); });
            } else { copied(false); }
        });
        status.hidden = true;
        bar.appendChild(reset); bar.appendChild(copy); bar.appendChild(status);
        L.DomEvent.disableClickPropagation(bar);
        laovn.tools = {reset: reset, copy: copy};
        return bar;
    };
    return control;
}

function selectionControl() {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
        var box = el("div", "laovn-selection");
        box.setAttribute("role", "status");
        var title = el("span", "laovn-selection-title");
        var name = el("span", "laovn-selection-name");
        var clear = el("button", "laovn-selection-clear", "\u00d7");
        clear.type = "button";
        clear.addEventListener("click", function () { laovn.map.closePopup(); setSelected(null); });
        box.appendChild(title); box.appendChild(name); box.appendChild(clear);
        L.DomEvent.disableClickPropagation(box);
        box.hidden = true;
        laovn.selectionPanel = {box: box, title: title, name: name, clear: clear};
        return box;
    };
    return control;
}

function legendControl() {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
        var div = L.DomUtil.create("div", "laovn-legend");
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    return control;
}
function showLegend() {
    var box = laovn.legend && laovn.legend.getContainer();
    if (!box || !laovn.texts) { return; }
    if (box.laovnHtml !== laovn.texts.legend) {
        var open = box.laovnFold ? box.laovnFold.getAttribute("aria-expanded") === "true"
            : laovn.map.getSize().x >= laovn.config.foldBelowPx;
        box.innerHTML = laovn.texts.legend;
        box.laovnHtml = laovn.texts.legend;
        box.laovnFold = box.querySelector(".laovn-legend-toggle");
        if (box.laovnFold) { fold(box.laovnFold, box.querySelector(".laovn-legend-body"), open); }
    }
    box.querySelectorAll(".laovn-legend-entry").forEach(function (entry) {
        var group = laovn.groups[entry.getAttribute("data-layer")];
        entry.hidden = !(group && laovn.map.hasLayer(group));
    });
    box.hidden = !box.querySelector(".laovn-legend-entry:not([hidden])");
}

// The layer control, with a button that folds its list (folded from the start on a phone).
function layerControl(map) {
    var overlays = {};
    laovn.config.layers.forEach(function (name) {
        if (laovn.groups[name]) { overlays[name] = laovn.groups[name]; }
    });
    var control = L.control.layers(null, overlays, {collapsed: false, position: "topright"});
    // Leaflet fits the open list to the map's height as it adds it, a measurement: shown
    // open at once, and fitted before the first paint (beforePaint)
    control._expandIfNotCollapsed = function () { return this; };
    control.addTo(map);
    delete control._expandIfNotCollapsed;
    L.DomUtil.addClass(control.getContainer(), "leaflet-control-layers-expanded");
    beforePaint(function () { control.expand(); });
    var box = control.getContainer(), list = box.querySelector(".leaflet-control-layers-list");
    var button = el("button", "laovn-fold laovn-layers-toggle");
    button.type = "button";
    button.setAttribute("aria-controls", "laovn-layers-list");
    list.id = "laovn-layers-list";
    box.insertBefore(button, box.firstChild);
    fold(button, list, map.getSize().x >= laovn.config.foldBelowPx);
    L.DomEvent.disableClickPropagation(box);
    laovn.control = control;
    laovn.layersButton = button;
    return control;
}
function nameLayers() {
    var control = laovn.control;
    if (!control || !laovn.texts) { return; }
    control._layers.forEach(function (item) {
        var layer = laovn.texts.layers[item.layer.laovnLayer];
        if (layer) { item.name = layer.label; }
    });
    control._update();
}

// --- tiles and credits --------------------------------------------------------------------
function setTiles(tiles, credit) {
    var map = laovn.map, attribution = map.attributionControl;
    var key = tiles ? tiles.url + "|" + tiles.attribution : null;
    if (key !== laovn.tilesKey && laovn.tiles) {
        map.removeLayer(laovn.tiles);
        laovn.tiles = null;
        L.DomUtil.removeClass(map.getContainer(), "laovn-tiles-shown");
        if (laovn.notice) { laovn.notice.remove(); laovn.notice = null; }
    }
    if (tiles && !laovn.tiles) {
        var layer = L.tileLayer(tiles.url, {attribution: tiles.attribution, maxZoom: tiles.maxZoom});
        layer.once("tileload", function () {
            L.DomUtil.addClass(map.getContainer(), "laovn-tiles-shown");
        });
        layer.once("tileerror", function () {
            if (laovn.notice || laovn.tiles !== layer) { return; }
            var notice = L.control({position: "bottomleft"});
            notice.onAdd = function () {
                var div = L.DomUtil.create("div", "laovn-notice");
                div.setAttribute("role", "status");
                div.textContent = tiles.offline;
                return div;
            };
            notice.addTo(map);
            laovn.notice = notice;
        });
        layer.addTo(map);
        laovn.tiles = layer;
    }
    laovn.tilesKey = key;
    // the credit line: the tile layer's when tiles are on (OpenStreetMap named once)
    var plain = tiles ? "" : credit;
    if (attribution && plain !== laovn.credit) {
        if (laovn.credit) { attribution.removeAttribution(laovn.credit); }
        if (plain) { attribution.addAttribution(plain); }
        laovn.credit = plain;
    }
}

// --- the page's state ---------------------------------------------------------------------
function setLanguage(texts) {
    var w = urlWindow();
    document.documentElement.lang = texts.lang;
    try {
        if (w && w !== window) { w.document.documentElement.lang = texts.lang; }
        if (window.frameElement) {
            window.frameElement.title = texts.ui["map.title"];
            window.frameElement.id = laovn.config.frameId;
        }
    } catch (err) { /* another origin */ }
    var map = laovn.map;
    map.getContainer().setAttribute("aria-label", texts.ui["map.label"]);
    map.getContainer().setAttribute("aria-roledescription", texts.ui["map.role"]);
    if (map.zoomControl) {
        var zoom = map.zoomControl;
        [[zoom._zoomInButton, "zoom.in"], [zoom._zoomOutButton, "zoom.out"]].forEach(function (b) {
            b[0].title = texts.ui[b[1]];
            b[0].setAttribute("aria-label", texts.ui[b[1]]);
        });
    }
    if (laovn.searchBox) {
        laovn.searchBox.label.textContent = texts.ui.search;
        laovn.searchBox.input.placeholder = texts.ui["search.placeholder"];
        if (laovn.searchBox.input.value) { laovn.searchBox.show(); }
    }
    if (laovn.tools) {
        [[laovn.tools.reset, "view.reset"], [laovn.tools.copy, "link.copy"]].forEach(function (b) {
            b[0].title = texts.ui[b[1]];
            b[0].setAttribute("aria-label", texts.ui[b[1]]);
        });
    }
    if (laovn.layersButton) {
        laovn.layersButton.textContent = texts.ui.layers;
        // Leaflet's own toggle (hidden while the list is expanded) keeps its English title
        var toggle = laovn.control.getContainer().querySelector(".leaflet-control-layers-toggle");
        if (toggle) { toggle.title = texts.ui.layers; toggle.setAttribute("aria-label", texts.ui.layers); }
    }
    if (laovn.selectionPanel) {
        laovn.selectionPanel.title.textContent = texts.ui.selected + ": ";
        laovn.selectionPanel.clear.setAttribute("aria-label", texts.ui["selection.clear"]);
        laovn.selectionPanel.clear.title = texts.ui["selection.clear"];
    }
    if (laovn.hint) { laovn.hint.textContent = texts.ui["touch.hint"]; }
}

laovn.apply = function (state) {
    var map = laovn.map, first = !laovn.applied;
    if (!map) { return; }
    laovn.applied = true;
    if (state.period !== laovn.period) {
        laovn.config.periodLayers.forEach(function (name) {
            var data = (state.data && state.data[name]) || laovn.data[name];
            if (laovn.groups[name] && data) { drawInto(data, laovn.groups[name]); }
        });
        laovn.period = state.period;
    }
    laovn.texts = state.texts;
    laovn.lang = state.texts.lang;
    Object.keys(laovn.groups).forEach(textLayer);
    laovn.index = null;
    setLanguage(state.texts);
    laovn.timeline = state.timeline || null;
    showTimeline();
    nameLayers();
    setTiles(state.tiles, state.texts.credit);
    showLegend();
    beforePaint(placeLabels);
    if (first && !laovn.offFromUrl) {
        (state.off || []).forEach(function (name) {
            if (laovn.groups[name]) { map.removeLayer(laovn.groups[name]); }
        });
    }
    if (first && laovn.pendingSel) {
        select(laovn.pendingSel, {zoom: !laovn.viewFromUrl, keepView: laovn.viewFromUrl});
    } else if (laovn.sel && !laovn.byId.has(laovn.sel)) {
        setSelected(null);  // the period changed under it
    }
    laovn.pendingSel = null;
    var ask = state.select;
    if (ask && ask.nonce !== laovn.lastSelect) {
        laovn.lastSelect = ask.nonce;
        if (!first && select(ask.id, {zoom: true, focus: true}) && window.frameElement) {
            window.frameElement.scrollIntoView({block: "nearest"});
        }
    }
    showSelection();
    scheduleRove();
    // the page may have written its own copy of the address meanwhile: this state wins
    writeUrlSoon(0);
    setTimeout(writeUrl, 600);
};

// The events whose dates meet the timeline's range [start, end] (ISO dates) stay on the
// map; the others leave their layer until the range takes them in again.
function showTimeline() {
    var group = laovn.groups.events, range = laovn.timeline;
    if (!group) { return; }
    Object.keys(laovn.shapes.events || {}).forEach(function (id) {
        var shape = laovn.shapes.events[id], span = shape.laovnSpan;
        var keep = !range || !span || (span[1] >= range[0] && span[0] <= range[1]);
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

function goHome() {
    var map = laovn.map;
    map.fitBounds(laovn.config.home, {padding: [24, 24], animate: false});
    withinLimit();
    laovn.home = {lat: map.getCenter().lat, lng: map.getCenter().lng, zoom: map.getZoom()};
}

// One finger over the map scrolls the page on a touch screen; two fingers pan and zoom it
// (Leaflet's pinch zoom follows the fingers' centre). A hint says so on a one-finger swipe.
function touchGestures(map) {
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches &&
        !window.matchMedia("(any-pointer: fine)").matches;
    if (!(coarse || L.Browser.mobile)) { return; }
    map.dragging.disable();
    L.DomUtil.addClass(map.getContainer(), "laovn-gestures");
    var hint = el("div", "laovn-touch-hint");
    hint.setAttribute("aria-hidden", "true");
    hint.hidden = true;
    map.getContainer().appendChild(hint);
    laovn.hint = hint;
    var timer = null;
    map.getContainer().addEventListener("touchmove", function (e) {
        if (e.touches.length !== 1) { hint.hidden = true; return; }
        hint.hidden = false;
        clearTimeout(timer);
        timer = setTimeout(function () { hint.hidden = true; }, 1200);
    }, {passive: true});
}

// Never zoomed out so far that the view reaches past the base map's outlines.
function zoomFloor() {
    var map = laovn.map, config = laovn.config;
    // worked out afresh for the map's size: getBoundsZoom clamps to the floor already set, so
    // a floor raised while the map was wider would otherwise stay when it narrows
    map.options.minZoom = config.minZoom;
    var fit = config.extent ? map.getBoundsZoom(config.extent, true) : config.minZoom;
    var floor = Math.max(config.minZoom, fit);
    if (map.getZoom() < floor) { map.setZoom(floor, {animate: false}); }
    map.setMinZoom(floor);
}
// The view the map opens with: the URL's (each value checked; a bad one falls back to its
// default), else home. Set by laovnInit, before any layer is on the map, so that each
// shape is projected and clipped once for it.
function firstView() {
    settingTheView(function () {
        var map = laovn.map, view = laovn.startView;
        zoomFloor();  // first: a view fitted below the floor would be pulled off centre
        goHome();
        if (view) { map.setView(view.center, view.zoom, {animate: false}); withinLimit(); }
    });
}
// Kept within the panning limit at once (Leaflet would pan there after the move, animated).
function withinLimit() {
    if (laovn.limit) { laovn.map.panInsideBounds(laovn.limit, {animate: false}); }
}
// While the page sets the view, and while Leaflet measures the map's size, no move is the
// reader's. Leaflet's own pan back inside the panning limit, which it starts animated after
// every move, would end a quarter of a second later off the view just set, so the limit is
// lifted meanwhile and applied at once by withinLimit.
var settingView = false;
function settingTheView(set) {
    var map = laovn.map, was = settingView;
    settingView = true;
    if (!was && laovn.limit) { map.setMaxBounds(null); }
    try { set(); } finally {
        if (!was && laovn.limit) { map.setMaxBounds(laovn.limit); }
        settingView = was;
    }
}
function sizeChecksAreNotMoves(map) {
    var invalidateSize = map.invalidateSize;
    map.invalidateSize = function (options) {
        var self = this, out = this;
        settingTheView(function () { out = invalidateSize.call(self, options); });
        return out;
    };
}

window.laovnMap = function (map) {
    var config = laovn.config, params = readParams(), view = laovn.startView;
    laovn.viewFromUrl = Boolean(view);
    // the frame takes its size after the map is drawn: until the reader moves the map, the
    // first view is set again exactly (a resize alone would shift it by a rounded pixel)
    var untouched = true;
    laovn.touch = function () { untouched = false; };
    laovn.untouched = function () { return untouched; };
    laovn.viewParam = view ? String(params.view) : null;
    map.on("movestart", function () { if (!settingView) { untouched = false; } });
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
    var off = String(params.off || "").split(",");
    laovn.offFromUrl = "off" in params || config.layers.some(function (name) {
        return params[name] === "false";
    });
    config.layers.forEach(function (name) {
        var group = laovn.groups[name];
        if (group && (off.indexOf(name) >= 0 || params[name] === "false")) {
            map.removeLayer(group);
        }
    });
    laovn.pendingSel = params.sel && laovn.byId.has(params.sel) ? params.sel : null;

    // controls: the search first, then zoom, reset and link, in the corner the keyboard
    // reaches before the features; the layer control after them
    var corner = map._controlCorners.topleft;
    searchControl().addTo(map);
    corner.insertBefore(corner.lastChild, corner.firstChild);
    toolsControl().addTo(map);
    map.getContainer().insertBefore(corner, map.getPanes().mapPane);
    layerControl(map);
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    selectionControl().addTo(map);
    laovn.legend = legendControl();
    laovn.legend.addTo(map);
    touchGestures(map);

    map.getContainer().addEventListener("keydown", onKey, true);
    map.getContainer().addEventListener("focusin", function (e) {
        var shape = e.target && e.target.laovnShape;
        if (shape && shape.laovnId !== laovn.roving) { laovn.roving = shape.laovnId; rove(); }
    });
    map.on("popupclose", function (e) {
        var source = e.popup && e.popup._source;
        if (source && source.laovnId === laovn.sel) { setSelected(null); }
    });
    map.on("overlayadd overlayremove", function () {
        showLegend();
        scheduleRove();
        writeUrlSoon();
    });
    map.on("moveend", function () { writeUrlSoon(); });
    map.on("zoomend overlayadd overlayremove resize", placeLabels);
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
    var component = window.Streamlit;
    if (component && component.setComponentValue) {
        requestAnimationFrame(function () {
            setTimeout(function () { component.setComponentValue({drawn: true}); }, 0);
        });
    }
};
}());
