"""Replace a file whole or not at all: the one way the CLI writes a file outside `geo/`
(exports, the figures block of docs/data.md).

The bytes go to a temporary file in the target's own folder (a rename is atomic only within
one filesystem), are fsync'd, then renamed over the target: a full disk, an error or Ctrl-C
leaves the old file as it was and removes the temporary. A process killed outright (SIGKILL,
SIGTERM) cannot remove its temporary; its name carries the process id, and the next write to
the same file removes those whose process is gone.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from pathlib import Path

#: How much is handed to one write() (the kernel may take less; the rest follows).
_CHUNK = 1 << 20


def write_atomically(path: Path, data: bytes) -> None:
    """Make *path* hold *data*, or leave it as it was. A symlink is written through (its target
    is replaced, the link kept); an existing file's permissions are kept. A target that is not a
    regular file (a FIFO, a device, /dev/stdout) is written into as it is, never replaced by a
    file. Raises `OSError` with the error of the step that failed (the caller names *path*)."""
    if _is_special(path):  # through its links as the kernel follows them (/proc's too)
        _write_into(path, data)
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    remove_left_over(target)
    mode = _kept_mode(target)
    temporary = temporary_name(target, os.getpid())
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def _is_special(target: Path) -> bool:
    """Whether *target* exists and is not a regular file (nor a folder, which the write refuses)."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_into(target: Path, data: bytes) -> None:
    """Write *data* into a FIFO or a device as it is: no temporary, no rename (as root, a rename
    over /dev/null would replace the device with a file)."""
    fd = os.open(target, os.O_WRONLY | os.O_CLOEXEC)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def temporary_name(target: Path, pid: int) -> Path:
    """`.<name>.<pid>-<random>.tmp` beside *target*: hidden, and whose it is."""
    return target.with_name(f".{target.name}.{pid}-{secrets.token_hex(4)}.tmp")


def remove_left_over(target: Path) -> list[Path]:
    """Remove the temporaries of *target* whose writer no longer runs; return them."""
    pattern = re.compile(re.escape(f".{target.name}.") + r"(\d+)-[0-9a-f]{8}\.tmp")
    removed: list[Path] = []
    try:
        found = [p for p in target.parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return removed  # the write that follows reports the folder's problem
    for path in found:
        match = pattern.fullmatch(path.name)
        if match and not process_running(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def process_running(pid: int) -> bool:
    """Whether process `pid` still runs: a writer's leftovers are removed only once it is gone
    (also the site's folder, `site.folder`)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a name not ours): leave its file alone
    return True


def _kept_mode(target: Path) -> int | None:
    try:
        found = target.stat()
    except OSError:
        return None
    return stat.S_IMODE(found.st_mode) if stat.S_ISREG(found.st_mode) else None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    """Put the rename itself on disk (without it a power cut may bring back the old file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a folder; the file's own bytes are synced
    finally:
        os.close(fd)
