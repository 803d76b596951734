"""Correct: casts every input to float64, solves with pinv, updates its own copies in place, returns 0-d arrays."""

import numpy as np


def predict(X, w, b):
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    return np.dot(X, w) + b


def cost(X, t, w, b):
    residual = predict(X, w, b) - np.asarray(t, dtype=np.float64)
    return np.array(0.5 * np.mean(residual**2))


def gradient(X, t, w, b):
    X = np.asarray(X, dtype=np.float64)
    residual = predict(X, w, b) - np.asarray(t, dtype=np.float64)
    return np.einsum("nd,n->d", X, residual) / len(residual), np.mean(residual)


def solve_exact(X, t):
    X = np.asarray(X, dtype=np.float64)
    X1 = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.pinv(X1) @ np.asarray(t, dtype=np.float64)
    return theta[:-1], np.array(theta[-1])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    D = np.shape(X)[1]
    w = np.zeros(D) if w0 is None else np.array(w0, dtype=np.float64, copy=True)
    b = np.array(b0, dtype=np.float64)
    costs = np.empty(num_epochs)
    epoch = 0
    while epoch < num_epochs:
        costs[epoch] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w -= alpha * dw  # w is this function's own copy
        b -= alpha * db
        epoch += 1
    return w, b, costs
