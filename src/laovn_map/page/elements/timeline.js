// @ts-check
// The vertical timeline a person reads: a Streamlit components-v2 element (page/component.py
// `timeline_list`), not part of the map script. Per era a heading (the text's own words, in the
// text's language) and a list of its statements: the date as written, the quote in its
// language, where it is, and a button that opens the statement on the map. The button sends
// the statement's id; the page then opens it as an events table row does (`?event=`). Every
// text is set as text, never as HTML.

/**
 * @typedef {{id: string, written: string, date: string, quote: string, lang: string,
 *            language: string, cite: string}} TimelineItem
 * @typedef {{words: string, lang: string, years: string, cite: string, count: string,
 *            items: TimelineItem[]}} TimelineEra
 * @typedef {{label: string, open: string, empty: string, eras: TimelineEra[]}} TimelineData
 * @typedef {{data: TimelineData, parentElement: HTMLElement | ShadowRoot,
 *            setTriggerValue: (name: string, value: string) => void}} Element
 */

/** What each drawn element was last given, for its buttons. */
var latest = new WeakMap();

/**
 * A new element of `tag` with `className` and, if given, its text.
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function make(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) { node.textContent = text; }
    return node;
}

/**
 * One statement as a list item.
 * @param {TimelineItem} item
 * @param {string} open  the button's words
 * @returns {HTMLElement}
 */
export function statementItem(item, open) {
    var li = make("li", "laovn-tl-item");
    li.dataset.event = item.id;
    var when = make("p", "laovn-tl-when");
    var written = make("span", "laovn-tl-written", item.written || item.date);
    if (item.lang) { written.lang = item.lang; }
    when.appendChild(written);
    if (item.written && item.date && item.date !== item.written) {
        when.appendChild(make("span", "laovn-tl-date", " · " + item.date));
    }
    var quote = make("blockquote", "laovn-tl-quote", item.quote);
    if (item.lang) { quote.lang = item.lang; }
    var foot = make("p", "laovn-tl-cite", [item.language, item.cite].filter(Boolean).join(" · "));
    var button = /** @type {HTMLButtonElement} */ (make("button", "laovn-tl-open", open));
    button.type = "button";
    button.dataset.event = item.id;
    button.setAttribute("aria-label", open + ": " + (item.date || item.written));
    li.append(when, quote, foot, button);
    return li;
}

/**
 * The whole timeline, made anew from `data`.
 * @param {TimelineData} data
 * @returns {HTMLElement}
 */
export function timelineBox(data) {
    var root = make("section", "laovn-tl");
    root.setAttribute("aria-label", data.label);
    if (!data.eras.length) { root.appendChild(make("p", "laovn-tl-empty", data.empty)); }
    data.eras.forEach(function (era) {
        var heading = make("h4", "laovn-tl-era");
        var words = make("span", "laovn-tl-era-words", era.words);
        if (era.lang) { words.lang = era.lang; }
        heading.appendChild(words);
        var note = [era.years, era.count, era.cite].filter(Boolean).join(" · ");
        root.append(heading, make("p", "laovn-tl-era-note", note));
        var list = make("ol", "laovn-tl-list");
        era.items.forEach(function (item) { list.appendChild(statementItem(item, data.open)); });
        root.appendChild(list);
    });
    return root;
}

/**
 * Draw the timeline (anew when its data changes; a button keeps the keyboard's focus across
 * a run that changes nothing).
 * @param {Element} element
 */
export default function draw(element) {
    var parent = element.parentElement;
    var text = JSON.stringify(element.data);
    var found = parent.querySelector(".laovn-tl");
    var before = latest.get(parent);
    latest.set(parent, element);
    if (found && before && JSON.stringify(before.data) === text) { return; }
    var root = timelineBox(element.data);
    root.addEventListener("click", function (event) {
        var target = event.target instanceof Element ? event.target.closest("button") : null;
        if (target instanceof HTMLButtonElement && target.dataset.event) {
            latest.get(parent).setTriggerValue("open", target.dataset.event);
        }
    });
    if (found) { found.replaceWith(root); } else { parent.appendChild(root); }
}
