from __future__ import annotations

import json
import os
import shutil
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from laovn_map.build.seeds import (
    MAX_LINE_CHARS,
    MAX_SEED_BYTES,
    SeedMeta,
    SeedText,
    decode_meta,
    decode_seed,
    find_seeds,
    read_seed,
)
from laovn_map.cli import main
from laovn_map.errors import SeedError

from ..conftest import MINI, REAL_SEEDS, SOURCES


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
    ],
)
def test_unreadable_seeds_name_file_and_line(raw: bytes, message: str) -> None:
    with pytest.raises(SeedError) as err:
        decode_seed(raw, "x.txt")
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("char", "name"),
    [("\u200b", "ZERO WIDTH SPACE"), ("\u200c", "ZERO WIDTH NON-JOINER"),
     ("\u200d", "ZERO WIDTH JOINER"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
     ("\u00ad", "SOFT HYPHEN"), ("\u2060", "WORD JOINER"), ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
     ("\u2067", "RIGHT-TO-LEFT ISOLATE")],
)
def test_format_characters_are_refused_naming_line_and_character(char: str, name: str) -> None:
    with pytest.raises(SeedError) as err:
        decode_seed(f"Quan hệ\r\n- Pakse (Consulate)\n- Pak{char}se (Consulate)\n".encode(), "x.txt")
    assert str(err.value) == (
        f"Seed x.txt:3 contains the invisible format character U+{ord(char):04X} {name} "
        "(Unicode category Cf), which can disguise text or change a name unseen; remove it.")


def test_only_a_leading_bom_is_accepted() -> None:
    assert decode_seed(b"\xef\xbb\xbfone\ntwo", "x.txt").lines == ("one", "two")
    with pytest.raises(SeedError, match=r"^Seed x.txt:2 contains the invisible format character "
                                         r"U\+FEFF ZERO WIDTH NO-BREAK SPACE"):
        decode_seed(b"\xef\xbb\xbfone\n\xef\xbb\xbftwo", "x.txt")


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


# --- only regular files are read -----------------------------------------------------------------

NOT_REGULAR = "is not a regular file but {kind}; a seed must be a plain text file (replace it " \
              "with the article's text)."


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.en.txt"
    os.mkfifo(fifo)
    outcome: list[SeedText | SeedError] = []

    def read() -> None:
        try:
            outcome.append(read_seed(fifo, "pipe.en.txt"))
        except SeedError as err:
            outcome.append(err)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=30)  # a guard so a regression fails instead of hanging the suite
    blocked = reader.is_alive()
    if blocked:  # stuck in open(): a writer that closes at once lets it end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join()
    assert not blocked, "read_seed waited for a writer on a FIFO"
    assert [str(o) for o in outcome] == [
        "Seed pipe.en.txt " + NOT_REGULAR.format(kind="a FIFO (named pipe)")]


def test_a_directory_or_a_symlink_to_one_is_not_a_seed(tmp_path: Path) -> None:
    (tmp_path / "a.vi.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.en.txt").mkdir()
    with pytest.raises(SeedError) as err:
        find_seeds(tmp_path)
    assert str(err.value) == f"Seed {tmp_path.name}/a.en.txt " + NOT_REGULAR.format(
        kind="a directory")
    (tmp_path / "a.en.txt").rmdir()
    (tmp_path / "a.en.txt").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(SeedError, match=r"^Seed .*/a\.en\.txt is not a regular file but a directory"):
        find_seeds(tmp_path)


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("one\ntwo", encoding="utf-8")
    (tmp_path / "link.en.txt").symlink_to(tmp_path / "real.txt")
    assert read_seed(tmp_path / "link.en.txt").lines == ("one", "two")


def test_a_dangling_symlink_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "a.vi.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.en.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(SeedError, match=r"^Seed .*/a.en.txt does not exist\.$"):
        find_seeds(tmp_path)


@pytest.mark.parametrize("spare", [0, 1])
def test_a_line_of_the_bound_is_read_and_one_longer_is_refused_at_its_line(spare: int) -> None:
    """The bound counts characters after NFC: "e" and a combining acute are one "é"."""
    long_line = "e\u0301" * MAX_LINE_CHARS + "x" * spare
    raw = f"First line\n\n{long_line}\nlast".encode()
    if not spare:
        assert len(decode_seed(raw, "seeds/a.vi.txt").line(3)) == MAX_LINE_CHARS
        return
    with pytest.raises(SeedError) as caught:
        decode_seed(raw, "seeds/a.vi.txt")
    assert str(caught.value) == (
        f"Seed seeds/a.vi.txt:3 is a line of {MAX_LINE_CHARS + 1:,} characters, more than the "
        f"{MAX_LINE_CHARS:,} a paragraph of an article has; is it the right file (or are "
        "paragraphs joined without line breaks)?")


# --- the seeds' metadata files ----------------------------------------------------------------

META = {"title": "Quan hệ Lào – Việt Nam", "language": "vi",
        "url": "https://vi.wikipedia.org/wiki/Quan_h%E1%BB%87_L%C3%A0o_%E2%80%93_Vi%E1%BB%87t_Nam",
        "revision": None, "retrieved": None}


def _meta_bytes(**changes: object) -> bytes:
    return (json.dumps({**META, **changes}, ensure_ascii=False, indent=2) + "\n").encode()


def test_the_real_seeds_name_their_articles_and_record_no_revision_or_day() -> None:
    seeds = find_seeds(REAL_SEEDS)
    assert seeds.english.meta == SeedMeta(
        "Laos–Vietnam relations", "en",
        "https://en.wikipedia.org/wiki/Laos%E2%80%93Vietnam_relations", None, None)
    assert seeds.english.lines[0] == f"= {seeds.english.meta.title} ="  # its first line
    assert seeds.vietnamese.meta == SeedMeta("Quan hệ Lào – Việt Nam", "vi", META["url"], None, None)


def test_a_recorded_revision_and_day_are_read() -> None:
    meta = decode_meta(_meta_bytes(revision=1234567, retrieved="2024-05-01"), "m.json", "vi")
    assert (meta.revision, meta.retrieved) == (1234567, "2024-05-01")


def test_a_missing_metadata_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(REAL_SEEDS, folder)
    (folder / "quan-he-lao-viet-nam.vi.meta.json").unlink()
    with pytest.raises(SeedError) as err:
        find_seeds(folder)
    assert str(err.value).startswith(
        "Seed metadata seeds/quan-he-lao-viet-nam.vi.meta.json does not exist; write it beside "
        "its seed")


@pytest.mark.parametrize(("raw", "message"), [
    (_meta_bytes(revision="abc"),
     'Seed metadata m.json:5: "revision" is "abc", not the article\'s revision id (a whole '
     "number), or null where not recorded."),
    (_meta_bytes(revision=True), 'Seed metadata m.json:5: "revision" is true, not'),
    (_meta_bytes(retrieved="2024-02-30"),
     'Seed metadata m.json:6: "retrieved" is "2024-02-30", not the day it was retrieved'),
    (_meta_bytes(language="en"),
     'Seed metadata m.json:3: "language" is "en", not "vi", the language of its seed.'),
    (_meta_bytes(url="http://vi.wikipedia.org/x y"),
     'Seed metadata m.json:4: "url" is "http://vi.wikipedia.org/x y", not an https:// address'),
    (_meta_bytes(title=""), 'Seed metadata m.json:2: "title" is "", not a title'),
    (_meta_bytes(licence="CC BY-SA 4.0"),
     'Seed metadata m.json:7 has the unknown field "licence"; the file holds one JSON object'),
    (b'{"title": "a",\n "title": "b"}', 'Seed metadata m.json:2 gives "title" twice; keep one.'),
    (b'{\n  "title": "x",\n  "language": "vi"\n  "url": ""}', "Seed metadata m.json:4 is not valid JSON"),
    (b"[]", "Seed metadata m.json:1 is not a JSON object"),
    (json.dumps({k: v for k, v in META.items() if k != "retrieved"}).encode(),
     'Seed metadata m.json:1 lacks "retrieved"'),
    (b'{"title": "\xff"}', "Seed metadata m.json:1 is not valid UTF-8"),
])
def test_a_bad_metadata_file_is_refused_at_its_line(raw: bytes, message: str) -> None:
    with pytest.raises(SeedError) as err:
        decode_meta(raw, "m.json", "vi")
    assert str(err.value).startswith(message), str(err.value)
    assert "\n" not in str(err.value)


def test_a_bad_metadata_file_stops_the_build_in_one_line(
    seed_folder: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    folder = seed_folder()
    (folder / "quan-he-lao-viet-nam.vi.meta.json").write_bytes(_meta_bytes(retrieved="yesterday"))
    assert main(["build", "--seeds", str(folder), "--sources", str(SOURCES),
                 "--out", str(tmp_path / "geo")]) == 1
    err = capsys.readouterr().err
    assert err == ('Error: Seed metadata seeds/quan-he-lao-viet-nam.vi.meta.json:6: "retrieved" '
                   'is "yesterday", not the day it was retrieved (YYYY-MM-DD), or null where not '
                   "recorded.\n")
    assert not (tmp_path / "geo").exists()
