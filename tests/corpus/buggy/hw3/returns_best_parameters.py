"""Bug: gradient_descent returns the parameters with the lowest cost seen, not the last ones.

Caught by: test_gradient_descent_when_the_cost_rises.
"""

import numpy as np
import torch


def softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def one_hot(t, num_classes):
    T = np.zeros((len(t), num_classes))
    T[np.arange(len(t)), t] = 1
    return T


def predict_proba(X, W, b):
    return softmax(X @ W + b)


def cost(X, t, W, b):
    Z = X @ W + b
    Z = Z - Z.max(axis=1, keepdims=True)
    log_P = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    return -np.mean(log_P[np.arange(len(t)), t])


def gradient(X, t, W, b):
    N = X.shape[0]
    E = predict_proba(X, W, b) - one_hot(t, W.shape[1])
    dW = X.T @ E / N
    db = E.sum(axis=0) / N
    return dW, db


def gradient_descent(X, t, num_classes, alpha, num_epochs, W0=None, b0=None):
    W = np.zeros((X.shape[1], num_classes)) if W0 is None else W0.copy()
    b = np.zeros(num_classes) if b0 is None else b0.copy()
    costs = np.zeros(num_epochs)
    best = (cost(X, t, W, b), W, b)
    for i in range(num_epochs):
        costs[i] = cost(X, t, W, b)
        dW, db = gradient(X, t, W, b)
        W = W - alpha * dW
        b = b - alpha * db
        if cost(X, t, W, b) < best[0]:
            best = (cost(X, t, W, b), W, b)
    return best[1], best[2], costs


def predict(X, W, b):
    return np.argmax(X @ W + b, axis=1)


def torch_cost(X, t, W, b):
    log_P = torch.log_softmax(X @ W + b, dim=1)
    return -log_P[torch.arange(len(t)), t].mean()


def train_torch(X, t, num_classes, alpha, num_epochs):
    X = torch.tensor(X)
    t = torch.tensor(t, dtype=torch.long)
    W = torch.zeros(X.shape[1], num_classes, dtype=X.dtype, requires_grad=True)
    b = torch.zeros(num_classes, dtype=X.dtype, requires_grad=True)
    costs = []
    for _ in range(num_epochs):
        loss = torch_cost(X, t, W, b)
        costs.append(loss.item())
        loss.backward()
        with torch.no_grad():
            W -= alpha * W.grad
            b -= alpha * b.grad
            W.grad.zero_()
            b.grad.zero_()
    return W.detach().numpy(), b.detach().numpy(), np.array(costs)
