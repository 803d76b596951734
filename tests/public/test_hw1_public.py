"""Public checks for homework 1 (linear regression): run them with `pytest` or `make check`.

Each test is named test_<function>_<what it checks>. The grader runs these and more
(hidden) checks of the same kind on other data. No check here knows the answers in
advance except for tiny examples you can work out by hand: the others check properties,
such as your gradient against finite differences of your own cost, and your gradient
descent against your own gradient. Every call also checks that your function leaves its
array arguments unchanged.
"""

import numpy as np

from checklib import data
from checklib.descent import (
    Descent,
    expect_each_initial_parameter_alone,
    expect_every_epoch_after_convergence,
    expect_float32_like_float64,
    expect_follows_your_gradient,
    expect_zero_epochs,
)
from checklib.expect import (
    FLOAT32_ATOL,
    FLOAT32_RTOL,
    expect_array,
    expect_close,
    expect_float,
    expect_gradient_matches_cost,
    expect_tuple,
)
from checklib.inputs import watching_inputs

ASSIGNMENT = "hw1"
# Every function's arguments, for the messages about a modified input.
PARAMETERS = {
    "predict": ("X", "w", "b"),
    "cost": ("X", "t", "w", "b"),
    "gradient": ("X", "t", "w", "b"),
    "solve_exact": ("X", "t"),
    "gradient_descent": ("X", "t", "alpha", "num_epochs", "w0", "b0"),
}
MISSING_BIAS = "your values are X w without b: add the bias b to every prediction"


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b), a tiny example you can check by hand.

    y = X w + b = [0.6, -0.4, -1.4] and t = [1, -1, 0.5], so y - t = [-0.4, 0.6, -1.9].
    A function, so that every test gets its own fresh arrays.
    """
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return X, np.array([1.0, -1.0, 0.5]), np.array([0.5, -1.0]), 2.1


SMALL_COST = (0.16 + 0.36 + 3.61) / 6  # 1/(2N) sum (y - t)^2
SMALL_DW, SMALL_DB = np.array([-8.1, -9.8]) / 3, -1.7 / 3  # X^T (y - t) / N and mean(y - t)


def descent_problem() -> Descent:
    X, t = data.regression(seed=4, n=8, d=2)
    return Descent(X, t, ("w", "b"), (np.zeros(2), 0.0), squared_error=True)


GIVEN_START = (np.array([0.2, -0.1]), 0.3)  # w0 and b0


# --- predict ---------------------------------------------------------------------------


def test_predict_small_example(hw):
    """predict gives X w + b, shape (N,)."""
    X, _, w, b = small_example()
    y = expect_array(watching_inputs(hw, PARAMETERS).predict(X, w, b), (3,), "predict(X, w, b)")
    expect_close(y, [0.6, -0.4, -1.4], "predict(X, w, b)", mistakes={MISSING_BIAS: [-1.5, -2.5, -3.5]})


def test_predict_works_in_float32(hw):
    """predict works on float32 X and w (the same values, to float32 precision)."""
    X, _, w, b = small_example()
    y = expect_array(watching_inputs(hw, PARAMETERS).predict(*data.float32_copies(X, w), b), (3,),
                     "predict(X, w, b) for float32 X and w")
    expect_close(y, [0.6, -0.4, -1.4], "predict for float32 X and w", FLOAT32_RTOL, FLOAT32_ATOL)


# --- cost ------------------------------------------------------------------------------


def test_cost_small_example(hw):
    """cost is 1/(2N) times the sum of squared errors."""
    X, t, w, b = small_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, SMALL_COST, "cost(X, t, w, b)", n_examples=3, squared_error=True)


def test_cost_works_in_float32(hw):
    """cost works on float32 X, t and w (the same value, to float32 precision)."""
    X, t, w, b = small_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(*data.float32_copies(X, t, w), b), "cost for float32 inputs")
    expect_close(J, SMALL_COST, "cost for float32 X, t and w", FLOAT32_RTOL, FLOAT32_ATOL, 3, squared_error=True)


# --- gradient --------------------------------------------------------------------------


def test_gradient_matches_finite_differences(hw):
    """gradient returns (dw, db) that match finite differences of your cost."""
    hw = watching_inputs(hw, PARAMETERS)
    X, t = data.regression(seed=1, n=6, d=2)
    w, b = data.parameters(2, 2), 0.3
    dw, db = expect_tuple(hw.gradient(X, t, w, b), 2, "gradient(X, t, w, b)")
    dw = expect_array(dw, (2,), "dw")
    db = expect_float(db, "db")
    expect_gradient_matches_cost(lambda w_: expect_float(hw.cost(X, t, w_, b), "cost"), dw, w, "dw")
    expect_gradient_matches_cost(lambda b_: expect_float(hw.cost(X, t, w, float(b_[0])), "cost"), np.array([db]),
                                 np.array([b]), "db")


def test_gradient_works_in_float32(hw):
    """gradient works on float32 X, t and w: dw = X^T (y - t) / N and db = mean(y - t) of the small example."""
    X, t, w, b = small_example()
    dw, db = expect_tuple(watching_inputs(hw, PARAMETERS).gradient(*data.float32_copies(X, t, w), b), 2,
                          "gradient for float32 inputs")
    expect_close(expect_array(dw, (2,), "dw"), SMALL_DW, "dw for float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, 3,
                 squared_error=True)
    expect_close(expect_float(db, "db"), SMALL_DB, "db for float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, 3,
                 squared_error=True)


# --- solve_exact -----------------------------------------------------------------------


def noise_free_line(scale: float) -> tuple[np.ndarray, np.ndarray]:
    """(X, t) with t = X [2, -3] + 0.5 exactly, for features of size about scale."""
    X = data.parameters(3, 8, 2, scale=scale)
    return X, X @ np.array([2.0, -3.0]) + 0.5


def test_solve_exact_recovers_a_noise_free_line(hw):
    """solve_exact finds w and b exactly when t = X w + b has no noise, for features of any size (here ~0.01)."""
    X, t = noise_free_line(scale=0.01)
    w, b = expect_tuple(watching_inputs(hw, PARAMETERS).solve_exact(X, t), 2, "solve_exact(X, t)")
    exact = "J's exact minimizer: add nothing (no ridge term) to the normal equations, and give b its column of ones"
    expect_close(expect_array(w, (2,), "w from solve_exact"), [2.0, -3.0], "w from solve_exact", hint=exact)
    expect_close(expect_float(b, "b from solve_exact"), 0.5, "b from solve_exact", hint=exact)


def test_solve_exact_minimizes_the_cost_on_noisy_data(hw):
    """solve_exact on noisy data: the errors y - t are orthogonal to every feature and sum to 0 (J's gradient is 0)."""
    X, t = data.regression(seed=5, n=9, d=2, noise=0.5)
    w, b = expect_tuple(watching_inputs(hw, PARAMETERS).solve_exact(X, t), 2, "solve_exact(X, t)")
    w, b = expect_array(w, (2,), "w from solve_exact"), expect_float(b, "b from solve_exact")
    errors = X @ w + b - t
    # Rounding leaves about 1e-15 times the sizes involved; a wrong minimizer leaves far more.
    expect_close(np.append(X.T @ errors, errors.sum()) / (np.abs(X).sum() + len(t)), np.zeros(3),
                 "X^T (y - t) and sum(y - t) at the w and b from solve_exact (scaled)", rtol=0, atol=1e-12,
                 hint="solve the least-squares problem of [X, 1] and t exactly (np.linalg.lstsq)")


def test_solve_exact_works_in_float32(hw):
    """solve_exact works on float32 X and t (the same w and b, to float32 precision)."""
    X, t = noise_free_line(scale=1.0)
    w, b = expect_tuple(watching_inputs(hw, PARAMETERS).solve_exact(*data.float32_copies(X, t)), 2,
                        "solve_exact for float32 inputs")
    expect_close(expect_array(w, (2,), "w from solve_exact"), [2.0, -3.0], "w for float32 inputs", FLOAT32_RTOL,
                 FLOAT32_ATOL)
    expect_close(expect_float(b, "b from solve_exact"), 0.5, "b for float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL)


# --- gradient_descent ------------------------------------------------------------------


def test_gradient_descent_follows_your_gradient(hw):
    """gradient_descent from given w0, b0: 2 updates w -= alpha dw, b -= alpha db at once; costs[i] = J before each."""
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), descent_problem(), 0.1, 2, GIVEN_START)


def test_gradient_descent_every_update_when_the_cost_rises(hw):
    """gradient_descent from zeros with alpha so large that the cost rises: still every update, the last w and b."""
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), descent_problem(), 1.2, 2)


def test_gradient_descent_w0_or_b0_given_alone(hw):
    """gradient_descent with only w0 given starts from b = 0.0; with w0 = None and a b0, from w = 0 and that b0."""
    expect_each_initial_parameter_alone(watching_inputs(hw, PARAMETERS), descent_problem(), 0.1, 2, GIVEN_START)


def test_gradient_descent_zero_epochs(hw):
    """gradient_descent with num_epochs=0 returns the initial parameters (zeros when not given) and empty costs."""
    expect_zero_epochs(watching_inputs(hw, PARAMETERS), descent_problem(), GIVEN_START)


def test_gradient_descent_every_epoch_after_convergence(hw):
    """gradient_descent makes all 80 updates and records 80 costs, long after the cost has stopped changing."""
    X, t = data.regression(seed=7, n=12, d=2, noise=0.5)  # converges to rounding within about 60 epochs
    problem = Descent(X, t, ("w", "b"), (np.zeros(2), 0.0), squared_error=True)
    expect_every_epoch_after_convergence(watching_inputs(hw, PARAMETERS), problem, 1.0, 80)


def test_gradient_descent_works_in_float32(hw):
    """gradient_descent works on float32 X, t and w0 (the same result as in float64, to float32 precision)."""
    expect_float32_like_float64(watching_inputs(hw, PARAMETERS), descent_problem(), 0.1, 3, GIVEN_START)
