"""Notebooks for the notebook tests: the generated ones, filled in or broken on purpose."""

from __future__ import annotations

import json
from pathlib import Path

from autograder.notebooks.exports import student_path
from autograder.notebooks.source import read_solution
from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from checklib.assignments import find_assignment

HW1 = find_assignment("hw1")
# The planted bug: the cost without the 1/2 of the squared error.
COST_LINE = "return float(residual @ residual) / (2 * X.shape[0])"
COST_WITHOUT_HALF = "return float(residual @ residual) / X.shape[0]"


def committed_student_notebook(key: str = "hw1") -> dict:
    return json.loads((REPO_ROOT / student_path(find_assignment(key))).read_text(encoding="utf-8"))


def fill_stubs(notebook: dict, key: str = "hw1", bug: tuple[str, str] | None = None) -> dict:
    """The notebook with each stub cell replaced by the reference function (bug: (old, new) text)."""
    source = read_solution(SOLUTIONS_DIR / find_assignment(key).filename, find_assignment(key))
    stubs = {function.stub.strip(): function.solution for function in source.functions}
    filled = json.loads(json.dumps(notebook))
    for cell in filled["cells"]:
        text = "".join(cell["source"])
        if text.strip() in stubs:
            solution = stubs[text.strip()]
            cell["source"] = solution.replace(*bug) if bug else solution
    return filled


def write_notebook(notebook: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path
