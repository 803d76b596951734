"""Correct: the bias is folded into theta = [b, w] with a leading column of ones; Python floats."""

import numpy as np


def _with_ones(X):
    return np.hstack([np.ones((X.shape[0], 1)), X])


def predict(X, w, b):
    return _with_ones(X) @ np.concatenate([[b], w])


def cost(X, t, w, b):
    residual = predict(X, w, b) - t
    return float(residual @ residual / (2 * len(t)))


def gradient(X, t, w, b):
    X1 = _with_ones(X)
    grad = X1.T @ (predict(X, w, b) - t) / len(t)
    return grad[1:], float(grad[0])


def solve_exact(X, t):
    theta, *_ = np.linalg.lstsq(_with_ones(X), t, rcond=None)
    return theta[1:], float(theta[0])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w_start = np.zeros(X.shape[1]) if w0 is None else w0
    theta = np.concatenate([[b0], w_start])
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, theta[1:], theta[0])
        dw, db = gradient(X, t, theta[1:], theta[0])
        theta = theta - alpha * np.concatenate([[db], dw])
    return theta[1:], float(theta[0]), costs
