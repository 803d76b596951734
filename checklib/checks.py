"""Running one check function, and what its ending means, shared by every runner.

A check is a plain `test_<function>_<what>(hw[, ref])` function. The grader
(autograder.checks), `make check` (checklib.public_checks) and the notebooks
(checklib.notebook) all turn the way a check ended into a status and a message here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from enum import StrEnum
from types import ModuleType
from typing import Any

from checklib.hints import explain_error, improve_message
from checklib.student_text import clipped, quoted
from checklib.subject import NotImplementedYet, StudentCodeError, SubmissionStopped

FIXTURES = ("hw", "ref")
# A check's message is kept in results and feedback: long enough for any of the checks' own
# messages, short enough that a student's huge value quoted somewhere cannot swell them.
MAX_CHECK_MESSAGE = 1000


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


def check_functions(module: ModuleType) -> dict[str, Callable[..., None]]:
    """name -> check, for every test_* function of a check module, in file order.

    Raises TypeError for a check that takes anything but the fixtures hw and ref.
    """
    checks = {}
    for name, function in vars(module).items():
        if not name.startswith("test_") or not inspect.isfunction(function):
            continue
        unknown = set(inspect.signature(function).parameters) - set(FIXTURES)
        if unknown:
            raise TypeError(f"{module.__file__}: {name} takes {sorted(unknown)}; checks may only take {FIXTURES}")
        checks[name] = function
    return checks


def function_of_check(check_name: str, functions: Iterable[str]) -> str | None:
    """The graded function a check is about: test_<function>_<what>, longest name first.

    "test_gradient_descent_zero_epochs" is about gradient_descent, not gradient.
    """
    for function in sorted(functions, key=len, reverse=True):
        if check_name == f"test_{function}" or check_name.startswith(f"test_{function}_"):
            return function
    return None


def description(function: Callable[..., None]) -> str:
    """The first line of a check's docstring: what it verifies, for a student."""
    return (inspect.getdoc(function) or function.__name__).splitlines()[0]


def outcome_of(error: BaseException | None, hints_for: str | None = None) -> tuple[Status, str]:
    """(status, message) for a check that raised error (None: it passed).

    With hints_for (an assignment key), messages carry the student-side hints for the
    classic mistakes. Messages are at most MAX_CHECK_MESSAGE characters.
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
        return Status.FAILED, clipped(improve_message(hints_for, message), MAX_CHECK_MESSAGE) if hints_for else message
    # The check's own code failed on the student's value; its message may quote that value.
    return Status.FAILED, f"your result could not be checked: {type(error).__name__}: {quoted(str(error))}"


def run_check_function(function: Callable[..., None], fixtures: dict[str, Any],
                       hints_for: str | None = None) -> tuple[Status, str]:
    """Call the check with the fixtures it names; (status, message) however it ended."""
    parameters = inspect.signature(function).parameters
    try:
        function(**{name: fixtures[name] for name in parameters})
    except Exception as error:  # whatever the student's values made the check raise
        return outcome_of(error, hints_for)
    return outcome_of(None)
