"""The real border, derived once for the whole session (tests/build/borderdata.py)."""

from __future__ import annotations

from typing import Any

import pytest

from .borderdata import real_border


@pytest.fixture(scope="session")
def real() -> dict[str, Any]:
    """Everything derived from the real sources once: polygons, line, conformed provinces."""
    return real_border()
