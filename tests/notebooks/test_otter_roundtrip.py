"""The hw1 otter master notebook through the real otter-grader: `otter assign`, then `otter run`
(otter's grading without Docker) on three submissions.

About 55 s on two cores: otter assign once (with --no-run-tests: the solution notebook is
graded below), then the three `otter run`s side by side; each one starts a Jupyter kernel.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.notebooks.checkplan import plan_checks
from autograder.notebooks.exports import otter_exports, otter_master_path
from autograder.notebooks.otter import bundle_files
from autograder.notebooks.otter_build import assemble, grade_all, otter_assign, question_scores

from .helpers import COST_LINE, COST_WITHOUT_HALF, HW1, write_notebook

pytest.importorskip("otter", reason="otter-grader is installed by `make setup`")

QUESTIONS = set(HW1.functions)


@pytest.fixture(scope="module")
def otter_results(tmp_path_factory) -> dict[str, dict]:
    build = tmp_path_factory.mktemp("otter")
    master_text = otter_exports(["hw1"]).files[otter_master_path(HW1)]
    master = assemble("hw1", master_text, bundle_files(plan_checks(HW1)), build / "hw1")
    output = otter_assign(master, run_tests=False)
    solution = json.loads(output.solution_notebook.read_text(encoding="utf-8"))
    for cell in solution["cells"]:
        cell["source"] = "".join(cell["source"]).replace(COST_LINE, COST_WITHOUT_HALF)
    submissions = {"solution": output.solution_notebook, "untouched": output.student_notebook,
                   "bug": write_notebook(solution, build / "bug" / "hw1.ipynb")}
    return {"output": output, **grade_all(submissions, output.autograder_zip, build / "results")}


def test_otter_assign_writes_student_notebook_and_autograder_zip(otter_results):
    output = otter_results["output"]
    student = output.student_notebook.read_text(encoding="utf-8")
    assert 'raise NotImplementedError(\\"cost: not implemented yet\\")' in student
    assert "residual @ residual" not in student
    assert output.autograder_zip.is_file()
    assert not (output.student_notebook.parent / "checks" / "hidden").exists()


def test_solution_notebook_scores_full_marks(otter_results):
    assert question_scores(otter_results["solution"]) == {question: 1.0 for question in QUESTIONS}


def test_untouched_student_notebook_scores_zero(otter_results):
    assert question_scores(otter_results["untouched"]) == {question: 0.0 for question in QUESTIONS}


def test_planted_bug_loses_its_question(otter_results):
    scores = question_scores(otter_results["bug"])
    assert scores["cost"] == 0.0
    assert scores["predict"] == scores["solve_exact"] == 1.0  # their checks never call cost
    cost_output = next(test["output"] for test in otter_results["bug"]["tests"] if test["name"] == "cost")
    assert "is the 1/2 of the squared error missing?" in cost_output


def test_results_are_in_gradescopes_format(otter_results):
    assert {"tests"} <= set(otter_results["solution"])
    assert all(isinstance(Path(test["name"]).name, str) for test in otter_results["solution"]["tests"])
