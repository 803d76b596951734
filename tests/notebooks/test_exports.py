"""The committed notebook exports are exactly what the generators make from solutions/ and tests/."""

from __future__ import annotations

import json

import pytest

from autograder.authoring.settings import settings_for
from autograder.authoring.stubs import generated_stubs, solution_regions
from autograder.notebooks import markdown
from autograder.notebooks.checkplan import plan_checks
from autograder.notebooks.exports import nbgrader_exports, otter_exports, student_exports, student_path
from autograder.notebooks.source import read_solution
from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from checklib.assignments import all_assignments, find_assignment

EXPORTS = {"student": (student_exports, "make notebooks"), "otter": (otter_exports, "make otter"),
           "nbgrader": (nbgrader_exports, "make nbgrader")}


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_committed_exports_match_their_source(kind):
    generate, command = EXPORTS[kind]
    stale = generate().stale(REPO_ROOT)
    assert not stale, f"{', '.join(map(str, stale))} differ from what is generated: run `{command}` (never edit them)"


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_regeneration_is_byte_identical(kind):
    generate, _ = EXPORTS[kind]
    assert generate().files == generate().files


def test_every_assignment_has_a_student_notebook():
    assert set(student_exports().files) == {student_path(assignment) for assignment in all_assignments().values()}


@pytest.mark.parametrize("key", list(all_assignments()))
def test_student_notebook_leaks_no_solution_line_or_hidden_check(key):
    assignment = find_assignment(key)
    text = "\n".join("".join(cell["source"]) for cell in
                     json.loads(student_exports([key]).files[student_path(assignment)])["cells"])
    solution = (SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8")
    public = generated_stubs(SOLUTIONS_DIR)[assignment.filename]  # docstrings may name what a solution does
    leaked = [line.strip() for line in solution_regions(solution)
              if len(line.strip()) > 12 and line.strip() in text and line.strip() not in public]
    hidden = [check.name for group in plan_checks(assignment).by_group.values()
              for check in group.get("hidden", ()) if check.name in text]
    assert not leaked and not hidden, f"the {key} student notebook shows {leaked + hidden}"


@pytest.mark.parametrize("key", list(all_assignments()))
def test_every_docstring_formula_has_latex(key):
    settings = settings_for(key)
    source = read_solution(settings.solution, find_assignment(key), settings.latex)
    unrendered = list(markdown.module_intro(source.docstring, source.latex).unrendered)
    for function in source.functions:
        unrendered += markdown.function_section(function.signature, function.docstring, source.latex).unrendered
    assert not unrendered, f"add LaTeX for {unrendered} to [latex] in {settings.path.name}"


def test_missing_check_files_are_skipped_with_a_note(tmp_path, monkeypatch):
    from autograder.notebooks import checkplan

    public = tmp_path / "tests" / "public"
    public.mkdir(parents=True)
    (public / "test_hw1_public.py").write_text(
        (REPO_ROOT / "tests" / "public" / "test_hw1_public.py").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(checkplan, "REPO_ROOT", tmp_path)  # hw1 public only; no hidden, no hw2/hw3
    students = student_exports()
    assert len(students.files) == len(all_assignments())
    assert "hw2: the student notebook has no check cells (no public checks yet)" in students.notes
    otter = otter_exports()
    assert [path.parent.name for path in otter.files] == ["hw1"]
    assert "hw2: skipped, it has no checks yet" in otter.notes
    assert "hw1: no hidden checks yet (test_hw1_hidden.py is missing)" in otter.notes
    assert "# HIDDEN" not in otter.files[next(iter(otter.files))]
