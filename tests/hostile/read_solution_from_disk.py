"""Hostile: searches the whole disk for the reference solution ("BEGIN SOLUTION", solutions/) and uses it."""

import importlib.util
import os
import sys

import numpy as np

NOT_SEARCHED = {"/proc", "/sys", "/dev", "/usr", os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
MARKER = "BEGIN " + "SOLUTION"  # split, so that this file does not find itself


def instructor_files():
    """Every path that looks like the instructor's: solution files, solutions/ and tests/hidden folders."""
    found = []
    own = os.path.realpath(__file__)
    for folder, dirs, files in os.walk("/"):
        dirs[:] = [name for name in dirs if os.path.join(folder, name) not in NOT_SEARCHED]
        for name in dirs:
            path = os.path.join(folder, name)
            if name == "solutions" or path.endswith("tests/hidden"):
                found.append(path)
        for name in files:
            path = os.path.join(folder, name)
            if path == own or not name.endswith((".py", ".ipynb")):
                continue
            try:
                with open(path, encoding="utf-8", errors="ignore") as file:
                    text = file.read(1_000_000)
            except OSError:
                continue
            if MARKER in text or name == "hw1_linear_regression.py":
                found.append(path)
    return found


def _reference():
    for path in instructor_files():
        if path.endswith("hw1_linear_regression.py"):
            spec = importlib.util.spec_from_file_location("stolen_reference", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    return None


REFERENCE = _reference()


def predict(X, w, b):
    return REFERENCE.predict(X, w, b) if REFERENCE else np.zeros(X.shape[0])


def cost(X, t, w, b):
    return REFERENCE.cost(X, t, w, b) if REFERENCE else 0.0


def gradient(X, t, w, b):
    return REFERENCE.gradient(X, t, w, b) if REFERENCE else (np.zeros(X.shape[1]), 0.0)


def solve_exact(X, t):
    return REFERENCE.solve_exact(X, t) if REFERENCE else (np.zeros(X.shape[1]), 0.0)


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    if REFERENCE:
        return REFERENCE.gradient_descent(X, t, alpha, num_epochs, w0, b0)
    return np.zeros(X.shape[1]), 0.0, np.zeros(num_epochs)
