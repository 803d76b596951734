"""Correct: explicit Python loops over the examples; solve_exact via the normal equations."""

import numpy as np


def predict(X, w, b):
    y = np.zeros(X.shape[0])
    for i in range(X.shape[0]):
        total = b
        for j in range(X.shape[1]):
            total += X[i, j] * w[j]
        y[i] = total
    return y


def cost(X, t, w, b):
    N = X.shape[0]
    y = predict(X, w, b)
    total = 0.0
    for i in range(N):
        total += (y[i] - t[i]) ** 2
    return total / (2 * N)


def gradient(X, t, w, b):
    N, D = X.shape
    y = predict(X, w, b)
    dw = np.zeros(D)
    db = 0.0
    for i in range(N):
        error = y[i] - t[i]
        for j in range(D):
            dw[j] += error * X[i, j] / N
        db += error / N
    return dw, db


def solve_exact(X, t):
    X1 = np.hstack([X, np.ones((X.shape[0], 1))])
    theta = np.linalg.solve(X1.T @ X1, X1.T @ t)
    return theta[:-1], float(theta[-1])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    if w0 is None:
        w = np.zeros(X.shape[1])
    else:
        w = np.array(w0)
    b = b0
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, w, b))
        dw, db = gradient(X, t, w, b)
        new_w = np.zeros_like(w)
        for j in range(len(w)):
            new_w[j] = w[j] - alpha * dw[j]
        b = b - alpha * db
        w = new_w
    return w, b, np.array(costs)
