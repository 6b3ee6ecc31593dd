"""The command end to end: real seeds → layers, determinism, check, and failures that write nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import shape

from laovn_map.cli import main

from .conftest import REAL_SEEDS, ROOT, SOURCES

LAYERS = ("border.geojson", "provinces_vn.geojson", "provinces_la.geojson", "missions.geojson",
          "countries.geojson")


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("geo")
    assert run("build", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out) == 0
    return out


def load(folder: Path, name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((folder / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.slow
def test_real_build_has_twenty_provinces_with_iso_codes(built: Path) -> None:
    vn = [f["properties"]["iso_3166_2"] for f in load(built, "provinces_vn.geojson")["features"]]
    la = [f["properties"]["iso_3166_2"] for f in load(built, "provinces_la.geojson")["features"]]
    assert vn == ["VN-05", "VN-21", "VN-22", "VN-23", "VN-24", "VN-25", "VN-26", "VN-27", "VN-28",
                  "VN-71"]
    assert la == ["LA-AT", "LA-BL", "LA-HO", "LA-KH", "LA-LP", "LA-PH", "LA-SL", "LA-SV", "LA-XE",
                  "LA-XI"]


@pytest.mark.slow
def test_real_build_has_seven_missions_placed_in_the_host_country(built: Path) -> None:
    missions = load(built, "missions.geojson")["features"]
    countries = {f["id"]: shape(f["geometry"]) for f in load(built, "countries.geojson")["features"]}
    kinds = sorted((f["properties"]["sending_country"], f["properties"]["kind"]) for f in missions)
    assert kinds == [("LA", "consulate"), ("LA", "consulate"), ("LA", "embassy"),
                     ("VN", "consulate"), ("VN", "consulate"), ("VN", "consulate"), ("VN", "embassy")]
    for feature in missions:
        host = {"VN": "VNM", "LA": "LAO"}[feature["properties"]["host_country"]]
        assert countries[host].buffer(0.05).contains(shape(feature["geometry"])), feature["id"]
    ambassadors = {f["properties"]["city"]: f["properties"]["ambassador"] for f in missions
                   if f["properties"]["kind"] == "embassy"}
    assert ambassadors == {"Vientiane": "Nguyễn Minh Tâm", "Hanoi": "Khamphao Ernthavanh"}


@pytest.mark.slow
def test_real_build_border_figures(built: Path) -> None:
    features = load(built, "border.geojson")["features"]
    line = features[0]["properties"]
    assert line["kind"] == "border_line"
    assert line["length_km_stated"] == 2340
    assert line["length_km_osm"] == pytest.approx(2199, rel=0.01)
    assert line["length_km_ne"] == pytest.approx(1750, rel=0.02)
    segments = [f["properties"] for f in features[1:]]
    assert sum(s["length_km"] for s in segments) == pytest.approx(line["length_km_osm"], rel=0.001)
    provinces = [f["properties"] for name in ("provinces_vn.geojson", "provinces_la.geojson")
                 for f in load(built, name)["features"]]
    for side in ("VN", "LA"):
        total = sum(p["border_length_km"] for p in provinces if p["country"] == side)
        assert total == pytest.approx(line["length_km_osm"], rel=0.001)


@pytest.mark.slow
def test_every_record_quotes_its_source(built: Path) -> None:
    seeds = {p.name: p.read_text(encoding="utf-8").splitlines() for p in REAL_SEEDS.glob("*.txt")}
    for name in ("provinces_vn.geojson", "provinces_la.geojson", "missions.geojson"):
        for feature in load(built, name)["features"]:
            props = feature["properties"]
            line = seeds[Path(props["source_file"]).name][props["source_line"] - 1]
            assert props["source_quote"].splitlines()[-1] == line.strip()


@pytest.mark.slow
def test_manifest_lists_layers_with_counts_and_checksums(built: Path) -> None:
    manifest = load(built, "manifest.json")
    import hashlib

    for entry in manifest["layers"]:
        data = (built / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        if entry["file"].endswith(".geojson"):
            assert len(json.loads(data)["features"]) == entry["features"]
    seeds = [s for s in manifest["sources"] if s["role"] == "seed"]
    assert [s["path"] for s in seeds] == ["seeds/laos-vietnam-relations.en.txt",
                                         "seeds/quan-he-lao-viet-nam.vi.txt"]


@pytest.mark.slow
def test_build_twice_is_byte_identical_and_check_passes(built: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run("build", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", tmp_path) == 0
    for name in (*LAYERS, "manifest.json", "ATTRIBUTION.md"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name
    capsys.readouterr()
    assert run("check", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", tmp_path) == 0
    with (tmp_path / "missions.geojson").open("ab") as handle:
        handle.write(b" ")
    assert run("check", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", tmp_path) == 1
    assert "missions.geojson differs from a fresh build" in capsys.readouterr().err


@pytest.mark.slow
def test_committed_geo_equals_a_fresh_build(built: Path) -> None:
    for name in (*LAYERS, "manifest.json", "ATTRIBUTION.md"):
        assert (ROOT / "geo" / name).read_bytes() == (built / name).read_bytes(), (
            f"geo/{name} is stale: run `python3 dev.py build`")


# --- failures: a clear message, exit 1, nothing written ------------------------------------------

def _failing_build(seeds: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out.mkdir(exist_ok=True)
    (out / "border.geojson").write_bytes(b"previous")
    before = sorted(p.name for p in out.iterdir())
    code = run("build", "--seeds", seeds, "--sources", SOURCES, "--out", out)
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert sorted(p.name for p in out.iterdir()) == before, "a failed build left files behind"
    assert (out / "border.geojson").read_bytes() == b"previous"
    return captured.err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vi": lambda t: t.replace(" Sê-kông và", "")},
         "Error: The Lao border provinces in seeds/quan-he-lao-viet-nam.vi.txt:4 are a list of 9"),
        ({"vi": lambda t: t.replace("Hủa-phăn", "Xa-xổm-bun")},
         "Error: Lao province 'Xa-xổm-bun' (seeds/quan-he-lao-viet-nam.vi.txt:4) matches no "
         "Natural Earth feature; closest: "),
        ({"en": lambda t: t.replace("- Pakse (Consulate)", "- Pakse")},
         "Error: Cannot parse the mission line seeds/laos-vietnam-relations.en.txt:52 '- Pakse'"),
        ({"raw_vi": "Biên giới".encode("utf-16")},
         "Error: Seed seeds/quan-he-lao-viet-nam.vi.txt looks like UTF-16"),
        ({"en": lambda t: t.replace("- Da Nang (Consulate)", "- <b>Da Nang</b> (Consulate)")},
         "Error: Mission city '<b>Da Nang</b>' (seeds/laos-vietnam-relations.en.txt:58) "
         "contains markup"),
    ],
    ids=["list-of-9", "unknown-province", "bad-mission-line", "utf-16", "markup-in-city"],
)
def test_bad_input_fails_cleanly(seed_folder, tmp_path: Path, capsys, change, message) -> None:  # type: ignore[no-untyped-def]
    seeds = seed_folder(**change)
    err = _failing_build(seeds, tmp_path / "geo", capsys)
    assert err.startswith(message), err
    assert "Traceback" not in err


def test_missing_sources_fail_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("build", "--seeds", REAL_SEEDS, "--sources", tmp_path / "none", "--out", tmp_path)
    assert code == 1
    assert "naturalearth/ne_10m_admin_1_states_provinces_lao_vnm.geojson is missing" in (
        capsys.readouterr().err)


@pytest.mark.slow
def test_console_script_runs_and_exits_non_zero_on_error(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("laovn-map")
    result = subprocess.run([script, "build", "--seeds", tmp_path / "nope", "--out", tmp_path],
                            capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 1
    expected = f"Error: Seed folder {tmp_path / 'nope'} does not exist; pass --seeds DIR."
    assert result.stderr.strip() == expected
    shutil.rmtree(tmp_path, ignore_errors=True)
