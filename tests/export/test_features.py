"""laovn_map.export.features: what an export shows is what the map draws, its layers, its
timeline, and a refusal when nothing is shown."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pyogrio
import pytest

from laovn_map.catalog import PERIODS
from laovn_map.errors import ExportError
from laovn_map.export import dispatch, features, formats, print_content
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers

from .conftest import DEFAULT, csv_rows, export, exported_layers, map_counts, saved


@pytest.mark.parametrize("fmt", list(formats.FORMATS))
def test_no_visible_layer_is_an_error_not_an_empty_file(fmt: str) -> None:
    layers = exported_layers("fixture")
    with pytest.raises(ExportError, match="no layer is visible"):
        dispatch.export(layers, fmt, ExportState(layers=()))
    # visible layers that hold nothing: the same refusal, naming them
    empty = dataclasses.replace(layers, collections={
        **layers.collections, "missions": {**layers.collections["missions"], "features": []}})
    with pytest.raises(ExportError, match=r"visible layers \(embassies, consulates\) hold no"):
        dispatch.export(empty, fmt, ExportState(layers=("embassies", "consulates")))


def test_what_is_shown_is_what_the_map_draws(layers: Layers) -> None:
    for period in PERIODS:
        shown = features.shown_layers(layers, ExportState(period=period))
        assert {k: len(v) for k, v in shown.items()} == map_counts(layers, period)
    only = features.shown_layers(layers, ExportState(layers=("consulates", "border")))
    assert list(only) == ["border", "consulates"]  # the map's order, whatever was asked


def test_the_timeline_leaves_out_the_events_outside_its_range(layers: Layers,
                                                              tmp_path: Path) -> None:
    """As on the map: an event is kept when its dates meet the range (an undated one always)."""
    events = features.shown_layers(layers, DEFAULT).get("events")
    if not events:
        pytest.skip("no event with a place in this layer set")
    dated = sorted({str(f["properties"]["start"]) for f in events if f["properties"].get("start")})
    first_day = dated[0]
    state = ExportState(timeline=(first_day, first_day))
    kept = features.shown_layers(layers, state).get("events", [])
    want = [f for f in events if not f["properties"].get("start")
            or f["properties"]["start"] <= first_day <= f["properties"]["end"]]
    assert [f["properties"]["id"] for f in kept] == [f["properties"]["id"] for f in want]
    assert 0 < len(kept) < len(events) or len(set(dated)) == 1
    # every format follows it; the other layers are untouched
    rows = csv_rows(export(layers, "csv", state))
    assert Counter(r["map_layer"] for r in rows)["events"] == len(kept)
    path = saved(tmp_path, export(layers, "gpkg", state), "gpkg")
    assert len(pyogrio.read_dataframe(path, layer="events")) == len(kept)
    assert len(pyogrio.read_dataframe(path, layer="consulates")) == len(
        features.shown_layers(layers, DEFAULT)["consulates"])
    # outside every event: no events table at all, and the print says the range
    none = ExportState(timeline=("0001-01-01", "0001-12-31"))
    assert "events" not in features.shown_layers(layers, none) or all(
        not f["properties"].get("start") for f in features.shown_layers(layers, none)["events"])
    assert "0001" in print_content.print_content(layers, none).subtitle


@pytest.mark.parametrize("fmt", list(formats.FORMATS))
def test_a_statement_the_build_lacks_is_refused_by_every_format_naming_it(fmt: str) -> None:
    layers = exported_layers("fixture")
    with pytest.raises(ExportError) as caught:
        dispatch.export(layers, fmt, ExportState(event="vi-999-0"))
    message = str(caught.value)
    assert message.startswith("unknown statement 'vi-999-0': ") and "\n" not in message


def test_a_statement_says_its_date_quote_other_text_and_places_as_the_story_does() -> None:
    layers = exported_layers("fixture")
    said = features.statement_text(layers, features.selected_statement(
        layers, ExportState(event="vi-006-0")), ExportState(event="vi-006-0"))
    assert said.heading == ("The statement shown: Năm 1977 (Vietnamese text), "
                            "quan-he-lao-viet-nam.vi.txt:6")
    assert (said.quote, said.quote_lang) == ("Năm 1977, hai nước kí hiệp ước hữu nghị.", "vi")
    assert said.other.startswith("The English text, July 1977: In July 1977, Laos and Vietnam")
    # no place: the story's words
    assert said.where == "No place on the map: this statement names none the map holds."
    state = ExportState(event="vi-005-0", lang="vi")
    statement = features.selected_statement(layers, state)
    assert features.marked_ids(statement) == {"vi-005-0-geonames-1562798"}
    said = features.statement_text(layers, statement, state)
    assert said.heading.startswith("Câu đang xem: 4/9/1945 (văn bản Tiếng Việt)")
    assert said.where.startswith("Trên bản đồ: ") and not said.other
