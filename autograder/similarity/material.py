"""What the similarity report compares: the class's graded sources, earlier semesters' exports,
the reference solution and the released stub.

    students, notes = class_submissions(graded_results)
    archive, notes = archive_submissions(Path("earlier-exports"), assignment, students)

Each student is compared on the source the grader graded (`StudentResult.graded_source`: the
file chosen, or a notebook's extracted code). Sizes are bounded here, before anything is
tokenized: a source over MAX_SOURCE_CHARS is not compared, and the report says so (a real
solution is a few thousand characters). An archive folder holds earlier exports of the same
assignment, each a "Download all submissions" zip or its unpacked folder (or the folder is
itself one unpacked export); they are read with the grader's own export reader and file
choice, and an export that holds no file named like this assignment's is skipped with a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.results import StudentResult
from autograder.moodle.export import MoodleExportError, read_export
from autograder.paths import SOLUTIONS_DIR, STUBS_DIR
from autograder.upload.submission_file import choose_file
from checklib.assignments import Assignment

MAX_SOURCE_CHARS = 100_000  # a module compared at most (solutions are 2,000 to 10,000 characters)
MAX_NOTEBOOK_CHARS = 2_000_000  # an archive notebook's JSON, before its code is extracted
SUBMISSION_FOLDER_MARK = "_assignsubmission_"  # in every folder name of an unpacked export


@dataclass(frozen=True)
class Submission:
    """One compared source: a student of this run, an earlier semester's submission, or the reference."""

    name: str
    participant_id: int | None
    source: str
    origin: str = "student"  # "student", "archive" or "reference"
    export: str = ""  # an archive submission's export (its file or folder name)
    kind: str = "module"  # "notebook": an archive notebook's JSON, extracted by the detector

    @property
    def label(self) -> str:
        if self.origin == "archive":
            return f"{self.name} ({self.export})"
        if self.origin == "reference":
            return "the reference solution"
        return f"{self.name} ({self.participant_id})"


def class_submissions(results: Sequence[StudentResult]) -> tuple[list[Submission], list[str]]:
    """The students to compare (those with a graded source), and a note per source too large to compare."""
    students, notes = [], []
    for result in results:
        if result.graded_source is None:
            continue
        if len(result.graded_source) > MAX_SOURCE_CHARS:
            notes.append(f"{result.name} ({result.participant_id}): not compared: the graded file has "
                         f"{len(result.graded_source):,} characters (more than {MAX_SOURCE_CHARS:,}); "
                         "look at it by hand.")
            continue
        students.append(Submission(result.name, result.participant_id, result.graded_source))
    return students, notes


def reference_submission(assignment: Assignment) -> Submission:
    from autograder.authoring.stubs import without_markers

    source = without_markers((SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8"))
    return Submission("reference", None, source, origin="reference")


def released_stub(assignment: Assignment) -> str:
    """The stub the students started from (generated into assignments/)."""
    return (STUBS_DIR / assignment.filename).read_text(encoding="utf-8")


def check_archive_folder(folder: Path) -> None:
    """Raise ValueError when SIMILARITY_ARCHIVE is not a readable folder (checked before grading)."""
    if not folder.is_dir():
        raise ValueError(f"SIMILARITY_ARCHIVE {folder} is not a folder. Give the folder that holds the earlier "
                         "semesters' exports (their zips or unpacked folders).")


def _exports(folder: Path) -> list[Path]:
    children = sorted(folder.iterdir())
    if any(SUBMISSION_FOLDER_MARK in child.name for child in children):
        return [folder]  # the folder is itself one unpacked export
    return [child for child in children if child.is_dir() or child.suffix.lower() == ".zip"]


def _named_like(path: str, assignment: Assignment) -> bool:
    name = path.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()
    return name == assignment.filename.lower() or (name.startswith(assignment.module.lower())
                                                   and name.endswith(".ipynb"))


def archive_submissions(folder: Path, assignment: Assignment,
                        students: Sequence[Submission]) -> tuple[list[Submission], list[str]]:
    """Earlier semesters' submissions in folder, and notes on exports skipped and why.

    A submission identical to one of this run's (same participant, same source) is this run's
    own and is left out: the current export put in the archive by mistake matches nobody."""
    current = {(student.participant_id, student.source) for student in students}
    archive, notes = [], []
    for export_path in _exports(folder):
        try:
            export = read_export(export_path)
        except MoodleExportError as error:
            notes.append(f"Earlier export {export_path.name} skipped: {error}")
            continue
        found, named = [], False
        for submission in export.submissions:
            choice = choose_file(submission.files, assignment.filename, assignment.functions)
            if choice.source is None or choice.kind is None:
                continue
            named = named or _named_like(choice.path or "", assignment)
            limit = MAX_NOTEBOOK_CHARS if choice.kind == "notebook" else MAX_SOURCE_CHARS
            if len(choice.source) > limit or (submission.participant_id, choice.source) in current:
                continue
            found.append(Submission(submission.name, submission.participant_id, choice.source, origin="archive",
                                    export=export_path.name, kind=choice.kind))
        if named:
            archive += found
        else:
            notes.append(f"Earlier export {export_path.name} skipped: no submission in it has a file named "
                         f"{assignment.filename} (is it another assignment's export?).")
    return archive, notes
