"""Hostile: calls sys.exit(0) at import, hoping a clean exit is taken for success."""

import sys

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    residual = predict(X, w, b) - t
    return float(residual @ residual) / (2 * X.shape[0])


def solve_exact(X, t):
    X1 = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    theta = np.linalg.lstsq(X1, t, rcond=None)[0]
    return theta[:-1], float(theta[-1])


sys.exit(0)
