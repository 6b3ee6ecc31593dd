"""laovn_map.export.formats: the state of an export refuses bad values and is one cache key;
file names say what an export holds."""

from __future__ import annotations

import re

import pytest

from laovn_map.catalog import PERIOD_2025
from laovn_map.errors import ExportError
from laovn_map.export import formats
from laovn_map.export.formats import ExportState


def test_a_state_is_one_cache_key_and_refuses_bad_values() -> None:
    assert ExportState(layers=("consulates", "countries")) == ExportState(
        layers=("countries", "consulates"))
    assert len({ExportState(), ExportState(), ExportState(lang="vi")}) == 2
    for bad, message in (({"layers": ("rivers",)}, "unknown layer 'rivers'"),
                         ({"period": "1975"}, "unknown period '1975'"),
                         ({"lang": "th"}, "unknown language 'th'"),
                         ({"view": (20.0, 100.0, 10.0, 110.0)}, "view"),
                         ({"view": (10.0, 100.0, float("nan"), 110.0)}, "view"),
                         ({"view": (10.0, 100.0, 20.0)}, "view"),
                         ({"view": ("s", "w", "n", "e")}, "view"),
                         ({"timeline": ("1977-12-31", "1945-01-01")}, "timeline"),
                         ({"timeline": ("1945", "1977")}, "timeline"),
                         ({"timeline": ("1945-01-01",)}, "timeline")):
        with pytest.raises(ExportError, match=re.escape(message)):
            ExportState(**bad)  # type: ignore[arg-type]
    for size, message in (("b5", "paper 'b5'"), ("10x10", "each side"), ("a4-huge", "paper")):
        with pytest.raises(ExportError, match=message):
            formats.page_size(size)
    with pytest.raises(ExportError, match="choose 50–600"):
        formats.page_size("a4", 20)
    with pytest.raises(ExportError, match="million pixels"):
        formats.page_size("1000x1000", 600)
    assert formats.page_size("A3").pixels == (4961, 3508)
    assert formats.page_size("210x297", 100).pixels == (827, 1169)
    with pytest.raises(ExportError, match="unknown export format 'svg'"):
        formats.export_format("svg")


def test_file_names_are_ascii_say_what_they_hold_and_differ_per_state() -> None:
    states = [ExportState(), ExportState(lang="vi"), ExportState(period=PERIOD_2025),
              ExportState(layers=("provinces_vn", "embassies")),
              ExportState(page=formats.page_size("a3", 150)),
              ExportState(view=(15.0, 104.0, 18.0, 107.0)),
              ExportState(timeline=("1945-01-01", "1977-12-31")),
              ExportState(event="vi-022-0")]
    for fmt in formats.FORMATS:
        names = [formats.file_name(fmt, state) for state in states]
        for name in names:
            assert re.fullmatch(r"[A-Za-z0-9._-]+", name), name
            assert name.endswith(f".{formats.FORMATS[fmt].extension}")
        distinct = 8 if fmt in formats.PRINTS else 6  # paper and view matter to prints only
        assert len(set(names)) == distinct, names
    assert formats.file_name("gpkg", ExportState()) == "laovn-map-en-all.gpkg"
    assert formats.file_name("png", states[4]) == "laovn-map-en-all-a3-150dpi.png"
    assert "since2025" in formats.file_name("csv", states[2])
    assert formats.file_name("kml", states[6]) == "laovn-map-en-all-1945-1977.kml"
    assert formats.file_name("pdf", ExportState(timeline=("1945-01-01", "1977-12-31"),
                                                event="en-022-1.2")) \
        == "laovn-map-en-all-1945-1977-event-en-022-1.2.pdf"


@pytest.mark.parametrize("event", ["", "../x", "<b>", "a b", "x" * 65, 5])
def test_a_statement_id_that_is_none_is_refused_in_one_line(event: object) -> None:
    with pytest.raises(ExportError) as caught:
        ExportState(event=event)  # type: ignore[arg-type]
    assert str(caught.value).startswith("statement ") and "\n" not in str(caught.value)
