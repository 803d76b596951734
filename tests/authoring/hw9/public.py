"""Public checks for hw9 (a line fit): run them with `pytest` or `make check`."""

import numpy as np

from checklib import data
from checklib.descent import Descent, expect_follows_your_gradient
from checklib.expect import expect_array, expect_close, expect_float, expect_tuple
from checklib.inputs import watching_inputs

ASSIGNMENT = "hw9"
PARAMETERS = {
    "predict": ("X", "w", "b"),
    "cost": ("X", "t", "w", "b"),
    "gradient": ("X", "t", "w", "b"),
    "gradient_descent": ("X", "t", "alpha", "num_epochs", "w0", "b0"),
}


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b): y = X w + b = [0.6, -0.4, -1.4] and y - t = [-0.4, 0.6, -1.9]."""
    X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    return X, np.array([1.0, -1.0, 0.5]), np.array([0.5, -1.0]), 2.1


def test_predict_small_example(hw):
    """predict gives X w + b, shape (N,)."""
    X, _, w, b = small_example()
    y = expect_array(watching_inputs(hw, PARAMETERS).predict(X, w, b), (3,), "predict(X, w, b)")
    expect_close(y, [0.6, -0.4, -1.4], "predict(X, w, b)")


def test_cost_small_example(hw):
    """cost is 1/(2N) times the sum of squared errors."""
    X, t, w, b = small_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, (0.16 + 0.36 + 3.61) / 6, "cost(X, t, w, b)", n_examples=3, squared_error=True)


def test_gradient_small_example(hw):
    """gradient gives (X^T (y - t) / N, mean(y - t))."""
    X, t, w, b = small_example()
    dw, db = expect_tuple(watching_inputs(hw, PARAMETERS).gradient(X, t, w, b), 2, "gradient(X, t, w, b)")
    expect_close(expect_array(dw, (2,), "dw"), np.array([-8.1, -9.8]) / 3, "dw", n_examples=3, squared_error=True)
    expect_close(expect_float(db, "db"), -1.7 / 3, "db", n_examples=3, squared_error=True)


def test_gradient_descent_follows_your_gradient(hw):
    """gradient_descent makes num_epochs updates with your gradient, from w0 and b0, recording your costs."""
    X, t = data.regression(seed=4, n=8, d=2)
    problem = Descent(X, t, ("w", "b"), (np.zeros(2), 0.0), squared_error=True)
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), problem, alpha=0.1, num_epochs=3,
                                 initial=(np.array([0.5, -0.5]), 0.25))
