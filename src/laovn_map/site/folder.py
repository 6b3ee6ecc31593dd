"""The site's folder, replaced whole or not at all: the files go into a hidden staging folder
beside it (`.<name>.site-<pid>-<hex>`), then that folder takes the old one's place by two
renames, and the old one is removed. An error or Ctrl-C while writing leaves the old site as
it was and removes the staging folder.

Only a folder that is missing, empty or a site this command wrote (its mark file,
`pages.MARK_FILE`) is replaced; a folder holding the layer folder, or inside it, never.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

from laovn_map.atomicfile import process_running
from laovn_map.errors import SiteError
from laovn_map.site.pages import MARK_FILE

_LEFT_OVER = r"\.{name}\.(?:site|old)-(\d+)-[0-9a-f]{{8}}"


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def refusal(out: Path, geo: Path) -> str | None:
    """Why `out` may not be (re)written as a site, or None."""
    real, layers = _real(out), _real(geo)
    if real == layers or real.is_relative_to(layers):
        return f"{out}: is inside the layer folder {geo}, which only `laovn-map build` writes"
    if layers.is_relative_to(real):
        return f"{out}: holds the layer folder {geo}"
    if not real.parent.is_dir():
        return f"{out}: its folder {out.parent} does not exist"
    if real.exists() and not real.is_dir():
        return f"{out}: is not a folder"
    if real.is_dir() and any(real.iterdir()) and not (real / MARK_FILE).is_file():
        return (f"{out}: holds files and is no site `laovn-map site` wrote (no {MARK_FILE}); "
                "empty it or choose another --out")
    return None


def write_site(out: Path, files: Mapping[str, bytes], geo: Path) -> None:
    """Make the folder `out` hold exactly `files` (path relative to it → bytes), or leave it as
    it was; a link to a folder is kept and its target replaced. Raises `SiteError` naming
    `out` and the reason."""
    problem = refusal(out, geo)
    if problem:
        raise SiteError(problem + "; nothing was changed")
    target = _real(out)
    _remove_left_overs(target)
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    staging = target.with_name(f".{target.name}.site-{token}")
    try:
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _swap(staging, target, target.with_name(f".{target.name}.old-{token}"))
    except OSError as exc:
        raise SiteError(f"{out}: cannot be written ({exc.strerror or exc}); "
                        "the folder is as it was") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path, old: Path) -> None:
    """`staging` in `target`'s place; the old folder removed once the new one is in."""
    if not target.exists():
        staging.rename(target)
        return
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove_left_overs(target: Path) -> None:
    """The staging and old folders of a writer of `target` killed outright (its process gone)."""
    pattern = re.compile(_LEFT_OVER.format(name=re.escape(target.name)))
    try:
        found = list(target.parent.iterdir())
    except OSError:
        return
    for path in found:
        match = pattern.fullmatch(path.name)
        if match and not process_running(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)

