"""Every committed notebook export, as file path -> text, generated from solutions/ and tests/.

`make notebooks` writes these files (`make otter` and `make nbgrader` the tools' own); the drift test
regenerates them and compares, so they are never edited by hand. Paths are relative to
the repository root:

    notebooks/student/<module>.ipynb            student notebooks (Colab / Jupyter)
    notebooks/otter/<hw>/<hw>-master.ipynb      otter-grader master notebooks
    notebooks/nbgrader/nbgrader_config.py       the nbgrader course folder: its config
    notebooks/nbgrader/source/<hw>/<hw>.ipynb   and its source notebooks

An assignment without any check is left out of the otter and nbgrader exports (there is
nothing to grade yet), with a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.authoring.settings import settings_for
from autograder.notebooks import ipynb
from autograder.notebooks.build import BuiltNotebook, student_notebook
from autograder.notebooks.checkplan import CheckPlan, plan_checks
from autograder.notebooks.nbgrader import CONFIG, source_notebook
from autograder.notebooks.otter import master_notebook
from autograder.notebooks.source import AssignmentSource, read_solution
from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from checklib.assignments import Assignment, all_assignments

NOTEBOOKS_DIR = Path("notebooks")
STUDENT_DIR = NOTEBOOKS_DIR / "student"
OTTER_DIR = NOTEBOOKS_DIR / "otter"
NBGRADER_DIR = NOTEBOOKS_DIR / "nbgrader"

Builder = Callable[[AssignmentSource, CheckPlan], BuiltNotebook]


@dataclass
class Exports:
    files: dict[Path, str] = field(default_factory=dict)  # relative path -> text
    notes: list[str] = field(default_factory=list)

    def write(self, root: Path) -> list[Path]:
        return [ipynb.write_text(root / path, text) for path, text in self.files.items()]

    def stale(self, root: Path) -> list[Path]:
        """The files under root that differ from (or lack) what would be generated."""
        return [path for path, text in self.files.items()
                if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]


def student_path(assignment: Assignment) -> Path:
    return STUDENT_DIR / f"{assignment.module}.ipynb"


def otter_master_path(assignment: Assignment) -> Path:
    return OTTER_DIR / assignment.key / f"{assignment.key}-master.ipynb"


def nbgrader_source_path(assignment: Assignment) -> Path:
    return NBGRADER_DIR / "source" / assignment.key / f"{assignment.key}.ipynb"


def _collect(builder: Builder, path_of: Callable[[Assignment], Path], needs_checks: bool,
             keys: list[str] | None) -> Exports:
    exports = Exports()
    for assignment in all_assignments(REPO_ROOT).values():
        if keys and assignment.key not in keys:
            continue
        plan = plan_checks(assignment)
        if needs_checks and not plan.files:
            exports.notes.append(f"{assignment.key}: skipped, it has no checks yet")
            continue
        latex = settings_for(assignment.key).latex
        built = builder(read_solution(SOLUTIONS_DIR / assignment.filename, assignment, latex), plan)
        exports.files[path_of(assignment)] = ipynb.to_text(built.notebook)
        exports.notes += [note for note in built.notes if note not in exports.notes]
    return exports


def student_exports(keys: list[str] | None = None) -> Exports:
    return _collect(student_notebook, student_path, needs_checks=False, keys=keys)


def otter_exports(keys: list[str] | None = None) -> Exports:
    return _collect(master_notebook, otter_master_path, needs_checks=True, keys=keys)


def nbgrader_exports(keys: list[str] | None = None) -> Exports:
    exports = _collect(source_notebook, nbgrader_source_path, needs_checks=True, keys=keys)
    exports.files[NBGRADER_DIR / "nbgrader_config.py"] = CONFIG
    return exports


def all_exports() -> Exports:
    """Every committed export: student notebooks, otter master notebooks, the nbgrader course folder."""
    exports = Exports()
    for kind in (student_exports(), otter_exports(), nbgrader_exports()):
        exports.files.update(kind.files)
        exports.notes += [note for note in kind.notes if note not in exports.notes]
    return exports
