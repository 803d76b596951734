"""Hostile: ends the process with os._exit(0) at import, so no check can run."""

import os

import numpy as np


def predict(X, w, b):
    return X @ w + b


def solve_exact(X, t):
    X1 = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    theta = np.linalg.lstsq(X1, t, rcond=None)[0]
    return theta[:-1], float(theta[-1])


os._exit(0)
