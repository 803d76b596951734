"""Homework 3: multiway classification with softmax regression, in NumPy and PyTorch.

With K classes, the model computes one linear score (logit) per class and turns the
scores into a probability distribution with the softmax:

    Z = X W + b                                  W: (D, K), b: (K,), Z: (N, K)
    P[i, k] = exp(Z[i, k]) / sum_j exp(Z[i, j])  each row of P sums to 1

The cost is the categorical cross-entropy, the negative log-likelihood of the true class
t_i in {0, ..., K-1}, averaged over the N examples:

    J(W, b) = mean_i -log P[i, t_i]

With T the one-hot encoding of t (T[i, t_i] = 1, else 0), the gradient is

    dJ/dW = X^T (P - T) / N,      dJ/db = mean over i of (P - T)[i, :]

Training is full-batch gradient descent (Algorithm 1). In PyTorch the same loop gets
its gradients from autograd: loss.backward() fills W.grad and b.grad.

Softmax does not change when a constant is subtracted from a row of Z; subtracting the
row maximum keeps exp from overflowing, and computing log P from Z directly
(log P[i, k] = Z[i, k] - max_j Z[i, j] - log sum_j exp(Z[i, j] - max_j Z[i, j]))
avoids log(0).

Conventions for every function: X has shape (N, D), t has shape (N,) with integer labels
0 <= t_i < K. Inputs are float64 (float32 must work too). No function may modify its
inputs.
"""

import numpy as np
import torch


def softmax(Z):
    """The softmax of each row of Z.

    Must stay finite (no nan, no inf) for logits up to 1e4 in magnitude: subtract each
    row's maximum before exponentiating.

    Args:
        Z: logits, shape (N, K).

    Returns:
        P: an ndarray of shape (N, K); each row is non-negative and sums to 1.
    """
    ### BEGIN SOLUTION
    shifted = Z - Z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
    ### END SOLUTION


def one_hot(t, num_classes):
    """The one-hot encoding T of integer labels: T[i, t[i]] = 1.0, every other entry 0.0.

    Labels start at 0: label 0 is column 0 and label K-1 is the last column.

    Args:
        t: labels, shape (N,), integers 0 <= t[i] < num_classes.
        num_classes: K, an int.

    Returns:
        T: a float ndarray of shape (N, K) of 0.0 and 1.0.
    """
    ### BEGIN SOLUTION
    T = np.zeros((len(t), num_classes))
    T[np.arange(len(t)), t] = 1.0
    return T
    ### END SOLUTION


def predict_proba(X, W, b):
    """The class probabilities P = softmax(X W + b).

    Args:
        X: inputs, shape (N, D).
        W: weights, shape (D, K).
        b: biases, shape (K,).

    Returns:
        P: an ndarray of shape (N, K); each row sums to 1.
    """
    ### BEGIN SOLUTION
    return softmax(X @ W + b)
    ### END SOLUTION


def cost(X, t, W, b):
    """The average categorical cross-entropy J = mean_i -log P[i, t_i], P = softmax(X W + b).

    Must stay finite and accurate for large logits (up to 1e4 in magnitude): compute
    log P from the logits with the row maximum subtracted, not log(softmax(Z)).

    Args:
        X: inputs, shape (N, D).
        t: labels, shape (N,), integers 0 <= t[i] < K.
        W: weights, shape (D, K).
        b: biases, shape (K,).

    Returns:
        J: the cost, a float (a Python float, a NumPy scalar or a 0-d array).
    """
    ### BEGIN SOLUTION
    Z = X @ W + b
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_P[np.arange(X.shape[0]), t].mean())
    ### END SOLUTION


def gradient(X, t, W, b):
    """The gradient of the cost J with respect to W and b.

        dJ/dW = X^T (P - T) / N        dJ/db = mean(P - T, axis=0)

    where P = softmax(X W + b) and T = one_hot(t, K).

    Args:
        X: inputs, shape (N, D).
        t: labels, shape (N,), integers 0 <= t[i] < K.
        W: weights, shape (D, K).
        b: biases, shape (K,).

    Returns:
        (dW, db): dW an ndarray of shape (D, K), db an ndarray of shape (K,).
    """
    ### BEGIN SOLUTION
    residual = predict_proba(X, W, b) - one_hot(t, W.shape[1])
    return X.T @ residual / X.shape[0], residual.mean(axis=0)
    ### END SOLUTION


def gradient_descent(X, t, num_classes, alpha, num_epochs, W0=None, b0=None):
    """Full-batch gradient descent on the cross-entropy cost J (Algorithm 1).

    For each of the num_epochs epochs, in this order:
      1. record the cost J(W, b) of the current parameters in costs;
      2. compute the gradient at the current parameters;
      3. update both parameters at once: W <- W - alpha * dW, b <- b - alpha * db.

    Args:
        X: inputs, shape (N, D).
        t: labels, shape (N,), integers 0 <= t[i] < num_classes.
        num_classes: K, an int.
        alpha: the learning rate, a positive float.
        num_epochs: how many updates to make, an int >= 0.
        W0: initial weights, shape (D, K); None means zeros. Must not be modified.
        b0: initial biases, shape (K,); None means zeros. Must not be modified.

    Returns:
        (W, b, costs): the final W (D, K), the final b (K,), and costs, a 1-D ndarray of
        length num_epochs where costs[i] is J before update i (so costs[0] = J(W0, b0)).
        With num_epochs == 0: the initial parameters and an empty costs.
    """
    ### BEGIN SOLUTION
    D = X.shape[1]
    W = np.zeros((D, num_classes), dtype=X.dtype) if W0 is None else np.array(W0, copy=True)
    b = np.zeros(num_classes, dtype=X.dtype) if b0 is None else np.array(b0, copy=True)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        costs[epoch] = cost(X, t, W, b)
        dW, db = gradient(X, t, W, b)
        W = W - alpha * dW
        b = b - alpha * db
    return W, b, costs
    ### END SOLUTION


def predict(X, W, b):
    """The predicted labels: for each example, the class with the largest probability.

    Args:
        X: inputs, shape (N, D).
        W: weights, shape (D, K).
        b: biases, shape (K,).

    Returns:
        An ndarray of shape (N,) of integer labels 0 <= label < K (any integer dtype).
    """
    ### BEGIN SOLUTION
    return np.argmax(X @ W + b, axis=1)
    ### END SOLUTION


def torch_cost(X, t, W, b):
    """The cost J of `cost`, computed with PyTorch operations so that autograd works.

    Must stay finite for large logits (torch.log_softmax or torch.logsumexp do the
    max-subtraction for you). Calling backward() on the result must fill W.grad with dJ/dW
    and b.grad with dJ/db, the same values `gradient` returns.

    Args:
        X: inputs, a float torch.Tensor of shape (N, D).
        t: labels, a long torch.Tensor of shape (N,), 0 <= t[i] < K.
        W: weights, a float torch.Tensor of shape (D, K) (may have requires_grad=True).
        b: biases, a float torch.Tensor of shape (K,) (may have requires_grad=True).

    Returns:
        J: a 0-d torch.Tensor (differentiable: do not call .item() or convert to NumPy).
    """
    ### BEGIN SOLUTION
    log_P = torch.log_softmax(X @ W + b, dim=1)
    return -log_P[torch.arange(X.shape[0]), t].mean()
    ### END SOLUTION


def train_torch(X, t, num_classes, alpha, num_epochs):
    """Gradient descent on J with gradients from PyTorch's autograd.

    The same algorithm as `gradient_descent` starting from zeros: for each epoch, compute
    the loss with `torch_cost`, record loss.item() in costs, call loss.backward(), then
    update W and b with their .grad inside torch.no_grad() and reset the gradients to zero
    (otherwise backward() adds to the old ones). Work in X's dtype (float64 results must
    equal `gradient_descent`'s to 1e-6).

    Args:
        X: inputs, an ndarray of shape (N, D).
        t: labels, an ndarray of shape (N,), integers 0 <= t[i] < num_classes.
        num_classes: K, an int.
        alpha: the learning rate, a positive float.
        num_epochs: how many updates to make, an int >= 0.

    Returns:
        (W, b, costs): NumPy ndarrays: W of shape (D, K), b of shape (K,), and costs of
        length num_epochs where costs[i] is J before update i. With num_epochs == 0: zeros
        and an empty costs.
    """
    ### BEGIN SOLUTION
    X_t = torch.from_numpy(np.array(X))
    t_t = torch.from_numpy(np.asarray(t, dtype=np.int64))
    W = torch.zeros(X.shape[1], num_classes, dtype=X_t.dtype, requires_grad=True)
    b = torch.zeros(num_classes, dtype=X_t.dtype, requires_grad=True)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        loss = torch_cost(X_t, t_t, W, b)
        costs[epoch] = loss.item()
        loss.backward()
        with torch.no_grad():
            W -= alpha * W.grad
            b -= alpha * b.grad
            W.grad.zero_()
            b.grad.zero_()
    return W.detach().numpy(), b.detach().numpy(), costs
    ### END SOLUTION
