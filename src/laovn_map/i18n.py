"""The page's languages and its words in them: one table of languages (`LANGUAGES`) and, per
language, a gettext catalog (``locale/<code>/LC_MESSAGES/laovn_map.po``) read at run time.

A language is data: its row here (Babel's CLDR locale for numbers and dates, which of a
place's names the layers hold for it) and its catalog. Nothing else in the code names a
language, so adding one is a catalog and a row (docs/translating.md). The data keeps its own
languages: the seed texts and the names the build stores are not translated here.

Message ids are keys (``layer.water``) whose English is the ``en`` catalog; the datasets'
titles, credits and roles and the countries' names are stated in English in `catalog`, and that
English is their message id. `t` and `tn` take a literal key so the extractor
(`laovn_map.messages`) finds it; a key built at run time is declared where its family's values
are, with `msgid` (or `plural_msgid` for a count).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: Where the catalogs are: ``<code>/LC_MESSAGES/<DOMAIN>.po``, package data.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "laovn_map"


@dataclass(frozen=True)
class Language:
    """A language of the page, the map and the exports; its words are in its catalog."""

    #: ISO 639-1: the catalog's folder, ``?lang=``, ``--lang`` and ``<html lang>``.
    code: str
    #: Its name in itself, for the language switch.
    own_name: str
    #: Its name in English, beside the own name on the switch.
    english_name: str
    #: Babel's locale (CLDR) for numbers, units, dates and other countries' names.
    cldr_locale: str
    #: The suffix of the layers' properties in this language (``city_vi``, ``neighbours_vi``):
    #: '' for English, which the data's own properties are in; a language without one shows
    #: the data's English names, and names a mission or an envoy's title from its catalog.
    field_suffix: str
    #: A province's name properties in the order this language prefers them.
    province_names: tuple[str, ...]
    #: The border's name property.
    border_name: str
    #: How a century is numbered in `period.century`: "ordinal" (19th), "roman" (XIX) or
    #: "cardinal" (19, where the catalog's words make it an ordinal).
    century_numerals: str
    #: How a day is written (Babel: a CLDR format's name, or a pattern over CLDR's month
    #: names): CLDR's long form in English ("September 4, 1945"); in Vietnamese the form of
    #: prose, "ngày 4 tháng 9 năm 1945", which CLDR's "4 tháng 9, 1945" is not.
    day_format: str = "long"
    #: The script (ISO 15924) its words are written in: a page in Lao script ships the Lao
    #: font's bold face too (`webassets.lao_font_added_to`).
    script: str = "Latn"

    @property
    def names_from_data(self) -> bool:
        """Whether the data's own names (a mission's, an envoy's title) are in this language."""
        return not self.field_suffix


#: Every language, the default first.
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "English", "English", "en", "", ("name_en", "name_vi"), "name_en", "ordinal"),
    # in Vietnamese a province is called as the Vietnamese text writes it (`name_seed`)
    Language("vi", "Tiếng Việt", "Vietnamese", "vi", "_vi", ("name_seed", "name_vi", "name_en"),
             "name_vi", "roman", "'ngày' d MMMM 'năm' y"),
    # in Lao a place is called by its Lao-script name where a catalogue gives one; a century
    # is "ສັດຕະວັດທີ 19" (the catalog's word "ທີ" makes the ordinal of the bare number)
    Language("lo", "ລາວ", "Lao", "lo", "_lo", ("name_lo", "name_en"), "name_lo", "cardinal",
             script="Laoo"),
)}
DEFAULT_LANG = "en"
#: Each language's own name by code (what `--lang` and ExportState accept).
LANGS: dict[str, str] = {code: lang.own_name for code, lang in LANGUAGES.items()}


def language(code: str) -> Language:
    """The language `code`; the default one when the code is unknown (as `t` falls back)."""
    return LANGUAGES.get(code, LANGUAGES[DEFAULT_LANG])


@cache
def territory_name(code: str, cldr_locale: str) -> str:
    """A country's name (ISO 3166-1 alpha-2 `code`) in a CLDR locale, by Babel; the code itself
    when CLDR has none."""
    from babel import Locale

    return str(Locale.parse(cldr_locale).territories.get(code, code))


def twins(key: str, words: Callable[[str], str]) -> dict[str, str]:
    """Property `key` in every language: ``key`` in English and its twin in each other language
    (``key_vi``, ``key_lo``: the language's `field_suffix`), *words* of the language's code."""
    return {f"{key}{lang.field_suffix}": words(code) for code, lang in LANGUAGES.items()}


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def msgid(key: str) -> str:
    """Mark `key` as a message id for the extractor where it is declared, not translated yet."""
    return key


def plural_msgid(key: str) -> str:
    """Mark `key` as a message with plural forms (read by `tn`), for the extractor."""
    return key


Message = str | tuple[str, ...]


@dataclass(frozen=True)
class _Catalog:
    messages: Mapping[str, Message]
    plural: Callable[[int], int]


@cache
def _catalog(code: str) -> _Catalog:
    """Language `code`'s messages, read once from its `.po` (Babel): the catalogs are small,
    and reading the text itself leaves no compiled `.mo` to keep in step."""
    from babel.messages.pofile import read_po

    with catalog_path(code).open("rb") as po:
        read = read_po(po, locale=LANGUAGES[code].cldr_locale, domain=DOMAIN)
    messages: dict[str, Message] = {}
    for message in read:
        key = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
        if key and not message.fuzzy:
            text = message.string
            messages[key] = tuple(str(s) for s in text) if isinstance(text, tuple | list) \
                else str(text or "")
    return _Catalog(messages, gettext.c2py(read.plural_expr))


def _message(key: str, code: str) -> tuple[_Catalog, Message]:
    """The message `key` in language `code` with its catalog, else in the default language's;
    KeyError when neither has it."""
    for lang in (code, DEFAULT_LANG) if code in LANGUAGES else (DEFAULT_LANG,):
        catalog = _catalog(lang)
        found = catalog.messages.get(key)
        if found and all(found):
            return catalog, found
    raise KeyError(key)


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    """The message `key` in `lang`; English when the language is unknown."""
    _catalog_of, found = _message(key, lang)
    return found if isinstance(found, str) else found[0]


def tn(key: str, count: int | float, lang: str = DEFAULT_LANG) -> str:
    """The message `key` in the plural form that `count` takes in `lang` (its catalog's
    Plural-Forms, from CLDR through Babel); the caller fills its ``{n}``, formatted in the
    language. gettext's rules count whole things: a fraction takes the form of 2."""
    catalog, found = _message(key, lang)
    if isinstance(found, str):
        return found
    index = catalog.plural(int(count) if float(count).is_integer() else 2)
    return found[min(index, len(found) - 1)]


