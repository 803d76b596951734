"""How much of a notebook the grader reads: caps, each checked before the work it bounds.

A notebook is a student's upload, so reading it (autograder.upload.notebook) must take
bounded time and memory whatever it holds. Every cap is far above what a homework notebook
needs (a few dozen cells of a few hundred lines each) and low enough that reading a notebook
at the caps takes about a second:

    problem = cells_problem(code_cells)       # before any cell is transformed or parsed
    budget = SyntaxBudget()
    problem = budget.add(label, tree.body)    # after each cell is parsed

Each returns None, or what is too large, in words for the student.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

MAX_CELLS = 1_000  # cells of any kind
MAX_CELL_CHARS = 100_000  # one code cell (CPython 3.11 parses a long f-string in quadratic time)
MAX_CODE_CHARS = 300_000  # all code cells together
MAX_IPYTHON_LINES = 100  # lines of IPython syntax (%magic, !shell, ...) in the whole notebook
# IPython rewrites one such line at a time and reads the whole cell again for each, so its work
# is their number times the cell's length, summed over the cells (2 million: well under a second).
MAX_IPYTHON_WORK = 2_000_000
MAX_STATEMENTS = 10_000  # top-level statements of all code cells
MAX_NAMES = 100_000  # names in all those statements
MAX_NESTING = 100  # levels of one statement's syntax tree (a function's body is a few dozen)

# A line IPython may rewrite: one that starts with an escape (%, !, ?, and autocall's , ; /),
# ends with ? (help), or assigns a magic or shell command (x = %time f(), x = !ls). Counting a
# few ordinary lines too (a % inside a string) only makes the estimate safer.
_IPYTHON_LINE = re.compile(r"^[ \t]*[%!?,;/]|\?[ \t]*$|=[ \t]*[%!]", re.MULTILINE)


def ipython_lines(cell_source: str) -> int:
    """How many lines of the cell IPython may rewrite (an upper bound)."""
    return len(_IPYTHON_LINE.findall(cell_source))


def cells_problem(code_cells: Sequence[tuple[str, str]]) -> str | None:
    """What makes these code cells, (label, source) in notebook order, too large to read; None if nothing."""
    total = magic_lines = magic_work = 0
    for label, source in code_cells:
        if len(source) > MAX_CELL_CHARS:
            return f"{label} has {len(source)} characters; the grader reads at most {MAX_CELL_CHARS} in one cell"
        total += len(source)
        if total > MAX_CODE_CHARS:
            return f"its code cells have more than {MAX_CODE_CHARS} characters together, the most the grader reads"
        lines = ipython_lines(source)
        magic_lines += lines
        magic_work += lines * len(source)
        if magic_lines > MAX_IPYTHON_LINES:
            return (f"it has more than {MAX_IPYTHON_LINES} lines of IPython syntax (%magic, !shell), "
                    "the most the grader reads; remove the ones the graded functions do not need")
        if magic_work > MAX_IPYTHON_WORK:
            return (f"{label} has {lines} lines of IPython syntax (%magic, !shell) in {len(source)} characters, "
                    "too many for the grader to read: move them to a small cell of their own, or remove them")
    return None


def _names_and_depth(node: ast.AST) -> tuple[int, int]:
    """How many Name nodes the tree holds, and how deep it is (iteratively: a tree may be very deep)."""
    names = deepest = 0
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        names += isinstance(current, ast.Name)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(current))
    return names, deepest


class SyntaxBudget:
    """The statements and names of the cells parsed so far, and each statement's nesting, against the caps."""

    def __init__(self) -> None:
        self.statements = 0
        self.names = 0

    def add(self, label: str, body: Sequence[ast.stmt]) -> str | None:
        """Count a parsed cell's statements; what is too large, or None."""
        self.statements += len(body)
        if self.statements > MAX_STATEMENTS:
            return f"it has more than {MAX_STATEMENTS} top-level statements, the most the grader reads"
        for statement in body:
            names, depth = _names_and_depth(statement)
            if depth > MAX_NESTING:
                return (f"{label} has a statement (line {statement.lineno}) nested {depth} levels deep; "
                        f"the grader reads at most {MAX_NESTING}")
            self.names += names
            if self.names > MAX_NAMES:
                return f"its code uses more than {MAX_NAMES} names, the most the grader reads"
        return None
