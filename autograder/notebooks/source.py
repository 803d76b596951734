"""A reference solution module as the notebook generators see it: docstring, imports, functions.

Read statically (ast), never imported: the module's docstring explains the model, its
top-level imports become the notebook's import cell, and each graded function brings its
solution source (with the `### BEGIN SOLUTION` markers) and its student stub.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from autograder.authoring.stubs import strip_solutions
from autograder.source_spans import first_line
from checklib.assignments import Assignment


@dataclass(frozen=True)
class FunctionSource:
    name: str
    signature: str  # "cost(X, t, w, b)"
    docstring: str
    solution: str  # the def with its solution markers, as written in solutions/
    stub: str  # the def with each solution region replaced by a NotImplementedError stub


@dataclass(frozen=True)
class AssignmentSource:
    assignment: Assignment
    docstring: str
    imports: str  # the module's top-level import statements
    functions: tuple[FunctionSource, ...]  # the graded functions, in the assignment's order
    latex: Mapping[str, str] = field(default_factory=dict)  # formula line of a docstring -> its LaTeX

    @property
    def imported_modules(self) -> set[str]:
        """The top-level packages the module imports ("numpy", "torch")."""
        modules = set()
        for node in ast.parse(self.imports).body:
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
            modules |= {name.split(".")[0] for name in names}
        return modules

    def function(self, name: str) -> FunctionSource:
        return next(function for function in self.functions if function.name == name)


def _segment(lines: list[str], node: ast.stmt) -> str:
    """The source lines of a top-level statement, with its decorators and its trailing
    indented comments (a `### END SOLUTION` after the last statement is not in the AST)."""
    first, last = first_line(node), node.end_lineno
    while last < len(lines) and (not lines[last].strip() or lines[last][0].isspace()):
        last += 1
    return "".join(lines[first - 1: last]).rstrip() + "\n"


def read_solution(path: Path, assignment: Assignment, latex: Mapping[str, str] | None = None) -> AssignmentSource:
    """The solution module at path, split into the parts a notebook shows; latex: the settings' [latex]."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    lines = text.splitlines(keepends=True)
    imports = "".join(_segment(lines, node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom))
    definitions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    missing = [name for name in assignment.functions if name not in definitions]
    if missing:
        raise ValueError(f"{path}: no function named {', '.join(missing)} (run `make assign`: the kit's settings "
                         "list other functions)")
    functions = []
    for name in assignment.functions:
        node = definitions[name]
        solution = _segment(lines, node)
        arguments = ast.unparse(node.args)
        functions.append(FunctionSource(name, f"{name}({arguments})", ast.get_docstring(node) or "",
                                        solution, strip_solutions(solution, f"{path}:{name}")))
    return AssignmentSource(assignment, ast.get_docstring(tree) or "", imports, tuple(functions), dict(latex or {}))
