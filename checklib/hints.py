"""Hints for the classic mistakes, found by comparing a wrong result with the right one."""

from __future__ import annotations

import numpy as np

# A ratio counts as "exactly" k when it is k to this relative precision.
RATIO_RTOL = 1e-6


def _constant_ratio(actual: np.ndarray, expected: np.ndarray) -> float | None:
    mask = np.abs(expected) > 1e-12
    if not mask.any() or not np.all(np.isfinite(actual)):
        return None
    ratios = actual[mask] / expected[mask]
    if np.allclose(ratios, ratios.flat[0], rtol=RATIO_RTOL) and np.allclose(actual[~mask], 0, atol=1e-12):
        return float(ratios.flat[0])
    return None


def diagnose(actual: np.ndarray, expected: np.ndarray, n_examples: int | None = None) -> str:
    """One sentence naming the likely mistake, or "" when none is recognized."""
    if np.isnan(actual).any():
        return ("nan appeared: for large inputs exp() overflows; subtract the row maximum "
                "(softmax) or compute the log from z directly (cross-entropy)")
    if np.isinf(actual).any():
        return "inf appeared: exp() or log(0) overflowed; rewrite the formula so it stays finite"
    ratio = _constant_ratio(actual, expected)
    if ratio is None:
        return ""
    if np.isclose(ratio, 2.0, rtol=RATIO_RTOL):
        return "your value is exactly 2x the expected one: is the 1/2 of the squared error missing?"
    if np.isclose(ratio, 0.5, rtol=RATIO_RTOL):
        return "your value is exactly half the expected one: is there an extra 1/2?"
    if np.isclose(ratio, -1.0, rtol=RATIO_RTOL):
        return "your value has the wrong sign: check y - t versus t - y"
    if n_examples and np.isclose(ratio, n_examples, rtol=RATIO_RTOL):
        return f"your value is N = {n_examples} times too large: divide by N (average, not sum)"
    if n_examples and np.isclose(ratio, 1 / n_examples, rtol=RATIO_RTOL):
        return f"your value is N = {n_examples} times too small: divide by N only once"
    if n_examples and np.isclose(ratio, 2 * n_examples, rtol=RATIO_RTOL):
        return "your value is 2N times too large: both the 1/2 and the 1/N are missing"
    return f"your value is the expected one times {ratio:.4g}: a constant factor is off"
