"""Self-tests of `checklib.data`: a data set is generated once per arguments, and every caller gets its own."""

import numpy as np

from checklib import data


def _generated(seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    centers = 2.0 * rng.normal(size=(3, 2))
    t = np.arange(9) % 3
    rng.shuffle(t)
    return centers[t] + rng.normal(size=(9, 2)), t.astype(np.int64)


def test_remembered_data_equals_freshly_generated_data():
    for _ in range(2):
        X, t = data.multiclass(seed=41, n=9, d=2, k=3)
        expected_X, expected_t = _generated(41)
        np.testing.assert_array_equal(X, expected_X)
        np.testing.assert_array_equal(t, expected_t)
        assert X.flags.writeable and X.flags.c_contiguous and t.dtype == np.int64


def test_each_call_gets_its_own_copies():
    X, t = data.regression(seed=42, n=5, d=2)
    X[:] = 0.0  # a check that scribbles on its data must not change the next check's
    w = data.parameters(43, 2)
    w[0] = 99.0
    again_X, _ = data.regression(seed=42, n=5, d=2)
    assert again_X is not X and np.all(again_X != 0.0)
    assert data.parameters(43, 2)[0] != 99.0


def test_arguments_that_cannot_be_remembered_still_generate_data():
    X, t = data.binary(np.array([7]), 6, 2)  # an array as the seed: generated anew each time
    again_X, _ = data.binary(np.array([7]), 6, 2)
    np.testing.assert_array_equal(X, again_X)
