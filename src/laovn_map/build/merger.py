"""Vietnam's provinces since 1 July 2025: which pre-2025 provinces each new unit is made of.

The Vietnamese text lists the ten border provinces as they were before Resolution 202/2025/QH15.
The old → new mapping is not typed in here: it comes from the ``vietnamadminunits`` package
(its 2025 converter), asked for every Natural Earth province of Vietnam and cross-checked against
the package's own list of members per new unit. ISO 3166-2 codes do not exist yet for the new
units, so they carry the national (GSO) codes the package gives.

:func:`read_converter` is the I/O edge (the package); :func:`assign` is pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from laovn_map.build.sources import Province
from laovn_map.errors import GeocodeError

#: The name fields tried, in order, to find a province in the converter (``name`` carries the
#: Natural Earth fixes: three features have a region's name in ``name_vi``).
NAME_FIELDS = ("name", "name_vi", "gn_name")
#: Where the package keeps its mapping (named in errors, so a reader can look it up).
CONVERTER_DATA = "vietnamadminunits/data/converter_2025.json (DICT_PROVINCE)"


@dataclass(frozen=True)
class Conversion:
    """What the converter says of one pre-2025 province: its key and code, and its new unit's."""

    old_key: str
    old_code: str
    new_key: str
    new_code: str
    new_name: str  # short form: "Quảng Trị"
    new_full_name: str  # "Tỉnh Quảng Trị"


@dataclass(frozen=True)
class Unit:
    """A first-level unit since 2025 and the pre-2025 provinces (NE ``adm1_code``) it is made of."""

    code: str  # national code, e.g. "44"
    name: str
    full_name: str
    members: tuple[str, ...]  # adm1 keys, sorted by their ISO 3166-2 code
    member_names: tuple[str, ...]  # "VN-24 Quảng Bình", in the same order
    member_names_vi: tuple[str, ...] = ()  # the same with Natural Earth's Vietnamese names
    member_codes: tuple[str, ...] = ()  # the members' national codes before 2025, same order

    @property
    def merged(self) -> bool:
        return len(self.members) > 1


Converter = Callable[[str], Conversion | None]


def read_converter() -> tuple[Converter, dict[str, tuple[str, ...]], str]:
    """The package's converter, its members per new unit (new key → old keys) and its version."""
    import warnings
    from importlib.metadata import version

    with warnings.catch_warnings():
        # The package imports geopy, hence requests, which probes urllib3's optional SOCKS
        # support and warns that PySocks is missing: nothing here opens a connection.
        warnings.filterwarnings("ignore", message="SOCKS support in urllib3")
        from vietnamadminunits import convert_address  # imported here: only the build needs it
        from vietnamadminunits.converter import converter_2025

    def convert(name: str) -> Conversion | None:
        unit = convert_address(name)
        old = getattr(unit, "OldAdminUnit", None)
        if unit.province_key is None or old is None or old.province_key is None:
            return None
        return Conversion(old.province_key, str(old.province_code), unit.province_key,
                          str(unit.province_code), unit.short_province, unit.province)

    members = {new: tuple(old) for new, old in converter_2025.DICT_PROVINCE.items()}
    return convert, members, version("vietnamadminunits")


def assign(provinces: Sequence[Province], convert: Converter,
           members_of: Mapping[str, Sequence[str]], wanted: Sequence[str]) -> tuple[Unit, ...]:
    """The 2025 units that hold any of the provinces *wanted* (adm1 keys), with all their members.

    Every Vietnamese province must convert to exactly one unit, each pre-2025 province of the
    package must be found once among them, and no two provinces may claim one; anything else is
    a :class:`GeocodeError` naming the province or the package's data.
    """
    conversions: dict[str, Conversion] = {}
    by_old_key: dict[str, Province] = {}
    for province in provinces:
        names = [str(province.properties.get(f) or "") for f in NAME_FIELDS]
        found = next((c for c in map(convert, filter(None, names)) if c is not None), None)
        if found is None:
            msg = (f"The 2025 converter ({CONVERTER_DATA}) knows no province named "
                   f"{' / '.join(filter(None, names))!r} ({province.iso_3166_2}); add its name or "
                   "update vietnamadminunits.")
            raise GeocodeError(msg)
        if found.old_key in by_old_key:
            earlier = by_old_key[found.old_key]
            msg = (f"Provinces {earlier.iso_3166_2} and {province.iso_3166_2} both convert as "
                   f"{found.old_key!r} ({CONVERTER_DATA}): one pre-2025 province assigned twice.")
            raise GeocodeError(msg)
        by_old_key[found.old_key] = province
        conversions[province.adm1_code] = found
    units: dict[str, list[str]] = defaultdict(list)
    for key, conversion in conversions.items():
        units[conversion.new_key].append(key)
    out = []
    for new_key in sorted({conversions[k].new_key for k in wanted if k in conversions}):
        listed = set(members_of.get(new_key, ()))
        ours = {conversions[k].old_key for k in units[new_key]}
        if listed != ours:
            missing = ", ".join(sorted(listed - ours)) or "none"
            extra = ", ".join(sorted(ours - listed)) or "none"
            msg = (f"The 2025 unit {new_key!r} of {CONVERTER_DATA} lists pre-2025 provinces that "
                   f"the Natural Earth provinces do not match (unassigned: {missing}; not listed: "
                   f"{extra}).")
            raise GeocodeError(msg)
        by_key = {p.adm1_code: p for p in provinces}
        members = tuple(sorted(units[new_key], key=lambda k: by_key[k].iso_3166_2))
        unit = conversions[members[0]]
        out.append(Unit(unit.new_code, unit.new_name, unit.new_full_name, members,
                        tuple(_label(by_key[k]) for k in members),
                        tuple(_label(by_key[k], "name_vi") for k in members),
                        tuple(conversions[k].old_code for k in members)))
    return tuple(sorted(out, key=lambda u: u.code))


def _label(province: Province, field: str = "name_en") -> str:
    """``VN-24 Quảng Bình``: the code and English (or *field*'s) name of a pre-2025 province
    (``VN-DN Da Nang``, in Vietnamese ``VN-DN Đà Nẵng``)."""
    return f"{province.iso_3166_2} {province.properties.get(field) or province.properties['name']}"
