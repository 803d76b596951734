"""Public checks for homework 3 (softmax regression): run them with `pytest` or `make check`.

Each test is named test_<function>_<what it checks>. The grader runs these and more
(hidden) checks of the same kind on other data. No check here knows the answers in
advance except for tiny examples you can work out by hand: the others check properties,
such as your gradient against finite differences of your own cost, and your gradient
descent against your own gradient. Every call also checks that your function leaves its
array arguments unchanged. Several checks use labels in which some classes, the last one
included, do not occur: K is num_classes (or W's columns), never what the labels show.
"""

import numpy as np

from checklib import data
from checklib.descent import (
    COSTS_AFTER_UPDATE_HINT,
    NO_ZERO_GRAD_HINT,
    Descent,
    Mistake,
    expect_descent_result,
    expect_each_initial_parameter_alone,
    expect_every_epoch_after_convergence,
    expect_float32_like_float64,
    expect_follows_your_gradient,
    expect_zero_epochs,
    trajectory,
)
from checklib.expect import (
    FLOAT32_ATOL,
    FLOAT32_RTOL,
    expect_array,
    expect_close,
    expect_finite,
    expect_float,
    expect_gradient_matches_cost,
    expect_tensor,
    expect_tuple,
    is_close,
)
from checklib.inputs import watching_inputs

ASSIGNMENT = "hw3"
# Every function's arguments, for the messages about a modified input.
PARAMETERS = {
    "softmax": ("Z",),
    "one_hot": ("t", "num_classes"),
    "predict_proba": ("X", "W", "b"),
    "cost": ("X", "t", "W", "b"),
    "gradient": ("X", "t", "W", "b"),
    "gradient_descent": ("X", "t", "num_classes", "alpha", "num_epochs", "W0", "b0"),
    "predict": ("X", "W", "b"),
    "train_torch": ("X", "t", "num_classes", "alpha", "num_epochs"),
}
LN2, LN5 = float(np.log(2.0)), float(np.log(5.0))
MISSING_BIAS = "your values are what X W without b gives: add the bias b to every row of logits"
# Computed in float64, these small examples come out exact to rounding (about 1e-16). The gradient
# X^T (P - T) / N subtracts nearly equal numbers, so it needs every digit of P: float32 (7 digits) is not enough.
FLOAT64_RTOL = 1e-12
FLOAT64_HINT = "compute in Z's dtype (float64 here): float32 arithmetic keeps only 7 digits"
LABELS_FROM_ZERO = "labels start at 0: the true class of example i is column t[i] (not t[i] - 1)"


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, t, W, b), a tiny example you can check by hand (N=4, D=2, K=3; class 2 is not in t).

    The rows of Z = X W + b are [0, ln 2, ln 5], [ln 5, ln 2, 0], [ln 2, ln 5, 0] and
    [ln 10, ln 5, -ln 5], so the rows of P = softmax(Z) are [1, 2, 5] / 8, [5, 2, 1] / 8,
    [2, 5, 1] / 8 and [50, 25, 1] / 76. A function, so that every test gets its own fresh arrays.
    """
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array([[LN5, 0.0, -LN5], [LN2, LN5 - LN2, -LN5]])
    return X, np.array([1, 0, 1, 0]), W, np.array([0.0, LN2, LN5])


SMALL_P = np.array([[1 / 8, 2 / 8, 5 / 8], [5 / 8, 2 / 8, 1 / 8], [2 / 8, 5 / 8, 1 / 8], [50 / 76, 25 / 76, 1 / 76]])
# softmax(X W), without b: the rows of X W are [0, 0, 0], [ln 5, 0, -ln 5], [ln 2, ln 5 - ln 2, -ln 5] and
# [ln 10, ln 5 - ln 2, -2 ln 5].
SMALL_P_WITHOUT_BIAS = np.array([[1 / 3, 1 / 3, 1 / 3], [25 / 31, 5 / 31, 1 / 31], [20 / 47, 25 / 47, 2 / 47],
                                 [500 / 627, 125 / 627, 2 / 627]])
SMALL_COST = -(np.log(2 / 8) + np.log(5 / 8) + np.log(5 / 8) + np.log(50 / 76)) / 4  # -log P[i, t_i], t = [1, 0, 1, 0]
# ... and what taking P[i, t_i - 1] gives (labels read as 1..K: label 0 becomes the last column).
SMALL_COST_LABELS_FROM_ONE = -(np.log(1 / 8) + np.log(1 / 8) + np.log(2 / 8) + np.log(1 / 76)) / 4


def large_logit_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, t, W, b) whose logits Z = X W + b have rows [1e4, -1e4, 0], [0, 0, 0] and [-1e4, 1e4, 1e4], t = [1, 2, 2].

    Example 0's true class is 2e4 below the best one: its loss is exactly 2e4 (P[0, 1] underflows
    to 0, so log P must come from Z). The losses are 2e4, log 3 and log 2, and P - T has rows
    [1, -1, 0], [1/3, 1/3, -2/3] and [0, 1/2, -1/2].
    """
    X = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    W = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]])
    return X, np.array([1, 2, 2]), W, np.zeros(3)


LARGE_COST = (2e4 + np.log(6.0)) / 3
LARGE_DW, LARGE_DB = np.array([[1 / 3, -1 / 3, 0.0], [0.0, 1 / 6, -1 / 6]]), np.array([4 / 9, -1 / 18, -7 / 18])
LOG_SOFTMAX_HINT = ("log(softmax(Z)) is log(0) for large logits: compute log P as Z - max - log(sum(exp(Z - max))) "
                    "(in torch: torch.log_softmax)")


def labels_missing_top_class() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, t, W, b): N=6, D=2, K=3, with labels 0 and 1 only (class 2, the last one, does not occur)."""
    X = data.parameters(4, 6, 2, scale=1.5)
    return X, np.array([0, 1, 1, 0, 1, 0]), data.parameters(5, 2, 3), data.parameters(6, 3)


def descent_problem() -> Descent:
    """K = 4 classes, of which only 0 and 2 occur in t: W has 4 columns all the same."""
    X = data.parameters(7, 8, 2, scale=1.5)
    return Descent(X, np.array([0, 2, 2, 0, 2, 0, 0, 2]), ("W", "b"), (np.zeros((2, 4)), np.zeros(4)),
                   before_alpha=(4,))


def given_start() -> tuple[np.ndarray, np.ndarray]:
    return data.parameters(8, 2, 4), data.parameters(9, 4)


# --- softmax ---------------------------------------------------------------------------


def test_softmax_small_example(hw):
    """softmax of each row: [0, ln 2, ln 5] gives [1, 2, 5] / 8 and equal logits give 1/3 each."""
    Z = np.array([[0.0, LN2, LN5], [1.0, 1.0, 1.0]])
    P = expect_array(watching_inputs(hw, PARAMETERS).softmax(Z), (2, 3), "softmax(Z)")
    expected = [[1 / 8, 2 / 8, 5 / 8], [1 / 3, 1 / 3, 1 / 3]]
    expect_close(P, expected, "softmax(Z)", rtol=FLOAT64_RTOL, hint=FLOAT64_HINT if is_close(P, expected, 1e-6) else
                 "softmax normalizes each row: take the maximum and the sum over axis=1, keepdims=True")


def test_softmax_large_logits(hw):
    """softmax stays finite (no nan, no inf) and exact for logits of magnitude 1e4 (subtract each row's maximum)."""
    Z = np.array([[1e4, 0.0, -1e4, 5e3], [-1e4, -1e4, -1e4, -1e4], [1e4, 1e4 - 1.0, 0.0, -5e3]])
    P = expect_array(watching_inputs(hw, PARAMETERS).softmax(Z), (3, 4), "softmax(Z)")
    what = "softmax(Z) for logits of magnitude 1e4"
    expect_finite(P, what, "subtract each row's maximum before exponentiating")
    expect_close(P, [[1, 0, 0, 0], [0.25] * 4, [np.e / (1 + np.e), 1 / (1 + np.e), 0, 0]], what)


def test_softmax_works_in_float32(hw):
    """softmax works on float32 Z (the same values, to float32 precision)."""
    Z = np.array([[0.0, LN2, LN5], [1.0, 1.0, 1.0]], dtype=np.float32)
    P = expect_array(watching_inputs(hw, PARAMETERS).softmax(Z), (2, 3), "softmax(Z) for float32 Z")
    expect_close(P, [[1 / 8, 2 / 8, 5 / 8], [1 / 3, 1 / 3, 1 / 3]], "softmax(Z) for float32 Z", FLOAT32_RTOL,
                 FLOAT32_ATOL)


# --- one_hot ---------------------------------------------------------------------------


def test_one_hot_small_example(hw):
    """one_hot([2, 0, 1, 0], 3) has a 1.0 in column t[i] of row i (labels start at 0)."""
    T = expect_array(watching_inputs(hw, PARAMETERS).one_hot(np.array([2, 0, 1, 0]), 3), (4, 3), "one_hot(t, 3)")
    expected = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
    expect_close(T, expected, "one_hot([2, 0, 1, 0], 3)", mistakes={LABELS_FROM_ZERO: np.roll(expected, -1, axis=1)})


def test_one_hot_classes_missing_from_t(hw):
    """one_hot([2, 1, 2], 5) has 5 columns: classes 0, 3 and 4 do not occur in t, label c is still column c."""
    T = expect_array(watching_inputs(hw, PARAMETERS).one_hot(np.array([2, 1, 2]), 5), (3, 5),
                     "one_hot([2, 1, 2], 5) (num_classes columns, whatever labels occur)")
    expect_close(T, [[0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0]], "one_hot([2, 1, 2], 5)",
                 hint="label c goes in column c, whatever the smallest and largest labels in t are")


# --- predict_proba ---------------------------------------------------------------------


def test_predict_proba_small_example(hw):
    """predict_proba gives softmax(X W + b), shape (N, K)."""
    X, _, W, b = small_example()
    P = expect_array(watching_inputs(hw, PARAMETERS).predict_proba(X, W, b), (4, 3), "predict_proba(X, W, b)")
    expect_close(P, SMALL_P, "predict_proba(X, W, b)", rtol=FLOAT64_RTOL, mistakes={MISSING_BIAS: SMALL_P_WITHOUT_BIAS},
                 hint=FLOAT64_HINT if is_close(P, SMALL_P, 1e-6) else "")


def test_predict_proba_works_in_float32(hw):
    """predict_proba works on float32 X, W and b (the same values, to float32 precision)."""
    X, _, W, b = small_example()
    P = expect_array(watching_inputs(hw, PARAMETERS).predict_proba(*data.float32_copies(X, W, b)), (4, 3),
                     "predict_proba for float32 inputs")
    expect_close(P, SMALL_P, "predict_proba for float32 X, W and b", FLOAT32_RTOL, FLOAT32_ATOL)


# --- cost ------------------------------------------------------------------------------


def test_cost_small_example(hw):
    """cost is the average of -log P[i, t_i], the log-probability of each true class (here class 2 never occurs)."""
    X, t, W, b = small_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, W, b), "cost(X, t, W, b)")
    expect_close(J, SMALL_COST, "cost(X, t, W, b)", n_examples=4,
                 mistakes={LABELS_FROM_ZERO: SMALL_COST_LABELS_FROM_ONE})


def test_cost_large_logits(hw):
    """cost stays finite and exact for logits of magnitude 1e4: a true class 2e4 below the best one costs 2e4."""
    X, t, W, b = large_logit_example()
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, W, b), "cost(X, t, W, b)")
    expect_finite(J, "cost for logits of magnitude 1e4", LOG_SOFTMAX_HINT)
    expect_close(J, LARGE_COST, "cost for logits of magnitude 1e4", n_examples=3, hint=LOG_SOFTMAX_HINT,
                 mistakes={LABELS_FROM_ZERO: np.log(6.0) / 3})


def test_cost_works_in_float32(hw):
    """cost works on float32 X, W and b (the same value, to float32 precision)."""
    X, t, W, b = small_example()
    X, W, b = data.float32_copies(X, W, b)
    J = expect_float(watching_inputs(hw, PARAMETERS).cost(X, t, W, b), "cost for float32 inputs")
    expect_close(J, SMALL_COST, "cost for float32 X, W and b", FLOAT32_RTOL, FLOAT32_ATOL, 4)


# --- gradient --------------------------------------------------------------------------


def test_gradient_matches_finite_differences(hw):
    """gradient returns (dW, db) that match finite differences of your cost (labels 0 and 1 of K = 3)."""
    hw = watching_inputs(hw, PARAMETERS)
    X, t, W, b = labels_missing_top_class()
    dW, db = expect_tuple(hw.gradient(X, t, W, b), 2, "gradient(X, t, W, b)")
    dW = expect_array(dW, (2, 3), "dW")
    db = expect_array(db, (3,), "db")
    expect_gradient_matches_cost(lambda W_: expect_float(hw.cost(X, t, W_, b), "cost"), dW, W, "dW")
    expect_gradient_matches_cost(lambda b_: expect_float(hw.cost(X, t, W, b_), "cost"), db, b, "db")


def test_gradient_works_in_float32(hw):
    """gradient works on float32 X, W and b (the same result as for float64, to float32 precision)."""
    hw = watching_inputs(hw, PARAMETERS)
    X, t, W, b = labels_missing_top_class()
    expected = tuple(expect_array(value, shape, name) for value, shape, name in
                     zip(expect_tuple(hw.gradient(X, t, W, b), 2, "gradient"), ((2, 3), (3,)), ("dW", "db"),
                         strict=True))
    X, W, b = data.float32_copies(X, W, b)
    dW, db = expect_tuple(hw.gradient(X, t, W, b), 2, "gradient for float32 inputs")
    expect_close(expect_array(dW, (2, 3), "dW"), expected[0], "dW for float32 inputs (vs float64)", FLOAT32_RTOL,
                 FLOAT32_ATOL)
    expect_close(expect_array(db, (3,), "db"), expected[1], "db for float32 inputs (vs float64)", FLOAT32_RTOL,
                 FLOAT32_ATOL)


# --- gradient_descent ------------------------------------------------------------------


def test_gradient_descent_follows_your_gradient(hw):
    """gradient_descent from given W0, b0: 2 updates W -= alpha dW, b -= alpha db at once; costs[i] = J before each."""
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), descent_problem(), 0.5, 2, given_start())


def test_gradient_descent_every_update_when_the_cost_rises(hw):
    """gradient_descent from zeros (K = 4, labels 0 and 2) with alpha so large that the cost rises: every update."""
    expect_follows_your_gradient(watching_inputs(hw, PARAMETERS), descent_problem(), 16.0, 3)


def test_gradient_descent_W0_or_b0_given_alone(hw):
    """gradient_descent with only W0 given starts from b = 0; with W0 = None and a b0, from W = 0 and that b0."""
    expect_each_initial_parameter_alone(watching_inputs(hw, PARAMETERS), descent_problem(), 0.5, 2, given_start())


def test_gradient_descent_zero_epochs(hw):
    """gradient_descent with num_epochs=0 returns the initial parameters (zeros when not given) and empty costs."""
    expect_zero_epochs(watching_inputs(hw, PARAMETERS), descent_problem(), given_start())


def test_gradient_descent_every_epoch_after_convergence(hw):
    """gradient_descent makes all 80 updates and records 80 costs, long after the cost has stopped changing."""
    # Every class occurs, with so much label noise that the cost has a minimum (reached in about 60 epochs).
    rng = np.random.default_rng(4)
    X = rng.normal(size=(15, 2))
    t = np.argmax(X @ rng.normal(size=(2, 3)) + 3.0 * rng.gumbel(size=(15, 3)), axis=1)
    problem = Descent(X, t, ("W", "b"), (np.zeros((2, 3)), np.zeros(3)), before_alpha=(3,))
    expect_every_epoch_after_convergence(watching_inputs(hw, PARAMETERS), problem, 2.0, 80)


def test_gradient_descent_works_in_float32(hw):
    """gradient_descent works on float32 X, W0 and b0 (the same result as in float64, to float32 precision)."""
    expect_float32_like_float64(watching_inputs(hw, PARAMETERS), descent_problem(), 0.5, 3, given_start())


# --- predict ---------------------------------------------------------------------------


def test_predict_small_example(hw):
    """predict gives the integer label of the largest logit in each row (labels start at 0; b counts)."""
    X, _, W, b = small_example()  # the largest entries of Z's rows are in columns 2, 0, 1 and 0
    labels = expect_array(watching_inputs(hw, PARAMETERS).predict(X, W, b), (4,), "predict(X, W, b)", kind="int")
    expect_close(labels, [2, 0, 1, 0], "predict(X, W, b)",
                 mistakes={MISSING_BIAS: [0, 0, 1, 0], LABELS_FROM_ZERO.replace("true class", "label"): [3, 1, 2, 1]})


def test_predict_works_in_float32(hw):
    """predict works on float32 X, W and b."""
    X, _, W, b = small_example()
    labels = expect_array(watching_inputs(hw, PARAMETERS).predict(*data.float32_copies(X, W, b)), (4,),
                          "predict for float32 inputs", kind="int")
    expect_close(labels, [2, 0, 1, 0], "predict for float32 X, W and b")


# --- torch_cost ------------------------------------------------------------------------


def test_torch_cost_matches_your_cost_and_gradient(hw):
    """torch_cost gives a 0-d tensor equal to your cost, and backward() gives your gradient (labels 0, 1 of K = 3)."""
    X, t, W, b = labels_missing_top_class()
    value, (grad_W, grad_b) = hw.call_torch("torch_cost", X, t, W, b, requires_grad=(2, 3))
    J = expect_tensor(value, (), "torch_cost(X, t, W, b)")
    assert grad_W is not None and grad_b is not None, (
        "W.grad or b.grad is None after backward(): compute the cost from W and b with torch operations only "
        "(no .item(), no .numpy(), no torch.tensor(...) around the result)")
    expect_close(J, expect_float(hw.cost(X, t, W, b), "cost(X, t, W, b)"), "torch_cost (vs your cost)")
    dW, db = expect_tuple(hw.gradient(X, t, W, b), 2, "gradient(X, t, W, b)")
    expect_close(expect_tensor(grad_W, (2, 3), "W.grad"), expect_array(dW, (2, 3), "dW"),
                 "W.grad after backward() (vs your dW)")
    expect_close(expect_tensor(grad_b, (3,), "b.grad"), expect_array(db, (3,), "db"),
                 "b.grad after backward() (vs your db)")


def test_torch_cost_large_logits(hw):
    """torch_cost and its gradient stay finite and exact for logits of magnitude 1e4 (the example of the cost check)."""
    X, t, W, b = large_logit_example()
    value, (grad_W, grad_b) = hw.call_torch("torch_cost", X, t, W, b, requires_grad=(2, 3))
    J = expect_tensor(value, (), "torch_cost(X, t, W, b)")
    expect_finite(J, "torch_cost for logits of magnitude 1e4", LOG_SOFTMAX_HINT)
    expect_close(J, LARGE_COST, "torch_cost for logits of magnitude 1e4", n_examples=3, hint=LOG_SOFTMAX_HINT)
    assert grad_W is not None and grad_b is not None, "W.grad or b.grad is None after backward()"
    expect_close(expect_tensor(grad_W, (2, 3), "W.grad"), LARGE_DW, "W.grad for logits of magnitude 1e4",
                 n_examples=3, hint=LOG_SOFTMAX_HINT)
    expect_close(expect_tensor(grad_b, (3,), "b.grad"), LARGE_DB, "b.grad for logits of magnitude 1e4",
                 n_examples=3, hint=LOG_SOFTMAX_HINT)


def test_torch_cost_works_in_float32(hw):
    """torch_cost works on float32 tensors (the small example's cost, to float32 precision)."""
    X, t, W, b = small_example()
    J = expect_tensor(hw.call_torch("torch_cost", *data.float32_copies(X, t, W, b)), (),
                      "torch_cost for float32 tensors")
    expect_close(J, SMALL_COST, "torch_cost for float32 X, W and b", FLOAT32_RTOL, FLOAT32_ATOL, 4,
                 mistakes={LABELS_FROM_ZERO: SMALL_COST_LABELS_FROM_ONE})


# --- train_torch -----------------------------------------------------------------------


def test_train_torch_matches_your_gradient_descent(hw):
    """train_torch gives float64 NumPy arrays (W, b, costs) equal to your gradient_descent's (K = 4, labels 0 and 2)."""
    hw, problem = watching_inputs(hw, PARAMETERS), descent_problem()
    expected = problem.validated(problem.run(hw, 0.5, 4), 4, "gradient_descent")
    result = problem.run(hw, 0.5, 4, function="train_torch")

    def mistakes() -> list[Mistake]:  # what the classic mistakes give, with your own cost and gradient
        kinds = ((NO_ZERO_GRAD_HINT, "no_zero_grad"), (COSTS_AFTER_UPDATE_HINT, "costs_after_update"))
        return [Mistake(hint, trajectory(problem.objective(hw), problem.zeros, 0.5, 4, kind).result)
                for hint, kind in kinds]

    expect_descent_result(result, expected, problem.result_names, "train_torch (vs your gradient_descent)",
                          mistakes=mistakes)
    for name, value in zip(problem.names, result[:2], strict=True):
        assert value.dtype == np.float64, (
            f"{name} from train_torch has dtype {value.dtype} for float64 X: work in X's dtype "
            "(torch.from_numpy(X) keeps float64; torch.zeros(..., dtype=X.dtype) for W and b)")


def test_train_torch_with_zero_epochs(hw):
    """train_torch with num_epochs=0 returns zeros and an empty costs, as NumPy arrays."""
    hw, problem = watching_inputs(hw, PARAMETERS), descent_problem()
    expect_descent_result(problem.run(hw, 0.5, 0, function="train_torch"),
                          (np.zeros((2, 4)), np.zeros(4), np.zeros(0)), problem.result_names, "train_torch (0 epochs)")


def test_train_torch_works_in_float32(hw):
    """train_torch works on float32 X (the same result as your gradient_descent in float64, to float32 precision)."""
    hw, problem = watching_inputs(hw, PARAMETERS), descent_problem()
    expected = problem.validated(problem.run(hw, 0.5, 3), 3, "gradient_descent")
    result = problem.run(hw, 0.5, 3, function="train_torch", X=data.float32_copies(problem.X)[0])
    expect_descent_result(result, expected, problem.result_names, "train_torch with float32 X (vs gradient_descent)",
                          FLOAT32_RTOL, FLOAT32_ATOL)
