"""What the export tests share: the layer sets as fixtures, each export made once per test run,
and how the map itself counts its features."""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from pathlib import Path

import pytest

from laovn_map.catalog import PERIOD_TEXT
from laovn_map.export import dispatch
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.page import browserdata

from ..conftest import FIXTURE
from ..layersets import LAYER_SETS, layer_set

LAO_SCRIPT = re.compile("[\u0e80-\u0eff]")
DEFAULT = ExportState()


@cache
def exported_layers(name: str) -> Layers:
    """Layer set *name* (`layersets.LAYER_SETS`), loaded once per test run."""
    return load_layers(layer_set(name))


@pytest.fixture(scope="module", params=LAYER_SETS)
def layers(request: pytest.FixtureRequest) -> Layers:
    return exported_layers(request.param)


@pytest.fixture(scope="module")
def real() -> Layers:
    if "geo" not in LAYER_SETS:
        pytest.skip("no committed build in geo/")
    return exported_layers("geo")


@cache
def _export(name: str, fmt: str, state: ExportState = DEFAULT) -> bytes:
    """Each export once per test run: the real layers take a second or two per print."""
    return dispatch.export(exported_layers(name), fmt, state)


def export(layers: Layers, fmt: str, state: ExportState = DEFAULT) -> bytes:
    name = "fixture" if layers.geo_dir == FIXTURE else "geo"
    return _export(name, fmt, state)


def map_counts(layers: Layers, period: str = PERIOD_TEXT) -> dict[str, int]:
    """How many features the map itself draws per map layer in `period` (the data its script
    draws, read back as the browser reads it: the period's own layers replace the text's)."""
    prepared = browserdata.prepare_layers(layers.collections, period=period)
    drawn = browserdata.drawn_layers("".join(f"laovnDraw({p.data_json}, g);"
                                             for p in prepared.values()))
    return {data["layer"]: len(data["features"]) for data in drawn if data["features"]}


def saved(tmp_path: Path, data: bytes, fmt: str) -> Path:
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(data)
    return path


def csv_rows(data: bytes) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)  # the border line's WKT is longer than the default 128 KiB
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
