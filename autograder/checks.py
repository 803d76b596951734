"""The checks of an assignment, and running them against any `Subject`.

The checks are the test functions of `tests/public/test_<hw>_public.py` and
`tests/hidden/test_<hw>_hidden.py`: plain pytest functions that take the `hw` fixture
(the student's module) and, for hidden tests, `ref` (the reference module). pytest runs
them in-process; the grader imports the same functions here and runs them in its own
trusted process, with `hw` a sandboxed subject.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from checklib.assignments import Assignment
from checklib.loading import load_module
from checklib.subject import MissingFunction, NotImplementedYet, StudentCodeError, Subject, SubmissionStopped

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = REPO_ROOT / "tests"
SOLUTIONS_DIR = REPO_ROOT / "solutions"
FIXTURES = ("hw", "ref")


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
    status: str  # "passed", "failed", "not_implemented", "error", "stopped"
    message: str
    duration: float
    required: bool = True

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def check_files(assignment: Assignment) -> dict[str, Path]:
    """visibility -> the test file holding that assignment's checks."""
    return {"public": TESTS_DIR / "public" / f"test_{assignment.key}_public.py",
            "hidden": TESTS_DIR / "hidden" / f"test_{assignment.key}_hidden.py"}


def _checks_in(module: ModuleType, visibility: str) -> list[Check]:
    checks = []
    for name, function in vars(module).items():
        if not name.startswith("test_") or not inspect.isfunction(function):
            continue
        unknown = set(inspect.signature(function).parameters) - set(FIXTURES)
        if unknown:
            raise TypeError(f"{module.__file__}: {name} takes {sorted(unknown)}; checks may only take {FIXTURES}")
        doc = (inspect.getdoc(function) or name).splitlines()[0]
        checks.append(Check(name, visibility, doc, function, getattr(function, "required", True)))
    return checks


def collect_checks(assignment: Assignment) -> list[Check]:
    """Every check of the assignment, public first, each in file order."""
    checks = []
    for visibility, path in check_files(assignment).items():
        if path.is_file():
            checks += _checks_in(load_module(path, f"checks_{assignment.key}_{visibility}"), visibility)
    return checks


def load_reference(assignment: Assignment) -> ModuleType:
    return load_module(SOLUTIONS_DIR / assignment.filename, f"reference_{assignment.key}")


def _status(error: BaseException) -> str:
    if isinstance(error, NotImplementedYet):
        return "not_implemented"
    if isinstance(error, SubmissionStopped):
        return "stopped"
    if isinstance(error, (MissingFunction, StudentCodeError)):
        return "error"
    return "failed"


def run_check(check: Check, subject: Subject, reference: ModuleType) -> CheckResult:
    """Run one check; every outcome, whatever the student's code did, becomes a CheckResult."""
    fixtures: dict[str, Any] = {"hw": subject, "ref": reference}
    parameters = inspect.signature(check.function).parameters
    start = time.perf_counter()
    try:
        check.function(**{name: fixtures[name] for name in parameters})
        status, message = "passed", ""
    except StudentCodeError as error:
        status, message = _status(error), error.describe()
    except AssertionError as error:
        status, message = "failed", str(error) or "the check failed"
    except Exception as error:  # a value the check could not even compare
        status, message = "failed", f"your result could not be checked: {type(error).__name__}: {error}"
    duration = time.perf_counter() - start
    return CheckResult(check.name, check.visibility, check.description, status, message, duration, check.required)


def run_checks(checks: list[Check], subject: Subject, reference: ModuleType) -> list[CheckResult]:
    return [run_check(check, subject, reference) for check in checks]
