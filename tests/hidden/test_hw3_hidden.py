"""Hidden checks for homework 3 (softmax regression): compared with the reference solution.

Inputs differ from the public checks (other seeds, N=7 examples, D=3 features, K=4
classes). Each check covers one clause of the docstrings in
solutions/hw3_softmax_regression.py. Every check computes the reference's answer before
calling the student's function, so a function that modifies its inputs cannot change the
expected value.
"""

from functools import partial

import numpy as np

from checklib import data
from checklib.checks import case, cases
from checklib.descent import Descent, expect_descent_result, expect_every_epoch, expect_result_like
from checklib.expect import (
    ATOL,
    FLOAT32_ATOL,
    FLOAT32_RTOL,
    RTOL,
    expect_array,
    expect_close,
    expect_finite,
    expect_float,
    expect_tensor,
    expect_tuple,
)
from checklib.reference_checks import (
    call_watching_inputs,
    descent_mistakes,
    expect_descent_like_reference,
    expect_first_cost,
    given_start,
    train_torch_mistakes,
)

ASSIGNMENT = "hw3"

N, D, K = 7, 3, 4
GRADIENT_NAMES = ("dW", "db")
DESCENT_NAMES = ("W", "b", "costs")
MAX_SUBTRACTION_HINT = "subtract each row's maximum from the logits before exponentiating"
LOG_SOFTMAX_HINT = ("log(softmax(Z)) is log(0) for large logits: compute log P as "
                    "Z - max - log(sum(exp(Z - max))) (in torch: torch.log_softmax)")
CLASSES_HINT = "K is num_classes (or W.shape[1]), whatever labels occur in t: one_hot(t, W.shape[1])"
NO_GRAD_HINT = ("is None after loss.backward(): build the cost from W and b with torch operations only "
                "(no .item(), no .numpy(), no torch.tensor(...) around the result)")
# Enough epochs that the cost stops changing (by less than 1e-14 from epoch 220 on, with
# alpha = 1 on overlapping_problem) long before the last one: a loop that stops early makes
# fewer updates.
LONG_RUN_EPOCHS = 100  # the cost stops changing (to 1e-12) after about 40

ZEROS = (np.zeros((D, K)), np.zeros(K))  # where gradient descent starts when no initial parameter is given


def labels_missing_the_top_class(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(X, t): K=4 classes of which 1 and 3 (the top one) do not occur in t."""
    X, _ = data.multiclass(seed=seed, n=N, d=D, k=K)
    return X, np.array([0, 2, 0, 0, 2, 2, 0])


def problem(seed: int = 3101) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, t, W, b): fresh arrays for one check; t holds int labels 0..K-1."""
    X, t = data.multiclass(seed=seed, n=N, d=D, k=K)
    return X, t, data.parameters(seed + 1, D, K, scale=1.0), data.parameters(seed + 2, K)


def overlapping_problem() -> tuple[np.ndarray, np.ndarray]:
    """(X (24, D), t): K classes that overlap (labels drawn with much noise), so the cost has a
    finite minimum, which gradient descent reaches to rounding within LONG_RUN_EPOCHS epochs."""
    rng = np.random.default_rng(3380)
    X = rng.normal(size=(24, D))
    t = np.argmax(X @ rng.normal(size=(D, K)) + 3.0 * rng.gumbel(size=(24, K)), axis=1)
    return X, t


def large_logit_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, t, W, b) with logits up to 7510 in magnitude. In rows 1, 2 and 4 the true class
    is thousands below the best one, so P[i, t_i] underflows to 0 and log P must come from Z."""
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5], [0.5, -1.0]])
    W = 5e3 * np.array([[1.0, -1.0, 0.5, 0.0], [0.0, 1.0, -1.0, 0.5]])
    return X, np.array([0, 3, 2, 1, 0]), W, np.array([0.0, 0.0, 0.0, 10.0])


def large_logits() -> np.ndarray:
    """Logits of magnitude 1e4, including a row where every exp(Z) underflows."""
    return np.array([[1e4, 0.0, -1e4, 5e3], [-1e4, -1e4, -1e4, -1e4], [1e4, 1e4 - 1.0, 0.0, -5e3]])


# --- softmax ---------------------------------------------------------------------------


def test_softmax_values(hw, ref):
    """softmax of each row of Z: shape (N, K), each row non-negative and summing to 1."""
    Z = data.parameters(3111, 5, K, scale=2.0)
    expected = ref.softmax(Z)
    expect_close(expect_array(hw.softmax(Z), (5, K), "softmax(Z)"), expected, "softmax(Z)",
                 hint="softmax normalizes each row: sum over axis=1")


def test_softmax_large_logits_stay_finite(hw, ref):
    """softmax stays finite (no nan, no inf) for logits of magnitude 1e4."""
    Z = large_logits()
    expected = ref.softmax(Z)
    what = "softmax(Z) for logits of magnitude 1e4"
    P = expect_array(hw.softmax(Z), Z.shape, what)
    expect_finite(P, what, MAX_SUBTRACTION_HINT)
    expect_close(P, expected, what)


def test_softmax_float32_input(hw, ref):
    """softmax works on float32 input (same values as in float64, to float32 precision)."""
    Z = data.parameters(3121, 5, K, scale=3.0)
    expected = ref.softmax(Z)
    P = expect_array(hw.softmax(Z.astype(np.float32)), (5, K), "softmax(Z) for float32 Z")
    expect_close(P, expected, "softmax(Z) for float32 Z", FLOAT32_RTOL, FLOAT32_ATOL)


def test_softmax_does_not_modify_its_input(hw, ref):
    """softmax leaves Z unchanged."""
    call_watching_inputs(hw, "softmax", ("Z",), large_logits())


# --- one_hot ---------------------------------------------------------------------------


def test_one_hot_values(hw, ref):
    """one_hot gives a float (N, K) array with T[i, t[i]] = 1 and 0 elsewhere."""
    t = np.array([2, 0, 3, 1, 0, 3, 2])
    expected = ref.one_hot(t, K)
    T = expect_array(hw.one_hot(t, K), (N, K), "one_hot(t, 4)")
    expect_close(T, expected, f"one_hot(t, 4) for t = {t.tolist()}")


def test_one_hot_labels_start_at_zero(hw, ref):
    """one_hot puts label 0 in column 0 and label K-1 in the last column."""
    t = np.array([0, 4, 0, 2])
    expected = ref.one_hot(t, 5)
    T = expect_array(hw.one_hot(t, 5), (4, 5), "one_hot(t, 5)")
    expect_close(T, expected, f"one_hot(t, 5) for t = {t.tolist()}",
                 hint="labels start at 0: label c goes in column c (not c - 1)")


def test_one_hot_has_num_classes_columns(hw, ref):
    """one_hot has num_classes columns even when the largest classes do not occur in t."""
    t = np.array([1, 0, 2, 1, 0])
    expected = ref.one_hot(t, 6)
    T = expect_array(hw.one_hot(t, 6), (5, 6), "one_hot(t, 6) for labels 0..2 only")
    expect_close(T, expected, "one_hot(t, 6)")


def test_one_hot_when_label_0_is_absent(hw, ref):
    """one_hot puts each label t[i] in column t[i] even when no label is 0."""
    t = np.array([3, 1, 2, 3, 1])
    expected = ref.one_hot(t, K)
    T = expect_array(hw.one_hot(t, K), (5, K), "one_hot(t, 4) for labels 1..3 only")
    expect_close(T, expected, f"one_hot(t, 4) for t = {t.tolist()}",
                 hint="label c goes in column c, whatever the smallest label in t is")


def test_one_hot_does_not_modify_its_input(hw, ref):
    """one_hot leaves t unchanged."""
    call_watching_inputs(hw, "one_hot", ("t", "num_classes"), np.array([2, 1, 3, 1, 2]), K)


# --- predict_proba ---------------------------------------------------------------------


def test_predict_proba_values(hw, ref):
    """predict_proba returns softmax(X W + b), shape (N, K)."""
    X, _, W, b = problem()
    expected = ref.predict_proba(X, W, b)
    P = expect_array(hw.predict_proba(X, W, b), (N, K), "predict_proba(X, W, b)")
    expect_close(P, expected, "predict_proba(X, W, b)")


def test_predict_proba_float32_input(hw, ref):
    """predict_proba works on float32 inputs (same values as in float64, to float32 precision)."""
    X, _, W, b = problem(3131)
    expected = ref.predict_proba(X, W, b)
    P = expect_array(hw.predict_proba(*data.float32_copies(X, W, b)), (N, K), "predict_proba with float32 inputs")
    expect_close(P, expected, "predict_proba with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL)


def test_predict_proba_does_not_modify_inputs(hw, ref):
    """predict_proba leaves X, W and b unchanged."""
    X, _, W, b = problem(3371)
    call_watching_inputs(hw, "predict_proba", ("X", "W", "b"), X, W, b)


# --- cost ------------------------------------------------------------------------------


def test_cost_value(hw, ref):
    """cost is the average of -log P[i, t_i] over the N examples, as a float."""
    X, t, W, b = problem()
    expected = ref.cost(X, t, W, b)
    J = expect_float(hw.cost(X, t, W, b), "cost(X, t, W, b)")
    expect_close(J, expected, "cost(X, t, W, b)", n_examples=N,
                 hint="the cost uses the probability of the true class t_i (labels start at 0)")


def test_cost_large_logits_stay_exact(hw, ref):
    """cost stays finite and exact for logits of magnitude up to 1e4."""
    X, t, W, b = large_logit_problem()
    expected = ref.cost(X, t, W, b)
    J = expect_float(hw.cost(X, t, W, b), "cost(X, t, W, b) for large logits")
    expect_finite(J, "cost for logits up to 7510", LOG_SOFTMAX_HINT)
    expect_close(J, expected, "cost for logits up to 7510", n_examples=5,
                 hint="pick log P[i, t_i] for the true class t_i (labels start at 0), with log P computed from "
                      "the logits minus their row maximum")


def test_cost_float32_input(hw, ref):
    """cost works on float32 inputs (same value as in float64, to float32 precision)."""
    X, t, W, b = problem(3151)
    expected = ref.cost(X, t, W, b)
    J = expect_float(hw.cost(*data.float32_copies(X), t, *data.float32_copies(W, b)), "cost with float32 inputs")
    expect_close(J, expected, "cost with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, N)


def test_cost_does_not_modify_inputs(hw, ref):
    """cost leaves X, t, W and b unchanged."""
    X, t, W, b = problem(3161)
    call_watching_inputs(hw, "cost", ("X", "t", "W", "b"), X, t, W, b)


# --- gradient --------------------------------------------------------------------------


def test_gradient_values(hw, ref):
    """gradient returns (dW, db) = (X^T (P - T) / N, mean(P - T, axis=0)) of shapes (D, K) and (K,)."""
    X, t, W, b = problem()
    expected = ref.gradient(X, t, W, b)
    expect_result_like(hw.gradient(X, t, W, b), expected, GRADIENT_NAMES, "gradient(X, t, W, b)",
                              n_examples=N)


def test_gradient_labels_missing_the_top_class(hw, ref):
    """gradient when classes 1 and 3 (the top one) do not occur in t: K is W's columns, not what the labels show."""
    X, t = labels_missing_the_top_class(3421)
    W, b = data.parameters(3422, D, K), data.parameters(3423, K)
    expected = ref.gradient(X, t, W, b)
    expect_result_like(hw.gradient(X, t, W, b), expected, GRADIENT_NAMES, "gradient(X, t, W, b) for labels 0 and 2",
                       n_examples=N, hints={"dW": CLASSES_HINT, "db": CLASSES_HINT})


def test_gradient_float32_input(hw, ref):
    """gradient works on float32 inputs (same values as in float64, to float32 precision)."""
    X, t, W, b = problem(3171)
    expected = ref.gradient(X, t, W, b)
    expect_result_like(hw.gradient(*data.float32_copies(X), t, *data.float32_copies(W, b)), expected,
                              GRADIENT_NAMES, "gradient with float32 inputs", FLOAT32_RTOL, FLOAT32_ATOL, N)


def test_gradient_does_not_modify_inputs(hw, ref):
    """gradient leaves X, t, W and b unchanged."""
    X, t, W, b = problem(3181)
    call_watching_inputs(hw, "gradient", ("X", "t", "W", "b"), X, t, W, b)


# --- gradient_descent ------------------------------------------------------------------


@cases(
    case("one_epoch_from_zeros", "gradient_descent, 1 epoch from W = 0, b = 0: one simultaneous update of W and b.",
         seed=3191, alpha=0.5, num_epochs=1, given=(), missing_top_class=False,
         what="gradient_descent (1 epoch)"),
    case("two_epochs_from_W0", "gradient_descent, 2 epochs from a given W0 (b0 = None: zeros).",
         seed=3201, alpha=0.4, num_epochs=2, given=("W0",), missing_top_class=False,
         what="gradient_descent (2 epochs, given W0)"),
    case("three_epochs_from_W0_and_b0", "gradient_descent, 3 epochs from a given W0 and b0.",
         seed=3211, alpha=0.3, num_epochs=3, given=("W0", "b0"), missing_top_class=False,
         what="gradient_descent (3 epochs, given W0 and b0)"),
    case("b0_without_W0", "gradient_descent, 3 epochs from W0 = None (zeros) and a given b0: b starts at b0.",
         seed=3271, alpha=0.3, num_epochs=3, given=("b0",), missing_top_class=False,
         what="gradient_descent (3 epochs, W0 = None and a given b0)"),
    case("ten_epochs", "gradient_descent, 10 epochs: the whole trajectory and its costs.",
         seed=3221, alpha=0.5, num_epochs=10, given=(), missing_top_class=False,
         what="gradient_descent (10 epochs)"),
    case("labels_missing_the_top_class", "gradient_descent, 3 epochs from zeros when classes 1 and 3 (the top one) "
         "do not occur: W and b have K columns.",
         seed=3431, alpha=0.5, num_epochs=3, given=(), missing_top_class=True,
         what="gradient_descent (3 epochs, labels 0 and 2 of K = 4)"),
    case("when_the_cost_rises", "gradient_descent, 3 epochs from zeros with alpha so large that the cost rises: "
         "every update, the last W and b.",
         seed=3401, alpha=10.0, num_epochs=3, given=(), missing_top_class=False,
         what="gradient_descent (3 epochs, alpha = 10: the cost rises)"),
)
def test_gradient_descent(hw, ref, seed: int, alpha: float, num_epochs: int, what: str, given: tuple,
                          missing_top_class: bool):
    """gradient_descent from zeros or from the given initial parameters: the reference's trajectory."""
    X, t, W0, b0 = problem(seed)
    if missing_top_class:
        X, t = labels_missing_the_top_class(seed)
    descent = Descent(X, t, ("W", "b"), ZEROS, before_alpha=(K,))
    expect_descent_like_reference(hw, ref, descent, alpha, num_epochs, given_start(descent, (W0, b0), given), what)


def test_gradient_descent_runs_every_epoch(hw, ref):
    """gradient_descent makes all 100 updates and records 100 costs, even after the cost has stopped changing."""
    X, t = overlapping_problem()
    expected = ref.gradient_descent(X, t, K, 4.0, LONG_RUN_EPOCHS)
    mistakes = partial(descent_mistakes, ref, X, t, 4.0, LONG_RUN_EPOCHS, np.zeros((D, K)), np.zeros(K))
    result = hw.gradient_descent(X, t, K, 4.0, LONG_RUN_EPOCHS)
    what = f"gradient_descent ({LONG_RUN_EPOCHS} epochs)"
    expect_every_epoch(result, LONG_RUN_EPOCHS, what)
    expect_descent_result(result, expected, DESCENT_NAMES, what, n_examples=len(t), mistakes=mistakes)


def test_gradient_descent_first_cost_is_the_initial_cost(hw, ref):
    """gradient_descent's costs has length num_epochs and costs[0] = J(W0, b0)."""
    X, t, W0, b0 = problem(3231)
    expected = ref.cost(X, t, W0, b0)
    after_first_update = ref.cost(X, t, *ref.gradient_descent(X, t, K, 0.5, 1, W0, b0)[:2])
    _, _, costs = expect_tuple(hw.gradient_descent(X, t, K, 0.5, 4, W0, b0), 3, "gradient_descent")
    costs = expect_array(costs, (4,), "costs from gradient_descent (4 epochs)")
    expect_first_cost(costs[0], expected, after_first_update,
                      "costs[0] (the cost of W0 and b0, before any update)")


def test_gradient_descent_zero_epochs_returns_W0_and_b0(hw, ref):
    """gradient_descent with num_epochs = 0 returns W0 and b0 (zeros when not given) and an empty costs."""
    X, t, W0, b0 = problem(3241)
    expected = (W0.copy(), b0.copy(), np.zeros(0))
    expect_descent_result(hw.gradient_descent(X, t, K, 0.5, 0, W0, b0), expected, DESCENT_NAMES,
                                  "gradient_descent (0 epochs, given W0 and b0)")
    expect_descent_result(hw.gradient_descent(X, t, K, 0.5, 0), (np.zeros((D, K)), np.zeros(K), np.zeros(0)),
                                  DESCENT_NAMES, "gradient_descent (0 epochs, W0 and b0 not given)")


def test_gradient_descent_float32_input(hw, ref):
    """gradient_descent works on float32 inputs (same result as in float64, to float32 precision)."""
    X, t, W0, b0 = problem(3251)
    expected = ref.gradient_descent(X, t, K, 0.5, 5, W0, b0)
    mistakes = partial(descent_mistakes, ref, X, t, 0.5, 5, W0, b0)
    result = hw.gradient_descent(*data.float32_copies(X), t, K, 0.5, 5, *data.float32_copies(W0, b0))
    expect_descent_result(result, expected, DESCENT_NAMES, "gradient_descent with float32 inputs",
                                  FLOAT32_RTOL, FLOAT32_ATOL, N, mistakes=mistakes)


def test_gradient_descent_does_not_modify_inputs(hw, ref):
    """gradient_descent leaves X, t, W0 and b0 unchanged."""
    X, t, W0, b0 = problem(3261)
    call_watching_inputs(hw, "gradient_descent",
                         ("X", "t", "num_classes", "alpha", "num_epochs", "W0", "b0"),
                         X, t, K, 0.5, 3, W0, b0)


# --- predict ---------------------------------------------------------------------------


def test_predict_values(hw, ref):
    """predict returns the most probable class of each example, as integers of shape (N,)."""
    X, _, W, b = problem(3103)  # the best logit leads the second one by at least 0.4
    expected = ref.predict(X, W, b)
    labels = expect_array(hw.predict(X, W, b), (N,), "predict(X, W, b)", kind="int")
    expect_close(labels, expected, "predict(X, W, b)", hint="labels are column indices of X W + b, starting at 0")


def test_predict_bias_changes_the_prediction(hw, ref):
    """predict uses b: with this b, the first example changes class (the best logit leads by 0.5 or more)."""
    X, _ = data.multiclass(seed=3411, n=N, d=D, k=K)
    W, b = data.parameters(3412, D, K, scale=1.0), data.parameters(3413, K, scale=2.0)
    expected = ref.predict(X, W, b)
    labels = expect_array(hw.predict(X, W, b), (N,), "predict(X, W, b)", kind="int")
    expect_close(labels, expected, "predict(X, W, b)", hint="the logits are X W + b: add the bias before the argmax")


def test_predict_float32_input(hw, ref):
    """predict works on float32 inputs."""
    X, _, W, b = problem(3109)  # the best logit leads the second one by at least 0.9
    expected = ref.predict(X, W, b)
    labels = expect_array(hw.predict(*data.float32_copies(X, W, b)), (N,), "predict with float32 inputs", kind="int")
    expect_close(labels, expected, "predict with float32 inputs")


def test_predict_does_not_modify_inputs(hw, ref):
    """predict leaves X, W and b unchanged."""
    X, _, W, b = problem(3381)
    call_watching_inputs(hw, "predict", ("X", "W", "b"), X, W, b)


# --- torch_cost ------------------------------------------------------------------------


def test_torch_cost_value(hw, ref):
    """torch_cost returns a 0-d torch.Tensor equal to the cost J."""
    X, t, W, b = problem(3281)
    expected = ref.cost(X, t, W, b)
    J = expect_tensor(hw.call_torch("torch_cost", X, t, W, b), (), "torch_cost(X, t, W, b)")
    expect_close(J, expected, "torch_cost(X, t, W, b)", n_examples=N)


def test_torch_cost_autograd_gives_the_gradient(hw, ref):
    """backward() on torch_cost fills W.grad and b.grad with dJ/dW and dJ/db."""
    X, t, W, b = problem(3291)
    expected_dW, expected_db = ref.gradient(X, t, W, b)
    value, (grad_W, grad_b) = hw.call_torch("torch_cost", X, t, W, b, requires_grad=(2, 3))
    expect_tensor(value, (), "torch_cost(X, t, W, b)")
    assert grad_W is not None, f"W.grad {NO_GRAD_HINT}"
    assert grad_b is not None, f"b.grad {NO_GRAD_HINT}"
    expect_close(expect_tensor(grad_W, (D, K), "W.grad"), expected_dW, "W.grad after backward()", n_examples=N)
    expect_close(expect_tensor(grad_b, (K,), "b.grad"), expected_db, "b.grad after backward()", n_examples=N)


def test_torch_cost_large_logits_stay_exact(hw, ref):
    """torch_cost and its gradient stay finite and exact for logits of magnitude up to 1e4."""
    X, t, W, b = large_logit_problem()
    expected, expected_dW = ref.cost(X, t, W, b), ref.gradient(X, t, W, b)[0]
    value, (grad_W, _) = hw.call_torch("torch_cost", X, t, W, b, requires_grad=(2, 3))
    J = expect_tensor(value, (), "torch_cost(X, t, W, b) for large logits")
    expect_finite(J, "torch_cost for logits up to 7510", LOG_SOFTMAX_HINT)
    expect_close(J, expected, "torch_cost for logits up to 7510", n_examples=5, hint=LOG_SOFTMAX_HINT)
    assert grad_W is not None, f"W.grad {NO_GRAD_HINT}"
    expect_close(expect_tensor(grad_W, W.shape, "W.grad"), expected_dW, "W.grad for logits up to 7510",
                 hint=LOG_SOFTMAX_HINT)


def test_torch_cost_float32_input(hw, ref):
    """torch_cost works on float32 tensors (same value as in float64, to float32 precision)."""
    X, t, W, b = problem(3301)
    expected = ref.cost(X, t, W, b)
    J = expect_tensor(hw.call_torch("torch_cost", *data.float32_copies(X), t, *data.float32_copies(W, b)), (),
                      "torch_cost with float32 tensors")
    expect_close(J, expected, "torch_cost with float32 tensors", FLOAT32_RTOL, FLOAT32_ATOL, N)


# --- train_torch -----------------------------------------------------------------------


def expect_train_torch(hw, ref, what: str, X, t, alpha: float, num_epochs: int, rtol: float = RTOL,
                       atol: float = ATOL) -> tuple:
    """hw.train_torch(X, t, K, alpha, num_epochs) must equal the reference's gradient descent from
    zeros (computed on float64 X), and a classic mistake is named when it is what the student's
    result equals; returns the student's result."""
    X64 = np.asarray(X, dtype=np.float64)
    expected = ref.gradient_descent(X64, t, K, alpha, num_epochs)
    mistakes = partial(train_torch_mistakes, ref, X64, t, alpha, num_epochs, np.zeros((D, K)), np.zeros(K))
    result = hw.train_torch(X, t, K, alpha, num_epochs)
    expect_descent_result(result, expected, DESCENT_NAMES, what, rtol, atol, len(t), mistakes=mistakes)
    return result


def test_train_torch_one_epoch(hw, ref):
    """train_torch, 1 epoch on float64 X: float64 NumPy arrays W, b and costs equal to gradient_descent's."""
    X, t, _, _ = problem(3311)
    result = expect_train_torch(hw, ref, "train_torch (1 epoch)", X, t, 0.5, 1)
    for name, value in zip(("W", "b"), result[:2], strict=True):
        assert value.dtype == np.float64, (
            f"{name} from train_torch has dtype {value.dtype} for float64 X: work in X's dtype "
            "(torch.from_numpy(X) keeps float64; torch.zeros(..., dtype=X.dtype) for W and b)")


@cases(
    case("three_epochs", "train_torch, 3 epochs: the same result as gradient_descent (gradients reset each epoch).",
         seed=3321, alpha=0.4, num_epochs=3, missing_top_class=False, what="train_torch (3 epochs)"),
    case("ten_epochs", "train_torch, 10 epochs: the same trajectory and costs as gradient_descent.",
         seed=3331, alpha=0.5, num_epochs=10, missing_top_class=False, what="train_torch (10 epochs)"),
    case("labels_missing_the_top_class", "train_torch, 3 epochs when classes 1 and 3 (the top one) do not occur: "
         "W and b have num_classes columns.",
         seed=3441, alpha=0.5, num_epochs=3, missing_top_class=True,
         what="train_torch (3 epochs, labels 0 and 2 of K = 4)"),
)
def test_train_torch(hw, ref, seed: int, alpha: float, num_epochs: int, what: str, missing_top_class: bool):
    """train_torch from zeros: gradient_descent's trajectory and costs."""
    X, t = labels_missing_the_top_class(seed) if missing_top_class else problem(seed)[:2]
    expect_train_torch(hw, ref, what, X, t, alpha, num_epochs)


def test_train_torch_zero_epochs(hw, ref):
    """train_torch with num_epochs = 0 returns zeros and an empty costs, as ndarrays."""
    X, t, _, _ = problem(3341)
    expect_descent_result(hw.train_torch(X, t, K, 0.5, 0), (np.zeros((D, K)), np.zeros(K), np.zeros(0)),
                                  DESCENT_NAMES, "train_torch (0 epochs)")


def test_train_torch_float32_input(hw, ref):
    """train_torch works on float32 inputs (same result as in float64, to float32 precision)."""
    X, t, _, _ = problem(3351)
    expect_train_torch(hw, ref, "train_torch with float32 inputs", data.float32_copies(X)[0], t, 0.5, 4,
                       FLOAT32_RTOL, FLOAT32_ATOL)
