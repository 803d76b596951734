"""Grading a class: read each upload in the sandbox, run the checks on what it chose, decide.

The checks, the reference solution and every comparison stay in this (trusted) process;
each student's upload is read (the file to grade chosen, decoded, a notebook's module
extracted: `autograder.upload.intake`) and its code run in its own sandboxed child, so this
process only moves bytes and reads validated plain data. Students are graded concurrently by
worker threads, one sandboxed child each. Then a second look, one submission at a time: a
submission that ran out of wall-clock time (the machine may have been busy) or whose grading
failed for a reason not its own (the sandbox's zygote died, killed by whatever) is graded
again alone; only what that second grading finds counts, and a grading that fails again is a
grader failure (no grade), with that submission's own cause.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from autograder.grading.results import (
    ERROR,
    FAILED,
    GRADER_FAILURE,
    NO_SUBMISSION,
    PASSED,
    StudentResult,
    clip,
    verdict,
)
from autograder.moodle.export import StudentSubmission
from autograder.paths import REPO_ROOT
from autograder.reference_cache import CachedReference
from autograder.sandbox import Sandbox, Upload
from autograder.sandbox.plan import CallPlan, record_plan
from checklib.assignments import Assignment
from checklib.checks import Check, CheckResult, Status, collect_checks, load_reference, run_checks


@dataclass(frozen=True)
class GradingJob:
    """Everything the workers share: what to check, against what, and where."""

    assignment: Assignment
    checks: Sequence[Check]
    reference: ModuleType
    sandbox: Sandbox
    hide: Sequence[Path]  # instructor paths the student's code must not see
    optional_checks: frozenset[str] = frozenset()
    plan: CallPlan | None = None  # the calls the checks make, for each child to run ahead of them

    @classmethod
    def load(cls, assignment: Assignment, sandbox: Sandbox, hide: Sequence[Path],
             optional_checks: frozenset[str] = frozenset()) -> GradingJob:
        """The job of grading a class of assignment in sandbox: its checks, its reference solution behind a
        cache for the whole class (hidden checks call it with the same inputs for every student), and the
        calls the checks make on the reference, which each child runs ahead of them."""
        checks = tuple(collect_checks(assignment, REPO_ROOT))
        module = load_reference(assignment, REPO_ROOT)
        reference = CachedReference(module)
        plan = record_plan(assignment.key, module, lambda subject: run_checks(checks, subject, reference))
        return cls(assignment, checks, reference, sandbox, tuple(hide), frozenset(optional_checks), plan)


@contextlib.contextmanager
def started_job(assignment: Assignment, sandbox: Sandbox, hide: Sequence[Path],
                optional_checks: frozenset[str] = frozenset()) -> Iterator[GradingJob]:
    """`GradingJob.load` while sandbox starts, side by side (its zygote loads numpy and torch in a process of
    its own, for a second or two); the sandbox is closed on leaving, or when either fails."""
    with ThreadPoolExecutor(1, thread_name_prefix="sandbox-start") as pool:
        starting = pool.submit(sandbox.start)
        try:
            job = GradingJob.load(assignment, sandbox, hide, optional_checks)
        except BaseException:
            wait([starting])
            sandbox.close()
            raise
        starting.result()  # SandboxError when the zygote did not start (it cleans up after itself)
    try:
        yield job
    finally:
        sandbox.close()


def _not_run(checks: Sequence[Check], message: str, optional: frozenset[str]) -> tuple[CheckResult, ...]:
    return tuple(CheckResult(check.name, check.visibility, check.description, Status.ERROR, message, 0.0,
                             check.name not in optional) for check in checks)


@dataclass(frozen=True)
class Graded:
    """One grading of a submission, and whether a second look alone could change it."""

    result: StudentResult
    second_look: bool  # it ran out of wall-clock time while not using the CPU, or the grader failed on it


def grade_submission(submission: StudentSubmission, job: GradingJob) -> StudentResult:
    """Grade one student's submission once; never raises for anything the student did."""
    return _grade(submission, job).result


def _grade(submission: StudentSubmission, job: GradingJob) -> Graded:
    identity = {"participant_id": submission.participant_id, "name": submission.name}
    notes = tuple(submission.problems)
    if not submission.files:
        if submission.online_text:
            return Graded(StudentResult(**identity, outcome=ERROR, notes=notes, reason=(
                "Only online text was submitted: it cannot be graded. Upload your .py file.")), False)
        if notes:  # files were submitted, and every one was refused
            return Graded(StudentResult(**identity, outcome=ERROR, notes=notes,
                                        reason=clip(f"Nothing could be graded: {' '.join(notes)}")), False)
        return Graded(StudentResult(**identity, outcome=NO_SUBMISSION, reason="No submission."), False)
    assignment = job.assignment
    upload = Upload(submission.files, assignment.filename, tuple(assignment.functions))
    with job.sandbox.open(None, assignment.filename, job.hide, upload=upload, plan=job.plan) as subject:
        intake = subject.intake
        if intake is None:  # stopped while reading the upload
            reason = f"Your upload could not be read: {subject.load_error.message}"
            return Graded(StudentResult(**identity, outcome=ERROR, notes=notes, reason=clip(reason)),
                          subject.timed_out)
        if intake.source is None:
            return Graded(StudentResult(**identity, outcome=ERROR, graded_file=intake.path,
                                        notes=notes + intake.notes, reason=clip(intake.reason)), False)
        notes += (intake.reason, *intake.notes)
        if (message := subject.load_failure) is not None:
            return Graded(StudentResult(**identity, outcome=FAILED, graded_file=intake.path, notes=notes,
                                        reason=clip(f"{intake.path}: {message}"),
                                        checks=_not_run(job.checks, message, job.optional_checks),
                                        graded_source=intake.source),
                          subject.timed_out)
        results = run_checks(job.checks, subject, job.reference)
        if subject.sandbox_failure is not None:  # a check saw it as "could not be checked": not the student's
            raise subject.sandbox_failure
        timed_out = subject.timed_out
    results = [_with_requirement(result, job.optional_checks) for result in results]
    outcome, reason = verdict(results)
    return Graded(StudentResult(**identity, outcome=outcome, reason=reason, graded_file=intake.path, notes=notes,
                                checks=tuple(results), graded_source=intake.source), timed_out and outcome != PASSED)


def _with_requirement(result: CheckResult, optional: frozenset[str]) -> CheckResult:
    return replace(result, required=False) if result.name in optional else result


def grader_failure(submission: StudentSubmission, error: Exception) -> StudentResult:
    """Not the student's doing (the sandbox failed, a bug in the grader): no grade, and the TA sees why."""
    return StudentResult(submission.participant_id, submission.name, GRADER_FAILURE,
                         clip(f"The grader could not grade this submission ({type(error).__name__}: {error}); "
                              "it was not graded, and your TA will grade it again."))


def _grade_safely(submission: StudentSubmission, job: GradingJob) -> Graded:
    try:
        return _grade(submission, job)
    except Exception as error:
        return Graded(grader_failure(submission, error), True)


def grade_safely(submission: StudentSubmission, job: GradingJob) -> StudentResult:
    """Grade one submission, with a second look right away when the first could have been the machine's doing
    (a Dask task: the cluster's other tasks go on meanwhile)."""
    graded = _grade_safely(submission, job)
    return _grade_safely(submission, job).result if graded.second_look else graded.result


def grade_all(submissions: Sequence[StudentSubmission], job: GradingJob, workers: int,
              on_done: Callable[[StudentResult], None] = lambda result: None) -> list[StudentResult]:
    """Grade every submission with `workers` threads, then the second looks one by one; sorted by participant id."""
    def first_look(submission: StudentSubmission) -> Graded:
        graded = _grade_safely(submission, job)
        if not graded.second_look:
            on_done(graded.result)
        return graded

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="grader") as pool:
        first = list(pool.map(first_look, submissions))
    results = []
    for submission, graded in zip(submissions, first, strict=True):
        if graded.second_look:
            graded = _grade_safely(submission, job)
            on_done(graded.result)
        results.append(graded.result)
    return sorted(results, key=lambda result: result.participant_id)
