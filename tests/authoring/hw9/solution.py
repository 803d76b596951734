"""Homework 9: a line fit by gradient descent.

The model predicts a real target from D features with a weight vector w and a bias b, and
is trained by gradient descent on the cost

    J(w, b) = 1/(2N) * sum_i (y^(i) - t^(i))^2

X has shape (N, D), t has shape (N,), w has shape (D,) and b is a float. No function may
modify its inputs.
"""

import numpy as np


def predict(X, w, b):
    """Predictions y = X w + b.

    Args:
        X: inputs, shape (N, D).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        y: predictions, an ndarray of shape (N,).
    """
    ### BEGIN SOLUTION
    return X @ w + b
    ### END SOLUTION


def cost(X, t, w, b):
    """The cost J(w, b) = 1/(2N) * sum_i (y^(i) - t^(i))^2, as a float.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).
        w: weights, shape (D,).
        b: bias, a float.
    """
    ### BEGIN SOLUTION
    residual = predict(X, w, b) - t
    return float(np.sum(residual ** 2)) / (2 * len(t))
    ### END SOLUTION


def gradient(X, t, w, b):
    """The gradient of J: (dw, db) = (X^T (y - t) / N, mean(y - t)).

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).
        w: weights, shape (D,).
        b: bias, a float.

    Returns:
        (dw, db): dw of shape (D,), db a float.
    """
    ### BEGIN SOLUTION
    error = predict(X, w, b) - t
    return X.T @ error / len(t), float(error.mean())
    ### END SOLUTION


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    """num_epochs epochs of gradient descent on J from (w0, b0): per epoch, record the cost,
    then update w and b at once with the gradient at the current parameters.

    Args:
        X: inputs, shape (N, D).
        t: targets, shape (N,).
        alpha: the learning rate.
        num_epochs: how many updates, an int >= 0.
        w0: initial weights, shape (D,); None means zeros. Must not be modified.
        b0: initial bias, a float.

    Returns:
        (w, b, costs): the final w (D,), the final b (a float), and costs, a 1-D ndarray of
        length num_epochs, costs[i] the cost before update i.
    """
    ### BEGIN SOLUTION
    w = np.zeros(X.shape[1]) if w0 is None else w0.copy()
    b = float(b0)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        costs[epoch] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs
    ### END SOLUTION
