"""The reference solutions pass every check of their assignment through the sandbox, in every mode.

In the portable mode this also shows that the memory watchdog leaves honest code alone."""

import pytest

from checklib.assignments import all_assignments, find_assignment
from checklib.checks import collect_checks, load_reference, run_checks

from .conftest import HIDE, reference_source


@pytest.mark.parametrize("mode", ["sandbox", "basic_sandbox", "portable_sandbox"])
@pytest.mark.parametrize("hw", list(all_assignments()))
def test_the_reference_passes_every_check(request, mode, hw):
    assignment = find_assignment(hw)
    checks = collect_checks(assignment)
    assert checks, f"no checks found for {hw}"
    with request.getfixturevalue(mode).open(reference_source(hw), assignment.filename, HIDE) as subject:
        assert subject.load_error is None
        results = run_checks(checks, subject, load_reference(assignment))
    assert [(result.name, result.message) for result in results if not result.passed] == []
