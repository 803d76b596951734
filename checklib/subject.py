"""The student's module as the tests see it: `hw.cost(X, t, w, b)`.

Tests never touch the student's module directly. They call its functions through a
`Subject`, which returns plain values (see `checklib.codec`) and turns the student's
exceptions into `StudentCodeError`s with a message in words. `InProcessSubject` runs the
student's code in the test's own process (the student's `pytest`); the grader's
`SandboxSubject` runs it in an isolated child process, with the same behaviour.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from checklib.calls import CallOutcome, ErrorInfo, run_call, run_torch_call
from checklib.codec import decode, encode


class StudentCodeError(Exception):
    """The student's code raised an exception, or could not be run.

    What the exception says is the student's text (see ErrorInfo.shown); which subclass is
    raised decides the check's status, so only the grader's own code chooses SubmissionStopped.
    """

    def __init__(self, function: str, error: ErrorInfo):
        self.function = function
        self.error = error
        super().__init__(self.describe())

    def describe(self) -> str:
        return f"{self.function} raised {self.error.shown()}"


# The stub's own message names the unfinished function, which may be one the called function uses.
_STUB_MESSAGE = re.compile(r"([A-Za-z_]\w{0,99}): not implemented yet")


class NotImplementedYet(StudentCodeError):
    """The function still raises NotImplementedError: the stub is untouched."""

    def describe(self) -> str:
        stub = _STUB_MESSAGE.fullmatch(self.error.message)
        return f"{stub[1] if stub else self.function}: not implemented yet"


class MissingFunction(StudentCodeError):
    def describe(self) -> str:
        return f"{self.function}: your file has no function named {self.function}"


class ImportFailed(StudentCodeError):
    """A call on a module that could not be imported."""

    def describe(self) -> str:
        return import_failure(self.error)


def import_failure(error: ErrorInfo) -> str:
    """Why the student's file could not be imported, their own error quoted."""
    return f"your file could not be imported: {error.shown()}"


class SubmissionStopped(StudentCodeError):
    """The student's process ended or was stopped (time or memory limit, exit, crash).

    Raised only by the runner itself (the grader's sandbox), with a reason in its own words.
    """

    def __init__(self, function: str, reason: str):
        super().__init__(function, ErrorInfo("SubmissionStopped", reason, ""))

    def describe(self) -> str:
        return f"{self.function}: {self.error.message}"


def raise_for(function: str, error: ErrorInfo) -> None:
    """Raise the StudentCodeError that fits an error the student's code reported.

    The error's type name is the student's text: it can choose "not implemented yet" or a
    missing function (only failing itself), never a stop.
    """
    if error.type_name == "NotImplementedError":
        raise NotImplementedYet(function, error)
    if error.type_name == "MissingFunction":
        raise MissingFunction(function, error)
    raise StudentCodeError(function, error)


class Subject(ABC):
    """A student's module: attribute access gives its functions, returning plain values."""

    def __init__(self, assignment: str):
        self.assignment = assignment
        self.last_warnings: list[str] = []  # warnings the last call raised, as text

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return functools.partial(self.call, name)

    @abstractmethod
    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        """function(*args, **kwargs) in the student's module, as a plain value."""

    @abstractmethod
    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        """function with ndarray arguments passed as torch tensors (see run_torch_call)."""


class InProcessSubject(Subject):
    """The student's module, run in this process (the student's own pytest)."""

    def __init__(self, assignment: str, module: ModuleType):
        super().__init__(assignment)
        self.module = module

    def _result(self, function: str, outcome: CallOutcome) -> Any:
        self.last_warnings = list(outcome.warnings)
        if outcome.error is not None:
            raise_for(function, outcome.error)
        # The same bytes round trip as the sandbox, so tests see the same values here.
        return decode(encode(outcome.value))

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._result(function, run_call(self.module, function, args, kwargs))

    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        return self._result(function, run_torch_call(self.module, function, args, requires_grad))
