"""The catalogs hold every word the code asks for, in every language, with the same placeholders
and the plural forms of their language; the template is what the code marks today; and a
language is a row of `i18n.LANGUAGES` and a catalog, nothing else."""

from __future__ import annotations

import ast
import re
import shutil
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog

from laovn_map import i18n, messages
from laovn_map.catalog import COUNTRIES, MAP_LAYERS, PERIODS
from laovn_map.export import formats, print_content
from laovn_map.i18n import LANGUAGES, Language, t, tn
from laovn_map.page import labels, pagetext, popups

ROOT = Path(__file__).resolve().parents[1]


def _keys(catalog: Catalog) -> list[str]:
    return [str(m.id[0] if m.pluralizable else m.id) for m in catalog if m.id]


def test_the_template_is_a_fresh_extraction() -> None:
    assert messages.po_bytes(messages.extract()) == messages.TEMPLATE.read_bytes(), \
        "locale/laovn_map.pot is stale: run `python3 -m laovn_map.messages extract`"


def test_every_catalog_has_every_message_translated_with_its_placeholders() -> None:
    assert messages.problems(*messages.current()) == []


def test_every_key_the_code_writes_is_in_the_template() -> None:
    """Babel's extractor skips a call inside an f-string: every literal key given to `t`,
    `tn` or `msgid` anywhere (f-strings included) must have reached the template."""
    template = set(_keys(messages.read_catalog(messages.TEMPLATE)))
    written: dict[str, str] = {}
    for path in messages.sources(ROOT):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in messages.KEYWORDS and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                written[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    assert {key: where for key, where in written.items() if key not in template} == {}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_each_language_answers_every_message_from_its_own_catalog(lang: str) -> None:
    own = i18n._catalog(lang).messages
    for key in _keys(messages.read_catalog(messages.TEMPLATE)):
        assert own.get(key), f"{lang}: {key} falls back to another language"
        assert t(key, lang)


def test_the_keys_built_at_run_time_are_all_there() -> None:
    """Each family of keys the code builds from data: every value it can take has its words."""
    for lang in LANGUAGES:
        for period in PERIODS:
            for layer in (*MAP_LAYERS, "missions", "provinces_vn_2025", "segments_2025"):
                assert labels.layer_label(layer, lang, period)
            assert formats.what_is_shown(formats.ExportState(lang=lang, period=period))
        for fmt in formats.FORMATS:
            assert formats.export_label(fmt, lang)
        for rule in ("exact:1", "alias:x", "fuzzy:90"):
            assert labels.match_words(rule, lang)
        for text in ("en", "vi"):
            assert labels.text_language_name(text, lang)
        for unit in ("usd", "projects", "rank", "countries"):
            for value in (1, 2, 3.5e6, 4e9):
                assert pagetext.figure_value({"value": value, "unit": unit, "qualifier": "about"},
                                             lang)
        assert {labels.kind_label(kind, lang) for kind in ("embassy", "consulate")}


# --- the checks themselves ---------------------------------------------------------------

def _catalog(code: str | None, entries: dict[str, str | tuple[str, ...]]) -> Catalog:
    catalog = Catalog(locale=code, domain=i18n.DOMAIN)
    for key, text in entries.items():
        catalog.add((key, key) if isinstance(text, tuple) else key, text)
    return catalog


def test_the_checks_find_missing_extra_and_mismatched_messages() -> None:
    template = _catalog(None, {"a": "", "b": "", "n": ("", "")})
    found = messages.problems(template, {
        "en": _catalog("en", {"a": "{name} ({id})", "b": "B", "n": ("{n} thing", "{n} things")}),
        "vi": _catalog("vi", {"a": "mã {id}", "n": ("{n} a", "{n} b"), "c": "C"}),
    })
    assert any("missing message 'b'" in p for p in found)
    assert any("extra message 'c'" in p for p in found)
    assert any("'a' has placeholders ['id'], its English ['id', 'name']" in p for p in found)
    assert any("'n' has 2 plural forms, its language 1" in p for p in found)
    assert not any("laovn_map.po: message" in p and "'b'" in p for p in found if "en/" in p)


def test_the_placeholders_are_format_fields() -> None:
    assert messages.placeholders("the {century} century, {n:,} {x!r}") == {"century", "n", "x"}
    assert messages.placeholders("no {field") == {"<unbalanced braces>"}


# --- the two mismatches the catalogs fixed ------------------------------------------------

def test_the_geonames_record_is_named_in_every_language() -> None:
    """In English by the record's own name; in Vietnamese (whose page says no English) by the
    city's Vietnamese name, where it used to give the id alone."""
    props = {"geonames_name": "Pakxe", "geonames_id": 1651944, "geonames_population": 88332,
             "city": "Pakse", "city_vi": "Pắc-xế"}
    assert popups._geonames(props, "en") == "Pakxe (1651944), population 88,332"
    assert popups._geonames(props, "vi") == "Pắc-xế (mã 1651944), dân số 88.332"


def test_a_century_is_numbered_as_its_language_numbers_it() -> None:
    assert labels.period_label("1801-01-01", "1900-12-31", "century", "en") == "the 19th century"
    assert labels.period_label("1801-01-01", "1900-12-31", "century", "vi") == "thế kỷ XIX"


# --- plural forms --------------------------------------------------------------------------

def test_a_count_takes_its_languages_plural_form() -> None:
    assert tn("tf.unit.projects", 1, "en") == "{n} project"
    assert tn("tf.unit.projects", 429, "en") == "{n} projects"
    assert tn("tf.unit.projects", 1, "vi") == tn("tf.unit.projects", 429, "vi") == "{n} dự án"
    assert pagetext.figure_value({"value": 1, "unit": "countries"}, "en") == "1 country or territory"
    layers = types.SimpleNamespace(figures={"segments": 1, "segments_length_km_sum": 2.0},
                                   features=lambda _name: [])
    assert "Sum of the 1 segment |" in pagetext.figures_markdown(layers, "en")  # type: ignore[arg-type]


def test_the_plural_forms_are_cldrs() -> None:
    for code, language in LANGUAGES.items():
        catalog = messages.read_catalog(i18n.catalog_path(code), code)
        assert catalog.plural_forms == Catalog(locale=language.cldr_locale).plural_forms


# --- a language is data --------------------------------------------------------------------

_COMPARED = ("lang", "language", "code")


def _language_comparisons(path: Path) -> Iterator[str]:
    """`lang == "vi"` and the like: a comparison of a language variable with a literal code."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        named = any((isinstance(s, ast.Name) and s.id in _COMPARED)
                    or (isinstance(s, ast.Attribute) and s.attr in _COMPARED) for s in sides)
        literal = any(isinstance(s, ast.Constant) and s.value in LANGUAGES for s in sides)
        if named and literal:
            yield f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}"


def test_no_code_outside_the_build_branches_on_a_language() -> None:
    """The build's `language == "vi"` is the Vietnamese seed text (data); elsewhere a language
    is read from its row of `i18n.LANGUAGES`."""
    found = [hit for path in messages.sources(ROOT) for hit in _language_comparisons(path)]
    assert found == []


@pytest.fixture
def third_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A language added as the docs say: a row and a catalog (the English one, marked)."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    english = messages.read_catalog(i18n.catalog_path("en"), "en")
    french = Catalog(locale="fr", domain=i18n.DOMAIN)
    for message in english:
        if message.id:
            text = message.string
            # as many plural forms as CLDR gives French (three: one, many, other)
            french.add(message.id, (f"FR {text[0]}", *[f"FR {text[-1]}"] * (french.num_plurals - 1))
                       if isinstance(text, tuple | list) else f"FR {text}")
    path = locale / "fr" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(messages.po_bytes(french))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setitem(LANGUAGES, "fr", Language("fr", "Français", "French", "fr", "_fr",
                                                  ("name_en",), "name_en", "roman"))
    monkeypatch.setitem(i18n.LANGS, "fr", "Français")
    i18n._catalog.cache_clear()
    yield "fr"
    i18n._catalog.cache_clear()


def test_a_new_language_is_a_row_and_a_catalog(third_language: str) -> None:
    lang = third_language
    assert t("title", lang) == "FR " + t("title", "en")
    # a country's name is CLDR's in the row's locale (catalog.Country.name), not a message
    vietnam = Locale.parse("fr").territories["VN"]
    assert COUNTRIES["VN"].name(lang) == vietnam
    assert labels.km(2199.2, lang).startswith("2\u202f199,2")  # CLDR's French
    mission = {"kind": "consulate", "sending_country": "VN", "city": "Pakse", "name": "x"}
    assert labels.mission_name(mission, lang) == f"FR FR Consulate of {vietnam}, Pakse"
    assert labels.period_label("1801-01-01", "1900-12-31", "century", lang) == "FR the XIX century"
    assert "FR Legend" in labels.legend_html(MAP_LAYERS, lang)
    note = print_content.projection_note(  # type: ignore[arg-type]
        types.SimpleNamespace(state=formats.ExportState(lang=lang)), 0.26)
    assert note.endswith("0,3 %.") and note.startswith("FR ")
    assert messages.problems(messages.read_catalog(messages.TEMPLATE),
                             {code: messages.read_catalog(i18n.catalog_path(code), code)
                              for code in LANGUAGES}) == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_message_runs_two_sentences_together(lang: str) -> None:
    """A sentence's full stop is followed by a space: two translations merged into one message
    ("… khi bạn bấm.Những gì …", once made by a merge of two branches) read as one."""
    from babel.messages.pofile import read_po

    path = Path(i18n.__file__).parent / "locale" / lang / "LC_MESSAGES" / "laovn_map.po"
    with path.open("rb") as f:
        run_together = [m.id for m in read_po(f) if m.id and isinstance(m.string, str)
                        and re.search(r"[.!?][A-ZÀ-ỸĐ]", m.string)]
    assert run_together == []


# --- the glossaries ------------------------------------------------------------------------------

def _glossary_languages() -> list[str]:
    return [code for code in LANGUAGES if messages.glossary_path(code).exists()]


def test_lao_keeps_a_glossary_with_a_source_for_every_word() -> None:
    assert "lo" in _glossary_languages()
    terms = messages.read_glossary(messages.glossary_path("lo"))
    english = {form.casefold() for term in terms for form in term.forms}
    # the concepts every part of the page names, each one word
    assert {"border", "province", "embassy", "consulate", "map", "layer", "vietnam",
            "laos"} <= english
    assert all(term.source.startswith(messages.GLOSSARY_SOURCES) for term in terms)


def test_every_catalog_uses_its_glossarys_word_wherever_its_english_names_the_term() -> None:
    assert messages.glossaries_problems(messages.current()[1]) == []


def test_a_message_with_another_word_than_the_glossarys_is_named_with_the_glossarys_line() -> None:
    catalogs = messages.current()[1]
    lao = messages.read_catalog(i18n.catalog_path("lo"), "lo")
    border = messages.read_glossary(messages.glossary_path("lo"))[5]
    assert border.forms[0] == "border"
    lao["layer.border"].string = "ເສັ້ນແບ່ງ ລາວ–ຫວຽດນາມ"  # another word for the border
    found = messages.glossary_problems([border], catalogs["en"], lao, "lo.po")
    assert found == [f"lo.po: message 'layer.border' names 'border' without the glossary's "
                     f"'{border.translation}' ({border.where})"]
    assert border.where.endswith("glossary.csv:7")


@pytest.mark.parametrize(("english", "named"), [
    ("The map layers cannot be shown.", True), ("Maps for print", True),
    ("laovn-map", False), ("OpenStreetMap tiles", False), ("{n} maps", True)])
def test_a_term_is_named_as_a_whole_word(english: str, named: bool) -> None:
    term = messages.GlossaryTerm(("map", "maps"), "ແຜນທີ່", "translated here", "g.csv:2")
    assert term.named_in(english) is named


@pytest.mark.parametrize(("text", "problem"), [
    ("english,lao,source\n", "g.csv:1: the header must be term,translation,source"),
    ("term,translation,source\nmap,ແຜນທີ່\n", "g.csv:2: 2 columns, not 3"),
    ("term,translation,source\nmap,,CLDR\n", "g.csv:2: an empty term or translation"),
    ("term,translation,source\nmap,ແຜນທີ່,a friend\n", "g.csv:2: source 'a friend' is none of"),
    ("term,translation,source\nmap,ແຜນທີ່,official usage: \n",
     "g.csv:2: source 'official usage:' is none of"),
    ("term,translation,source\nmap,ແຜນທີ່,CLDR\nlayer|Map,ຊັ້ນ,CLDR\n",
     "g.csv:3: 'Map' is already a term at line 2"),
])
def test_a_bad_glossary_is_refused_with_its_file_and_line(
        tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "g.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(messages.GlossaryError) as refused:
        messages.read_glossary(path)
    assert str(refused.value).replace(str(tmp_path) + "/", "").startswith(problem)
    assert "\n" not in str(refused.value)
