"""Hints for the classic mistakes, found by comparing a wrong result with the right one."""

from __future__ import annotations

import re

import numpy as np

# A ratio counts as "exactly" k when it is k to this relative precision (or the check's own rtol).
RATIO_RTOL = 1e-6
# A constant factor is named only when it is clearly one: not 1 give or take rounding (the
# values are merely a little off) and not 0 (the value was never computed).
FACTOR_NEAR_ONE = 1.25
FACTOR_NEAR_ZERO = 1e-3

NAN_HINT = "nan comes from an undefined operation (inf - inf, 0 * inf, 0/0): look for a value that overflowed first"
INF_HINT = "inf comes from a value too large for a float, or from log(0)"


def _constant_ratio(actual: np.ndarray, expected: np.ndarray, rtol: float) -> float | None:
    mask = np.abs(expected) > 1e-12
    if not mask.any() or not np.all(np.isfinite(actual)):
        return None
    ratios = actual[mask] / expected[mask]
    if np.allclose(ratios, ratios.flat[0], rtol=rtol) and np.allclose(actual[~mask], 0, atol=1e-12):
        return float(ratios.flat[0])
    return None


def _is_clear_factor(ratio: float) -> bool:
    size = abs(ratio)
    return size >= FACTOR_NEAR_ZERO and (ratio < 0 or size >= FACTOR_NEAR_ONE or size <= 1 / FACTOR_NEAR_ONE)


def _named_factors(ratio: float, n_examples: int | None, squared_error: bool, rtol: float) -> list[str]:
    """What each classic mistake that multiplies the value by ratio would be, in words."""
    def near(k: float) -> bool:
        return bool(np.isclose(ratio, k, rtol=rtol, atol=0))

    named = []
    if squared_error and near(2.0):
        named.append("your value is exactly 2x the expected one: is the 1/2 of the squared error missing?")
    if squared_error and near(0.5):
        named.append("your value is exactly half the expected one: is there an extra 1/2?")
    if near(-1.0):
        named.append("your value has the wrong sign: check y - t versus t - y")
    if n_examples and n_examples > 1 and near(n_examples):
        named.append(f"your value is N = {n_examples} times too large: divide by N (average, not sum)")
    if n_examples and n_examples > 1 and near(1 / n_examples):
        named.append(f"your value is N = {n_examples} times too small: divide by N only once")
    if squared_error and n_examples and near(2 * n_examples):
        named.append("your value is 2N times too large: both the 1/2 and the 1/N are missing")
    return named


def diagnose(actual: np.ndarray, expected: np.ndarray, n_examples: int | None = None,
             squared_error: bool = False, rtol: float = RATIO_RTOL) -> str:
    """One sentence naming the likely mistake, or "" when none is recognized.

    n_examples: N, when the value is an average over N examples (a factor N means a sum).
    squared_error: the value comes from hw1's squared-error cost 1/(2N) sum (y - t)^2 (the
    cost or its gradient), so a factor 2 or 1/2 is about its 1/2. Other costs have no 1/2.
    """
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if np.isnan(actual).any():
        return NAN_HINT
    if np.isinf(actual).any():
        return INF_HINT
    ratio = _constant_ratio(actual, expected, max(rtol, RATIO_RTOL))
    if ratio is None or not _is_clear_factor(ratio):
        return ""
    named = _named_factors(ratio, n_examples, squared_error, max(rtol, RATIO_RTOL))
    if named:
        return "; or ".join(named)
    if np.count_nonzero(np.abs(expected) > 1e-12) < 2:
        return ""  # any single number is some multiple of another: that says nothing
    return f"your value is the expected one times {ratio:.4g}: a constant factor is off"


# --- hints from a message or an error, for `make check` (checklib.check) -----------------

# A name of at most 60 characters: it is the student's text, put into the hint.
_ASSIGNED_NAME = re.compile(r"^\s*([A-Za-z_]\w{0,59})\s*(?:\[[^\]]*\])?\s*(?:[-+*/@%]|//|\*\*)?=[^=]")


def _changed_name(where: str) -> str | None:
    """The variable a traceback line assigns to: "line 9, in f: w -= a * dw" -> "w"."""
    code = where.split("; ")[-1].split(": ", 1)[-1] if where else ""
    match = _ASSIGNED_NAME.match(code)
    return match.group(1) if match else None


def explain_error(type_name: str, message: str, where: str = "") -> str:
    """A hint for an exception raised by the student's code, or "" when none applies."""
    if type_name == "ValueError" and "read-only" in message:
        name = _changed_name(where)
        if name is None:
            return ("your function changed one of its input arrays in place (inputs are read-only in this check): "
                    "make a copy first, or build new arrays instead of writing into them")
        return (f"your input {name} was modified: {name} is an array passed to your function (read-only in this "
                f"check), or the same array. Copy it first ({name} = {name}.copy()) or write {name} = {name} - ... "
                "instead of changing it in place")
    if type_name == "MemoryError":
        return ("your code ran out of memory: look for an array far larger than the data (an (N, N) matrix from "
                "broadcasting a (N,) vector against a (N, 1) column?) or a list that never stops growing")
    if "overflow" in message:
        return "exp() overflowed: rewrite the formula so that exp only sees numbers <= 0 (see the docstring)"
    if _row_statistic_without_keepdims(message):
        return ("an (N, K) array and a per-row (N,) result (a max or a sum over axis=1) do not broadcast: keep the "
                "axis with keepdims=True, so that the per-row result has shape (N, 1)")
    if "not aligned" in message or "mismatch in its core dimension" in message or "broadcast" in message:
        return "the shapes do not fit together: print the .shape of each array (the docstring gives the shapes)"
    return ""


_BROADCAST_SHAPES = re.compile(r"broadcast together with shapes \((\d+),(\d+)\) \((\d+),\)")


def _row_statistic_without_keepdims(message: str) -> bool:
    """Whether message is NumPy's broadcast error for an (N, K) array and an (N,) one (N != K)."""
    match = _BROADCAST_SHAPES.search(message)
    return bool(match) and match.group(1) == match.group(3) != match.group(2)


def improve_message(overflow_hint: str, message: str) -> str:
    """A failed check's message, with the assignment's overflow advice (its settings' overflow_hint)
    for a nan or inf that the check did not explain itself (a message without a hint, or with the
    general nan/inf one)."""
    body, _, hint = message.partition(". Hint: ")
    if not overflow_hint or hint not in ("", NAN_HINT, INF_HINT) or re.search(r"contains (nan|inf): ", message):
        return message
    words = set(re.findall(r"[a-z]+", body.lower()))
    return f"{body}. Hint: {overflow_hint}" if words & {"nan", "inf"} else message


def diagnose_costs(costs: np.ndarray, first_cost: float, last_cost: float, rtol: float = 1e-6) -> str:
    """Why costs[0] is not first_cost (the cost of the initial parameters), or "".

    last_cost is the student's own cost at the parameters gradient descent returned: if
    costs[-1] equals it, each cost was recorded after its update (shifted by one).
    """
    costs = np.asarray(costs, dtype=np.float64).ravel()
    if costs.size == 0 or np.isclose(costs[0], first_cost, rtol=rtol, atol=1e-12):
        return ""
    if costs[0] == 0.0:
        return "costs[0] should be the cost before the first update, but it is 0: was it never filled in?"
    if np.isclose(costs[-1], last_cost, rtol=rtol, atol=1e-12):
        return ("costs[0] should be the cost before the first update: your costs are shifted by one "
                "(costs[-1] is the cost after the last update). Record J(w, b) first, then update w and b")
    return ""
