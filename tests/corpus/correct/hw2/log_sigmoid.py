"""Correct: sigmoid as exp(-logaddexp(0, -z)); gradient descent on theta = [w, b]; costs built as a list."""

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cost(X, t, w, b):
    z = X @ w + b
    negative_log_likelihood = np.where(t == 1, np.logaddexp(0.0, -z), np.logaddexp(0.0, z))
    return negative_log_likelihood.mean()


def gradient(X, t, w, b):
    X1 = np.column_stack([X, np.ones(len(X))])
    grad = X1.T @ (predict_proba(X, w, b) - t) / len(X)
    return grad[:-1], grad[-1]


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w_start = np.zeros(X.shape[1]) if w0 is None else w0
    theta = np.append(w_start, b0)
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, theta[:-1], theta[-1]))
        dw, db = gradient(X, t, theta[:-1], theta[-1])
        theta = theta - alpha * np.append(dw, db)
    return theta[:-1], theta[-1], np.asarray(costs, dtype=float)


def predict(X, w, b):
    z = X @ w + b
    labels = np.zeros(len(z), dtype=np.int64)
    labels[z >= 0] = 1
    return labels
