// @ts-check
// The search box at the map's top left: every feature by any of its names, offline (the
// ranking is match.js's), a combobox a screen reader can follow.
import { el, laovn, ui } from "./core.js";
import { rankMatches, searchEntries } from "./match.js";
import { select } from "./selection.js";

/**
 * The names normalised once per language, when the search is first used (not while the map
 * is being drawn).
 * @returns {import("./match.js").SearchEntry[]}
 */
function searchIndex() {
    if (!laovn.index) { laovn.index = searchEntries(laovn.texts.search); }
    return laovn.index;
}

/**
 * The features `text` finds, best first (at most the config's `searchResults`).
 * @param {string} text
 * @returns {import("./match.js").SearchEntry[]}
 */
function search(text) {
    return rankMatches(searchIndex(), text, laovn.config.searchResults);
}
laovn.search = search;

/** @returns {L.Control} the search box, with its list of matches and a status line */
export function searchControl() {
    var control = new L.Control({position: "topleft"});
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
        // the same words for sighted readers (the status line above says them to a screen reader)
        var empty = el("div", "laovn-search-empty");
        empty.setAttribute("aria-hidden", "true");
        empty.hidden = true;
        box.appendChild(label); box.appendChild(input); box.appendChild(list);
        box.appendChild(empty); box.appendChild(status);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        /** @type {import("./match.js").SearchEntry[]} */
        var results = [];
        var active = -1;
        function close() {
            list.hidden = true;
            empty.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
        }
        /** @param {number} i */
        function mark(i) {
            active = i;
            Array.prototype.forEach.call(list.children, function (/** @type {Element} */ li, /** @type {number} */ j) {
                li.setAttribute("aria-selected", String(j === i));
            });
            if (i >= 0) { input.setAttribute("aria-activedescendant", "laovn-result-" + i); }
        }
        /** @param {number} i */
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
            var query = input.value.trim();
            var none = ui("search.none").replace("{query}", query);
            empty.textContent = none;
            empty.hidden = open || !query;
            status.textContent = query ? (open ?
                ui("search.count").replace("{n}", String(results.length)) : none) : "";
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
