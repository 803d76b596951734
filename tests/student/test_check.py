"""`make check`: the per-function summary and the hints a student reads."""

from __future__ import annotations

import numpy as np
import pytest

from checklib.assignments import find_assignment
from checklib.check import format_function, function_statuses
from checklib.checks import CheckResult, Status, function_of_check
from checklib.expect import expect_costs_before_updates
from checklib.hints import NAN_HINT, diagnose_costs, explain_error, improve_message

from .helpers import run_python, use_reference

HW1 = find_assignment("hw1")


def test_graded_function_prefers_the_longest_function_name():
    functions = find_assignment("hw2").functions
    assert function_of_check("test_gradient_descent_zero_epochs", functions) == "gradient_descent"
    assert function_of_check("test_gradient_matches_finite_differences", functions) == "gradient"
    assert function_of_check("test_predict_proba_small_example", functions) == "predict_proba"
    assert function_of_check("test_predict", functions) == "predict"
    assert function_of_check("test_something_else", functions) is None


def test_function_statuses_say_done_failed_todo_waiting_and_unchecked():
    outcomes = [
        CheckResult("test_predict_small_example", "public", "predict works.", Status.PASSED),
        CheckResult("test_cost_small_example", "public", "cost works.", Status.FAILED, "cost is 2 but should be 1"),
        CheckResult("test_gradient_matches", "public", "gradient works.", Status.NOT_IMPLEMENTED,
                    unimplemented="gradient"),
        CheckResult("test_gradient_descent_runs", "public", "descends.", Status.NOT_IMPLEMENTED,
                    unimplemented="gradient"),
    ]
    states = {status.function: status.state for status in function_statuses(HW1, outcomes)}
    assert states == {"predict": "done", "cost": "failed", "gradient": "todo", "gradient_descent": "waiting",
                      "solve_exact": "unchecked"}


def test_a_failure_names_the_check_the_message_and_a_failing_function_it_uses():
    outcome = CheckResult("test_gradient_matches", "public", "gradient matches finite differences of your cost.",
                          Status.FAILED, "dw is off. Hint: compare with the docstring")
    status = function_statuses(HW1, [outcome])[2]
    text = "\n".join(format_function(status, 16, not_passing={"cost", "gradient"}))
    assert "FAIL  gradient" in text
    assert "check: gradient matches finite differences of your cost." in text
    assert "Hint: compare with the docstring" in text
    assert "Note: this check uses your cost, which does not pass yet: fix cost first." in text


def test_check_summary_of_the_reference_module_is_all_done(kit):
    use_reference(kit)
    result = run_python(kit, "-m", "checklib.check", "hw1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 of 5 functions done." in result.stdout
    assert "Next: `make submit HW=hw1`" in " ".join(result.stdout.split())
    assert "FAIL" not in result.stdout and "Tips" not in result.stdout


def test_check_summary_of_a_buggy_file_explains_each_mistake(kit):
    path = use_reference(kit)
    source = path.read_text()
    buggy = (source.replace("return float(residual @ residual) / (2 * X.shape[0])",
                            "return float(residual @ residual) / X.shape[0]")
             .replace("if w0 is None else np.array(w0, copy=True)", "if w0 is None else w0")
             .replace("        w = w - alpha * dw\n", "        w -= alpha * dw\n")
             .replace("    return X @ w + b\n", "    return np.array([x @ w + b for x in X])\n"))
    assert buggy.count("\n") == source.count("\n")
    path.write_text(buggy)
    result = run_python(kit, "-m", "checklib.check", "hw1")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "done  predict" in out
    assert "Hint: your value is exactly 2x the expected one: is the 1/2 of the squared error missing?" in out
    flat = " ".join(out.split())
    assert "w0 (an argument of gradient_descent) was modified by your function" in flat
    assert "Hint: start from a copy (w = w0.copy())" in flat
    assert "Tips (not graded):" in out and "predict, line" in out and "list comprehension" in out
    assert "2 of 5 functions done." in out  # predict and solve_exact


def test_read_only_input_errors_name_the_modified_input():
    hint = explain_error("ValueError", "output array is read-only", "line 9, in gradient_descent: w -= alpha * dw")
    assert hint.startswith("your input w was modified")
    hint = explain_error("ValueError", "assignment destination is read-only", "line 4, in predict: X[:, 0] = 1")
    assert hint.startswith("your input X was modified")
    assert explain_error("ValueError", "assignment destination is read-only", "").startswith("your function changed")
    assert explain_error("TypeError", "unsupported operand", "") == ""


def test_costs_messages_keep_their_own_diagnosis_and_get_no_fixed_hint():
    diagnosed = ("costs[0] is 0.4 but should be 0.8, the cost before the first update. "
                 "Hint: your value is exactly half the expected one: is there an extra 1/2?")
    overflow_hint = find_assignment("hw2").overflow_hint
    assert improve_message(overflow_hint, diagnosed) == diagnosed
    plain = "costs[0] is 0.7 but should be 0.8, the cost before the first update"
    assert improve_message(overflow_hint, plain) == plain


@pytest.mark.parametrize(("assignment", "advice"), [("hw3", "subtract the row maximum"), ("hw2", "logaddexp")])
def test_nan_results_get_the_overflow_hint_of_their_assignment(assignment, advice):
    overflow_hint = find_assignment(assignment).overflow_hint  # from the assignment's settings
    improved = improve_message(overflow_hint, "P[0, 0] is nan but should be 1")
    assert improved.startswith("P[0, 0] is nan but should be 1. Hint: nan")
    assert advice in improved
    assert improve_message(overflow_hint, "P contains nan: subtract the maximum") == \
        "P contains nan: subtract the maximum"
    assert advice in improve_message(overflow_hint, f"P[0, 0] is nan but should be 1. Hint: {NAN_HINT}")


def test_hw1_gets_no_overflow_hint_of_another_assignment():
    overflow_hint = find_assignment("hw1").overflow_hint
    assert overflow_hint == ""
    general = f"w[0] is nan but should be 1. Hint: {NAN_HINT}"
    assert improve_message(overflow_hint, general) == general
    assert improve_message(overflow_hint, "w[0] is nan but should be 1") == "w[0] is nan but should be 1"


def test_costs_shifted_by_one_are_recognized_from_the_students_own_last_cost():
    before = np.array([4.0, 3.0, 2.0, 1.5])  # the costs at the parameters before updates 0..3
    after = np.array([3.0, 2.0, 1.5, 1.2])   # recorded after each update instead
    assert "shifted by one" in diagnose_costs(after, first_cost=4.0, last_cost=1.2)
    assert diagnose_costs(before, first_cost=4.0, last_cost=1.2) == ""
    assert "never filled in" in diagnose_costs(np.zeros(4), first_cost=4.0, last_cost=1.2)
    with pytest.raises(AssertionError, match=r"costs\[0\] is 3 but should be 4, the cost before the first update"):
        expect_costs_before_updates(after, first_cost=4.0, last_cost=1.2)
    expect_costs_before_updates(before, first_cost=4.0, last_cost=1.2)

