"""Public checks for homework 2 (logistic regression): run them with `pytest` or `make check`.

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
    describe,
    expect_array,
    expect_close,
    expect_finite,
    expect_float,
    expect_gradient_matches_cost,
    expect_tuple,
)
from checklib.inputs import watching_inputs

ASSIGNMENT = "hw2"
# Every function's arguments, for the messages about a modified input.
PARAMETERS = {
    "sigmoid": ("z",),
    "predict_proba": ("X", "w", "b"),
    "cost": ("X", "t", "w", "b"),
    "gradient": ("X", "t", "w", "b"),
    "gradient_descent": ("X", "t", "alpha", "num_epochs", "w0", "b0"),
    "predict": ("X", "w", "b"),
}
LN3, LN4, LN9, E15 = float(np.log(3.0)), float(np.log(4.0)), float(np.log(9.0)), float(np.exp(1.5))
MISSING_BIAS = "your values are what X w without b gives: add the bias b to every score z"
OVERFLOW_HINT = ("exp(-z) overflows for z < -709 in float64 (z < -88 in float32): compute exp only of -|z|, "
                 "for example exp(z) / (1 + exp(z)) where z < 0")


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b), a tiny example you can check by hand.

    z = X w + b = [0, ln 3, -ln 3], so y = sigmoid(z) = [1/2, 3/4, 1/4]; t = [1, 1, 0].
    (Without b, z would be [1.5, 1.5 + ln 3, 1.5 - ln 3], all positive.) A function, so that
    every test gets its own fresh arrays.
    """
    X = np.array([[3.0, 0.0], [3.0, 1.0], [3.0, -1.0]])
    return X, np.array([1.0, 1.0, 0.0]), np.array([0.5, LN3]), -1.5


SMALL_Y = [0.5, 0.75, 0.25]
SMALL_Y_WITHOUT_BIAS = [E15 / (1 + E15), 3 * E15 / (1 + 3 * E15), E15 / (3 + E15)]  # e^1.5 / (1 + e^1.5), ...
SMALL_COST = (np.log(2.0) + 2 * np.log(4 / 3)) / 3  # losses -log(1/2), -log(3/4), -log(1 - 1/4)


def saturated_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b) with scores z = [1000, -1000, 1000, -1000, 0] and t = [0, 1, 1, 0, 1].

    The first two examples are confidently wrong (loss exactly 1000 each: -log sigma(-1000)),
    the next two confidently right (loss 0), the last has loss log 2. y - t = [1, -1, 0, 0, -1/2].
    """
    X = np.array([[1.0], [-1.0], [1.0], [-1.0], [0.0]])
    return X, np.array([0.0, 1.0, 1.0, 0.0, 1.0]), np.array([1000.0]), 0.0


def descent_problem() -> Descent:
    X, t = data.binary(seed=4, n=8, d=2)
    return Descent(X, t, ("w", "b"), (np.zeros(2), 0.0))


GIVEN_START = (np.array([0.2, -0.1]), 0.3)  # w0 and b0


def expect_no_overflow_warning(hw, what: str) -> None:
    """The last call raised no overflow warning (the docstring asks for none)."""
    overflow = [text for text in hw.last_warnings if "overflow" in text]
    assert not overflow, f"{what} warned \"{overflow[0]}\". Hint: {OVERFLOW_HINT}"


# --- sigmoid ---------------------------------------------------------------------------


def test_sigmoid_known_values(hw):
    """sigmoid, element-wise and of z's shape (2, 3): sigmoid(ln 3) = 3/4, sigmoid(ln 9) = 9/10, ..."""
    z = np.array([[0.0, LN3, -LN3], [LN9, -LN9, LN4]])
    y = expect_array(watching_inputs(hw, PARAMETERS).sigmoid(z), (2, 3), "sigmoid(z) for z of shape (2, 3)")
    expect_close(y, [[0.5, 0.75, 0.25], [0.9, 0.1, 0.8]], "sigmoid([[0, ln 3, -ln 3], [ln 9, -ln 9, ln 4]])")


def test_sigmoid_large_inputs(hw):
    """sigmoid(z) for z from -1e4 to 1e4: 0 or 1 at the ends, exact at +-40, no nan, no overflow warning."""
    hw = watching_inputs(hw, PARAMETERS)
    z = np.array([-1e4, -800.0, -40.0, 40.0, 800.0, 1e4])
    y = expect_array(hw.sigmoid(z), (6,), "sigmoid(z)")
    what = f"sigmoid(z) for z = {z.tolist()}"
    expect_no_overflow_warning(hw, what)
    expect_finite(y, what, OVERFLOW_HINT)
    expect_close(y, [0.0, 0.0, 4.248354255291589e-18, 1.0, 1.0, 1.0], what,
                 hint="sigmoid(-40) is 4.2e-18: do not clip z to a small range")


def test_sigmoid_works_in_float32(hw):
    """sigmoid of float32 z from -1e4 to 1e4: the float64 values to float32 precision, no overflow warning."""
    hw = watching_inputs(hw, PARAMETERS)
    z = np.array([-1e4, -100.0, -LN3, 0.0, LN3, 100.0, 1e4], dtype=np.float32)
    y = expect_array(hw.sigmoid(z), (7,), "sigmoid(z) for float32 z")
    expect_no_overflow_warning(hw, "sigmoid(z) for float32 z between -1e4 and 1e4")
    expect_finite(y, "sigmoid(z) for float32 z", OVERFLOW_HINT)
    expect_close(y, [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0], "sigmoid(z) for float32 z", FLOAT32_RTOL, FLOAT32_ATOL)


def test_sigmoid_of_a_0d_array(hw):
    """sigmoid of a 0-d array z (shape ()) has shape () too: sigmoid(-ln 3) = 1/4."""
    y = watching_inputs(hw, PARAMETERS).sigmoid(np.array(-LN3))
    if np.shape(y) != () or not isinstance(y, (float, np.floating, np.ndarray)):
        raise AssertionError(f"sigmoid(z) for a 0-d z (shape ()) should have shape (), but it is {describe(y)}. "
                             "Hint: keep z's shape (no np.atleast_1d, reshape(-1) or [z]); np.asarray(z) keeps it")
    expect_close(y, 0.25, "sigmoid(-ln 3) for a 0-d z")


# --- predict_proba ---------------------------------------------------------------------


def test_predict_proba_small_example(hw):
    """predict_proba gives sigmoid(X w + b), shape (N,)."""
    X, _, w, b = small_example()
    y = expect_array(watching_inputs(hw, PARAMETERS).predict_proba(X, w, b), (3,), "predict_proba(X, w, b)")
    expect_close(y, SMALL_Y, "predict_proba(X, w, b)", mistakes={MISSING_BIAS: SMALL_Y_WITHOUT_BIAS})


def test_predict_proba_large_scores(hw):
    """predict_proba for scores z = X w + b of +-1000: exactly 0 or 1, no nan."""
    X, _, w, b = saturated_example()
    y = expect_array(watching_inputs(hw, PARAMETERS).predict_proba(X, w, b), (5,), "predict_proba(X, w, b)")
    expect_finite(y, "predict_proba for scores of +-1000", OVERFLOW_HINT)
    expect_close(y, [1.0, 0.0, 1.0, 0.0, 0.5], "predict_proba for scores z = [1000, -1000, 1000, -1000, 0]")


def test_predict_proba_works_in_float32(hw):
    """predict_proba works on float32 X and w (the same values, to float32 precision)."""
    X, _, w, b = small_example()
    y = expect_array(watching_inputs(hw, PARAMETERS).predict_proba(*data.float32_copies(X, w), b), (3,),
                     "predict_proba for float32 X and w")
    expect_close(y, SMALL_Y, "predict_proba for float32 X and w", FLOAT32_RTOL, FLOAT32_ATOL)


# --- cost ------------------------------------------------------------------------------


def test_cost_small_example(hw):
    """cost is the average cross-entropy -[t log y + (1 - t) log(1 - y)]."""
    X, t, w, b = small_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, SMALL_COST, "cost(X, t, w, b)", n_examples=3)


def test_cost_saturated_predictions(hw):
    """cost stays finite and exact: z = 1000 with t = 0 (and z = -1000 with t = 1) costs exactly 1000, not inf."""
    X, t, w, b = saturated_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, w, b), "cost(X, t, w, b)")
    what = "cost for z = [1000, -1000, 1000, -1000, 0] and t = [0, 1, 1, 0, 1]"
    expect_finite(J, what, "log(sigmoid(z)) is log(0) there: compute -log(sigmoid(z)) as np.logaddexp(0, -z) "
                           "and -log(1 - sigmoid(z)) as np.logaddexp(0, z)")
    expect_close(J, (2000 + np.log(2.0)) / 5, what, n_examples=5,
                 hint="a confidently wrong example costs |z| (here 1000): do not clip y, z or the log; compute "
                      "the logs from z with np.logaddexp")


def test_cost_works_in_float32(hw):
    """cost works on float32 X, t and w (the same value, to float32 precision)."""
    X, t, w, b = small_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(*data.float32_copies(X, t, w), b), "cost for float32 inputs")
    expect_close(J, SMALL_COST, "cost for float32 X, t and w", FLOAT32_RTOL, FLOAT32_ATOL, 3)


# --- gradient --------------------------------------------------------------------------


def test_gradient_matches_finite_differences(hw):
    """gradient returns (dw, db) that match finite differences of your cost."""
    hw = watching_inputs(hw, PARAMETERS)
    X, t = data.binary(seed=1, n=6, d=2)
    w, b = data.parameters(2, 2), 0.3
    dw, db = expect_tuple(hw.gradient(X, t, w, b), 2, "gradient(X, t, w, b)")
    dw = expect_array(dw, (2,), "dw")
    db = expect_float(db, "db")
    expect_gradient_matches_cost(lambda w_: expect_float(hw.cost(X, t, w_, b), "cost"), dw, w, "dw")
    expect_gradient_matches_cost(lambda b_: expect_float(hw.cost(X, t, w, float(b_[0])), "cost"), np.array([db]),
                                 np.array([b]), "db")


def test_gradient_saturated_predictions(hw):
    """gradient for scores of +-1000 stays finite and exact: y - t = [1, -1, 0, 0, -1/2], so dw = 0.4, db = -0.1."""
    X, t, w, b = saturated_example()
    dw, db = expect_tuple(watching_inputs(hw, PARAMETERS).gradient(X, t, w, b), 2, "gradient(X, t, w, b)")
    dw = expect_array(dw, (1,), "dw")
    expect_finite(dw, "dw for scores of +-1000", OVERFLOW_HINT)
    expect_close(dw, [0.4], "dw for scores z = [1000, -1000, 1000, -1000, 0]", n_examples=5)
    expect_close(expect_float(db, "db"), -0.1, "db for scores z = [1000, -1000, 1000, -1000, 0]", n_examples=5)


def test_gradient_works_in_float32(hw):
    """gradient works on float32 X, t and w: y - t = [-1/2, -1/4, 1/4], so dw = [-1/2, -1/6] and db = -1/6."""
    X, t, w, b = small_example()
    dw, db = expect_tuple(watching_inputs(hw, PARAMETERS).gradient(*data.float32_copies(X, t, w), b), 2,
                          "gradient for float32 inputs")
    expect_close(expect_array(dw, (2,), "dw"), [-1 / 2, -1 / 6], "dw for float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL,
                 3)
    expect_close(expect_float(db, "db"), -1 / 6, "db for float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, 3)


# --- gradient_descent ------------------------------------------------------------------


def test_gradient_descent_follows_your_gradient(hw):
    """gradient_descent from given w0, b0: 2 updates w -= alpha dw, b -= alpha db at once; costs[i] = J before each."""
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), descent_problem(), 0.5, 2, GIVEN_START)


def test_gradient_descent_every_update_when_the_cost_rises(hw):
    """gradient_descent from zeros with alpha so large that the cost rises: still every update, the last w and b."""
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), descent_problem(), 20.0, 3)


def test_gradient_descent_w0_or_b0_given_alone(hw):
    """gradient_descent with only w0 given starts from b = 0.0; with w0 = None and a b0, from w = 0 and that b0."""
    expect_each_initial_parameter_alone(watching_inputs(hw, PARAMETERS), descent_problem(), 0.5, 2, GIVEN_START)


def test_gradient_descent_zero_epochs(hw):
    """gradient_descent with num_epochs=0 returns the initial parameters (zeros when not given) and empty costs."""
    expect_zero_epochs(watching_inputs(hw, PARAMETERS), descent_problem(), GIVEN_START)


def test_gradient_descent_every_epoch_after_convergence(hw):
    """gradient_descent makes all 80 updates and records 80 costs, long after the cost has stopped changing."""
    X, t = data.binary(seed=7, n=12, d=2)
    t[:2] = 1 - t[:2]  # two labels flipped: the classes overlap, so the cost has a minimum (reached in ~60 epochs)
    problem = Descent(X, t, ("w", "b"), (np.zeros(2), 0.0))
    expect_every_epoch_after_convergence(watching_inputs(hw, PARAMETERS), problem, 4.0, 80)


def test_gradient_descent_works_in_float32(hw):
    """gradient_descent works on float32 X, t and w0 (the same result as in float64, to float32 precision)."""
    expect_float32_like_float64(watching_inputs(hw, PARAMETERS), descent_problem(), 0.5, 3, GIVEN_START)


# --- predict ---------------------------------------------------------------------------


def test_predict_small_example(hw):
    """predict gives integer classes: 1 where z = X w + b >= 0 (z = 0 included), else 0."""
    X, _, w, b = small_example()  # z = [0, ln 3, -ln 3]
    labels = expect_array(watching_inputs(hw, PARAMETERS).predict(X, w, b), (3,), "predict(X, w, b)", kind="int")
    expect_close(labels, [1, 1, 0], "predict(X, w, b) for z = [0, ln 3, -ln 3]",
                 mistakes={MISSING_BIAS: [1, 1, 1],
                           "z = 0 gives y = 0.5, which is class 1: compare with >=, not >": [0, 1, 0]})


def test_predict_works_in_float32(hw):
    """predict works on float32 X and w."""
    X, _, w, b = small_example()
    labels = expect_array(watching_inputs(hw, PARAMETERS).predict(*data.float32_copies(X, w), b), (3,),
                          "predict for float32 X and w", kind="int")
    expect_close(labels, [1, 1, 0], "predict for float32 X and w, z = [0, ln 3, -ln 3]")
