"""`make grade` from end to end: a Moodle export in, the files Moodle takes back out."""

import csv
import io
import json
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.authoring.stubs import without_markers
from autograder.cli import main
from autograder.grading.run import demo_inputs
from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from checklib.assignments import find_assignment

OUTPUT_FILES = {"grading_worksheet.csv", "feedback.zip", "results.json", "summary.md", "summary.png",
                "similarity.html", "similarity.png"}
DEMO_HW1_OUTCOMES = {1001: "passed", 1002: "failed", 1003: "passed", 1004: "failed", 1005: "passed",
                     1006: "failed", 1007: "failed", 1008: "error", 1009: "failed", 1010: "no_submission",
                     1011: "passed"}


def grade(*args: str) -> int:
    return main(["grade", "--no-progress", "--workers", "2", *args])


def outcomes(out: Path) -> dict[int, str]:
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {student["participant_id"]: student["outcome"] for student in document["students"]}


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    assert grade("--hw", "hw1", "--out", str(out)) == 0
    return out


def test_demo_grades_every_student_right(demo_run):
    assert outcomes(demo_run) == DEMO_HW1_OUTCOMES
    assert {path.name for path in demo_run.iterdir()} == OUTPUT_FILES


def test_demo_worksheet_is_the_downloaded_one_filled_in(demo_run):
    _, worksheet = demo_inputs("hw1")
    original = list(csv.reader(io.StringIO(worksheet.read_text(encoding="utf-8"))))
    written = list(csv.reader(io.StringIO((demo_run / "grading_worksheet.csv").read_text(encoding="utf-8-sig"))))
    assert written[0] == original[0] and len(written) == len(original)
    grade_column, feedback_column = original[0].index("Grade"), original[0].index("Feedback comments")
    by_id = {row[0]: row for row in written[1:]}
    assert by_id["Participant 1001"][grade_column] == "100.00"
    assert by_id["Participant 1002"][grade_column] in ("0.00", "0")
    assert "1/2" in by_id["Participant 1002"][feedback_column]
    assert by_id["Participant 1010"][feedback_column] == "No submission."
    assert [row[0] for row in written] == [row[0] for row in original]


def test_demo_feedback_zip_has_a_page_per_student(demo_run):
    with zipfile.ZipFile(demo_run / "feedback.zip") as archive:
        names = archive.namelist()
        assert len(names) == len(DEMO_HW1_OUTCOMES)
        page = archive.read("נועה כהן_1002_assignfeedback_file/feedback.html").decode()
    assert "Fail" in page and "is the 1/2 of the squared error missing?" in page


def test_demo_similarity_report_flags_the_planted_copy_and_the_reference(demo_run):
    summary = (demo_run / "summary.md").read_text(encoding="utf-8")
    section = summary[summary.index("## Similar submissions"):]
    assert "1 of 28 pairs of students flagged" in section
    assert "| Yosef Levi (1003) and עומר פרץ (1011) |" in section
    assert "Ada Lovelace (1001): identical to the reference solution." in section
    html = (demo_run / "similarity.html").read_text(encoding="utf-8")
    assert "<strong>1 pair flagged</strong>" in html and html.count('class="match"') == 5  # 1 + 3 closest + Ada
    assert "שירה מזרחי (1007)</bdi>: nothing beyond the released stub" in html
    document = json.loads((demo_run / "results.json").read_text(encoding="utf-8"))
    assert "graded_source" not in json.dumps(document)


def test_rerun_gives_byte_identical_outputs(demo_run, tmp_path):
    out = tmp_path / "again"
    assert grade("--hw", "hw1", "--out", str(out)) == 0
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (demo_run / name).read_bytes(), name


def test_a_failed_similarity_report_leaves_every_other_output_and_says_why(tmp_path, monkeypatch):
    from autograder.similarity import compare
    from autograder.similarity.isolation import DetectorLimits

    monkeypatch.setattr(compare, "DetectorLimits", lambda: DetectorLimits(seconds=0))
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--out", str(out)) == 0
    assert {path.name for path in out.iterdir()} == OUTPUT_FILES
    assert outcomes(out) == DEMO_HW1_OUTCOMES
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "The similarity report could not be made: the comparison did not finish within 0 s." in summary
    assert "could not be made" in (out / "similarity.html").read_text(encoding="utf-8")


def test_an_earlier_semester_is_compared_but_never_graded(tmp_path):
    from autograder.authoring.demo import base_source, renamed_locals

    assignment = find_assignment("hw1")
    grace = base_source(assignment, "correct/1")  # Grace Hopper's (1005) code in the demo
    archive = tmp_path / "archive"
    archive.mkdir()
    with zipfile.ZipFile(archive / "course-hw1-2025.zip", "w") as earlier:
        earlier.writestr("Old Timer_4001_assignsubmission_file/hw1_linear_regression.py",
                         renamed_locals(grace, set(assignment.functions)))
        earlier.writestr("Other One_4002_assignsubmission_file/hw1_linear_regression.py",
                         base_source(assignment, "correct/3"))
    with zipfile.ZipFile(archive / "course-hw2-2025.zip", "w") as other:
        other.writestr("Someone_5001_assignsubmission_file/hw2_logistic_regression.py", "x = 1\n")
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--out", str(out), "--similarity-archive", str(archive)) == 0
    assert outcomes(out) == DEMO_HW1_OUTCOMES  # nobody of the archive became a student
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert ("Grace Hopper (1005): close to an earlier semester's submission, "
            "Old Timer (course-hw1-2025.zip)") in summary
    html = (out / "similarity.html").read_text(encoding="utf-8")
    assert "and 2 submissions of earlier semesters" in html
    assert "course-hw2-2025.zip skipped: no submission in it has a file named hw1_linear_regression.py" in html


def test_an_archive_that_is_not_a_folder_is_refused_before_grading(tmp_path, capsys):
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--out", str(out), "--similarity-archive", str(tmp_path / "missing")) == 2
    assert not out.exists()
    assert "SIMILARITY_ARCHIVE" in capsys.readouterr().err


def test_corrupt_export_is_a_clear_error_and_writes_nothing(tmp_path, capsys):
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--submissions", str(broken), "--out", str(out)) == 2
    assert not out.exists()
    assert "export.zip" in capsys.readouterr().err


HEBREW_HEADER = ["מזהה", "שם מלא", "כתובת דואר אלקטרוני", "מצב", "ציון", "ציון מירבי",
                 "ניתן לשנות ציון", "עדכון אחרון (ציון)", "משוב"]
GROUP_HEADER = ["Identifier", "Full name", "Email address", "Status", "Group", "Grade", "Maximum Grade",
                "Grade can be changed", "Last modified (grade)", "Feedback comments"]


def reference_source(module: str) -> str:
    return without_markers((SOLUTIONS_DIR / module).read_text(encoding="utf-8"))


def notebook_of(source: str) -> bytes:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# My homework"),
                      nbformat.v4.new_code_cell(source),
                      nbformat.v4.new_code_cell("w, b, costs = gradient_descent(X_train, t_train, 0.1, 100)")]
    return nbformat.writes(notebook).encode()


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue()


def hebrew_worksheet(rows: list[tuple[int, str]]) -> str:
    return csv_text(HEBREW_HEADER, [[f"משתתף:{pid}", name, f"s{pid}@example.edu", "הוגש", "", "100.00", "כן", "-", ""]
                                    for pid, name in rows])


def group_worksheet(rows: list[tuple[int, str, str]]) -> str:
    return csv_text(GROUP_HEADER, [[f"Participant {pid}", name, f"s{pid}@example.edu", "Submitted", group, "",
                                    "100.00", "Yes", "-", ""] for pid, name, group in rows])


def test_hebrew_worksheet_with_a_notebook_and_hostile_code(tmp_path):
    correct = reference_source("hw1_linear_regression.py")
    snooper = correct.replace("def predict(X, w, b):", (
        "import os\n"
        "def _find_reference():\n"
        "    for top, _, files in os.walk('/'):\n"
        "        if 'hw1_linear_regression.py' in files and 'solutions' in top:\n"
        "            return open(os.path.join(top, 'hw1_linear_regression.py')).read()\n"
        "    raise RuntimeError('no reference on this disk')\n"
        "_REFERENCE = _find_reference()\n\n"
        "def predict(X, w, b):"), 1)
    export = tmp_path / "course-hw1-7.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("דנה לוי_501_assignsubmission_file/hw1_linear_regression.ipynb", notebook_of(correct))
        archive.writestr("Omar Haddad_502_assignsubmission_file_/hw1_linear_regression.py", snooper)
        archive.writestr("Evil Zip_503_assignsubmission_file/hw1.zip", b"PK\x03\x04garbage")
    worksheet = tmp_path / "worksheet.csv"
    worksheet.write_text(hebrew_worksheet([(501, "דנה לוי"), (502, "Omar Haddad"), (503, "Evil Zip"),
                                           (506, "Absent Student")]), encoding="utf-8")
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--submissions", str(export), "--worksheet", str(worksheet), "--out", str(out)) == 0
    assert outcomes(out) == {501: "passed", 502: "failed", 503: "error", 506: "no_submission"}
    written = list(csv.reader(io.StringIO((out / "grading_worksheet.csv").read_text(encoding="utf-8-sig"))))
    assert written[0] == HEBREW_HEADER
    grades = {row[0]: row[4] for row in written[1:]}
    assert grades["משתתף:501"] == "100.00" and grades["משתתף:502"] in ("0.00", "0")
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    omar = next(student for student in document["students"] if student["participant_id"] == 502)
    assert "could not be imported" in omar["reason"] and "no reference on this disk" in omar["reason"]


def test_group_submissions_reach_their_members_by_group_name(tmp_path):
    """Group ids are not participant ids: group 30 must not grade participant 30."""
    correct = reference_source("hw1_linear_regression.py")
    buggy = correct.replace("/ (2 * X.shape[0])", "/ X.shape[0]")
    assert buggy != correct
    export = tmp_path / "course-hw1-8.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("Team Rocket_7_assignsubmission_file/hw1_linear_regression.py", correct)
        archive.writestr("Team Beta 2_8_assignsubmission_file/hw1_linear_regression.py", correct)  # "Team_Beta: 2"
        archive.writestr("Delta_30_assignsubmission_file/hw1_linear_regression.py", buggy)
        archive.writestr("Default group_assignsubmission_file/hw1_linear_regression.py", correct)
    worksheet = tmp_path / "worksheet.csv"
    worksheet.write_text(group_worksheet([
        (30, "Solo Sam", "Default group"), (31, "יעל כץ", "Team Rocket"), (32, "Noam Bar", "Team Rocket"),
        (33, "Bea", "Team_Beta: 2"), (34, "Dov", "Delta"), (35, "Ezra", "Epsilon"),
    ]), encoding="utf-8")
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--submissions", str(export), "--worksheet", str(worksheet), "--out", str(out)) == 0
    assert outcomes(out) == {30: "passed", 31: "passed", 32: "passed", 33: "passed", 34: "failed",
                             35: "no_submission"}
    with zipfile.ZipFile(out / "feedback.zip") as archive:
        names = sorted(archive.namelist())
    assert names == sorted(f"{name}_{pid}_assignfeedback_file/feedback.html" for pid, name in [
        (30, "Solo Sam"), (31, "יעל כץ"), (32, "Noam Bar"), (33, "Bea"), (34, "Dov"), (35, "Ezra")])


def test_a_group_export_without_a_worksheet_writes_no_participant_rows(tmp_path):
    correct = reference_source("hw1_linear_regression.py")
    export = tmp_path / "course-hw1-9.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("Team Rocket_7_assignsubmission_file/hw1_linear_regression.py", correct)
        archive.writestr("Default group_assignsubmission_file/hw1_linear_regression.py", correct)
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--submissions", str(export), "--out", str(out)) == 0
    rows = list(csv.reader(io.StringIO((out / "grading_worksheet.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1  # the header only: group 7 is not participant 7
    assert "pass WORKSHEET" in (out / "summary.md").read_text(encoding="utf-8")


def test_a_worksheet_of_another_assignment_is_refused_before_grading(tmp_path, capsys):
    export, _ = demo_inputs("hw1")
    worksheet = tmp_path / "other.csv"
    worksheet.write_text(hebrew_worksheet([(90001, "Someone"), (90002, "Someone else")]), encoding="utf-8")
    out = tmp_path / "out"
    assert grade("--hw", "hw1", "--submissions", str(export), "--worksheet", str(worksheet), "--out", str(out)) == 2
    assert not out.exists()
    assert "download the grading worksheet of this same assignment" in capsys.readouterr().err


def test_an_out_that_is_a_file_is_refused_before_grading(tmp_path, capsys):
    out = tmp_path / "taken"
    out.write_text("not a folder")
    assert grade("--hw", "hw1", "--out", str(out / "inner")) == 2
    assert "is a file" in capsys.readouterr().err


SCRATCH = {".venv", ".git", "out", "__pycache__", ".pytest_cache", ".ruff_cache"}


def repository_files() -> list[Path]:
    return sorted(path for path in REPO_ROOT.rglob("*") if not SCRATCH & set(path.relative_to(REPO_ROOT).parts))


def test_nothing_is_written_outside_out(tmp_path):
    before = repository_files()
    out = tmp_path / "out"
    assert grade("--hw", "hw2", "--out", str(out)) == 0
    assert repository_files() == before
    assert {path.name for path in out.iterdir()} == OUTPUT_FILES
