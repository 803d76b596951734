"""read_export: every Moodle export layout, and refusing what is unsafe per student.

Fixtures are built here with zipfile (or by hand with struct where zipfile cannot lie about sizes).
"""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from autograder.moodle.export import DEFAULT_GROUP_ID, MoodleExportError, read_export
from autograder.moodle.safe_zip import EntryRefused, read_capped

MODULE = b"def fit(X, y):\n    return X\n"


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: (name, deflate stream, crc, declared size, flags) per entry.

    zipfile always writes true sizes; a zip bomb declares whatever it likes."""
    body, central = b"", b""
    for name, stream, crc, declared, flags in entries:
        encoded = name.encode("utf-8")
        common = (flags, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(stream), declared, len(encoded))
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 0x0314, 20, *common, 0, 0, 0, 0, 0o100644 << 16, len(body))
        central += encoded
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *common, 0) + encoded + stream
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return body + central + end


def zeros_as_deflate(megabytes: int) -> tuple[bytes, int]:
    """A raw deflate stream of `megabytes` MiB of zeros, and its CRC, built in milliseconds."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_mib = bytes(1 << 20)
    block = compressor.compress(one_mib) + compressor.flush(zlib.Z_FULL_FLUSH)  # self-contained, byte-aligned
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(one_mib, crc)
    return block * megabytes + final, crc


@pytest.fixture
def decompressed_bytes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every byte zipfile hands out while reading entries."""
    counted = [0]
    original = zipfile.ZipExtFile.read

    def counting_read(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = original(self, n)
        counted[0] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    return counted


# Layouts


def test_moodle_41_folders_with_hebrew_and_latin_names(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "course-hw1-42.zip",
        [
            ("Dana Levi_101_assignsubmission_file/hw1_linear_regression.py", MODULE),
            ("דנה כהן_102_assignsubmission_file/work/hw1_linear_regression.py", MODULE),
            ("דנה כהן_102_assignsubmission_file/work/notes.txt", b"hi"),
            ("Jean Luc O Brien_9_assignsubmission_file/hw1.py", b"x = 1\n"),
        ],
    )
    export = read_export(source)
    assert [s.participant_id for s in export.submissions] == [9, 101, 102]
    by_id = export.by_id()
    assert by_id[101].name == "Dana Levi"
    assert by_id[101].files == {"hw1_linear_regression.py": MODULE}
    assert by_id[102].name == "דנה כהן"
    assert by_id[102].files == {"work/hw1_linear_regression.py": MODULE, "work/notes.txt": b"hi"}
    assert all(not s.online_text and not s.problems and not s.is_group for s in export.submissions)
    assert export.unmatched == []


def test_pre_41_folders_end_with_an_underscore(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "e.zip", [("Dana Levi_101_assignsubmission_file_/sub dir/hw1.py", MODULE)])
    (submission,) = read_export(source).submissions
    assert (submission.participant_id, submission.name) == (101, "Dana Levi")
    assert submission.files == {"sub dir/hw1.py": MODULE}


def test_flat_layout_puts_the_file_name_after_the_plugin(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Dana Levi_101_assignsubmission_file_hw1_linear_regression.py", MODULE),
            ("Dana Levi_101_assignsubmission_file_report.pdf", b"%PDF"),
            ("אבי_7_assignsubmission_file_my hw.py", b"y = 2\n"),
        ],
    )
    by_id = read_export(source).by_id()
    assert by_id[101].files == {"hw1_linear_regression.py": MODULE, "report.pdf": b"%PDF"}
    assert by_id[7].name == "אבי" and by_id[7].files == {"my hw.py": b"y = 2\n"}


def test_online_text_is_recorded_but_not_graded(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Dana Levi_101_assignsubmission_onlinetext/onlinetext.html", b"<p>my answer</p>"),
            ("Dana Levi_101_assignsubmission_file/hw1.py", MODULE),
            ("Avi Cohen_102_assignsubmission_onlinetext/onlinetext.html", b"<p>only text</p>"),
            ("Noa_103_assignsubmission_onlinetext_onlinetext.html", b"<p>flat</p>"),
        ],
    )
    by_id = read_export(source).by_id()
    assert by_id[101].online_text and by_id[101].files == {"hw1.py": MODULE} and by_id[101].problems == []
    assert by_id[102].online_text and by_id[102].files == {}
    assert "online text" in by_id[102].problems[0]
    assert by_id[103].online_text and by_id[103].files == {}


def test_group_submissions_and_the_default_group(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Team Rocket_7_assignsubmission_file/hw1.py", MODULE),
            ("צוות א_8_assignsubmission_file/hw1.py", MODULE),
            ("Default group_assignsubmission_file/hw1.py", MODULE),
            ("Default group_assignsubmission_file/other.py", MODULE),
        ],
    )
    export = read_export(source)
    assert [(s.participant_id, s.name, s.is_group) for s in export.submissions] == [
        (DEFAULT_GROUP_ID, "Default group", True),
        (7, "Team Rocket", True),
        (8, "צוות א", True),
    ]
    assert sorted(export.submissions[0].files) == ["hw1.py", "other.py"]
    assert export.unmatched == []


def test_team_submission_can_be_told_instead_of_guessed(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "e.zip", [("Team Rocket_7_assignsubmission_file/hw1.py", MODULE)])
    assert not read_export(source).submissions[0].is_group
    assert read_export(source, team_submission=True).submissions[0].is_group


def test_anonymous_marking_names_are_kept_as_in_the_export(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Participant_5_assignsubmission_file/hw1.py", MODULE),
            ("משתתף_6_assignsubmission_file/hw1.py", MODULE),
        ],
    )
    assert [(s.participant_id, s.name) for s in read_export(source).submissions] == [(5, "Participant"), (6, "משתתף")]


def test_names_with_underscores_from_clean_filename_still_parse(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "e.zip", [("O_Brien_12_3_assignsubmission_file/hw1.py", MODULE)])
    (submission,) = read_export(source).submissions
    assert (submission.participant_id, submission.name) == (3, "O_Brien_12")


def test_several_entries_for_one_id_merge_into_one_submission(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Dana Levi_101_assignsubmission_file/a.py", b"a"),
            ("Dana Levi_101_assignsubmission_file_b.py", b"b"),
            ("Dana Levi_101_assignsubmission_onlinetext/onlinetext.html", b"t"),
        ],
    )
    (submission,) = read_export(source).submissions
    assert submission.files == {"a.py": b"a", "b.py": b"b"} and submission.online_text


def test_utf8_names_without_the_utf8_flag_are_redecoded(tmp_path: Path) -> None:
    name = "דנה_101_assignsubmission_file/תרגיל.py"
    encoded = name.encode("utf-8")
    placeholder = "Q" * len(encoded)  # ASCII, same byte length: zipfile writes it without the flag
    data = make_zip(tmp_path / "tmp.zip", [(placeholder, MODULE)]).read_bytes()
    source = tmp_path / "no_flag.zip"
    source.write_bytes(data.replace(placeholder.encode(), encoded))
    assert zipfile.ZipFile(source).infolist()[0].flag_bits & 0x800 == 0  # Python decoded it as cp437
    (submission,) = read_export(source).submissions
    assert submission.name == "דנה" and submission.files == {"תרגיל.py": MODULE}


def test_a_rezipped_folder_with_macos_debris_still_reads(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "mine.zip",
        [
            ("submissions/Dana Levi_101_assignsubmission_file/hw1.py", MODULE),
            ("submissions/Dana Levi_101_assignsubmission_file/.DS_Store", b"junk"),
            ("submissions/אבי_7_assignsubmission_file_hw1.py", MODULE),
            ("__MACOSX/submissions/._Dana Levi_101_assignsubmission_file", b"junk"),
        ],
    )
    export = read_export(source)
    assert [(s.participant_id, s.files) for s in export.submissions] == [
        (7, {"hw1.py": MODULE}),
        (101, {"hw1.py": MODULE}),
    ]
    assert export.unmatched == []


def test_an_unpacked_folder_reads_like_the_zip(tmp_path: Path) -> None:
    root = tmp_path / "unpacked"
    (root / "Dana Levi_101_assignsubmission_file" / "work").mkdir(parents=True)
    (root / "Dana Levi_101_assignsubmission_file" / "work" / "hw1.py").write_bytes(MODULE)
    (root / "דנה_102_assignsubmission_file_hw1.py").write_bytes(MODULE)
    (root / ".DS_Store").write_bytes(b"junk")
    export = read_export(root)
    assert [(s.participant_id, s.files) for s in export.submissions] == [
        (101, {"work/hw1.py": MODULE}),
        (102, {"hw1.py": MODULE}),
    ]


def test_unrecognised_entries_are_reported_not_fatal(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [("Dana Levi_101_assignsubmission_file/hw1.py", MODULE), ("readme.txt", b"hello")],
    )
    export = read_export(source)
    assert [s.participant_id for s in export.submissions] == [101]
    assert export.unmatched == ["readme.txt (1 file): not named like a Moodle submission"]


# Whole-run errors


def test_a_missing_path_raises_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(MoodleExportError, match="does not exist"):
        read_export(tmp_path / "nope.zip")


@pytest.mark.parametrize("content", [b"", b"this is not a zip", b"PK\x03\x04garbage"])
def test_a_file_that_is_not_a_zip_raises(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "export.zip"
    source.write_bytes(content)
    with pytest.raises(MoodleExportError, match="export.zip is not a readable zip file.*download it again"):
        read_export(source)


def test_a_truncated_download_raises(tmp_path: Path) -> None:
    data = make_zip(tmp_path / "full.zip", [("Dana Levi_101_assignsubmission_file/hw1.py", MODULE * 100)]).read_bytes()
    source = tmp_path / "cut.zip"
    source.write_bytes(data[: len(data) // 2])
    with pytest.raises(MoodleExportError, match="not a readable zip"):
        read_export(source)


def test_a_zip_without_moodle_entries_raises(tmp_path: Path) -> None:
    source = make_zip(tmp_path / "photos.zip", [("a.jpg", b"1"), ("b.jpg", b"2")])
    with pytest.raises(MoodleExportError, match="does not look like a Moodle"):
        read_export(source)


# Per-student refusals


def test_dotdot_paths_are_refused_for_that_student_only(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Dana Levi_101_assignsubmission_file/../../evil.py", b"evil"),
            ("Dana Levi_101_assignsubmission_file/hw1.py", MODULE),
            ("Avi_102_assignsubmission_file/..\\..\\evil.py", b"evil"),
            ("Noa_103_assignsubmission_file/hw1.py", MODULE),
        ],
    )
    by_id = read_export(source).by_id()
    assert by_id[101].files == {"hw1.py": MODULE}
    assert by_id[101].problems == ["Refused ../../evil.py: its path contains '..'."]
    assert by_id[102].files == {} and "'..'" in by_id[102].problems[0]
    assert by_id[103].files == {"hw1.py": MODULE} and by_id[103].problems == []


def test_absolute_paths_are_refused(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("/Dana Levi_101_assignsubmission_file/hw1.py", MODULE),
            ("Avi_102_assignsubmission_file/C:/Windows/x.py", MODULE),
            ("/etc/passwd", b"root"),
        ],
    )
    export = read_export(source)
    by_id = export.by_id()
    assert by_id[101].files == {} and "absolute path" in by_id[101].problems[0]
    assert by_id[102].files == {} and "drive letter" in by_id[102].problems[0]
    assert export.unmatched == ["/etc/passwd (1 file): it has an absolute path"]


def test_symlink_entries_are_refused(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            (symlink_info("Dana Levi_101_assignsubmission_file/hw1.py"), b"/etc/passwd"),
            ("Dana Levi_101_assignsubmission_file/notes.txt", b"ok"),
        ],
    )
    (submission,) = read_export(source).submissions
    assert submission.files == {"notes.txt": b"ok"}
    assert submission.problems == ["Refused hw1.py: it is a symbolic link."]


def test_symlinks_in_an_unpacked_folder_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    student = tmp_path / "unpacked" / "Dana Levi_101_assignsubmission_file"
    student.mkdir(parents=True)
    (student / "hw1.py").write_bytes(MODULE)
    os.symlink(secret, student / "data.txt")
    os.symlink(tmp_path, student / "linked_dir")
    (submission,) = read_export(tmp_path / "unpacked").submissions
    assert submission.files == {"hw1.py": MODULE}
    assert submission.problems == [
        "Refused data.txt: it is a symbolic link.",
        "Refused linked_dir: it is a symbolic link.",
    ]


def test_files_over_the_per_file_cap_are_refused(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Dana Levi_101_assignsubmission_file/big.bin", bytes(2000)),
            ("Dana Levi_101_assignsubmission_file/hw1.py", MODULE),
        ],
    )
    (submission,) = read_export(source, max_file_bytes=1000).submissions
    assert submission.files == {"hw1.py": MODULE}
    assert submission.problems == ["Refused big.bin: it is 2.0 kB, over the 1.0 kB limit per file."]


def test_the_total_cap_is_per_student(tmp_path: Path) -> None:
    source = make_zip(
        tmp_path / "e.zip",
        [
            ("Dana Levi_101_assignsubmission_file/a.bin", bytes(600)),
            ("Dana Levi_101_assignsubmission_file/b.bin", bytes(600)),
            ("Avi_102_assignsubmission_file/a.bin", bytes(600)),
        ],
    )
    by_id = read_export(source, max_file_bytes=1000, max_total_bytes=1000).by_id()
    assert list(by_id[101].files) == ["a.bin"]
    assert by_id[101].problems == ["Refused b.bin: your files together are larger than the 1.0 kB limit."]
    assert list(by_id[102].files) == ["a.bin"] and by_id[102].problems == []


def test_a_zip_bomb_declared_small_is_refused_without_reading_it_all(
    tmp_path: Path, decompressed_bytes: list[int]
) -> None:
    bomb, crc = zeros_as_deflate(200)  # 200 MiB of zeros in about 200 kB
    plain = zlib.compressobj(9, zlib.DEFLATED, -15)
    module_stream = plain.compress(MODULE) + plain.flush()
    source = tmp_path / "bomb.zip"
    source.write_bytes(
        raw_zip(
            [
                ("Dana Levi_101_assignsubmission_file/data.bin", bomb, crc, 1000, 0x800),  # declares 1000 bytes
                ("Dana Levi_101_assignsubmission_file/hw1.py", module_stream, zlib.crc32(MODULE), len(MODULE), 0x800),
            ]
        )
    )
    started = time.perf_counter()
    (submission,) = read_export(source, max_file_bytes=1_000_000).submissions
    assert time.perf_counter() - started < 2
    assert submission.files == {"hw1.py": MODULE}
    assert len(submission.problems) == 1 and submission.problems[0].startswith("Refused data.bin: it is damaged")
    assert decompressed_bytes[0] <= 1_000_000  # nowhere near the 200 MiB inside


def test_a_zip_bomb_declared_honestly_is_refused_before_reading(tmp_path: Path, decompressed_bytes: list[int]) -> None:
    bomb, crc = zeros_as_deflate(200)
    source = tmp_path / "bomb.zip"
    source.write_bytes(raw_zip([("Dana Levi_101_assignsubmission_file/data.bin", bomb, crc, 200 << 20, 0x800)]))
    (submission,) = read_export(source).submissions
    assert submission.files == {}
    assert submission.problems == ["Refused data.bin: it is 209.7 MB, over the 5.0 MB limit per file."]
    assert decompressed_bytes[0] == 0


def test_read_capped_stops_at_the_cap_whatever_the_stream_claims() -> None:
    class EndlessZeros(io.RawIOBase):
        served = 0

        def read(self, size: int = -1) -> bytes:
            size = 1 << 16 if size is None or size < 0 else size
            self.served += size
            return bytes(size)

    stream = EndlessZeros()
    with pytest.raises(EntryRefused, match="larger than the 1.0 MB limit"):
        read_capped(stream, 1_000_000)
    assert stream.served == 1_000_001  # the cap plus the one byte that proves the stream is longer
    assert read_capped(io.BytesIO(b"abc"), 3) == b"abc"
