"""Bug: solve_exact adds a ridge term 1e-6 I to the normal equations "for stability": not J's exact minimizer.

Caught by: test_solve_exact_values_for_small_features.
"""

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    r = predict(X, w, b) - t
    return np.mean(r ** 2) / 2


def gradient(X, t, w, b):
    r = predict(X, w, b) - t
    return X.T @ r / X.shape[0], np.mean(r)


def solve_exact(X, t):
    A = np.hstack([X, np.ones((X.shape[0], 1))])
    theta = np.linalg.solve(A.T @ A + 1e-6 * np.eye(A.shape[1]), A.T @ t)
    return theta[:-1], float(theta[-1])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, w, b))
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, np.array(costs, dtype=float)
