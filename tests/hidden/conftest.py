"""Hidden checks (instructor only): the `ref` fixture is the reference solution module."""

import pytest

from checklib.assignments import find_assignment
from checklib.checks import load_reference


@pytest.fixture(scope="module")
def ref(request: pytest.FixtureRequest):
    return load_reference(find_assignment(request.module.ASSIGNMENT))
