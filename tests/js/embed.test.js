// The embed snippet (page/elements/embed.js): the address it points at, from the page's or the
// site's address, and the iframe's text.
import assert from "node:assert/strict";
import { test } from "node:test";

import { embedSnippet, embedSrc } from "../../src/laovn_map/page/elements/embed.js";

/** @param {object} over */
function spec(over) {
    return {base: null, home: "", lang: null, defaultLang: "en", paths: {en: "", vi: "vi/"},
            params: ["view", "sel", "off", "event"], page: "embed.html", streamlit: false,
            title: "Laos–Vietnam relations on a map", height: 640, ...over};
}

test("the running page without a site embeds itself in Streamlit's embed mode", () => {
    assert.equal(embedSrc("http://h:8501/?lang=vi&view=17,105,8#x", spec({streamlit: true})),
                 "http://h:8501/?lang=vi&view=17%2C105%2C8&embed=true");
});

test("the running page with a site points at the site's embed page of its language", () => {
    const src = embedSrc("http://h:8501/?lang=vi&view=17.5,105,8&sel=a&sel=b&tiles=true&off=water,events",
                         spec({streamlit: true, base: "https://example.org/laovn"}));
    assert.equal(src, "https://example.org/laovn/vi/embed.html?view=17.5,105,8&sel=a&off=water,events");
    assert.equal(embedSrc("http://h:8501/", spec({streamlit: true, base: "https://e.org/m/"})),
                 "https://e.org/m/embed.html");
});

test("the site without an address points at its own embed page, from any folder", () => {
    assert.equal(embedSrc("http://h/sub/site/vi/index.html?view=17,105,8&sel=&utm=x",
                          spec({lang: "vi", home: "../"})),
                 "http://h/sub/site/vi/embed.html?view=17,105,8");
    assert.equal(embedSrc("http://h/sub/site/?event=en-3", spec({lang: "en", home: ""})),
                 "http://h/sub/site/embed.html?event=en-3");
    // an unknown language falls back to the default one's folder
    assert.equal(embedSrc("http://h/?lang=xx", spec({streamlit: true, base: "https://e.org/"})),
                 "https://e.org/embed.html");
});

test("the snippet is an iframe whose attributes are escaped", () => {
    const snippet = embedSnippet("http://h/?sel=a%22%3E%3Cb", spec({title: 'A "map" & <more>'}));
    assert.equal(snippet, '<iframe src="http://h/embed.html?sel=a%22%3E%3Cb" ' +
        'title="A &quot;map&quot; &amp; &lt;more&gt;" width="100%" height="640" ' +
        'style="border:0" loading="lazy" allowfullscreen></iframe>');
});
