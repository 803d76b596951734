"""The memoized reference answers exactly like the reference, and hands out copies."""

import numpy as np
import torch

from autograder.reference_cache import CachedReference
from checklib import data
from checklib.assignments import find_assignment
from checklib.checks import load_reference


def test_cached_results_equal_the_reference_and_are_copies():
    reference = load_reference(find_assignment("hw1"))
    cached = CachedReference(reference)
    X, t = data.regression(seed=11, n=7, d=3)
    first = cached.gradient_descent(X, t, 0.1, 4)
    first[0][:] = 99.0  # a check that scribbles on a result must not change the next one
    second = cached.gradient_descent(X, t, 0.1, 4)
    expected = reference.gradient_descent(X, t, 0.1, 4)
    np.testing.assert_array_equal(second[0], expected[0])
    np.testing.assert_array_equal(second[2], expected[2])


def test_different_inputs_are_not_confused():
    cached = CachedReference(load_reference(find_assignment("hw1")))
    X, t = data.regression(seed=12, n=5, d=2)
    w = np.array([0.5, -1.0])
    assert cached.cost(X, t, w, 0.0) != cached.cost(X, t, w, 0.5)
    assert cached.cost(X, t, w, 0.0) == load_reference(find_assignment("hw1")).cost(X, t, w, 0.0)


def test_torch_arguments_are_never_cached():
    cached = CachedReference(load_reference(find_assignment("hw3")))
    X, t = data.multiclass(seed=13, n=6, d=2, k=3)
    W = torch.zeros(2, 3, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    loss = cached.torch_cost(torch.from_numpy(X), torch.from_numpy(t), W, b)
    loss.backward()
    assert W.grad is not None and loss.requires_grad


def test_cached_results_keep_their_types_and_memory_layout():
    cached = CachedReference(load_reference(find_assignment("hw1")))
    X, t = data.regression(seed=14, n=6, d=2)
    first, second = cached.solve_exact(X, t), cached.solve_exact(X, t)
    expected = load_reference(find_assignment("hw1")).solve_exact(X, t)
    assert [type(value) for value in second] == [type(value) for value in expected]
    assert second[0] is not first[0] and second[0].flags.c_contiguous == expected[0].flags.c_contiguous
    np.testing.assert_array_equal(second[0], expected[0])
