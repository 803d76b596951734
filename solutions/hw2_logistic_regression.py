"""Homework 2: binary classification with logistic regression.

The model squashes a linear score z = w^T x + b through the logistic sigmoid, so that
its output is a probability that the target is 1:

    z = X w + b,        y = sigma(z) = 1 / (1 + exp(-z))

Each prediction is scored by the cross-entropy loss, the negative log-likelihood of the
target t in {0, 1}:

    L(y, t) = -[t log y + (1 - t) log(1 - y)]

and the cost J(w, b) is the average loss over the N examples. Its gradient has the same
form as in linear regression: dJ/dw = X^T (y - t) / N, dJ/db = mean(y - t). Training is
full-batch gradient descent (Algorithm 1).

Working with logs avoids underflow: for large |z|, y is 0 or 1 to machine precision and
log y = -inf, so a careful implementation computes log sigma(z) from z directly (for
example log sigma(z) = -log(1 + exp(-z)) = -np.logaddexp(0, -z)).

Conventions for every function: X has shape (N, D), t has shape (N,) with values 0 or 1,
w has shape (D,) and b is a float. Inputs are float64 (float32 must work too). No
function may modify its inputs.
"""

import numpy as np


def sigmoid(z):
    """The logistic sigmoid 1 / (1 + exp(-z)), element-wise.

    Must not overflow: no overflow warning and no nan for any finite z, even |z| = 1e4,
    in float64 or float32 (exp(-z) overflows for z < -709 in float64, z < -88 in float32;
    rewrite the formula for negative z, e.g. as exp(z) / (1 + exp(z))).

    Args:
        z: an ndarray of any shape (a 0-d array included).

    Returns:
        An ndarray of the same shape as z (shape () for a 0-d z), with values in [0, 1].
    """
    ### BEGIN SOLUTION
    z = np.asarray(z)
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + small), small / (1 + small))
    ### END SOLUTION


def predict_proba(X, w, b):
    """The predicted probabilities y = sigma(X w + b).

    Args:
        X: inputs, shape (N, D).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        y: an ndarray of shape (N,) with values in [0, 1].
    """
    ### BEGIN SOLUTION
    return sigmoid(X @ w + b)
    ### END SOLUTION


def cost(X, t, w, b):
    """The average cross-entropy J = mean_i -[t log y + (1 - t) log(1 - y)], y = sigma(X w + b).

    Must stay finite and accurate when predictions saturate: an example with z = 1000 and
    t = 0 contributes exactly 1000 to the sum (not inf or nan). Compute the logs from z:
    -log sigma(z) = log(1 + exp(-z)) and -log(1 - sigma(z)) = log(1 + exp(z)), which
    np.logaddexp(0, -z) and np.logaddexp(0, z) evaluate without overflow.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,), values 0 or 1.
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        J: the cost, a float (a Python float, a NumPy scalar or a 0-d array).
    """
    ### BEGIN SOLUTION
    z = X @ w + b
    return float(np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)))
    ### END SOLUTION


def gradient(X, t, w, b):
    """The gradient of the cost J with respect to w and b.

        dJ/dw = X^T (y - t) / N        dJ/db = mean(y - t),     y = sigma(X w + b)

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,), values 0 or 1.
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        (dw, db): dw an ndarray of shape (D,), db a float.
    """
    ### BEGIN SOLUTION
    residual = predict_proba(X, w, b) - t
    return X.T @ residual / X.shape[0], float(residual.mean())
    ### END SOLUTION


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    """Full-batch gradient descent on the cross-entropy cost J (Algorithm 1).

    For each of the num_epochs epochs, in this order:
      1. record the cost J(w, b) of the current parameters in costs;
      2. compute the gradient at the current parameters;
      3. update both parameters at once: w <- w - alpha * dw, b <- b - alpha * db.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,), values 0 or 1.
        alpha: the learning rate, a positive float.
        num_epochs: how many updates to make, an int >= 0.
        w0: initial weights, shape (D,); None means zeros. Must not be modified.
        b0: initial bias, a float (default 0.0).

    Returns:
        (w, b, costs): the final w (D,), the final b (float), and costs, a 1-D ndarray of
        length num_epochs where costs[i] is J before update i (so costs[0] = J(w0, b0)).
        With num_epochs == 0: the initial parameters and an empty costs.
    """
    ### BEGIN SOLUTION
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else np.array(w0, copy=True)
    b = float(b0)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        costs[epoch] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs
    ### END SOLUTION


def predict(X, w, b):
    """The predicted classes: 1 where y = sigma(X w + b) >= 0.5, else 0.

    y >= 0.5 exactly when z = X w + b >= 0, so z = 0 gives class 1.

    Args:
        X: inputs, shape (N, D).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        An ndarray of shape (N,) of integers (any integer dtype), each 0 or 1.
    """
    ### BEGIN SOLUTION
    return (X @ w + b >= 0).astype(np.int64)
    ### END SOLUTION
