"""A tip, not a grade: graded functions that loop over examples in Python.

    notes = find_python_loops(Path("assignments/hw1_linear_regression.py"), ("predict", "cost"))
    for note in notes:
        print(note)      # "cost, line 42: a Python for loop. NumPy can ..."

The check is static (the file is parsed, never run). A loop is any `for`, `while` or
comprehension inside a graded function, except the loop over epochs of a training
function (one whose condition or range mentions a parameter named like `num_epochs`):
gradient descent needs that one. Loops are allowed; vectorized NumPy is simpler and faster.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_LOOPS: dict[type, str] = {
    ast.For: "for loop",
    ast.AsyncFor: "for loop",
    ast.While: "while loop",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
}


@dataclass(frozen=True)
class LoopNote:
    function: str
    line: int
    kind: str  # "for loop", "list comprehension", ...

    def __str__(self) -> str:
        return (f"{self.function}, line {self.line}: a Python {self.kind}. NumPy can handle all examples at once "
                "(X @ w, .sum(axis=...), broadcasting), which is shorter and much faster.")


def _epoch_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    arguments = function.args.posonlyargs + function.args.args + function.args.kwonlyargs
    return {argument.arg for argument in arguments if "epoch" in argument.arg.lower()}


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(child, ast.Name) and child.id in names for child in ast.walk(node))


def _is_epoch_loop(node: ast.AST, epoch_names: set[str]) -> bool:
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return _mentions(node.iter, epoch_names)
    if isinstance(node, ast.While):
        return _mentions(node.test, epoch_names)
    return False


def loops_in_function(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[LoopNote]:
    """The loops in one function's body (nested functions included), epoch loops left out."""
    epoch_names = _epoch_parameters(function)
    notes = []
    for node in ast.walk(function):
        kind = _LOOPS.get(type(node))
        if kind and not _is_epoch_loop(node, epoch_names):
            notes.append(LoopNote(function.name, node.lineno, kind))
    return sorted(notes, key=lambda note: note.line)


def find_python_loops(path: Path, graded_functions: Iterable[str]) -> list[LoopNote]:
    """Loop notes for the top-level graded functions of the file at path ([] if it does not parse)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
        return []
    wanted = set(graded_functions)
    notes = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in wanted:
            notes += loops_in_function(node)
    return notes
