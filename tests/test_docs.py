"""The README tells the truth about geo/: its figures block and its layer list match the build."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from laovn_map.geo.summary import figures_markdown, readme_block

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


SUBPACKAGES = ("build", "export", "geo", "page")


def _module_name(path: Path) -> str:
    """``build.extract`` for src/laovn_map/build/extract.py, ``cli`` for src/laovn_map/cli.py."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _package_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if p.stem != "__init__"}


def _package_imports(path: Path) -> set[str]:
    module = _module_name(path) if path.is_relative_to(PACKAGE) else ""
    return _imports_of(path.read_text(encoding="utf-8"), module)


def _imports_of(source: str, module: str) -> set[str]:
    """The modules of laovn_map that *source* (the module *module*) imports, by dotted name below
    the package (``from laovn_map.build import seeds`` counts ``build.seeds``, ``from laovn_map
    import catalog`` counts ``catalog``); relative imports count the same way."""
    found: set[str] = set()
    here = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1] + (node.module or "").split(".")
                parts = [part for part in base if part]
            elif (node.module or "").split(".")[0] == "laovn_map":
                parts = str(node.module).split(".")[1:]
            else:
                continue
            if not parts or (len(parts) == 1 and parts[0] in SUBPACKAGES):
                found |= {".".join([*parts, a.name]) for a in node.names if a.name != "__version__"}
            else:
                found.add(".".join(parts))
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("laovn_map.")}
    return found


def _readme_modules() -> dict[str, set[str]]:
    text = README.read_text(encoding="utf-8")
    block = text[text.index("<!-- modules:begin -->"):text.index("<!-- modules:end -->")]
    table: dict[str, set[str]] = {}
    for row in block.splitlines()[3:]:
        module, _does, allowed = (cell.strip() for cell in row.strip("|").split(" | "))
        name = module.strip("`").removesuffix(".py").replace("/", ".")
        table[name] = set(re.findall(r"`([\w.]+)`", allowed))
    return table


def test_readme_lists_every_module_with_what_it_imports() -> None:
    table = _readme_modules()
    modules = _package_modules()
    assert sorted(table) == sorted(modules), "README's module table and src/laovn_map differ"
    for name, path in modules.items():
        extra = _package_imports(path) - table[name]
        assert not extra, f"{name} imports {sorted(extra)}, which the README does not allow"


#: The parts and what each may import: the build never sees the page or the exports, the page
#: never the build, and ``geo`` (the contract between them) only the shared modules at the top.
PART_MAY_IMPORT = {
    "build": {"build", ""},
    "geo": {"geo", ""},
    "page": {"page", "geo", ""},
    "export": {"export", "page", "geo", ""},
}


def _part(module: str) -> str:
    """``build`` for ``build.extract``; ``""`` for a shared module at the top (``catalog``)."""
    first = module.split(".")[0]
    return first if first in SUBPACKAGES else ""


def test_the_parts_import_one_way() -> None:
    for name, path in _package_modules().items():
        if not (part := _part(name)):
            continue
        wrong = sorted(m for m in _package_imports(path) if _part(m) not in PART_MAY_IMPORT[part])
        assert not wrong, f"{name} ({part}) imports {wrong}"


def test_package_imports_reads_every_form() -> None:
    """The checks above are only as good as this reading of imports: each form counts."""
    source = ("from laovn_map import catalog\nfrom laovn_map.build import seeds\n"
              "from laovn_map.geo.reader import load_layers\nimport laovn_map.export.exports\n"
              "from . import labels\nfrom .mapstyle import COLOURS\nfrom ..geo import summary\n")
    assert _imports_of(source, "page.probe") == {
        "catalog", "build.seeds", "geo.reader", "export.exports", "page.labels", "page.mapstyle",
        "geo.summary"}


def test_readme_says_what_app_imports_and_only_component_imports_streamlit() -> None:
    text = README.read_text(encoding="utf-8")
    sentence = re.search(r"`app\.py` may import (.*?)\.\s", text, re.DOTALL)
    assert sentence, "README: no sentence saying what app.py may import"
    assert _package_imports(ROOT / "app.py") <= set(re.findall(r"`([\w.]+)`", sentence.group(1)))
    # streamlit-folium imports Streamlit: the component module is for app.py alone
    for name, path in _package_modules().items():
        if name != "page.component":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {str(n.module) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not any(m.split(".")[0] in ("streamlit", "streamlit_folium") for m in imported), name
            assert "page.component" not in _package_imports(path), name


def test_figures_errors_are_one_line(tmp_path: Path) -> None:
    from laovn_map.cli import main
    from laovn_map.errors import LayerError
    from laovn_map.geo.summary import write_block

    from .conftest import FIXTURE

    with pytest.raises(LayerError, match=r"lacks the figures relations_established"):
        figures_markdown(FIXTURE)  # a hand-made manifest without them, like an older build
    with pytest.raises(LayerError, match=r"Cannot read .*missing.md \(No such file"):
        write_block(tmp_path / "missing.md", "x")
    assert main(["figures", "--out", str(GEO), "--write", str(tmp_path / "missing.md")]) == 1
