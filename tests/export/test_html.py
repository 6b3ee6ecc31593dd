"""laovn_map.export.html: the offline HTML map is one file of the map's layers in the state's
language, with only the visible layers on."""

from __future__ import annotations

import json
import re

from laovn_map.catalog import MAP_LAYERS
from laovn_map.export import dispatch, html, provenance
from laovn_map.export.formats import ExportState
from laovn_map.geo.reader import Layers
from laovn_map.page import browserdata
from laovn_map.page.labels import esc

from ..page.test_mapview import applied_state
from .conftest import export, exported_layers, map_counts


def test_html_is_one_offline_file_of_the_maps_layers_in_the_states_language(
        layers: Layers) -> None:
    page = export(layers, "html", ExportState(lang="vi")).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="vi">' in page
    assert f"<title>{esc('Quan hệ Lào – Việt Nam trên bản đồ')}</title>" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "data:text/javascript;base64," in page  # Leaflet, inlined
    drawn = {d["layer"]: len(d["features"]) for d in browserdata.drawn_layers(page)
             if d["features"]}
    assert drawn == map_counts(layers)
    sha = provenance.provenance(layers).manifest_sha256
    assert f'name="laovn-manifest-sha256" content="{sha}"' in page
    assert "<script>alert(1)</script>" not in page  # the fixture's hostile strings stay text
    call = page[page.index("laovn.apply(Object"):]
    texts = applied_state(call[:call.index("}));") + 4])["texts"]
    assert texts["lang"] == "vi"
    popups = " ".join(f[1] for layer in texts["layers"].values()
                      for f in layer["features"].values())
    for f in layers.features("missions"):
        assert esc(str(f["properties"]["source_quote"]).split("\n")[0]) in popups


def test_html_shows_only_the_visible_layers(layers: Layers) -> None:
    page = html.to_html(layers, ExportState(layers=("provinces_la", "consulates"))).decode()
    # every layer is in the file (its layer control can turn them on); the others start off
    drawn = [d["layer"] for d in browserdata.drawn_layers(page)]
    assert drawn == list(MAP_LAYERS)
    off = json.loads(re.search(r'"off":(\[[^\]]*\])', page).group(1))  # type: ignore[union-attr]
    assert off == [n for n in MAP_LAYERS if n not in ("provinces_la", "consulates")]


def test_html_of_a_statement_opens_its_story_on_it() -> None:
    """The offline map carries the texts' statements and opens on the one the state shows
    where its address names none (js/main.js)."""
    layers = exported_layers("fixture")
    page = dispatch.export(layers, "html", ExportState(event="vi-006-0")).decode("utf-8")
    call = page[page.index("laovn.apply(Object"):]
    state = applied_state(call[:call.index("}));") + 4])
    assert state["event"] == "vi-006-0"
    assert {s["id"] for s in state["texts"]["statements"]} == {"vi-005-0", "vi-006-0", "en-010-0"}
    plain = export(layers, "html", ExportState()).decode("utf-8")
    call = plain[plain.index("laovn.apply(Object"):]
    assert applied_state(call[:call.index("}));") + 4])["event"] is None
