"""One grading run from start to end: read, grade, assign to the roster, write, tell the TA."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from autograder.grading.config import GradeConfig, load_config
from autograder.grading.executors import ExecutorError, open_executor, scheduler_address
from autograder.grading.outputs import write_outputs
from autograder.grading.report import ClassReport, basic_isolation_warning, console_table, not_graded_lines
from autograder.grading.results import NO_SUBMISSION, StudentResult
from autograder.grading.roster import Roster, assign_results, match_problem, roster_from_export, roster_from_worksheet
from autograder.moodle.export import MoodleExport, MoodleExportError, read_export
from autograder.moodle.worksheet import Worksheet, WorksheetError, check_scale_texts, read_worksheet
from autograder.paths import REPO_ROOT, demo_inputs, shown
from autograder.sandbox import Limits
from autograder.similarity import SimilarityReport, SimilaritySession
from autograder.similarity.material import check_archive_folder
from checklib.assignments import find_assignment
from checklib.student_text import readable


@dataclass(frozen=True)
class GradingRequest:
    hw: str
    submissions: Path | None
    worksheet: Path | None
    out: Path
    workers: int
    progress: bool = True
    executor: str = "local"  # or "dask://HOST:PORT": see autograder.grading.executors
    similarity_archive: Path | None = None  # earlier semesters' exports, compared with this class
    only: frozenset[int] | None = None  # grade just these participants (ids as in the export); leave other rows alone


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


@dataclass(frozen=True)
class GradingInputs:
    """Everything read before anything is written."""

    export: MoodleExport
    worksheet: Worksheet | None
    roster: Roster
    submissions_path: Path
    worksheet_path: Path | None


def read_inputs(request: GradingRequest, config: GradeConfig) -> GradingInputs:
    """The export and worksheet (the bundled demo's without SUBMISSIONS); raises on bad input."""
    submissions_path, worksheet_path = request.submissions, request.worksheet
    if submissions_path is None:
        submissions_path, demo_worksheet = demo_inputs(request.hw)
        if not submissions_path.is_file():
            raise MoodleExportError(
                f"No SUBMISSIONS given, and {request.hw} has no demo export ({shown(submissions_path)}) to grade "
                "instead. Give SUBMISSIONS=<Moodle's download-all-submissions zip>, or make the demo: `make demo` "
                "(it needs [demo] mistakes in the assignment's settings and its corpus; `make validate HW=...` "
                "says what is missing).")
        worksheet_path = worksheet_path or demo_worksheet
        print(f"No SUBMISSIONS given: grading the bundled demo export {shown(submissions_path)}.")
    worksheet = read_worksheet(worksheet_path) if worksheet_path else None
    if worksheet is not None:
        check_scale_texts(worksheet, config.scale_pass, config.scale_fail)
    if worksheet is None:
        export = read_export(submissions_path)
        roster = roster_from_export(export.submissions)
    else:
        export = read_export(submissions_path, team_submission=worksheet.group_column is not None)
        roster = roster_from_worksheet(worksheet, any(s.is_group for s in export.submissions))
    problem = match_problem(roster, export.submissions)
    if problem:
        raise WorksheetError(f"The worksheet {worksheet_path} does not belong to the export {submissions_path}. "
                             f"{problem}")
    return GradingInputs(export, worksheet, roster, submissions_path, worksheet_path)


def check_out_folder(out: Path) -> None:
    """Raise ValueError when OUT cannot be the output folder (checked before grading)."""
    existing = next(folder for folder in (out, *out.parents) if folder.exists())
    if not existing.is_dir():
        raise ValueError(f"The output folder {out} cannot be created: {existing} is a file. Choose another OUT.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"The output folder {out} cannot be written: {existing} is not writable. Choose another OUT.")


def _warnings(inputs: GradingInputs, unmatched_warnings: list[str]) -> list[str]:
    warnings = [f"Export entry not matched to a participant: {entry}" for entry in inputs.export.unmatched]
    warnings += unmatched_warnings
    worksheet = inputs.worksheet
    if worksheet is not None and not worksheet.feedback_enabled:
        warnings.append("The worksheet has no 'Feedback comments' column: enable feedback comments in the "
                        "assignment's settings to upload the one-line reasons; feedback.zip has them all.")
    if worksheet is not None and worksheet.locked_rows:
        warnings.append(f"Moodle will not change the grade of {len(worksheet.locked_rows)} row(s) marked "
                        f"'Grade can be changed: No' (locked or overridden in the gradebook): "
                        f"{', '.join(worksheet.locked_rows)}. Unlock them in the gradebook, or grade them by hand.")
    return warnings


def run_grading(request: GradingRequest) -> int:
    """Grade one assignment's export; returns the process exit code."""
    assignment = find_assignment(request.hw, REPO_ROOT)
    try:  # every input is checked before anything is written
        config = load_config(assignment.key)  # ValueError: grading.toml or the assignment's settings
        scheduler = scheduler_address(request.executor)
        inputs = read_inputs(request, config)
        out = request.out.resolve()
        check_out_folder(out)
        if request.similarity_archive is not None:
            check_archive_folder(request.similarity_archive)
    except (ValueError, MoodleExportError, WorksheetError) as error:
        return _fail(str(error))
    hide = [REPO_ROOT, inputs.submissions_path.resolve(), out]
    hide += [inputs.worksheet_path.resolve()] if inputs.worksheet_path else []
    hide += [request.similarity_archive.resolve()] if request.similarity_archive else []  # other students' code
    limits = Limits(call_timeout=config.call_timeout, submission_timeout=config.submission_timeout)
    submissions = [submission for submission in inputs.export.submissions
                   if request.only is None or submission.participant_id in request.only]
    similarity_session = SimilaritySession(assignment)  # fingerprints each submission as soon as it is graded
    bar = None

    def on_done(result: StudentResult) -> None:
        bar.update()
        similarity_session.add(result)

    try:
        with open_executor(scheduler, assignment, limits, frozenset(config.optional_checks), hide,
                           request.workers) as executor:
            isolation = executor.isolation_level()
            if isolation.startswith("basic"):
                print(f"warning: {basic_isolation_warning(isolation)}\nisolation: {isolation}", file=sys.stderr)
            bar = tqdm(total=len(submissions), desc=f"grading {assignment.key}", unit="student",
                       disable=not request.progress)
            graded = executor.grade(submissions, on_done=on_done)
    except ExecutorError as error:
        similarity_session.close()
        return _fail(str(error))
    except BaseException:
        similarity_session.close()
        raise
    finally:
        if bar is not None:
            bar.close()
    assigned = assign_results(inputs.roster, graded)
    rows = assigned.results
    if request.only is not None:  # rows of participants not graded again are left as they were
        rows = [row for row in rows if row.participant_id in request.only or row.outcome != NO_SUBMISSION]
    report = ClassReport(assignment, rows + assigned.unmatched, isolation, _warnings(inputs, assigned.warnings))
    report = replace(report, regrade_command=_regrade_command(request, inputs, report))
    similarity = similarity_session.finish(graded, request.similarity_archive)
    written = write_outputs(out, report, rows, inputs.worksheet, config, similarity)
    _tell_the_ta(written.report, written.files, similarity)
    return 1 if report.not_graded else 0


def _regrade_command(request: GradingRequest, inputs: GradingInputs, report: ClassReport) -> str:
    """The make command that grades just the grader failures again, into a folder of its own."""
    ids = ",".join(str(result.participant_id) for result in report.not_graded)
    if not ids:
        return ""
    parts = [f"make grade HW={request.hw}", f"SUBMISSIONS={shlex.quote(str(inputs.submissions_path))}"]
    if inputs.worksheet_path is not None:
        parts.append(f"WORKSHEET={shlex.quote(str(inputs.worksheet_path))}")
    parts += [f"OUT={shlex.quote(str(request.out.resolve()) + '-regraded')}", f"ONLY={ids}"]
    return " ".join(parts)


def _tell_the_ta(report: ClassReport, files: list[Path], similarity: SimilarityReport) -> None:
    for line in not_graded_lines(report, markdown=False):
        print(line)
    print(console_table(report))
    print(f"isolation: {report.isolation}")
    if similarity.made:
        print(f"similar submissions: {len(similarity.flagged_pairs())} pair(s) flagged, "
              f"{len(similarity.reference_matches())} match(es) with the reference (see similarity.html)")
    else:
        print(f"warning: the similarity report could not be made: {similarity.reason}")
    for warning in report.warnings:
        print(f"warning: {readable(warning)}")  # it may name a file of the export
    print("wrote:")
    for path in files:
        print(f"  {path}")
    print("Next, in the Moodle assignment: View all submissions > Upload grading worksheet (grading_worksheet.csv), "
          "then Upload multiple feedback files in a zip (feedback.zip).")
