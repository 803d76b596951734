"""Hostile: returns objects whose __eq__ is always True (a custom class and a float subclass)."""

import numpy as np


class AlwaysEqual:
    shape = (3,)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)


class EqualFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0


def predict(X, w, b):
    return AlwaysEqual()


def cost(X, t, w, b):
    return EqualFloat(0.0)


def gradient(X, t, w, b):
    return AlwaysEqual(), EqualFloat(0.0)


def solve_exact(X, t):
    return AlwaysEqual(), EqualFloat(0.0)


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    return AlwaysEqual(), EqualFloat(0.0), AlwaysEqual()
