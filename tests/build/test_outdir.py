"""The out folder on disk: swapped whole under a lock, never a mix of two builds, strays removed,
every OSError one line naming its path. Small fake builds here; the real one is in test_cli.py."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from laovn_map.build import outdir
from laovn_map.errors import LayerError

from ..conftest import ROOT

NEW = {"border.geojson": b'{"build": "new"}\n',
       "manifest.json": b'{"generator": "laovn-map new", "layers": []}\n',
       "seeds/a.en.txt": b"new English text\n", "seeds/b.vi.txt": b"new Vietnamese text\n"}
OLD = {"border.geojson": b'{"build": "old"}\n',
       "manifest.json": b'{"generator": "laovn-map old", "layers": []}\n',
       "sources/aliases.csv": b"alias,name\n", "sources/naturalearth/admin1.geojson": b"{}\n"}
#: What the per-file writer of earlier versions left inside the folder when it was killed.
OLD_TEMPORARY = ".border.geojson.k3j2x9q1"


def tree(folder: Path) -> dict[str, bytes] | None:
    """Every file under *folder* by relative path (None: the folder does not exist)."""
    if not folder.exists():
        return None
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def folder_in_place_of(path: Path) -> None:
    path.unlink()
    path.mkdir()


def file_in_place_of(path: Path) -> None:
    shutil.rmtree(path)
    path.write_bytes(b"")


def siblings(out: Path) -> list[str]:
    """What lies beside the out folder besides it (lock, staging, old folders)."""
    return sorted(p.name for p in out.parent.iterdir() if p != out)


def build(out: Path, files: dict[str, bytes] = NEW) -> outdir.LockedFolder:
    with outdir.locked(out) as folder:
        folder.replace(files)
    return folder


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """An out folder holding an older build, its sources and a temporary of a killed writer."""
    return make(tmp_path / "geo", {**OLD, OLD_TEMPORARY: b"half a layer"})


#: The folder after building NEW over ``old``: the new files, the old sources, no temporary.
AFTER = {**NEW, **{k: v for k, v in OLD.items() if k.startswith("sources/")}}


def test_first_build_renames_the_staging_folder_into_place(tmp_path: Path) -> None:
    out = tmp_path / "new" / "geo"
    build(out)
    assert tree(out) == NEW
    assert siblings(out) == []
    assert {(out / n).stat().st_mode & 0o777 for n in NEW} == {0o644}


def test_build_replaces_the_old_folder_and_carries_sources_by_hard_link(old: Path) -> None:
    inode = (old / "sources/aliases.csv").stat().st_ino
    build(old)
    assert tree(old) == AFTER  # the old layers and the killed writer's temporary are gone
    assert (old / "sources/aliases.csv").stat().st_ino == inode
    assert siblings(old) == []


def test_a_rebuild_drops_what_it_neither_writes_nor_carries(old: Path) -> None:
    """Only sources/ is carried: a layer an older build wrote does not linger."""
    (old / "old_layer.geojson").write_bytes(b"{}")
    build(old)
    assert tree(old) == AFTER


def test_build_copies_what_cannot_be_hard_linked(old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    build(old)
    assert tree(old) == AFTER


def test_building_twice_gives_the_same_folder(old: Path) -> None:
    build(old)
    build(old)
    assert tree(old) == AFTER


def test_a_second_build_refuses_at_once_naming_the_folder_and_the_holder(old: Path) -> None:
    with outdir.locked(old), pytest.raises(LayerError) as refused:
        build(old)
    assert str(refused.value) == (
        f"Another laovn-map build (pid {os.getpid()}) is writing {old} (lock "
        f"{old.parent / '.geo.lock'}); wait for it to finish, then build again.")
    assert tree(old) == {**OLD, OLD_TEMPORARY: b"half a layer"}
    assert siblings(old) == []


def test_a_lock_file_left_by_a_killed_build_is_taken_over(old: Path) -> None:
    (old.parent / ".geo.lock").write_text("999999\n", encoding="ascii")
    build(old)
    assert tree(old) == AFTER
    assert siblings(old) == []


def test_strays_beside_the_folder_are_removed(old: Path) -> None:
    make(old.parent / ".geo.staging-0badc0de", {"border.geojson": b"half", "sources/x": b"x"})
    make(old.parent / ".geo.old-0badc0de", OLD)
    build(old)
    assert tree(old) == AFTER
    assert siblings(old) == []


def test_without_renameat2_two_renames_give_the_same_result(
        old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    build(old)
    assert tree(old) == AFTER
    assert siblings(old) == []


def test_a_fallback_cut_between_its_renames_is_restored_by_the_next_build(tmp_path: Path) -> None:
    """The folder is missing, the old build at ``.geo.old-*``, the complete new one at staging."""
    out = tmp_path / "geo"
    make(tmp_path / ".geo.old-12345678", OLD)
    make(tmp_path / ".geo.staging-12345678", {**NEW, "sources/aliases.csv": b"alias,name\n"})
    assert outdir.problems(NEW, out) == [
        f"{tmp_path / '.geo.old-12345678'} is left over from an interrupted build",
        f"{tmp_path / '.geo.staging-12345678'} is left over from an interrupted build",
        f"{out} is missing"]
    build(out)
    assert tree(out) == AFTER  # sources/ came from the restored old folder
    assert siblings(out) == []


# --- check ---------------------------------------------------------------------------------------

CHECKS: list[tuple[str, Callable[[Path], object], list[str]]] = [
    ("up-to-date", lambda out: None, []),
    ("stray-staging", lambda out: make(out.parent / ".geo.staging-abcd0123", NEW),
     ["{parent}/.geo.staging-abcd0123 is left over from an interrupted build"]),
    ("old-temporary", lambda out: (out / OLD_TEMPORARY).write_bytes(b""),
     [f"{{out}}/{OLD_TEMPORARY} is left over from an interrupted build"]),
    ("stale-lock", lambda out: (out.parent / ".geo.lock").write_bytes(b"4321\n"),
     ["{parent}/.geo.lock is left over from an interrupted build"]),
    ("extra-seed", lambda out: (out / "seeds/c.txt").write_bytes(b""),
     ["{out}/seeds/c.txt is not part of a fresh build"]),
    ("missing-seed", lambda out: (out / "seeds/b.vi.txt").unlink(), ["{out}/seeds/b.vi.txt is missing"]),
    ("changed-seed", lambda out: (out / "seeds/a.en.txt").write_bytes(b"edited\n"),
     ["{out}/seeds/a.en.txt differs from a fresh build"]),
    ("folder-for-layer", lambda out: folder_in_place_of(out / "border.geojson"),
     ["{out}/border.geojson is a folder where a fresh build has a file"]),
    ("no-folder", lambda out: outdir._remove_tree(out), ["{out} is missing"]),
    ("stale-layer", lambda out: (out / "old_layer.geojson").write_bytes(b"{}"),
     ["{out}/old_layer.geojson is not part of a fresh build (a rebuild drops it)"]),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CHECKS], ids=[c[0] for c in CHECKS])
def test_check_reports_every_difference_stray_and_leftover_lock(
        tmp_path: Path, change: Callable[[Path], object], expected: list[str]) -> None:
    out = tmp_path / "geo"
    build(out)
    change(out)
    assert outdir.problems(NEW, out) == [e.format(out=out, parent=tmp_path) for e in expected]


def test_check_reports_a_folder_another_build_is_writing(tmp_path: Path) -> None:
    out = tmp_path / "geo"
    build(out)
    with outdir.locked(out):
        assert outdir.problems(NEW, out) == [
            f"{out} is being written by another laovn-map build (pid {os.getpid()}); check again later"]


def test_check_of_an_unreadable_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """EACCES listing the folder, simulated by patching os.listdir (root may read anything)."""
    out = tmp_path / "geo"
    build(out)
    fail_on(monkeypatch, os, "listdir", errno.EACCES, lambda p: p == str(out))
    with pytest.raises(LayerError) as refused:
        outdir.problems(NEW, out)
    assert str(refused.value) == (
        f"Cannot read {out}: Permission denied; make it readable or pass another --out.")


# --- errors: one line naming the path and the fix, the old folder as it was ----------------------

def _left_as_it_was(old: Path) -> None:
    assert tree(old) == {**OLD, OLD_TEMPORARY: b"half a layer"}
    assert siblings(old) == []


def test_out_that_is_a_file_or_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(LayerError, match=r"^The layer folder .*/f is a file; pass another --out"):
        build(tmp_path / "f")
    with pytest.raises(LayerError, match=r"^Cannot create the layer folder .*/f/a/geo: .*/f is a file; "):
        build(tmp_path / "f" / "a" / "geo")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


@pytest.mark.parametrize("out", [".", "..", "/"])
def test_out_that_holds_the_current_folder_is_refused(out: str) -> None:
    with pytest.raises(LayerError, match="contains the current folder; pass a folder of its own"):
        build(Path(out))


def test_a_layer_path_that_is_a_folder_in_the_old_build_is_refused(old: Path) -> None:
    (old / "border.geojson").unlink()
    make(old / "border.geojson", {"notes.txt": b"mine"})
    with pytest.raises(LayerError) as refused:
        build(old)
    assert str(refused.value) == (f"{old}/border.geojson is a folder where the build writes a file; "
                                  f"move it away and build again ({old} was left as it was).")
    assert (old / "border.geojson/notes.txt").read_bytes() == b"mine"
    assert siblings(old) == []


def fail_on(monkeypatch: pytest.MonkeyPatch, module: object, name: str, code: int,
             when: Callable[[str], bool]) -> None:
    """Make ``module.name(path, ...)`` raise OSError(code) for the paths *when* selects."""
    real = getattr(module, name)

    def failing(path: object, *args: object, **kwargs: object) -> object:
        if when(os.fspath(path)):  # type: ignore[call-overload]
            raise OSError(code, os.strerror(code), os.fspath(path))  # type: ignore[call-overload]
        return real(path, *args, **kwargs)

    monkeypatch.setattr(module, name, failing)


def test_a_read_only_location_is_one_line_and_changes_nothing(
        old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """EROFS when creating the staging folder. Simulated (the os call is patched in-process):
    the tests run as root, for whom neither permission bits nor a read-only bind are simple."""
    fail_on(monkeypatch, os, "mkdir", errno.EROFS, lambda p: ".geo.staging-" in p)
    with pytest.raises(LayerError, match=(
            rf"^Cannot update {old.parent}/.geo.staging-[0-9a-f]{{8}}: Read-only file system; pass an "
            rf"--out you can write to \({old} was left as it was\)\.$")):
        build(old)
    _left_as_it_was(old)


def test_an_unwritable_parent_is_one_line_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """EACCES when creating the lock file, and EROFS when creating a missing parent folder.
    Simulated by patching os.open/os.mkdir in-process (root ignores permission bits)."""
    fail_on(monkeypatch, os, "open", errno.EACCES, lambda p: p.endswith(".geo.lock"))
    with pytest.raises(LayerError) as refused:
        build(tmp_path / "geo")
    assert str(refused.value) == (f"Cannot update {tmp_path}/.geo.lock: Permission denied; pass an "
                                  "--out you can write to (nothing was changed).")
    fail_on(monkeypatch, os, "mkdir", errno.EROFS, lambda p: p.endswith("/missing"))
    with pytest.raises(LayerError, match=r"Cannot update .*/missing: Read-only file system; pass an"):
        build(tmp_path / "missing" / "geo")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_staging_removes_the_staging_folder(
        old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(LayerError, match=rf"^Cannot update {old}: No space left on device; free some "
                                         rf"disk space and build again \({old} was left as it was\)"):
        build(old)
    _left_as_it_was(old)


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "second-rename"])
def test_a_failed_swap_leaves_the_old_folder(old: Path, monkeypatch: pytest.MonkeyPatch,
                                             fallback: bool) -> None:
    if fallback:
        monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
        fail_on(monkeypatch, os, "rename", errno.EBUSY, lambda p: ".geo.staging-" in p)
    else:
        fail_on(monkeypatch, outdir, "_exchange", errno.EBUSY, lambda p: True)
    with pytest.raises(LayerError, match=r"^Cannot update .*: Device or resource busy; fix that path "
                                         rf"and build again \({old} was left as it was\)\.$"):
        build(old)
    _left_as_it_was(old)


# --- interrupts: Ctrl-C at every step, SIGKILL at every step --------------------------------------

def steps_of(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> list[str]:
    """The names of the filesystem changes *run* makes, in order."""
    names: list[str] = []
    monkeypatch.setattr(outdir, "_step", names.append)
    run()
    monkeypatch.undo()
    return names


def test_ctrl_c_at_any_step_leaves_the_old_or_the_new_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = make(tmp_path / "count" / "geo", OLD)
    steps = steps_of(monkeypatch, lambda: build(out))
    exchange = next(i for i, s in enumerate(steps) if s.startswith("exchange"))
    for index in range(len(steps)):
        out = make(tmp_path / str(index) / "geo", OLD)
        taken: list[str] = []

        def step(name: str, index: int = index, taken: list[str] = taken) -> None:
            taken.append(name)
            if len(taken) == index + 1:
                raise KeyboardInterrupt

        monkeypatch.setattr(outdir, "_step", step)
        held: list[outdir.LockedFolder] = []
        with pytest.raises(KeyboardInterrupt), outdir.locked(out) as folder:
            held.append(folder)
            folder.replace(NEW)
        monkeypatch.undo()
        replaced = bool(held) and held[0].replaced
        assert replaced == (index > exchange), steps[index]
        assert tree(out) == (AFTER if replaced else OLD), steps[index]
        if not replaced:
            assert [s for s in siblings(out) if "staging" in s] == [], steps[index]
        build(out)
        assert tree(out) == AFTER
        assert siblings(out) == []


_KILLED_BUILD = """
import json, sys
from pathlib import Path
from laovn_map.build import outdir
if sys.argv[3] == "fallback":
    outdir._exchange = lambda a, b: False
files = {k: v.encode() for k, v in json.loads(Path(sys.argv[2]).read_text()).items()}
with outdir.locked(Path(sys.argv[1])) as folder:
    folder.replace(files)
"""


@pytest.mark.parametrize(("start", "mode"), [("old", "exchange"), ("none", "exchange"),
                                             ("old", "fallback")])
def test_sigkill_at_every_step_leaves_the_old_or_the_new_folder_and_no_strays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str, mode: str) -> None:
    """The build runs in a subprocess killed (SIGKILL) at its Nth filesystem change, for every N."""
    files = tmp_path / "files.json"
    files.write_text(json.dumps({k: v.decode() for k, v in NEW.items()}), encoding="utf-8")
    before = {**OLD, OLD_TEMPORARY: b"half a layer"} if start == "old" else None
    after = AFTER if start == "old" else NEW

    def fresh(name: str) -> Path:
        out = tmp_path / name / "geo"
        out.parent.mkdir()
        return make(out, before) if before is not None else out

    out = fresh("count")
    if mode == "fallback":
        monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    steps = steps_of(monkeypatch, lambda: build(out))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for number in range(1, len(steps) + 2):
        out = fresh(str(number))
        result = subprocess.run(
            [sys.executable, "-c", _KILLED_BUILD, out, files, mode], cwd=tmp_path, check=False,
            env={**env, outdir.KILL_AT_STEP_ENV: str(number)}, capture_output=True)
        killed = number <= len(steps)
        assert result.returncode == (-signal.SIGKILL if killed else 0), (number, result.stderr)
        state = tree(out)
        if mode == "fallback" and state is None and before is not None:
            assert re.match(r"rename \S*/\.geo\.staging-", steps[number - 1]), steps[number - 1]
        else:
            assert state in (before, after), steps[number - 1] if killed else "complete"
        if mode == "fallback":
            monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
        build(out)
        monkeypatch.undo()
        assert tree(out) == after
        assert siblings(out) == [], steps[number - 1] if killed else "complete"


# --- what a build may replace (the CLI's cases are in test_cli.py) -------------------------------

def test_a_folder_holding_an_input_is_refused_but_its_own_sources_are_not(tmp_path: Path) -> None:
    out, seeds = tmp_path / "data", tmp_path / "data" / "texts" / "seeds"
    seeds.mkdir(parents=True)
    (out / "sources").mkdir()
    inputs = {"seed folder": seeds, "sources folder": out / "sources"}
    assert outdir.input_clash(out, inputs) == f"holds the seed folder {seeds}"
    assert outdir.input_clash(out, {"sources folder": out / "sources"}) is None
    assert outdir.input_clash(out, {"seed folder": tmp_path / "missing"}) is None


@pytest.mark.parametrize("manifest", ["fifo", "link", "huge", "list"])
def test_a_manifest_that_is_no_build_s_makes_the_folder_foreign(tmp_path: Path, manifest: str) -> None:
    out = make(tmp_path / "geo", OLD)
    path = out / "manifest.json"
    if manifest == "fifo":  # opened non-blocking: the check never waits for a writer
        path.unlink()
        os.mkfifo(path)
    elif manifest == "link":  # a build writes a file, never a link
        path.rename(tmp_path / "manifest.json")
        path.symlink_to(tmp_path / "manifest.json")
    elif manifest == "huge":
        with path.open("ab") as handle:
            handle.truncate(outdir.MAX_FILE_BYTES + 1)
    else:
        path.write_bytes(b'["laovn-map 0.1.0"]')
    problem = outdir.foreign_content(out)
    assert problem is not None and "no manifest.json of a laovn-map build" in problem


def test_a_folder_changed_after_the_lock_is_refused_at_the_swap(old: Path) -> None:
    refused = pytest.raises(LayerError, match=r"it holds notes\.txt, which no laovn-map build writes")
    with refused, outdir.locked(old) as folder:
        (old / "notes.txt").write_bytes(b"written while the build ran")
        folder.replace(NEW)
    assert (old / "notes.txt").read_bytes() == b"written while the build ran"
    assert (old / "border.geojson").read_bytes() == OLD["border.geojson"]
    assert [p for p in siblings(old) if not p.endswith(".lock")] == []


def test_a_file_added_while_the_new_folder_is_staged_is_kept(
        old: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging writes and syncs every file (the long step): a file someone adds to the folder
    meanwhile must stop the swap, not leave with the old folder."""
    stage = outdir._stage

    def slow_stage(*args: object, **kwargs: object) -> None:
        stage(*args, **kwargs)  # type: ignore[arg-type]
        (old / "notes.txt").write_bytes(b"written while the build staged")

    monkeypatch.setattr(outdir, "_stage", slow_stage)
    with pytest.raises(LayerError, match=r"it holds notes\.txt"), outdir.locked(old) as folder:
        folder.replace(NEW)
    assert (old / "notes.txt").read_bytes() == b"written while the build staged"
    assert (old / "border.geojson").read_bytes() == OLD["border.geojson"]
    assert [p for p in siblings(old) if not p.endswith(".lock")] == []
