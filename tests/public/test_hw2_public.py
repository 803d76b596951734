"""Public checks for homework 2 (logistic regression): run them with `pytest` or `make check`.

Each test is named test_<function>_<what it checks>. The grader runs these and more
(hidden) checks of the same kind on other data.
"""

import numpy as np

from checklib import data
from checklib.expect import (
    expect_array,
    expect_close,
    expect_costs_before_updates,
    expect_finite,
    expect_float,
    expect_gradient_matches_cost,
    expect_tuple,
)

ASSIGNMENT = "hw2"

LN3 = float(np.log(3.0))


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b), a tiny example you can check by hand.

    z = X w + b = [0, ln 3, -ln 3], so y = sigmoid(z) = [1/2, 3/4, 1/4]; t = [1, 1, 0].
    A function, so that every test gets its own fresh arrays.
    """
    X = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, 3.0]])
    return X, np.array([1.0, 1.0, 0.0]), np.array([LN3, 0.0]), 0.0


def test_sigmoid_known_values(hw):
    """sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4, sigmoid(-ln 3) = 1/4, element-wise."""
    y = expect_array(hw.sigmoid(np.array([0.0, LN3, -LN3])), (3,), "sigmoid(z)")
    expect_close(y, [0.5, 0.75, 0.25], "sigmoid([0, ln 3, -ln 3])")


def test_sigmoid_large_inputs_stay_finite(hw):
    """sigmoid(-1000) is 0 and sigmoid(1000) is 1, without nan."""
    y = expect_array(hw.sigmoid(np.array([-1000.0, 1000.0])), (2,), "sigmoid(z)")
    expect_finite(y, "sigmoid([-1000, 1000])", "exp(1000) overflows: use a different formula for negative z")
    expect_close(y, [0.0, 1.0], "sigmoid([-1000, 1000])")


def test_predict_proba_small_example(hw):
    """predict_proba gives sigmoid(X w + b), shape (N,)."""
    X, _, w, b = small_example()
    y = expect_array(hw.predict_proba(X, w, b), (3,), "predict_proba(X, w, b)")
    expect_close(y, [0.5, 0.75, 0.25], "predict_proba(X, w, b)")


def test_cost_small_example(hw):
    """cost is the average cross-entropy -[t log y + (1 - t) log(1 - y)]."""
    # Losses -log(1/2), -log(3/4), -log(1 - 1/4): J = (log 2 + 2 log(4/3)) / 3
    X, t, w, b = small_example()
    J = expect_float(hw.cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, (np.log(2.0) + 2 * np.log(4 / 3)) / 3, "cost(X, t, w, b)", n_examples=3)


def test_cost_confident_mistake_costs_its_score(hw):
    """cost stays finite: an example with z = 1000 and t = 0 has loss exactly 1000."""
    # z = [1000, 0], t = [0, 1]: losses 1000 and log 2.
    X, t, w, b = np.array([[1000.0], [0.0]]), np.array([0.0, 1.0]), np.array([1.0]), 0.0
    J = expect_float(hw.cost(X, t, w, b), "cost(X, t, w, b)")
    expect_finite(J, "cost for z = 1000", "log(1 - sigmoid(1000)) is log(0): use np.logaddexp(0, z)")
    expect_close(J, (1000 + np.log(2.0)) / 2, "cost for z = [1000, 0] and t = [0, 1]", n_examples=2)


def test_gradient_matches_finite_differences(hw):
    """gradient returns (dw, db) that match finite differences of your cost."""
    X, t = data.binary(seed=1, n=6, d=2)
    w, b = data.parameters(2, 2), 0.3
    dw, db = expect_tuple(hw.gradient(X, t, w, b), 2, "gradient(X, t, w, b)")
    dw = expect_array(dw, (2,), "dw")
    db = expect_float(db, "db")
    expect_gradient_matches_cost(lambda w_: expect_float(hw.cost(X, t, w_, b), "cost"), dw, w, "dw")
    expect_gradient_matches_cost(lambda b_: expect_float(hw.cost(X, t, w, float(b_[0])), "cost"), np.array([db]),
                                 np.array([b]), "db")


def test_gradient_descent_records_costs_before_each_update(hw):
    """gradient_descent returns (w, b, costs) with costs[0] = log 2, the cost of w = 0, b = 0."""
    X, t = data.binary(seed=4, n=10, d=2)
    w, b, costs = expect_tuple(hw.gradient_descent(X, t, 0.5, 5), 3, "gradient_descent(...)")
    expect_array(w, (2,), "w from gradient_descent")
    expect_float(b, "b from gradient_descent")
    costs = expect_array(costs, (5,), "costs from gradient_descent")
    # With w = 0 and b = 0 every y is 1/2, so every loss is log 2.
    J_end = expect_float(hw.cost(X, t, w, b), "cost at the returned w and b")
    expect_costs_before_updates(costs, np.log(2.0), J_end, n_examples=10)
    assert np.all(np.diff(costs) < 0), f"costs should decrease with a small learning rate, but they are {costs}"


def test_gradient_descent_zero_epochs(hw):
    """gradient_descent with num_epochs=0 returns the initial parameters and empty costs."""
    X, t = data.binary(seed=5, n=4, d=2)
    w, b, costs = expect_tuple(hw.gradient_descent(X, t, 0.1, 0), 3, "gradient_descent(..., num_epochs=0)")
    expect_close(expect_array(w, (2,), "w"), np.zeros(2), "w after 0 epochs")
    expect_close(expect_float(b, "b"), 0.0, "b after 0 epochs")
    expect_array(costs, (0,), "costs after 0 epochs")


def test_gradient_descent_does_not_modify_inputs(hw):
    """gradient_descent leaves X, t and w0 unchanged (they are read-only here)."""
    X, t = data.binary(seed=6, n=5, d=2)
    X, t, w0 = data.read_only(X, t, np.array([0.1, -0.2]))
    hw.gradient_descent(X, t, 0.1, 3, w0, 0.0)


def test_predict_small_example(hw):
    """predict gives integer classes: 1 where z >= 0 (z = 0 included), else 0."""
    X, _, w, b = small_example()  # z = [0, ln 3, -ln 3]
    labels = expect_array(hw.predict(X, w, b), (3,), "predict(X, w, b)", kind="int")
    expect_close(labels, [1, 1, 0], "predict(X, w, b) for z = [0, ln 3, -ln 3]")
