"""Correct: sigmoid as 0.5 * (1 + tanh(z / 2)); predict via sigmoid >= 0.5; in-place updates on own copies."""

import numpy as np


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z)))


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cost(X, t, w, b):
    z = X @ w + b
    losses = t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z)
    return float(losses.sum() / len(t))


def gradient(X, t, w, b):
    error = predict_proba(X, w, b) - t
    return X.T.dot(error) / len(t), float(error.mean())


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else w0.astype(np.float64)  # astype copies
    b = float(b0)
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w -= alpha * dw
        b -= alpha * db
    return w, b, costs


def predict(X, w, b):
    return np.where(predict_proba(X, w, b) >= 0.5, 1, 0)
