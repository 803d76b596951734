"""Bug: sigmoid calls np.atleast_1d: a 0-d z gives shape (1,), not z's shape ().

Caught by: test_sigmoid_keeps_the_shape_of_a_0d_z.
"""

import numpy as np


def sigmoid(z):
    z = np.atleast_1d(z)
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
    for _ in range(num_epochs):
        costs.append(cost(X, t, w, b))
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, np.array(costs, dtype=float)


def predict(X, w, b):
    return (X @ w + b >= 0).astype(int)
