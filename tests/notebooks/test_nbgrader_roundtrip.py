"""The hw1 nbgrader source notebook through the real nbgrader, in a temporary copy of the
course folder: `nbgrader generate_assignment`, then `nbgrader autograde` of two students.

About 15 s: one release, one autograde run (a Jupyter kernel per student).
"""

from __future__ import annotations

import json

import pytest

from autograder.notebooks.exports import NBGRADER_DIR
from autograder.notebooks.nbgrader_build import autograde, copy_course, generate_assignment, scores
from autograder.paths import REPO_ROOT

from .helpers import HW1, write_notebook

pytest.importorskip("nbgrader", reason="nbgrader is installed by `make setup`")

TEST_CELLS = {f"{function}-checks" for function in HW1.functions}


def solved(release: dict, source: dict) -> dict:
    """The release notebook with every solution cell answered as in the source notebook."""
    answers = {cell["metadata"]["nbgrader"]["grade_id"]: cell["source"] for cell in source["cells"]
               if cell["metadata"].get("nbgrader", {}).get("solution")}
    for cell in release["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return release


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(REPO_ROOT / NBGRADER_DIR, tmp_path_factory.mktemp("course"))
    release_path = generate_assignment(course, "hw1")
    release = json.loads(release_path.read_text(encoding="utf-8"))
    source = json.loads((course / "source" / "hw1" / "hw1.ipynb").read_text(encoding="utf-8"))
    answered = write_notebook(solved(json.loads(json.dumps(release)), source), course / "answers" / "hw1.ipynb")
    autograde(course, "hw1", {"solved": answered, "untouched": release_path})
    return course, release


def test_release_has_stubs_and_no_hidden_tests(course):
    _, release = course
    text = json.dumps(release)
    assert "raise NotImplementedError()" in text
    assert "BEGIN HIDDEN TESTS" not in text and "test_cost_value" not in text
    assert "residual @ residual" not in text


def test_solution_scores_full_marks(course):
    assert scores(course[0], "hw1")["solved"] == {cell: 1.0 for cell in TEST_CELLS}


def test_release_as_given_scores_zero(course):
    assert scores(course[0], "hw1")["untouched"] == {cell: 0.0 for cell in TEST_CELLS}


def test_autograde_restores_the_hidden_tests(course):
    graded = (course[0] / "autograded" / "solved" / "hw1" / "hw1.ipynb").read_text(encoding="utf-8")
    assert "test_cost_value" in graded
