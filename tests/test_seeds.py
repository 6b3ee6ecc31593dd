from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from laovn_map.errors import SeedError
from laovn_map.seeds import MAX_SEED_BYTES, decode_seed, find_seeds, read_seed

from .conftest import MINI


def test_line_numbers_survive_any_line_end() -> None:
    for sep in ("\n", "\r\n", "\r"):
        seed = decode_seed(sep.join(["one", "", "three"]).encode(), "x.txt")
        assert seed.lines == ("one", "", "three")
        assert seed.line(3) == "three"


def test_nfd_becomes_nfc_and_bom_is_dropped() -> None:
    text = unicodedata.normalize("NFD", "Thừa Thiên – Huế")
    seed = decode_seed(b"\xef\xbb\xbf" + text.encode(), "x.txt")
    assert seed.lines == ("Thừa Thiên – Huế",)
    assert unicodedata.is_normalized("NFC", seed.lines[0])


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "Seed x.txt is empty"),
        (b" \n\n", "Seed x.txt is empty"),
        ("Hà Nội".encode("utf-16"), "Seed x.txt looks like UTF-16"),
        (b"ok\nH\xe0 N\xf4\xefi\n", "Seed x.txt:2 is not valid UTF-8 (byte 0xe0 at offset 4)"),
        ("a\nb\u202ec\n".encode(), "Seed x.txt:2 contains the bidirectional control character U+202E"),
    ],
)
def test_unreadable_seeds_name_file_and_line(raw: bytes, message: str) -> None:
    with pytest.raises(SeedError) as err:
        decode_seed(raw, "x.txt")
    assert str(err.value).startswith(message)


def test_oversized_seed_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.vi.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_SEED_BYTES * 3)
    with pytest.raises(SeedError, match=rf"is {MAX_SEED_BYTES * 3:,} bytes, more than the 2,000,000"):
        read_seed(big, "big.vi.txt")


def test_find_seeds_needs_one_file_per_language(tmp_path: Path) -> None:
    (tmp_path / "a.en.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SeedError, match=r"exactly one \*\.vi\.txt file \(found: none\)"):
        find_seeds(tmp_path)
    with pytest.raises(SeedError, match="does not exist"):
        find_seeds(tmp_path / "nope")


def test_find_seeds_reports_paths_relative_to_root() -> None:
    seeds = find_seeds(MINI)
    assert seeds.english.path == "mini/mini.en.txt"
    assert seeds.vietnamese.path == "mini/mini.vi.txt"
