"""The call plan changes no verdict and no message: every corpus file graded with and without it, compared."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.grading.pipeline import GradingJob
from autograder.paths import CORPUS_DIR, REPO_ROOT
from autograder.sandbox import Limits, Sandbox
from checklib.assignments import all_assignments
from checklib.checks import run_checks

LIMITS = Limits(call_timeout=5, submission_timeout=30)
WORKERS = 3


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox.for_class(LIMITS, WORKERS) as started:
        yield started


def _graded(job: GradingJob, path: Path, planned: bool) -> list[tuple]:
    with job.sandbox.open(path.read_text(encoding="utf-8"), job.assignment.filename, job.hide,
                          plan=job.plan if planned else None) as subject:
        return [(result.name, result.status, result.message) for result in
                run_checks(job.checks, subject, job.reference, hints_for=job.assignment)]


@pytest.mark.parametrize("key", sorted(all_assignments(REPO_ROOT)))
def test_every_corpus_file_gets_the_same_results_with_the_plan_as_without(sandbox, key):
    job = GradingJob.load(all_assignments(REPO_ROOT)[key], sandbox, [REPO_ROOT])
    assert len(job.plan) > len(job.checks) / 2  # most checks call the student's code
    files = sorted(CORPUS_DIR.glob(f"*/{key}/*.py"))
    with ThreadPoolExecutor(WORKERS) as pool:
        without = list(pool.map(lambda path: _graded(job, path, planned=False), files))
        planned = list(pool.map(lambda path: _graded(job, path, planned=True), files))
    differences = {path.name: [(alone, ahead) for alone, ahead in zip(one, other, strict=True) if alone != ahead]
                   for path, one, other in zip(files, without, planned, strict=True) if one != other}
    assert files and not differences
