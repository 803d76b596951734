"""A synthetic class for the benchmark: N submissions in Moodle's folder layout.

A realistic mix, by position in a repeating cycle of 100: correct implementations (the
reference and the correct corpus), buggy ones (the buggy corpus), and a few that crash
(os._exit) or hang (an infinite loop). Each comes with the verdict it must get.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.stubs import without_markers
from autograder.paths import CORPUS_DIR, SOLUTIONS_DIR
from checklib.assignments import Assignment

CRASHES_PER_100 = 2
HANGS_PER_500 = 1
BUGGY_PER_100 = 25
SAMPLED_KINDS = ("correct", "buggy")  # what the baselines grade: they have no budget for a crash or a hang


@dataclass(frozen=True)
class SyntheticSubmission:
    participant_id: int
    kind: str  # "correct", "buggy", "crash", "hang"
    should_pass: bool
    path: Path


class CorpusMissing(ValueError):
    """The assignment has no buggy implementation for the synthetic class."""


def _sources(assignment: Assignment) -> dict[str, list[str]]:
    reference = without_markers((SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8"))
    corpus = {kind: [path.read_text(encoding="utf-8")
                     for path in sorted((CORPUS_DIR / kind / assignment.key).glob("*.py"))]
              for kind in ("correct", "buggy")}
    if not corpus["buggy"]:  # a crash in its place would be timed in-process as a buggy file
        raise CorpusMissing(f"bench: tests/corpus/buggy/{assignment.key}/ holds no buggy implementation to grade; "
                            f"`make validate HW={assignment.key}` lists what the assignment still needs")
    first_function = reference.index("\ndef ") + 1
    body_start = reference.index('"""', reference.index('"""', first_function) + 3) + 3
    crash = reference[:body_start] + "\n    import os\n    os._exit(3)" + reference[body_start:]
    hang = reference[:body_start] + "\n    while True:\n        pass" + reference[body_start:]
    return {"correct": [reference, *corpus["correct"]], "buggy": corpus["buggy"],
            "crash": [crash], "hang": [hang]}


def _kind(index: int) -> str:
    if index % 500 == 250 and HANGS_PER_500:
        return "hang"
    if index % 100 < CRASHES_PER_100:
        return "crash"
    if index % 100 < CRASHES_PER_100 + BUGGY_PER_100:
        return "buggy"
    return "correct"


# The smallest class that holds a submission the baselines can sample (the cycle starts with crashes).
SMALLEST_CLASS = next(index for index in range(100) if _kind(index) in SAMPLED_KINDS) + 1


def write_synthetic_export(assignment: Assignment, n: int, folder: Path) -> list[SyntheticSubmission]:
    """Write n submissions under folder as Moodle's 4.1+ folder layout; what each should get."""
    sources = _sources(assignment)
    expected = []
    for index in range(n):
        kind = _kind(index)
        variants = sources[kind]
        participant_id = 100_000 + index
        target = folder / f"Student {index}_{participant_id}_assignsubmission_file" / assignment.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(variants[index % len(variants)], encoding="utf-8")
        expected.append(SyntheticSubmission(participant_id, kind, kind == "correct", target))
    return expected


def baseline_sample(expected: list[SyntheticSubmission], size: int) -> list[SyntheticSubmission]:
    """size correct or buggy submissions (fewer if the class holds fewer), evenly spread over the class."""
    candidates = [item for item in expected if item.kind in SAMPLED_KINDS]
    size = min(size, len(candidates))
    return [candidates[index * len(candidates) // size] for index in range(size)]
