"""Hints for the classic mistakes, found by comparing a wrong result with the right one."""

from __future__ import annotations

import re

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
    if np.count_nonzero(np.abs(expected) > 1e-12) < 2:
        return ""  # any single number is some multiple of another: that says nothing
    return f"your value is the expected one times {ratio:.4g}: a constant factor is off"


# --- hints from a message or an error, for `make check` (checklib.check) -----------------

LARGE_LOGITS_HINT = ("nan for large logits: subtract the row maximum of Z before np.exp "
                     "(softmax(Z) does not change), and compute log P from the shifted Z")
LARGE_Z_HINT = ("nan or inf for large |z|: exp(-z) overflows for z < -709; use exp(-|z|) in sigmoid, "
                "and np.logaddexp(0, -z) for -log sigma(z) in the cost")
# Which overflow advice fits a function that returned nan or inf, per assignment.
_OVERFLOW_HINTS = {
    "hw2": LARGE_Z_HINT,
    "hw3": LARGE_LOGITS_HINT,
}
_ASSIGNED_NAME = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*(?:[-+*/@%]|//|\*\*)?=[^=]")


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
                    "make a copy first, or build new arrays (w = w - alpha * dw) instead of writing into them")
        return (f"your input {name} was modified: {name} is an array passed to your function (read-only in this "
                f"check), or the same array. Copy it first ({name} = {name}.copy()) or write {name} = {name} - ... "
                "instead of changing it in place")
    if "overflow" in message:
        return "exp() overflowed: rewrite the formula so that exp only sees numbers <= 0 (see the docstring)"
    if "not aligned" in message or "mismatch in its core dimension" in message or "broadcast" in message:
        return "the shapes do not fit together: print the .shape of each array (the docstring gives the shapes)"
    return ""


COSTS_ORDER_HINT = ("costs[0] should be the cost before the first update: in each epoch, record J(w, b) first, "
                    "then compute the gradient and update (recorded after the update, costs are shifted by one)")


def _without_hint(message: str) -> str:
    return message.partition(". Hint: ")[0]


def improve_message(assignment: str, message: str) -> str:
    """A failed check's message, with a hint added (or a misleading one replaced) where one applies."""
    if message.startswith("costs[0]") and "should be the cost before" not in message:
        # costs[0] is compared with the student's own cost, so a ratio hint ("2x") would mislead.
        return f"{_without_hint(message)}. Hint: {COSTS_ORDER_HINT}"
    if "Hint:" in message or re.search(r"contains (nan|inf): ", message):
        return message
    if "finite differences give" in message:
        return (f"{message}. Hint: your gradient is not the derivative of your cost: compare your formula with "
                "the one in the docstring")
    words = set(re.findall(r"[a-z]+", message.lower()))
    if words & {"nan", "inf"} and assignment in _OVERFLOW_HINTS:
        return f"{message}. Hint: {_OVERFLOW_HINTS[assignment]}"
    return message


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
