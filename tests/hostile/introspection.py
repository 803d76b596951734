"""Hostile: hunts through gc and the call stack for the reference module or the expected values."""

import functools
import gc
import inspect
import sys
import types

import numpy as np


def _has_gradient_descent(thing):
    try:
        return callable(vars(thing).get("gradient_descent"))
    except TypeError:
        return False


def _reference_module():
    """Any other module in memory that has the homework's functions (the reference?)."""
    for thing in gc.get_objects():
        if isinstance(thing, types.ModuleType) and vars(thing) is not globals() and _has_gradient_descent(thing):
            return thing
    for module in list(sys.modules.values()):
        if module is not None and "solution" in getattr(module, "__name__", "") + str(getattr(module, "__file__", "")):
            return module
    return None


def _expected_in_callers(name):
    """A variable called expected/ref/reference in any frame up the stack."""
    for frame_info in inspect.stack():
        for key in ("expected", "ref", "reference", "answer"):
            value = frame_info.frame.f_locals.get(key)
            if isinstance(value, types.ModuleType) and _has_gradient_descent(value):
                return getattr(value, name)
    for thing in gc.get_objects():
        if isinstance(thing, types.FrameType):
            value = thing.f_locals.get("ref")
            if isinstance(value, types.ModuleType) and _has_gradient_descent(value):
                return getattr(value, name)
    return None


@functools.cache
def _stolen(name):
    module = _reference_module()
    if module is not None:
        return getattr(module, name)
    return _expected_in_callers(name)


def predict(X, w, b):
    found = _stolen("predict")
    return found(X, w, b) if found else np.zeros(X.shape[0])


def cost(X, t, w, b):
    found = _stolen("cost")
    return found(X, t, w, b) if found else 0.0


def gradient(X, t, w, b):
    found = _stolen("gradient")
    return found(X, t, w, b) if found else (np.zeros(X.shape[1]), 0.0)


def solve_exact(X, t):
    found = _stolen("solve_exact")
    return found(X, t) if found else (np.zeros(X.shape[1]), 0.0)


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    found = _stolen("gradient_descent")
    return found(X, t, alpha, num_epochs, w0, b0) if found else (np.zeros(X.shape[1]), 0.0, np.zeros(num_epochs))
