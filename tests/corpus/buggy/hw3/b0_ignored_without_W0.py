"""Bug: b0 is ignored when W0 is None: both parameters start at zero.

Caught by: test_gradient_descent_b0_without_W0.
"""

import numpy as np
import torch


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def one_hot(t, num_classes):
    T = np.zeros((len(t), num_classes))
    T[np.arange(len(t)), t] = 1.0
    return T


def predict_proba(X, W, b):
    return softmax(X @ W + b)


def _log_softmax(Z):
    S = Z - Z.max(axis=1, keepdims=True)
    return S - np.log(np.exp(S).sum(axis=1, keepdims=True))


def cost(X, t, W, b):
    L = _log_softmax(X @ W + b)
    return -np.mean(L[np.arange(len(t)), t])


def gradient(X, t, W, b):
    N = X.shape[0]
    G = predict_proba(X, W, b) - one_hot(t, W.shape[1])
    return X.T @ G / N, G.mean(axis=0)


def gradient_descent(X, t, num_classes, alpha, num_epochs, W0=None, b0=None):
    D = X.shape[1]
    if W0 is None:
        W, b = np.zeros((D, num_classes)), np.zeros(num_classes)
    else:
        W = np.array(W0, dtype=float)
        b = np.zeros(num_classes) if b0 is None else np.array(b0, dtype=float)
    costs = []
    for _ in range(num_epochs):
        costs.append(cost(X, t, W, b))
        dW, db = gradient(X, t, W, b)
        W = W - alpha * dW
        b = b - alpha * db
    return W, b, np.array(costs, dtype=float)


def predict(X, W, b):
    return np.argmax(X @ W + b, axis=1)


def torch_cost(X, t, W, b):
    Z = X @ W + b
    logp = torch.log_softmax(Z, dim=1)
    return -logp[torch.arange(Z.shape[0]), t].mean()


def train_torch(X, t, num_classes, alpha, num_epochs):
    Xt = torch.from_numpy(np.asarray(X))
    tt = torch.from_numpy(np.asarray(t)).long()
    D = Xt.shape[1]
    W = torch.zeros(D, num_classes, dtype=Xt.dtype, requires_grad=True)
    b = torch.zeros(num_classes, dtype=Xt.dtype, requires_grad=True)
    costs = []
    for _ in range(num_epochs):
        loss = torch_cost(Xt, tt, W, b)
        costs.append(loss.item())
        loss.backward()
        with torch.no_grad():
            W -= alpha * W.grad
            b -= alpha * b.grad
            W.grad.zero_()
            b.grad.zero_()
    return W.detach().numpy(), b.detach().numpy(), np.array(costs, dtype=float)
