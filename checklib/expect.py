"""Assertions whose failure messages a student can act on.

Each `expect_*` checks one thing about a value a student's function returned (see
`checklib.codec` for the kinds of value) and, on failure, raises an AssertionError that
says what was expected, what came back and where, in words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from checklib.codec import Opaque, TorchTensor, same_array
from checklib.gradcheck import EPS, GRADCHECK_TOLERANCE, check_gradient, relative_error
from checklib.hints import diagnose, diagnose_costs
from checklib.student_text import MAX_QUOTED, clipped, quoted

# Values are compared with the reference at RTOL: both compute the same formula in
# float64, so they differ only by rounding (summation order), far below 1e-6.
RTOL = 1e-6
# ATOL keeps entries that should be 0 (a gradient at the optimum) from failing on 1e-17.
ATOL = 1e-10
# float32 input: about 7 significant digits, so results agree with float64 to ~1e-4.
FLOAT32_RTOL = 1e-4
FLOAT32_ATOL = 1e-5


def describe(value: Any) -> str:
    """A short description of a returned value's kind, for messages (the student's text quoted)."""
    if type(value) is np.ndarray:
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a NumPy {value.dtype} scalar"
    if type(value) is TorchTensor:
        return f"a torch.Tensor of shape {tuple(value.shape)}"
    if type(value) is Opaque:  # its type name and repr are whatever the student's code made them
        return f"an object of type {quoted(value.type_name)} ({quoted(value.text)})"
    if type(value) in (tuple, list, dict):
        return f"a {type(value).__name__} of {len(value)} items"
    if type(value) is str:
        return f"a str ({quoted(value)})"
    return f"a {type(value).__name__} ({clipped(repr(value), MAX_QUOTED)})"


def expect_array(value: Any, shape: tuple[int, ...], what: str, kind: str = "float") -> np.ndarray:
    """value must be a plain ndarray of exactly this shape; kind "float", "int" or "any"."""
    if type(value) is not np.ndarray:
        hint = " (convert with .detach().numpy())" if type(value) is TorchTensor else ""
        raise AssertionError(f"{what} should be an ndarray of shape {shape}, but it is {describe(value)}{hint}")
    if value.shape != shape:
        raise AssertionError(f"{what} should have shape {shape}, but it has shape {value.shape}"
                             f"{_shape_hint(value.shape, shape)}")
    if kind == "float" and value.dtype.kind != "f":
        raise AssertionError(f"{what} should hold floats, but its dtype is {value.dtype}")
    if kind == "int" and value.dtype.kind not in "iu":
        raise AssertionError(f"{what} should hold integers, but its dtype is {value.dtype} (use .astype(int))")
    return value


def _shape_hint(actual: tuple[int, ...], expected: tuple[int, ...]) -> str:
    if len(expected) == 1 and actual in ((expected[0], 1), (1, expected[0])):
        return f": a column or row instead of the flat shape {expected}; remove the extra axis (e.g. with .ravel())"
    if len(actual) == 2 and len(expected) == 1 and actual[0] == actual[1] == expected[0]:
        return ": an (N, N) matrix: a (N,) vector was probably broadcast against a (N, 1) column"
    if len(actual) == len(expected) == 2 and actual == expected[::-1]:
        return ": transposed"
    return ""


def expect_float(value: Any, what: str) -> float:
    """value must be one number: a Python float, a NumPy floating scalar or a 0-d array."""
    if type(value) is float:
        return value
    if isinstance(value, np.floating):
        return float(value)
    if type(value) is np.ndarray and value.shape == () and value.dtype.kind == "f":
        return float(value)
    shape_note = ""
    if type(value) is np.ndarray and value.size == 1:
        shape_note = f" (one number, but as an array of shape {value.shape}: use .item() or float())"
    raise AssertionError(f"{what} should be a float, but it is {describe(value)}{shape_note}")


def expect_shaped_like(value: Any, reference: Any, what: str) -> float | np.ndarray:
    """value must be a float where reference has shape () (hw1/hw2's b, db), and otherwise an
    ndarray of reference's shape; returns it."""
    if np.ndim(reference) == 0:
        return expect_float(value, what)
    return expect_array(value, np.shape(reference), what)


def expect_tuple(value: Any, length: int, what: str) -> tuple:
    """value must be a tuple (or list) of exactly length items."""
    if type(value) not in (tuple, list) or len(value) != length:
        raise AssertionError(f"{what} should return a tuple of {length} values, but it returned {describe(value)}")
    return tuple(value)


def expect_tensor(value: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    """value must be a torch.Tensor (seen as a `TorchTensor`) of exactly this shape; returns its values."""
    if type(value) is not TorchTensor:
        hint = ""
        if type(value) in (float, int) or isinstance(value, np.generic) or type(value) is np.ndarray:
            hint = " (do not call .item() or convert to NumPy: autograd needs the tensor)"
        raise AssertionError(f"{what} should be a torch.Tensor of shape {shape}, but it is {describe(value)}{hint}")
    if value.shape != shape:
        raise AssertionError(f"{what} should be a torch.Tensor of shape {shape}, but its shape is {value.shape}")
    return value.value


def is_close(actual: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Whether actual has expected's shape and equals it within rtol/atol (nan equals nothing)."""
    actual_array = np.asarray(actual, dtype=np.float64)
    expected_array = np.asarray(expected, dtype=np.float64)
    if actual_array.shape != expected_array.shape:
        return False
    # np.allclose(actual, expected, rtol, atol, equal_nan=False) for float64 arrays of one shape, as
    # NumPy computes it, without its checks of the arguments (a hot spot of grading).
    with np.errstate(invalid="ignore"):
        close = ((np.abs(actual_array - expected_array) <= atol + rtol * np.abs(expected_array))
                 & np.isfinite(expected_array)) | (actual_array == expected_array)
    return bool(close.all())


def expect_close(actual: Any, expected: Any, what: str, rtol: float = RTOL, atol: float = ATOL,
                 n_examples: int | None = None, hint: str = "", squared_error: bool = False,
                 mistakes: Mapping[str, Any] | None = None) -> None:
    """actual must equal expected within rtol/atol; the message names the worst entry.

    mistakes maps a hint to what a classic mistake gives on this check's input: when actual is
    that, the hint names the mistake. Otherwise n_examples and squared_error say which constant
    factors are classic mistakes here (see diagnose), and hint is the check's own advice.
    """
    actual_array = np.asarray(actual, dtype=np.float64)
    expected_array = np.asarray(expected, dtype=np.float64)
    if actual_array.shape != expected_array.shape:
        raise AssertionError(f"{what} has shape {actual_array.shape}, expected {expected_array.shape}")
    if is_close(actual_array, expected_array, rtol, atol):
        return
    message = _mismatch(actual_array, expected_array, what, rtol, atol)
    recognized = next((text for text, result in (mistakes or {}).items() if is_close(actual_array, result, rtol, atol)),
                      "")
    hint = recognized or diagnose(actual_array, expected_array, n_examples, squared_error, rtol) or hint
    raise AssertionError(message + (f". Hint: {hint}" if hint else ""))


def _mismatch(actual: np.ndarray, expected: np.ndarray, what: str, rtol: float = RTOL, atol: float = ATOL) -> str:
    if actual.shape == ():
        shown, wanted = _fmt_pair(actual, expected)
        return f"{what} is {shown} but should be {wanted}{_relative(actual, expected)}"
    bad = ~np.isclose(actual, expected, rtol=rtol, atol=atol)
    # The entry furthest outside its tolerance (not the largest absolute error, which may be within it).
    excess = np.abs(actual - expected) - (atol + rtol * np.abs(expected))
    excess = np.where(np.isfinite(actual), excess, np.inf)
    index = np.unravel_index(np.argmax(excess), actual.shape)
    where = "[" + ", ".join(str(i) for i in index) + "]"
    count = int(bad.sum())
    shown, wanted = _fmt_pair(actual[index], expected[index])
    return (f"{what}{where} is {shown} but should be {wanted}"
            f"{_relative(actual[index], expected[index])}; {count} of {actual.size} entries differ")


def _relative(actual: Any, expected: Any) -> str:
    if abs(float(expected)) < 1e-12:
        return ""  # relative to 0 means nothing
    error = float(relative_error(actual, expected))
    return "" if not np.isfinite(error) else f" (relative error {error:.2g})"


def _fmt(value: Any) -> str:
    return f"{float(value):.6g}"


def _fmt_pair(actual: Any, expected: Any) -> tuple[str, str]:
    """Both numbers with 6 significant digits, or as many more as it takes to tell them apart."""
    for digits in (6, 9, 12, 17):
        shown, wanted = f"{float(actual):.{digits}g}", f"{float(expected):.{digits}g}"
        if shown != wanted:
            break
    return shown, wanted


UNCHANGED_HINT = ("do not write into an input (no -=, [...] = or out= on it): build a new array instead, "
                  "or work on a copy")


def expect_unchanged(before: np.ndarray, after: np.ndarray, what: str, hint: str = UNCHANGED_HINT) -> None:
    """An input must not be modified by the function; hint says how to avoid it for this input."""
    if not same_array(before, after):
        raise AssertionError(f"{what} was modified by your function: it must not change its inputs"
                             + (f". Hint: {hint}" if hint else ""))


def expect_finite(value: np.ndarray | float, what: str, hint: str = "") -> None:
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        bad = "nan" if np.isnan(array).any() else "inf"
        raise AssertionError(f"{what} contains {bad}" + (f": {hint}" if hint else ""))


def expect_costs_before_updates(costs: np.ndarray, first_cost: float, last_cost: float,
                                what: str = "costs", n_examples: int | None = None,
                                squared_error: bool = False) -> None:
    """costs[0] must be first_cost, the cost of the initial parameters (recorded before any update).

    last_cost is the student's own cost at the parameters their gradient descent returned;
    it tells a costs list shifted by one (recorded after each update) from other mistakes,
    such as a cost off by a constant factor.
    """
    costs = np.asarray(costs, dtype=np.float64).ravel()
    if costs.size == 0 or np.isclose(costs[0], first_cost, rtol=RTOL, atol=ATOL):
        return
    hint = (diagnose_costs(costs, first_cost, last_cost, rtol=RTOL)
            or diagnose(costs[:1], np.array([first_cost]), n_examples, squared_error))
    raise AssertionError(f"{what}[0] is {_fmt(costs[0])} but should be {_fmt(first_cost)}, the cost before "
                         "the first update" + (f". Hint: {hint}" if hint else ""))


GRADIENT_OR_COST_HINT = ("one of the two is wrong: if your cost fails its own checks, fix cost first; "
                         "otherwise compare your gradient's formula with the docstring's")


def probe_direction(shape: tuple[int, ...]) -> np.ndarray:
    """A fixed direction with no zero entry and mixed signs, along which a gradient is checked."""
    rng = np.random.default_rng(20240917)
    return rng.uniform(0.5, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def expect_gradient_matches_cost(cost_of: Callable[[np.ndarray], float], gradient: np.ndarray, x: np.ndarray,
                                 what: str) -> None:
    """gradient (the student's dw, db, ...) must match centered finite differences of cost_of
    (the student's own cost as a function of that parameter) at x.

    The slope along one fixed direction v is compared first, which takes two costs for any
    size of x: a wrong gradient g' gives (g' - g) . v != 0 for all but a measure-zero set of
    errors. Only when it disagrees is every entry checked, to name the worst one.
    A mismatch says that gradient and cost disagree, not which one is wrong: a cost without
    its 1/2 fails here with a right gradient.
    """
    x = np.asarray(x, dtype=np.float64)
    gradient = np.asarray(gradient, dtype=np.float64).reshape(x.shape)
    v = probe_direction(x.shape)
    slope = float(np.sum(gradient * v))
    numeric = (float(cost_of(x + EPS * v)) - float(cost_of(x - EPS * v))) / (2 * EPS)
    if float(relative_error(slope, numeric)) <= GRADCHECK_TOLERANCE:
        return
    report = check_gradient(cost_of, gradient, x)
    if report.ok:  # the entries agree one by one but not together: say what was measured
        raise AssertionError(f"gradient and cost disagree: along the direction v, your {what} gives the slope "
                             f"{slope:.6g} but finite differences of your cost give {numeric:.6g} (relative error "
                             f"{float(relative_error(slope, numeric)):.2g}). Hint: {GRADIENT_OR_COST_HINT}")
    where = "" if np.size(x) == 1 else "[" + ", ".join(map(str, report.worst_index)) + "]"
    raise AssertionError(f"gradient and cost disagree: {what}{where} is {report.analytic:.6g} but finite differences "
                         f"of your cost give {report.numeric:.6g} (relative error {report.error:.2g}). "
                         f"Hint: {GRADIENT_OR_COST_HINT}")
