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
    assert pakse.provenance.quote == ";Of Vietnam\n- Pakse (Consulate)"
    assert pakse.provenance.line == 52


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
