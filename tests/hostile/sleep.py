"""Hostile: gradient_descent sleeps for days."""

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
    X1 = np.hstack([X, np.ones((X.shape[0], 1), dtype=X.dtype)])
    theta = np.linalg.lstsq(X1, t, rcond=None)[0]
    return theta[:-1], float(theta[-1])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    time.sleep(10**6)
