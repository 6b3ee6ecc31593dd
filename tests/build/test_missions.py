"""laovn_map.build.missions: the English text's missions section and infobox."""

from __future__ import annotations

from ..conftest import REAL_SEEDS
from .test_extract import _error, records_of


def test_real_seeds_give_seven_missions_with_envoys() -> None:
    missions = records_of(REAL_SEEDS).missions
    summary = [(m.sending_country, m.host_country, m.kind, m.city) for m in missions]
    assert summary == [
        ("VN", "LA", "embassy", "Vientiane"),
        ("VN", "LA", "consulate", "Luang Prabang"),
        ("VN", "LA", "consulate", "Pakse"),
        ("VN", "LA", "consulate", "Savannakhet"),
        ("LA", "VN", "embassy", "Hanoi"),
        ("LA", "VN", "consulate", "Ho Chi Minh City"),
        ("LA", "VN", "consulate", "Da Nang"),
    ]
    embassies = {m.city: m for m in missions if m.kind == "embassy"}
    assert embassies["Hanoi"].envoy is not None
    assert embassies["Hanoi"].envoy.name == "Khamphao Ernthavanh"
    assert embassies["Vientiane"].envoy is not None
    assert embassies["Vientiane"].envoy.title == "Vietnam Ambassador to Laos"
    assert all(m.envoy is None and m.infobox is None for m in missions if m.kind == "consulate")
    pakse = next(m for m in missions if m.city == "Pakse")
    # the quote as a reader reads it: the list's wiki markup (";", "- ") left out, the line kept
    assert pakse.provenance.quote == "Of Vietnam\nPakse (Consulate)"
    assert pakse.provenance.line == 52
    vientiane = embassies["Vientiane"]
    assert vientiane.infobox is not None and vientiane.infobox.quote == \
        "Mission2: Embassy of Vietnam, Vientiane"
    assert vientiane.envoy is not None and vientiane.envoy.provenance.quote == \
        "Envoytitle2: Vietnam Ambassador to Laos\nEnvoy2: Nguyễn Minh Tâm"


def test_unparseable_mission_line(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(en=lambda t: t.replace("- Pakse (Consulate)", "- Pakse, consulate")))
    assert message == ("Cannot parse the mission line seeds/laos-vietnam-relations.en.txt:52 "
                       "'- Pakse, consulate': expected '- City (Embassy)' or '- City (Consulate)'.")


def test_missing_missions_section(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(en=lambda t: t.replace("==Diplomatic missions==", "==Other==")))
    assert message == ("No '== Diplomatic missions ==' section in "
                       "seeds/laos-vietnam-relations.en.txt.")


def test_infobox_mission_not_in_list(seed_folder) -> None:  # type: ignore[no-untyped-def]
    message = _error(seed_folder(en=lambda t: t.replace("Embassy of Laos, Hanoi",
                                                        "Embassy of Laos, Hue")))
    assert message == ("The infobox mission 'Embassy of Laos, Hue' at "
                       "seeds/laos-vietnam-relations.en.txt:5 is not in the 'Diplomatic missions' "
                       "list.")


def test_a_quoted_line_loses_the_wiki_markup_that_opens_it() -> None:
    from laovn_map.build.text import plain_line

    assert plain_line(";Of Vietnam") == "Of Vietnam"
    assert plain_line("  - Pakse (Consulate)") == "Pakse (Consulate)"
    assert plain_line("* Hanoi (Embassy)") == "Hanoi (Embassy)"
    assert plain_line("# one") == "one"
    assert plain_line(":: indented") == "indented"
    assert plain_line("Pakse – Champasak") == "Pakse – Champasak"  # a dash inside stays
