"""Hostile: gradient closes the grader's connection, then keeps working."""

import os
import time

import numpy as np


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    residual = predict(X, w, b) - t
    return float(residual @ residual) / (2 * X.shape[0])


def gradient(X, t, w, b):
    os.close(3)
    time.sleep(10**6)


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
