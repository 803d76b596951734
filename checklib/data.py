"""Synthetic data sets for the tests, reproducible from a seed.

Every generator returns float64 arrays with [X, 1] of full column rank. Public and
hidden tests call these with different seeds and shapes.
"""

from __future__ import annotations

import numpy as np


def regression(seed: int, n: int, d: int, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, d), t (n,)): a noisy linear function of X."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    t = X @ rng.normal(size=d) + rng.normal() + noise * rng.normal(size=n)
    return X, t


def binary(seed: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, d), t (n,) of 0.0/1.0): two overlapping classes, both present."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    z = X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)
    t = (z > np.median(z)).astype(np.float64)
    return X, t


def multiclass(seed: int, n: int, d: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, d), t (n,) of int labels 0..k-1): every class present."""
    rng = np.random.default_rng(seed)
    centers = 2.0 * rng.normal(size=(k, d))
    t = np.arange(n) % k
    rng.shuffle(t)
    X = centers[t] + rng.normal(size=(n, d))
    return X, t.astype(np.int64)


def parameters(seed: int, *shape: int, scale: float = 0.5) -> np.ndarray:
    """Random parameters of the given shape (weights or biases) for a test."""
    return scale * np.random.default_rng(seed).normal(size=shape)


def read_only(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Copies that raise if written to: catches a function that modifies its inputs."""
    copies = tuple(np.array(array, copy=True) for array in arrays)
    for copy in copies:
        copy.setflags(write=False)
    return copies


def float32_copies(*values: object) -> tuple:
    """float32 copies of the float arrays among values (others unchanged): a graded input in float32."""
    return tuple(np.asarray(v, dtype=np.float32) if type(v) is np.ndarray and v.dtype.kind == "f" else v
                 for v in values)
