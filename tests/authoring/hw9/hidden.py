"""Hidden checks for hw9 (a line fit): compared with the reference solution."""

import numpy as np

from checklib import data
from checklib.checks import case, cases
from checklib.descent import Descent, expect_result_like
from checklib.expect import expect_array, expect_close, expect_float
from checklib.reference_checks import expect_descent_like_reference, given_start

ASSIGNMENT = "hw9"
N, D = 7, 3
ZEROS = (np.zeros(D), 0.0)


def problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    X, t = data.regression(seed=seed, n=N, d=D)
    return X, t, data.parameters(seed + 1, D), -0.4


def test_predict_values(hw, ref):
    """predict returns X w + b as a flat array of shape (N,)."""
    X, _, w, b = problem(9101)
    expected = ref.predict(X, w, b)
    expect_close(expect_array(hw.predict(X, w, b), (N,), "predict(X, w, b)"), expected, "predict(X, w, b)")


def test_cost_value(hw, ref):
    """cost is 1/(2N) times the sum of squared errors, as a float."""
    X, t, w, b = problem(9111)
    expected = ref.cost(X, t, w, b)
    expect_close(expect_float(hw.cost(X, t, w, b), "cost"), expected, "cost(X, t, w, b)", n_examples=N,
                 squared_error=True)


def test_gradient_values(hw, ref):
    """gradient returns (X^T (y - t) / N, mean(y - t))."""
    X, t, w, b = problem(9121)
    expected = ref.gradient(X, t, w, b)
    expect_result_like(hw.gradient(X, t, w, b), expected, ("dw", "db"), "gradient(X, t, w, b)", n_examples=N,
                       squared_error=True)


@cases(
    case("one_epoch_from_zeros", "gradient_descent, 1 epoch from w = 0, b = 0.", seed=9131, alpha=0.2,
         num_epochs=1, given=(), what="gradient_descent (1 epoch)"),
    case("three_epochs_from_w0_and_b0", "gradient_descent, 3 epochs from a given w0 and b0.", seed=9141,
         alpha=0.1, num_epochs=3, given=("w0", "b0"), what="gradient_descent (3 epochs, given w0 and b0)"),
)
def test_gradient_descent(hw, ref, seed: int, alpha: float, num_epochs: int, given: tuple, what: str):
    """gradient_descent: the reference's trajectory."""
    X, t, w0, b0 = problem(seed)
    descent = Descent(X, t, ("w", "b"), ZEROS, squared_error=True)
    expect_descent_like_reference(hw, ref, descent, alpha, num_epochs, given_start(descent, (w0, b0), given), what)
