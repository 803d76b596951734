"""The student notebook: text in the tutorial's notation, the stubs, and check cells that work."""

from __future__ import annotations

import json
import sys
import textwrap
import zipfile

import pytest

from autograder.paths import REPO_ROOT
from checklib.assignments import all_assignments
from checklib.notebook import checker

from .helpers import COST_LINE, COST_WITHOUT_HALF, committed_student_notebook, fill_stubs


def cells(notebook: dict, cell_type: str) -> list[str]:
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == cell_type]


def run_code_cells(notebook: dict, folder, monkeypatch, capsys) -> str:
    """Run every code cell in one namespace, from folder (as Jupyter does); what they print."""
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the setup cell adds the kit to it
    namespace: dict = {"__name__": "__main__"}
    for source in cells(notebook, "code"):
        exec(compile(source, "<cell>", "exec"), namespace)
    return capsys.readouterr().out


def test_text_cells_typeset_the_model_in_latex():
    text = "\n".join(cells(committed_student_notebook("hw1"), "markdown"))
    assert r"y = \mathbf{w}^\top \mathbf{x} + b" in text
    assert r"\mathcal{J}(\mathbf{w}, b) = \frac{1}{2N} \sum_{i=1}^{N}" in text
    assert "Algorithm 1" in text
    hw2 = "\n".join(cells(committed_student_notebook("hw2"), "markdown"))
    assert r"\sigma(z) = \frac{1}{1 + e^{-z}}" in hw2
    hw3 = "\n".join(cells(committed_student_notebook("hw3"), "markdown"))
    assert r"\operatorname{softmax}" in hw3 and r"\log P_{i, t^{(i)}}" in hw3


def test_first_cells_say_how_to_get_the_kit_on_colab():
    first_text = cells(committed_student_notebook("hw1"), "markdown")[:3]
    assert any("On Colab" in text and "zip" in text for text in first_text)


def test_stub_cells_are_the_assignment_stubs_and_each_is_followed_by_its_check():
    notebook = committed_student_notebook("hw1")
    stubs = (REPO_ROOT / "assignments" / "hw1_linear_regression.py").read_text(encoding="utf-8")
    code = cells(notebook, "code")
    for function in ("predict", "cost", "gradient", "solve_exact", "gradient_descent"):
        index = next(i for i, source in enumerate(code) if source.startswith(f"def {function}("))
        assert code[index] in stubs
        assert code[index + 1] == f'check("{function}")'


def test_untouched_notebook_runs_and_says_not_implemented(monkeypatch, capsys):
    output = run_code_cells(committed_student_notebook("hw1"), REPO_ROOT / "notebooks" / "student",
                            monkeypatch, capsys)
    assert "cost: 0 of 2 public checks passed" in output
    assert "cost: not implemented yet" in output


def test_filled_notebook_passes_every_check_cell(monkeypatch, capsys):
    output = run_code_cells(fill_stubs(committed_student_notebook("hw1")), REPO_ROOT / "notebooks" / "student",
                            monkeypatch, capsys)
    assert "FAIL" not in output
    assert output.count("All public checks pass") == 5


def test_check_names_the_mistake_of_a_planted_bug(monkeypatch, capsys):
    notebook = fill_stubs(committed_student_notebook("hw1"), bug=(COST_LINE, COST_WITHOUT_HALF))
    output = run_code_cells(notebook, REPO_ROOT / "notebooks" / "student", monkeypatch, capsys)
    assert "cost: 0 of 2 public checks passed" in output
    assert "is the 1/2 of the squared error missing?" in output


def test_setup_cell_finds_a_kit_uploaded_as_a_zip(tmp_path, monkeypatch, capsys):
    """On Colab: the kit's zip beside the notebook is unpacked into kit/ and put on sys.path."""
    with zipfile.ZipFile(tmp_path / "student-kit-hw1.zip", "w") as archive:
        archive.writestr("student-kit-hw1/checklib/__init__.py", "")
    setup = cells(committed_student_notebook("hw1"), "code")[0]
    run_code_cells({"cells": [{"cell_type": "code", "source": setup}]}, tmp_path, monkeypatch, capsys)
    assert str((tmp_path / "kit" / "student-kit-hw1").resolve()) in sys.path


def test_check_of_an_unknown_function_says_which_exist():
    with pytest.raises(ValueError, match="hw1 has no graded function 'costs'; it has predict, cost"):
        checker("hw1")("costs", {})


def test_check_without_the_kit_says_to_run_the_setup_cell(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the notebook's first cell"):
        checker("hw1", public_file=tmp_path / "missing.py")("cost", {})


def test_code_cells_are_valid_python():
    for key in all_assignments():
        for source in cells(committed_student_notebook(key), "code"):
            compile(textwrap.dedent(source), f"{key} cell", "exec")
    assert json.dumps(committed_student_notebook("hw1"))
