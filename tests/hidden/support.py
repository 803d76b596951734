"""What the hidden checks of all three assignments share: calls that watch their inputs,
float32 copies, and comparing a whole gradient-descent result with the reference's.

The hidden test modules load this file by path with `checklib.loading.load_module`:
the grader imports them by path too, without tests/hidden on sys.path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from checklib.expect import ATOL, RTOL, expect_array, expect_close, expect_float, expect_tuple, expect_unchanged
from checklib.subject import Subject

# Said when b is wrong after an epoch (w may be right).
SIMULTANEOUS_UPDATE_HINT = ("compute both gradients at the current parameters first, then update both "
                            "(b's gradient must not use the already-updated w)")
# Said when the recorded costs are wrong.
COSTS_HINT = ("costs[i] is J before update i (costs[0] is the cost of the initial parameters): check your cost "
              "and record it before computing the gradient and updating")


def as_float32(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """float32 copies of the arrays (the float32 variant of a graded input)."""
    return tuple(np.asarray(array, dtype=np.float32) for array in arrays)


def call_watching_inputs(hw: Subject, function: str, names: Sequence[str], *args: Any) -> Any:
    """hw.function(*args) on writeable copies of the array arguments; fails if one was modified.

    The arrays are passed positionally: the grader's sandbox copies positional ndarray
    arguments back after the call, so a modification is seen in both settings.
    """
    copies = [np.array(arg, copy=True) if type(arg) is np.ndarray else arg for arg in args]
    result = hw.call(function, *copies)
    for name, before, after in zip(names, args, copies, strict=True):
        if type(before) is np.ndarray:
            expect_unchanged(before, after, f"{name} (an argument of {function})")
    return result


def expect_tuple_like(result: Any, expected: tuple, names: Sequence[str], what: str, rtol: float = RTOL,
                      atol: float = ATOL, n_examples: int | None = None,
                      hints: Mapping[str, str] | None = None) -> None:
    """result must be a tuple like the reference's expected, equal to it entry by entry.

    Where the reference's entry has shape (), the student's must be a float (hw1/hw2's b,
    db); every other entry must be an ndarray of the reference's shape. hints maps a name
    to the advice shown when that entry is wrong.
    """
    hints = hints or {}
    items = expect_tuple(result, len(expected), what)
    for name, item, reference in zip(names, items, expected, strict=True):
        label = f"{name} from {what}"
        if np.ndim(reference) == 0:
            value = expect_float(item, label)
        else:
            value = expect_array(item, np.shape(reference), label)
        expect_close(value, reference, label, rtol, atol, n_examples=n_examples, hint=hints.get(name, ""))


def expect_descent_result(result: Any, expected: tuple, names: Sequence[str], what: str,
                          rtol: float = RTOL, atol: float = ATOL, n_examples: int | None = None,
                          hints: Mapping[str, str] | None = None) -> None:
    """result must be (params..., costs) equal to the reference's; costs must be an ndarray
    of length num_epochs (a list is not accepted: the docstrings say 1-D ndarray)."""
    expect_tuple_like(result, expected, names, what, rtol, atol, n_examples,
                      hints={"costs": COSTS_HINT, **(hints or {})})
