"""The diplomatic missions of the English text: its "Diplomatic missions" section (each
country's embassy and consulates in the other, as a list under a subheading per country) and the
infobox (the envoys and the missions' addresses), read into :class:`~laovn_map.build.records.Mission`
records with their provenance."""

from __future__ import annotations

import re

from laovn_map.build.records import Envoy, Mission, Provenance
from laovn_map.build.seeds import SeedText
from laovn_map.build.text import (
    DASH_CLASS,
    canonical_name,
    canonical_spacing,
    heading,
    plain_line,
    reject_markup,
)
from laovn_map.catalog import CONSULATE, COUNTRIES, EMBASSY, other_party
from laovn_map.errors import ExtractError

# These read raw lines (any run of spaces). A lazy part followed by spaces and an anchored end
# (``(?P<body>.*?)\s*$``) tries the end at every character, reading each run of spaces again
# (quadratic; cubic for a heading's ``=+`` and a subheading's ``\s*:?\s*``): a part ends at
# its last non-space instead (``(?:.*\S)?``), and the two headings are read by functions.
_BULLET = re.compile(rf"^\s*(?:[*•]|{DASH_CLASS})\s*(?P<body>(?:.*\S)?)\s*$")
_MISSION_ITEM = re.compile(r"^(?P<city>[^()]+?)\s*\((?P<kind>[^()]+)\)$")
_INFOBOX_FIELD = re.compile(
    rf"^\s*(?:(?:[*•]|{DASH_CLASS})\s*)?(?P<key>[A-Za-z]+)(?P<n>\d*)\s*:\s*(?P<value>(?:.*\S)?)\s*$")
_OF = re.compile(r"Of\s", re.IGNORECASE)


def subheading_country(line: str) -> str | None:
    """The country of a missions subheading ``;Of Vietnam:`` (``Of`` and the colon optional),
    or None when *line* is not one. The name is at least one character: a subheading of
    spaces names a space (and the caller refuses it)."""
    text = line.lstrip()
    if not text.startswith(";"):
        return None
    after_mark = text[1:]
    rest = after_mark.lstrip()
    if _OF.match(rest):
        name = rest[2:].lstrip()
        if name:
            return _name_before_colon(name)
        if len(rest) - 2 >= 2:  # ";Of" and spaces: the last space is the name
            return rest[-1]
    if rest:
        return _name_before_colon(rest)
    return after_mark[-1] if after_mark else None


def _name_before_colon(text: str) -> str:
    """*text* without its end of spaces, an optional colon and spaces (one character at least)."""
    name = text.rstrip()
    if name.endswith(":"):
        name = name[:-1].rstrip()
    return name or text[:1]
_INFOBOX_MISSION = re.compile(r"^(?P<kind>Embassy|Consulate(?:[- ]General)?)\s+of\s+"
                              r"(?P<country>.+?)\s*,\s*(?P<city>.+)$", re.IGNORECASE)
_ENVOY_TITLE = re.compile(r"^(?P<sender>.+?)\s+Ambassador\s+to\s+(?P<host>.+)$", re.IGNORECASE)

def country_code(name: str) -> str | None:
    """The party a name in the text means (``Viet Nam`` → ``VN``), or None."""
    key = canonical_spacing(name).casefold()
    return next((c.code for c in COUNTRIES.values() if key in c.spellings), None)


def _mission_kind(raw: str) -> str | None:
    key = canonical_spacing(raw).casefold()
    if key == EMBASSY:
        return EMBASSY
    if key.startswith(CONSULATE):
        return CONSULATE
    return None


def find_missions(seed: SeedText) -> tuple[Mission, ...]:
    """Parse the "Diplomatic missions" section, then attach the infobox's missions and envoys."""
    section = _section_lines(seed, "diplomatic missions")
    missions: list[Mission] = []
    sender: str | None = None
    title = ""
    for number, line in section:
        if (country := subheading_country(line)) is not None:
            sender = country_code(country)
            title = plain_line(line)
            if sender is None:
                msg = (f"Unknown country {country!r} in the missions heading at "
                       f"{seed.path}:{number}; expected Vietnam or Laos.")
                raise ExtractError(msg)
            continue
        bullet = _BULLET.match(line)
        if not bullet:
            continue
        body = canonical_spacing(bullet.group("body"))
        item = _MISSION_ITEM.match(body)
        kind = _mission_kind(item.group("kind")) if item else None
        if sender is None or item is None or kind is None:
            why = ("it comes before any ';Of <country>' heading" if sender is None
                   else "expected '- City (Embassy)' or '- City (Consulate)'")
            msg = f"Cannot parse the mission line {seed.path}:{number} {line.strip()!r}: {why}."
            raise ExtractError(msg)
        city = canonical_name(item.group("city"))
        reject_markup(city, seed, number, "Mission city")
        quote = f"{title}\n{plain_line(line)}" if title else plain_line(line)
        missions.append(Mission(sender, other_party(sender), city, kind,
                                Provenance(seed.path, number, quote)))
    if not missions:
        msg = (f"The 'Diplomatic missions' section of {seed.path} lists no missions "
               "(expected lines like '- Vientiane (Embassy)' under ';Of Vietnam').")
        raise ExtractError(msg)
    _reject_duplicates(missions, seed)
    return tuple(_attach_infobox(missions, seed))


def _section_lines(seed: SeedText, title: str) -> list[tuple[int, str]]:
    lines = seed.numbered()
    for index, (number, line) in enumerate(lines):
        head = heading(line)
        if head and canonical_spacing(head[1]).casefold() == title:
            level = head[0]
            body: list[tuple[int, str]] = []
            for later_number, later in lines[index + 1:]:
                nxt = heading(later)
                if nxt and nxt[0] <= level:
                    break
                body.append((later_number, later))
            del number
            return body
    msg = f"No '== {title.capitalize()} ==' section in {seed.path}."
    raise ExtractError(msg)


def _reject_duplicates(missions: list[Mission], seed: SeedText) -> None:
    seen: dict[str, Mission] = {}
    for mission in missions:
        if mission.slug in seen:
            first = seen[mission.slug].provenance.line
            msg = (f"The mission {mission.city!r} ({mission.kind}) of {mission.sending_country} "
                   f"is listed twice in {seed.path}: lines {first} and "
                   f"{mission.provenance.line}.")
            raise ExtractError(msg)
        seen[mission.slug] = mission


def _infobox_fields(seed: SeedText) -> dict[tuple[str, str], tuple[int, str, str]]:
    """``(key, n)`` → (line, value, raw line) for the ``Infobox`` block at the top."""
    fields: dict[tuple[str, str], tuple[int, str, str]] = {}
    inside = False
    for number, line in seed.numbered():
        if canonical_spacing(line).casefold() == "infobox":
            inside = True
            continue
        if not inside:
            continue
        if not line.strip():
            continue
        field = _INFOBOX_FIELD.match(line)
        if not field:
            break
        fields[(field.group("key").casefold(), field.group("n"))] = (
            number, canonical_spacing(field.group("value")), plain_line(line))
    return fields


def _attach_infobox(missions: list[Mission], seed: SeedText) -> list[Mission]:
    fields = _infobox_fields(seed)
    by_slug = {m.slug: m for m in missions}
    envoys: dict[str, Envoy] = {}
    for (key, n), (number, value, raw) in sorted(fields.items()):
        if key != "envoy":
            continue
        title_field = fields.get(("envoytitle", n))
        title = title_field[1] if title_field else ""
        title_match = _ENVOY_TITLE.match(title)
        sender = country_code(title_match.group("sender")) if title_match else None
        if sender is None:
            msg = (f"The infobox envoy {value!r} at {seed.path}:{number} has no title of the "
                   "form '<Country> Ambassador to <Country>'.")
            raise ExtractError(msg)
        reject_markup(value, seed, number, "Envoy")
        lines = [title_field[2]] if title_field else []
        envoys[sender] = Envoy(title, value, sender,
                               Provenance(seed.path, number, "\n".join([*lines, raw])))
    for (key, _n), (number, value, raw) in sorted(fields.items()):
        if key != "mission":
            continue
        parsed = _INFOBOX_MISSION.match(value)
        sender = country_code(parsed.group("country")) if parsed else None
        if parsed is None or sender is None:
            msg = (f"Cannot parse the infobox mission {value!r} at {seed.path}:{number}; "
                   "expected 'Embassy of <Country>, <City>'.")
            raise ExtractError(msg)
        kind = _mission_kind(parsed.group("kind")) or EMBASSY
        probe = Mission(sender, other_party(sender), canonical_name(parsed.group("city")), kind,
                        Provenance(seed.path, number, raw))
        target = by_slug.get(probe.slug)
        if target is None:
            msg = (f"The infobox mission {value!r} at {seed.path}:{number} is not in the "
                   "'Diplomatic missions' list.")
            raise ExtractError(msg)
        envoy = envoys.get(sender) if kind == EMBASSY else None
        by_slug[probe.slug] = Mission(target.sending_country, target.host_country, target.city,
                                      target.kind, target.provenance,
                                      Provenance(seed.path, number, raw), envoy)
    return [by_slug[m.slug] for m in missions]
