"""Planted copies in a class of independent implementations: the report must find them, and only them.

Per assignment, the class is the correct corpus (each file written its own way) and one buggy
implementation of a family of its own (the buggy corpus's other files are small mutations of
the correct ones: copies themselves), the untouched stub, and three planted copies of class
members disguised as students do: identifiers renamed (parameters too), functions reordered,
comments and docstrings rewritten, whitespace changed, and in one copy the loops of a function
turned into comprehensions (hw1, hw2), in another one function swapped for the reference's.
"""

from __future__ import annotations

import ast
from functools import cache

import pytest

from autograder.grading.results import PASSED, StudentResult
from autograder.paths import REPO_ROOT
from autograder.similarity import SimilarityReport, compare_class
from autograder.similarity.material import reference_submission, released_stub
from checklib.assignments import Assignment, find_assignment
from tests.similarity import transforms

CORPUS = REPO_ROOT / "tests" / "corpus"
INDEPENDENT = {
    "hw1": ["correct/augmented_theta", "correct/casts_and_inplace", "correct/input_dtype", "correct/loops",
            "correct/vectorized", "buggy/stops_early"],
    "hw2": ["correct/clipped_exp", "correct/local_errstate", "correct/log_sigmoid", "correct/loops",
            "correct/tanh_form", "correct/vectorized", "buggy/b0_ignored_without_w0"],
    "hw3": ["correct/augmented_theta", "correct/casts_and_inplace", "correct/eye_and_cross_entropy",
            "correct/loops", "correct/vectorized", "buggy/stops_early"],
}
COPIED = {  # (original, what else the copier did besides renaming, reordering, comments and whitespace)
    "hw1": [("correct/loops", "comprehensions"), ("correct/augmented_theta", "swap"), ("buggy/stops_early", "")],
    "hw2": [("correct/loops", "comprehensions"), ("correct/tanh_form", "swap"), ("buggy/b0_ignored_without_w0", "")],
    "hw3": [("correct/loops", ""), ("correct/eye_and_cross_entropy", "swap"), ("buggy/stops_early", "")],
}  # hw3's loops are not one-statement accumulations: no loop there that a comprehension replaces alone
STUB = "the untouched stub"


def corpus_source(assignment: Assignment, name: str) -> str:
    kind, stem = name.split("/")
    return (CORPUS / kind / assignment.key / f"{stem}.py").read_text(encoding="utf-8")


def disguised(assignment: Assignment, source: str, extra: str, swapped: str) -> str:
    copy = transforms.rename_identifiers(source, set(assignment.functions))
    copy = transforms.rewrite_comments(transforms.reorder_functions(copy))
    if extra == "comprehensions":
        copy, rewritten = transforms.loops_to_comprehensions(copy)
        assert rewritten is not None, "no loop to turn into a comprehension"
    copy = transforms.change_whitespace(copy)
    if extra == "swap":
        copy = transforms.swap_function(copy, reference_submission(assignment).source, swapped)
    ast.parse(copy)
    assert copy != source
    return copy


def planted_class(assignment: Assignment) -> dict[str, str]:
    """Student label -> source: the independent implementations, the stub and the planted copies."""
    sources = {name: corpus_source(assignment, name) for name in INDEPENDENT[assignment.key]}
    sources[STUB] = released_stub(assignment)
    for number, (original, extra) in enumerate(COPIED[assignment.key]):
        swapped = assignment.functions[number % len(assignment.functions)]
        sources[f"copy of {original}"] = disguised(assignment, sources[original], extra, swapped)
    return sources


@cache
def report_for(key: str) -> tuple[SimilarityReport, dict[int, str]]:
    assignment = find_assignment(key)
    names = dict(enumerate(planted_class(assignment), start=1))
    sources = planted_class(assignment)
    results = [StudentResult(pid, name, PASSED, "", graded_source=sources[name]) for pid, name in names.items()]
    return compare_class(assignment, results), names


def is_planted(a: str, b: str) -> bool:
    return a == f"copy of {b}" or b == f"copy of {a}"


@pytest.fixture(params=sorted(INDEPENDENT))
def planted(request) -> tuple[SimilarityReport, dict[int, str]]:
    return report_for(request.param)


def test_every_planted_pair_ranks_above_every_independent_pair(planted):
    report, names = planted
    assert report.made, report.reason
    students = [names[student.participant_id] for student in report.students]
    scores = dict(zip(((a, b) for i, a in enumerate(students) for b in students[i + 1:]), report.pair_scores,
                      strict=True))
    planted_scores = [score for (a, b), score in scores.items() if is_planted(a, b)]
    independent_scores = [score for (a, b), score in scores.items() if not is_planted(a, b)]
    assert len(planted_scores) == len(COPIED[report.assignment.key])
    assert min(planted_scores) > max(independent_scores)


def test_exactly_the_planted_pairs_are_flagged(planted):
    report, names = planted
    flagged = {frozenset((names[match.a.participant_id], names[match.b.participant_id]))
               for match in report.flagged_pairs()}
    assert flagged == {frozenset((f"copy of {original}", original)) for original, _ in COPIED[report.assignment.key]}
    assert all(match.shown and match.regions_a and match.regions_b for match in report.flagged_pairs())
    assert report.archive_matches() == [] and report.reference_matches() == []


def test_the_stub_alone_never_matches(planted):
    report, names = planted
    assert [names[student.participant_id] for student in report.stub_only] == [STUB]
    assert all(STUB not in (names.get(match.a.participant_id), names.get(match.b.participant_id))
               for match in report.matches)


def test_a_copy_of_the_reference_is_flagged_on_its_own():
    assignment = find_assignment("hw1")
    copy = transforms.rewrite_comments(transforms.rename_identifiers(reference_submission(assignment).source,
                                                                     set(assignment.functions)))
    results = [StudentResult(1, "Only Student", PASSED, "", graded_source=copy),
               StudentResult(2, "Stub Student", PASSED, "", graded_source=released_stub(assignment))]
    report = compare_class(assignment, results)
    assert report.made and report.threshold.value is None  # two students: no class to judge pairs against
    [match] = report.reference_matches()
    assert match.a.participant_id == 1 and match.identical and match.flagged
