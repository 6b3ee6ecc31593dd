"""The README tells the truth about geo/: its figures block and its layer list match the build."""

from __future__ import annotations

import json

from laovn_map.figures import figures_markdown, readme_block

from .conftest import GEO, ROOT

README = ROOT / "README.md"


def test_readme_figures_are_the_built_figures() -> None:
    assert readme_block(README) == figures_markdown(GEO), (
        "README figures are stale: run `.venv/bin/laovn-map figures --write README.md`")


def test_readme_documents_every_layer_and_property() -> None:
    text = README.read_text(encoding="utf-8")
    manifest = json.loads((GEO / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["layers"]:
        assert f"`{entry['file']}`" in text, entry["file"]
        if not entry["file"].endswith(".geojson"):
            continue
        collection = json.loads((GEO / entry["file"]).read_text(encoding="utf-8"))
        keys = {key for feature in collection["features"] for key in feature["properties"]}
        missing = sorted(k for k in keys if f"`{k}`" not in text)
        assert not missing, f"{entry['file']}: undocumented properties {missing}"
