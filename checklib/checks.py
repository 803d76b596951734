"""Running one check function, and what its ending means, shared by every runner.

A check is a plain `test_<function>_<what>(hw[, ref])` function. The grader
(autograder.checks), `make check` (checklib.public_checks) and the notebooks
(checklib.notebook) all turn the way a check ended into a status and a message here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from checklib.hints import explain_error, improve_message
from checklib.subject import MissingFunction, NotImplementedYet, StudentCodeError, SubmissionStopped

FIXTURES = ("hw", "ref")
VISIBILITIES = ("public", "hidden")


def check_file(root: Path, assignment_key: str, visibility: str) -> Path:
    """Where an assignment's public or hidden checks live below root (the repository or the kit)."""
    return root / "tests" / visibility / f"test_{assignment_key}_{visibility}.py"


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


def outcome_of(error: BaseException | None, hints_for: str | None = None) -> tuple[str, str]:
    """(status, message) for a check that raised error (None: it passed).

    status is "passed", "failed", "not_implemented", "error" (the student's code raised) or
    "stopped" (the student's process ended). With hints_for (an assignment key), messages
    carry the student-side hints for the classic mistakes.
    """
    if error is None:
        return "passed", ""
    if isinstance(error, NotImplementedYet):
        return "not_implemented", error.describe()
    if isinstance(error, SubmissionStopped):
        return "stopped", error.describe()
    if isinstance(error, (MissingFunction, StudentCodeError)):
        hint = explain_error(error.error.type_name, error.error.message, error.error.where) if hints_for else ""
        return "error", error.describe() + (f". Hint: {hint}" if hint else "")
    if isinstance(error, AssertionError):
        message = str(error) or "the check failed"
        return "failed", improve_message(hints_for, message) if hints_for else message
    return "failed", f"your result could not be checked: {type(error).__name__}: {error}"


def run_check_function(function: Callable[..., None], fixtures: dict[str, Any],
                       hints_for: str | None = None) -> tuple[str, str]:
    """Call the check with the fixtures it names; (status, message) however it ended."""
    parameters = inspect.signature(function).parameters
    try:
        function(**{name: fixtures[name] for name in parameters})
    except Exception as error:  # whatever the student's values made the check raise
        return outcome_of(error, hints_for)
    return outcome_of(None)
