"""Calling a student's function and describing what happened, as plain data.

`run_call` and `run_torch_call` run in whatever process holds the student's module: the
student's own Python (pytest in the kit) or the grader's sandboxed child. They never
raise for the student's errors: they return a `CallOutcome` that says what came back, or
what went wrong and where in the student's file.
"""

from __future__ import annotations

import contextlib
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

import numpy as np

from checklib.codec import same_array, to_plain
from checklib.student_text import clipped, quoted

MAX_MESSAGE = 500
MAX_WARNINGS = 5
# NumPy's default floating-point error handling. Every call of the student's code starts from
# it, so that an np.seterr(...) at the top of their file cannot hide the warnings the checks look
# for; an np.errstate(...) inside their function still applies to the code it wraps.
NUMPY_DEFAULT_ERRORS = {"divide": "warn", "over": "warn", "invalid": "warn", "under": "ignore"}
# Kept from before any student's file is imported, which could replace np.errstate.
_errstate = np.errstate


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised by the student's code, as text: all of it the student's (their code may
    send any text in its place), so messages show it only through `shown`."""

    type_name: str
    message: str
    where: str  # the student's own lines of the traceback, innermost last

    def as_plain(self) -> dict:
        return {"type_name": self.type_name, "message": self.message, "where": self.where}

    def shown(self) -> str:
        """The error for a message: the student's own text (type, message, lines), quoted."""
        text = quoted(f"{self.type_name}: {self.message}" if self.message else self.type_name)
        return text + (f" at {quoted(self.where)}" if self.where else "")


@dataclass(frozen=True)
class CallOutcome:
    """What one call of a student's function gave: a plain value or an error."""

    value: Any = None
    error: ErrorInfo | None = None
    args_after: list = field(default_factory=list)  # writeable ndarray arguments the call modified, else None
    warnings: list = field(default_factory=list)  # "RuntimeWarning: overflow encountered in exp", ...

    def as_plain(self) -> dict:
        return {"value": self.value, "error": None if self.error is None else self.error.as_plain(),
                "args_after": self.args_after, "warnings": self.warnings}


@contextlib.contextmanager
def recorded_warnings() -> Iterator[list[str]]:
    """Collect the warnings raised inside (each distinct one once, at most MAX_WARNINGS)."""
    texts: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield texts
    for warning in caught:
        text = clipped(f"{warning.category.__name__}: {warning.message}", MAX_MESSAGE)
        if text not in texts and len(texts) < MAX_WARNINGS:
            texts.append(text)


def describe_error(error: BaseException, student_file: str | None) -> ErrorInfo:
    """The exception as text, keeping only the frames in the student's file."""
    try:
        message = str(error)
    except Exception:
        message = "<the exception's message could not be shown>"
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if student_file is not None and frame.filename == student_file]
    where = "; ".join(f"line {frame.lineno}, in {frame.name}: {(frame.line or '').strip()}" for frame in own[-3:])
    return ErrorInfo(type(error).__name__, clipped(message, MAX_MESSAGE), clipped(where, MAX_MESSAGE))


def _missing(module: ModuleType, name: str) -> CallOutcome | None:
    if callable(getattr(module, name, None)):
        return None
    return CallOutcome(error=ErrorInfo("MissingFunction", f"your file has no function named {name}", ""))


def _guarded(module: ModuleType, compute: Callable[[], Any]) -> CallOutcome:
    """Run compute() (the student's code) under NumPy's default error handling, recording its
    warnings: its value, or what it raised."""
    with recorded_warnings() as raised, _errstate(**NUMPY_DEFAULT_ERRORS):
        try:
            value = compute()
        except (Exception, SystemExit, KeyboardInterrupt) as error:
            error_info = describe_error(error, getattr(module, "__file__", None))
        else:
            error_info = None
    if error_info is not None:
        return CallOutcome(error=error_info, warnings=raised)
    return CallOutcome(value=value, warnings=raised)


def run_call(module: ModuleType, name: str, args: Sequence[Any], kwargs: dict[str, Any],
             report_args: bool = False) -> CallOutcome:
    """Call module.name(*args, **kwargs) and describe the outcome."""
    if missing := _missing(module, name):
        return missing
    # A read-only argument is not reported: it cannot be copied back into the caller's array.
    before = [np.array(arg, copy=True) if report_args and type(arg) is np.ndarray and arg.flags.writeable else None
              for arg in args]
    outcome = _guarded(module, lambda: to_plain(getattr(module, name)(*args, **kwargs)))
    if outcome.error is not None or not report_args:
        return outcome
    after = [to_plain(arg) if copy is not None and not _same(arg, copy) else None
             for arg, copy in zip(args, before, strict=True)]
    return replace(outcome, args_after=after)


def _same(array: np.ndarray, copy: np.ndarray) -> bool:
    return array.shape == copy.shape and array.dtype == copy.dtype and same_array(array, copy)


def _as_tensor(torch: Any, value: Any, requires_grad: bool) -> Any:
    if not isinstance(value, np.ndarray):
        return value
    tensor = torch.from_numpy(np.array(value, copy=True))
    if tensor.dtype in (torch.int32, torch.int16, torch.int8, torch.uint8):
        tensor = tensor.long()
    return tensor.requires_grad_(True) if requires_grad else tensor


def run_torch_call(module: ModuleType, name: str, args: Sequence[Any],
                   requires_grad: Sequence[int] = ()) -> CallOutcome:
    """Call module.name with the ndarray arguments as torch tensors, then backward().

    Arguments whose index is in requires_grad get requires_grad=True. When there are such
    arguments, backward() is called on the result and the value is (result, grads) with
    one gradient (or None) per index in requires_grad; otherwise the value is the result.
    """
    import torch

    if missing := _missing(module, name):
        return missing
    tensors = [_as_tensor(torch, arg, index in requires_grad) for index, arg in enumerate(args)]
    return _guarded(module, lambda: _torch_value(torch, getattr(module, name)(*tensors), tensors, requires_grad))


def _torch_value(torch: Any, result: Any, tensors: Sequence[Any], requires_grad: Sequence[int]) -> Any:
    """result as plain values; with requires_grad, (result, grads) after result.backward()."""
    value = to_plain(result)
    if not requires_grad:
        return value
    if type(result) is not torch.Tensor or result.grad_fn is None:
        return value, tuple(None for _ in requires_grad)
    result.backward()
    return value, tuple(to_plain(tensors[index].grad) for index in requires_grad)
