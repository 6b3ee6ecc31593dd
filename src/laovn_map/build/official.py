"""Official figures beside measured ones: each published length of ``official/border_lengths.csv``
next to what the build measures for the same stretch of border, and the difference; and each
province's area of ``official/province_areas.csv`` beside its measured area (:func:`area_properties`);
and the rank a published source gives a consulate of the text (``official/mission_ranks.csv``,
:func:`rank_properties`).

Pure: it takes the table's records and the derived segments. A row naming a province that is
not a Vietnamese border province, a partner that is not a Lao one, or a pair the measured line
does not have, is a :class:`SourceError` at its file:line: a figure is only shown against the
stretch it is about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from laovn_map import catalog
from laovn_map.build.border import BorderSegment
from laovn_map.build.geojson import Properties
from laovn_map.build.records import Mission
from laovn_map.build.sources import MissionRank, OfficialArea, OfficialLength
from laovn_map.errors import SourceError
from laovn_map.geo.manifest import OfficialLengthRecord
from laovn_map.i18n import twins

#: The code of the rows about the whole border.
TOTAL_CODE = "VN-LA"
#: The threshold (% of the official area) past which a measured area says the outline is off
#: (catalog.AREA_OFF_PCT): the conformed provinces include their inland water, follow the OSM
#: border and a generalised coast, which moves an area by a few per cent; a larger gap is the
#: outline itself.
AREA_OFF_PCT = catalog.AREA_OFF_PCT


def area_properties(measured_km2: float, official: OfficialArea | None) -> Properties:
    """A province's measured area, its official one with where it comes from, the difference
    (% of the official area) and whether that says the boundary is off (:data:`AREA_OFF_PCT`).
    The official fields are null where the table has no area for it."""
    area = official.area_km2 if official else None
    pct = None if area is None else round(100.0 * (measured_km2 - area) / area, 1)
    return {"area_km2": measured_km2, "area_km2_official": area,
            "area_official_year": official.year if official and area is not None else None,
            "area_official_package": official.package if official and area is not None else "",
            "area_official_source": official.source if official and area is not None else "",
            "area_official_row": official.where if official else "",
            "area_difference_pct": pct,
            "area_boundary_off": pct is not None and abs(pct) > AREA_OFF_PCT}


#: The properties a mission gets from its row of the ranks' table, empty where it has none.
NO_RANK: Properties = {"rank": "", "rank_source": "", **twins("rank_source_publisher", lambda _: ""),
                       "rank_source_url": "",
                       "rank_source_date": "", "rank_source_phrase": "", "rank_source_row": ""}


def rank_properties(missions: Sequence[Mission], ranks: Sequence[MissionRank]
                    ) -> dict[str, Properties]:
    """The ``rank*`` properties of each mission, by its slug: its row's rank and source, or
    :data:`NO_RANK`. A row naming no consulate of the text (sending country and city as the
    English text writes them) is a :class:`SourceError` at its file:line: a rank is only ever
    said of a mission the text lists, beside the text's word."""
    out = {m.slug: dict(NO_RANK) for m in missions}
    consulates = {(m.sending_country, m.city): m for m in missions if m.kind == catalog.CONSULATE}
    for row in ranks:
        mission = consulates.get((row.sending_country, row.city))
        if mission is None:
            listed = ", ".join(f"{country} {city}" for country, city in consulates)
            msg = (f"Mission ranks {row.where}: the text lists no consulate of {row.sending_country} "
                   f"in {row.city!r} (its consulates: {listed}); correct the row.")
            raise SourceError(msg)
        out[mission.slug] = {"rank": row.rank, "rank_source": row.title,
                             **twins("rank_source_publisher", row.publisher),
                             "rank_source_url": row.url, "rank_source_date": row.date,
                             "rank_source_phrase": row.phrase, "rank_source_row": row.where}
    return out


@dataclass(frozen=True)
class Comparison:
    """One official figure and the measured length of the same stretch (None where the build
    measures nothing comparable: the land and river parts of the total)."""

    official: OfficialLength
    measured_km: float | None

    @property
    def difference_km(self) -> float | None:
        return None if self.measured_km is None else round(self.measured_km - self.official.length_km, 3)

    @property
    def difference_pct(self) -> float | None:
        if self.difference_km is None:
            return None
        return round(100.0 * self.difference_km / self.official.length_km, 1)

    def record(self) -> OfficialLengthRecord:
        """The comparison as flat JSON for the manifest."""
        o = self.official
        record: dict[str, object] = {
            "scope": o.scope, "code": o.code, "partner": o.partner, "part": o.part,
            "official_km": o.length_km, "year": o.year, **twins("basis", o.basis),
            "confidence": o.confidence, **twins("source", o.source), "source_row": o.where,
            "measured_km": self.measured_km, "difference_km": self.difference_km,
            "difference_pct": self.difference_pct}
        return cast(OfficialLengthRecord, record)


def compare(official: Sequence[OfficialLength], segments: Sequence[BorderSegment],
            line_km: float, names: Mapping[str, str]) -> tuple[Comparison, ...]:
    """Every official figure beside its measured length; *names* maps the ISO codes of the
    border provinces of both sides to their names (the only codes a row may use)."""
    pair_m: dict[tuple[str, str], float] = defaultdict(float)
    for segment in segments:
        pair_m[(segment.vn_code, segment.la_code)] += segment.length_m
    province_m: dict[str, float] = defaultdict(float)
    for (vn, _la), metres in pair_m.items():
        province_m[vn] += metres
    out = []
    for row in official:
        if row.scope == "total":
            if row.code != TOTAL_CODE:
                _refuse(row, f"a total row has the code {row.code!r}; expected {TOTAL_CODE}")
            measured = line_km if row.part == "all" else None
        else:
            if not row.code.startswith("VN-") or row.code not in names:
                _refuse(row, f"{row.code!r} is not one of the Vietnamese border provinces")
            if row.partner and (not row.partner.startswith("LA-") or row.partner not in names):
                _refuse(row, f"{row.partner!r} is not one of the Lao border provinces")
            partners = {la for (vn, la) in pair_m if vn == row.code}
            if row.scope == "province" and row.partner and partners != {row.partner}:
                _refuse(row, f"{row.code} faces {', '.join(sorted(partners))}, not only "
                             f"{row.partner}: a province figure names its only partner")
            if row.scope == "pair":
                if (row.code, row.partner) not in pair_m:
                    _refuse(row, f"the measured border has no stretch between {row.code} and "
                                 f"{row.partner or '(no partner)'}")
                measured = pair_m[(row.code, row.partner)] / 1000.0
            else:
                measured = province_m[row.code] / 1000.0
        out.append(Comparison(row, None if measured is None else round(measured, 3)))
    return tuple(out)


def _refuse(row: OfficialLength, problem: str) -> None:
    msg = f"Official lengths {row.where}: {problem}; correct the row."
    raise SourceError(msg)
