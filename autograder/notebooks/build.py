"""`make notebooks`: one student notebook per assignment, for Colab or Jupyter.

Made from the reference solution (see `source.py`): the module docstring becomes the
introduction, each graded function gets a text cell (its description, formulas typeset),
a code cell with its stub (the same text as assignments/), and, when it has public
checks, a check cell `check("<function>")` that runs them on the notebook's own functions
(see checklib.notebook).
"""

from __future__ import annotations

from dataclasses import dataclass

from nbformat import NotebookNode

from autograder.notebooks import ipynb, markdown
from autograder.notebooks.checkplan import CheckPlan
from autograder.notebooks.kit_setup import FIND_KIT, GETTING_THE_KIT
from autograder.notebooks.source import AssignmentSource

HOW_TO_WORK = """\
## How to work

For each function below: read its description, replace the line
`raise NotImplementedError(...)` with your code, run the cell, then run the check cell under it.
The check cells run the public checks on the functions defined in this notebook and print
what passed and, for what failed, a message saying what is wrong.
"""

SUBMITTING = """\
## Submitting

Submit this notebook (`.ipynb`) on Moodle. The grader does not run the notebook: it keeps
your imports, functions, classes and simple constants (such as `EPS = 1e-8`) and ignores
everything else (check cells, plots, experiments). So every function must work on its own:
before submitting, run *Restart & Run All* and make sure every check cell passes.
"""


@dataclass(frozen=True)
class BuiltNotebook:
    notebook: NotebookNode
    notes: tuple[str, ...] = ()


def setup_cell(source: AssignmentSource, with_checker: bool) -> str:
    """The notebook's imports: the solution module's, then checklib's `check` when wanted."""
    lines = [source.imports.strip()]
    if with_checker:
        lines += ["", "from checklib.notebook import checker", "", f'check = checker("{source.assignment.key}")']
    return "\n".join(lines)


def student_notebook(source: AssignmentSource, plan: CheckPlan) -> BuiltNotebook:
    """The student notebook of one assignment."""
    intro = markdown.module_intro(source.docstring, source.latex)
    unrendered = list(intro.unrendered)
    cells = [ipynb.markdown(intro.text), ipynb.markdown(HOW_TO_WORK), ipynb.markdown(GETTING_THE_KIT),
             ipynb.code(FIND_KIT), ipynb.code(setup_cell(source, with_checker=True))]
    for function in source.functions:
        section = markdown.function_section(function.signature, function.docstring, source.latex)
        unrendered += section.unrendered
        cells += [ipynb.markdown(section.text), ipynb.code(function.stub)]
        if plan.checks(function.name, "public"):
            cells.append(ipynb.code(f'check("{function.name}")'))
    cells.append(ipynb.markdown(SUBMITTING))
    notes = [f"{source.assignment.key}: no LaTeX for formula {formula!r} (add it to [latex] in "
             f"solutions/{source.assignment.module}.toml)" for formula in unrendered]
    if "public" not in plan.files:
        notes.append(f"{source.assignment.key}: the student notebook has no check cells (no public checks yet)")
    return BuiltNotebook(ipynb.notebook(cells), tuple(notes))
