"""The README tells the truth about geo/: its figures block and its layer list match the build."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from laovn_map.figures import figures_markdown, readme_block

from .conftest import GEO, ROOT

README = ROOT / "README.md"
PACKAGE = ROOT / "src" / "laovn_map"


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


def _package_imports(path: Path) -> set[str]:
    """The modules of laovn_map that *path* imports (``from laovn_map import x`` counts x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "laovn_map":
            found |= {alias.name for alias in node.names if alias.name != "__version__"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("laovn_map."):
            found.add(str(node.module).split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("laovn_map.")}
    return found


def _readme_modules() -> dict[str, set[str]]:
    text = README.read_text(encoding="utf-8")
    block = text[text.index("<!-- modules:begin -->"):text.index("<!-- modules:end -->")]
    table: dict[str, set[str]] = {}
    for row in block.splitlines()[3:]:
        module, _does, allowed = (cell.strip() for cell in row.strip("|").split(" | "))
        table[module.strip("`").removesuffix(".py")] = set(re.findall(r"`(\w+)`", allowed))
    return table


def test_readme_lists_every_module_with_what_it_imports() -> None:
    table = _readme_modules()
    modules = {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert sorted(table) == sorted(modules), "README's module table and src/laovn_map differ"
    for name, path in modules.items():
        extra = _package_imports(path) - table[name]
        assert not extra, f"{name}.py imports {sorted(extra)}, which the README does not allow"


def test_readme_says_what_app_imports_and_only_component_imports_streamlit() -> None:
    text = README.read_text(encoding="utf-8")
    sentence = re.search(r"`app\.py` may import (.*?)\.\s", text, re.DOTALL)
    assert sentence, "README: no sentence saying what app.py may import"
    assert _package_imports(ROOT / "app.py") <= set(re.findall(r"`(\w+)`", sentence.group(1)))
    # streamlit-folium imports Streamlit: the component module is for app.py alone
    for path in PACKAGE.glob("*.py"):
        if path.stem != "component":
            assert "import streamlit" not in path.read_text(encoding="utf-8"), path.name
            assert "component" not in _package_imports(path), path.name


def test_figures_errors_are_one_line(tmp_path: Path) -> None:
    from laovn_map.cli import main
    from laovn_map.errors import LayerError
    from laovn_map.figures import write_block

    from .conftest import FIXTURE

    with pytest.raises(LayerError, match=r"lacks the figures relations_established"):
        figures_markdown(FIXTURE)  # a hand-made manifest without them, like an older build
    with pytest.raises(LayerError, match=r"Cannot read .*missing.md \(No such file"):
        write_block(tmp_path / "missing.md", "x")
    assert main(["figures", "--out", str(GEO), "--write", str(tmp_path / "missing.md")]) == 1
