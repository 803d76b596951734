"""Correct: explicit Python loops over the examples; train_torch resets the gradients with W.grad = None."""

import math

import numpy as np
import torch


def _softmax_row(z):
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    total = sum(exps)
    return [e / total for e in exps]


def softmax(Z):
    return np.array([_softmax_row(list(map(float, row))) for row in Z])


def one_hot(t, num_classes):
    T = np.zeros((len(t), num_classes))
    for i, label in enumerate(t):
        T[i, label] = 1.0
    return T


def _logits(X, W, b):
    N, K = X.shape[0], W.shape[1]
    Z = np.zeros((N, K))
    for i in range(N):
        for k in range(K):
            Z[i, k] = float(X[i] @ W[:, k]) + float(b[k])
    return Z


def predict_proba(X, W, b):
    return softmax(_logits(X, W, b))


def cost(X, t, W, b):
    Z = _logits(X, W, b)
    total = 0.0
    for i in range(len(t)):
        row = list(Z[i])
        top = max(row)
        log_sum = top + math.log(sum(math.exp(v - top) for v in row))
        total += log_sum - row[t[i]]
    return total / len(t)


def gradient(X, t, W, b):
    N, K = X.shape[0], W.shape[1]
    P = predict_proba(X, W, b)
    dW = np.zeros(W.shape)
    db = np.zeros(K)
    for i in range(N):
        error = P[i].copy()
        error[t[i]] -= 1.0
        dW += np.outer(X[i], error) / N
        db += error / N
    return dW, db


def gradient_descent(X, t, num_classes, alpha, num_epochs, W0=None, b0=None):
    W = np.zeros((X.shape[1], num_classes)) if W0 is None else np.array(W0, dtype=float)
    b = np.zeros(num_classes) if b0 is None else np.array(b0, dtype=float)
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, W, b))
        dW, db = gradient(X, t, W, b)
        W, b = W - alpha * dW, b - alpha * db
    return W, b, np.array(costs)


def predict(X, W, b):
    Z = _logits(X, W, b)
    labels = []
    for row in Z:
        best = 0
        for k in range(1, len(row)):
            if row[k] > row[best]:
                best = k
        labels.append(best)
    return np.array(labels)


def torch_cost(X, t, W, b):
    Z = X @ W + b
    return (torch.logsumexp(Z, dim=1) - Z[torch.arange(Z.shape[0]), t]).mean()


def train_torch(X, t, num_classes, alpha, num_epochs):
    X = torch.from_numpy(np.array(X))
    t = torch.from_numpy(np.array(t)).long()
    W = torch.zeros((X.shape[1], num_classes), dtype=X.dtype, requires_grad=True)
    b = torch.zeros(num_classes, dtype=X.dtype, requires_grad=True)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        loss = torch_cost(X, t, W, b)
        costs[epoch] = loss.item()
        loss.backward()
        with torch.no_grad():
            W -= alpha * W.grad
            b -= alpha * b.grad
        W.grad = None
        b.grad = None
    return W.detach().numpy(), b.detach().numpy(), costs
