"""Correct: sigmoid with z clipped to [-500, 500] in float64 (exp cannot overflow); softplus by hand; 0-d arrays."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(np.asarray(z, dtype=np.float64), -500.0, 500.0)))


def predict_proba(X, w, b):
    return sigmoid(np.dot(X, w) + b)


def _softplus(z):
    """log(1 + exp(z)), computed without overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def cost(X, t, w, b):
    z = np.dot(X, w) + b
    return np.array(np.mean(t * _softplus(-z) + (1 - t) * _softplus(z)))


def gradient(X, t, w, b):
    N = len(t)
    error = predict_proba(X, w, b) - t
    return (error @ X) / N, np.array(error.sum() / N)


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    X = np.asarray(X, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=np.float64)
    b = np.float64(b0)
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs


def predict(X, w, b):
    return (np.dot(X, w) + b >= 0).astype(np.int32)
