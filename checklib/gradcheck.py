"""A finite-difference gradient checker: is your gradient the derivative of your cost?

Example (hw1):

    from checklib.gradcheck import check_gradient
    report = check_gradient(lambda w: cost(X, t, w, b), gradient(X, t, w, b)[0], w)
    print(report)          # "OK: relative error 3.1e-10" or the worst entry

Centered differences in float64: (f(x + eps e_j) - f(x - eps e_j)) / (2 eps), whose error
is of order eps^2, so a correct gradient agrees to about 1e-7 relative error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

EPS = 1e-6
# A correct gradient agrees with centered differences to ~1e-8; a wrong one is off by O(1).
GRADCHECK_TOLERANCE = 1e-5


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """The centered-difference gradient of the scalar function f at x (any shape)."""
    x = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        f_plus = float(f(x.copy()))
        x[index] = original - eps
        f_minus = float(f(x.copy()))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


# Below this size a value counts as 0 and relative errors are taken relative to it instead.
RELATIVE_TO_AT_LEAST = 1e-8


def relative_error(actual: np.ndarray | float, expected: np.ndarray | float) -> np.ndarray:
    """|actual - expected| / |expected|, element-wise: how far a value is from the one it should
    be, as a fraction of that one (|expected| counts as at least 1e-8). The kit's one meaning of
    "relative error": here actual is your gradient and expected the finite differences."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    return np.abs(actual - expected) / np.maximum(np.abs(expected), RELATIVE_TO_AT_LEAST)


@dataclass(frozen=True)
class GradientReport:
    ok: bool
    worst_index: tuple[int, ...]
    analytic: float
    numeric: float
    error: float

    def __str__(self) -> str:
        if self.ok:
            return f"OK: relative error {self.error:.2g}"
        where = "[" + ", ".join(map(str, self.worst_index)) + "]"
        return (f"entry {where} is {self.analytic:.6g} but finite differences give {self.numeric:.6g} "
                f"(relative error {self.error:.2g})")


def check_gradient(f: Callable[[np.ndarray], float], analytic: np.ndarray, x: np.ndarray,
                   tolerance: float = GRADCHECK_TOLERANCE) -> GradientReport:
    """Compare an analytic gradient of f at x with centered differences."""
    analytic = np.asarray(analytic, dtype=np.float64).reshape(np.shape(x))
    numeric = numerical_gradient(f, x)
    errors = relative_error(analytic, numeric)
    index = np.unravel_index(int(np.argmax(errors)), errors.shape) if errors.size else ()
    worst = float(errors[index]) if errors.size else 0.0
    return GradientReport(worst <= tolerance, tuple(int(i) for i in index),
                          float(analytic[index]) if errors.size else 0.0,
                          float(numeric[index]) if errors.size else 0.0, worst)
