"""Gradient descent (Algorithm 1) as the checks see it: trajectories, classic mistakes, and checks
that tie a student's training loop to their own cost and gradient.

    problem = Descent(X, t, names=("w", "b"), zeros=(np.zeros(2), 0.0))
    expect_follows_your_gradient(hw, problem, alpha=0.1, num_epochs=2, initial=(w0, b0))

Parameters are a tuple, (w, b) or (W, b): ndarrays, and a float for a scalar b. An `Objective`
is a cost and its gradient on one data set: the student's own in the public checks (the
reference never ships; other public checks tie the student's gradient to finite differences
of their cost, and their cost to hand-computed examples) or the reference's in the hidden
checks. From the initial parameters p_0, a right loop makes exactly num_epochs updates
p_{i+1} = p_i - alpha * gradient(p_i), every parameter at once, and records costs[i] =
cost(p_i) before update i.

A classic mistake is named only when the result is what that mistake gives on the check's own
inputs (`expect_descent_result`); the mistakes are computed only once a result is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from checklib.data import float32_copies
from checklib.expect import (
    ATOL,
    FLOAT32_ATOL,
    FLOAT32_RTOL,
    RTOL,
    expect_array,
    expect_close,
    expect_float,
    expect_shaped_like,
    expect_tuple,
)
from checklib.subject import Subject

Params = tuple

NON_SIMULTANEOUS_HINT = ("your result is what updating one parameter before computing the other's gradient gives: "
                         "compute both gradients at the current parameters first, then update both")
COSTS_AFTER_UPDATE_HINT = ("your costs are shifted by one (each is the cost after its update): costs[i] is J before "
                           "update i, so record the cost first, then compute the gradient and update")
NO_ZERO_GRAD_HINT = ("your result is what gradients that add up over the epochs give: reset W.grad and b.grad to "
                     "zero after each update (backward() adds to the old gradients)")
FEWER_UPDATES_HINT = ("your result is what {made} update(s) give, not {wanted}: make all num_epochs updates, also "
                      "when the cost rises or stops changing (do not stop early)")
BEST_PARAMETERS_HINT = ("your result is the parameters with the lowest cost seen, not the last ones: return the "
                        "parameters after the last update, even when the cost rose")
DECAY_HINT = ("your last update moved the parameters by {factor:.3g} x alpha x the gradient, the earlier ones by "
              "alpha x the gradient: use the same alpha in every epoch (no learning-rate decay)")
START_HINT = "your result is what starting from {start} gives: start from {given} when it is given"
# A step scaled by one of these is a classic mistake: (factor as a function of alpha and N, what it means).
STEP_MISTAKES: tuple[tuple[Callable[[float, int], float], str], ...] = (
    (lambda alpha, n: -1.0, "moving {which} up the gradient ({p} <- {p} + alpha * d{p})"),
    (lambda alpha, n: 1 / alpha, "updating {which} without alpha ({p} <- {p} - d{p})"),
    (lambda alpha, n: 1 / n, "dividing the step of {which} by N once more (the gradient already averages over N)"),
)
STEP_HINT = "your result is what {mistake} gives: the update is {p} <- {p} - alpha * d{p}"


class Mistake(NamedTuple):
    """A classic mistake, and what the function would return with it on one check's inputs;
    None entries of result are not compared. (A NamedTuple: hidden checks load this by path too.)"""

    hint: str
    result: tuple


@dataclass(frozen=True)
class Objective:
    """A cost and its gradient on one data set, as functions of the parameters."""

    cost: Callable[[Params], float]
    gradient: Callable[[Params], Params]


@dataclass
class Trajectory:
    """p_0 ... p_k, the costs recorded and the gradients used, of k epochs of gradient descent."""

    params: list = field(default_factory=list)
    costs: list = field(default_factory=list)
    gradients: list = field(default_factory=list)

    @property
    def result(self) -> tuple:
        """What gradient descent returns: (params..., costs)."""
        return (*self.params[-1], np.array(self.costs, dtype=np.float64))


def _scalar_like(value: Any, like: Any) -> Any:
    """value as a float where like is a scalar parameter (hw1/hw2's b), else as an array."""
    return float(value) if np.ndim(like) == 0 else np.asarray(value)


def _step(params: Params, grads: Params, alpha: float, factors: Sequence[float] | None = None) -> Params:
    factors = factors or [1.0] * len(params)
    return tuple(_scalar_like(p - alpha * f * g, p) for p, g, f in zip(params, grads, factors, strict=True))


def trajectory(objective: Objective, start: Params, alpha: float, num_epochs: int, mistake: str = "",
               factors: Sequence[float] | None = None, record_costs: bool = True) -> Trajectory:
    """num_epochs epochs of gradient descent from start, done right (mistake "") or with one mistake:

    "w_first" / "b_first": the second (first) parameter's gradient is computed at the already-updated
    first (second) one; "costs_after_update": costs[i] is the cost after update i; "no_zero_grad":
    each update uses the sum of all gradients so far (torch's .grad never reset). factors scale
    each parameter's step (1 everywhere: right). Without record_costs, costs stay empty.
    """
    path = Trajectory(params=[tuple(start)])
    params, summed = tuple(start), None
    for _ in range(num_epochs):
        if record_costs and mistake != "costs_after_update":
            path.costs.append(objective.cost(params))
        grads = tuple(objective.gradient(params))
        path.gradients.append(grads)
        if mistake in ("w_first", "b_first"):
            first = 0 if mistake == "w_first" else 1
            moved = list(params)
            moved[first] = _step(params, grads, alpha, factors)[first]
            late = objective.gradient(tuple(moved))
            params = tuple(moved[i] if i == first else _step(params, late, alpha, factors)[i]
                           for i in range(len(params)))
        elif mistake == "no_zero_grad":
            summed = grads if summed is None else tuple(s + g for s, g in zip(summed, grads, strict=True))
            params = _step(params, summed, alpha, factors)
        else:
            params = _step(params, grads, alpha, factors)
        path.params.append(params)
        if record_costs and mistake == "costs_after_update":
            path.costs.append(objective.cost(params))
    return path


# --- recognizing mistakes -----------------------------------------------------------------------


def expect_result_like(result: Any, expected: tuple, names: Sequence[str], what: str, rtol: float = RTOL,
                       atol: float = ATOL, n_examples: int | None = None, squared_error: bool = False,
                       hints: dict[str, str] | None = None) -> None:
    """result must be a tuple like expected, equal to it entry by entry (None entries of expected
    are not compared). Where expected's entry has shape (), the result's must be a float (hw1/hw2's
    b, db); every other entry must be an ndarray of expected's shape. hints maps a name to the
    advice shown when that entry is wrong and no classic mistake is recognized."""
    hints = hints or {}
    items = expect_tuple(result, len(expected), what)
    for name, item, reference in zip(names, items, expected, strict=True):
        if reference is None:
            continue
        label = f"{name} from {what}"
        expect_close(expect_shaped_like(item, reference, label), reference, label, rtol, atol,
                     n_examples=n_examples, hint=hints.get(name, ""), squared_error=squared_error)


def _equals(result: Any, expected: tuple, names: Sequence[str], rtol: float, atol: float) -> bool:
    try:
        expect_result_like(result, expected, names, "", rtol, atol)
    except AssertionError:
        return False
    return True


def _same_kinds(result: Any, expected: tuple, names: Sequence[str]) -> bool:
    """Whether result has expected's structure: as many entries, each of the kind and shape it should have."""
    try:
        items = expect_tuple(result, len(expected), "")
        for item, reference, name in zip(items, expected, names, strict=True):
            if reference is not None:
                expect_shaped_like(item, reference, name)
    except AssertionError:
        return False
    return True


def with_hint(failure: AssertionError, hint: str) -> AssertionError:
    """The failure's message with hint instead of the one it had."""
    return AssertionError(f"{str(failure).partition('. Hint: ')[0]}. Hint: {hint}")


def expect_descent_result(result: Any, expected: tuple, names: Sequence[str], what: str,
                          rtol: float = RTOL, atol: float = ATOL, n_examples: int | None = None,
                          squared_error: bool = False, mistakes: Callable[[], Iterable[Mistake]] = tuple,
                          hints: dict[str, str] | None = None) -> None:
    """result must be (params..., costs) equal to expected; costs must be an ndarray of length
    num_epochs (a list is not accepted: the docstrings say 1-D ndarray).

    When it is not, and it equals one of the results mistakes() gives, the message names that mistake;
    else hints (name -> advice, see expect_result_like) apply.
    """
    try:
        expect_result_like(result, expected, names, what, rtol, atol, n_examples, squared_error, hints)
    except AssertionError as failure:
        if not _same_kinds(result, expected, names):
            raise  # a list, a wrong shape: no mistake of the values explains it
        # Computed only now: running every mistake on every check would double the grading time.
        mistake = next((m for m in mistakes() if _equals(result, m.result, names, rtol, atol)), None)
        if mistake is None:
            raise
        raise with_hint(failure, mistake.hint) from None


def expect_every_epoch(result: Any, num_epochs: int, what: str) -> None:
    """The costs (result's last entry) must not be shorter than num_epochs: a shorter one means
    the loop stopped before making every update."""
    costs = result[-1] if type(result) in (tuple, list) and result else None
    if type(costs) in (np.ndarray, list) and np.ndim(costs) == 1 and len(costs) < num_epochs:
        raise AssertionError(f"costs from {what} has {len(costs)} entries but should have {num_epochs}, one per "
                             "epoch. Hint: make all num_epochs updates, also once the cost no longer changes "
                             "(do not stop early)")


def classic_mistakes(objective: Objective, start: Params, alpha: float, num_epochs: int, names: Sequence[str],
                     n_examples: int, zeros: Params | None = None,
                     right: Trajectory | None = None) -> Iterator[Mistake]:
    """What gradient descent returns, on these inputs, with each classic mistake of Algorithm 1,
    cheapest first and computed one at a time (each takes calls of the objective: the student's,
    in the public checks), so that the search can stop at the first that fits.

    right is the right trajectory when the caller has it already. zeros (the default start),
    when given, adds the mistake of ignoring each given initial parameter.
    """
    right = right or trajectory(objective, start, alpha, num_epochs)
    costs = np.asarray(right.costs, dtype=np.float64)
    if costs.size > 1 and np.any(np.diff(costs) > 0):
        yield Mistake(BEST_PARAMETERS_HINT, (*right.params[int(np.argmin(costs))], None))
    for made in range(num_epochs):
        yield Mistake(FEWER_UPDATES_HINT.format(made=made, wanted=num_epochs), (*right.params[made], None))
    shifted = [*right.costs[1:], objective.cost(right.params[-1])] if num_epochs else []
    yield Mistake(COSTS_AFTER_UPDATE_HINT, (*right.params[-1], np.array(shifted, dtype=np.float64)))
    if len(start) == 2:
        for kind in ("w_first", "b_first"):
            yield Mistake(NON_SIMULTANEOUS_HINT, trajectory(objective, start, alpha, num_epochs, kind).result)
    yield from _scaled_steps(objective, start, alpha, num_epochs, names, n_examples)
    yield from _ignored_starts(objective, start, alpha, num_epochs, names, zeros)


def _ignored_starts(objective: Objective, start: Params, alpha: float, num_epochs: int, names: Sequence[str],
                    zeros: Params | None) -> Iterator[Mistake]:
    if zeros is None:
        return
    given = [i for i, (p, z) in enumerate(zip(start, zeros, strict=True)) if not np.array_equal(p, z)]
    for subset in [[i] for i in given] + ([given] if len(given) > 1 else []):
        other = tuple(zeros[i] if i in subset else start[i] for i in range(len(start)))
        ignored = " and ".join(f"{names[i]}0" for i in subset)
        hint = START_HINT.format(start=f"zeros instead of {ignored}", given=ignored)
        yield Mistake(hint, trajectory(objective, other, alpha, num_epochs).result)


def _scaled_steps(objective: Objective, start: Params, alpha: float, num_epochs: int, names: Sequence[str],
                  n_examples: int) -> Iterator[Mistake]:
    subsets = [[i] for i in range(len(start))] + ([list(range(len(start)))] if len(start) > 1 else [])
    for factor_of, words in STEP_MISTAKES:
        factor = factor_of(alpha, n_examples)
        for subset in subsets:
            which = " and ".join(names[i] for i in subset) if len(subset) < len(start) else "every parameter"
            p = names[subset[0]]
            hint = STEP_HINT.format(mistake=words.format(which=which, p=p), p=p)
            factors = [factor if i in subset else 1.0 for i in range(len(start))]
            path = trajectory(objective, start, alpha, num_epochs, factors=factors, record_costs=False)
            yield Mistake(hint, (*path.params[-1], None))


def decayed_step(result: Any, right: Trajectory, alpha: float) -> Mistake | None:
    """When result is the right trajectory except that its last update is scaled by some factor
    (a learning rate that changes between epochs), that mistake; else None."""
    if len(right.gradients) < 2 or type(result) not in (tuple, list) or len(result) != len(right.params[-1]) + 1:
        return None
    before, grads = right.params[-2], right.gradients[-1]
    try:
        moved = np.concatenate([np.ravel(np.asarray(r, dtype=np.float64) - np.asarray(p, dtype=np.float64))
                                for r, p in zip(result[:-1], before, strict=True)])
    except (TypeError, ValueError):
        return None
    step = -alpha * np.concatenate([np.ravel(g) for g in grads])
    if not np.all(np.isfinite(moved)) or float(step @ step) == 0.0:
        return None
    factor = float(moved @ step / (step @ step))
    if not np.isfinite(factor) or abs(factor - 1) < 1e-3 or abs(factor) < 1e-3:
        return None
    return Mistake(DECAY_HINT.format(factor=factor), (*_step(before, grads, alpha * factor), None))


# --- the public checks' side: a student's loop against their own cost and gradient ---------------


@dataclass(frozen=True)
class Descent:
    """One data set to run an assignment's gradient descent on, and how to call it."""

    X: np.ndarray
    t: np.ndarray
    names: tuple[str, ...]  # the parameters: ("w", "b") or ("W", "b")
    zeros: Params  # where gradient descent starts when no initial parameter is given
    before_alpha: tuple = ()  # the arguments between t and alpha: (num_classes,) for hw3
    squared_error: bool = False  # hw1's cost, for the hints about its 1/2

    @property
    def result_names(self) -> tuple[str, ...]:
        return (*self.names, "costs")

    def run(self, hw: Subject, alpha: float, num_epochs: int, *initial: Any, function: str = "gradient_descent",
            X: np.ndarray | None = None, t: np.ndarray | None = None) -> Any:
        """hw.function(X, t, *before_alpha, alpha, num_epochs, *initial): the student's result (X and t:
        this problem's unless given)."""
        return hw.call(function, self.X if X is None else X, self.t if t is None else t, *self.before_alpha, alpha,
                       num_epochs, *initial)

    def objective(self, hw: Subject) -> Objective:
        """The student's own cost and gradient on this data, their results checked for kind and shape."""
        def cost(params: Params) -> float:
            return expect_float(hw.cost(self.X, self.t, *params), "cost")

        def gradient(params: Params) -> Params:
            grads = expect_tuple(hw.gradient(self.X, self.t, *params), len(params), "gradient")
            return tuple(expect_shaped_like(g, p, f"d{name}") for g, p, name in zip(grads, params, self.names,
                                                                                      strict=True))
        return Objective(cost, gradient)

    def validated(self, result: Any, num_epochs: int, what: str) -> tuple:
        """The student's result, (params..., costs), after checking the kind and shape of each."""
        items = expect_tuple(result, len(self.names) + 1, what)
        params = tuple(expect_shaped_like(item, zero, f"{name} from {what}")
                       for item, zero, name in zip(items, self.zeros, self.names, strict=False))
        return (*params, expect_array(items[-1], (num_epochs,), f"costs from {what}"))

    def start(self, initial: Sequence[Any]) -> Params:
        """The parameters gradient descent starts from, given these initial arguments (None: zeros)."""
        return tuple(_scalar_like(initial[i], zero) if i < len(initial) and initial[i] is not None else zero
                     for i, zero in enumerate(self.zeros))


def expect_follows_your_gradient(hw: Subject, problem: Descent, alpha: float, num_epochs: int,
                                 initial: Sequence[Any] = (), what: str = "gradient_descent") -> np.ndarray:
    """The student's gradient descent must make exactly num_epochs simultaneous updates
    p <- p - alpha * gradient(p) with their own gradient, from initial (None or missing: zeros),
    and record costs[i] = cost(p_i) with their own cost; returns the costs."""
    result = problem.run(hw, alpha, num_epochs, *initial)
    objective, start = problem.objective(hw), problem.start(initial)
    right = trajectory(objective, start, alpha, num_epochs)

    def mistakes() -> Iterator[Mistake]:
        if decayed := decayed_step(result, right, alpha):
            yield decayed
        yield from classic_mistakes(objective, start, alpha, num_epochs, problem.names, len(problem.t), problem.zeros,
                                    right)

    expect_every_epoch(result, num_epochs, what)
    expect_descent_result(result, right.result, problem.result_names, what, n_examples=len(problem.t),
                          squared_error=problem.squared_error, mistakes=mistakes)
    return right.result[-1]


def expect_each_initial_parameter_alone(hw: Subject, problem: Descent, alpha: float, num_epochs: int, start: Params,
                                        what: str = "gradient_descent") -> None:
    """Each initial parameter given alone (those before it None, those after it left out) must give
    the same result as the full start with the others at their defaults (zeros)."""
    for index, name in enumerate(problem.names):
        given = (*[None] * index, start[index])
        explicit = tuple(start[i] if i == index else zero for i, zero in enumerate(problem.zeros))
        expected = problem.validated(problem.run(hw, alpha, num_epochs, *explicit), num_epochs, what)
        alone = f"only {name}0 given" + "".join(f", {other}0 = None" for other in problem.names[:index])
        expect_descent_result(problem.run(hw, alpha, num_epochs, *given), expected, problem.result_names,
                              f"{what} with {alone} (vs the same start given in full)",
                              hints={other: f"a parameter not given starts at its default, zeros; one given starts "
                                            f"where it says ({name}0 here), whatever the others are"
                                     for other in problem.names})


def expect_zero_epochs(hw: Subject, problem: Descent, start: Params, what: str = "gradient_descent") -> None:
    """With num_epochs = 0: the initial parameters (start when given, zeros when not) and an empty costs."""
    given = " and ".join(f"{name}0" for name in problem.names)
    expect_descent_result(problem.run(hw, 0.1, 0, *start), (*start, np.zeros(0)), problem.result_names,
                          f"{what} (0 epochs, given {given})")
    expect_descent_result(problem.run(hw, 0.1, 0), (*problem.zeros, np.zeros(0)), problem.result_names,
                          f"{what} (0 epochs, {given} not given)")


def expect_float32_like_float64(hw: Subject, problem: Descent, alpha: float, num_epochs: int, start: Params,
                                what: str = "gradient_descent") -> None:
    """The float32 copies of the problem's float arrays and of start must give the float64 result, to
    float32 precision."""
    expected = problem.validated(problem.run(hw, alpha, num_epochs, *start), num_epochs, what)
    X, t, *start32 = float32_copies(problem.X, problem.t, *start)
    expect_descent_result(problem.run(hw, alpha, num_epochs, *start32, X=X, t=t), expected, problem.result_names,
                          f"{what} with float32 inputs (vs float64)", FLOAT32_RTOL, FLOAT32_ATOL)


CONVERGED_ATOL = 1e-8  # the gradient at a minimum reached to rounding; a loop stopped early is far above


def expect_every_epoch_after_convergence(hw: Subject, problem: Descent, alpha: float, num_epochs: int,
                                         what: str = "gradient_descent") -> None:
    """Long after the cost has stopped changing, the student's gradient descent still makes every
    update: num_epochs costs, the last the cost of (about) the returned parameters, where their
    gradient is 0."""
    result = problem.run(hw, alpha, num_epochs)
    expect_every_epoch(result, num_epochs, what)
    *params, costs = problem.validated(result, num_epochs, what)
    params = tuple(params)
    objective = problem.objective(hw)
    for name, grad in zip(problem.names, objective.gradient(params), strict=True):
        expect_close(grad, np.zeros_like(grad), f"your d{name} at the {name} returned after {num_epochs} epochs",
                     rtol=0, atol=CONVERGED_ATOL,
                     hint=f"on this data a right {what} reaches the minimum, where the gradient is 0, long before "
                          f"{num_epochs} epochs; yours did not: does it stop early, or is an update not alpha x your "
                          "gradient (see the other checks)?")
    expect_close(costs[-1], objective.cost(params), f"costs[-1] from {what} (the cost before the last update, "
                 "which has stopped changing)", hint="record the cost of every epoch, the last one too")

