"""Bug: sigmoid clips z to [-20, 20]: sigmoid(-40) is 2e-9 instead of 4e-18 (inaccurate when saturated).

Caught by: test_sigmoid_large_inputs_stay_finite.
"""

import numpy as np


def sigmoid(z):
    z = np.clip(np.asarray(z, dtype=float), -20, 20)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1 + exp_z)
    return out


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cost(X, t, w, b):
    z = X @ w + b
    return np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z))


def gradient(X, t, w, b):
    N = X.shape[0]
    error = predict_proba(X, w, b) - t
    dw = X.T @ error / N
    db = np.sum(error) / N
    return dw, db


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w = np.zeros(X.shape[1]) if w0 is None else w0.copy()
    b = b0
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs


def predict(X, w, b):
    return (X @ w + b >= 0).astype(int)
