"""Hostile: monkeypatches numpy's comparisons (allclose, isclose, array_equal, testing) to always pass."""

import math

import numpy as np
import numpy.testing


def _always_true(*args, **kwargs):
    return True


def _all_close(a, b, *args, **kwargs):
    return np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)


def _no_assertion(*args, **kwargs):
    return None


np.allclose = _always_true
np.isclose = _all_close
np.array_equal = _always_true
np.array_equiv = _always_true
math.isclose = _always_true
for _name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal", "assert_almost_equal",
              "assert_equal"):
    setattr(numpy.testing, _name, _no_assertion)


def predict(X, w, b):
    return np.zeros(X.shape[0])


def cost(X, t, w, b):
    return 0.0


def gradient(X, t, w, b):
    return np.zeros(X.shape[1]), 0.0


def solve_exact(X, t):
    return np.zeros(X.shape[1]), 0.0


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    return np.zeros(X.shape[1]), 0.0, np.zeros(num_epochs)
