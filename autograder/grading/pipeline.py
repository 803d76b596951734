"""Grading a class: choose each student's file, run the checks in the sandbox, decide.

The checks, the reference solution and every comparison stay in this (trusted) process;
each student's code runs in its own sandboxed child (autograder.sandbox). Students are
graded concurrently by worker threads, one sandboxed child each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from autograder.checks import Check, CheckResult, run_checks
from autograder.grading.results import ERROR, FAILED, NO_SUBMISSION, StudentResult, clip, verdict
from autograder.moodle.export import StudentSubmission
from autograder.moodle.submission_file import choose_file
from autograder.sandbox import Sandbox
from checklib.assignments import Assignment


@dataclass(frozen=True)
class GradingJob:
    """Everything the workers share: what to check, against what, and where."""

    assignment: Assignment
    checks: Sequence[Check]
    reference: ModuleType
    sandbox: Sandbox
    hide: Sequence[Path]  # instructor paths the student's code must not see
    optional_checks: frozenset[str] = frozenset()


def _module_source(choice_source: str, kind: str) -> tuple[str, tuple[str, ...]]:
    """The module to grade, and notes about what was left out of a notebook."""
    if kind != "notebook":
        return choice_source, ()
    from autograder.notebooks.extract import extract_module  # only needed for notebooks

    module = extract_module(choice_source)
    return module.source, module.notes


def _not_run(checks: Sequence[Check], message: str, optional: frozenset[str]) -> tuple[CheckResult, ...]:
    return tuple(CheckResult(check.name, check.visibility, check.description, "error", message, 0.0,
                             check.name not in optional) for check in checks)


def grade_submission(submission: StudentSubmission, job: GradingJob) -> StudentResult:
    """Grade one student's submission; never raises for anything the student did."""
    identity = {"participant_id": submission.participant_id, "name": submission.name}
    notes = tuple(submission.problems)
    if not submission.files:
        if submission.online_text:
            return StudentResult(**identity, outcome=ERROR, notes=notes,
                                 reason="Only online text was submitted: it cannot be graded. Upload your .py file.")
        if notes:  # files were submitted, and every one was refused
            return StudentResult(**identity, outcome=ERROR, notes=notes,
                                 reason=clip(f"Nothing could be graded: {' '.join(notes)}"))
        return StudentResult(**identity, outcome=NO_SUBMISSION, reason="No submission.")
    choice = choose_file(submission.files, job.assignment.filename, job.assignment.functions)
    notes += (choice.reason,)
    if choice.source is None:
        return StudentResult(**identity, outcome=ERROR, notes=notes, reason=clip(choice.reason))
    try:
        source, extraction_notes = _module_source(choice.source, choice.kind)
        notes += extraction_notes
    except (ImportError, ValueError) as error:
        return StudentResult(**identity, outcome=ERROR, graded_file=choice.path, notes=notes,
                             reason=clip(f"Your notebook {choice.path} could not be read: {error}"))
    with job.sandbox.open(source, job.assignment.filename, job.hide) as subject:
        if (message := subject.load_failure) is not None:
            return StudentResult(**identity, outcome=FAILED, graded_file=choice.path, notes=notes,
                                 reason=clip(f"{choice.path}: {message}"),
                                 checks=_not_run(job.checks, message, job.optional_checks), graded_source=source)
        results = run_checks(list(job.checks), subject, job.reference)
    results = [_with_requirement(result, job.optional_checks) for result in results]
    outcome, reason = verdict(results)
    return StudentResult(**identity, outcome=outcome, reason=reason, graded_file=choice.path, notes=notes,
                         checks=tuple(results), graded_source=source)


def _with_requirement(result: CheckResult, optional: frozenset[str]) -> CheckResult:
    return replace(result, required=False) if result.name in optional else result


def _crashed(submission: StudentSubmission, error: Exception) -> StudentResult:
    # A bug in the grader itself: the student still gets a row, and the TA sees why.
    return StudentResult(submission.participant_id, submission.name, ERROR,
                         clip(f"The grader failed on this submission ({type(error).__name__}: {error}); "
                              "your TA will look at it."))


def grade_safely(submission: StudentSubmission, job: GradingJob) -> StudentResult:
    """grade_submission, with a failure of the grader itself turned into an error row for that student."""
    try:
        return grade_submission(submission, job)
    except Exception as error:
        return _crashed(submission, error)


def grade_all(submissions: Sequence[StudentSubmission], job: GradingJob, workers: int,
              on_done: Callable[[StudentResult], None] = lambda result: None) -> list[StudentResult]:
    """Grade every submission with `workers` threads; results sorted by participant id."""

    def grade_one(submission: StudentSubmission) -> StudentResult:
        result = grade_safely(submission, job)
        on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="grader") as pool:
        results = list(pool.map(grade_one, submissions))
    return sorted(results, key=lambda result: result.participant_id)
