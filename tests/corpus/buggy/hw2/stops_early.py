"""Bug: gradient_descent stops early once the cost changes by less than 1e-9 (fewer updates and costs).

Caught by: test_gradient_descent_runs_every_epoch.
"""

import numpy as np


def sigmoid(z):
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cost(X, t, w, b):
    z = X @ w + b
    return np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z))


def gradient(X, t, w, b):
    r = predict_proba(X, w, b) - t
    return X.T @ r / X.shape[0], np.mean(r)


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=float)
    b = float(b0)
    costs = []
    for i in range(num_epochs):
        costs.append(cost(X, t, w, b))
        if i > 0 and abs(costs[-2] - costs[-1]) < 1e-9:
            break
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, np.array(costs, dtype=float)


def predict(X, w, b):
    return (X @ w + b >= 0).astype(int)
