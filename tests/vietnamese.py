"""What the Vietnamese page must not say: English words and English-formatted numbers.

Shared by the unit tests of the labels and the browser test of the Vietnamese page. A list of
words rather than a language detector: each word is one the page (or its data) has said in
English before, or would say if a label fell back to English.
"""

from __future__ import annotations

import re

#: English words of the page's own labels and of the data's English fields. Matched as whole
#: words, ignoring case ("vietnam" inside "vietnamadminunits" is no match).
ENGLISH_WORDS = (
    "Embassy", "Embassies", "Consulate", "Consulates", "Province", "Provinces", "Provincial",
    "Border", "Vietnam", "Laos", "Legend", "Layers", "Layer", "Selected", "Download", "Downloads",
    "Geometry", "Source", "Sources", "Length", "Area", "Country", "Countries", "City",
    "Ambassador", "Population", "Inland", "Water", "Segment", "Segments", "Stated", "Measured",
    "Official", "Difference", "Confidence", "Basis", "Stretch", "Whole", "Undated",
    "Unchanged", "Nothing", "Figures", "Quoted", "Infobox", "Across", "Sending", "Host",
    "Match", "exact", "fuzzy", "Resolution", "Made of", "Kind", "Code", "Name", "Year",
    "same", "protocol", "figure", "polygon", "hole", "conformed", "dissolved", "the", "of",
    "and", "with", "Admin", "States", "Lao name", "English name", "Local form", "Hanoi",
    "Ho Chi Minh", "Da Nang", "Vientiane", "Phongsaly", "Houaphanh", "Xiangkhouang",
    "Bolikhamsai", "Khammouane", "Salavan", "Sekong", "Attapeu",
)
_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")\b",
                    re.IGNORECASE)
#: File names (the texts' and the downloads') are names, whatever words they are made of.
_FILE_NAMES = re.compile(r"[\w.-]+\.(?:txt|geojson|json|zip|csv|md)(?::\d+)?")
#: Addresses (a source's) are names too.
_ADDRESSES = re.compile(r"https?://\S+")
#: Lengths, areas and shares written with English separators: "334.7 km", "2,199.2 km",
#: "-5.9 %" (the Vietnamese forms are "334,7 km", "2.199,2 km", "-5,9 %").
#: A Vietnamese number with three decimals ("2.337,459 km") is not one: a group of thousands
#: starts after no digit, point or comma.
ENGLISH_NUMBERS = re.compile(r"\d\.\d{1,2}\s?(?:km²|km|%)"
                             r"|(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?\s?(?:km²|km)\b")


def english_in(text: str) -> list[str]:
    """The English words and English-formatted numbers of `text`, in order of appearance."""
    text = _FILE_NAMES.sub(" ", _ADDRESSES.sub(" ", text))
    return [m.group(0) for m in _WORDS.finditer(text)] + [
        m.group(0) for m in ENGLISH_NUMBERS.finditer(text)]
