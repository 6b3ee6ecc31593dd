"""The catalogs' tool: extract the messages from the code with Babel's extractor into the
template (``locale/laovn_map.pot``), merge it into each language's ``.po``, and check the
catalogs (every message translated, none extra, the same placeholders and plural forms).

    python3 -m laovn_map.messages extract   # after changing a word in the code
    python3 -m laovn_map.messages check     # what tests/test_messages.py holds

A language may keep a glossary beside its catalog (``locale/<code>/glossary.csv``: an English
term, its one translation, where that comes from); the check holds the catalog to it, so that
one concept has one word wherever a message names it.

A developer's tool, run in a checkout (it reads ``app.py`` and the sources); the page only reads
the catalogs (`i18n`).
"""

from __future__ import annotations

import csv
import io
import re
import string
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po, write_po

from laovn_map.i18n import DEFAULT_LANG, DOMAIN, LANGUAGES, LOCALE_DIR, catalog_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: The functions whose first argument is a message id (`i18n`): the last two mark plurals.
KEYWORDS: dict[str, None] = {"t": None, "msgid": None, "tn": None, "plural_msgid": None}
_PLURAL_KEYWORDS = ("tn", "plural_msgid")
#: A comment beginning so, on or above a marked call, goes into the catalogs for translators.
COMMENT_TAG = "i18n:"
#: The build writes data, not words of the page: its strings are not messages.
_NOT_SHOWN = ("build",)
#: Fixed, so that extracting twice writes the same bytes (the files' history is in git).
_DATE = datetime(2025, 1, 1, tzinfo=UTC)
_WIDTH = 100


def sources(root: Path = ROOT) -> list[Path]:
    """The files whose words the page, the map and the exports show, in a stable order."""
    package = root / "src" / "laovn_map"
    found = [p for p in sorted(package.rglob("*.py"))
             if p.relative_to(package).parts[0] not in _NOT_SHOWN]
    return [root / "app.py", *found]


def extract(root: Path = ROOT) -> Catalog:
    """The template: every message id the code marks, with where it is (file, no line, so that
    moving code does not change the template) and its translator comments."""
    template = _new_catalog(None)
    for path in sources(root):
        with path.open("rb") as code:
            found = list(extract_python(code, KEYWORDS, [COMMENT_TAG], {"encoding": "utf-8"}))
        for _line, funcname, messages, comments in found:
            first = messages[0] if isinstance(messages, tuple) else messages
            if not isinstance(first, str) or not first:
                continue  # a key built at run time: declared with `msgid` where its values are
            key: str | tuple[str, str] = (first, first) if funcname in _PLURAL_KEYWORDS else first
            where = (path.relative_to(root).as_posix(), None)
            known = template.get(first)
            if known is None:
                template.add(key, locations=[where], auto_comments=comments)
            else:
                if isinstance(key, tuple) and not known.pluralizable:
                    known.id = key
                known.locations = sorted({*known.locations, where}, key=lambda w: w[0])
                known.auto_comments = list(dict.fromkeys([*known.auto_comments, *comments]))
    return template


def _new_catalog(code: str | None) -> Catalog:
    return Catalog(locale=LANGUAGES[code].cldr_locale if code else None, domain=DOMAIN,
                   project="laovn-map", version="0.1.0", copyright_holder="laovn-map",
                   header_comment=f"# The words of laovn-map's page, map and exports"
                                  f"{f' in {LANGUAGES[code].english_name}' if code else ''}.\n"
                                  "# Written by `python3 -m laovn_map.messages extract`; "
                                  "translate in the .po files.\n#",
                   creation_date=_DATE, revision_date=_DATE, fuzzy=False)


def po_bytes(catalog: Catalog) -> bytes:
    """A catalog as the repository keeps it: no line numbers, no obsolete messages."""
    out = io.BytesIO()
    write_po(out, catalog, width=_WIDTH, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def read_catalog(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=LANGUAGES[code].cldr_locale if code else None, domain=DOMAIN)


def merged(template: Catalog, code: str, path: Path) -> Catalog:
    """Language `code`'s catalog brought up to `template`: new messages untranslated, removed
    ones dropped, translations kept (no fuzzy guesses: a guessed translation is worse than
    none)."""
    catalog = read_catalog(path, code) if path.exists() else _new_catalog(code)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.creation_date = catalog.revision_date = _DATE
    return catalog


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` fields of a message (str.format's)."""
    try:
        return frozenset(field for _lit, field, _spec, _conv in string.Formatter().parse(text)
                         if field is not None)
    except ValueError:
        return frozenset({"<unbalanced braces>"})


def _strings(message: Message) -> list[str]:
    text = message.string
    return [str(s) for s in text] if isinstance(text, tuple | list) else [str(text or "")]


def _key(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def problems(template: Catalog, catalogs: Mapping[str, Catalog]) -> list[str]:
    """What is wrong with the catalogs against the template, one line each: a message missing,
    extra, untranslated, fuzzy, with other placeholders than its English, or with another
    number of plural forms than its language's Plural-Forms."""
    keys = [_key(m) for m in template if m.id]
    english = {_key(m): m for m in catalogs[DEFAULT_LANG] if m.id} if DEFAULT_LANG in catalogs else {}
    out: list[str] = []
    for code, catalog in catalogs.items():
        where = catalog_path(code).relative_to(ROOT) if catalog_path(code).is_relative_to(ROOT) \
            else catalog_path(code)
        have = {_key(m): m for m in catalog if m.id}
        out += [f"{where}: missing message {key!r}" for key in keys if key not in have]
        out += [f"{where}: extra message {key!r} (not in the code)" for key in have if key not in keys]
        for key in keys:
            message = have.get(key)
            if message is None:
                continue
            texts = _strings(message)
            plural = template.get(key) is not None and template[key].pluralizable
            if message.fuzzy or not all(texts):
                out.append(f"{where}: message {key!r} is not translated"
                           + (" (fuzzy)" if message.fuzzy else ""))
                continue
            if plural != message.pluralizable:
                out.append(f"{where}: message {key!r} should {'' if plural else 'not '}have plural forms")
            elif plural and len(texts) != catalog.num_plurals:
                out.append(f"{where}: message {key!r} has {len(texts)} plural forms, its language "
                           f"{catalog.num_plurals}")
            reference = english.get(key)
            wanted = placeholders(_strings(reference)[-1]) if reference else None
            for text in texts:
                if wanted is not None and placeholders(text) != wanted:
                    out.append(f"{where}: message {key!r} has placeholders "
                               f"{sorted(placeholders(text))}, its English {sorted(wanted)}")
                    break
    return out


#: A glossary's columns, in order.
GLOSSARY_COLUMNS = ("term", "translation", "source")
#: Where a glossary's word may come from: a catalogue (CLDR through Babel, Debian's iso-codes),
#: a usage named after "official usage: ", or this project's own choice.
GLOSSARY_SOURCES = ("CLDR", "iso-codes", "official usage: ", "translated here")


class GlossaryError(ValueError):
    """A glossary that cannot be read; its message names the file and the line."""


@dataclass(frozen=True)
class GlossaryTerm:
    #: The English forms of the term ("province", "provinces"), matched as whole words.
    forms: tuple[str, ...]
    #: The one word the language's catalog uses for it.
    translation: str
    source: str
    #: Where it is stated: "file:line".
    where: str

    def named_in(self, english: str) -> bool:
        """Whether `english` (a message's English, its placeholders left out) names the term.
        A form inside a longer name is no match ("map" in "laovn-map" or "OpenStreetMap")."""
        return any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", english, re.IGNORECASE)
                   for form in self.forms)


def glossary_path(code: str) -> Path:
    return catalog_path(code).parent.parent / "glossary.csv"


def read_glossary(path: Path) -> list[GlossaryTerm]:
    """The terms of a glossary, in its order; GlossaryError ("file:line: what") when a row is
    not a term, its translation or source is missing or unknown, or a form is stated twice."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    if not rows or tuple(rows[0]) != GLOSSARY_COLUMNS:
        raise GlossaryError(f"{where}:1: the header must be {','.join(GLOSSARY_COLUMNS)}")
    terms: list[GlossaryTerm] = []
    seen: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(GLOSSARY_COLUMNS):
            raise GlossaryError(f"{where}:{line}: {len(row)} columns, not {len(GLOSSARY_COLUMNS)}")
        term, translation, source = (cell.strip() for cell in row)
        forms = tuple(form.strip() for form in term.split("|"))
        if not all(forms) or not translation:
            raise GlossaryError(f"{where}:{line}: an empty term or translation")
        if not source.startswith(GLOSSARY_SOURCES) or source == GLOSSARY_SOURCES[2]:
            raise GlossaryError(f"{where}:{line}: source {source!r} is none of "
                                f"{', '.join(repr(s.strip(': ')) for s in GLOSSARY_SOURCES)}")
        for form in forms:
            if form.casefold() in seen:
                raise GlossaryError(f"{where}:{line}: {form!r} is already a term at line "
                                    f"{seen[form.casefold()]}")
            seen[form.casefold()] = str(line)
        terms.append(GlossaryTerm(forms, translation, source, f"{where}:{line}"))
    return terms


def glossary_problems(terms: Sequence[GlossaryTerm], english: Catalog, catalog: Catalog,
                      where: str) -> list[str]:
    """Each message whose English names a term of the glossary and whose translation does not
    use the glossary's word for it, one line each."""
    out: list[str] = []
    english_of = {_key(m): _strings(m) for m in english if m.id}
    for message in catalog:
        key = _key(message)
        if not message.id or key not in english_of:
            continue
        plain = re.sub(r"\{[^{}]*\}", " ", " ".join(english_of[key]))
        for term in terms:
            if term.named_in(plain) and not all(term.translation in text
                                                for text in _strings(message)):
                out.append(f"{where}: message {key!r} names {term.forms[0]!r} without the "
                           f"glossary's {term.translation!r} ({term.where})")
    return out


def glossaries_problems(catalogs: Mapping[str, Catalog]) -> list[str]:
    """Every language's catalog against its glossary, where it keeps one."""
    out: list[str] = []
    for code, catalog in catalogs.items():
        path = glossary_path(code)
        if code == DEFAULT_LANG or DEFAULT_LANG not in catalogs or not path.exists():
            continue
        where = catalog_path(code).relative_to(ROOT) if catalog_path(code).is_relative_to(ROOT) \
            else catalog_path(code)
        try:
            terms = read_glossary(path)
        except GlossaryError as error:
            out.append(str(error))
            continue
        out += glossary_problems(terms, catalogs[DEFAULT_LANG], catalog, str(where))
    return out


def current(root: Path = ROOT) -> tuple[Catalog, dict[str, Catalog]]:
    """The committed template and catalogs."""
    return (read_catalog(TEMPLATE),
            {code: read_catalog(catalog_path(code), code) for code in LANGUAGES})


def write_all(root: Path = ROOT) -> list[Path]:
    """Extract the template and merge it into every language's catalog; the files written."""
    template = extract(root)
    written = [TEMPLATE]
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(po_bytes(template))
    for code in LANGUAGES:
        path = catalog_path(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(merged(template, code, path)))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["extract"]:
        for path in write_all():
            print(f"Wrote {path.relative_to(ROOT)}")
        template, catalogs = current()
        return _report([*problems(template, catalogs), *glossaries_problems(catalogs)])
    if args == ["check"]:
        template, catalogs = current()
        stale = [] if po_bytes(extract()) == TEMPLATE.read_bytes() else [
            f"{TEMPLATE.relative_to(ROOT)}: differs from the code; run "
            "`python3 -m laovn_map.messages extract`"]
        return _report([*stale, *problems(template, catalogs), *glossaries_problems(catalogs)])
    print("usage: python3 -m laovn_map.messages extract|check", file=sys.stderr)
    return 2


def _report(found: Iterable[str]) -> int:
    lines = list(found)
    for line in lines:
        print(f"Error: {line}", file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
