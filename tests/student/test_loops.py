"""The loops tip: graded functions that loop over examples in Python (a static check, not graded)."""

from __future__ import annotations

from checklib.assignments import all_assignments, find_assignment
from checklib.loops import find_python_loops

from .helpers import REPO

STUDENT_FILE = '''
import numpy as np


def predict(X, w, b):
    return np.array([x @ w + b for x in X])


def cost(X, t, w, b):
    total = 0.0
    for i in range(X.shape[0]):
        total += (X[i] @ w + b - t[i]) ** 2
    return total / (2 * X.shape[0])


def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):
    w, b, costs = np.zeros(X.shape[1]), b0, []
    for epoch in range(num_epochs):
        costs.append(cost(X, t, w, b))
        for i in range(len(X)):
            w = w - alpha * (X[i] @ w + b - t[i]) * X[i]
    return w, b, np.array(costs)


def helper_not_graded(X):
    return [row.sum() for row in X]
'''


def test_loops_in_graded_functions_are_noted_with_their_line(tmp_path):
    path = tmp_path / "hw1_linear_regression.py"
    path.write_text(STUDENT_FILE)
    notes = find_python_loops(path, find_assignment("hw1").functions)
    assert [(note.function, note.line, note.kind) for note in notes] == [
        ("predict", 6, "list comprehension"),
        ("cost", 11, "for loop"),
        ("gradient_descent", 20, "for loop"),  # the loop over examples, not the epoch loop above it
    ]
    assert str(notes[1]).startswith("cost, line 11: a Python for loop. NumPy can handle all examples at once")


def test_a_file_that_does_not_parse_gets_no_loop_notes(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def predict(X, w, b):\n    for x in X\n")
    assert find_python_loops(path, ["predict"]) == []


def test_reference_solutions_get_no_loop_notes():
    for assignment in all_assignments().values():
        assert find_python_loops(REPO / "solutions" / assignment.filename, assignment.functions) == []
