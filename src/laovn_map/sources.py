"""The one place that reads the open datasets of ``geo/sources/`` (registered in ``catalog``).

Known quirks of Natural Earth are fixed here, once, in
:data:`NATURAL_EARTH_FIXES`, not scattered through the code.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from laovn_map.catalog import ALIASES, DATASETS, NE_ADMIN1, Dataset
from laovn_map.errors import GeometryError

Feature = dict[str, Any]


#: The datasets read from the sources folder (the others come in packages).
FILE_DATASETS: tuple[Dataset, ...] = tuple(d for d in DATASETS if d.path)

#: Natural Earth 1:10m admin-1 quirks, fixed before matching (see geo/sources/SOURCES.md).
#: (adm1_code, property, corrected value, why)
NATURAL_EARTH_FIXES: tuple[tuple[str, str, str, str], ...] = (
    # Vientiane Prefecture and Vientiane Province share LA-VI; ISO 3166-2 gives the prefecture LA-VT.
    ("LAO-3283", "iso_3166_2", "LA-VT", "ISO 3166-2:LA code of Vientiane Prefecture"),
    # Three Vietnamese features carry a region's name; their gn_name gives the province.
    ("VNM-497", "name", "Đồng Nai", "feature named after the South East region"),
    ("VNM-451", "name", "Bắc Kạn", "feature named after the North East region"),
    ("VNM-461", "name", "Hưng Yên", "feature named after the Red River Delta"),
    # NE's `name` for Quảng Nam carries a wrong tone mark ("Quàng Nam").
    ("VNM-487", "name", "Quảng Nam", "typo in the dataset's local name"),
)
# Xaisomboun province (LA-XS) is absent from this Natural Earth edition; it does not border
# Vietnam, so the map is not affected, but a name matching it would fail with a clear error.


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_geojson(folder: Path, dataset: Dataset) -> list[Feature]:
    assert dataset.path is not None
    path = folder / dataset.path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"Source {path} is missing; copy it from the raw extracts (see geo/sources/SOURCES.md)."
        raise GeometryError(msg) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"Source {path} is not valid GeoJSON: {exc}."
        raise GeometryError(msg) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        msg = f"Source {path} holds no features."
        raise GeometryError(msg)
    return features


def read_admin1(folder: Path) -> list[Feature]:
    """Natural Earth provinces with :data:`NATURAL_EARTH_FIXES` applied."""
    features = read_geojson(folder, NE_ADMIN1)
    fixes = {(code, prop): value for code, prop, value, _why in NATURAL_EARTH_FIXES}
    fixed = []
    for feature in features:
        props = dict(feature["properties"])
        for prop in ("iso_3166_2", "name"):
            if (props.get("adm1_code"), prop) in fixes:
                props[prop] = fixes[(props["adm1_code"], prop)]
        fixed.append({**feature, "properties": props})
    return fixed


@dataclass(frozen=True)
class Alias:
    country: str
    alias: str
    adm1_code: str
    note: str
    line: int


def read_aliases(folder: Path) -> tuple[Alias, ...]:
    assert ALIASES.path is not None
    path = folder / ALIASES.path
    if not path.exists():
        return ()
    rows: list[Alias] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for number, row in enumerate(reader, start=2):
            try:
                rows.append(Alias(row["country"].strip(), row["alias"].strip(),
                                  row["adm1_code"].strip(), (row.get("note") or "").strip(),
                                  number))
            except (KeyError, AttributeError):
                msg = (f"{path}:{number} needs the columns country, alias, adm1_code, note.")
                raise GeometryError(msg) from None
    return tuple(rows)
