"""The zygote's warm-up: every exercise runs, and nothing a student's code could see is left changed."""

import sys
import warnings

import numpy as np
import torch

from autograder.sandbox import warm_up


def test_the_warm_up_runs_every_exercise_and_changes_no_state_a_student_could_see():
    numpy_random, torch_random = np.random.get_state(), torch.get_rng_state()
    filters, grad_enabled, dtype = list(warnings.filters), torch.is_grad_enabled(), torch.get_default_dtype()
    assert warm_up.run(optimizers=True) == []
    assert all(np.array_equal(before, after) if isinstance(before, np.ndarray) else before == after
               for before, after in zip(numpy_random, np.random.get_state(), strict=True))
    assert torch.equal(torch_random, torch.get_rng_state())
    assert warnings.filters == filters and torch.is_grad_enabled() == grad_enabled
    assert torch.get_default_dtype() == dtype
    assert not any("warm_up_exercises" in name for name in sys.modules)
