"""Self-tests of the stub generator (`autograder.authoring.stubs`, `python -m autograder assign`).

The generator replaces each `### BEGIN SOLUTION` ... `### END SOLUTION` region with a
`raise NotImplementedError("<function>: not implemented yet")` at the marker's
indentation, keeps everything else, and refuses nested or unbalanced markers. The last
tests are golden-file tests: assignments/ (and the demo exports) must be exactly what the
generators make from solutions/, so a solution edited without `make assign` (or
`python -m autograder demo`) fails here.
"""

import argparse
import ast
from pathlib import Path

import pytest

from autograder.authoring.demo import demo_files
from autograder.authoring.stubs import SolutionMarkerError, generated_stubs, solution_regions, strip_solutions
from autograder.commands import assign as assign_command
from checklib.assignments import all_assignments, find_assignment
from checklib.loading import load_module

REPO_ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO_ROOT / "solutions"
ASSIGNMENTS_DIR = REPO_ROOT / "assignments"

SOURCE = '''\
import numpy as np


def cost(X, t, w, b):
    """The cost J(w, b)."""
    # TODO: average half the squared errors.
    ### BEGIN SOLUTION
    residual = X @ w + b - t
    return residual @ residual / (2 * len(t))
    ### END SOLUTION


class Model:
    def predict(self, X):
        """Predictions."""
        if X is not None:
            ### BEGIN SOLUTION
            return X @ self.w
            ### END SOLUTION
'''

EXPECTED_STUB = '''\
import numpy as np


def cost(X, t, w, b):
    """The cost J(w, b)."""
    # TODO: average half the squared errors.
    raise NotImplementedError("cost: not implemented yet")


class Model:
    def predict(self, X):
        """Predictions."""
        if X is not None:
            raise NotImplementedError("predict: not implemented yet")
'''


# --- strip_solutions ---------------------------------------------------------------------


def test_regions_become_not_implemented_at_the_marker_indentation():
    assert strip_solutions(SOURCE) == EXPECTED_STUB


def test_region_outside_a_function_names_this_code():
    source = "x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n"
    assert strip_solutions(source) == 'x = 1\nraise NotImplementedError("this code: not implemented yet")\n'


def test_markers_count_only_as_whole_lines():
    source = 'def f():\n    text = "### BEGIN SOLUTION"  # ### END SOLUTION\n    return text\n'
    assert strip_solutions(source) == source


def test_source_without_markers_is_unchanged():
    source = 'def f():\n    """Docstring."""\n    return 1\n'
    assert strip_solutions(source) == source


def test_nested_begin_raises_with_both_line_numbers():
    source = "def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n"
    with pytest.raises(SolutionMarkerError, match=r"hw9\.py:3: nested .*line 2 is still open"):
        strip_solutions(source, "hw9.py")


def test_end_without_begin_raises_with_its_line_number():
    source = "def f():\n    return 1\n    ### END SOLUTION\n"
    with pytest.raises(SolutionMarkerError, match=r"hw9\.py:3: ### END SOLUTION without"):
        strip_solutions(source, "hw9.py")


def test_unclosed_begin_raises_with_its_line_number():
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n"
    with pytest.raises(SolutionMarkerError, match=r"hw9\.py:2: ### BEGIN SOLUTION is never closed"):
        strip_solutions(source, "hw9.py")


def test_solution_regions_lists_the_hidden_lines():
    assert solution_regions(SOURCE) == ["    residual = X @ w + b - t", "    return residual @ residual / (2 * len(t))",
                                        "            return X @ self.w"]


# --- the real assignments ------------------------------------------------------------------


def _docstrings(source: str) -> dict[str, str | None]:
    """Name -> docstring of the module and of every function and class in source."""
    tree = ast.parse(source)
    named = {node.name: ast.get_docstring(node) for node in ast.walk(tree)
             if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    return {"<module>": ast.get_docstring(tree), **named}


@pytest.mark.parametrize("key", list(all_assignments()))
def test_assignments_folder_matches_the_generated_stubs(key):
    """Golden files: run `make assign` (python -m autograder assign) after editing solutions/."""
    name = find_assignment(key).filename
    generated = generated_stubs(SOLUTIONS)[name]
    on_disk = (ASSIGNMENTS_DIR / name).read_text(encoding="utf-8")
    assert on_disk == generated, f"assignments/{name} is out of date: run `make assign`"


def test_assign_check_reports_up_to_date():
    assert assign_command.run(argparse.Namespace(check=True)) == 0


def test_demo_exports_are_made_from_the_current_solutions():
    """Golden files: the demo students' files are the solutions with one change each, so run
    `python -m autograder demo` after editing solutions/."""
    stale = [path.relative_to(REPO_ROOT) for path, content in demo_files().items()
             if not path.is_file() or path.read_bytes() != content]
    assert not stale, f"{stale} out of date: run `python -m autograder demo`"


@pytest.mark.parametrize("key", list(all_assignments()))
def test_stubs_keep_docstrings_and_todo_hints(key):
    name = find_assignment(key).filename
    solution = (SOLUTIONS / name).read_text(encoding="utf-8")
    stub = generated_stubs(SOLUTIONS)[name]
    assert _docstrings(stub) == _docstrings(solution)
    hints = [line for line in solution.splitlines() if line.strip().startswith("# TODO")]
    assert all(hint in stub.splitlines() for hint in hints)


@pytest.mark.parametrize("key", list(all_assignments()))
def test_stubs_leak_no_solution_line(key):
    name = find_assignment(key).filename
    stub_lines = {line.strip() for line in generated_stubs(SOLUTIONS)[name].splitlines()}
    solution = (SOLUTIONS / name).read_text(encoding="utf-8")
    leaked = [line for line in solution_regions(solution) if line.strip() and line.strip() in stub_lines]
    assert not leaked, f"solution lines left in the stub of {name}: {leaked}"


@pytest.mark.parametrize("key", list(all_assignments()))
def test_every_graded_function_of_a_stub_raises_not_implemented(key):
    assignment = find_assignment(key)
    module = load_module(ASSIGNMENTS_DIR / assignment.filename, f"stub_{key}")
    for function in assignment.functions:
        with pytest.raises(NotImplementedError, match=f"^{function}: not implemented yet$"):
            getattr(module, function)(*([None] * getattr(module, function).__code__.co_argcount))
