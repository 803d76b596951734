"""Every assignment's rule "no function may modify its inputs", checked on every call.

    hw = watching_inputs(hw, {"predict": ("X", "w", "b")})
    hw.predict(X, w, b)      # AssertionError if predict wrote into X or w

The student's function gets writeable copies of its array arguments, which are compared with
the originals after the call. The copies are passed positionally: the grader's sandbox copies
positional ndarray arguments back after the call, so a modification is seen in both settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from checklib.expect import expect_unchanged
from checklib.subject import Subject


def modified_input_hint(function: str, name: str) -> str:
    """How to leave the argument name of function unchanged."""
    if function == "gradient_descent" and name in ("w0", "W0", "b0"):
        own = name[:-1]
        return (f"start from a copy ({own} = {name}.copy()) and update with {own} = {own} - alpha * d{own}, "
                "which makes a new array")
    return (f"do not write into {name} ({name} -= ..., {name}[...] = ..., out={name}): build a new array "
            f"instead, or work on {name}.copy()")


class InputWatchingSubject(Subject):
    """A subject whose calls fail when the student's function modified one of its array arguments."""

    def __init__(self, subject: Subject, parameters: Mapping[str, Sequence[str]]):
        super().__init__(subject.assignment)
        self.subject = subject
        self.parameters = parameters  # function -> the names of its arguments, for messages

    def _watched(self, function: str, args: Sequence[Any], call: Any) -> Any:
        copies = [np.array(arg, copy=True) if type(arg) is np.ndarray else arg for arg in args]
        try:
            result = call(copies)
        finally:
            self.last_warnings = self.subject.last_warnings
        names = self.parameters.get(function, ())
        for index, (before, after) in enumerate(zip(args, copies, strict=True)):
            if type(before) is np.ndarray:
                name = names[index] if index < len(names) else f"argument {index + 1}"
                expect_unchanged(before, after, f"{name} (an argument of {function})",
                                 modified_input_hint(function, name))
        return result

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        return self._watched(function, args, lambda copies: self.subject.call(function, *copies, **kwargs))

    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        # The arrays reach the student's function as new tensors: nothing of the caller's can change.
        try:
            return self.subject.call_torch(function, *args, requires_grad=requires_grad)
        finally:
            self.last_warnings = self.subject.last_warnings


def watching_inputs(subject: Subject, parameters: Mapping[str, Sequence[str]]) -> InputWatchingSubject:
    """subject, with every call checking that the student's function left its array arguments unchanged."""
    return InputWatchingSubject(subject, parameters)
