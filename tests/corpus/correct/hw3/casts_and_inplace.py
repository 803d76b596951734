"""Correct: casts inputs to float64, in-place updates on its own copies, Python-float cost, gather in torch."""

import numpy as np
import torch


def softmax(Z):
    Z = np.array(Z, dtype=np.float64)  # a copy: safe to shift in place
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def one_hot(t, num_classes):
    T = np.zeros((len(t), num_classes), dtype=np.float64)
    T[np.arange(len(t)), np.asarray(t)] = 1.0
    return T


def predict_proba(X, W, b):
    return softmax(np.asarray(X, dtype=np.float64) @ np.asarray(W, dtype=np.float64) + b)


def cost(X, t, W, b):
    Z = np.asarray(X, dtype=np.float64) @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64)
    Z = Z - Z.max(axis=1, keepdims=True)
    log_P = Z - np.log(np.sum(np.exp(Z), axis=1))[:, None]
    return float(-log_P[np.arange(len(t)), t].sum() / len(t))


def gradient(X, t, W, b):
    X = np.asarray(X, dtype=np.float64)
    residual = predict_proba(X, W, b)
    residual[np.arange(len(t)), t] -= 1.0
    residual /= len(t)
    return X.T @ residual, residual.sum(axis=0)


def gradient_descent(X, t, num_classes, alpha, num_epochs, W0=None, b0=None):
    D = np.shape(X)[1]
    W = np.zeros((D, num_classes)) if W0 is None else np.array(W0, dtype=np.float64, copy=True)
    b = np.zeros(num_classes) if b0 is None else np.array(b0, dtype=np.float64, copy=True)
    costs = np.zeros(num_epochs)
    for i in range(num_epochs):
        costs[i] = cost(X, t, W, b)
        dW, db = gradient(X, t, W, b)
        W -= alpha * dW
        b -= alpha * db
    return W, b, costs


def predict(X, W, b):
    return np.argmax(predict_proba(X, W, b), axis=1).astype(np.int32)


def torch_cost(X, t, W, b):
    Z = X @ W + b
    log_P = Z - torch.logsumexp(Z, dim=1, keepdim=True)
    return -log_P.gather(1, t.view(-1, 1)).mean()


def train_torch(X, t, num_classes, alpha, num_epochs):
    X = torch.from_numpy(np.asarray(X, dtype=np.float64).copy())
    t = torch.from_numpy(np.asarray(t, dtype=np.int64).copy())
    W = torch.zeros(X.shape[1], num_classes, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(num_classes, dtype=torch.float64, requires_grad=True)
    costs = np.zeros(num_epochs)
    for epoch in range(num_epochs):
        loss = torch_cost(X, t, W, b)
        costs[epoch] = loss.item()
        loss.backward()
        with torch.no_grad():
            W.sub_(alpha * W.grad)
            b.sub_(alpha * b.grad)
            W.grad.zero_()
            b.grad.zero_()
    return W.detach().numpy(), b.detach().numpy(), costs
