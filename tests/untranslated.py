"""What a page in another language than English must not say: English words and English-
formatted numbers.

Shared by the unit tests of the labels and the browser tests of the Vietnamese and the Lao
page. A list of words rather than a language detector: each word is one the page (or its data)
has said in English before, or would say if a label fell back to English. What differs between
languages is data (`PLACES_AS_DATA`, and the units and separators each language's CLDR locale
writes), not a branch.
"""

from __future__ import annotations

import re
from functools import cache

from babel.units import format_unit

from laovn_map.i18n import DEFAULT_LANG, language

#: English words of the page's own labels and of the data's English fields. Matched as whole
#: words, ignoring case ("vietnam" inside "vietnamadminunits" is no match).
INTERFACE_WORDS = (
    "Embassy", "Embassies", "Consulate", "Consulates", "Province", "Provinces", "Provincial",
    "Border", "Vietnam", "Laos", "Legend", "Layers", "Layer", "Selected", "Download", "Downloads",
    "Geometry", "Source", "Sources", "Length", "Area", "Country", "Countries", "City",
    "Ambassador", "Population", "Inland", "Water", "Segment", "Segments", "Stated", "Measured",
    "Official", "Difference", "Confidence", "Basis", "Stretch", "Whole", "Undated",
    "Unchanged", "Nothing", "Figures", "Quoted", "Infobox", "Across", "Sending", "Host",
    "Match", "exact", "fuzzy", "Resolution", "Made of", "Kind", "Code", "Name", "Year",
    "same", "protocol", "figure", "polygon", "hole", "conformed", "dissolved", "the", "of",
    "and", "with", "Admin", "States", "Lao name", "English name", "Local form",
)
#: The English names of places that a page in another language must not show: the names the
#: data holds in that language replace them.
PLACE_NAMES = (
    "Hanoi", "Ho Chi Minh", "Da Nang", "Vientiane", "Phongsaly", "Houaphanh", "Xiangkhouang",
    "Bolikhamsai", "Khammouane", "Salavan", "Sekong", "Attapeu", "Ho Chi Minh City",
)
#: The places each language names as the data does (English) for now, because the layers hold
#: no name of theirs in it yet: the Lao names of Vietnam's cities and of the places the events
#: name are the build's part of issue 24. An interface word is never here.
PLACES_AS_DATA: dict[str, tuple[str, ...]] = {
    "lo": PLACE_NAMES,
}
ENGLISH_WORDS = INTERFACE_WORDS + PLACE_NAMES


#: A whole word of Latin letters: not part of a longer Latin word ("vietnam" inside
#: "vietnamadminunits"), whatever script is beside it (a Lao label may touch it: "ນະຄອນHanoi").
_WHOLE = r"(?<![A-Za-z\u00c0-\u024f\u1e00-\u1eff])(?:%s)(?![A-Za-z\u00c0-\u024f\u1e00-\u1eff])"


@cache
def _words(lang: str) -> re.Pattern[str]:
    allowed = set(PLACES_AS_DATA.get(lang, ()))
    words = [w for w in ENGLISH_WORDS if w not in allowed]
    return re.compile(_WHOLE % "|".join(re.escape(w) for w in words), re.IGNORECASE)


@cache
def _places_as_data(lang: str) -> re.Pattern[str] | None:
    """The names `lang` keeps as the data's, longest first, so that a word inside one ("City"
    in "Ho Chi Minh City") is the name's, not a label's."""
    names = sorted(PLACES_AS_DATA.get(lang, ()), key=len, reverse=True)
    return re.compile(_WHOLE % "|".join(map(re.escape, names))) if names else None


#: File names (the texts' and the downloads') are names, whatever words they are made of.
_FILE_NAMES = re.compile(r"[\w.-]+\.(?:txt|geojson|json|zip|csv|md|po)(?::\d+)?")
#: Addresses (a source's) are names too.
_ADDRESSES = re.compile(r"https?://\S+")


@cache
def _units(lang: str) -> tuple[str, ...]:
    """How `lang` writes km, km² and % after a number (CLDR, as the page's labels do), and
    English's, which a label falling back to English would write."""
    units = {"%"}
    for code in (lang, DEFAULT_LANG):
        for unit in ("length-kilometer", "area-square-kilometer"):
            written = str(format_unit(1, unit, length="short", locale=language(code).cldr_locale))
            units.add(written.replace("1", "", 1).strip())
    return tuple(sorted(units, key=len, reverse=True))


@cache
def english_numbers(lang: str) -> re.Pattern[str]:
    """Lengths, areas and shares written with English separators: "334.7 km", "2,199.2 km",
    "-5.9 %" (Vietnamese and Lao write "334,7", "2.199,2"). A number with three decimals in
    those languages ("2.337,459 km") is not one: a group of thousands starts after no digit,
    point or comma."""
    unit = "(?:" + "|".join(re.escape(u) for u in _units(lang)) + ")"
    return re.compile(rf"\d\.\d{{1,2}}\s?{unit}"
                      rf"|(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?\s?{unit}(?!\w)")


ENGLISH_NUMBERS = english_numbers("vi")


def english_in(text: str, lang: str = "vi") -> list[str]:
    """The English words and English-formatted numbers of `text`, shown on a page in `lang`,
    in order of appearance."""
    text = _FILE_NAMES.sub(" ", _ADDRESSES.sub(" ", text))
    if places := _places_as_data(lang):
        text = places.sub(" ", text)
    return [m.group(0) for m in _words(lang).finditer(text)] + [
        m.group(0) for m in english_numbers(lang).finditer(text)]
