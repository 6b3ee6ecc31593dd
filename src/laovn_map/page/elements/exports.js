// @ts-check
// The page's export buttons: a Streamlit components-v2 element (page/component.py
// `export_buttons`), not part of the map script. The map keeps its view and layers in the
// page's address without telling the server (toggles and pan/zoom send nothing), so a press
// sends the address as it is at that moment with the format; the run it starts hands the file
// back in the element's data, saved here once per press (Blob and a download link).

/**
 * @typedef {{format: string, label: string}} ExportButton
 * @typedef {{id: string, name: string, mime: string, base64: string, saved: string}} ExportFile
 * @typedef {{id: string, text: string}} ExportNote
 * @typedef {{group: string, busy: string, buttons: ExportButton[],
 *            file?: ExportFile | null, note?: ExportNote | null}} ExportsData
 * @typedef {{format: string, query: string, id: string}} Press
 * @typedef {{data: ExportsData, parentElement: HTMLElement | ShadowRoot,
 *            setTriggerValue: (name: string, value: Press) => void}} Element
 */

/** The ids of the presses whose answer was taken: an answer is saved or shown once. */
var answered = new Set();
/** What each drawn element was last given (its data, its trigger), for its buttons. */
var latest = new WeakMap();
var presses = 0;

/**
 * What a press sends: the format, the page's address at this moment, and an id no other press
 * of this page has.
 * @param {string} format
 * @param {string} search  `location.search`
 * @param {number} count  presses before this one
 * @param {number} now  ms since the epoch
 * @returns {Press}
 */
export function pressValue(format, search, count, now) {
    return {format: format, query: search, id: now.toString(36) + "-" + count.toString(36)};
}

/**
 * The bytes of a base64 text.
 * @param {string} text
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
}

/**
 * Save `file` as the browser saves a download, under its name.
 * @param {ExportFile} file
 * @param {HTMLElement} beside  where the link is put for its click
 */
function save(file, beside) {
    var url = URL.createObjectURL(new Blob([fromBase64(file.base64)], {type: file.mime}));
    var link = document.createElement("a");
    link.href = url;
    link.download = file.name;
    link.hidden = true;
    beside.appendChild(link);
    link.click();
    link.remove();
    // the download has its own copy once it has started
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
}

/**
 * The element's box, made once: a labelled group of buttons and a status line that screen
 * readers announce. Later runs update it in place, so a button keeps the keyboard's focus.
 * @param {HTMLElement | ShadowRoot} parent
 * @param {(format: string) => void} press
 * @returns {HTMLElement}
 */
function box(parent, press) {
    var found = parent.querySelector(".laovn-exports");
    if (found instanceof HTMLElement) { return found; }
    var root = document.createElement("div");
    root.className = "laovn-exports";
    root.setAttribute("role", "group");
    var buttons = document.createElement("div");
    buttons.className = "laovn-exports-buttons";
    buttons.addEventListener("click", function (event) {
        var target = event.target instanceof Element ? event.target.closest("button") : null;
        if (target && target.dataset.format) { press(target.dataset.format); }
    });
    var status = document.createElement("p");
    status.className = "laovn-exports-status";
    status.setAttribute("role", "status");
    root.append(buttons, status);
    parent.appendChild(root);
    return root;
}

/**
 * One button per format, in the data's order, labelled in the page's language.
 * @param {HTMLElement} root
 * @param {ExportsData} data
 */
function label(root, data) {
    root.setAttribute("aria-label", data.group);
    var holder = /** @type {HTMLElement} */ (root.querySelector(".laovn-exports-buttons"));
    data.buttons.forEach(function (spec, index) {
        var button = holder.children[index];
        if (!(button instanceof HTMLButtonElement)) {
            button = document.createElement("button");
            button.setAttribute("type", "button");
            holder.appendChild(button);
        }
        var own = /** @type {HTMLButtonElement} */ (button);
        own.dataset.format = spec.format;
        own.textContent = spec.label;
    });
    while (holder.children.length > data.buttons.length) { holder.lastElementChild.remove(); }
}

/**
 * Draw the buttons (or update them) and take this run's answer to a press, if any.
 * @param {Element} element
 */
export default function draw(element) {
    var parent = element.parentElement;
    var root = box(parent, function (format) {
        /** @type {Element} */
        var now = latest.get(parent);
        var status = root.querySelector(".laovn-exports-status");
        if (status) {
            status.textContent = now.data.busy;
            status.classList.remove("laovn-exports-error");
        }
        now.setTriggerValue("press", pressValue(format, window.location.search, presses,
                                                Date.now()));
        presses += 1;
    });
    var data = element.data;
    latest.set(parent, element);
    label(root, data);
    var status = /** @type {HTMLElement} */ (root.querySelector(".laovn-exports-status"));
    if (data.file && !answered.has(data.file.id)) {
        answered.add(data.file.id);
        save(data.file, root);
        status.textContent = data.file.saved;
        status.classList.remove("laovn-exports-error");
    } else if (data.note && !answered.has(data.note.id)) {
        answered.add(data.note.id);
        status.textContent = data.note.text;
        status.classList.add("laovn-exports-error");
    }
}
