"""Correct: the textbook sigmoid under a local np.errstate(over="ignore"), since 1 / (1 + inf) = 0 is exact;
predict as uint8."""

import numpy as np


def sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(z)))


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cost(X, t, w, b):
    z = X @ w + b
    return float(np.average(np.logaddexp(0, z) - t * z))


def gradient(X, t, w, b):
    r = predict_proba(X, w, b) - t
    return X.T @ r / len(r), float(np.mean(r))


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    b = float(b0)
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs


def predict(X, w, b):
    return (X @ w + b >= 0).astype(np.uint8)
