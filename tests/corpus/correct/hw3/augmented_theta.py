"""Correct: [W; b] stacked into one (D+1, K) matrix; F.one_hot in torch_cost; .data updates in train_torch."""

import numpy as np
import torch
import torch.nn.functional as F


def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1)[:, np.newaxis])
    return E / np.sum(E, axis=1)[:, np.newaxis]


def one_hot(t, num_classes):
    return (np.asarray(t)[:, None] == np.arange(num_classes)[None, :]).astype(float)


def _with_ones(X):
    return np.hstack([X, np.ones((len(X), 1))])


def predict_proba(X, W, b):
    return softmax(_with_ones(X) @ np.vstack([W, b]))


def cost(X, t, W, b):
    Z = _with_ones(X) @ np.vstack([W, b])
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(np.sum(one_hot(t, W.shape[1]) * log_P, axis=1))


def gradient(X, t, W, b):
    X1 = _with_ones(X)
    grad = X1.T @ (predict_proba(X, W, b) - one_hot(t, W.shape[1])) / len(X)
    return grad[:-1], grad[-1]


def gradient_descent(X, t, num_classes, alpha, num_epochs, W0=None, b0=None):
    D = X.shape[1]
    W_start = np.zeros((D, num_classes)) if W0 is None else W0
    b_start = np.zeros(num_classes) if b0 is None else b0
    theta = np.vstack([W_start, b_start])
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, theta[:-1], theta[-1]))
        dW, db = gradient(X, t, theta[:-1], theta[-1])
        theta = theta - alpha * np.vstack([dW, db])
    return theta[:-1], theta[-1], np.array(costs)


def predict(X, W, b):
    return np.argmax(predict_proba(X, W, b), axis=1)


def torch_cost(X, t, W, b):
    T = F.one_hot(t, num_classes=W.shape[1]).to(X.dtype)
    return -(T * torch.log_softmax(X @ W + b, dim=1)).sum(dim=1).mean()


def train_torch(X, t, num_classes, alpha, num_epochs):
    X = torch.tensor(X)
    t = torch.tensor(t).long()
    W = torch.zeros(X.shape[1], num_classes, dtype=X.dtype).requires_grad_()
    b = torch.zeros(num_classes, dtype=X.dtype).requires_grad_()
    costs = []
    for _ in range(num_epochs):
        loss = torch_cost(X, t, W, b)
        costs.append(loss.item())
        loss.backward()
        W.data -= alpha * W.grad.data
        b.data -= alpha * b.grad.data
        W.grad.zero_()
        b.grad.zero_()
    return W.detach().numpy(), b.detach().numpy(), np.array(costs)
