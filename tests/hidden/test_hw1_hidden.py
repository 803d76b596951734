"""Hidden checks for homework 1 (linear regression): compared with the reference solution.

Inputs differ from the public checks (other seeds, N=7 examples and D=3 features).
Each check covers one clause of the docstrings in solutions/hw1_linear_regression.py.
Every check computes the reference's answer before calling the student's function, so a
function that modifies its inputs cannot change the expected value.
"""

from functools import partial

import numpy as np

from checklib import data
from checklib.checks import case, cases
from checklib.descent import Descent, expect_descent_result, expect_every_epoch, expect_result_like
from checklib.expect import FLOAT32_ATOL, FLOAT32_RTOL, expect_array, expect_close, expect_float, expect_tuple
from checklib.reference_checks import (
    call_watching_inputs,
    descent_mistakes,
    expect_descent_like_reference,
    expect_first_cost,
    given_start,
)

ASSIGNMENT = "hw1"

N, D = 7, 3
GRADIENT_NAMES = ("dw", "db")
DESCENT_NAMES = ("w", "b", "costs")
# A correct gradient descent (alpha = 0.5, 100 epochs on this well-conditioned problem) is
# within 1e-11 of the exact solution; a wrong one is off by far more than this.
CONVERGENCE_ATOL = 1e-7
# Enough epochs that the cost stops changing (by less than 1e-12 from epoch 210 on, with
# alpha = 0.3) long before the last one: a loop that stops early makes fewer updates.
LONG_RUN_EPOCHS = 100  # the cost stops changing (to 1e-12) after about 30

ZEROS = (np.zeros(D), 0.0)  # where gradient descent starts when no initial parameter is given


def problem(seed: int = 1101) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b): fresh arrays for one check (a check never reuses another's arrays)."""
    X, t = data.regression(seed=seed, n=N, d=D)
    return X, t, data.parameters(seed + 1, D), -0.4


# --- predict ---------------------------------------------------------------------------


def test_predict_values(hw, ref):
    """predict returns X w + b as a flat array of shape (N,)."""
    X, _, w, b = problem()
    expected = ref.predict(X, w, b)
    y = expect_array(hw.predict(X, w, b), (N,), "predict(X, w, b)")
    expect_close(y, expected, "predict(X, w, b)")


def test_predict_float32_input(hw, ref):
    """predict works on float32 inputs (same values as in float64, to float32 precision)."""
    X, _, w, b = problem(1111)
    expected = ref.predict(X, w, b)
    y = expect_array(hw.predict(*data.float32_copies(X, w), b), (N,), "predict(X, w, b) with float32 X and w")
    expect_close(y, expected, "predict with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL)


def test_predict_does_not_modify_inputs(hw, ref):
    """predict leaves X and w unchanged."""
    X, _, w, b = problem(1121)
    call_watching_inputs(hw, "predict", ("X", "w", "b"), X, w, b)


# --- cost ------------------------------------------------------------------------------


def test_cost_value(hw, ref):
    """cost is 1/(2N) times the sum of squared errors, as a float."""
    X, t, w, b = problem()
    expected = ref.cost(X, t, w, b)
    J = expect_float(hw.cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, expected, "cost(X, t, w, b)", n_examples=N, squared_error=True)


def test_cost_float32_input(hw, ref):
    """cost works on float32 inputs (same value as in float64, to float32 precision)."""
    X, t, w, b = problem(1141)
    expected = ref.cost(X, t, w, b)
    J = expect_float(hw.cost(*data.float32_copies(X, t, w), b), "cost with float32 X, t and w")
    expect_close(J, expected, "cost with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, N, squared_error=True)


def test_cost_does_not_modify_inputs(hw, ref):
    """cost leaves X, t and w unchanged."""
    X, t, w, b = problem(1151)
    call_watching_inputs(hw, "cost", ("X", "t", "w", "b"), X, t, w, b)


# --- gradient --------------------------------------------------------------------------


def test_gradient_values(hw, ref):
    """gradient returns (dw, db) = (X^T (y - t) / N, mean(y - t)): dw of shape (D,), db a float."""
    X, t, w, b = problem()
    expected = ref.gradient(X, t, w, b)
    expect_result_like(hw.gradient(X, t, w, b), expected, GRADIENT_NAMES, "gradient(X, t, w, b)",
                              n_examples=N, squared_error=True)


def test_gradient_float32_input(hw, ref):
    """gradient works on float32 inputs (same values as in float64, to float32 precision)."""
    X, t, w, b = problem(1161)
    expected = ref.gradient(X, t, w, b)
    expect_result_like(hw.gradient(*data.float32_copies(X, t, w), b), expected, GRADIENT_NAMES,
                              "gradient with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, N, squared_error=True)


def test_gradient_does_not_modify_inputs(hw, ref):
    """gradient leaves X, t and w unchanged."""
    X, t, w, b = problem(1171)
    call_watching_inputs(hw, "gradient", ("X", "t", "w", "b"), X, t, w, b)


# --- solve_exact -----------------------------------------------------------------------

BIAS_COLUMN = {"b": "the bias needs its own column of ones in the least-squares problem"}


def test_solve_exact_values(hw, ref):
    """solve_exact returns the least-squares w (shape (D,)) and b (a float) on noisy data."""
    X, t = data.regression(seed=1181, n=9, d=D, noise=0.5)
    expected = ref.solve_exact(X, t)
    expect_result_like(hw.solve_exact(X, t), expected, ("w", "b"), "solve_exact(X, t)", hints=BIAS_COLUMN)


def test_solve_exact_values_for_small_features(hw, ref):
    """solve_exact is exact for features of any scale, here about 0.01 (nothing added to the normal equations)."""
    X, t = data.regression(seed=1311, n=9, d=D, noise=0.5)
    X = 0.01 * X
    expected = ref.solve_exact(X, t)
    exact = "J's exact minimizer does not depend on the scale of X: add nothing (no ridge term) to X^T X"
    expect_result_like(hw.solve_exact(X, t), expected, ("w", "b"), "solve_exact(X, t) for X of size about 0.01",
                              hints={"w": exact, "b": exact})


def test_solve_exact_float32_input(hw, ref):
    """solve_exact works on float32 inputs (same values as in float64, to float32 precision)."""
    X, t = data.regression(seed=1191, n=9, d=D, noise=0.5)
    expected = ref.solve_exact(X, t)
    expect_result_like(hw.solve_exact(*data.float32_copies(X, t)), expected, ("w", "b"),
                              "solve_exact with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, hints=BIAS_COLUMN)


def test_solve_exact_does_not_modify_inputs(hw, ref):
    """solve_exact leaves X and t unchanged."""
    X, t = data.regression(seed=1201, n=9, d=D)
    call_watching_inputs(hw, "solve_exact", ("X", "t"), X, t)


# --- gradient_descent ------------------------------------------------------------------


@cases(
    case("one_epoch_from_zeros", "gradient_descent, 1 epoch from w = 0, b = 0: one simultaneous update of w and b.",
         seed=1211, alpha=0.2, num_epochs=1, given=(), what="gradient_descent (1 epoch)"),
    case("two_epochs_from_w0", "gradient_descent, 2 epochs from a given w0 (b0 left at its default 0.0).",
         seed=1221, alpha=0.15, num_epochs=2, given=("w0",), what="gradient_descent (2 epochs, given w0)"),
    case("three_epochs_from_w0_and_b0", "gradient_descent, 3 epochs from a given w0 and b0.",
         seed=1231, alpha=0.1, num_epochs=3, given=("w0", "b0"), what="gradient_descent (3 epochs, given w0 and b0)"),
    case("b0_without_w0", "gradient_descent, 3 epochs from w0 = None (zeros) and a given b0: b starts at b0.",
         seed=1291, alpha=0.1, num_epochs=3, given=("b0",),
         what="gradient_descent (3 epochs, w0 = None and a given b0)"),
    case("ten_epochs", "gradient_descent, 10 epochs: the whole trajectory and its costs.",
         seed=1241, alpha=0.3, num_epochs=10, given=(), what="gradient_descent (10 epochs)"),
    case("when_the_cost_rises", "gradient_descent, 3 epochs from zeros with alpha so large that the cost rises: "
         "every update, the last w and b.",
         seed=1401, alpha=2.0, num_epochs=3, given=(), what="gradient_descent (3 epochs, alpha = 2.0: the cost rises)"),
)
def test_gradient_descent(hw, ref, seed: int, alpha: float, num_epochs: int, what: str, given: tuple):
    """gradient_descent from zeros or from the given initial parameters: the reference's trajectory."""
    X, t, w0, b0 = problem(seed)
    descent = Descent(X, t, ("w", "b"), ZEROS, squared_error=True)
    expect_descent_like_reference(hw, ref, descent, alpha, num_epochs, given_start(descent, (w0, b0), given), what)


def test_gradient_descent_runs_every_epoch(hw, ref):
    """gradient_descent makes all 100 updates and records 100 costs, even after the cost has stopped changing."""
    X, t = data.regression(seed=1309, n=12, d=D, noise=0.5)
    expected = ref.gradient_descent(X, t, 0.5, LONG_RUN_EPOCHS)
    mistakes = partial(descent_mistakes, ref, X, t, 0.5, LONG_RUN_EPOCHS, np.zeros(D), 0.0)
    result = hw.gradient_descent(X, t, 0.5, LONG_RUN_EPOCHS)
    what = f"gradient_descent ({LONG_RUN_EPOCHS} epochs)"
    expect_every_epoch(result, LONG_RUN_EPOCHS, what)
    expect_descent_result(result, expected, DESCENT_NAMES, what, n_examples=len(t), squared_error=True,
                                  mistakes=mistakes)


def test_gradient_descent_first_cost_is_the_initial_cost(hw, ref):
    """gradient_descent's costs has length num_epochs and costs[0] = J(w0, b0)."""
    X, t, w0, b0 = problem(1251)
    expected = ref.cost(X, t, w0, b0)
    after_first_update = ref.cost(X, t, *ref.gradient_descent(X, t, 0.1, 1, w0, b0)[:2])
    _, _, costs = expect_tuple(hw.gradient_descent(X, t, 0.1, 4, w0, b0), 3, "gradient_descent")
    costs = expect_array(costs, (4,), "costs from gradient_descent (4 epochs)")
    expect_first_cost(costs[0], expected, after_first_update,
                      "costs[0] (the cost of w0 and b0, before any update)", squared_error=True)


def test_gradient_descent_zero_epochs_returns_w0_and_b0(hw, ref):
    """gradient_descent with num_epochs = 0 returns w0 and b0 (zeros when not given) and an empty costs."""
    X, t, w0, b0 = problem(1261)
    expected = (w0.copy(), b0, np.zeros(0))
    expect_descent_result(hw.gradient_descent(X, t, 0.1, 0, w0, b0), expected, DESCENT_NAMES,
                                  "gradient_descent (0 epochs, given w0 and b0)")
    expect_descent_result(hw.gradient_descent(X, t, 0.1, 0), (np.zeros(D), 0.0, np.zeros(0)),
                                  DESCENT_NAMES, "gradient_descent (0 epochs, w0 not given)")


def test_gradient_descent_converges_to_solve_exact(hw, ref):
    """gradient_descent with enough epochs reaches the exact solution."""
    X, t = data.regression(seed=1131, n=12, d=D)
    w_exact, b_exact = ref.solve_exact(X, t)
    w, b, _ = expect_tuple(hw.gradient_descent(X, t, 0.5, 100), 3, "gradient_descent (100 epochs)")
    expect_close(expect_array(w, (D,), "w after 100 epochs"), w_exact, "w after 100 epochs (vs the exact solution)",
                 rtol=0, atol=CONVERGENCE_ATOL)
    expect_close(expect_float(b, "b after 100 epochs"), b_exact, "b after 100 epochs (vs the exact solution)",
                 rtol=0, atol=CONVERGENCE_ATOL)


def test_gradient_descent_float32_input(hw, ref):
    """gradient_descent works on float32 inputs (same result as in float64, to float32 precision)."""
    X, t, w0, b0 = problem(1271)
    expected = ref.gradient_descent(X, t, 0.2, 5, w0, b0)
    mistakes = partial(descent_mistakes, ref, X, t, 0.2, 5, w0, b0)
    result = hw.gradient_descent(*data.float32_copies(X, t), 0.2, 5, *data.float32_copies(w0), b0)
    expect_descent_result(result, expected, DESCENT_NAMES, "gradient_descent with float32 inputs",
                                  FLOAT32_RTOL, FLOAT32_ATOL, N, squared_error=True, mistakes=mistakes)


def test_gradient_descent_does_not_modify_inputs(hw, ref):
    """gradient_descent leaves X, t and w0 unchanged."""
    X, t, w0, b0 = problem(1281)
    call_watching_inputs(hw, "gradient_descent", ("X", "t", "alpha", "num_epochs", "w0", "b0"),
                         X, t, 0.1, 3, w0, b0)
