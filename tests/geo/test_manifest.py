"""laovn_map.geo.manifest: the manifest's one declaration, and the check a loaded one passes."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from laovn_map.errors import LayerError
from laovn_map.geo.manifest import checked

from ..conftest import FIXTURE, REAL


def _manifest(folder: Any = REAL) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("folder", [REAL, FIXTURE], ids=["geo", "fixture"])
def test_a_build_and_the_fixture_are_of_the_declared_shape(folder: Any) -> None:
    manifest = _manifest(folder)
    assert checked(manifest) is manifest


def _edited(edit: Any) -> dict[str, Any]:
    manifest = copy.deepcopy(_manifest())
    edit(manifest)
    return manifest


@pytest.mark.parametrize(("edit", "message"), [
    (lambda m: m["figures"].__setitem__("border_length_km_osm", "2199"),
     r"manifest\.json: figures\.border_length_km_osm is str '2199', not a number; rebuild"),
    (lambda m: m["figures"].__setitem__("segments", True),
     r"figures\.segments is bool True, not a whole number"),
    (lambda m: m["figures"].__setitem__("segments", 19.0),
     r"figures\.segments is float 19\.0, not a whole number"),
    (lambda m: m["figures"]["official_lengths"][2].__setitem__("year", "2010"),
     r"figures\.official_lengths\[2\]\.year is str '2010', not a whole number or null"),
    (lambda m: m["figures"]["events"][0].__setitem__("places", [{"written": 1}]),
     r"figures\.events\[0\]\.places\[0\] lacks 'date_rule'"),
    (lambda m: m["figures"]["provinces"].__setitem__("VN", None),
     r"figures\.provinces\.VN is null, not a whole number"),
    (lambda m: m["layers"][0].pop("sha256"), r"layers\[0\] lacks 'sha256'"),
    (lambda m: m.__setitem__("texts", {}), r"manifest\.json: texts is dict \{\}, not a list"),
    (lambda m: m.pop("figures"), r"manifest\.json: lacks 'figures'"),
])
def test_a_value_of_another_shape_is_refused_naming_its_key(edit: Any, message: str) -> None:
    with pytest.raises(LayerError, match=message):
        checked(_edited(edit))


def test_what_may_be_missing_or_null_is_accepted() -> None:
    def edit(manifest: dict[str, Any]) -> None:
        del manifest["figures"]["events"]  # a build older than the events
        manifest["sources"][0].pop("title", None)
        manifest["figures"]["official_lengths"][0]["measured_km"] = None
        manifest["note"] = "a key the page does not read"
    checked(_edited(edit))
