"""Hostile: gradient fills memory, 1 GiB at a time, until something gives.

The memory is written to, so it is resident: an address-space limit refuses the first
block, a watchdog of resident memory sees it grow. It stops at 4 GiB and waits, so that a
machine where neither works survives (the check then fails on the call's time limit).
"""

import time

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    residual = predict(X, w, b) - t
    return float(residual @ residual) / (2 * X.shape[0])


def gradient(X, t, w, b):
    blocks = []
    for _ in range(4):
        blocks.append(np.ones(2**27))  # 1 GiB at a time
    time.sleep(3600)


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
