"""The map script as files (`page/js/`): how browserdata joins them, what they take from the
config, the one place of Leaflet's private members, and the fixtures the script's unit tests
(`tests/js`, `node --test`) share with Python."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import numpy as np
import pytest
import xstatic.pkg.leaflet

from laovn_map import catalog
from laovn_map.geo.reader import load_layers
from laovn_map.page import browserdata, mapview, pagetext, runtime
from laovn_map.page.lines import LINE_ALPHABET, POSITION_SCALE, decode_line, encode_line

from ..conftest import FIXTURE, JS_FIXTURES, PAGE_JS

#: Written by `python_fixture` (LAOVN_UPDATE_FIXTURES=1 rewrites it): the Python side of the
#: line encoding and the view rule, which tests/js/*.test.js hold the script to.
FROM_PYTHON = JS_FIXTURES / "from_python.json"
#: The timeline rule's cases, read by this file and by tests/js/timeline.test.js.
TIMELINE_CASES = JS_FIXTURES / "timeline_cases.json"
#: A view rule like a map's (the committed build's panning limit, rounded).
VIEW_RULE = mapview.ViewRule(((7.0, 99.0), (24.5, 111.5)))
#: `view=` values: good ones, and the hostile and malformed ones the map must refuse.
VIEW_VALUES = (
    "17.5,105,6", "17.5,105.0,6.25", "-0,105,6", "7,99,6", "24.5,111.5,13", "7.0,99.0,13.0",
    "17.123456789012,105,6", "17.1234567890123,105,6", "24.6,105,6", "17.5,111.6,6",
    "17.5,105,5.99", "17.5,105,13.01", "17.5,105", "17.5,105,6,", " 17.5,105,6", "17.5,105,6 ",
    "1e1,105,6", "0x11,105,6", "NaN,105,6", "Infinity,105,6", "17.5,105,+6", "١٧,105,6",
    "17,5,105,6", "constructor", "__proto__", "toString", "", "17.5,,6", ".5,105,6",
    "17.,105,6", "1000,105,6",
)
#: Years rules like a build's (the committed build's timeline spans 1401–2012), and one whose
#: span starts before the year 1000 (the ISO dates' four digits).
YEARS_RULES = (pagetext.YearsRule(1401, 2012), pagetext.YearsRule(5, 9999))
#: `years=` values: in the span, at its ends, the whole span, out of it, reversed, and the
#: malformed ones (other scripts' digits, a no-break space, too long) the rule refuses.
YEARS_VALUES = (
    "1945-1960", " 1945 - 1960 ", "1945\t-\n1960", "1401-2012", "1401-1401", "2012-2012",
    "1400-1960", "1945-2013", "1960-1945", "0-9999", "0001-2012", "1945-1945", "01945-1960",
    "19450-1960", "1945", "-1960", "1945-", "1945-1960-1977", "", "+1945-1960", "²-1980",
    "١٩٤٥-١٩٧٧", "1945\u00a0-1960", "1945\u2003-1960", " " * 30 + "1945-1960", " " * 40 + "1-2",
    "1945 -1960 ", "1e3-1960", "constructor", "5-960", "05-0960", "4-960", "5-9999",
)


def _lines() -> list[list[list[float]]]:
    """Rings and lines of every shape the encoding meets: the fixture's border and segments, one
    repeated point, steps of every size up to several characters a number, both signs, the extremes."""
    rng = np.random.RandomState(19)
    fixture = load_layers(FIXTURE)
    lines = [[list(map(float, p)) for p in f["geometry"]["coordinates"]]
             for name in ("border", "segments") for f in fixture.features(name)]
    lines.append([[105.0, 17.5], [105.0, 17.5]])
    lines.append([[-180.0, -85.0511], [180.0, 85.0511], [0.0, 0.0], [-0.0001, 0.0001]])
    for scale in (1e-4, 1e-2, 1.0, 30.0):
        steps = rng.normal(scale=scale, size=(40, 2))
        lines.append((np.cumsum(steps, axis=0) + np.array([104.0, 18.0])).round(6).tolist())
    return lines


def python_fixture() -> dict[str, Any]:
    """What the script's unit tests compare with: each line as `encode_line` writes it and as
    `decode_line` reads it back, what `ViewRule.parse` makes of each view value, and
    `YearsRule` of each years value."""
    lines = []
    for positions in _lines():
        encoded = encode_line(positions)
        lines.append({"encoded": encoded, "decoded": decode_line(encoded)})
    views = []
    for value in VIEW_VALUES:
        view = VIEW_RULE.parse(value)
        views.append({"value": value,
                      "view": None if view is None else [view.lat, view.lon, view.zoom]})
    return {"lineAlphabet": LINE_ALPHABET, "scale": POSITION_SCALE,
            "lines": lines, "viewRule": VIEW_RULE.config(), "views": views,
            "layers": list(catalog.MAP_LAYERS), "years": [
                {"rule": rule.config(), "cases": [_years_case(rule, value) for value in YEARS_VALUES]}
                for rule in YEARS_RULES]}


def _years_case(rule: pagetext.YearsRule, value: str) -> dict[str, Any]:
    """What the page makes of `?years=value`: the years it reads, the timeline they mean."""
    years = rule.years(value)
    return {"value": value, "years": list(years) if years else None,
            "timeline": (list(timeline) if (timeline := rule.timeline(years)) else None)
            if years else None}


def _fixture_text() -> str:
    return json.dumps(python_fixture(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def test_the_script_tests_fixture_is_what_python_writes_now() -> None:
    """tests/js reads Python's encoder and view rule from this file: it must be current."""
    if os.environ.get("LAOVN_UPDATE_FIXTURES") == "1":
        FROM_PYTHON.write_text(_fixture_text(), encoding="utf-8")
    assert FROM_PYTHON.read_text(encoding="utf-8") == _fixture_text(), (
        f"{FROM_PYTHON} is stale: rewrite it with LAOVN_UPDATE_FIXTURES=1 and this test")


def test_the_fixture_holds_lines_of_every_length_of_number() -> None:
    """Its lines need one to four characters a number, and the view values both answers."""
    lines = python_fixture()["lines"]
    widths = {len(m) for line in lines
              for m in re.findall(r"[g-z0-9.-]*[A-Za-f]", line["encoded"])}
    assert {1, 2, 3, 4} <= widths
    views = python_fixture()["views"]
    assert sum(v["view"] is None for v in views) >= 20 and sum(v["view"] is not None
                                                              for v in views) >= 5
    years = [case for rule in python_fixture()["years"] for case in rule["cases"]]
    assert sum(y["years"] is None for y in years) >= 15
    assert sum(y["timeline"] is not None for y in years) >= 5
    assert any(y["years"] is not None and y["timeline"] is None for y in years)  # whole span


def test_the_timeline_cases_hold_for_the_page_rule() -> None:
    """The cases tests/js/timeline.test.js holds the map's rule to are the page's rule's."""
    cases = json.loads(TIMELINE_CASES.read_text(encoding="utf-8"))
    assert len(cases) >= 10
    for case in cases:
        timeline = tuple(case["range"]) if case["range"] is not None else None
        assert pagetext.in_timeline(case["start"], case["end"], timeline) is case["shown"], case


def test_the_files_are_the_ones_joined_each_small() -> None:
    """Every file of js/ is joined (none shipped and never run, none missing), and each is
    small enough to read as one concern."""
    assert sorted(runtime.RUNTIME_FILES) == sorted(p.name for p in PAGE_JS.glob("*.js"))
    assert runtime.RUNTIME_FILES[0] == "core.js" and runtime.RUNTIME_FILES[-1] == "main.js"
    for path in PAGE_JS.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("// @ts-check\n"), path.name
        assert text.count("\n") <= 400, path.name


def test_the_joined_script_is_one_strict_scope_without_module_syntax() -> None:
    script = runtime.RUNTIME_JS
    assert script.startswith('(function () {\n"use strict";\n') and script.endswith("}());\n")
    assert not re.search(r"^\s*(import|export)\b", script, re.M)
    assert "@ts-check" not in script and "/**" not in script and "@type" not in script


def test_every_value_from_python_comes_through_the_config(layers_prepared: Any) -> None:
    """No value is spliced into the script's text: the popup's fit, the lines' alphabet and
    the layers (the keyboard's order too) come in laovnInit's config."""
    script = runtime.RUNTIME_JS
    assert not re.search(r"__[A-Z_]+__", script)
    assert LINE_ALPHABET not in script
    assert json.dumps(browserdata.POPUP["frameWidth"]) not in script
    for name in catalog.MAP_LAYERS:
        if name != "events":  # the timeline's own layer, by its name (laovn.groups.events)
            assert f'"{name}"' not in script, name
    config = mapview.map_config(layers_prepared)
    assert config["popup"] == browserdata.POPUP
    assert config["lineAlphabet"] == LINE_ALPHABET
    assert config["layers"] == list(catalog.MAP_LAYERS)


def test_the_keyboard_meets_the_points_first_the_base_map_last(layers_prepared: Any) -> None:
    assert mapview.keyboard_layers(layers_prepared) == [
        "embassies", "consulates", "events", "provinces_vn", "provinces_la", "segments",
        "border", "countries", "water"]


@pytest.fixture(scope="module")
def layers_prepared() -> dict[str, browserdata.PreparedLayer]:
    return browserdata.prepare_layers(load_layers(FIXTURE).collections)


def test_leaflet_private_members_are_used_in_one_file_checked_against_the_shipped_leaflet(
        ) -> None:
    """Only leaflet-private.js touches a member Leaflet does not document (`._name`), and it
    names the Leaflet version it was checked against: the one the page ships."""
    for path in PAGE_JS.glob("*.js"):
        if path.name != "leaflet-private.js":
            code = re.sub(r"//.*|/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
            assert not re.search(r"\._[A-Za-z]", code), path.name
    private = (PAGE_JS / "leaflet-private.js").read_text(encoding="utf-8")
    checked = re.search(r'LEAFLET_CHECKED = "([0-9.]+)"', private)
    assert checked and checked[1] == xstatic.pkg.leaflet.VERSION


def _join(*files: tuple[str, str]) -> str:
    return runtime.join_runtime(files)


def test_join_drops_the_module_syntax_and_keeps_the_code() -> None:
    script = _join(("a.js", "// @ts-check\n/** A number.\n * @type {number} */\nexport var a = 1;\n"
                            "export function f(/** @type {number} */ x) { return x; }\n"),
                   ("b.js", 'import { a, f } from "./a.js";\nvar b = f(a);\n'))
    assert script == ('(function () {\n"use strict";\n// --- a.js\nvar a = 1;\n'
                      "function f(x) { return x; }\n// --- b.js\nvar b = f(a);\n}());\n")


@pytest.mark.parametrize(("files", "message"), [
    ((("a.js", "var x = 1;\n"), ("b.js", "\nfunction x() {}\n")),
     "b.js:2: x is declared in a.js:1 too"),
    ((("a.js", "export function f() {}\n"), ("b.js", 'import { g } from "./a.js";\n')),
     "b.js:1: a.js exports no g"),
    ((("a.js", 'import { v } from "./b.js";\n'), ("b.js", "export var v = 1;\n")),
     "a.js:1: v of b.js is used before that file is joined"),
    ((("a.js", "export default function () {}\n"),), "a.js:1: the map script's files use only"),
    ((("a.js", 'import * as b from "./b.js";\n'),), "a.js:1: the map script's files use only"),
    ((("a.js", 'import { f as g } from "./b.js";\n'), ("b.js", "export function f() {}\n")),
     "a.js:1: b.js exports no f as g"),
])
def test_join_refuses_what_one_scope_would_change(files: tuple[tuple[str, str], ...],
                                                  message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        runtime.join_runtime(files)


def test_an_import_of_a_function_from_a_later_file_is_allowed() -> None:
    """Functions are hoisted in the one scope, so the files may call each other both ways."""
    script = _join(("a.js", 'import { g } from "./b.js";\nexport function f() { return g(); }\n'),
                   ("b.js", 'import { f } from "./a.js";\nexport function g() { return f; }\n'))
    assert "function f() { return g(); }" in script and "function g() { return f; }" in script
