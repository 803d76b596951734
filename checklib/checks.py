"""The check model, one for every runner: what a check is, how one runs, and how it ended.

A check is a plain `test_<function>_<what>(hw[, ref])` function of an assignment's check files
(tests/public/test_<hw>_public.py, tests/hidden/test_<hw>_hidden.py): `hw` is the student's
module (a `Subject`), `ref` the reference module. One function may cover several cases, plain
data the runners read (`cases`):

    @cases(case("one_epoch", "gradient_descent, 1 epoch from zeros.", alpha=0.2, num_epochs=1),
           case("ten_epochs", "gradient_descent, 10 epochs.", alpha=0.3, num_epochs=10))
    def test_gradient_descent(hw, ref, alpha, num_epochs):
        ...                       # the checks test_gradient_descent_one_epoch and _ten_epochs

The grader, `make check` and pytest (checklib.pytest_plugin, checklib.pytest_run), the notebooks
(checklib.notebook) and the reports all use `Check`, `CheckResult` and `Status` from here.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from checklib.assignments import Assignment
from checklib.hints import explain_error, improve_message
from checklib.loading import load_module
from checklib.paths import KIT_ROOT, VISIBILITIES, check_files, reference_file
from checklib.student_text import clipped, quoted
from checklib.subject import NotImplementedYet, StudentCodeError, Subject, SubmissionStopped

FIXTURES = ("hw", "ref")
# A check's message is kept in results and feedback: long enough for any of the checks' own
# messages, short enough that a student's huge value quoted somewhere cannot swell them.
MAX_CHECK_MESSAGE = 1000
NEEDS_REFERENCE = "this check needs the reference solution (grader only)"


class Status(StrEnum):
    """How a check ended, decided by `outcome_of` from the kind of exception the check raised.

    Only the runner's own code raises SubmissionStopped, so nothing the student's code sends
    can make a check "stopped" (or "passed": a check passes only when it raises nothing).
    """

    PASSED = "passed"
    FAILED = "failed"
    NOT_IMPLEMENTED = "not_implemented"  # the untouched stub raised NotImplementedError
    ERROR = "error"  # the student's code raised an exception
    STOPPED = "stopped"  # the student's process ended or was stopped by the sandbox
    # Only where the student's file is imported for pytest (make check, make submit): no check could run.
    IMPORT_ERROR = "import_error"  # the file could not be imported
    MISSING_PACKAGE = "missing_package"  # this Python lacks a package of the kit that the file imports


# --- what a check is ----------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., None])


@dataclass(frozen=True)
class Case:
    """One case of a parametrized check function: the check <function>_<name>, what it verifies
    (its description) and the values of the function's parameters after its fixtures."""

    name: str
    description: str
    arguments: Mapping[str, Any]


def case(name: str, description: str, **arguments: Any) -> Case:
    return Case(name, description, arguments)


def cases(*each: Case) -> Callable[[F], F]:
    """The cases of a check function, kept on it as plain data (`function.cases`) for the runners."""
    def mark(function: F) -> F:
        function.cases = each  # type: ignore[attr-defined]
        return function
    return mark


@dataclass(frozen=True)
class Check:
    name: str  # e.g. "test_cost_value", or "<function>_<case>" for a case of a parametrized function
    visibility: str  # "public" or "hidden"
    description: str  # the first line of its docstring (a case's own description)
    function: Callable[..., None]
    arguments: Mapping[str, Any] = field(default_factory=dict)  # a case's values of the other parameters
    required: bool = True  # optional checks are reported but not needed for a pass
    fixtures: tuple[str, ...] = ("hw",)  # the fixtures its function takes, of FIXTURES

    @property
    def needs_reference(self) -> bool:
        return "ref" in self.fixtures

    def call(self, subject: Subject, reference: Any) -> None:
        """Run the check's body on subject (and reference); raises as the check does."""
        given = {"hw": subject, "ref": reference}
        self.function(**{name: given[name] for name in self.fixtures}, **self.arguments)


@dataclass(frozen=True)
class CheckResult:
    name: str
    visibility: str
    description: str
    status: Status
    message: str = ""
    duration: float = 0.0  # seconds
    required: bool = True
    unimplemented: str | None = None  # for NOT_IMPLEMENTED: the function that still raises NotImplementedError

    @property
    def passed(self) -> bool:
        return self.status == Status.PASSED


def description(function: Callable[..., None]) -> str:
    """The first line of a check's docstring: what it verifies, for a student."""
    return (inspect.getdoc(function) or function.__name__).splitlines()[0]


def function_of_check(check_name: str, functions: Iterable[str]) -> str | None:
    """The graded function a check is about: test_<function>_<what>, longest name first.

    "test_gradient_descent_zero_epochs" is about gradient_descent, not gradient.
    """
    for function in sorted(functions, key=len, reverse=True):
        if check_name == f"test_{function}" or check_name.startswith(f"test_{function}_"):
            return function
    return None


# --- finding an assignment's checks ---------------------------------------------------------------


def _expanded(name: str, function: Callable[..., None], visibility: str, where: str) -> list[Check]:
    parameters = inspect.signature(function).parameters
    own = [parameter for parameter in parameters if parameter not in FIXTURES]
    fixtures = tuple(parameter for parameter in parameters if parameter in FIXTURES)
    required = getattr(function, "required", True)
    each: tuple[Case, ...] | None = getattr(function, "cases", None)
    if each is None:
        if own:
            raise TypeError(f"{where}: {name} takes {own}; a check takes only {FIXTURES}, unless it has @cases")
        return [Check(name, visibility, description(function), function, {}, required, fixtures)]
    checks = []
    defaults = [parameter for parameter in own if parameters[parameter].default is not inspect.Parameter.empty]
    if defaults:  # pytest cannot give a parameter that has a default its cases' values
        raise TypeError(f"{where}: {name} gives {defaults} a default; with @cases, every case gives every value")
    for one in each:
        if set(one.arguments) != set(own):
            raise TypeError(f"{where}: case {one.name!r} of {name} gives {sorted(one.arguments)}, not {own}")
        checks.append(Check(f"{name}_{one.name}", visibility, one.description, function, dict(one.arguments), required,
                            fixtures))
    return checks


def checks_in(module: ModuleType, visibility: str) -> list[Check]:
    """Every check of a loaded check module, in file order (a parametrized function's cases in theirs).

    Raises TypeError for a check function whose parameters its cases do not fill.
    """
    checks: list[Check] = []
    for name, function in vars(module).items():
        if name.startswith("test_") and inspect.isfunction(function):
            checks += _expanded(name, function, visibility, str(module.__file__))
    return checks


def load_checks(path: Path, visibility: str) -> list[Check]:
    """The checks of one check file, imported by path (never cached)."""
    return checks_in(load_module(path, f"checks_{path.stem}"), visibility)


def collect_checks(assignment: Assignment, root: Path = KIT_ROOT,
                   visibilities: Iterable[str] = VISIBILITIES) -> list[Check]:
    """Every check of the assignment below root (the repository, or the kit: public only), public first."""
    files = check_files(root, assignment.key)
    return [check for visibility in visibilities if files[visibility].is_file()
            for check in load_checks(files[visibility], visibility)]


def load_reference(assignment: Assignment, root: Path = KIT_ROOT) -> ModuleType:
    """The reference solution module (instructor only: the kit has no solutions/)."""
    return load_module(reference_file(root, assignment), f"reference_{assignment.key}")


# --- how a check ended ------------------------------------------------------------------------


def outcome_of(error: BaseException | None, hints_for: Assignment | None = None) -> tuple[Status, str]:
    """(status, message) for a check that raised error (None: it passed).

    With hints_for (the assignment), messages carry the student-side hints for the classic
    mistakes. Messages are at most MAX_CHECK_MESSAGE characters.
    """
    if error is None:
        return Status.PASSED, ""
    if isinstance(error, NotImplementedYet):
        return Status.NOT_IMPLEMENTED, error.describe()
    if isinstance(error, SubmissionStopped):
        return Status.STOPPED, clipped(error.describe(), MAX_CHECK_MESSAGE)
    if isinstance(error, StudentCodeError):
        hint = explain_error(error.error.type_name, error.error.message, error.error.where) if hints_for else ""
        return Status.ERROR, clipped(error.describe() + (f". Hint: {hint}" if hint else ""), MAX_CHECK_MESSAGE)
    if isinstance(error, AssertionError):
        message = clipped(str(error), MAX_CHECK_MESSAGE) or "the check failed"
        if hints_for is None:
            return Status.FAILED, message
        return Status.FAILED, clipped(improve_message(hints_for.overflow_hint, message), MAX_CHECK_MESSAGE)
    # The check's own code failed on the student's value; its message may quote that value.
    return Status.FAILED, f"your result could not be checked: {type(error).__name__}: {quoted(str(error))}"


def run_check(check: Check, subject: Subject, reference: Any = None,
              hints_for: Assignment | None = None) -> CheckResult:
    """Run one check; every ending, whatever the student's code did, becomes a CheckResult."""
    if check.needs_reference and reference is None:
        return CheckResult(check.name, check.visibility, check.description, Status.ERROR, NEEDS_REFERENCE,
                           required=check.required)
    start = time.perf_counter()
    try:
        check.call(subject, reference)
    except Exception as error:  # whatever the student's values made the check raise
        status, message = outcome_of(error, hints_for)
    else:
        status, message = outcome_of(None)
    return CheckResult(check.name, check.visibility, check.description, status, message,
                       time.perf_counter() - start, check.required)


def run_checks(checks: Iterable[Check], subject: Subject, reference: Any = None,
               hints_for: Assignment | None = None) -> list[CheckResult]:
    return [run_check(check, subject, reference, hints_for) for check in checks]
