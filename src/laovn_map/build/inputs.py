"""Where the build's inputs are when the command line names none.

In a checkout, the current folder's ``seeds/`` and ``geo/sources/``: the inputs people edit. An
installed wheel carries a copy of both (``setup.py`` puts them in ``bundled/`` beside this
module), so ``laovn-map build --out DIR`` works in any folder. A folder named on the command
line is always used as it is.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT_SEEDS = Path("seeds")
CHECKOUT_SOURCES = Path("geo") / "sources"


def bundled(name: str) -> Path:
    """The copy of the input *name* (``seeds`` or ``sources``) that a wheel carries."""
    return Path(str(resources.files("laovn_map.build") / "bundled" / name))


def default_seeds() -> Path:
    return _first_folder(CHECKOUT_SEEDS, bundled("seeds"))


def default_sources() -> Path:
    return _first_folder(CHECKOUT_SOURCES, bundled("sources"))


def _first_folder(checkout: Path, packaged: Path) -> Path:
    """The checkout's folder, else the wheel's copy; neither: the checkout's, for the error to name."""
    if checkout.is_dir() or not packaged.is_dir():
        return checkout
    return packaged
