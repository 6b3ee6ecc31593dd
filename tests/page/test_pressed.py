"""page/pressed.py: a press of an export button read with the map's own rules of the address."""

from __future__ import annotations

import json

import pytest

from laovn_map.catalog import MAP_LAYERS
from laovn_map.errors import ExportError
from laovn_map.page import mapview, pressed

from ..conftest import JS_FIXTURES

#: How an address reads; tests/js/exports.test.js holds the map script to the same cases.
ADDRESS_CASES = json.loads((JS_FIXTURES / "address_cases.json").read_text(encoding="utf-8"))
RULE = mapview.ViewRule(((5.0, 95.0), (30.0, 115.0)))


@pytest.mark.parametrize("case", ADDRESS_CASES, ids=lambda case: case["query"] or "empty")
def test_the_address_reads_as_the_map_reads_it(case: dict[str, object]) -> None:
    params = pressed.first_params(str(case["query"]))
    assert params == case["params"]
    assert pressed.layers_on(params) == tuple(n for n in MAP_LAYERS if n not in case["off"])


def test_a_press_gives_the_layers_on_and_the_view_the_map_takes() -> None:
    press = pressed.read_press({"format": "kml", "query": "?off=water,countries&view=17.5,105.5,8"
                                "&view=1,2,3", "id": "lz1-0"}, RULE)
    assert press == pressed.Press("kml", "lz1-0", MAP_LAYERS[2:], mapview.View(17.5, 105.5, 8))
    # a view the map refuses is none: the map's default view
    assert pressed.read_press({"format": "png", "query": "?view=17.5,105.5,30", "id": "a-1"},
                              RULE).view is None


@pytest.mark.parametrize("value", [
    None, "kml", ["kml", "?", "a-1"], {}, {"format": "kml", "query": "?"},
    {"format": 1, "query": "?", "id": "a-1"}, {"format": "kml", "query": 1, "id": "a-1"},
    {"format": "kml", "query": "?", "id": "A-1"}, {"format": "kml", "query": "?", "id": "1"},
    {"format": "kml", "query": "?", "id": "<b>-1"},
    {"format": "kml", "query": "?" + "a" * pressed.MAX_QUERY_CHARS, "id": "a-1"}])
def test_what_is_no_press_is_refused_in_one_line(value: object) -> None:
    with pytest.raises(ExportError) as caught:
        pressed.read_press(value, RULE)
    message = str(caught.value)
    assert message.startswith("export request") and "\n" not in message and len(message) < 200


def test_the_print_box_is_the_maps_at_its_view() -> None:
    assert pressed.view_box(None) is None
    south, west, north, east = pressed.view_box(mapview.View(17.5, 105.5, 8)) or (0, 0, 0, 0)
    assert ((south + north) / 2, (west + east) / 2) == pytest.approx((17.5, 105.5))
    # a zoom in halves each side
    closer = pressed.view_box(mapview.View(17.5, 105.5, 9)) or (0, 0, 0, 0)
    assert (closer[3] - closer[1]) * 2 == pytest.approx(east - west)
    assert (east - west) == pytest.approx(pressed.PRINT_VIEW_PX[0] * 360 / (256 * 2**8))


def test_a_press_gives_the_statement_the_address_names_and_ignores_any_other() -> None:
    known = ("vi-022-0", "en-010-0")

    def event(query: str) -> str | None:
        return pressed.read_press({"format": "pdf", "query": query, "id": "a-1"}, RULE,
                                  known).event

    assert event("?view=17.5,105.5,8&event=vi-022-0&event=en-010-0") == "vi-022-0"
    assert event("?event=en-010-0&off=water") == "en-010-0"
    # ignored as the map ignores it (js/steps.js eventParam): unknown, empty, a prototype's key
    for query in ("?event=vi-999-0", "?event=", "?event", "?event=constructor", "?"):
        assert event(query) is None, query
