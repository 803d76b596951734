"""Self-tests of the checks against a corpus of plausible submissions.

tests/corpus/correct/<hw>/*.py are right in different ways (Python loops, other formulas,
other return types): each must pass every public and hidden check, or a check tests
something the docstrings do not promise. tests/corpus/buggy/<hw>/*.py each hold one
classic mistake, named by the first line of the module docstring ("Bug: ..."), and a line
"Caught by: test_a, test_b." naming the hidden checks that must fail because of it. Each
buggy one must also fail at least one public check: a student whose public checks all pass
must not get a Fail from the hidden ones.
"""

from __future__ import annotations

import ast
import functools
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder.authoring.requirements import MIN_BUGGY, MIN_CORRECT
from checklib.assignments import all_assignments, find_assignment
from checklib.checks import CheckResult, collect_checks, load_reference, run_checks
from checklib.loading import load_module
from checklib.subject import InProcessSubject

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def corpus_files(kind: str) -> list[Path]:
    return sorted(CORPUS.glob(f"{kind}/*/*.py"))


def corpus_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@functools.cache
def checks_and_reference(key: str) -> tuple:
    assignment = find_assignment(key)
    return collect_checks(assignment), load_reference(assignment)


@functools.cache
def run_corpus_file(path: Path) -> dict[str, CheckResult]:
    """Every check of path's assignment run on path, by check name (once per file for all tests)."""
    key = path.parent.name
    checks, reference = checks_and_reference(key)
    with np.errstate():  # a file that calls np.seterr at import changes it for this process only until here
        module = load_module(path, f"corpus_{key}_{path.stem}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # some buggy files overflow on purpose
        results = run_checks(checks, InProcessSubject(key, module), reference)
    return {result.name: result for result in results}


def docstring_lines(path: Path) -> list[str]:
    return (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").splitlines()


def caught_by(path: Path) -> list[str]:
    """The check names on the docstring's "Caught by:" line."""
    for line in docstring_lines(path):
        if line.startswith("Caught by:"):
            return [name.strip() for name in line.removeprefix("Caught by:").strip().rstrip(".").split(",")]
    return []


def describe(results: list[CheckResult]) -> str:
    return "\n".join(f"{r.visibility} {r.name} [{r.status}]: {r.message}" for r in results)


@pytest.mark.parametrize("path", corpus_files("correct"), ids=corpus_id)
def test_correct_submission_passes_every_check(path):
    failed = [result for result in run_corpus_file(path).values() if not result.passed]
    assert not failed, describe(failed)


@pytest.mark.parametrize("path", corpus_files("buggy"), ids=corpus_id)
def test_buggy_submission_fails_the_checks_named_for_its_bug(path):
    lines = docstring_lines(path)
    assert lines and lines[0].startswith("Bug: "), f"{path.name}: the docstring must start with 'Bug: <its one bug>'"
    expected = caught_by(path)
    assert expected, f"{path.name}: the docstring needs a 'Caught by: test_..., test_....' line"
    results = run_corpus_file(path)
    for name in expected:
        assert name in results, f"{path.name} names {name}, which is not a check of {path.parent.name}"
        result = results[name]
        assert result.visibility == "hidden", f"{name} is not a hidden check"
        assert result.status in ("failed", "error"), f"{name} should catch '{lines[0]}' but it {result.status}"
        assert result.message, f"{name} failed without a message"


@pytest.mark.parametrize("path", corpus_files("buggy"), ids=corpus_id)
def test_buggy_submission_fails_a_public_check(path):
    results = run_corpus_file(path)
    public = [result for result in results.values() if result.visibility == "public"]
    assert public and not all(result.passed for result in public), (
        f"{path.name} passes every public check, so a student with '{docstring_lines(path)[0]}' sees 'done' and "
        f"gets Fail: add a public check (a property or a hand-computed example) that this mistake fails")


@pytest.mark.parametrize("key", list(all_assignments()))
def test_corpus_has_enough_submissions(key):
    correct = [path for path in corpus_files("correct") if path.parent.name == key]
    buggy = [path for path in corpus_files("buggy") if path.parent.name == key]
    assert len(correct) >= MIN_CORRECT and len(buggy) >= MIN_BUGGY, (len(correct), len(buggy))
