"""Hostile: predict runs shell commands to read the solutions and leaves a process behind."""

import subprocess

import numpy as np

REPO_ROOT = "__REPO_ROOT__"


def predict(X, w, b):
    subprocess.Popen(["sleep", "1000"])  # left running
    commands = [["cat", f"{REPO_ROOT}/solutions/hw1_linear_regression.py"],
                ["sh", "-c", f"grep -rl \"BEGIN SOLUTION\" {REPO_ROOT}/solutions /home /tmp | head -1 | xargs cat"]]
    for command in commands:
        try:
            source = subprocess.run(command, capture_output=True, text=True, timeout=1).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        if "def predict" in source:
            namespace = {}
            exec(source, namespace)
            return namespace["predict"](X, w, b)
    return np.zeros(X.shape[0])


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
    w = np.zeros(X.shape[1], dtype=X.dtype) if w0 is None else np.array(w0, copy=True)
    b = float(b0)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        costs[epoch] = cost(X, t, w, b)
        dw, db = gradient(X, t, w, b)
        w = w - alpha * dw
        b = b - alpha * db
    return w, b, costs
