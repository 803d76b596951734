"""What the hidden checks of all three assignments share: calls that watch their inputs, the
reference's gradient descent with one classic mistake, and the first cost of a trajectory.

A hint about a classic gradient-descent mistake is given only when the student's result is
what that mistake gives: `descent_mistakes` and `train_torch_mistakes` run the mistakes of
`checklib.descent` with the reference's cost and gradient on the check's own inputs, and
`checklib.descent.expect_descent_result` names the one the student's result equals.

The hidden test modules load this file by path with `checklib.loading.load_module`:
the grader imports them by path too, without tests/hidden on sys.path.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

from checklib.descent import (
    COSTS_AFTER_UPDATE_HINT,
    NO_ZERO_GRAD_HINT,
    Mistake,
    Objective,
    classic_mistakes,
    trajectory,
    with_hint,
)
from checklib.expect import ATOL, RTOL, expect_close
from checklib.inputs import watching_inputs
from checklib.subject import Subject


def call_watching_inputs(hw: Subject, function: str, names: Sequence[str], *args: Any) -> Any:
    """hw.function(*args) on writeable copies of the array arguments; fails if one was modified."""
    return watching_inputs(hw, {function: names}).call(function, *args)


def expect_first_cost(costs0: float, expected: float, cost_after_first_update: float, what: str,
                      *, squared_error: bool = False) -> None:
    """costs[0] must be expected, J of the initial parameters; a costs[0] equal to the cost after
    the first update (cost_after_first_update, from the reference) is named as shifted costs."""
    try:
        expect_close(costs0, expected, what, squared_error=squared_error)
    except AssertionError as wrong_first_cost:
        if not np.isclose(costs0, cost_after_first_update, rtol=RTOL, atol=ATOL):
            raise
        raise with_hint(wrong_first_cost, COSTS_AFTER_UPDATE_HINT) from None


# --- gradient descent with the reference's cost and gradient, right or with one mistake --------


def reference_objective(ref: ModuleType, X: np.ndarray, t: np.ndarray) -> Objective:
    """The reference's cost and gradient on (X, t), as functions of the parameters."""
    return Objective(cost=lambda params: ref.cost(X, t, *params), gradient=lambda params: ref.gradient(X, t, *params))


def descent_trajectory(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                       w: Any, b: Any, mistake: str = "") -> tuple:
    """(w, b, costs) of num_epochs updates from (w, b) with the reference's cost and gradient, done
    right or with one mistake (see checklib.descent.trajectory)."""
    return trajectory(reference_objective(ref, X, t), (w, b), alpha, num_epochs, mistake).result


_MISTAKES: dict[tuple, list] = {}  # the same check's inputs come back for every student: compute once


def _array_key(value: Any) -> tuple:
    array = np.asarray(value)
    return array.dtype.str, array.shape, array.tobytes()


def descent_mistakes(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                     w: Any, b: Any, names: Sequence[str] = ("w", "b"), zeros: tuple | None = None) -> list[Mistake]:
    """The classic mistakes of gradient_descent on these inputs (initial parameters w, b; zeros:
    where it starts by default, when w or b was given), remembered per inputs: the grader grades a
    class with one reference."""
    key = (id(ref), "descent", alpha, num_epochs, tuple(names), *map(_array_key, (X, t, w, b)),
           *(map(_array_key, zeros) if zeros is not None else ()))
    if key not in _MISTAKES:
        _MISTAKES[key] = list(classic_mistakes(reference_objective(ref, X, t), (w, b), alpha, num_epochs, names,
                                               len(t), zeros))
    return _MISTAKES[key]


def train_torch_mistakes(ref: ModuleType, X: np.ndarray, t: np.ndarray, alpha: float, num_epochs: int,
                         w: Any, b: Any) -> list[Mistake]:
    """The classic mistakes of train_torch on these inputs (initial parameters w, b)."""
    key = (id(ref), "train_torch", alpha, num_epochs, *map(_array_key, (X, t, w, b)))
    if key not in _MISTAKES:
        objective = reference_objective(ref, X, t)
        _MISTAKES[key] = [Mistake(hint, trajectory(objective, (w, b), alpha, num_epochs, kind).result)
                          for hint, kind in ((NO_ZERO_GRAD_HINT, "no_zero_grad"),
                                             (COSTS_AFTER_UPDATE_HINT, "costs_after_update"))]
    return _MISTAKES[key]
