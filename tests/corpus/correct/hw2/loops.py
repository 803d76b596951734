"""Correct: explicit Python loops over the examples with the math module; a scalar stable sigmoid."""

import math

import numpy as np


def _sigmoid_scalar(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z):
    """log(1 + exp(z)) without overflow."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def sigmoid(z):
    z = np.asarray(z)
    values = [_sigmoid_scalar(float(v)) for v in z.ravel()]
    return np.array(values).reshape(z.shape)


def _scores(X, w, b):
    return [float(np.dot(X[i], w) + b) for i in range(X.shape[0])]


def predict_proba(X, w, b):
    return np.array([_sigmoid_scalar(z) for z in _scores(X, w, b)])


def cost(X, t, w, b):
    total = 0.0
    for z, target in zip(_scores(X, w, b), t, strict=True):
        # -log sigmoid(z) = softplus(-z), -log(1 - sigmoid(z)) = softplus(z)
        total += target * _softplus(-z) + (1 - target) * _softplus(z)
    return total / X.shape[0]


def gradient(X, t, w, b):
    N, D = X.shape
    dw = np.zeros(D)
    db = 0.0
    for i, z in enumerate(_scores(X, w, b)):
        error = _sigmoid_scalar(z) - t[i]
        dw += error * X[i] / N
        db += error / N
    return dw, float(db)


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else np.copy(w0)
    b = b0
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, w, b))
        dw, db = gradient(X, t, w, b)
        w, b = w - alpha * dw, b - alpha * db
    return w, b, np.array(costs)


def predict(X, w, b):
    return np.array([1 if z >= 0 else 0 for z in _scores(X, w, b)], dtype=int)
