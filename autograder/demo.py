"""Write the bundled demo exports: a small fictional class per assignment, as Moodle exports it.

`python -m autograder demo` writes demo/<hw>/moodle-export.zip and grading-worksheet.csv.
Students' files are the reference solution with one realistic change each (a bug, a
misnamed file, a zip, a syntax error...), in every Moodle layout, with Hebrew and Latin
names, so that `make grade` shows the whole flow with one command.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.assign import BEGIN_MARKER, END_MARKER, strip_solutions
from autograder.checks import REPO_ROOT, SOLUTIONS_DIR
from checklib.assignments import ASSIGNMENTS, Assignment

DEMO_DIR = REPO_ROOT / "demo"
ZIP_TIME = (2026, 11, 23, 10, 15, 0)
WORKSHEET_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                    "Grade can be changed", "Last modified (submission)", "Online text", "Last modified (grade)",
                    "Feedback comments"]


@dataclass(frozen=True)
class DemoStudent:
    participant_id: int
    name: str
    email: str
    story: str  # what this student's submission shows
    files: Callable[[Assignment, str], dict[str, bytes]] | None  # (assignment, reference) -> path: content
    layout: str = "folders"  # "folders" (4.1+), "folders_" (before 4.1), "flat", "onlinetext"


def without_markers(source: str) -> str:
    return "".join(line for line in source.splitlines(keepends=True)
                   if line.strip() not in (BEGIN_MARKER, END_MARKER))


def mutated(old: str, new: str) -> Callable[[Assignment, str], dict[str, bytes]]:
    """The reference with one change; fails loudly if the reference no longer has `old`."""

    def files(assignment: Assignment, reference: str) -> dict[str, bytes]:
        if old not in reference:
            raise ValueError(f"demo: {assignment.filename} no longer contains {old!r}; update autograder/demo.py")
        return {assignment.filename: reference.replace(old, new, 1).encode("utf-8")}

    return files


def correct(name: str | None = None) -> Callable[[Assignment, str], dict[str, bytes]]:
    return lambda assignment, reference: {name or assignment.filename: reference.encode("utf-8")}


def zipped(assignment: Assignment, reference: str) -> dict[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(f"homework/{assignment.filename}", ZIP_TIME), reference)
        archive.writestr(zipfile.ZipInfo("homework/notes.txt", ZIP_TIME), "my notes\n")
    return {f"{assignment.key}.zip": buffer.getvalue()}


def stub(assignment: Assignment, reference: str) -> dict[str, bytes]:
    source = (SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8")
    return {assignment.filename: strip_solutions(source).encode("utf-8")}


COMMON = [
    DemoStudent(1001, "Ada Lovelace", "ada@example.edu", "correct", correct()),
    DemoStudent(1003, "Yosef Levi", "yosef@example.edu", "correct, uploaded as a zip (Moodle before 4.1)",
                zipped, "folders_"),
    DemoStudent(1005, "Grace Hopper", "grace@example.edu", "correct, but the file is misnamed",
                correct("my_homework.py"), "flat"),
    DemoStudent(1006, "Alan Turing", "alan@example.edu", "a syntax error",
                mutated("import numpy as np", "import numpy as np\n\ndef broken(:\n    pass")),
    DemoStudent(1007, "שירה מזרחי", "shira@example.edu", "the untouched stub", stub),
    DemoStudent(1008, "Linus Berg", "linus@example.edu", "online text only", None, "onlinetext"),
    DemoStudent(1009, "Rivka Stern", "rivka@example.edu", "imports a helper file she did not upload",
                mutated("import numpy as np", "import numpy as np\nfrom my_helpers import plot_costs")),
    DemoStudent(1010, "Dan Katz", "dan@example.edu", "no submission", None),
]

BUGS = {
    "hw1": [
        DemoStudent(1002, "נועה כהן", "noa@example.edu", "cost without the 1/2",
                    mutated("/ (2 * X.shape[0])", "/ X.shape[0]")),
        DemoStudent(1004, "מיכאל אברהם", "michael@example.edu", "records the cost after the update",
                    mutated("        costs[epoch] = cost(X, t, w, b)\n        dw, db = gradient(X, t, w, b)\n"
                            "        w = w - alpha * dw\n        b = b - alpha * db\n",
                            "        dw, db = gradient(X, t, w, b)\n        w = w - alpha * dw\n"
                            "        b = b - alpha * db\n        costs[epoch] = cost(X, t, w, b)\n"), "flat"),
    ],
    "hw2": [
        DemoStudent(1002, "נועה כהן", "noa@example.edu", "a naive sigmoid that overflows",
                    mutated("    z = np.asarray(z)\n    small = np.exp(-np.abs(z))\n"
                            "    return np.where(z >= 0, 1 / (1 + small), small / (1 + small))",
                            "    return 1 / (1 + np.exp(-z))")),
        DemoStudent(1004, "מיכאל אברהם", "michael@example.edu", "predict uses > instead of >=",
                    mutated("(X @ w + b >= 0)", "(X @ w + b > 0)"), "flat"),
    ],
    "hw3": [
        DemoStudent(1002, "נועה כהן", "noa@example.edu", "softmax without subtracting the row maximum",
                    mutated("    shifted = Z - Z.max(axis=1, keepdims=True)\n    exp = np.exp(shifted)",
                            "    exp = np.exp(Z)")),
        DemoStudent(1004, "מיכאל אברהם", "michael@example.edu", "train_torch forgets to zero the gradients",
                    mutated("            W.grad.zero_()\n            b.grad.zero_()\n", ""), "flat"),
    ],
}


def demo_students(assignment: Assignment) -> list[DemoStudent]:
    return sorted(COMMON + BUGS[assignment.key], key=lambda student: student.participant_id)


def _entry_name(student: DemoStudent, path: str) -> str:
    prefix = f"{student.name}_{student.participant_id}_assignsubmission"
    if student.layout == "flat":
        return f"{prefix}_file_{path}"
    if student.layout == "folders_":
        return f"{prefix}_file_/{path}"
    return f"{prefix}_file/{path}"


def export_zip(assignment: Assignment) -> bytes:
    """The demo class's "Download all submissions" zip, byte-for-byte reproducible."""
    reference = without_markers((SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in demo_students(assignment):
            if student.layout == "onlinetext":
                name = f"{student.name}_{student.participant_id}_assignsubmission_onlinetext/onlinetext.html"
                archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), "<p>I could not upload my file, here it is: ...</p>")
            elif student.files is not None:
                for path, content in student.files(assignment, reference).items():
                    info = zipfile.ZipInfo(_entry_name(student, path), ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, content)
    return buffer.getvalue()


def worksheet_csv(assignment: Assignment) -> bytes:
    """The demo class's grading worksheet, as Moodle's "Download grading worksheet" writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WORKSHEET_HEADER)
    for student in demo_students(assignment):
        submitted = student.files is not None or student.layout == "onlinetext"
        writer.writerow([f"Participant {student.participant_id}", student.name, student.email,
                         "Submitted for grading" if submitted else "No submission", "", "100.00", "Yes",
                         "Monday, 23 November 2026, 10:15 AM" if submitted else "-", "", "-", ""])
    return buffer.getvalue().encode("utf-8")


def demo_files() -> dict[Path, bytes]:
    """Every demo file, path -> content."""
    files = {}
    for assignment in ASSIGNMENTS.values():
        files[DEMO_DIR / assignment.key / "moodle-export.zip"] = export_zip(assignment)
        files[DEMO_DIR / assignment.key / "grading-worksheet.csv"] = worksheet_csv(assignment)
    return files


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only check that demo/ is up to date")


def run(args: argparse.Namespace) -> int:
    """Write the demo files (or, with --check, fail when a committed one is stale)."""
    stale = []
    for path, content in demo_files().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(path)
                print(f"{path.relative_to(REPO_ROOT)} is out of date: run `python -m autograder demo`", file=sys.stderr)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 1 if stale else 0
