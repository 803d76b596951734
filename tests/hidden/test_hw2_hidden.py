"""Hidden checks for homework 2 (logistic regression): compared with the reference solution.

Inputs differ from the public checks (other seeds, N=7 examples and D=3 features).
Each check covers one clause of the docstrings in solutions/hw2_logistic_regression.py.
Every check computes the reference's answer before calling the student's function, so a
function that modifies its inputs cannot change the expected value.
"""

from functools import partial

import numpy as np

from checklib import data
from checklib.checks import case, cases
from checklib.descent import Descent, expect_descent_result, expect_every_epoch, expect_result_like
from checklib.expect import (
    FLOAT32_ATOL,
    FLOAT32_RTOL,
    describe,
    expect_array,
    expect_close,
    expect_finite,
    expect_float,
    expect_tuple,
)
from checklib.reference_checks import (
    call_watching_inputs,
    descent_mistakes,
    expect_descent_like_reference,
    expect_first_cost,
    given_start,
)

ASSIGNMENT = "hw2"

N, D = 7, 3
GRADIENT_NAMES = ("dw", "db")
DESCENT_NAMES = ("w", "b", "costs")
# Enough epochs that the cost stops changing (by less than 1e-14 from epoch 170 on, with
# alpha = 2 on overlapping_problem) long before the last one: a loop that stops early makes
# fewer updates.
LONG_RUN_EPOCHS = 100  # the cost stops changing (to 1e-12) after about 30
STABILITY_HINT = "exp() overflowed: use a formula that never exponentiates a large positive number"
SATURATION_HINT = ("log(sigmoid(z)) is log(0) there; compute -log(sigmoid(z)) as np.logaddexp(0, -z) "
                   "and -log(1 - sigmoid(z)) as np.logaddexp(0, z)")

ZEROS = (np.zeros(D), 0.0)  # where gradient descent starts when no initial parameter is given


def problem(seed: int = 2101) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b): fresh arrays for one check; t holds 0.0 and 1.0."""
    X, t = data.binary(seed=seed, n=N, d=D)
    return X, t, data.parameters(seed + 1, D, scale=1.0), 0.3


def overlapping_problem() -> tuple[np.ndarray, np.ndarray]:
    """(X (12, D), t): two classes that overlap (two labels flipped), so the cost has a finite
    minimum, which gradient descent reaches to rounding within LONG_RUN_EPOCHS epochs."""
    X, t = data.binary(seed=2307, n=12, d=D)
    t[:2] = 1 - t[:2]
    return X, t


def large_scores() -> np.ndarray:
    """Scores from far below -709 (where exp(-z) overflows) to far above +709."""
    return np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])


def saturated_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(X, t, w, b) with scores z = [1000, -1000, 20, -3] and t = [0, 1, 0, 1].

    The first two examples are confidently wrong: each has a loss of exactly 1000, which a
    naive log(sigmoid(z)) turns into inf.
    """
    X = np.array([[1000.0, 1.0], [-1000.0, 2.0], [20.0, -1.0], [-3.0, 0.5]])
    return X, np.array([0.0, 1.0, 0.0, 1.0]), np.array([1.0, 0.0]), 0.0


# --- sigmoid ---------------------------------------------------------------------------


def test_sigmoid_values(hw, ref):
    """sigmoid gives 1 / (1 + exp(-z)) element-wise."""
    z = np.array([-5.0, -1.5, -0.2, 0.0, 0.7, 2.0, 6.0])
    expected = ref.sigmoid(z)
    expect_close(expect_array(hw.sigmoid(z), (7,), "sigmoid(z)"), expected, "sigmoid(z)")


def test_sigmoid_keeps_the_shape_of_z(hw, ref):
    """sigmoid of a 2-D array of shape (3, 4) is a (3, 4) array."""
    z = data.parameters(2111, 3, 4, scale=3.0)
    expected = ref.sigmoid(z)
    what = "sigmoid(z) for z of shape (3, 4)"
    expect_close(expect_array(hw.sigmoid(z), (3, 4), what), expected, what)


def test_sigmoid_large_inputs_stay_finite(hw, ref):
    """sigmoid(z) at z = +-1e4 and +-800 gives 0 or 1, never nan."""
    z = large_scores()
    expected = ref.sigmoid(z)
    what = f"sigmoid(z) for z = {z.tolist()}"
    y = expect_array(hw.sigmoid(z), (7,), what)
    expect_finite(y, what, STABILITY_HINT)
    expect_close(y, expected, what)


def test_sigmoid_no_overflow_warning(hw, ref):
    """sigmoid(z) at z = +-1e4 and +-800 raises no overflow warning (the docstring asks for none)."""
    hw.sigmoid(large_scores())
    overflow = [text for text in hw.last_warnings if "overflow" in text]
    assert not overflow, (f"sigmoid(z) for z = {large_scores().tolist()} warned \"{overflow[0]}\": exp(-z) overflows "
                          "for z < -709; compute exp(z) / (1 + exp(z)) for negative z instead")


def test_sigmoid_no_overflow_warning_for_float32_z(hw, ref):
    """sigmoid(z) for float32 z from -1e4 to 1e4 raises no overflow warning and gives 0 or 1 at the ends."""
    z = np.array([-1e4, -800.0, -100.0, -40.0, 0.0, 40.0, 100.0, 800.0, 1e4], dtype=np.float32)
    expected = ref.sigmoid(z.astype(np.float64))
    y = expect_array(hw.sigmoid(z), z.shape, "sigmoid(z) for float32 z")
    overflow = [text for text in hw.last_warnings if "overflow" in text]
    assert not overflow, (f"sigmoid(z) for float32 z between -1e4 and 1e4 warned \"{overflow[0]}\". Hint: in float32, "
                          "exp overflows above 88 (not 709): compute exp only of -|z| (never of a large positive "
                          "number), or convert z to float64 first")
    expect_finite(y, "sigmoid(z) for float32 z between -1e4 and 1e4", STABILITY_HINT)
    expect_close(y, expected, "sigmoid(z) for float32 z between -1e4 and 1e4", FLOAT32_RTOL, FLOAT32_ATOL)


def test_sigmoid_keeps_the_shape_of_a_0d_z(hw, ref):
    """sigmoid of a 0-d array z (shape ()) has shape () too, not (1,)."""
    z = np.array(-0.75)
    expected = ref.sigmoid(z)
    y = hw.sigmoid(z)
    if np.shape(y) != () or not isinstance(y, (float, np.floating, np.ndarray)):
        raise AssertionError(f"sigmoid(z) for a 0-d z (shape ()) should have shape (), but it is {describe(y)}. "
                             "Hint: keep z's shape (no np.atleast_1d, reshape(-1) or [z]); np.asarray(z) keeps it")
    expect_close(y, expected, "sigmoid(z) for a 0-d z")


def test_sigmoid_float32_input(hw, ref):
    """sigmoid works on float32 input (same values as in float64, to float32 precision)."""
    z = np.array([-30.0, -3.0, -0.5, 0.0, 0.25, 4.0, 30.0])
    expected = ref.sigmoid(z)
    y = expect_array(hw.sigmoid(z.astype(np.float32)), (7,), "sigmoid(z) for float32 z")
    expect_close(y, expected, "sigmoid(z) for float32 z", FLOAT32_RTOL, FLOAT32_ATOL)


def test_sigmoid_does_not_modify_its_input(hw, ref):
    """sigmoid leaves z unchanged."""
    call_watching_inputs(hw, "sigmoid", ("z",), large_scores())


# --- predict_proba ---------------------------------------------------------------------


def test_predict_proba_values(hw, ref):
    """predict_proba returns sigmoid(X w + b), shape (N,)."""
    X, _, w, b = problem()
    expected = ref.predict_proba(X, w, b)
    y = expect_array(hw.predict_proba(X, w, b), (N,), "predict_proba(X, w, b)")
    expect_close(y, expected, "predict_proba(X, w, b)")


def test_predict_proba_large_scores_stay_finite(hw, ref):
    """predict_proba stays finite when X w + b is around +-1000."""
    X, _, w, b = saturated_problem()
    expected = ref.predict_proba(X, w, b)
    y = expect_array(hw.predict_proba(X, w, b), (4,), "predict_proba(X, w, b) for large scores")
    expect_finite(y, "predict_proba for scores around +-1000", STABILITY_HINT)
    expect_close(y, expected, "predict_proba for scores around +-1000")


def test_predict_proba_float32_input(hw, ref):
    """predict_proba works on float32 inputs (same values as in float64, to float32 precision)."""
    X, _, w, b = problem(2121)
    expected = ref.predict_proba(X, w, b)
    y = expect_array(hw.predict_proba(*data.float32_copies(X, w), b), (N,), "predict_proba with float32 inputs")
    expect_close(y, expected, "predict_proba with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL)


def test_predict_proba_does_not_modify_inputs(hw, ref):
    """predict_proba leaves X and w unchanged."""
    X, _, w, b = problem(2131)
    call_watching_inputs(hw, "predict_proba", ("X", "w", "b"), X, w, b)


# --- cost ------------------------------------------------------------------------------


def test_cost_value(hw, ref):
    """cost is the average cross-entropy over the N examples, as a float."""
    X, t, w, b = problem()
    expected = ref.cost(X, t, w, b)
    J = expect_float(hw.cost(X, t, w, b), "cost(X, t, w, b)")
    expect_close(J, expected, "cost(X, t, w, b)", n_examples=N)


def test_cost_saturated_predictions_stay_exact(hw, ref):
    """cost with z = 1000 and t = 0 counts a loss of exactly 1000 for that example (not inf)."""
    X, t, w, b = saturated_problem()
    expected = ref.cost(X, t, w, b)
    J = expect_float(hw.cost(X, t, w, b), "cost(X, t, w, b) for scores around +-1000")
    expect_finite(J, "cost for scores around +-1000", SATURATION_HINT)
    expect_close(J, expected, "cost for scores z = [1000, -1000, 20, -3] and t = [0, 1, 0, 1]",
                 n_examples=4, hint="a wrong example with a large score z has loss |z|: do not clip y or the log")


def test_cost_float32_input(hw, ref):
    """cost works on float32 inputs (same value as in float64, to float32 precision)."""
    X, t, w, b = problem(2141)
    expected = ref.cost(X, t, w, b)
    J = expect_float(hw.cost(*data.float32_copies(X, t, w), b), "cost with float32 X, t and w")
    expect_close(J, expected, "cost with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, N)


def test_cost_does_not_modify_inputs(hw, ref):
    """cost leaves X, t and w unchanged."""
    X, t, w, b = problem(2151)
    call_watching_inputs(hw, "cost", ("X", "t", "w", "b"), X, t, w, b)


# --- gradient --------------------------------------------------------------------------


def test_gradient_values(hw, ref):
    """gradient returns (dw, db) = (X^T (y - t) / N, mean(y - t)) with y = sigmoid(X w + b)."""
    X, t, w, b = problem()
    expected = ref.gradient(X, t, w, b)
    expect_result_like(hw.gradient(X, t, w, b), expected, GRADIENT_NAMES, "gradient(X, t, w, b)",
                              n_examples=N)


def test_gradient_large_scores_stay_finite(hw, ref):
    """gradient stays finite and exact when X w + b is around +-1000."""
    X, t, w, b = saturated_problem()
    expected = ref.gradient(X, t, w, b)
    result = hw.gradient(X, t, w, b)
    dw, _ = expect_tuple(result, 2, "gradient(X, t, w, b) for large scores")
    expect_finite(expect_array(dw, (2,), "dw for large scores"), "dw for scores around +-1000", STABILITY_HINT)
    expect_result_like(result, expected, GRADIENT_NAMES, "gradient for scores around +-1000", n_examples=4)


def test_gradient_float32_input(hw, ref):
    """gradient works on float32 inputs (same values as in float64, to float32 precision)."""
    X, t, w, b = problem(2161)
    expected = ref.gradient(X, t, w, b)
    expect_result_like(hw.gradient(*data.float32_copies(X, t, w), b), expected, GRADIENT_NAMES,
                              "gradient with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, N)


def test_gradient_does_not_modify_inputs(hw, ref):
    """gradient leaves X, t and w unchanged."""
    X, t, w, b = problem(2171)
    call_watching_inputs(hw, "gradient", ("X", "t", "w", "b"), X, t, w, b)


# --- gradient_descent ------------------------------------------------------------------


@cases(
    case("one_epoch_from_zeros", "gradient_descent, 1 epoch from w = 0, b = 0: one simultaneous update of w and b.",
         seed=2181, alpha=0.5, num_epochs=1, given=(), what="gradient_descent (1 epoch)"),
    case("two_epochs_from_w0", "gradient_descent, 2 epochs from a given w0 (b0 left at its default 0.0).",
         seed=2191, alpha=0.4, num_epochs=2, given=("w0",), what="gradient_descent (2 epochs, given w0)"),
    case("three_epochs_from_w0_and_b0", "gradient_descent, 3 epochs from a given w0 and b0.",
         seed=2201, alpha=0.3, num_epochs=3, given=("w0", "b0"), what="gradient_descent (3 epochs, given w0 and b0)"),
    case("b0_without_w0", "gradient_descent, 3 epochs from w0 = None (zeros) and a given b0: b starts at b0.",
         seed=2271, alpha=0.3, num_epochs=3, given=("b0",),
         what="gradient_descent (3 epochs, w0 = None and a given b0)"),
    case("ten_epochs", "gradient_descent, 10 epochs: the whole trajectory and its costs.",
         seed=2211, alpha=1.0, num_epochs=10, given=(), what="gradient_descent (10 epochs)"),
    case("when_the_cost_rises", "gradient_descent, 3 epochs from zeros with alpha so large that the cost rises: "
         "every update, the last w and b.",
         seed=2401, alpha=20.0, num_epochs=3, given=(), what="gradient_descent (3 epochs, alpha = 20: the cost rises)"),
)
def test_gradient_descent(hw, ref, seed: int, alpha: float, num_epochs: int, what: str, given: tuple):
    """gradient_descent from zeros or from the given initial parameters: the reference's trajectory."""
    X, t, w0, b0 = problem(seed)
    descent = Descent(X, t, ("w", "b"), ZEROS)
    expect_descent_like_reference(hw, ref, descent, alpha, num_epochs, given_start(descent, (w0, b0), given), what)


def test_gradient_descent_runs_every_epoch(hw, ref):
    """gradient_descent makes all 100 updates and records 100 costs, even after the cost has stopped changing."""
    X, t = overlapping_problem()
    expected = ref.gradient_descent(X, t, 4.0, LONG_RUN_EPOCHS)
    mistakes = partial(descent_mistakes, ref, X, t, 4.0, LONG_RUN_EPOCHS, np.zeros(D), 0.0)
    result = hw.gradient_descent(X, t, 4.0, LONG_RUN_EPOCHS)
    what = f"gradient_descent ({LONG_RUN_EPOCHS} epochs)"
    expect_every_epoch(result, LONG_RUN_EPOCHS, what)
    expect_descent_result(result, expected, DESCENT_NAMES, what, n_examples=len(t), mistakes=mistakes)


def test_gradient_descent_first_cost_is_the_initial_cost(hw, ref):
    """gradient_descent's costs has length num_epochs and costs[0] = J(w0, b0)."""
    X, t, w0, b0 = problem(2221)
    expected = ref.cost(X, t, w0, b0)
    after_first_update = ref.cost(X, t, *ref.gradient_descent(X, t, 0.5, 1, w0, b0)[:2])
    _, _, costs = expect_tuple(hw.gradient_descent(X, t, 0.5, 4, w0, b0), 3, "gradient_descent")
    costs = expect_array(costs, (4,), "costs from gradient_descent (4 epochs)")
    expect_first_cost(costs[0], expected, after_first_update,
                      "costs[0] (the cost of w0 and b0, before any update)")


def test_gradient_descent_zero_epochs_returns_w0_and_b0(hw, ref):
    """gradient_descent with num_epochs = 0 returns w0 and b0 (zeros when not given) and an empty costs."""
    X, t, w0, b0 = problem(2231)
    expected = (w0.copy(), b0, np.zeros(0))
    expect_descent_result(hw.gradient_descent(X, t, 0.5, 0, w0, b0), expected, DESCENT_NAMES,
                                  "gradient_descent (0 epochs, given w0 and b0)")
    expect_descent_result(hw.gradient_descent(X, t, 0.5, 0), (np.zeros(D), 0.0, np.zeros(0)),
                                  DESCENT_NAMES, "gradient_descent (0 epochs, w0 not given)")


def test_gradient_descent_float32_input(hw, ref):
    """gradient_descent works on float32 inputs (same result as in float64, to float32 precision)."""
    X, t, w0, b0 = problem(2241)
    expected = ref.gradient_descent(X, t, 0.5, 5, w0, b0)
    mistakes = partial(descent_mistakes, ref, X, t, 0.5, 5, w0, b0)
    result = hw.gradient_descent(*data.float32_copies(X, t), 0.5, 5, *data.float32_copies(w0), b0)
    expect_descent_result(result, expected, DESCENT_NAMES, "gradient_descent with float32 inputs",
                                  FLOAT32_RTOL, FLOAT32_ATOL, N, mistakes=mistakes)


def test_gradient_descent_does_not_modify_inputs(hw, ref):
    """gradient_descent leaves X, t and w0 unchanged."""
    X, t, w0, b0 = problem(2251)
    call_watching_inputs(hw, "gradient_descent", ("X", "t", "alpha", "num_epochs", "w0", "b0"),
                         X, t, 0.5, 3, w0, b0)


# --- predict ---------------------------------------------------------------------------


def test_predict_values(hw, ref):
    """predict returns 1 where X w + b >= 0 and 0 elsewhere, as integers of shape (N,)."""
    X, _, w, b = problem(2104)  # every score is at least 0.18 away from 0
    expected = ref.predict(X, w, b)
    labels = expect_array(hw.predict(X, w, b), (N,), "predict(X, w, b)", kind="int")
    expect_close(labels, expected, "predict(X, w, b)")


def test_predict_score_zero_gives_class_one(hw, ref):
    """predict gives class 1 where X w + b is exactly 0 (sigmoid(0) = 0.5 counts as 1)."""
    # Binary fractions, so every score is exact in any summation order: z = [0, 1.125, 0, -1].
    X = np.array([[1.0, 2.0], [4.0, 0.5], [2.0, 0.0], [-0.5, 1.0]])
    w, b = np.array([0.5, 0.25]), -1.0
    expected = ref.predict(X, w, b)
    labels = expect_array(hw.predict(X, w, b), (4,), "predict(X, w, b)", kind="int")
    expect_close(labels, expected, "predict for scores z = [0, 1.125, 0, -1]",
                 hint="z = 0 gives y = 0.5, which is class 1: compare with >=, not >")


def test_predict_bias_changes_the_prediction(hw, ref):
    """predict uses b: with b = 0.5, three of these examples change class (every score is 0.07 or more from 0)."""
    X, _ = data.binary(seed=2411, n=N, d=D)
    w, b = data.parameters(2412, D, scale=1.0), 0.5
    expected = ref.predict(X, w, b)
    labels = expect_array(hw.predict(X, w, b), (N,), "predict(X, w, b)", kind="int")
    expect_close(labels, expected, "predict(X, w, b) for b = 0.5", hint="z = X w + b: add the bias before comparing")


def test_predict_float32_input(hw, ref):
    """predict works on float32 inputs."""
    X, _, w, b = problem(2107)  # every score is at least 0.18 away from 0
    expected = ref.predict(X, w, b)
    labels = expect_array(hw.predict(*data.float32_copies(X, w), b), (N,), "predict with float32 inputs", kind="int")
    expect_close(labels, expected, "predict with float32 inputs")


def test_predict_does_not_modify_inputs(hw, ref):
    """predict leaves X and w unchanged."""
    X, _, w, b = problem(2261)
    call_watching_inputs(hw, "predict", ("X", "w", "b"), X, w, b)
