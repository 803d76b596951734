"""The feedback zip: Moodle's importer must find every student, and reruns must give the same bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from autograder.moodle.feedback_zip import FeedbackFile, clean_name, write_feedback_zip

FEEDBACK = [
    FeedbackFile(102, "דנה בת-שבע לוי", "<p>כל הבדיקות עברו</p>"),
    FeedbackFile(101, "Dana Levi", "<p>All tests passed.</p>"),
    FeedbackFile(7, 'Team_Rocket / A:B*C?"D"<E>|F\\G', "<p>group</p>"),
    FeedbackFile(5, "___", "<p>anonymous</p>"),
    FeedbackFile(6, ".hidden ~name", "<p>dots</p>"),
]


def moodle_import(data: bytes) -> dict[int, tuple[str, str]]:
    """What Moodle's assignfeedback_file importer reads: participant id -> (feedback file name, content).

    Mirrors is_valid_filename_for_import: skip names starting with '.' or '~'; split each path part
    on '_' into at most 5 pieces; piece 2 is a numeric id, pieces 3-4 name the plugin."""
    found: dict[int, tuple[str, str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.filename.rsplit("/", 1)[-1].startswith((".", "~")):
                continue
            parts = info.filename.split("/")
            while parts:
                pieces = parts.pop(0).split("_", 4)
                if len(pieces) < 4 or not pieces[1].isdigit():
                    continue
                if (pieces[2], pieces[3]) not in {("assignfeedback", "file"), ("assignsubmission", "file")}:
                    continue
                file_name = "/".join([pieces[4] if len(pieces) == 5 else "", *parts])
                found[int(pieces[1])] = (file_name, archive.read(info).decode("utf-8"))
                break
    return found


def test_moodles_importer_finds_every_student(tmp_path: Path) -> None:
    write_feedback_zip(tmp_path / "feedback.zip", FEEDBACK)
    found = moodle_import((tmp_path / "feedback.zip").read_bytes())
    assert found == {item.participant_id: ("/feedback.html", item.html) for item in FEEDBACK}


def test_entry_names_keep_hebrew_names_with_spaces(tmp_path: Path) -> None:
    write_feedback_zip(tmp_path / "feedback.zip", FEEDBACK)
    with zipfile.ZipFile(tmp_path / "feedback.zip") as archive:
        names = archive.namelist()
        hebrew = archive.getinfo("דנה בת-שבע לוי_102_assignfeedback_file/feedback.html")
    assert names == [
        "Participant_5_assignfeedback_file/feedback.html",
        "hidden ~name_6_assignfeedback_file/feedback.html",
        "Team Rocket A B C D E F G_7_assignfeedback_file/feedback.html",
        "Dana Levi_101_assignfeedback_file/feedback.html",
        "דנה בת-שבע לוי_102_assignfeedback_file/feedback.html",
    ]
    assert hebrew.flag_bits & 0x800  # UTF-8 name flag


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Dana Levi", "Dana Levi"), ("a_b", "a b"), ("", "Participant"), ("  / _ ", "Participant"), ("~x", "x"),
     ("Dana\udcff Levi", "Dana Levi")],  # a lone surrogate (from a folder export's name) cannot be written
)
def test_clean_name(name: str, expected: str) -> None:
    assert clean_name(name) == expected


def test_reruns_are_byte_identical(tmp_path: Path) -> None:
    write_feedback_zip(tmp_path / "a.zip", FEEDBACK)
    write_feedback_zip(tmp_path / "b.zip", list(reversed(FEEDBACK)))
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED


def test_one_feedback_file_per_participant(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\[5\]"):
        write_feedback_zip(tmp_path / "f.zip", [FeedbackFile(5, "a", ""), FeedbackFile(5, "b", "")])
    assert not (tmp_path / "f.zip").exists()
