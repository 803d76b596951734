"""Public checks for homework 3 (softmax regression): run them with `pytest` or `make check`.

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
    expect_tensor,
    expect_tuple,
)

ASSIGNMENT = "hw3"

LN2, LN5 = float(np.log(2.0)), float(np.log(5.0))


def small_example() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, t, W, b), a tiny example you can check by hand (N=4, D=2, K=3).

    W = 0 and b = [0, ln 2, ln 5]: every row of X W + b is [0, ln 2, ln 5], so every row of
    P is [1, 2, 5] / 8. A function, so that every test gets its own fresh arrays.
    """
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0], [-2.0, 0.5]])
    return X, np.array([2, 0, 1, 2]), np.zeros((2, 3)), np.array([0.0, LN2, LN5])


def test_softmax_small_example(hw):
    """softmax of each row: [0, ln 2, ln 5] gives [1, 2, 5] / 8 and equal logits give 1/3 each."""
    Z = np.array([[0.0, LN2, LN5], [1.0, 1.0, 1.0]])
    P = expect_array(hw.softmax(Z), (2, 3), "softmax(Z)")
    expect_close(P, [[1 / 8, 2 / 8, 5 / 8], [1 / 3, 1 / 3, 1 / 3]], "softmax(Z)")


def test_softmax_large_logits_stay_finite(hw):
    """softmax stays finite for logits of +-1000 (subtract each row's maximum first)."""
    Z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    P = expect_array(hw.softmax(Z), (2, 3), "softmax(Z)")
    expect_finite(P, "softmax(Z) for logits of +-1000", "subtract each row's maximum before exponentiating")
    expect_close(P, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]], "softmax(Z) for logits of +-1000")


def test_one_hot_small_example(hw):
    """one_hot([2, 0, 1, 0], 3) has a 1.0 in column t[i] of row i (labels start at 0)."""
    T = expect_array(hw.one_hot(np.array([2, 0, 1, 0]), 3), (4, 3), "one_hot(t, 3)")
    expect_close(T, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]], "one_hot([2, 0, 1, 0], 3)")


def test_predict_proba_rows_sum_to_one(hw):
    """predict_proba returns an (N, K) array of non-negative rows that sum to 1."""
    X, _ = data.multiclass(seed=1, n=6, d=2, k=3)
    P = expect_array(hw.predict_proba(X, data.parameters(2, 2, 3), data.parameters(3, 3)), (6, 3),
                     "predict_proba(X, W, b)")
    assert np.all(P >= 0), f"predict_proba has negative entries: {P}"
    expect_close(P.sum(axis=1), np.ones(6), "the row sums of predict_proba(X, W, b)")


def test_cost_small_example(hw):
    """cost is the average of -log P[i, t_i], the log-probability of each true class."""
    # Every row of P is [1/8, 2/8, 5/8] and t = [2, 0, 1, 2].
    X, t, W, b = small_example()
    J = expect_float(hw.cost(X, t, W, b), "cost(X, t, W, b)")
    expected = -(np.log(5 / 8) + np.log(1 / 8) + np.log(2 / 8) + np.log(5 / 8)) / 4
    expect_close(J, expected, "cost(X, t, W, b)", n_examples=4)


def test_gradient_matches_finite_differences(hw):
    """gradient returns (dW, db) that match finite differences of your cost."""
    X, t = data.multiclass(seed=4, n=6, d=2, k=3)
    W, b = data.parameters(5, 2, 3), data.parameters(6, 3)
    dW, db = expect_tuple(hw.gradient(X, t, W, b), 2, "gradient(X, t, W, b)")
    dW = expect_array(dW, (2, 3), "dW")
    db = expect_array(db, (3,), "db")
    expect_gradient_matches_cost(lambda W_: expect_float(hw.cost(X, t, W_, b), "cost"), dW, W, "dW")
    expect_gradient_matches_cost(lambda b_: expect_float(hw.cost(X, t, W, b_), "cost"), db, b, "db")


def test_gradient_descent_records_costs_before_each_update(hw):
    """gradient_descent returns (W, b, costs) with costs[0] = log K, the cost of W = 0, b = 0."""
    X, t = data.multiclass(seed=7, n=9, d=2, k=3)
    W, b, costs = expect_tuple(hw.gradient_descent(X, t, 3, 0.5, 5), 3, "gradient_descent(...)")
    expect_array(W, (2, 3), "W from gradient_descent")
    expect_array(b, (3,), "b from gradient_descent")
    costs = expect_array(costs, (5,), "costs from gradient_descent")
    # With W = 0 and b = 0 every class has probability 1/3, so every loss is log 3.
    J_end = expect_float(hw.cost(X, t, W, b), "cost at the returned W and b")
    expect_costs_before_updates(costs, np.log(3.0), J_end, n_examples=9)
    assert np.all(np.diff(costs) < 0), f"costs should decrease with a small learning rate, but they are {costs}"


def test_gradient_descent_zero_epochs(hw):
    """gradient_descent with num_epochs=0 returns the initial parameters and empty costs."""
    X, t = data.multiclass(seed=8, n=6, d=2, k=3)
    W, b, costs = expect_tuple(hw.gradient_descent(X, t, 3, 0.1, 0), 3, "gradient_descent(..., num_epochs=0)")
    expect_close(expect_array(W, (2, 3), "W"), np.zeros((2, 3)), "W after 0 epochs")
    expect_close(expect_array(b, (3,), "b"), np.zeros(3), "b after 0 epochs")
    expect_array(costs, (0,), "costs after 0 epochs")


def test_gradient_descent_does_not_modify_inputs(hw):
    """gradient_descent leaves X, t, W0 and b0 unchanged (they are read-only here)."""
    X, t = data.multiclass(seed=9, n=6, d=2, k=3)
    X, t, W0, b0 = data.read_only(X, t, data.parameters(10, 2, 3), data.parameters(11, 3))
    hw.gradient_descent(X, t, 3, 0.1, 3, W0, b0)


def test_predict_small_example(hw):
    """predict gives the integer label of the largest logit in each row (labels start at 0)."""
    # X W + b = [[1, 0, -1], [0, 2, 0], [-1, 0, 1]]: the largest entries are in columns 0, 1, 2.
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    W, b = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.0]]), np.zeros(3)
    labels = expect_array(hw.predict(X, W, b), (3,), "predict(X, W, b)", kind="int")
    expect_close(labels, [0, 1, 2], "predict(X, W, b)")


def test_torch_cost_matches_your_cost(hw):
    """torch_cost returns a 0-d torch.Tensor equal to your NumPy cost."""
    X, t = data.multiclass(seed=12, n=6, d=2, k=3)
    W, b = data.parameters(13, 2, 3), data.parameters(14, 3)
    J = expect_tensor(hw.call_torch("torch_cost", X, t, W, b), (), "torch_cost(X, t, W, b)")
    expect_close(J, expect_float(hw.cost(X, t, W, b), "cost(X, t, W, b)"), "torch_cost(X, t, W, b)")


def test_torch_cost_autograd_gradient_at_zero(hw):
    """backward() on torch_cost at W = 0, b = 0 gives W.grad = X^T (1/K - T) / N, b.grad = mean(1/K - T)."""
    X, t, _, _ = small_example()
    value, (grad_W, grad_b) = hw.call_torch("torch_cost", X, t, np.zeros((2, 3)), np.zeros(3), requires_grad=(2, 3))
    expect_tensor(value, (), "torch_cost(X, t, W, b)")
    assert grad_W is not None and grad_b is not None, (
        "W.grad or b.grad is None after backward(): compute the cost from W and b with torch operations")
    # At W = 0, b = 0 every probability is 1/3, so P - T = 1/3 - T.
    residual = 1 / 3 - np.eye(3)[t]
    expect_close(expect_tensor(grad_W, (2, 3), "W.grad"), X.T @ residual / 4, "W.grad after backward()",
                 n_examples=4)
    expect_close(expect_tensor(grad_b, (3,), "b.grad"), residual.mean(axis=0), "b.grad after backward()",
                 n_examples=4)


def test_train_torch_matches_your_gradient_descent(hw):
    """train_torch returns NumPy arrays (W, b, costs) equal to your gradient_descent's from zeros."""
    X, t = data.multiclass(seed=15, n=8, d=2, k=3)
    W, b, costs = expect_tuple(hw.train_torch(X, t, 3, 0.5, 5), 3, "train_torch(...)")
    W = expect_array(W, (2, 3), "W from train_torch")
    b = expect_array(b, (3,), "b from train_torch")
    costs = expect_array(costs, (5,), "costs from train_torch")
    W_np, b_np, costs_np = expect_tuple(hw.gradient_descent(X, t, 3, 0.5, 5), 3, "gradient_descent(...)")
    expect_close(W, W_np, "W from train_torch (vs your gradient_descent)")
    expect_close(b, b_np, "b from train_torch (vs your gradient_descent)")
    expect_close(costs, costs_np, "costs from train_torch (vs your gradient_descent)")
