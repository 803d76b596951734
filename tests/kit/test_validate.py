"""`make validate`: every assignment of the repository meets every requirement (autograder.authoring.requirements).

A requirement an assignment does not meet fails here with its fix, as `make validate HW=...`
prints it. (tests/authoring/test_new_assignment.py shows it reporting what a new one lacks.)
"""

import pytest

from autograder.authoring.requirements import unmet_requirements
from checklib.assignments import all_assignments


@pytest.mark.parametrize("key", list(all_assignments()))
def test_every_requirement_is_met(key):
    unmet = unmet_requirements(key)
    assert not unmet, "\n".join(str(item) for item in unmet)
