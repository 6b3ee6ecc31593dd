"""The map's script: its files under ``js/`` (one concern each, checked as ES modules by tsc,
eslint and ``node --test``), joined into the one classic script the page and the offline HTML
export give the browser. No bundler and no module loader: the join is small and refuses what
it would change (see :func:`join_runtime`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources

#: The files of the map script (`js/`, beside this module; `main.js` says what it does), in
#: the order they are joined: `core.js` first (the state object the others' top-level code
#: uses), `main.js` last (what folium's script calls). The one list of them.
RUNTIME_FILES = ("core.js", "leaflet-private.js", "lines.js", "match.js", "timeline.js",
                 "steps.js", "scale.js", "hits.js", "urlstate.js", "url.js", "place.js", "texts.js",
                 "selection.js", "keyboard.js", "draw.js", "chooser.js", "land.js", "search.js",
                 "controls.js", "clearance.js", "view.js", "story.js", "main.js")

# The module syntax the files may use, which `join_runtime` removes: named imports from a
# sibling file, and `export` before a top-level declaration.
_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([A-Za-z0-9_-]+\.js)";\n', re.M)
_DECLARATION = re.compile(r"^(export )?(function|var|let|const|class) ([A-Za-z_$][\w$]*)", re.M)
_OTHER_MODULE_SYNTAX = re.compile(r"^\s*(import|export)\b.*", re.M)
# What only the checks read: JSDoc blocks (types, and the doc comments beside them) and
# `// @ts-check`, left out of what the browser gets (a third of the files' size).
_JSDOC = r"/\*\*(?:(?!\*/).)*\*/"
_CHECKS_ONLY = (re.compile(rf"^[ \t]*{_JSDOC}[ \t]*\n", re.M | re.S),
                re.compile(rf"{_JSDOC} ?", re.S), re.compile(r"^// @ts-check\n", re.M))


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def join_runtime(sources: Sequence[tuple[str, str]]) -> str:
    """The files of the map script (name, text), in order, as one classic script: one
    function scope, strict, their imports removed, the `export` of their declarations and
    their JSDoc comments dropped, so the browser runs what tsc, eslint and `node --test`
    checked as ES modules, with no bundler and no module loader (folium's script calls
    `laovnInit` at once).

    Refuses (ValueError naming file:line) what that would change: two files declaring the
    same top-level name, an import of a name its file does not export or of a value (not a
    function) from a file joined later, and any other import or export form."""
    exported: dict[str, dict[str, str]] = {}
    declared: dict[str, str] = {}
    for name, text in sources:
        exported[name] = {}
        for match in _DECLARATION.finditer(text):
            where = f"{name}:{_line_of(text, match.start())}"
            if match[3] in declared:
                raise ValueError(f"{where}: {match[3]} is declared in {declared[match[3]]} too; "
                                 "the map script's files share one scope")
            declared[match[3]] = where
            if match[1]:
                exported[name][match[3]] = match[2]
    order = {name: index for index, (name, _text) in enumerate(sources)}
    parts = []
    for name, text in sources:
        for match in _IMPORT.finditer(text):
            where = f"{name}:{_line_of(text, match.start())}"
            source = match[2]
            for imported in (n.strip() for n in match[1].split(",") if n.strip()):
                if imported not in exported.get(source, {}):
                    raise ValueError(f"{where}: {source} exports no {imported} "
                                     "(or is not in RUNTIME_FILES)")
                if exported[source][imported] != "function" and order[source] > order[name]:
                    raise ValueError(f"{where}: {imported} of {source} is used before that "
                                     "file is joined (RUNTIME_FILES' order)")
        body = _IMPORT.sub("", text)
        body = re.sub(r"^export (?=function|var|let|const|class)", "", body, flags=re.M)
        for pattern in _CHECKS_ONLY:
            body = pattern.sub("", body)
        if other := _OTHER_MODULE_SYNTAX.search(body):
            raise ValueError(f"{name}:{_line_of(body, other.start())}: the map script's files "
                             f"use only named imports and exported declarations: {other[0]!r}")
        parts.append(f"// --- {name}\n{body}")
    return '(function () {\n"use strict";\n' + "".join(parts) + "}());\n"


def _runtime_js() -> str:
    folder = resources.files("laovn_map.page") / "js"
    return join_runtime([(name, (folder / name).read_text(encoding="utf-8"))
                         for name in RUNTIME_FILES])


#: The map's script (the files of `RUNTIME_FILES`, joined; see `main.js`): draws the layers
#: from their data (`laovnDraw`), sets the map up once they are drawn (`laovnMap`), and
#: applies the page's state (`laovn.apply`: language, period, tiles, a selection asked for by
#: the page), which streamlit-folium re-evaluates on a rerun without redrawing the map. It
#: takes every value from Python through `laovnInit`'s config (`mapview.map_config`).
RUNTIME_JS = _runtime_js()
