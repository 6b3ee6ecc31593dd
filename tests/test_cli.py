"""The command end to end: real seeds → layers, determinism, check, failures that write nothing,
a lock, Ctrl-C and SIGKILL that leave the old build."""

from __future__ import annotations

import errno
import fnmatch
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from shapely.geometry import shape

from laovn_map.build import outdir, pipeline
from laovn_map.build.pipeline import BuildOutput
from laovn_map.cli import main

from .build.test_outdir import fail_on, file_in_place_of, folder_in_place_of, make, siblings, steps_of, tree
from .conftest import GEO, REAL_SEEDS, ROOT, SOURCES

#: A manifest a build wrote, as far as the out folder's check goes (its generator).
BUILT_MANIFEST = b'{"generator": "laovn-map 0.1.0"}\n'


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
    (border,) = load(built, "border.geojson")["features"]  # the line once, its segments apart
    line = border["properties"]
    assert line["kind"] == "border_line"
    assert line["length_km_stated"] == 2340
    assert line["length_km_osm"] == pytest.approx(2199, rel=0.01)
    assert line["length_km_ne"] == pytest.approx(1750, rel=0.02)
    segments = [f["properties"] for f in load(built, "segments.geojson")["features"]]
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
            # the line as written, without the wiki markup that opens it ("- ", ";")
            quoted = props["source_quote"].splitlines()[-1]
            assert quoted and line.strip().endswith(quoted)
            assert line.strip()[:len(line.strip()) - len(quoted)].strip() in {"", "-", "*", ";", ":", "#"}


@pytest.mark.slow
def test_the_events_layer_points_at_the_places_its_quotes_name(built: Path) -> None:
    seeds = {p.name: p.read_text(encoding="utf-8").splitlines() for p in REAL_SEEDS.glob("*.txt")}
    manifest_events = {e["id"]: e for e in load(built, "manifest.json")["figures"]["events"]}
    features = load(built, "events.geojson")["features"]
    assert features and [f["properties"]["start"] for f in features] == sorted(
        f["properties"]["start"] for f in features)
    for feature in features:
        props = feature["properties"]
        line = seeds[Path(props["source_file"]).name][props["source_line"] - 1]
        assert props["source_quote"] in line
        assert props["place_written"] in props["source_quote"]
        assert props["date_text"] in props["source_quote"] and props["start"] <= props["end"]
        event = manifest_events[props["event_id"]]
        assert (event["start"], event["end"], event["source_quote"]) == (
            props["start"], props["end"], props["source_quote"])
        matched = [m for p in event["places"] for m in p["matched"]]
        assert feature["id"] in {m["feature_id"] for m in matched}
    # every place with a point of a dated event is a feature, and nothing else is
    wanted = {m["feature_id"] for e in manifest_events.values() for p in e["places"]
              for m in p["matched"] if m["feature_id"]}
    assert wanted == {f["id"] for f in features}
    linked = [e for e in manifest_events.values() if e["link_id"]]
    assert linked and all(e["id"] in e["link_id"].split("+") for e in linked)


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
    assert tree(tmp_path) == tree(built)  # every file, seeds/ included
    capsys.readouterr()
    assert run("check", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", tmp_path) == 0
    with (tmp_path / "missions.geojson").open("ab") as handle:
        handle.write(b" ")
    assert run("check", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", tmp_path) == 1
    assert "missions.geojson differs from a fresh build" in capsys.readouterr().err


@pytest.mark.slow
def test_committed_geo_equals_a_fresh_build(built: Path) -> None:
    committed = tree(GEO) or {}
    fresh = tree(built) or {}
    for name in sorted({*committed, *fresh} - {n for n in committed if n.startswith("sources/")}):
        assert committed.get(name) == fresh.get(name), f"geo/{name} is stale: run `python3 dev.py build`"


# --- failures: a clear message, exit 1, nothing written ------------------------------------------

def _failing_build(seeds: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    out.mkdir(exist_ok=True)
    (out / "border.geojson").write_bytes(b"previous")
    (out / "manifest.json").write_bytes(BUILT_MANIFEST)
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


# --- the out folder: one-line errors, the lock, Ctrl-C, kills ------------------------------------

FAKE = BuildOutput(files={"border.geojson": b"new\n", "manifest.json": BUILT_MANIFEST,
                          "seeds/a.en.txt": b"t\n"},
                   manifest={"layers": [{"file": "border.geojson", "features": 1}]})
OLD = {"border.geojson": b"old\n", "manifest.json": BUILT_MANIFEST, "sources/aliases.csv": b"a,b\n"}


@pytest.fixture
def fake_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """``build_layers`` returns FAKE at once: these tests are about writing, not deriving."""
    monkeypatch.setattr(pipeline, "build_layers", lambda seeds, sources: FAKE)


def _one_line_error(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = run("build", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out)
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    return captured.err.removeprefix("Error: ").rstrip("\n")


OUT_ERRORS: list[tuple[str, Callable[[Path, pytest.MonkeyPatch], object], str, str]] = [
    ("out-is-a-file", lambda out, mp: file_in_place_of(out), "{out}",
     "The layer folder {out} is a file; pass another --out or move the file away."),
    ("out-under-a-file", lambda out, mp: file_in_place_of(out), "{out}/geo",
     "Cannot create the layer folder {out}/geo: {out} is a file; pass another --out."),
    ("layer-is-a-folder", lambda out, mp: folder_in_place_of(out / "border.geojson"), "{out}",
     "{out}/border.geojson is a folder where the build writes a file; move it away and build again "
     "({out} was left as it was)."),
    ("read-only", lambda out, mp: fail_on(mp, os, "mkdir", errno.EROFS, lambda p: "/.geo.staging-" in p),
     "{out}", "Cannot update {parent}/.geo.staging-*: Read-only file system; pass an "
     "--out you can write to ({out} was left as it was)."),
    ("exchange-fails", lambda out, mp: fail_on(mp, outdir, "_exchange", errno.EIO, lambda p: True),
     "{out}", "Cannot update {parent}/.geo.staging-*: Input/output error; fix that path and build "
     "again ({out} was left as it was)."),
]


@pytest.mark.parametrize(("change", "out_arg", "message"), [e[1:] for e in OUT_ERRORS],
                         ids=[e[0] for e in OUT_ERRORS])
@pytest.mark.usefixtures("fake_build")
def test_out_folder_errors_are_one_line_and_leave_the_old_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        change: Callable[[Path, pytest.MonkeyPatch], object], out_arg: str, message: str) -> None:
    """``read-only`` simulates EROFS by patching os.mkdir in-process: the tests run as root, whom
    permission bits do not stop, and mounting a read-only filesystem needs privileges and tools."""
    out = make(tmp_path / "geo", OLD)
    change(out, monkeypatch)
    before = tree(out) if out.is_dir() else None
    err = _one_line_error(Path(out_arg.format(out=out)), capsys)
    assert fnmatch.fnmatchcase(err, message.format(out=out, parent=tmp_path)), err
    assert (tree(out) if out.is_dir() else None) == before
    assert siblings(out) == []


@pytest.mark.usefixtures("fake_build")
def test_a_second_build_refuses_at_once_with_one_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = make(tmp_path / "geo", OLD)
    with outdir.locked(out):
        err = _one_line_error(out, capsys)
    assert err == (f"Another laovn-map build (pid {os.getpid()}) is writing {out} (lock "
                   f"{tmp_path}/.geo.lock); wait for it to finish, then build again.")
    assert tree(out) == OLD


def _interrupt_at(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Ctrl-C (KeyboardInterrupt) at the first filesystem change whose name starts with *prefix*."""
    def step(name: str) -> None:
        if name.startswith(prefix):
            raise KeyboardInterrupt

    monkeypatch.setattr(outdir, "_step", step)


@pytest.mark.parametrize(("where", "message", "after"), [
    ("deriving", "Interrupted: {out} left as it was.", OLD),
    ("write", "Interrupted: {out} left as it was.", OLD),
    ("exchange", "Interrupted: {out} left as it was.", OLD),
    ("remove", "Interrupted: {out} already holds the new build; the next build tidies what is left.",
     {**FAKE.files, "sources/aliases.csv": OLD["sources/aliases.csv"]}),
])
@pytest.mark.usefixtures("fake_build")
def test_ctrl_c_prints_one_line_and_exits_130(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        where: str, message: str, after: dict[str, bytes]) -> None:
    out = make(tmp_path / "geo", OLD)
    if where == "deriving":
        def interrupted(*args: object) -> BuildOutput:
            raise KeyboardInterrupt

        monkeypatch.setattr(pipeline, "build_layers", interrupted)
    else:
        _interrupt_at(monkeypatch, where)
    assert run("build", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out) == 130
    assert capsys.readouterr() == ("", message.format(out=out) + "\n")
    assert tree(out) == after
    if after == OLD:
        assert siblings(out) == []


@pytest.mark.usefixtures("fake_build")
def test_check_reports_strays_and_the_next_build_removes_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "geo"
    assert run("build", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out) == 0
    make(tmp_path / ".geo.old-0badc0de", OLD)
    (out / ".manifest.json.x1y2z3w4").write_bytes(b"{")
    capsys.readouterr()
    assert run("check", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Error: {tmp_path}/.geo.old-0badc0de is left over from an interrupted build",
        f"Error: {out}/.manifest.json.x1y2z3w4 is left over from an interrupted build",
        f"Run `laovn-map build` (or python3 dev.py build) to rebuild {out}."]
    assert run("build", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out) == 0
    assert run("check", "--seeds", REAL_SEEDS, "--sources", SOURCES, "--out", out) == 0
    assert siblings(out) == []


@pytest.mark.slow
def test_a_real_build_killed_at_each_kind_of_step_leaves_the_old_or_the_new_build(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL (through LAOVN_KILL_AT_STEP) at the first write into staging, at the exchange and at
    the first removal of the old folder: its bytes equal the old build or the reference build,
    never a mix. (Every step, with a small fake build, is killed in test_geodir.py.)"""
    sources = {f"sources/{k}": v for k, v in (tree(SOURCES) or {}).items()}
    new = {**(tree(built) or {}), **sources}
    old = {**new, "missions.geojson": b'{"type": "FeatureCollection", "features": []}\n'}
    args = ["build", "--seeds", str(REAL_SEEDS), "--sources", str(SOURCES), "--out"]
    count = make(tmp_path / "count" / "geo", old)
    steps = steps_of(monkeypatch, lambda: run(*args, count))
    chosen = [next(i for i, s in enumerate(steps) if s.startswith(kind)) + 1
              for kind in ("write", "exchange", "remove")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for number in chosen:
        out = make(tmp_path / str(number) / "geo", old)
        result = subprocess.run([sys.executable, "-m", "laovn_map.cli", *args, out], check=False,
                                env={**env, outdir.KILL_AT_STEP_ENV: str(number)}, capture_output=True)
        assert result.returncode == -signal.SIGKILL, result.stderr
        assert tree(out) in (old, new), steps[number - 1]
    assert run(*args, out) == 0
    assert tree(out) == new
    assert siblings(out) == []


# --- laovn-map export --------------------------------------------------------------------------

def test_export_writes_the_file_named_for_its_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import FIXTURE

    monkeypatch.chdir(tmp_path)
    assert run("export", "--format", "csv", "--lang", "vi", "--layers", "provinces_la,consulates",
               "--geo", FIXTURE) == 0
    (written,) = tmp_path.iterdir()
    assert written.name == "laovn-map-vi-provincesla-consulates.csv"
    assert written.read_bytes().startswith(b"\xef\xbb\xbfmap_layer,")
    assert capsys.readouterr().out == f"Wrote {written.name} ({written.stat().st_size:,} bytes).\n"
    assert run("export", "--format", "KML", "--geo", FIXTURE, "--out", tmp_path / "a.kml") == 0
    assert (tmp_path / "a.kml").read_bytes().startswith(b"<?xml")
    assert run("export", "--format", "csv", "--years", "1945-1977", "--geo", FIXTURE) == 0
    assert (tmp_path / "laovn-map-en-all-1945-1977.csv").exists()
    assert run("export", "--format", "kml", "--event", "vi-005-0", "--geo", FIXTURE) == 0
    assert "4/9/1945" in (tmp_path / "laovn-map-en-all-event-vi-005-0.kml").read_text("utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "svg"], "Error: unknown export format 'svg': choose from gpkg, kml, csv, html, "
                          "png, pdf"),
    (["--format", "csv", "--layers", "provinces_la,rivers"], "Error: unknown layer 'rivers': "
     "choose from countries, water, provinces_vn, provinces_la, segments, border, embassies, "
     "consulates, events"),
    (["--format", "csv", "--layers", ","], "Error: no layer is visible: turn on at least one "
                                           "layer to export the map"),
    (["--format", "csv", "--lang", "th"], "Error: unknown language 'th': choose en or vi or lo"),
    (["--format", "csv", "--period", "1975"], "Error: unknown period '1975': choose text or 2025"),
    (["--format", "png", "--size", "b5"], "Error: paper 'b5': give one of a4, a3, letter or "
                                          "WIDTHxHEIGHT in mm"),
    (["--format", "png", "--dpi", "5000"], "Error: 5000 dpi: choose 50–600"),
    (["--format", "png", "--view", "14,104,19"], "Error: --view '14,104,19': give south,west,"
                                                 "north,east in degrees (e.g. 14,104,19,108)"),
    (["--format", "csv", "--years", "1977"], "Error: --years '1977': give FIRST-LAST years, "
                                             "the first not after the last (e.g. 1945-1977)"),
    (["--format", "csv", "--years", "²-1977"], "Error: --years '²-1977': give FIRST-LAST years, "
                                               "the first not after the last (e.g. 1945-1977)"),
    (["--format", "csv", "--years", "1977-1945"], "Error: --years '1977-1945': give FIRST-LAST "
     "years, the first not after the last (e.g. 1945-1977)"),
    (["--format", "csv", "--years", "1945-" + "9" * 5000], "Error: --years '1945-"
     + "9" * 31 + "...: give FIRST-LAST years, the first not after the last (e.g. 1945-1977)"),
    (["--format", "png", "--view", "1" * 5000], "Error: --view '" + "1" * 36
     + "...: give south,west,north,east in degrees (e.g. 14,104,19,108)"),
    (["--format", "pdf", "--event", "vi-999-0"], "Error: unknown statement 'vi-999-0': give "
     "the id of one of the texts' 3 dated statements (e.g. vi-005-0)"),
    (["--format", "csv", "--event", "../x"], "Error: statement '../x' is no statement's id "
     "(e.g. vi-022-0)"),
    (["--format", "png", "--view", "19,104,14,108"], "Error: view (19.0, 104.0, 14.0, 108.0) is "
                                                     "not (south, west, north, east) in degrees"),
])
def test_export_refuses_bad_input_in_one_line_and_writes_nothing(
        args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import FIXTURE

    monkeypatch.chdir(tmp_path)
    assert run("export", "--geo", FIXTURE, *args) == 1
    assert capsys.readouterr().err == message + "\n"
    assert list(tmp_path.iterdir()) == []


def test_export_never_writes_into_the_layer_folder(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from .layersets import copy_fixture

    geo = copy_fixture(tmp_path / "geo")
    before = tree(geo)
    assert run("export", "--format", "csv", "--geo", geo, "--out", geo / "x.csv") == 1
    assert "is inside the layer folder" in capsys.readouterr().err
    assert run("export", "--format", "csv", "--geo", geo, "--out", tmp_path / "no" / "x.csv") == 1
    assert capsys.readouterr().err.startswith(f"Error: {tmp_path / 'no' / 'x.csv'}: its folder")
    assert tree(geo) == before


# --- export: nothing lost, no traceback ------------------------------------------------------------

#: The CLI with SIGXFSZ's default action (Python ignores it at start): killed past a file size.
_KILLABLE = ("import signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_DFL); "
             "from laovn_map.cli import main; sys.exit(main())")


def _cli(*args: str | Path, cwd: Path, stdout: int | None = subprocess.PIPE,
         preexec: Callable[[], None] | None = None,
         killable: bool = False) -> subprocess.CompletedProcess[str]:
    """The console script itself, in a subprocess (this worktree's code first)."""
    command = [sys.executable, "-c", _KILLABLE] if killable else [
        str(Path(sys.executable).with_name("laovn-map"))]
    return subprocess.run([*command, *map(str, args)], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, check=False, preexec_fn=preexec,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.rstrip("\n")


def _file_size_limit(limit: int) -> Callable[[], None]:
    """A full disk for one process: files may not grow past *limit* bytes. Writing past it
    fails with EFBIG, or kills a process that does not ignore SIGXFSZ (`_KILLABLE`)."""
    import resource

    def limit_writes() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return limit_writes


OLD_EXPORT = b"the previous export\n"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "html", "png"])
def test_an_export_that_cannot_be_written_leaves_the_old_file_whole(fmt: str, tmp_path: Path) -> None:
    from .conftest import FIXTURE

    out = tmp_path / f"map.{fmt}"
    out.write_bytes(OLD_EXPORT)
    result = _cli("export", "--format", fmt, "--dpi", "50", "--geo", FIXTURE, "--out", out.name,
                  cwd=tmp_path, preexec=_file_size_limit(4096))
    assert _one_line(result) == (f"Error: {out.name}: cannot be written (File too large); "
                                 "the previous file is unchanged")
    assert out.read_bytes() == OLD_EXPORT
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.slow
def test_an_export_killed_while_writing_leaves_the_old_file_and_the_next_tidies_up(
        tmp_path: Path) -> None:
    from .conftest import FIXTURE

    out = tmp_path / "map.csv"
    out.write_bytes(OLD_EXPORT)
    args = ("export", "--format", "csv", "--geo", FIXTURE, "--out", out.name)
    killed = _cli(*args, cwd=tmp_path, preexec=_file_size_limit(4096), killable=True)
    assert killed.returncode == -signal.SIGXFSZ, killed.stderr
    assert out.read_bytes() == OLD_EXPORT
    (left,) = [p for p in tmp_path.iterdir() if p != out]  # a kill cannot tidy up
    from laovn_map import atomicfile

    running = atomicfile.temporary_name(out, os.getpid())  # a writer still at work: kept
    running.write_bytes(b"")
    assert _cli(*args, cwd=tmp_path).returncode == 0
    assert not left.exists() and running.exists()
    assert out.read_bytes().startswith(b"\xef\xbb\xbfmap_layer,")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "png"])
def test_export_to_a_full_standard_output_is_one_line(fmt: str, tmp_path: Path) -> None:
    from .conftest import FIXTURE

    with Path("/dev/full").open("wb") as full:
        result = _cli("export", "--format", fmt, "--dpi", "50", "--geo", FIXTURE, "--out", "-",
                      cwd=tmp_path, stdout=full.fileno())
    assert _one_line(result) == "Error: standard output: cannot be written (No space left on device)"
    with Path("/dev/full").open("wb") as full:  # the file is written; its report cannot be
        result = _cli("export", "--format", "csv", "--geo", FIXTURE, cwd=tmp_path,
                      stdout=full.fileno())
    assert _one_line(result) == "Error: standard output: No space left on device"


@pytest.mark.slow
@pytest.mark.parametrize(("size", "view", "refused"), [
    ("a4", "16,105,16.0000001,105.0000001", True),  # the probe's
    ("a4", "16,105,16.03,105.03", True),  # 3.2 km: just under
    ("a4", "16,105,16.05,105.05", False),  # 5.3 km
    ("a4", "16,105,17,105.00001", False),  # narrow, but its height makes a landscape map wide
    ("60x1200", "16,105,17,105.00001", True),  # the same on a tall strip of paper
])
def test_a_print_view_too_narrow_for_a_scale_bar_is_refused_in_one_line(
        size: str, view: str, refused: bool, tmp_path: Path) -> None:
    """The probe's FreeType raster overflow: a 1 cm view put the scale bar's label 10^5 map
    widths away. A view whose map (on the chosen paper) is narrower than the shortest scale bar
    needs is refused before anything is drawn."""
    from .conftest import FIXTURE

    result = _cli("export", "--format", "png", "--dpi", "60", "--size", size, "--view", view,
                  "--geo", FIXTURE, "--out", "map.png", cwd=tmp_path)
    if not refused:
        assert (result.returncode, result.stderr) == (0, "")
        return
    message = _one_line(result)
    assert message.startswith("Error: view (16.0, 105.0, "), message
    assert message.endswith("a print's map must be at least 5 km wide (its shortest scale bar "
                            "in a fifth of it); choose a wider view"), message
    assert list(tmp_path.iterdir()) == []


def test_a_view_may_start_with_a_minus_sign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import FIXTURE

    monkeypatch.chdir(tmp_path)
    assert run("export", "--format", "pdf", "--view", "-10,100,25,110", "--geo", FIXTURE,
               "--out", "south.pdf") == 0
    assert run("export", "--format", "pdf", "--view", "-10,-.5,25,110", "--geo", FIXTURE,
               "--out", "west.pdf") == 0
    assert (tmp_path / "south.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "west.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    with pytest.raises(SystemExit):  # a missing value is still argparse's error
        run("export", "--format", "pdf", "--view", "--geo", FIXTURE)
    assert "--view: expected one argument" in capsys.readouterr().err


@pytest.mark.parametrize("out_arg", ["{tmp}/sub/", "{tmp}/sub", "sub/", "sub"])
def test_export_into_a_folder_writes_the_exports_own_name_there(
        out_arg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import FIXTURE

    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    assert run("export", "--format", "csv", "--geo", FIXTURE, "--out",
               out_arg.format(tmp=tmp_path)) == 0
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["laovn-map-en-all.csv"]
    assert capsys.readouterr().out.startswith(f"Wrote {out_arg.format(tmp=tmp_path).rstrip('/')}"
                                              "/laovn-map-en-all.csv (")


def test_export_into_a_missing_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import FIXTURE

    monkeypatch.chdir(tmp_path)
    assert run("export", "--format", "csv", "--geo", FIXTURE, "--out", "new/") == 1
    assert capsys.readouterr().err == ("Error: new/laovn-map-en-all.csv: its folder new does not "
                                       "exist\n")
    assert list(tmp_path.iterdir()) == []


# --- what a build may replace ---------------------------------------------------------------------

def _user_folder(path: Path) -> None:
    make(path, {".git/HEAD": b"ref: refs/heads/main\n", "thesis.tex": b"\\documentclass{book}\n"})


#: Folders a build refuses to replace: (id, set-up in the cwd, --out, the message). The cwd holds
#: seeds/ (the real texts) and geo/sources/; the build uses the default --seeds and --sources.
REFUSED: list[tuple[str, Callable[[Path], object], str, str]] = [
    ("the-seed-folder", lambda cwd: None, "seeds", "Refusing to replace seeds: it is the seed "
     "folder seeds; "),
    ("the-sources-folder", lambda cwd: None, "geo/sources",
     "Refusing to replace geo/sources: it is the sources folder geo/sources; "),
    ("a-link-to-the-seed-folder", lambda cwd: (cwd / "geolink").symlink_to("seeds"), "geolink",
     "Refusing to replace geolink (that is {cwd}/seeds): it is the seed folder seeds; "),
    ("inside-the-seed-folder", lambda cwd: None, "seeds/geo",
     "Refusing to replace seeds/geo: it is inside the seed folder seeds; "),
    ("a-user-folder-with-git", lambda cwd: _user_folder(cwd / "home" / "thesis"), "{cwd}/home/thesis",
     "Refusing to replace {cwd}/home/thesis: it holds files (.git, thesis.tex) and no "
     "manifest.json of a laovn-map build; "),
    ("a-build-with-a-user-file", lambda cwd: make(cwd / "out", {**OLD, "notes.txt": b"mine\n"}),
     "out", "Refusing to replace out: it holds notes.txt, which no laovn-map build writes; "),
    ("another-tool's-manifest",
     lambda cwd: make(cwd / "out", {"manifest.json": b'{"generator": "other 1.0"}', "a.json": b"{}"}),
     "out", "Refusing to replace out: it holds files (a.json, manifest.json) and no manifest.json "
     "of a laovn-map build; "),
]


@pytest.fixture
def seeds_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cwd holding seeds/ and geo/sources/, as a checkout does."""
    shutil.copytree(REAL_SEEDS, tmp_path / "seeds")
    make(tmp_path / "geo" / "sources", {"aliases.csv": b"alias,name\n"})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _everything(folder: Path) -> dict[str, bytes | str]:
    """Every entry under *folder*, links by target (not followed), files by bytes, folders by ''."""
    found: dict[str, bytes | str] = {}
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(root) / name
            key = path.relative_to(folder).as_posix()
            found[key] = f"-> {path.readlink()}" if path.is_symlink() else \
                path.read_bytes() if path.is_file() else ""
    return found


@pytest.mark.parametrize(("setup", "out", "message"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
@pytest.mark.usefixtures("fake_build")
def test_a_build_refuses_a_folder_it_did_not_write_and_changes_nothing(
        seeds_cwd: Path, capsys: pytest.CaptureFixture[str], setup: Callable[[Path], object],
        out: str, message: str) -> None:
    setup(seeds_cwd)
    before = _everything(seeds_cwd)
    code = run("build", "--out", out.format(cwd=seeds_cwd))
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err, captured.err
    assert captured.err.startswith("Error: " + message.format(cwd=seeds_cwd)), captured.err
    assert _everything(seeds_cwd) == before  # no lock file either


@pytest.mark.parametrize("setup", [lambda out: None, lambda out: out.mkdir(),
                                   lambda out: make(out, {"sources/aliases.csv": b"a,b\n"})],
                         ids=["missing", "empty", "sources-only"])
@pytest.mark.usefixtures("fake_build")
def test_a_build_writes_a_missing_or_empty_folder_or_one_of_sources_only(
        seeds_cwd: Path, setup: Callable[[Path], object]) -> None:
    setup(seeds_cwd / "out")
    sources = tree(seeds_cwd / "out" / "sources") or {}
    assert run("build", "--out", "out") == 0
    assert tree(seeds_cwd / "out") == {**FAKE.files, **{f"sources/{k}": v for k, v in sources.items()}}


def test_the_console_script_refuses_a_link_to_the_seed_folder(seeds_cwd: Path) -> None:
    """``ln -s seeds geolink && laovn-map build --out geolink`` once wrote the layers into seeds/."""
    (seeds_cwd / "geolink").symlink_to("seeds")
    before = _everything(seeds_cwd)
    script = Path(sys.executable).with_name("laovn-map")
    result = subprocess.run([script, "build", "--out", "geolink"], capture_output=True, text=True,
                            check=False, cwd=seeds_cwd,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: Refusing to replace geolink (that is {seeds_cwd}/seeds)")
    assert result.stderr.count("\n") == 1
    assert _everything(seeds_cwd) == before


def test_export_to_dev_stdout_writes_to_standard_output(tmp_path: Path) -> None:
    """/dev/stdout is a link to the process's own output, no file to replace."""
    from .conftest import FIXTURE

    result = _cli("export", "--format", "csv", "--geo", FIXTURE, "--out", "/dev/stdout",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeffmap_layer,") and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ("build", "--out", "loop"),
    ("check", "--out", "loop"),
    ("export", "--format", "csv", "--out", "loop"),
    ("export", "--format", "csv", "--geo", "loop"),
], ids=["build", "check", "export-out", "export-geo"])
def test_a_link_loop_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`Path.resolve` raises RuntimeError on a link loop (Python 3.11): no traceback."""
    from .conftest import FIXTURE, REAL_SEEDS

    shutil.copytree(REAL_SEEDS, tmp_path / "seeds")
    (tmp_path / "loop").symlink_to("loop")
    full = [*args, *(["--geo", FIXTURE] if args[0] == "export" and "--geo" not in args else [])]
    _one_line(_cli(*full, cwd=tmp_path))


def test_a_long_value_is_cut_in_its_message(tmp_path: Path) -> None:
    from .conftest import FIXTURE

    for option in ("--layers", "--format", "--size", "--lang", "--period"):
        value = "x" * 5000
        args = ["export", "--geo", FIXTURE, "--format", "csv", option, value]
        line = _one_line(_cli(*args, cwd=tmp_path))
        assert len(line) < 250 and "xxx..." in line, (option, line[:300])



def test_export_takes_every_language_of_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from laovn_map.i18n import LANGS

    from .conftest import FIXTURE

    with pytest.raises(SystemExit):
        run("export", "--help")
    assert f"{', '.join(LANGS)} (default en)" in " ".join(capsys.readouterr().out.split())
    monkeypatch.chdir(tmp_path)
    assert run("export", "--format", "csv", "--lang", "lo", "--layers", "provinces_la",
               "--geo", FIXTURE) == 0
    (written,) = tmp_path.iterdir()
    assert written.name == "laovn-map-lo-provincesla.csv"
