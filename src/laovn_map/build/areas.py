"""Official areas of Vietnam's provinces, derived from the ``vietnamadminunits`` package's data
into ``geo/sources/official/province_areas.csv`` (the build reads that table, not the package).

The package (MIT) gives the area of each of the 3,321 communes of 2025 (``admin_units``
.``wardAreaKm2``; its README names danhmuchanhchinh.gso.gov.vn and sapnhap.bando.com.vn as its
sources). A 2025 province's area is the sum of its communes'. A province of before 2025 is
attributed only where its converter (``converter_2025.json``) says every 2025 commune that came
from it came from it alone; a province whose communes lack an area, or are shared with another
province, gets no area and the reason instead: no figure is guessed.

Run it where the package is installed:
``python -m laovn_map.build.areas geo/sources/official/province_areas.csv``.
:func:`read_package` is the I/O edge; the rest is pure.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The columns of the table, in order.
COLUMNS = ("division", "code", "name", "area_km2", "communes", "communes_without_area", "year",
           "basis", "package", "source", "licence")
DIVISION_2025 = "2025"
DIVISION_BEFORE = "pre-2025"
#: The year the communes and their areas are of (the 2025 arrangement, in force 1 July 2025).
YEAR = 2025
#: Where the package says its data come from (its README); the field summed is in the basis.
SOURCE = "danhmuchanhchinh.gso.gov.vn; sapnhap.bando.com.vn"
FIELD = "data/dataset.db admin_units.wardAreaKm2"
LICENCE = "MIT"


@dataclass(frozen=True)
class Commune:
    """A commune of 2025 in its province (the package's keys, code and name) and its area."""

    province_key: str
    province_code: str
    province_name: str
    key: str
    area_km2: float | None


@dataclass(frozen=True)
class AreaRow:
    division: str
    code: str
    name: str
    area_km2: float | None
    communes: int
    communes_without_area: int
    basis: str


def _sum(areas: Iterable[float]) -> float:
    """Exact sum, rounded to the data's 2 decimals: the same bytes whatever the order."""
    return round(math.fsum(areas), 2)


def _row(division: str, code: str, name: str, members: Sequence[Commune], basis: str,
         shared: int = 0) -> AreaRow:
    missing = sum(c.area_km2 is None for c in members)
    if shared:
        return AreaRow(division, code, name, None, len(members), missing,
                       f"not derived: {shared} of its 2025 communes were also made from other "
                       "provinces")
    if missing:
        return AreaRow(division, code, name, None, len(members), missing,
                       f"not derived: {missing} of its {len(members)} communes have no area in the "
                       "package")
    return AreaRow(division, code, name, _sum(c.area_km2 for c in members if c.area_km2 is not None),
                   len(members), 0, basis)


def unit_rows(communes: Sequence[Commune]) -> list[AreaRow]:
    """One row per 2025 province: the sum of its communes' areas."""
    by_province: dict[str, list[Commune]] = defaultdict(list)
    for commune in communes:
        by_province[commune.province_code].append(commune)
    return [_row(DIVISION_2025, code, members[0].province_name, members,
                 f"sum of {FIELD} over its 2025 communes")
            for code, members in sorted(by_province.items())]


def commune_origins(converter: Mapping[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """(2025 province key, commune key) → the keys of the provinces before 2025 it was made from.

    ``DICT_PROVINCE_WARD_NO_DIVIDED`` lists the whole old communes of each new one
    (``<old province>_<district>_<commune>``); ``DICT_PROVINCE_WARD_DIVIDED`` the new communes
    that each divided old one went to."""
    origins: dict[tuple[str, str], set[str]] = defaultdict(set)
    for new_province, communes in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_commune, olds in communes.items():
            origins[(new_province, new_commune)].update(old.split("_", 1)[0] for old in olds)
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in divided.items():
            for part in parts:
                origins[(new_province, part["newWardKey"])].add(old.split("_", 1)[0])
    return {key: frozenset(value) for key, value in origins.items()}


def legacy_rows(communes: Sequence[Commune], origins: Mapping[tuple[str, str], frozenset[str]],
                members_of: Mapping[str, Sequence[str]],
                legacy: Mapping[str, tuple[str, str]]) -> list[AreaRow]:
    """One row per province before 2025 (*legacy*: key → national code, name): the sum of the
    2025 communes made from it alone; none where a commune of its came from several provinces
    (or from none the converter names: then every member of that 2025 province is in doubt)."""
    own: dict[str, list[Commune]] = defaultdict(list)
    shared: dict[str, int] = defaultdict(int)
    for commune in communes:
        came_from = origins.get((commune.province_key, commune.key), frozenset())
        if len(came_from) == 1:
            own[next(iter(came_from))].append(commune)
            continue
        for old in came_from or members_of.get(commune.province_key, ()):
            shared[old] += 1
    return [_row(DIVISION_BEFORE, code, name, own[key],
                 f"sum of {FIELD} over the 2025 communes made from it alone", shared[key])
            for key, (code, name) in sorted(legacy.items(), key=lambda item: item[1][0])]


def csv_bytes(rows: Sequence[AreaRow], package: str) -> bytes:
    """The table, LF line ends, 2025 provinces first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r.division, r.code, r.name, "" if r.area_km2 is None else f"{r.area_km2:.2f}",
                         r.communes, r.communes_without_area, YEAR, r.basis, package, SOURCE,
                         LICENCE])
    return out.getvalue().encode("utf-8")


def derive(communes: Sequence[Commune], converter: Mapping[str, Any],
           legacy: Mapping[str, tuple[str, str]], package: str) -> bytes:
    """The whole table from the package's data."""
    rows = unit_rows(communes) + legacy_rows(communes, commune_origins(converter),
                                             converter["DICT_PROVINCE"], legacy)
    return csv_bytes(rows, package)


def read_package() -> tuple[list[Commune], dict[str, Any], dict[str, tuple[str, str]], str]:
    """The installed package's communes, converter, provinces before 2025 and version."""
    import json
    import sqlite3
    from importlib.metadata import version
    from importlib.resources import files

    data = files("vietnamadminunits") / "data"
    connection = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    try:
        communes = [Commune(*row) for row in connection.execute(
            "SELECT provinceKey, provinceCode, province, wardKey, wardAreaKm2 FROM admin_units "
            "ORDER BY provinceCode, wardKey")]
        legacy = {key: (code, name) for key, code, name in connection.execute(
            "SELECT DISTINCT provinceKey, provinceCode, province FROM admin_units_legacy")}
    finally:
        connection.close()
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    return communes, converter, legacy, f"vietnamadminunits {version('vietnamadminunits')}"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m laovn_map.build.areas OUT.csv", file=sys.stderr)
        return 2
    Path(args[0]).write_bytes(derive(*read_package()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
