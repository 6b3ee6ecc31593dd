"""What a path is when it is not a regular file: every reader of the project's files (the seed
reader of the build, the layer reader of the page) refuses the others, which may block (a FIFO)
or never end (a device), and names what it found in the same words."""

from __future__ import annotations

import stat

_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
               (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"))


def file_kind(mode: int) -> str | None:
    """What a file of *mode* is when it is not a regular file (None when it is)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _FILE_KINDS if test(mode)), "another kind of file")
