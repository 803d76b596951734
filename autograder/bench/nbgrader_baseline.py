"""The nbgrader baseline: a sample of the synthetic class graded by nbgrader's own `nbgrader autograde`.

In a temporary folder: the course folder `make nbgrader` generates (nbgrader_config.py and
source/<hw>/<hw>.ipynb, written from solutions/ and tests/), `nbgrader generate_assignment`
for the release notebook, then each sampled submission as a student's notebook under
submitted/<student>/<hw>/<hw>.ipynb: the release notebook with the submission's functions in
their answer cells (the rest of its module, imports, helpers and constants, at the top of the
first answer cell). `nbgrader autograde <hw>` runs each notebook in a fresh Jupyter kernel with
the hidden tests restored and writes the scores to the course's gradebook.

nbgrader takes seconds per notebook, so it grades a sample (correct and buggy submissions spread
over the class; it has no budget for code that kills or hangs its kernel), under a timeout; its
time per submission is the whole `nbgrader autograde` run over the sample size. A failure
(nbgrader missing, an error, the timeout) is reported, never raised: the rest of the bench stands.
"""

from __future__ import annotations

import ast
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.bench.synthetic import SAMPLED_KINDS, SyntheticSubmission, baseline_sample
from autograder.notebooks.exports import NBGRADER_DIR, nbgrader_exports
from autograder.notebooks.nbgrader_build import NbgraderError, autograde, generate_assignment, scores
from autograder.source_spans import first_line
from checklib.assignments import Assignment

# Generous: a notebook takes a few seconds (a kernel start, numpy and torch imported, every check).
RELEASE_TIMEOUT = 120.0
TIMEOUT_PER_NOTEBOOK = 60.0


@dataclass(frozen=True)
class SampledVerdict:
    participant_id: int
    kind: str
    ours: bool  # our grader passed it
    nbgrader_points: float
    nbgrader_max_points: float

    @property
    def nbgrader_full_marks(self) -> bool:
        return self.nbgrader_points >= self.nbgrader_max_points

    @property
    def agree(self) -> bool:
        return self.ours == self.nbgrader_full_marks


@dataclass
class NbgraderRun:
    sample: int
    seconds: float  # `nbgrader autograde` over the whole sample, wall time
    release_seconds: float  # `nbgrader generate_assignment`, once per class (not counted per submission)
    verdicts: list[SampledVerdict] = field(default_factory=list)
    error: str = ""  # why nbgrader gave no numbers; empty when it ran

    @property
    def per_submission(self) -> float | None:
        return self.seconds / self.sample if self.sample and not self.error else None

    @property
    def agreements(self) -> int:
        return sum(verdict.agree for verdict in self.verdicts)


def _answer_cells(notebook: dict) -> list[dict]:
    return [cell for cell in notebook["cells"] if cell["metadata"].get("nbgrader", {}).get("solution")]


def student_notebook(release: dict, submission_source: str, functions: tuple[str, ...]) -> dict:
    """The release notebook answered with a submission's module: each graded function in its answer
    cell, everything else in the module at the top of the first answer cell. A function the
    submission lacks keeps the release's stub."""
    lines = submission_source.splitlines(keepends=True)
    tree = ast.parse(submission_source)
    spans = {node.name: (first_line(node) - 1, node.end_lineno)
             for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in functions}
    taken = {line for start, end in spans.values() for line in range(start, end)}
    rest = "".join(line for number, line in enumerate(lines) if number not in taken).strip()
    notebook = json.loads(json.dumps(release))
    for position, cell in enumerate(_answer_cells(notebook)):
        name = cell["metadata"]["nbgrader"]["grade_id"]
        answer = "".join(lines[spans[name][0]:spans[name][1]]).strip() if name in spans else "".join(cell["source"])
        cell["source"] = f"{rest}\n\n\n{answer}" if position == 0 and rest else answer
    return notebook


def _max_points(source_notebook: dict) -> float:
    return float(sum(cell["metadata"]["nbgrader"].get("points", 0) for cell in source_notebook["cells"]
                     if cell["metadata"].get("nbgrader", {}).get("grade")))


def write_course(assignment: Assignment, folder: Path) -> Path:
    """The nbgrader course folder as `make nbgrader` generates it, under folder; raise if the
    assignment has no source notebook (no checks yet)."""
    exports = nbgrader_exports([assignment.key])
    exports.write(folder)
    course = folder / NBGRADER_DIR
    if not (course / "source" / assignment.key / f"{assignment.key}.ipynb").is_file():
        raise NbgraderError(f"no nbgrader source notebook for {assignment.key}: {'; '.join(exports.notes)}")
    return course


def _grade_sample(assignment: Assignment, sample: list[SyntheticSubmission], ours: dict[int, bool],
                  folder: Path) -> NbgraderRun:
    key = assignment.key
    course = write_course(assignment, folder)
    start = time.perf_counter()
    release_path = generate_assignment(course, key, timeout=RELEASE_TIMEOUT)
    release_seconds = time.perf_counter() - start
    release = json.loads(release_path.read_text(encoding="utf-8"))
    notebooks = {}
    for item in sample:
        notebook = student_notebook(release, item.path.read_text(encoding="utf-8"), assignment.functions)
        path = folder / "answers" / str(item.participant_id) / f"{key}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
        notebooks[f"s{item.participant_id}"] = path
    start = time.perf_counter()
    autograde(course, key, notebooks, timeout=RELEASE_TIMEOUT + TIMEOUT_PER_NOTEBOOK * len(sample))
    seconds = time.perf_counter() - start
    graded = scores(course, key)
    max_points = _max_points(json.loads((course / "source" / key / f"{key}.ipynb").read_text(encoding="utf-8")))
    verdicts = [SampledVerdict(item.participant_id, item.kind, ours[item.participant_id],
                               sum(graded.get(f"s{item.participant_id}", {}).values()), max_points)
                for item in sample]
    return NbgraderRun(len(sample), seconds, release_seconds, verdicts)


def run_nbgrader_baseline(assignment: Assignment, expected: list[SyntheticSubmission], ours: dict[int, bool],
                          size: int, folder: Path) -> NbgraderRun:
    """A sample of size submissions graded by `nbgrader autograde` in folder; ours: participant -> passed."""
    sample = baseline_sample(expected, size)
    if not sample:
        return NbgraderRun(0, 0.0, 0.0, error=f"no {' or '.join(SAMPLED_KINDS)} submission in the class to sample")
    try:
        return _grade_sample(assignment, sample, ours, folder)
    except (NbgraderError, ImportError, OSError) as error:
        return NbgraderRun(len(sample), 0.0, 0.0, error=str(error).strip() or type(error).__name__)
