"""Bug: the step divides the gradient by N once more (w <- w - alpha * dw / N).

Caught by: test_gradient_descent_one_epoch_from_zeros.
"""

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    y = predict(X, w, b)
    return np.sum((y - t) ** 2) / (2 * X.shape[0])


def gradient(X, t, w, b):
    N = X.shape[0]
    error = predict(X, w, b) - t
    dw = X.T @ error / N
    db = np.sum(error) / N
    return dw, db


def solve_exact(X, t):
    X1 = np.column_stack([X, np.ones(X.shape[0])])
    theta = np.linalg.lstsq(X1, t, rcond=None)[0]
    return theta[:-1], theta[-1]


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else w0.copy()
    b = b0
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw / X.shape[0]
        b = b - alpha * db / X.shape[0]
    return w, b, costs
