// @ts-check
// "Embed this map": an <iframe> snippet of the map as it is now, to copy. One script for the
// page (a Streamlit components-v2 element, page/component.py `embed_box`) and the static site
// (inlined into each index page by site/pages.py): the map keeps its state in the address
// without telling the server, so the snippet is made here, from the address at that moment.

/**
 * What a snippet is made from (site/embed.py `embed_spec`).
 * @typedef {object} EmbedSpec
 * @property {string | null} base  the static site's address (its root), or null
 * @property {string} home  the site's root relative to the page the script runs in ("../")
 * @property {string | null} lang  the page's language, or null: the address's `lang`
 * @property {string} defaultLang
 * @property {Record<string, string>} paths  each language's folder in the site ("", "vi/")
 * @property {string[]} params  the address's parameters an embed keeps
 * @property {string} page  the embed page's file name in a language's folder
 * @property {boolean} streamlit  the running page: without a site, it embeds itself
 * @property {string} title  the iframe's title (the map's accessible name)
 * @property {number} height  px
 */

/**
 * A parameter as the map writes it (commas kept: `view=17.5,105,6`).
 * @param {string} value
 * @returns {string}
 */
function encoded(value) {
    return encodeURIComponent(value).replace(/%2C/gi, ",");
}

/**
 * The embed's address for the page at `href`: the site's embed page of the language with the
 * map's parameters of `href` (each once, the first value; an empty one dropped), or, on the running page without
 * a site, the page itself in Streamlit's embed mode.
 * @param {string} href
 * @param {EmbedSpec} spec
 * @returns {string}
 */
export function embedSrc(href, spec) {
    var url = new URL(href);
    url.hash = "";
    if (spec.streamlit && !spec.base) {
        url.searchParams.set("embed", "true");
        return url.href;
    }
    var lang = spec.lang || url.searchParams.get("lang") || spec.defaultLang;
    var folder = Object.prototype.hasOwnProperty.call(spec.paths, lang)
        ? spec.paths[lang] : spec.paths[spec.defaultLang];
    /** @type {string[]} */
    var kept = [];
    /** @type {Record<string, boolean>} */
    var seen = Object.create(null);
    url.searchParams.forEach(function (value, key) {
        if (value && spec.params.indexOf(key) >= 0 && !seen[key]) {
            seen[key] = true;
            kept.push(key + "=" + encoded(value));
        }
    });
    var page = folder + spec.page + (kept.length ? "?" + kept.join("&") : "");
    var root = spec.base ? new URL(spec.base.replace(/\/?$/, "/")) : new URL(spec.home, url);
    return new URL(page, root).href;
}

/**
 * Text as an HTML attribute's value.
 * @param {string} text
 * @returns {string}
 */
export function attribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")
        .replace(/>/g, "&gt;");
}

/**
 * The snippet to paste into an article.
 * @param {string} href  the address of the page the reader is on
 * @param {EmbedSpec} spec
 * @returns {string}
 */
export function embedSnippet(href, spec) {
    return '<iframe src="' + attribute(embedSrc(href, spec)) + '" title="' +
        attribute(spec.title) + '" width="100%" height="' + String(spec.height) +
        '" style="border:0" loading="lazy" allowfullscreen></iframe>';
}

/**
 * Put `text` on the clipboard; where the browser refuses (no secure context), the selected
 * text of `field` is copied the older way.
 * @param {string} text
 * @param {HTMLTextAreaElement} field
 * @returns {Promise<boolean>}
 */
function copy(text, field) {
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
        return navigator.clipboard.writeText(text).then(function () { return true; },
            function () { return document.execCommand("copy"); });
    }
    return Promise.resolve(document.execCommand("copy"));
}

/**
 * The box: a label, the snippet in a read-only field, a copy button and a status line.
 * `words` are its texts in the page's language; the snippet is made again at each copy and
 * whenever the field gets the focus, from the address at that moment.
 * @param {HTMLElement | ShadowRoot} parent
 * @param {EmbedSpec} spec
 * @param {{label: string, copy: string, copied: string}} words
 * @param {() => string} href
 * @returns {HTMLElement}
 */
export function embedBox(parent, spec, words, href) {
    var root = parent.querySelector(".laovn-embed");
    if (!(root instanceof HTMLElement)) {
        root = document.createElement("div");
        root.className = "laovn-embed";
        var label = document.createElement("label");
        label.className = "laovn-embed-label";
        var field = document.createElement("textarea");
        field.className = "laovn-embed-code";
        field.readOnly = true;
        field.rows = 3;
        field.spellcheck = false;
        label.append(document.createElement("span"), field);
        var button = document.createElement("button");
        button.type = "button";
        button.className = "laovn-embed-copy";
        var status = document.createElement("span");
        status.className = "laovn-embed-status";
        status.setAttribute("role", "status");
        root.append(label, button, status);
        parent.appendChild(root);
    }
    var box = /** @type {HTMLElement} */ (root);
    var code = /** @type {HTMLTextAreaElement} */ (box.querySelector("textarea"));
    var copyButton = /** @type {HTMLButtonElement} */ (box.querySelector("button"));
    var said = /** @type {HTMLElement} */ (box.querySelector(".laovn-embed-status"));
    /** @type {HTMLElement} */ (box.querySelector(".laovn-embed-label span")).textContent = words.label;
    copyButton.textContent = words.copy;
    function refresh() { code.value = embedSnippet(href(), spec); }
    refresh();
    code.onfocus = refresh;
    copyButton.onclick = function () {
        refresh();
        copy(code.value, code).then(function (done) { said.textContent = done ? words.copied : ""; });
    };
    return box;
}

/**
 * The page's element: the box, with the spec and words the run gives, for the page's address.
 * @param {{data: {spec: EmbedSpec, words: {label: string, copy: string, copied: string}},
 *          parentElement: HTMLElement | ShadowRoot}} element
 */
export default function draw(element) {
    embedBox(element.parentElement, element.data.spec, element.data.words,
             function () { return window.location.href; });
}
