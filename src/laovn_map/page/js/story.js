// @ts-check
// The story: the texts' statements one at a time, in date order (steps.js), in a panel of the
// map. A step shows the statement (its date as written, its sentence, the other text's
// statement of the same event), marks its places on the map and brings them into view, and
// writes `event=` to the address; Previous and Next (buttons, arrow keys) and a play button
// step, a live region says each step. Everything travels with the page's texts
// (laovn.texts.statements): nothing is sent to the server.
import { el, laovn, ui } from "./core.js";
import { setSelected } from "./selection.js";
import { dateParts, eventParam, liveParts, playNext, step, storyOrder } from "./steps.js";
import { featureText } from "./texts.js";
import { writeUrlSoon } from "./url.js";

/** @typedef {import("./core.js").Shape} Shape */
/** @typedef {import("./steps.js").Statement} Statement */

/** How long a played statement stays before the next (ms): time to read a sentence. */
var PLAY_STEP_MS = 4500;
/** The class of the shapes a statement selects. */
var MARK = "laovn-story-place";

/**
 * @typedef {object} StoryPanel
 * @property {HTMLElement} box
 * @property {HTMLButtonElement} toggle
 * @property {HTMLElement} toggleText
 * @property {HTMLElement} body
 * @property {HTMLElement} title
 * @property {HTMLElement} count
 * @property {HTMLElement} when
 * @property {HTMLElement} quote
 * @property {HTMLElement} cite
 * @property {HTMLElement} other
 * @property {HTMLElement} where
 * @property {HTMLButtonElement} prev
 * @property {HTMLButtonElement} play
 * @property {HTMLButtonElement} next
 * @property {HTMLElement} live
 */

var story = {
    /** @type {string | null} */ current: null,  // also laovn.event, which the address keeps
    /** @type {StoryPanel | null} */ panel: null,
    /** @type {Shape[]} */ marked: [],
    /** @type {ReturnType<typeof setInterval> | null} */ timer: null
};

/** @returns {Statement[]} the statements of the page's texts */
function statements() { return (laovn.texts && laovn.texts.statements) || []; }

/** @returns {string[]} their ids in date order */
export function order() { return storyOrder(statements()); }

/**
 * @param {string} id
 * @returns {Statement | undefined}
 */
function statementOf(id) {
    return statements().filter(function (s) { return s.id === id; })[0];
}

/**
 * The shapes of the map a statement selects: its points, and the features its rule names.
 * @param {Statement} statement
 * @returns {Shape[]}
 */
function shapesOf(statement) {
    /** @type {Shape[]} */
    var out = [];
    statement.places.concat(statement.features).forEach(function (id) {
        var shape = laovn.byId.get(id);
        if (shape && out.indexOf(shape) < 0) { out.push(shape); }
    });
    return out;
}

/** @param {boolean} on */
function markShapes(on) {
    story.marked.forEach(function (shape) {
        var path = shape.getElement && shape.getElement();
        if (path) { L.DomUtil[on ? "addClass" : "removeClass"](/** @type {HTMLElement} */ (path), MARK); }
    });
}

/**
 * The statement's places brought into view together (a point to the selection's zoom).
 * @param {Shape[]} shapes
 */
function frame(shapes) {
    var bounds = L.latLngBounds([]);
    shapes.forEach(function (s) {
        if (s.getLatLng) { bounds.extend(s.getLatLng()); } else { bounds.extend(s.getBounds()); }
    });
    if (!bounds.isValid()) { return; }
    laovn.touch();
    laovn.map.fitBounds(bounds, {padding: [60, 60], maxZoom: laovn.config.selectZoom,
                                 animate: false});
}

/**
 * @param {HTMLElement} box
 * @param {string} text
 * @param {string} [lang]
 */
function setText(box, text, lang) {
    box.textContent = text;
    if (lang) { box.setAttribute("lang", lang); } else { box.removeAttribute("lang"); }
}

/**
 * `box` says `parts` ([text, language code or ""]): a part in another language than the page's
 * is a span marked with it (the texts' own words, shown as written).
 * @param {HTMLElement} box
 * @param {[string, string][]} parts
 */
function setParts(box, parts) {
    box.textContent = "";
    parts.forEach(function (part) {
        if (!part[1]) { box.appendChild(document.createTextNode(part[0])); return; }
        var span = el("span", "", part[0]);
        span.setAttribute("lang", part[1]);
        box.appendChild(span);
    });
}

/** The panel says the shown statement (or nothing yet) in the page's language. */
function render() {
    var panel = story.panel;
    if (!panel) { return; }
    panel.toggleText.textContent = ui("story.open");
    // its name without the fold's arrow, which CSS draws after it
    panel.toggle.setAttribute("aria-label", ui("story.open"));
    panel.box.setAttribute("aria-label", ui("story"));
    panel.title.textContent = ui("story");
    panel.prev.textContent = "\u2039 " + ui("story.prev");
    panel.next.textContent = ui("story.next") + " \u203a";
    panel.play.textContent = story.timer ? "\u23f8 " + ui("story.pause") : "\u25b6 " + ui("story.play");
    panel.play.setAttribute("aria-pressed", story.timer ? "true" : "false");
    var ids = order(), s = story.current ? statementOf(story.current) : undefined;
    panel.count.textContent = s ? ui("story.count").replace("{n}", String(ids.indexOf(s.id) + 1))
        .replace("{total}", String(ids.length)) : "";
    panel.prev.disabled = !!s && ids.indexOf(s.id) === 0;
    panel.next.disabled = !!s && ids.indexOf(s.id) === ids.length - 1;
    setParts(panel.when, s ? [...dateParts(s, laovn.lang || ""), [" \u00b7 " + s.language, ""]] : []);
    setText(panel.quote, s ? s.quote : "", s ? s.code : "");
    setText(panel.cite, s ? s.cite : "");
    var link = s && s.link;
    panel.other.hidden = !link;
    if (link) {
        panel.other.textContent = "";
        panel.other.appendChild(el("span", "laovn-story-label", ui("story.other")
            .replace("{language}", link.language).replace("{date}", link.written)));
        var said = el("q", "laovn-story-quote", link.quote);
        said.setAttribute("lang", link.code);
        panel.other.appendChild(said);
    }
    var names = s ? shapesOf(s).map(function (shape) {
        var text = featureText(shape);
        return text ? text[2] : shape.laovnId;
    }) : [];
    setText(panel.where, !s ? "" : !names.length ? ui("story.noplace")
        : s.rule ? ui("story.rule").replace("{places}", names.join("; ")).replace("{rule}", s.rule)
            : ui("story.places").replace("{places}", names.join("; ")));
}

/** @param {boolean} open */
function openPanel(open) {
    var panel = story.panel;
    if (!panel) { return; }
    panel.body.hidden = !open;
    panel.toggle.setAttribute("aria-expanded", open ? "true" : "false");
}

/**
 * Shows statement `id`: the panel opens on it, its places are marked and (unless `keepView`)
 * brought into view, the address gets `event=`, a screen reader hears it.
 * @param {string} id
 * @param {{keepView?: boolean}} [how]
 * @returns {boolean} whether there is such a statement
 */
export function showStatement(id, how) {
    var s = statementOf(id);
    if (!s) { return false; }
    markShapes(false);
    story.current = id;
    laovn.event = id;
    story.marked = shapesOf(s);
    story.marked.forEach(function (shape) {
        var group = laovn.groups[shape.laovnLayer];
        if (group && !laovn.map.hasLayer(group)) { laovn.map.addLayer(group); }
    });
    markShapes(true);
    // the panel says the statement: no feature's popup stays open over it
    if (laovn.sel) { laovn.map.closePopup(); setSelected(null); }
    if (!(how && how.keepView)) { frame(story.marked); }
    openPanel(true);
    render();
    if (story.panel) { setParts(story.panel.live, liveParts(ui("story.count"), order(), s, laovn.lang || "")); }
    writeUrlSoon(0);
    return true;
}
laovn.showStatement = showStatement;

/** @param {number} delta */
function go(delta) {
    var next = step(order(), story.current, delta);
    if (next) { showStatement(next); }
}

/** Play advances a statement at a time, and stops at the last (or when pressed again). */
function togglePlay() {
    if (story.timer) {
        clearInterval(story.timer);
        story.timer = null;
    } else {
        // from the first statement when none is shown yet or the last one is
        if (!story.current || !playNext(order(), story.current)) { showStatement(order()[0]); }
        story.timer = setInterval(function () {
            var next = playNext(order(), story.current);
            if (next) { showStatement(next); } else { togglePlay(); }
        }, PLAY_STEP_MS);
    }
    render();
}

/**
 * The address's `event=`, once the texts (and so the statements) are known: shown, the view
 * the address gives kept.
 * @param {unknown} value
 * @param {boolean} keepView
 */
export function openFromAddress(value, keepView) {
    var id = eventParam(value, order());
    if (id) { showStatement(id, {keepView: keepView}); } else { writeUrlSoon(0); }
}

/** The panel's words again, in the page's new language. */
export function storyTexts() {
    render();
    markShapes(true);  // shapes drawn again (another period, the full detail) lost their mark
}

/**
 * @param {KeyboardEvent} e
 */
function onStoryKey(e) {
    var delta = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1
        : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (!delta || (story.panel && e.target === story.panel.toggle)) { return; }
    e.preventDefault();
    e.stopPropagation();
    go(delta);
}

/**
 * @returns {L.Control} the story's panel, under the tools at the top left (the bottom corners
 * hold the scale, the selection, the legend and the credits, which an open credit line
 * widens): folded to its button until a statement is shown
 */
export function storyControl() {
    var control = new L.Control({position: "topleft"});
    control.onAdd = function () {
        var box = el("div", "laovn-story");
        box.setAttribute("role", "region");
        var toggle = /** @type {HTMLButtonElement} */ (el("button", "laovn-fold laovn-story-toggle"));
        toggle.type = "button";
        // on a narrow map (a phone) the button shows its symbol only; its words stay its name
        var icon = el("span", "laovn-story-icon", "\u25b6");
        icon.setAttribute("aria-hidden", "true");
        var toggleText = el("span", "laovn-story-toggle-text");
        toggle.appendChild(icon); toggle.appendChild(toggleText);
        var body = el("div", "laovn-story-body");
        body.id = "laovn-story-body";
        toggle.setAttribute("aria-controls", body.id);
        var head = el("div", "laovn-story-head");
        var title = el("span", "laovn-story-title");
        var count = el("span", "laovn-story-count");
        head.appendChild(title); head.appendChild(count);
        var when = el("p", "laovn-story-when");
        var quote = el("blockquote", "laovn-quote laovn-story-said");
        var cite = el("p", "laovn-cite");
        var other = el("p", "laovn-story-other");
        var where = el("p", "laovn-note laovn-story-where");
        var buttons = el("div", "laovn-story-buttons");
        /** @param {string} cls @param {() => void} act */
        function button(cls, act) {
            var b = /** @type {HTMLButtonElement} */ (el("button", cls));
            b.type = "button";
            b.addEventListener("click", act);
            buttons.appendChild(b);
            return b;
        }
        var prev = button("laovn-story-prev", function () { go(-1); });
        var play = button("laovn-story-play", togglePlay);
        var next = button("laovn-story-next", function () { go(1); });
        var live = el("div", "laovn-sr");
        live.setAttribute("role", "status");
        live.setAttribute("aria-live", "polite");
        // the buttons first, under the title: a long statement scrolls below them
        [head, buttons, when, quote, cite, other, where].forEach(function (part) { body.appendChild(part); });
        box.appendChild(toggle); box.appendChild(body); box.appendChild(live);
        toggle.addEventListener("click", function () {
            var open = toggle.getAttribute("aria-expanded") !== "true";
            openPanel(open);
            if (open && !story.current) { go(1); }
        });
        box.addEventListener("keydown", onStoryKey);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        story.panel = {box: box, toggle: toggle, toggleText: toggleText, body: body, title: title, count: count, when: when,
                       quote: quote, cite: cite, other: other, where: where, prev: prev,
                       play: play, next: next, live: live};
        openPanel(false);
        render();
        return box;
    };
    return control;
}
