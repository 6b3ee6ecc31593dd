"""The out folder (``geo/``) on disk: replaced all at once under a lock, and checked against a build.

Why: the page reads files of the folder that must agree (the manifest holds the checksums of the
layers), so nobody may ever see the layers of one build beside the manifest of another, and two
builds must not write the same folder at once.

How :meth:`LockedFolder.replace` swaps ``<parent>/<name>`` (``geo`` below):

0. What may be replaced: a build replaces the whole folder, so it replaces only a missing or
   empty folder, one holding nothing but what a build carries (``sources/``), or a layer folder
   a build wrote (:func:`foreign_content`: its ``manifest.json`` names laovn-map as its
   ``generator`` and it holds nothing a build does not write), and never its own inputs, the
   seed and sources folders, or a folder holding them (:func:`input_clash`). A symbolic link is
   resolved and its target checked the same way. Both are checked under the lock, again before
   the swap.
1. The caller holds ``<parent>/.geo.lock`` (``flock``, exclusive, refused at once when another
   process holds it; the file holds the holder's pid and is removed when the lock is released).
2. Strays of an interrupted build are removed: the siblings ``.geo.staging-*`` and ``.geo.old-*``
   (when ``geo`` itself is missing and a ``.geo.old-*`` exists, the fallback of step 4 was cut
   between its two renames: that folder, the complete old build, is renamed back first). A lock
   file left by a killed build is simply taken over (``flock`` dies with its process).
3. The complete new folder is written as the sibling ``.geo.staging-<hex>``: the build's files,
   plus the entries of the old folder named in ``catalog.CARRIED`` (``sources/``, the raw
   inputs), hard-linked (copied where linking fails). Nothing else of the old folder is carried
   (a layer an older build wrote, the temporaries of earlier writers): ``check`` reports such
   entries. Files and folders are fsynced.
4. One atomic step replaces the old folder: ``renameat2(RENAME_EXCHANGE)`` through libc (Linux,
   glibc >= 2.28); a plain ``rename`` when there is no old folder. Fallback, where libc lacks
   ``renameat2`` or the filesystem refuses the exchange (EINVAL/ENOSYS/ENOTSUP): two renames,
   ``geo`` -> ``.geo.old-<hex>`` then staging -> ``geo``. Between them ``geo`` is missing (a
   reader finds no build, never a mix), and step 2 of the next build restores the old one.
5. The old folder (now at the staging name) is removed and the parent fsynced.

:func:`problems` (``laovn-map check``) compares every file of a build, ``seeds/`` included, and
reports strays, a held lock and a leftover lock file as problems.

Every filesystem change is preceded by :func:`_step`, the fault-injection point of the tests
(``LAOVN_KILL_AT_STEP=N`` kills the process with SIGKILL at the Nth change). ``OSError`` becomes a
:class:`LayerError` naming the path; nothing here catches ``KeyboardInterrupt``, but a failure or
interrupt before step 4 removes the staging folder and leaves the old one as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import secrets
import shutil
import signal
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from laovn_map.catalog import (
    ATTRIBUTION_FILE,
    CARRIED,
    GENERATOR_PREFIX,
    LAYER_FILES,
    MANIFEST,
    MAX_FILE_BYTES,
    TEXTS_DIR,
)
from laovn_map.errors import LayerError

#: Set to N to SIGKILL the process at its Nth filesystem change (the interrupted-build tests).
KILL_AT_STEP_ENV = "LAOVN_KILL_AT_STEP"
_steps_taken = 0


def _step(name: str) -> None:
    """Count one filesystem change about to happen (*name* says which, for the tests)."""
    global _steps_taken
    _steps_taken += 1
    if os.environ.get(KILL_AT_STEP_ENV) == str(_steps_taken):
        os.kill(os.getpid(), signal.SIGKILL)


# --- names beside and inside the out folder ------------------------------------------------------

@dataclass(frozen=True)
class OutFolder:
    """The out folder as the user named it, and the hidden siblings a build uses beside it."""

    path: Path

    @classmethod
    def of(cls, out_dir: Path) -> OutFolder:
        """Normalise *out_dir*; refuse names a swap cannot replace (``.``, ``/``, the cwd's parents)."""
        path = Path(os.path.normpath(out_dir))
        if path.is_symlink():
            # swap the folder the link points to, keep the link (realpath: a loop raises nothing)
            path = Path(os.path.realpath(path))
        absolute = Path(os.path.normpath(path.absolute()))
        if path.name in ("", ".", "..") or Path.cwd().is_relative_to(absolute):
            msg = (f"The layer folder {out_dir} contains the current folder; pass a folder of its "
                   "own as --out (such as geo).")
            raise LayerError(msg)
        return cls(path)

    @property
    def parent(self) -> Path:
        return self.path.parent

    @property
    def lock_path(self) -> Path:
        return self.parent / f".{self.path.name}.lock"

    @property
    def staging_prefix(self) -> str:
        return f".{self.path.name}.staging-"

    @property
    def old_prefix(self) -> str:
        return f".{self.path.name}.old-"

    def sibling_strays(self) -> list[Path]:
        """Staging and old folders beside the out folder (an interrupted build's leftovers)."""
        try:
            entries = sorted(self.parent.iterdir())
        except FileNotFoundError:
            return []
        return [p for p in entries if p.name.startswith((self.staging_prefix, self.old_prefix))]


def _owned(files: Mapping[str, bytes]) -> set[str]:
    """Top-level entries of the out folder that the build writes (``seeds`` for ``seeds/x.txt``)."""
    return {PurePosixPath(name).parts[0] for name in files}


def _is_old_temporary(name: str, owned: set[str]) -> bool:
    """``.border.geojson.k3j2x9q1``: a temporary the per-file writer of earlier versions left."""
    return any(name.startswith(f".{entry}.") for entry in owned)


def _fix(code: int | None) -> str:
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "pass an --out you can write to"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space and build again"
    return "fix that path and build again"


def _error(exc: OSError, path: Path, outcome: str) -> LayerError:
    """One line for an ``OSError``: the path the OS names (else *path*), the reason and the fix."""
    where = exc.filename or path
    return LayerError(f"Cannot update {where}: {exc.strerror or exc}; {_fix(exc.errno)} ({outcome}).")


# --- what a build may replace --------------------------------------------------------------------

#: The top-level entries of a layer folder a build wrote (besides an older build's layers,
#: ``*.geojson``, and the temporaries of earlier writers, which a rebuild drops).
_BUILD_ENTRIES = frozenset({*LAYER_FILES.values(), MANIFEST, ATTRIBUTION_FILE, TEXTS_DIR, *CARRIED})
_OLDER_LAYER_SUFFIX = ".geojson"


def input_clash(out: Path, inputs: Mapping[str, Path]) -> str | None:
    """Why replacing *out* would replace an input of the build (*inputs*: the seed and sources
    folders by what they are), or None. Paths are compared resolved, links and ``..`` followed;
    the sources folder may be the out folder's own ``sources/``, which a build carries."""
    target = Path(os.path.realpath(out))
    for what, folder in inputs.items():
        if not os.path.lexists(folder):  # nothing to lose; reading it will say it is missing
            continue
        real = Path(os.path.realpath(folder))
        if target == real:
            return f"is the {what} {folder}"
        if target.is_relative_to(real):
            return f"is inside the {what} {folder}"
        if real.is_relative_to(target) and real.relative_to(target).as_posix() not in CARRIED:
            return f"holds the {what} {folder}"
    return None


def foreign_content(path: Path) -> str | None:
    """Why the folder *path* is not one a build may replace (see the module docstring, step 0),
    or None. Refusing loses nothing; replacing a folder of someone's files would delete them."""
    try:
        names = sorted(entry.name for entry in path.iterdir())
    except FileNotFoundError:
        return None
    if all(name in CARRIED for name in names):
        return None
    if not _written_by_a_build(path / MANIFEST):
        return (f"holds files ({', '.join(names[:3])}{', …' if len(names) > 3 else ''}) and no "
                f"{MANIFEST} of a laovn-map build")
    owned = set(_BUILD_ENTRIES)
    for name in names:
        if name not in owned and not _is_old_temporary(name, owned) \
                and not (name.endswith(_OLDER_LAYER_SUFFIX) and (path / name).is_file()):
            return f"holds {name}, which no laovn-map build writes"
    return None


def _written_by_a_build(manifest: Path) -> bool:
    """Whether *manifest* is a regular file of at most MAX_FILE_BYTES whose JSON ``generator``
    names laovn-map (read without following a link or waiting on a FIFO)."""
    try:
        fd = os.open(manifest, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return False
        data = handle.read(MAX_FILE_BYTES + 1)
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):
        return False
    generator = parsed.get("generator") if isinstance(parsed, dict) else None
    return isinstance(generator, str) and generator.startswith(GENERATOR_PREFIX)


def _refuse_unless_replaceable(folder: OutFolder, out_dir: Path, inputs: Mapping[str, Path]) -> None:
    problem = input_clash(folder.path, inputs)
    if problem is None and folder.path.is_dir():
        problem = foreign_content(folder.path)
    if problem is not None:
        shown = out_dir if Path(os.path.normpath(out_dir)) == folder.path else \
            f"{out_dir} (that is {folder.path})"
        msg = (f"Refusing to replace {shown}: it {problem}; a build replaces the whole folder, "
               "so pass an empty or new folder, or a layer folder of an earlier build, as --out.")
        raise LayerError(msg)


# --- the lock ------------------------------------------------------------------------------------

@dataclass
class LockedFolder:
    """An out folder whose lock this process holds; :meth:`replace` swaps a build in."""

    folder: OutFolder
    #: The out folder as the user named it (for messages).
    out_dir: Path
    #: The build's inputs by what they are ("seed folder"): never replaced.
    inputs: Mapping[str, Path]
    #: True once the new folder is in place (an interrupt after that leaves the new build).
    replaced: bool = False

    def replace(self, files: Mapping[str, bytes]) -> None:
        """Make the out folder hold exactly *files* (paths relative to it) plus what it carried."""
        folder, out = self.folder, self.folder.path
        token = secrets.token_hex(4)
        staging = folder.parent / f"{folder.staging_prefix}{token}"
        try:
            _remove_strays(folder)
            _refuse_unless_replaceable(folder, self.out_dir, self.inputs)  # changed meanwhile?
            _refuse_conflicts(files, out)
            _stage(files, out, staging)
            # and again just before the swap: staging takes a while, and what was added to the
            # folder meanwhile would go with the old folder
            _refuse_unless_replaceable(folder, self.out_dir, self.inputs)
            swapped = _swap(staging, out, folder.parent / f"{folder.old_prefix}{token}")
        except OSError as exc:
            _discard(staging)
            raise _error(exc, out, f"{out} was left as it was") from None
        except BaseException:
            _discard(staging)
            raise
        self.replaced = True
        try:
            if swapped is not None:
                _remove_tree(swapped)
            _fsync_dir(folder.parent)
        except OSError as exc:
            outcome = f"{out} holds the new build; remove {swapped} by hand"
            raise _error(exc, out, outcome) from None


@contextmanager
def locked(out_dir: Path, inputs: Mapping[str, Path] | None = None) -> Iterator[LockedFolder]:
    """Hold the exclusive lock of *out_dir*, or raise :class:`LayerError` at once if it is held
    or if the folder is not one a build may replace (*inputs*: the build's input folders by
    what they are, ``{"seed folder": seeds}``).

    The lock file is removed on release; a lock file whose inode changed while we waited for it
    (its holder removed it) is opened again, so two processes can never both hold the lock.
    """
    inputs = inputs or {}
    folder = OutFolder.of(out_dir)
    if folder.path.exists() and not folder.path.is_dir():
        msg = f"The layer folder {out_dir} is a file; pass another --out or move the file away."
        raise LayerError(msg)
    _refuse_unless_replaceable(folder, out_dir, inputs)  # before any change: no lock file left
    _make_parents(folder.parent, out_dir)
    fd = _acquire(folder)
    try:
        _refuse_unless_replaceable(folder, out_dir, inputs)  # under the lock
        yield LockedFolder(folder, out_dir, inputs)
    finally:
        try:
            _step(f"unlock {folder.lock_path}")
            folder.lock_path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _make_parents(parent: Path, out_dir: Path) -> None:
    blocker = next((p for p in (parent, *parent.parents) if os.path.lexists(p)), None)
    if blocker is not None and not blocker.is_dir():
        msg = f"Cannot create the layer folder {out_dir}: {blocker} is a file; pass another --out."
        raise LayerError(msg)
    if blocker == parent:
        return
    try:
        _step(f"mkdir {parent}")
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error(exc, parent, "nothing was changed") from None


def _acquire(folder: OutFolder) -> int:
    path = folder.lock_path
    while True:
        try:
            _step(f"lock {path}")
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise _error(exc, path, "nothing was changed") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            msg = (f"Another laovn-map build{holder} is writing {folder.path} (lock {path}); wait "
                   "for it to finish, then build again.")
            raise LayerError(msg) from None
        except OSError as exc:
            os.close(fd)
            raise _error(exc, path, "nothing was changed") from None
        try:
            current = path.stat()
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            break
        os.close(fd)
    try:
        _step(f"pid {path}")
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except BaseException as exc:
        with suppress(OSError):
            path.unlink()  # still ours: nobody else can hold it
        os.close(fd)
        if isinstance(exc, OSError):
            raise _error(exc, path, "nothing was changed") from None
        raise
    return fd


def _holder(fd: int) -> str:
    """`` (pid 1234)`` from a lock file, or nothing when it holds no pid yet."""
    text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    return f" (pid {text})" if text.isdigit() else ""


def lock_problem(out_dir: Path) -> str | None:
    """Why the lock file of *out_dir* is a problem (held, or left by a killed build), if it is."""
    path = OutFolder.of(out_dir).lock_path
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path} cannot be read: {exc.strerror}"
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return f"{out_dir} is being written by another laovn-map build{_holder(fd)}; check again later"
    finally:
        os.close(fd)
    return f"{path} is left over from an interrupted build"


# --- filesystem steps ----------------------------------------------------------------------------

def _remove_strays(folder: OutFolder) -> None:
    strays = folder.sibling_strays()
    if not os.path.lexists(folder.path):
        old = next((p for p in strays if p.name.startswith(folder.old_prefix)), None)
        if old is not None:  # the fallback was cut between its renames: restore the old build
            _step(f"restore {old}")
            old.rename(folder.path)
            strays.remove(old)
    for stray in strays:
        _remove_tree(stray)


def _stage(files: Mapping[str, bytes], out: Path, staging: Path) -> None:
    """Write the complete new folder at *staging*: *files*, then what the old one carries."""
    _step(f"mkdir {staging}")
    staging.mkdir()
    synced = [staging]
    if out.is_dir():
        staging.chmod(stat.S_IMODE(out.stat().st_mode))
    for name in sorted(files):
        target = staging / name
        for folder in reversed(target.relative_to(staging).parents[:-1]):
            if not (staging / folder).is_dir():
                _step(f"mkdir {staging / folder}")
                (staging / folder).mkdir()
                synced.append(staging / folder)
        _write_file(target, files[name])
    if out.is_dir():
        owned = _owned(files)
        for entry in sorted(out.iterdir()):
            if entry.name in CARRIED and entry.name not in owned:
                _carry(entry, staging / entry.name, synced)
    for folder in synced:
        _fsync_dir(folder)


def _carry(source: Path, target: Path, synced: list[Path]) -> None:
    """Hard-link (or copy) *source*, a folder recursively, to *target*; new folders go to *synced*."""
    info = os.lstat(source)
    _step(f"carry {target}")
    if stat.S_ISDIR(info.st_mode):
        target.mkdir()
        target.chmod(stat.S_IMODE(info.st_mode))
        synced.append(target)
        for entry in sorted(source.iterdir()):
            _carry(entry, target / entry.name, synced)
    elif stat.S_ISLNK(info.st_mode):
        target.symlink_to(source.readlink())
    else:
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:  # no hard links here (another filesystem, FAT, EMLINK): a copy
            shutil.copy2(source, target, follow_symlinks=False)
            with target.open("rb") as handle:
                os.fsync(handle.fileno())


def _write_file(path: Path, data: bytes) -> None:
    _step(f"write {path}")
    with path.open("xb") as handle:
        os.fchmod(handle.fileno(), 0o644)  # whatever the umask: layers are meant to be read
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_tree(path: Path) -> None:
    """``shutil.rmtree`` with a :func:`_step` before each removal, never following links."""
    if path.is_symlink() or not path.is_dir():
        _step(f"remove {path}")
        path.unlink()
        return
    for entry in sorted(path.iterdir()):
        _remove_tree(entry)
    _step(f"remove {path}")
    path.rmdir()


def _discard(staging: Path) -> None:
    """Remove a staging folder after a failure; what cannot be removed the next build removes."""
    with suppress(OSError):
        _remove_tree(staging)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with ``renameat2``; False where libc or the filesystem cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, out: Path, old: Path) -> Path | None:
    """Put *staging* at *out*; return where the old folder now is (None: there was none)."""
    if not os.path.lexists(out):
        _step(f"rename {staging} {out}")
        staging.rename(out)
        return None
    _step(f"exchange {staging} {out}")
    if _exchange(staging, out):
        return staging
    _step(f"rename {out} {old}")  # the fallback: see the module docstring, step 4
    out.rename(old)
    try:
        _step(f"rename {staging} {out}")
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    return old


def _refuse_conflicts(files: Mapping[str, bytes], out: Path) -> None:
    """A folder of the old build where the build writes a file (or a file where it needs a folder)."""
    for name in sorted(files):
        parts = PurePosixPath(name).parts
        for depth in range(1, len(parts) + 1):
            path = out.joinpath(*parts[:depth])
            wants_folder = depth < len(parts)
            if os.path.lexists(path) and path.is_dir() != wants_folder:
                kind, needed = ("a folder", "file") if not wants_folder else ("a file", "folder")
                msg = (f"{path} is {kind} where the build writes a {needed}; move it away and build "
                       f"again ({out} was left as it was).")
                raise LayerError(msg)


# --- the check -----------------------------------------------------------------------------------

def problems(files: Mapping[str, bytes], out_dir: Path) -> list[str]:
    """How *out_dir* differs from a build of *files* (empty: up to date), strays and lock included."""
    try:
        return _problems(files, OutFolder.of(out_dir), out_dir)
    except OSError as exc:  # a folder that cannot be listed
        where = exc.filename or out_dir
        msg = f"Cannot read {where}: {exc.strerror}; make it readable or pass another --out."
        raise LayerError(msg) from None


def _problems(files: Mapping[str, bytes], folder: OutFolder, out_dir: Path) -> list[str]:
    out = folder.path
    found = [f"{p} is left over from an interrupted build" for p in folder.sibling_strays()]
    if (lock := lock_problem(out_dir)) is not None:
        found.append(lock)
    if not out.is_dir():
        return [*found, f"{out} is missing" if not os.path.lexists(out) else f"{out} is not a folder"]
    owned = _owned(files)
    for name in sorted(p.name for p in out.iterdir()):
        if _is_old_temporary(name, owned):
            found.append(f"{out / name} is left over from an interrupted build")
        elif name not in owned and name not in CARRIED:
            found.append(f"{out / name} is not part of a fresh build (a rebuild drops it)")
    for name, data in sorted(files.items()):
        path = out / name
        if path.is_dir():
            found.append(f"{path} is a folder where a fresh build has a file")
        elif not path.exists():
            found.append(f"{path} is missing")
        else:
            try:
                same = path.read_bytes() == data
            except OSError as exc:
                found.append(f"{path} cannot be read: {exc.strerror}")
                continue
            if not same:
                found.append(f"{path} differs from a fresh build")
    for entry in sorted(owned):
        if (out / entry).is_dir():
            extra = [p for p in sorted((out / entry).rglob("*"))
                     if not p.is_dir() and p.relative_to(out).as_posix() not in files]
            found += [f"{p} is not part of a fresh build" for p in extra]
    return found
