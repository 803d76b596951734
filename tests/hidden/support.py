"""What the hidden checks of all three assignments share: calls that watch their inputs,
float32 copies, and comparing a whole gradient-descent result with the reference's.

A hint about a classic gradient-descent mistake is given only when the student's result is
what that mistake gives: `descent_mistakes` and `train_torch_mistakes` run the mistake with
the reference's cost and gradient on the check's own inputs, and `expect_descent_result`
names the one the student's result equals.

The hidden test modules load this file by path with `checklib.loading.load_module`:
the grader imports them by path too, without tests/hidden on sys.path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

from checklib.expect import ATOL, RTOL, expect_array, expect_close, expect_float, expect_tuple, expect_unchanged
from checklib.subject import Subject

NON_SIMULTANEOUS_HINT = ("your result is what updating one parameter before computing the other's gradient gives: "
                         "compute both gradients at the current parameters first, then update both")
COSTS_AFTER_UPDATE_HINT = ("your costs are shifted by one (each is the cost after its update): costs[i] is J before "
                           "update i, so record the cost first, then compute the gradient and update")
NO_ZERO_GRAD_HINT = ("your result is what gradients that add up over the epochs give: reset W.grad and b.grad to "
                     "zero after each update (backward() adds to the old gradients)")


class Mistake(NamedTuple):
    """A classic mistake, and what the function would return with it on one check's inputs.

    (A NamedTuple, not a dataclass: this file is loaded by path, outside sys.modules.)
    """

    hint: str
    result: tuple


def as_float32(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """float32 copies of the arrays (the float32 variant of a graded input)."""
    return tuple(np.asarray(array, dtype=np.float32) for array in arrays)


def modified_input_hint(function: str, name: str) -> str:
    """How to leave the argument name of function unchanged."""
    if function == "gradient_descent" and name in ("w0", "W0", "b0"):
        own = name[:-1]
        return (f"start from a copy ({own} = {name}.copy()) and update with {own} = {own} - alpha * d{own}, "
                "which makes a new array")
    return (f"do not write into {name} ({name} -= ..., {name}[...] = ..., out={name}): build a new array "
            f"instead, or work on {name}.copy()")


def call_watching_inputs(hw: Subject, function: str, names: Sequence[str], *args: Any) -> Any:
    """hw.function(*args) on writeable copies of the array arguments; fails if one was modified.

    The arrays are passed positionally: the grader's sandbox copies positional ndarray
    arguments back after the call, so a modification is seen in both settings.
    """
    copies = [np.array(arg, copy=True) if type(arg) is np.ndarray else arg for arg in args]
    result = hw.call(function, *copies)
    for name, before, after in zip(names, args, copies, strict=True):
        if type(before) is np.ndarray:
            expect_unchanged(before, after, f"{name} (an argument of {function})", modified_input_hint(function, name))
    return result


def expect_tuple_like(result: Any, expected: tuple, names: Sequence[str], what: str, rtol: float = RTOL,
                      atol: float = ATOL, n_examples: int | None = None, squared_error: bool = False,
                      hints: Mapping[str, str] | None = None) -> None:
    """result must be a tuple like the reference's expected, equal to it entry by entry.

    Where the reference's entry has shape (), the student's must be a float (hw1/hw2's b,
    db); every other entry must be an ndarray of the reference's shape. hints maps a name
    to the advice shown when that entry is wrong and no classic mistake is recognized.
    """
    hints = hints or {}
    items = expect_tuple(result, len(expected), what)
    for name, item, reference in zip(names, items, expected, strict=True):
        label = f"{name} from {what}"
        if np.ndim(reference) == 0:
            value = expect_float(item, label)
        else:
            value = expect_array(item, np.shape(reference), label)
        expect_close(value, reference, label, rtol, atol, n_examples=n_examples, hint=hints.get(name, ""),
                     squared_error=squared_error)


def _equals(result: Any, expected: tuple, names: Sequence[str], rtol: float, atol: float) -> bool:
    try:
        expect_tuple_like(result, expected, names, "", rtol, atol)
    except AssertionError:
        return False
    return True


def _with_hint(failure: AssertionError, hint: str) -> AssertionError:
    """The failure's message with hint instead of the one it had."""
    return AssertionError(f"{str(failure).partition('. Hint: ')[0]}. Hint: {hint}")


def expect_descent_result(result: Any, expected: tuple, names: Sequence[str], what: str,
                          rtol: float = RTOL, atol: float = ATOL, n_examples: int | None = None,
                          squared_error: bool = False,
                          mistakes: Callable[[], Sequence[Mistake]] = tuple) -> None:
    """result must be (params..., costs) equal to the reference's; costs must be an ndarray
    of length num_epochs (a list is not accepted: the docstrings say 1-D ndarray).

    When it is not, and it equals one of the results mistakes() gives, the message names that mistake.
    """
    try:
        expect_tuple_like(result, expected, names, what, rtol, atol, n_examples, squared_error)
    except AssertionError as failure:
        # Computed only now: running every mistake on every check would double the grading time.
        mistake = next((m for m in mistakes() if _equals(result, m.result, names, rtol, atol)), None)
        if mistake is None:
            raise
        raise _with_hint(failure, mistake.hint) from None


def expect_every_epoch(result: Any, num_epochs: int, what: str) -> None:
    """The costs (result's last entry) must not be shorter than num_epochs: a shorter one means
    the loop stopped before making every update."""
    costs = result[-1] if type(result) in (tuple, list) and result else None
    if type(costs) in (np.ndarray, list) and np.ndim(costs) == 1 and len(costs) < num_epochs:
        raise AssertionError(f"costs from {what} has {len(costs)} entries but should have {num_epochs}, one per "
                             "epoch. Hint: make all num_epochs updates, also once the cost no longer changes "
                             "(do not stop early)")


def expect_first_cost(costs0: float, expected: float, cost_after_first_update: float, what: str,
                      *, squared_error: bool = False) -> None:
    """costs[0] must be expected, J of the initial parameters; a costs[0] equal to the cost after
    the first update (cost_after_first_update, from the reference) is named as shifted costs."""
    try:
        expect_close(costs0, expected, what, squared_error=squared_error)
    except AssertionError as failure:
        if not np.isclose(costs0, cost_after_first_update, rtol=RTOL, atol=ATOL):
            raise
        raise _with_hint(failure, COSTS_AFTER_UPDATE_HINT) from None


# --- gradient descent with the reference's cost and gradient, right or with one mistake --------


_TRAJECTORIES: dict[tuple, tuple] = {}  # the same check's inputs come back for every student: compute once


def _array_key(value: Any) -> tuple:
    array = np.asarray(value)
    return array.dtype.str, array.shape, array.tobytes()


def descent_trajectory(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                       w: Any, b: Any, mistake: str = "") -> tuple:
    """`_descent_trajectory`, remembered per inputs (the grader grades a class with one reference)."""
    key = (id(ref), mistake, alpha, num_epochs, *map(_array_key, (X, t, w, b)))
    if key not in _TRAJECTORIES:
        _TRAJECTORIES[key] = _descent_trajectory(ref, X, t, alpha, num_epochs, w, b, mistake)
    return _TRAJECTORIES[key]


def _descent_trajectory(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                        w: Any, b: Any, mistake: str = "") -> tuple:
    """(w, b, costs) of num_epochs updates from (w, b), with ref.cost and ref.gradient, done
    right (mistake "") or with one classic mistake:

    "w_first": b's gradient is computed at the already-updated w;
    "b_first": w's gradient is computed at the already-updated b;
    "costs_after_update": costs[i] is the cost after update i instead of before it;
    "no_zero_grad": each update uses the sum of all gradients so far (torch's .grad never reset).
    """
    costs = np.zeros(num_epochs)
    summed_dw, summed_db = 0.0, 0.0
    for epoch in range(num_epochs):
        costs[epoch] = ref.cost(X, t, w, b)
        dw, db = ref.gradient(X, t, w, b)
        if mistake == "w_first":
            w = w - alpha * dw
            b = b - alpha * ref.gradient(X, t, w, b)[1]
        elif mistake == "b_first":
            b = b - alpha * db
            w = w - alpha * ref.gradient(X, t, w, b)[0]
        elif mistake == "no_zero_grad":
            summed_dw, summed_db = summed_dw + dw, summed_db + db
            w, b = w - alpha * summed_dw, b - alpha * summed_db
        else:
            w, b = w - alpha * dw, b - alpha * db
        if mistake == "costs_after_update":
            costs[epoch] = ref.cost(X, t, w, b)
    return w, b, costs


def descent_mistakes(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                     w: Any, b: Any) -> tuple[Mistake, ...]:
    """The classic mistakes of gradient_descent on these inputs (initial parameters w, b)."""
    return (Mistake(NON_SIMULTANEOUS_HINT, descent_trajectory(ref, X, t, alpha, num_epochs, w, b, "w_first")),
            Mistake(NON_SIMULTANEOUS_HINT, descent_trajectory(ref, X, t, alpha, num_epochs, w, b, "b_first")),
            Mistake(COSTS_AFTER_UPDATE_HINT,
                    descent_trajectory(ref, X, t, alpha, num_epochs, w, b, "costs_after_update")))


def train_torch_mistakes(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                         w: Any, b: Any) -> tuple[Mistake, ...]:
    """The classic mistakes of train_torch on these inputs (initial parameters w, b)."""
    return (Mistake(NO_ZERO_GRAD_HINT, descent_trajectory(ref, X, t, alpha, num_epochs, w, b, "no_zero_grad")),
            Mistake(COSTS_AFTER_UPDATE_HINT,
                    descent_trajectory(ref, X, t, alpha, num_epochs, w, b, "costs_after_update")))
