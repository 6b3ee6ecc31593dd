"""laovn_map.atomicfile: a file is replaced whole or not at all (exports, the figures block)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from laovn_map import atomicfile
from laovn_map.errors import LayerError
from laovn_map.geo import summary

OLD = b"old bytes\n"


def _fail_after_part(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """The write gets half its bytes to disk, then *error* (a full disk, Ctrl-C)."""
    def half_then_fail(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise error

    monkeypatch.setattr(atomicfile, "_write_all", half_then_fail)


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   KeyboardInterrupt()], ids=["full-disk", "ctrl-c"])
def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary(
        error: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "map.csv"
    target.write_bytes(OLD)
    _fail_after_part(monkeypatch, error)
    with pytest.raises(type(error)):
        atomicfile.write_atomically(target, b"new " * 10_000)
    assert target.read_bytes() == OLD
    assert list(tmp_path.iterdir()) == [target]


def test_a_symlink_is_written_through_and_permissions_are_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.kml"
    real.write_bytes(OLD)
    real.chmod(0o640)
    link = tmp_path / "link.kml"
    link.symlink_to(real)
    atomicfile.write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.kml", "real.kml"]


def test_the_figures_block_is_written_whole_or_not_at_all(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    readme = tmp_path / "README.md"
    text = f"intro\n{summary.BEGIN}\nold\n{summary.END}\nrest\n"
    readme.write_text(text, encoding="utf-8")
    summary.write_block(readme, f"{summary.BEGIN}\nnew\n{summary.END}\n")
    assert readme.read_text(encoding="utf-8") == text.replace("old", "new")
    _fail_after_part(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(LayerError, match=r"Cannot write .*README.md \(No space left on device\); "
                                         r"nothing was changed"):
        summary.write_block(readme, f"{summary.BEGIN}\nnewer\n{summary.END}\n")
    assert readme.read_text(encoding="utf-8") == text.replace("old", "new")
    assert list(tmp_path.iterdir()) == [readme]


@pytest.mark.parametrize("through_a_link", [False, True], ids=["fifo", "link-to-fifo"])
def test_a_fifo_is_written_into_not_replaced(tmp_path: Path, through_a_link: bool) -> None:
    """A target that is no regular file (a FIFO here; /dev/stdout, a device) is written into:
    a rename over it would put a file in its place (as root, over /dev/null too)."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if through_a_link:
        target = tmp_path / "link"
        target.symlink_to(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    atomicfile.write_atomically(target, b"the export\n")
    reader.join(10)
    assert got == [b"the export\n"]
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["pipe", *(["link"] if through_a_link else [])])
