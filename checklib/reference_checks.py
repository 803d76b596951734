"""What checks that compare with the reference solution (the hidden checks) share: calls that
watch their inputs, gradient descent against the reference's with the classic mistakes named,
and the first cost of a trajectory.

    problem = Descent(X, t, names=("w", "b"), zeros=(np.zeros(3), 0.0))
    expect_descent_like_reference(hw, ref, problem, alpha=0.2, num_epochs=1, what="gradient_descent (1 epoch)")

A hint about a classic gradient-descent mistake is given only when the student's result is
what that mistake gives: `descent_mistakes` and `train_torch_mistakes` run the mistakes of
`checklib.descent` with the reference's cost and gradient on the check's own inputs, and
`checklib.descent.expect_descent_result` names the one the student's result equals. Nothing
here is secret (the hidden checks' inputs and names stay in tests/hidden/), so it ships with
the kit like the rest of checklib.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from types import ModuleType
from typing import Any

import numpy as np

from checklib.descent import (
    COSTS_AFTER_UPDATE_HINT,
    NO_ZERO_GRAD_HINT,
    Descent,
    Mistake,
    Objective,
    classic_mistakes,
    expect_descent_result,
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


def given_start(problem: Descent, start: Sequence[Any], given: Sequence[str]) -> tuple:
    """The initial-parameter arguments when only the named ones are given ("w0", "b0"): those before
    a given one are None (zeros), those after the last given one are left out."""
    names = [f"{name}0" for name in problem.names]
    last = max((index for index, name in enumerate(names) if name in given), default=-1)
    return tuple(start[index] if names[index] in given else None for index in range(last + 1))


def expect_descent_like_reference(hw: Subject, ref: ModuleType, problem: Descent, alpha: float, num_epochs: int,
                                  initial: Sequence[Any] = (), what: str = "gradient_descent") -> None:
    """hw.gradient_descent(X, t, *before_alpha, alpha, num_epochs, *initial) must equal the reference's
    result, and a classic mistake is named when the student's result is what it gives."""
    arguments = (problem.X, problem.t, *problem.before_alpha, alpha, num_epochs, *initial)
    expected = ref.gradient_descent(*arguments)
    mistakes = partial(descent_mistakes, ref, problem.X, problem.t, alpha, num_epochs, *problem.start(initial),
                       problem.names, problem.zeros)
    expect_descent_result(hw.gradient_descent(*arguments), expected, problem.result_names, what,
                          n_examples=len(problem.t), squared_error=problem.squared_error, mistakes=mistakes)
