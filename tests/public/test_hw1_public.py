"""Public checks for homework 1 (linear regression): run them with `pytest` or `make check`.

Each test is named test_<function>_<what it checks>. The grader runs these and more
(hidden) checks of the same kind on other data.
"""

import numpy as np

from checklib import data
from checklib.expect import (
    expect_array,
    expect_close,
    expect_costs_before_updates,
    expect_float,
    expect_gradient_matches_cost,
    expect_tuple,
)

ASSIGNMENT = "hw1"


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b), a tiny example you can check by hand: y = X w + b = [0.5, -0.5, -1.5], t = 0.

    A function, so that every test gets its own fresh arrays.
    """
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return X, np.zeros(3), np.array([0.5, -1.0]), 2.0


def test_predict_small_example(hw):
    """predict gives X w + b, shape (N,)."""
    X, _, w, b = small_example()
    y = expect_array(hw.predict(X, w, b), (3,), "predict(X, w, b)")
    expect_close(y, [0.5, -0.5, -1.5], "predict(X, w, b)")


def test_cost_small_example(hw):
    """cost is 1/(2N) times the sum of squared errors."""
    # Errors 0.5, -0.5, -1.5: J = (0.25 + 0.25 + 2.25) / (2 * 3)
    X, t, w, b = small_example()
    J = expect_float(hw.cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, 2.75 / 6, "cost(X, t, w, b)", n_examples=3, squared_error=True)


def test_gradient_matches_finite_differences(hw):
    """gradient returns (dw, db) that match finite differences of your cost."""
    X, t = data.regression(seed=1, n=6, d=2)
    w, b = data.parameters(2, 2), 0.3
    dw, db = expect_tuple(hw.gradient(X, t, w, b), 2, "gradient(X, t, w, b)")
    dw = expect_array(dw, (2,), "dw")
    db = expect_float(db, "db")
    expect_gradient_matches_cost(lambda w_: expect_float(hw.cost(X, t, w_, b), "cost"), dw, w, "dw")
    expect_gradient_matches_cost(lambda b_: expect_float(hw.cost(X, t, w, float(b_[0])), "cost"), np.array([db]),
                                 np.array([b]), "db")


def test_solve_exact_recovers_a_noise_free_line(hw):
    """solve_exact finds w and b exactly when t = X w + b has no noise."""
    X = data.parameters(3, 8, 2, scale=1.0)
    w_true, b_true = np.array([2.0, -3.0]), 0.5
    w, b = expect_tuple(hw.solve_exact(X, X @ w_true + b_true), 2, "solve_exact(X, t)")
    expect_close(expect_array(w, (2,), "w from solve_exact"), w_true, "w from solve_exact")
    expect_close(expect_float(b, "b from solve_exact"), b_true, "b from solve_exact")


def test_gradient_descent_records_costs_before_each_update(hw):
    """gradient_descent returns (w, b, costs) with costs[0] the cost of the initial zeros."""
    X, t = data.regression(seed=4, n=10, d=2)
    w, b, costs = expect_tuple(hw.gradient_descent(X, t, 0.1, 5), 3, "gradient_descent(...)")
    expect_array(w, (2,), "w from gradient_descent")
    expect_float(b, "b from gradient_descent")
    costs = expect_array(costs, (5,), "costs from gradient_descent")
    J0 = expect_float(hw.cost(X, t, np.zeros(2), 0.0), "cost")
    J_end = expect_float(hw.cost(X, t, w, b), "cost at the returned w and b")
    expect_costs_before_updates(costs, J0, J_end, n_examples=10, squared_error=True)
    assert np.all(np.diff(costs) < 0), f"costs should decrease with a small learning rate, but they are {costs}"


def test_gradient_descent_zero_epochs(hw):
    """gradient_descent with num_epochs=0 returns the initial parameters and empty costs."""
    X, t = data.regression(seed=5, n=4, d=2)
    w, b, costs = expect_tuple(hw.gradient_descent(X, t, 0.1, 0), 3, "gradient_descent(..., num_epochs=0)")
    expect_close(expect_array(w, (2,), "w"), np.zeros(2), "w after 0 epochs")
    expect_close(expect_float(b, "b"), 0.0, "b after 0 epochs")
    expect_array(costs, (0,), "costs after 0 epochs")


def test_gradient_descent_does_not_modify_inputs(hw):
    """gradient_descent leaves X, t and w0 unchanged (they are read-only here)."""
    X, t = data.regression(seed=6, n=5, d=2)
    X, t, w0 = data.read_only(X, t, np.array([0.1, -0.2]))
    hw.gradient_descent(X, t, 0.1, 3, w0, 0.0)
