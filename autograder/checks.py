"""The checks of an assignment, and running them against any `Subject`.

The checks are the test functions of `tests/public/test_<hw>_public.py` and
`tests/hidden/test_<hw>_hidden.py`: plain pytest functions that take the `hw` fixture
(the student's module) and, for hidden tests, `ref` (the reference module). pytest runs
them in-process; the grader imports the same functions here and runs them in its own
trusted process, with `hw` a sandboxed subject.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from checklib.assignments import Assignment
from checklib.checks import Status, check_functions, description, run_check_function
from checklib.loading import load_module
from checklib.paths import VISIBILITIES, check_file
from checklib.subject import Subject

CHECKS_ROOT = REPO_ROOT  # holds tests/public/ and tests/hidden/


@dataclass(frozen=True)
class Check:
    name: str  # the test function's name, e.g. "test_cost_value"
    visibility: str  # "public" or "hidden"
    description: str  # the first line of its docstring
    function: Callable[..., None]
    required: bool = True


@dataclass(frozen=True)
class CheckResult:
    name: str
    visibility: str
    description: str
    status: str  # a checklib.checks.Status: "passed", "failed", "not_implemented", "error", "stopped"
    message: str
    duration: float
    required: bool = True

    @property
    def passed(self) -> bool:
        return self.status == Status.PASSED


def check_files(assignment: Assignment) -> dict[str, Path]:
    """visibility -> the test file holding that assignment's checks."""
    return {visibility: check_file(CHECKS_ROOT, assignment.key, visibility) for visibility in VISIBILITIES}


def _checks_in(module: ModuleType, visibility: str) -> list[Check]:
    return [Check(name, visibility, description(function), function, getattr(function, "required", True))
            for name, function in check_functions(module).items()]


def collect_checks(assignment: Assignment) -> list[Check]:
    """Every check of the assignment, public first, each in file order."""
    checks = []
    for visibility, path in check_files(assignment).items():
        if path.is_file():
            checks += _checks_in(load_module(path, f"checks_{assignment.key}_{visibility}"), visibility)
    return checks


def load_reference(assignment: Assignment) -> ModuleType:
    return load_module(SOLUTIONS_DIR / assignment.filename, f"reference_{assignment.key}")


def run_check(check: Check, subject: Subject, reference: ModuleType) -> CheckResult:
    """Run one check; every outcome, whatever the student's code did, becomes a CheckResult."""
    start = time.perf_counter()
    status, message = run_check_function(check.function, {"hw": subject, "ref": reference})
    duration = time.perf_counter() - start
    return CheckResult(check.name, check.visibility, check.description, status, message, duration, check.required)


def run_checks(checks: list[Check], subject: Subject, reference: ModuleType) -> list[CheckResult]:
    return [run_check(check, subject, reference) for check in checks]
