"""Self-tests of the assertions the checks use (`checklib.expect`, `checklib.inputs`,
`checklib.descent`), their hints (`checklib.hints.diagnose`) and the hidden checks' shared
helpers (`checklib.reference_checks`)."""

import re
from functools import partial

import numpy as np
import pytest
import torch

from checklib import reference_checks as support
from checklib.codec import round_trip
from checklib.descent import Descent, expect_descent_result, expect_follows_your_gradient
from checklib.environment import missing_kit_package, missing_package_message
from checklib.expect import (
    expect_array,
    expect_close,
    expect_finite,
    expect_float,
    expect_gradient_matches_cost,
    expect_tensor,
    expect_tuple,
    expect_unchanged,
)
from checklib.hints import diagnose, explain_error
from checklib.inputs import modified_input_hint
from checklib.subject import InProcessSubject, StudentCodeError

# --- diagnose ------------------------------------------------------------------------------


@pytest.mark.parametrize(("factor", "n", "squared_error", "words"), [
    (2.0, None, True, "1/2 of the squared error"),
    (0.5, None, True, "extra 1/2"),
    (-1.0, None, False, "wrong sign"),
    (7.0, 7, False, "N = 7 times too large"),
    (1 / 7, 7, False, "N = 7 times too small"),
    (14.0, 7, True, "2N times too large"),
    (3.3, None, False, "times 3.3"),
    (2.0, None, False, "times 2: a constant factor"),
    (2.0, 2, False, "N = 2 times too large"),
])
def test_diagnose_names_constant_factors(factor, n, squared_error, words):
    expected = np.array([0.5, -1.25, 2.0])
    assert words in diagnose(factor * expected, expected, n_examples=n, squared_error=squared_error)


def test_diagnose_names_the_squared_errors_half_only_for_the_squared_error():
    expected = np.array([0.5, -1.25, 2.0])
    for n in (None, 2, 7):
        assert "1/2" not in diagnose(2 * expected, expected, n_examples=n)
        assert "1/2" not in diagnose(0.5 * expected, expected, n_examples=n)


@pytest.mark.parametrize("factor", [1 + 1e-7, 1.05, 0.9, 0.0, -0.0, 1e-5])
def test_diagnose_names_no_factor_near_one_or_zero(factor):
    expected = np.array([0.5, -1.25, 2.0])
    assert diagnose(factor * expected, expected, n_examples=3) == ""


def test_diagnose_sees_nan_and_inf_in_words_that_fit_any_assignment():
    expected = np.ones(2)
    nan_hint, inf_hint = diagnose(np.array([np.nan, 1.0]), expected), diagnose(np.array([np.inf, 1.0]), expected)
    assert nan_hint.startswith("nan") and inf_hint.startswith("inf")
    assert not {"softmax", "cross-entropy", "sigmoid", "row maximum"} & set(f"{nan_hint} {inf_hint}".split())


def test_diagnose_says_nothing_for_an_arbitrary_single_number():
    assert diagnose(np.array(0.9186), np.array(1.0)) == ""
    assert "1/2" in diagnose(np.array(2.0), np.array(1.0), squared_error=True)
    assert diagnose(np.array(2.0), np.array(1.0)) == ""


def test_diagnose_says_nothing_for_unrelated_values():
    assert diagnose(np.array([1.0, 2.0]), np.array([2.0, 1.0])) == ""


# --- expect_* ------------------------------------------------------------------------------


def test_expect_array_checks_kind_shape_and_dtype():
    assert expect_array(np.zeros(3), (3,), "y").shape == (3,)
    with pytest.raises(AssertionError, match=r"y should have shape \(3,\), but it has shape \(3, 1\): a column"):
        expect_array(np.zeros((3, 1)), (3,), "y")
    with pytest.raises(AssertionError, match=r"an \(N, N\) matrix"):
        expect_array(np.zeros((3, 3)), (3,), "y")
    with pytest.raises(AssertionError, match="should hold integers, but its dtype is bool"):
        expect_array(np.zeros(3, dtype=bool), (3,), "labels", kind="int")
    with pytest.raises(AssertionError, match="should hold floats"):
        expect_array(np.zeros(3, dtype=int), (3,), "T")
    with pytest.raises(AssertionError, match=r"list of 3 items"):
        expect_array([0.0, 0.0, 0.0], (3,), "costs")


def test_expect_array_points_tensors_to_numpy():
    with pytest.raises(AssertionError, match=r"detach\(\)\.numpy\(\)"):
        expect_array(round_trip(torch.zeros(3)), (3,), "W")


@pytest.mark.parametrize("value", [1.5, np.float64(1.5), np.float32(1.5), np.array(1.5)], ids=repr)
def test_expect_float_accepts_any_single_float(value):
    assert expect_float(value, "J") == 1.5


@pytest.mark.parametrize("value", [np.array([1.5]), np.array([[1.5]]), 2, None, "1.5", np.int64(2)], ids=repr)
def test_expect_float_refuses_everything_else(value):
    with pytest.raises(AssertionError, match="J should be a float"):
        expect_float(value, "J")


def test_expect_tuple_checks_the_length():
    assert expect_tuple([1, 2], 2, "gradient") == (1, 2)
    with pytest.raises(AssertionError, match="tuple of 2 values"):
        expect_tuple((1, 2, 3), 2, "gradient")


def test_expect_tensor_checks_kind_and_shape():
    assert expect_tensor(round_trip(torch.tensor(2.0)), (), "J") == 2.0
    with pytest.raises(AssertionError, match=r"do not call \.item\(\)"):
        expect_tensor(2.0, (), "J")
    with pytest.raises(AssertionError, match="its shape is"):
        expect_tensor(round_trip(torch.zeros(1)), (), "J")


def test_expect_close_message_names_the_worst_entry_and_a_hint():
    with pytest.raises(AssertionError) as failure:
        expect_close(np.array([1.0, 2.0, 30.0]), np.array([1.0, 2.0, 3.0]), "dw")
    assert "dw[2] is 30 but should be 3 (relative error 9); 1 of 3 entries differ" in str(failure.value)
    with pytest.raises(AssertionError, match="Hint: your value is N = 4 times too large"):
        expect_close(4.0, 1.0, "J", n_examples=4)


def test_expect_close_uses_the_checks_own_hint_when_no_mistake_is_recognized():
    with pytest.raises(AssertionError, match="Hint: update both at once"):
        expect_close(0.9, 1.0, "b", hint="update both at once")
    with pytest.raises(AssertionError, match="Hint: your value is exactly 2x"):
        expect_close(2.0, 1.0, "J", hint="update both at once", squared_error=True)
    with pytest.raises(AssertionError, match="Hint: update both at once"):
        expect_close(2.0, 1.0, "J", hint="update both at once")


def test_expect_close_gives_no_relative_error_against_zero():
    with pytest.raises(AssertionError) as failure:
        expect_close(1.0, 0.0, "w")
    assert "relative error" not in str(failure.value)


def test_expect_finite_and_unchanged():
    expect_finite(np.ones(2), "P")
    with pytest.raises(AssertionError, match="P contains nan: subtract"):
        expect_finite(np.array([np.nan]), "P", "subtract")
    with pytest.raises(AssertionError, match="w0 was modified by your function.*Hint: do not write into"):
        expect_unchanged(np.zeros(2), np.ones(2), "w0")
    with pytest.raises(AssertionError, match="Z was modified by your function: .* inputs. Hint: copy Z$"):
        expect_unchanged(np.zeros(2), np.ones(2), "Z", hint="copy Z")


def test_expect_gradient_matches_cost_says_that_the_two_disagree():
    x = np.array([1.0, -2.0])
    expect_gradient_matches_cost(lambda v: float(v @ v) / 2, x, x, "dw")
    with pytest.raises(AssertionError) as failure:  # a cost without its 1/2, with the right gradient
        expect_gradient_matches_cost(lambda v: float(v @ v), x, x, "dw")
    message = str(failure.value)
    assert message.startswith("gradient and cost disagree: dw[0] is 1 but finite differences of your cost give 2 ")
    assert "fix cost first" in message
    with pytest.raises(AssertionError, match=r"disagree: db is 1 but"):
        expect_gradient_matches_cost(lambda v: 3 * float(v[0]), np.array([1.0]), np.array([0.5]), "db")


# --- checklib.inputs, checklib.descent and checklib.reference_checks --------------------------


class InPlace:
    """A tiny 'student module' whose functions do or do not modify their inputs."""

    @staticmethod
    def scale(X, w0):
        w0 *= 2
        return X.sum()

    @staticmethod
    def total(X, w0):
        return float(X.sum() + w0.sum())


def test_call_watching_inputs_reports_the_modified_argument():
    hw = InProcessSubject("hw1", InPlace)
    assert support.call_watching_inputs(hw, "total", ("X", "w0"), np.ones(2), np.ones(2)) == 4.0
    with pytest.raises(AssertionError, match=r"w0 \(an argument of scale\) was modified.*Hint: do not write into w0"):
        support.call_watching_inputs(hw, "scale", ("X", "w0"), np.ones(2), np.ones(2))


def test_modified_input_hints_fit_the_function_and_the_argument():
    assert modified_input_hint("gradient_descent", "W0").startswith("start from a copy (W = W0.copy())")
    assert "alpha" not in modified_input_hint("softmax", "Z")
    assert "z.copy()" in modified_input_hint("sigmoid", "z")


def test_call_watching_inputs_lets_student_errors_through():
    hw = InProcessSubject("hw1", InPlace)
    with pytest.raises(StudentCodeError):
        support.call_watching_inputs(hw, "total", ("X", "w0"), np.ones(2), None)


def test_expect_descent_result_checks_every_entry():
    expected = (np.array([1.0, 2.0]), 0.5, np.array([3.0, 2.0]))
    names = ("w", "b", "costs")
    expect_descent_result((np.array([1.0, 2.0]), np.float64(0.5), np.array([3.0, 2.0])), expected, names, "gd")
    with pytest.raises(AssertionError, match=r"costs from gd should be an ndarray of shape \(2,\)"):
        expect_descent_result((expected[0], 0.5, [3.0, 2.0]), expected, names, "gd")
    with pytest.raises(AssertionError, match=r"b from gd is 0.4 but should be 0.5 \(relative error 0.2\)$"):
        expect_descent_result((expected[0], 0.4, expected[2]), expected, names, "gd")


class Reference:
    """hw1's squared-error cost and gradient, enough for support.descent_trajectory."""

    @staticmethod
    def cost(X, t, w, b):
        residual = X @ w + b - t
        return float(residual @ residual) / (2 * len(t))

    @staticmethod
    def gradient(X, t, w, b):
        residual = X @ w + b - t
        return X.T @ residual / len(t), float(residual.mean())


def test_descent_hints_name_a_mistake_only_when_the_result_is_what_it_gives():
    X, t = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]]), np.array([1.0, 0.0, 2.0])
    names, w0 = ("w", "b", "costs"), np.zeros(2)
    expected = support.descent_trajectory(Reference, X, t, 0.1, 3, w0, 0.0)
    mistakes = partial(support.descent_mistakes, Reference, X, t, 0.1, 3, w0, 0.0)
    for kind, words in (("w_first", "updating one parameter before"), ("b_first", "updating one parameter before"),
                        ("costs_after_update", "costs are shifted by one")):
        wrong = support.descent_trajectory(Reference, X, t, 0.1, 3, w0, 0.0, kind)
        with pytest.raises(AssertionError, match=words):
            expect_descent_result(wrong, expected, names, "gd", mistakes=mistakes)
    other = support.descent_trajectory(Reference, X, t, 0.12, 3, w0, 0.0)  # another learning rate
    with pytest.raises(AssertionError) as failure:
        expect_descent_result(other, expected, names, "gd", mistakes=mistakes)
    assert "shifted" not in str(failure.value) and "updating one parameter" not in str(failure.value)
    accumulated = support.descent_trajectory(Reference, X, t, 0.1, 3, w0, 0.0, "no_zero_grad")
    with pytest.raises(AssertionError, match="reset W.grad and b.grad"):
        expect_descent_result(accumulated, expected, names, "train_torch",
                                      mistakes=partial(support.train_torch_mistakes, Reference, X, t, 0.1, 3, w0, 0.0))


def test_expect_first_cost_names_shifted_costs_only_when_costs0_is_the_cost_after_the_first_update():
    support.expect_first_cost(2.0, 2.0, 1.5, "costs[0]")
    with pytest.raises(AssertionError, match="costs are shifted by one"):
        support.expect_first_cost(1.5, 2.0, 1.5, "costs[0]")
    with pytest.raises(AssertionError) as failure:
        support.expect_first_cost(1.7, 2.0, 1.5, "costs[0]")
    assert "Hint" not in str(failure.value)


def test_expect_close_names_a_mistake_when_the_value_is_what_it_gives():
    mistakes = {"the bias is missing": [1.0, 2.0]}
    with pytest.raises(AssertionError, match=r"y\[0\] is 1 but should be 1.5.*Hint: the bias is missing$"):
        expect_close(np.array([1.0, 2.0]), np.array([1.5, 2.5]), "y", mistakes=mistakes)
    with pytest.raises(AssertionError) as failure:
        expect_close(np.array([1.0, 2.1]), np.array([1.5, 2.5]), "y", mistakes=mistakes)
    assert "bias" not in str(failure.value)


def test_expect_gradient_matches_cost_checks_a_single_wrong_entry():
    x = np.array([1.0, -2.0, 0.5])
    wrong = x.copy()
    wrong[2] += 1e-3
    with pytest.raises(AssertionError, match=r"dw\[2\] is 0.501 but finite differences of your cost give 0.5 "):
        expect_gradient_matches_cost(lambda v: float(v @ v) / 2, wrong, x, "dw")


def test_a_row_statistic_without_keepdims_gets_its_own_hint():
    assert "keepdims=True" in explain_error("ValueError", "operands could not be broadcast together with shapes (2,3) "
                                            "(2,) ")
    assert "keepdims" not in explain_error("ValueError", "operands could not be broadcast together with shapes (3,3) "
                                           "(2,) ")


# --- checklib.descent: a loop against its own gradient ----------------------------------------


class Loops:
    """A tiny 'student module': hw1's cost and gradient, and gradient descent with or without a mistake."""

    mistake = ""

    @staticmethod
    def cost(X, t, w, b):
        return Reference.cost(X, t, w, b)

    @staticmethod
    def gradient(X, t, w, b):
        return Reference.gradient(X, t, w, b)

    @classmethod
    def gradient_descent(cls, X, t, alpha, num_epochs, w0=None, b0=0.0):
        w = np.zeros(X.shape[1]) if w0 is None or cls.mistake == "ignores w0" else w0.copy()
        b, costs = b0, []
        best = (cls.cost(X, t, w, b), w, b)
        for epoch in range(num_epochs):
            costs.append(cls.cost(X, t, w, b))
            if cls.mistake == "stops when the cost rises" and epoch and costs[-1] > costs[-2]:
                costs += costs[-1:] * (num_epochs - epoch - 1)
                break
            step = alpha / (1 + epoch) if cls.mistake == "decay" else alpha
            dw, db = cls.gradient(X, t, w, b)
            w = w - step * dw
            b = b - (db if cls.mistake == "no alpha for b" else step * db)
            if cls.cost(X, t, w, b) < best[0]:
                best = (cls.cost(X, t, w, b), w, b)
        if cls.mistake == "best" and best[0] < cls.cost(X, t, w, b):
            w, b = best[1], best[2]
        return w, b, np.array(costs)


@pytest.mark.parametrize(("mistake", "alpha", "initial", "words"), [
    ("decay", 0.1, (), "your last update moved the parameters by 0.5 x alpha"),  # alpha / (1 + epoch)
    ("stops when the cost rises", 1.5, (), "your result is what 1 update(s) give, not 2"),
    ("best", 1.5, (), "the parameters with the lowest cost seen"),
    ("ignores w0", 0.1, (np.array([0.5, -0.5]), 0.2), "starting from zeros instead of w0"),
    ("no alpha for b", 0.1, (), "updating b without alpha"),
])
def test_a_loop_is_checked_against_its_own_gradient_and_its_mistake_named(mistake, alpha, initial, words):
    X, t = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]]), np.array([1.0, 0.0, 2.0])
    problem = Descent(X, t, ("w", "b"), (np.zeros(2), 0.0), squared_error=True)
    expect_follows_your_gradient(InProcessSubject("hw1", Loops), problem, alpha, 2, initial)
    wrong = type("Wrong", (Loops,), {"mistake": mistake})
    with pytest.raises(AssertionError, match=re.escape(words)):
        expect_follows_your_gradient(InProcessSubject("hw1", wrong), problem, alpha, 2, initial)


def test_a_missing_package_is_the_kits_only_when_the_kit_installs_it(monkeypatch):
    assert missing_kit_package(ModuleNotFoundError("No module named 'pandas'", name="pandas")) is None
    assert missing_kit_package(ModuleNotFoundError("No module named 'numpy'", name="numpy")) is None  # installed
    monkeypatch.setattr("checklib.environment.kit_packages", lambda: ("numpy", "not_installed_here"))
    error = ModuleNotFoundError("No module named 'not_installed_here.sub'", name="not_installed_here.sub")
    assert missing_kit_package(error) == "not_installed_here"
    assert "make setup" in missing_package_message("torch") and "requirements.txt" in missing_package_message("torch")
