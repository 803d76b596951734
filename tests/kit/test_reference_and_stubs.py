"""Self-tests of the checks themselves, run the way the grader runs them.

Through `checklib.checks.collect_checks` / `run_checks` with an `InProcessSubject`:
the reference solution passes every public and hidden check, and an untouched stub fails
every one of them as "not implemented yet" (never as a crash of the check). The checks
also follow the format the grader and the student kit rely on.
"""

import functools

import pytest

from autograder.paths import REPO_ROOT
from checklib.assignments import all_assignments, find_assignment
from checklib.checks import CheckResult, collect_checks, load_reference, run_checks
from checklib.loading import load_module
from checklib.subject import InProcessSubject

KEYS = list(all_assignments())
# The grader runs every check for every submission: keep the hidden sets small (each check
# takes milliseconds; hw3 has 46).
MAX_HIDDEN_CHECKS = 48


@functools.cache
def checks_of(key: str) -> tuple:
    return tuple(collect_checks(find_assignment(key)))


def run_against(key: str, folder: str) -> list[CheckResult]:
    assignment = find_assignment(key)
    module = load_module(REPO_ROOT / folder / assignment.filename, f"{folder}_{key}")
    return run_checks(list(checks_of(key)), InProcessSubject(key, module), load_reference(assignment))


def describe(results: list[CheckResult]) -> str:
    return "\n".join(f"{r.visibility} {r.name} [{r.status}]: {r.message}" for r in results)


@pytest.mark.parametrize("key", KEYS)
def test_reference_passes_every_check(key):
    results = run_against(key, "solutions")
    failed = [result for result in results if not result.passed]
    assert not failed, describe(failed)
    assert {result.visibility for result in results} == {"public", "hidden"}


@pytest.mark.parametrize("key", KEYS)
def test_untouched_stub_fails_every_check_as_not_implemented(key):
    results = run_against(key, "assignments")
    wrong = [result for result in results
             if result.status != "not_implemented" or "not implemented yet" not in result.message]
    assert not wrong, describe(wrong)


@pytest.mark.parametrize("key", KEYS)
def test_checks_follow_the_grader_format(key):
    assignment = find_assignment(key)
    checks = checks_of(key)
    hidden = [check for check in checks if check.visibility == "hidden"]
    assert 0 < len(hidden) <= MAX_HIDDEN_CHECKS
    # One name, one check: results are reported by name, and a public name must not reveal a hidden one.
    names = [check.name for check in checks]
    assert len(names) == len(set(names)), sorted({name for name in names if names.count(name) > 1})
    for check in checks:
        # Named test_<graded function>_<what>: the student kit groups results by that prefix.
        assert any(check.name.startswith(f"test_{function}_") for function in assignment.functions), check.name
        assert check.description != check.name, f"{check.name} has no docstring"
        assert check.fixtures == (("hw",) if check.visibility == "public" else ("hw", "ref")), check.name
        assert check.function.__globals__.get("ASSIGNMENT") == key, f"{check.name}: its module must set ASSIGNMENT"
        assert not hasattr(check.function, "pytestmark"), f"{check.name}: checks take no pytest marks"


@pytest.mark.parametrize("key", KEYS)
def test_every_graded_function_has_public_and_hidden_checks(key):
    assignment = find_assignment(key)
    for visibility in ("public", "hidden"):
        names = [check.name for check in checks_of(key) if check.visibility == visibility]
        # test_predict_proba_... also starts with test_predict_: a check belongs to its longest match.
        owners = {max((f for f in assignment.functions if name.startswith(f"test_{f}_")), key=len) for name in names}
        assert owners == set(assignment.functions), f"{visibility} checks miss {set(assignment.functions) - owners}"
