"""checklib.notebook: which function a check is about, and the test-cell runner."""

from __future__ import annotations

import pytest

from autograder.paths import SOLUTIONS_DIR
from checklib.loading import load_module
from checklib.notebook import function_of_check, run_checks

FUNCTIONS = ("predict", "cost", "gradient", "solve_exact", "gradient_descent")


def reference_namespace() -> dict:
    return vars(load_module(SOLUTIONS_DIR / "hw1_linear_regression.py", "hw1_reference"))


@pytest.mark.parametrize(("check", "function"), [
    ("test_gradient_descent_zero_epochs", "gradient_descent"),
    ("test_gradient_matches_finite_differences", "gradient"),
    ("test_cost", "cost"),
    ("test_costs_after_update", None),
    ("test_module_imports", None),
])
def test_function_of_check_takes_the_longest_function_name(check, function):
    assert function_of_check(check, FUNCTIONS) == function


def test_run_checks_passes_on_the_reference_functions():
    outcomes = run_checks(reference_namespace(), "hw1", ["test_cost_small_example", "test_cost_value"])
    assert [outcome.status for outcome in outcomes] == ["passed", "passed"]


def test_run_checks_raises_with_the_students_message():
    namespace = reference_namespace()
    namespace["cost"] = lambda X, t, w, b: 2 * reference_namespace()["cost"](X, t, w, b)
    with pytest.raises(AssertionError, match=r"1/2 of the squared error missing"):
        run_checks(namespace, "hw1", ["test_cost_small_example"])


def test_run_checks_names_a_check_that_does_not_exist():
    with pytest.raises(LookupError, match="test_cost_nothing"):
        run_checks(reference_namespace(), "hw1", ["test_cost_nothing"])


def test_hidden_check_without_the_reference_says_so(tmp_path):
    with pytest.raises(AssertionError, match="needs the reference solution"):
        run_checks(reference_namespace(), "hw1", ["test_cost_value"], reference=tmp_path / "missing.py")
