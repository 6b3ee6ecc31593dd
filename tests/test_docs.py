"""The documentation tells the truth: docs/data.md's figures block and layer schema match geo/,
docs/architecture.md's module table matches the imports, the README stays short and every
relative link leads somewhere."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from laovn_map.geo.summary import DOCUMENT, document_block, figures_markdown

from .conftest import GEO, ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
DATA_DOC = ROOT / DOCUMENT
ARCHITECTURE_DOC = DOCS / "architecture.md"
#: The README is an entry point, the reference is in docs/ (issue #20).
README_MAX_LINES = 200
PACKAGE = ROOT / "src" / "laovn_map"


def test_data_doc_figures_are_the_built_figures() -> None:
    assert document_block(DATA_DOC) == figures_markdown(GEO), (
        f"{DOCUMENT}'s figures are stale: run `.venv/bin/laovn-map figures --write {DOCUMENT}`")


def test_data_doc_documents_every_layer_and_property() -> None:
    text = DATA_DOC.read_text(encoding="utf-8")
    manifest = json.loads((GEO / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["layers"]:
        assert f"`{entry['file']}`" in text, entry["file"]
        if not entry["file"].endswith(".geojson"):
            continue
        collection = json.loads((GEO / entry["file"]).read_text(encoding="utf-8"))
        keys = {key for feature in collection["features"] for key in feature["properties"]}
        missing = sorted(k for k in keys if f"`{k}`" not in text)
        assert not missing, f"{entry['file']}: undocumented properties {missing}"


SUBPACKAGES = ("build", "export", "geo", "page", "site")


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


def _documented_modules() -> dict[str, set[str]]:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    block = text[text.index("<!-- modules:begin -->"):text.index("<!-- modules:end -->")]
    table: dict[str, set[str]] = {}
    for row in block.splitlines()[3:]:
        module, _does, allowed = (cell.strip() for cell in row.strip("|").split(" | "))
        name = module.strip("`").removesuffix(".py").replace("/", ".")
        table[name] = set(re.findall(r"`([\w.]+)`", allowed))
    return table


def test_architecture_doc_lists_every_module_with_what_it_imports() -> None:
    table = _documented_modules()
    modules = _package_modules()
    assert sorted(table) == sorted(modules), "docs/architecture.md's module table and src/laovn_map differ"
    for name, path in modules.items():
        extra = _package_imports(path) - table[name]
        assert not extra, f"{name} imports {sorted(extra)}, which docs/architecture.md does not allow"


#: The parts and what each may import: the build never sees the page or the exports, the page
#: never the build; ``geo`` is the contract between them (the build writes the manifest through
#: its types, the page reads through its reader) and imports only the shared modules at the top.
PART_MAY_IMPORT = {
    "build": {"build", "geo", ""},
    "geo": {"geo", ""},
    "page": {"page", "geo", ""},
    "export": {"export", "page", "geo", ""},
    "site": {"site", "export", "page", "geo", ""},
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
              "from laovn_map.geo.reader import load_layers\nimport laovn_map.export.dispatch\n"
              "from . import labels\nfrom .mapstyle import COLOURS\nfrom ..geo import summary\n")
    assert _imports_of(source, "page.probe") == {
        "catalog", "build.seeds", "geo.reader", "export.dispatch", "page.labels", "page.mapstyle",
        "geo.summary"}


#: The modules that import Streamlit: the map's component (for app.py alone) and the start
#: command, which runs Streamlit's command line and speaks its wire format (nothing imports it).
STREAMLIT_MODULES = {"page.component", "page.serve"}


def test_architecture_doc_says_what_app_imports_and_which_modules_import_streamlit() -> None:
    text = ARCHITECTURE_DOC.read_text(encoding="utf-8")
    sentence = re.search(r"`app\.py` may import (.*?)\.\s", text, re.DOTALL)
    assert sentence, "docs/architecture.md: no sentence saying what app.py may import"
    assert _package_imports(ROOT / "app.py") <= set(re.findall(r"`([\w.]+)`", sentence.group(1)))
    # streamlit-folium imports Streamlit: the component module is for app.py alone
    for name, path in _package_modules().items():
        if name not in STREAMLIT_MODULES:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {str(n.module) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not any(m.split(".")[0] in ("streamlit", "streamlit_folium") for m in imported), name
            assert "page.component" not in _package_imports(path), name
        assert "page.serve" not in _package_imports(path), name


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


def test_readme_stays_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines (at most {README_MAX_LINES}): move the reference into docs/")


def _documents() -> list[Path]:
    """The Markdown files whose relative links must lead somewhere."""
    return [README, *sorted(DOCS.glob("*.md")), ROOT / "bench" / "README.md"]


#: A Markdown link or image ``[text](target)``, or an HTML image ``<img src="target">``.
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")
_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"`[^`\n]*`")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(markdown: str) -> set[str]:
    """Every heading's anchor; a repeated heading gets ``-1``, ``-2`` … as on GitHub."""
    seen: dict[str, int] = {}
    anchors: set[str] = set()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", _FENCE.sub("", markdown), re.MULTILINE):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _broken_links(document: Path) -> list[str]:
    """Each relative link of *document* (outside code) whose file, or heading, does not exist."""
    text = _CODE_SPAN.sub("", _FENCE.sub("", document.read_text(encoding="utf-8")))
    broken = []
    for match in _LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target):
            continue  # https:, mailto: … lead off the repository
        path, _, anchor = target.partition("#")
        linked = (document.parent / path) if path else document
        if not linked.exists():
            broken.append(f"{document.name}: {target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(
                linked.read_text(encoding="utf-8")):
            broken.append(f"{document.name}: {target}: no such heading")
    return broken


def test_every_relative_link_leads_to_a_file_and_heading() -> None:
    assert (DOCS / "page.md").exists(), "docs/ is missing its documents"
    broken = [problem for document in _documents() for problem in _broken_links(document)]
    assert not broken, broken


def test_broken_links_are_found(tmp_path: Path) -> None:
    """The check above is only as good as this reading of links and headings."""
    (tmp_path / "other.md").write_text("# Other\n\n## The layers in `geo/`\n\n## Same\n\n## Same\n",
                                       encoding="utf-8")
    document = tmp_path / "doc.md"
    document.write_text(
        "# Doc\n\n[ok](other.md) [ok](other.md#the-layers-in-geo) [ok](other.md#same-1)\n"
        "[ok](#doc) [web](https://example.org/x) `[code](missing.md)`\n"
        "```\n[fenced](missing.md)\n```\n"
        "[gone](missing.md) [no heading](other.md#nowhere) <img src=\"none.png\" alt=\"\">\n",
        encoding="utf-8")
    assert _broken_links(document) == [
        "doc.md: missing.md: no such file", "doc.md: other.md#nowhere: no such heading",
        "doc.md: none.png: no such file"]


def _province_figures() -> tuple[float, list[str]]:
    """From the official table and the build: the sum of the whole-province figures, and the
    names of the Vietnamese border provinces that have none."""
    import csv

    table = GEO / "sources" / "official" / "border_lengths.csv"
    rows = [r for r in csv.DictReader(table.read_text(encoding="utf-8").splitlines())
            if r["scope"] == "province"]
    provinces = json.loads((GEO / "provinces_vn.geojson").read_text(encoding="utf-8"))["features"]
    covered = {r["code"] for r in rows}
    missing = [f["properties"]["name_vi"] for f in provinces if f["id"] not in covered]
    return sum(float(r["length_km"]) for r in rows), missing


def test_the_claim_about_the_provincial_figures_names_the_province_they_omit() -> None:
    """Every place that gives the provincial figures' sum gives it as the table's, and names
    the provinces it leaves out (none since Kon Tum's whole border has a sourced figure)."""
    total, missing = _province_figures()
    assert missing == []
    stated = f"{total:,.1f} km"
    for path in (DOCS / "data.md", GEO / "sources" / "official" / "README.md"):
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert "2,150" not in text and "are too low" not in text, path
        assert stated in text, (path, stated)
        for name in missing:
            assert f"no figure for {name}" in text, (path, name)
