"""Hostile: returns an ndarray subclass whose comparisons are always True."""

import numpy as np


class AgreeableArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.isclose, np.equal, np.less_equal, np.isfinite):
            return True
        inputs = tuple(np.asarray(value) for value in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)


def _agreeable(shape):
    return np.zeros(shape).view(AgreeableArray)


def predict(X, w, b):
    return _agreeable(X.shape[0])


def cost(X, t, w, b):
    return _agreeable(())


def gradient(X, t, w, b):
    return _agreeable(X.shape[1]), _agreeable(())


def solve_exact(X, t):
    return _agreeable(X.shape[1]), _agreeable(())


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    return _agreeable(X.shape[1]), _agreeable(()), _agreeable(num_epochs)
