"""A submission the grader could not grade, even alone a second time, is never a grade.

It gets no grade in the worksheet (Moodle's upload skips an empty grade, so the student's grade
stays as it was), no feedback file, a place at the top of summary.md and the console with the
command to grade just it again, and `make grade` exits non-zero. Everyone else is graded as usual.
"""

from __future__ import annotations

import csv
import io
import zipfile

import autograder.grading.pipeline as pipeline
from autograder.cli import main
from autograder.grading.run import demo_inputs

FAILING = 1001  # a correct submission in the demo export


def test_a_grader_failure_gets_no_grade_and_is_listed_first(tmp_path, monkeypatch, capsys):
    grade_once = pipeline._grade
    attempts = []

    def sandbox_breaks_under_1001(submission, job):
        if submission.participant_id == FAILING:
            attempts.append(submission.participant_id)
            raise RuntimeError("the sandbox broke")
        return grade_once(submission, job)

    monkeypatch.setattr(pipeline, "_grade", sandbox_breaks_under_1001)
    out = tmp_path / "out"
    assert main(["grade", "--no-progress", "--workers", "2", "--hw", "hw1", "--out", str(out)]) == 1
    assert attempts == [FAILING, FAILING]  # tried again alone before it counted as a failure

    _, downloaded = demo_inputs("hw1")
    original = {row[0]: row for row in csv.reader(io.StringIO(downloaded.read_text(encoding="utf-8")))}
    written = list(csv.reader(io.StringIO((out / "grading_worksheet.csv").read_text(encoding="utf-8-sig"))))
    header, rows = written[0], {row[0]: row for row in written[1:]}
    grade, feedback = header.index("Grade"), header.index("Feedback comments")
    assert rows[f"Participant {FAILING}"][grade] == ""
    assert rows[f"Participant {FAILING}"][feedback] == original[f"Participant {FAILING}"][feedback]
    assert rows["Participant 1003"][grade] == "100.00"  # the others are graded as usual

    with zipfile.ZipFile(out / "feedback.zip") as archive:
        assert not any(f"_{FAILING}_" in name for name in archive.namelist())
    summary = (out / "summary.md").read_text(encoding="utf-8")
    listed = summary.index(f"{FAILING} (")
    assert listed < summary.index("Graded ") and "the sandbox broke" in summary
    assert f"ONLY={FAILING}" in summary
    console = capsys.readouterr().out
    assert console.index("NOT graded") < console.index("hw1:") and f"ONLY={FAILING}" in console
