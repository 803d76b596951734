"""The grading worksheet: reading any header language, writing exactly what Moodle's uploader needs.

Sample worksheets are written the way Moodle does (PHP fputcsv quotes cells holding spaces).
Also covers autograder.moodle.atomic, through which every output is written.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from autograder.moodle import atomic
from autograder.moodle.atomic import write_bytes_atomic
from autograder.moodle.worksheet import (
    NEW_HEADER,
    GradeRow,
    WorksheetError,
    neutralize_formula,
    participant_id,
    read_worksheet,
    write_worksheet,
)

ENGLISH_HEADER = (
    'Identifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed",'
    '"Last modified (submission)","Online text","Last modified (grade)","Feedback comments"\n'
)
ENGLISH_ROWS = [
    '"Participant 101","Dana Levi",dana@example.com,"Submitted for grading",,100.00,Yes,'
    '"Monday, 3 March 2025, 10:00 AM","<p>line one</p>\n<p>line two</p>",-,\n',
    '"Participant 102",=SUM(A1:A2),eve@example.com,"No submission",,100.00,Yes,-,,-,\n',
    '"Participant 103","Avi Cohen",avi@example.com,"Submitted for grading",,100.00,Yes,'
    '"Monday, 3 March 2025, 11:00 AM",,-,\n',
]
HEBREW_HEADER = 'מזהה,"שם מלא",סטטוס,ציון,"ציון מירבי","ניתן לשנות את הציון","שינוי אחרון (ציון)",משוב\n'
HEBREW_ROWS = [
    '"משתתף:12345","דנה לוי","הוגש לבדיקה",,10.00,כן,-,\n',
    '"משתתף:12346","אבי כהן","הוגש לבדיקה",,10.00,כן,-,\n',
]
SCALE_HEADER = (
    'Identifier,"Full name",Status,Grade,Scale,"Grade can be changed","Last modified (grade)","Feedback comments"\n'
)
SCALE_ROWS = [
    '"Participant 1","Dana Levi",Submitted,,"Fail\nPass",Yes,-,\n',
    '"Participant 2","Avi Cohen",Submitted,,"Fail\nPass",Yes,-,\n',
]


def write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def parse(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def grade(number: int, passed: bool, feedback: str = "ok", name: str = "x") -> GradeRow:
    return GradeRow(participant_id=number, full_name=name, passed=passed, feedback=feedback)


# Reading


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [("Participant 12345", 12345), ("משתתף:12345", 12345), ("Teilnehmer/in7", 7), ("nobody", None), ("", None)],
)
def test_the_participant_id_is_the_last_run_of_digits(identifier: str, expected: int | None) -> None:
    assert participant_id(identifier) == expected


def test_reads_an_english_points_worksheet(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", ENGLISH_HEADER + "".join(ENGLISH_ROWS)))
    assert (sheet.identifier_column, sheet.grade_column, sheet.maximum_column, sheet.feedback_column) == (0, 4, 5, 10)
    assert not sheet.uses_scale and sheet.feedback_enabled and not sheet.has_bom
    assert sheet.participant_ids == [101, 102, 103]
    assert sheet.rows[0][8] == "<p>line one</p>\n<p>line two</p>"
    assert sheet.raw_header == ENGLISH_HEADER and sheet.raw_rows == ENGLISH_ROWS


def test_reads_a_hebrew_worksheet_with_a_bom(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", HEBREW_HEADER + "".join(HEBREW_ROWS), bom=True))
    assert (sheet.identifier_column, sheet.grade_column, sheet.maximum_column, sheet.feedback_column) == (0, 3, 4, 7)
    assert sheet.has_bom and not sheet.uses_scale
    assert sheet.header[0] == "מזהה" and sheet.participant_ids == [12345, 12346]


def test_reads_a_scale_worksheet(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", SCALE_HEADER + "".join(SCALE_ROWS)))
    assert sheet.uses_scale and (sheet.grade_column, sheet.maximum_column) == (3, 4)


def test_a_missing_feedback_column_is_reported_not_added(tmp_path: Path) -> None:
    header = 'Identifier,"Full name",Grade,"Maximum Grade","Last modified (grade)"\n'
    path = write(tmp_path / "g.csv", header + '"Participant 1","Dana",,100.00,-\n')
    sheet = read_worksheet(path)
    assert not sheet.feedback_enabled
    report = write_worksheet(tmp_path / "out.csv", sheet, [grade(1, True)])
    assert not report.feedback_written
    assert (tmp_path / "out.csv").read_text("utf-8").startswith(header)
    assert parse(tmp_path / "out.csv")[1] == ["Participant 1", "Dana", "100.00", "100.00", "-"]


def test_the_grade_column_is_found_from_the_maximum_column(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", "Id,Name,Bewertung,Maximum Grade\nP 1,a,,100.00\n"))
    assert (sheet.grade_column, sheet.maximum_column, sheet.uses_scale) == (2, 3, False)


def test_the_maximum_column_is_found_from_the_grade_column(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", 'Identifier,Grade,Skala\nP 1,,"Fail\nPass"\n'))
    assert (sheet.grade_column, sheet.maximum_column, sheet.uses_scale) == (1, 2, True)


def test_an_unknown_language_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "Identifiant,Nom complet,Note,Note maximale\nParticipant 1,a,,100\n")
    with pytest.raises(WorksheetError, match="Cannot find the Grade column.*English"):
        read_worksheet(path)


def test_a_worksheet_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes("Identifier,Grade\nמשתתף 1,\n".encode("cp1255"))
    with pytest.raises(WorksheetError, match="not UTF-8"):
        read_worksheet(path)


# Writing into a downloaded worksheet


def test_points_grades_fill_the_english_worksheet_and_keep_everything_else(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", ENGLISH_HEADER + "".join(ENGLISH_ROWS)))
    grades = [grade(101, True, "All 4 tests passed."), grade(103, False, "fit: wrong shape\n(2, 1)"), grade(999, True)]
    report = write_worksheet(tmp_path / "out.csv", sheet, grades)

    text = (tmp_path / "out.csv").read_bytes().decode("utf-8")
    assert text.startswith(ENGLISH_HEADER)  # the header byte for byte
    assert ENGLISH_ROWS[1] in text  # an ungraded row byte for byte, formula-looking cell included
    rows = parse(tmp_path / "out.csv")
    assert [row[0] for row in rows[1:]] == ["Participant 101", "Participant 102", "Participant 103"]
    assert all(len(row) == 11 for row in rows)
    assert (rows[1][4], rows[1][10]) == ("100.00", "All 4 tests passed.")
    assert rows[1][8] == "<p>line one</p>\n<p>line two</p>" and rows[1][7] == "Monday, 3 March 2025, 10:00 AM"
    assert (rows[3][4], rows[3][10]) == ("0.00", "fit: wrong shape (2, 1)")
    assert report.ids_without_row == [999]
    assert report.rows_without_grade == ["Participant 102"]
    assert report.rows_graded == 2 and report.feedback_written and report.problems == []


def test_points_grades_fill_the_hebrew_worksheet_and_keep_the_bom(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", HEBREW_HEADER + "".join(HEBREW_ROWS), bom=True))
    write_worksheet(tmp_path / "out.csv", sheet, [grade(12345, True, "כל הבדיקות עברו"), grade(12346, False)])
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith("\ufeff".encode() + HEBREW_HEADER.encode())
    rows = parse(tmp_path / "out.csv")
    assert rows[1] == ["משתתף:12345", "דנה לוי", "הוגש לבדיקה", "10.00", "10.00", "כן", "-", "כל הבדיקות עברו"]
    assert rows[2][3] == "0.00"


def test_scale_grades_use_the_scale_items(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", SCALE_HEADER + "".join(SCALE_ROWS)))
    write_worksheet(tmp_path / "out.csv", sheet, [grade(1, True), grade(2, False)])
    rows = parse(tmp_path / "out.csv")
    assert [row[3] for row in rows[1:]] == ["Pass", "Fail"]
    assert rows[1][4] == "Fail\nPass"


def test_hebrew_scale_with_custom_items(tmp_path: Path) -> None:
    header = 'מזהה,"שם מלא",ציון,סולם,"שינוי אחרון (ציון)",משוב\n'
    row = '"משתתף:7","דנה לוי",,"לא עבר\nעבר",-,\n'
    sheet = read_worksheet(write(tmp_path / "g.csv", header + row, bom=True))
    assert sheet.uses_scale
    write_worksheet(tmp_path / "out.csv", sheet, [grade(7, True)], scale_pass="עבר", scale_fail="לא עבר")
    assert parse(tmp_path / "out.csv")[1][2] == "עבר"


def test_scale_items_that_the_scale_does_not_have_are_refused(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", SCALE_HEADER + "".join(SCALE_ROWS)))
    with pytest.raises(WorksheetError, match="Passed"):
        write_worksheet(tmp_path / "out.csv", sheet, [grade(1, True)], scale_pass="Passed")
    assert not (tmp_path / "out.csv").exists()


def test_cells_the_kit_writes_cannot_be_formulas(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", ENGLISH_HEADER + "".join(ENGLISH_ROWS)))
    grades = [grade(101, True, '=HYPERLINK("http://evil")'), grade(103, False, "-2 tests failed")]
    write_worksheet(tmp_path / "out.csv", sheet, grades)
    rows = parse(tmp_path / "out.csv")
    assert rows[1][10] == '\'=HYPERLINK("http://evil")' and rows[1][4] == "100.00"
    assert rows[3][10] == "'-2 tests failed"
    assert rows[2][1] == "=SUM(A1:A2)"  # copied from the download: left as it was


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+x", "'+x"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("-2.50", "-2.50"),
        ("ok", "ok"),
    ],
)
def test_neutralize_formula(cell: str, expected: str) -> None:
    assert neutralize_formula(cell) == expected


def test_feedback_is_html_escaped_because_moodle_stores_it_as_html(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", SCALE_HEADER + "".join(SCALE_ROWS)))
    write_worksheet(tmp_path / "out.csv", sheet, [grade(1, False, "expected <class 'ndarray'> & got list")])
    assert parse(tmp_path / "out.csv")[1][7] == "expected &lt;class 'ndarray'&gt; &amp; got list"


def test_a_lone_surrogate_in_a_name_or_feedback_is_written_not_a_crash(tmp_path: Path) -> None:
    """A file name read from a folder export may hold one; no UTF-8 encoder takes it."""
    sheet = read_worksheet(write(tmp_path / "g.csv", SCALE_HEADER + "".join(SCALE_ROWS)))
    write_worksheet(tmp_path / "out.csv", sheet, [grade(1, False, "graded bad\udcff.py")])
    write_worksheet(tmp_path / "new.csv", None, [GradeRow(1, "Dana\ud800", False, "bad value \ud800")])
    assert parse(tmp_path / "out.csv")[1][7] == "graded bad?.py"
    assert parse(tmp_path / "new.csv")[1][1:] == ["Dana?", "", "0.00", "100.00", "", "bad value ?"]


def test_a_huge_online_text_cell_is_read(tmp_path: Path) -> None:
    huge = "x" * 300_000
    sheet = read_worksheet(write(tmp_path / "g.csv", f'Identifier,Grade,Maximum Grade,Online text\nP 1,,10,"{huge}"\n'))
    assert sheet.rows[0][3] == huge


def test_feedback_never_puts_a_backslash_before_a_quote(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", SCALE_HEADER + "".join(SCALE_ROWS)))
    write_worksheet(tmp_path / "out.csv", sheet, [grade(1, False, 'open("C:\\data\\") failed: C:\\')])
    line = (tmp_path / "out.csv").read_text("utf-8").splitlines()[1]
    assert '\\"' not in line  # PHP's fgetcsv would read it as an escaped quote


def test_ragged_rows_are_repaired_and_reported(tmp_path: Path) -> None:
    text = 'Identifier,Grade,"Maximum Grade",Feedback comments\nParticipant 1,,100.00\n\nP 2\n'
    path = write(tmp_path / "g.csv", text)
    report = write_worksheet(tmp_path / "out.csv", read_worksheet(path), [grade(1, True)])
    assert parse(tmp_path / "out.csv") == [
        ["Identifier", "Grade", "Maximum Grade", "Feedback comments"],
        ["Participant 1", "100.00", "100.00", "ok"],
        [],
        ["P 2", "", "", ""],
    ]
    assert report.rows_without_grade == ["P 2"] and len(report.problems) == 2


def test_a_semicolon_worksheet_is_written_with_commas(tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "Identifier;Grade;Maximum Grade\r\nParticipant 1;;100,00\r\n")
    sheet = read_worksheet(path)
    assert (sheet.separator, sheet.line_ending) == (";", "\r\n")
    write_worksheet(tmp_path / "out.csv", sheet, [grade(1, False)])
    assert (tmp_path / "out.csv").read_bytes() == b'Identifier,Grade,Maximum Grade\r\nParticipant 1,"0,00","100,00"\r\n'


def test_a_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    text = "Identifier,Grade,Maximum Grade\nParticipant 1,,10\nParticipant 2,,10"
    write_worksheet(tmp_path / "out.csv", read_worksheet(write(tmp_path / "g.csv", text)), [grade(1, True)])
    expected = "Identifier,Grade,Maximum Grade\nParticipant 1,10,10\nParticipant 2,,10"
    assert (tmp_path / "out.csv").read_text("utf-8") == expected


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    sheet = read_worksheet(write(tmp_path / "g.csv", ENGLISH_HEADER + "".join(ENGLISH_ROWS)))
    grades = [grade(101, True), grade(103, False)]
    write_worksheet(tmp_path / "a.csv", sheet, grades)
    write_worksheet(tmp_path / "b.csv", sheet, list(reversed(grades)))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_two_grades_for_one_participant_are_a_bug(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="two grades"):
        write_worksheet(tmp_path / "out.csv", None, [grade(1, True), grade(1, False)])


# Writing without a worksheet


def test_a_new_worksheet_when_there_is_none(tmp_path: Path) -> None:
    grades = [grade(7, True, "All passed.", "דנה לוי"), grade(5, False, "=1+1", "@evil")]
    report = write_worksheet(tmp_path / "out.csv", None, grades)
    assert (tmp_path / "out.csv").read_bytes().decode("utf-8") == (
        "\ufeff" + ",".join(NEW_HEADER) + "\n"
        "Participant 5,'@evil,,0.00,100.00,,'=1+1\n"
        "Participant 7,דנה לוי,,100.00,100.00,,All passed.\n"
    )
    assert report.rows_graded == 2 and report.ids_without_row == [] and report.feedback_written


def test_a_new_worksheet_uses_max_points(tmp_path: Path) -> None:
    write_worksheet(tmp_path / "out.csv", None, [grade(1, True)], max_points=10)
    assert parse(tmp_path / "out.csv")[1][3:5] == ["10.00", "10.00"]


# Atomic writes


def test_an_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "grades.csv"
    write_bytes_atomic(target, b"one")
    write_bytes_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["grades.csv"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "grades.csv"
    target.write_bytes(b"old")

    def failing_replace(source: str, destination: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["grades.csv"]


def test_an_atomic_write_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_bytes_atomic(tmp_path / "missing" / "grades.csv", b"x")
