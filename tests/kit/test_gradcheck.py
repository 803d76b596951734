"""Self-tests of `checklib.gradcheck`, which the public checks use on the student's own cost."""

import numpy as np

from checklib.gradcheck import GRADCHECK_TOLERANCE, check_gradient, numerical_gradient, relative_error


def quadratic(x: np.ndarray) -> float:
    return float(np.sum(x**2) + 3 * x.ravel()[0])


def test_numerical_gradient_of_a_quadratic():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    expected = 2 * x
    expected[0, 0] += 3
    np.testing.assert_allclose(numerical_gradient(quadratic, x), expected, rtol=1e-8)


def test_numerical_gradient_leaves_its_input_unchanged():
    x = np.array([1.0, 2.0])
    numerical_gradient(quadratic, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_correct_gradient_passes():
    x = np.array([0.3, -1.2, 2.0])
    report = check_gradient(quadratic, 2 * x + np.array([3.0, 0, 0]), x)
    assert report.ok and report.error < GRADCHECK_TOLERANCE
    assert str(report).startswith("OK")


def test_wrong_gradient_names_the_worst_entry():
    x = np.array([0.3, -1.2, 2.0])
    analytic = 2 * x + np.array([3.0, 0, 0])
    analytic[2] *= -1
    report = check_gradient(quadratic, analytic, x)
    assert not report.ok and report.worst_index == (2,)
    assert "entry [2] is -4 but finite differences give 4" in str(report)


def test_relative_error_is_zero_for_equal_zero_entries():
    assert relative_error(np.zeros(2), np.zeros(2)).tolist() == [0.0, 0.0]
