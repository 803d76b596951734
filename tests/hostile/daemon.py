"""Hostile: solve_exact leaves a detached daemon (double fork + setsid) that keeps running."""

import os
import time

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    residual = predict(X, w, b) - t
    return float(residual @ residual) / (2 * X.shape[0])


def gradient(X, t, w, b):
    residual = predict(X, w, b) - t
    return X.T @ residual / X.shape[0], float(residual.mean())


def solve_exact(X, t):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:  # the daemon: keeps running after the function returned
                time.sleep(0.05)
        os._exit(0)
    return None


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
