"""What students do to a copied file so that it looks like their own, as source-to-source functions.

Each transform takes a module's source and returns another that still parses: rename the local
variables, reorder the functions, rewrite the comments and docstrings, change the whitespace,
turn one function's accumulating loops into comprehensions, swap one function for another
implementation's.
"""

from __future__ import annotations

import ast
import re

from autograder.authoring.demo import renamed_locals, reversed_functions


def _top_level_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [node for node in tree.body if isinstance(node, ast.FunctionDef)]


def _function_spans(source: str) -> dict[str, tuple[int, int]]:
    """Function name -> (first line, last line), 0-based and end-exclusive."""
    return {node.name: (node.lineno - 1, node.end_lineno) for node in _top_level_functions(ast.parse(source))}


def rename_identifiers(source: str, keep: set[str]) -> str:
    """Every local variable and parameter renamed (the graded functions' names kept)."""
    return renamed_locals(source, keep, parameters=True)


def reorder_functions(source: str) -> str:
    return reversed_functions(source)


def rewrite_comments(source: str) -> str:
    """Every comment and docstring replaced by other words; a comment added above every return."""
    tree = ast.parse(source)
    docstrings = [node.body[0].value for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
                  and isinstance(node.body[0].value.value, str)]
    lines = source.splitlines()
    for string in sorted(docstrings, key=lambda node: node.lineno, reverse=True):
        indent = " " * string.col_offset
        lines[string.lineno - 1: string.end_lineno] = [f'{indent}"""My own solution for this part."""']
    rewritten = []
    for line in lines:
        code = re.sub(r"\s+#.*$", "", line) if "#" in line and '"' not in line and "'" not in line else line
        if code.lstrip().startswith("#"):
            continue
        if code.lstrip().startswith("return "):
            rewritten.append(code[: len(code) - len(code.lstrip())] + "# and here is the answer")
        rewritten.append(code)
    return "\n".join(rewritten) + "\n"


def change_whitespace(source: str) -> str:
    """Two-space indentation, spaces inside brackets, and a blank line after every statement line."""
    out = []
    for line in source.splitlines():
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 2
        spaced = stripped.replace("(", "( ").replace(")", " )") if '"' not in stripped else stripped
        out.append(" " * indent + spaced)
        if stripped.endswith(")") and not stripped.startswith(("def ", "@")):
            out.append("")
    return "\n".join(out) + "\n"


class _LoopsToComprehensions(ast.NodeTransformer):
    """`acc = init; for ...: acc += expr` -> `acc = init + sum(expr for ...)`;
    `acc = []; for ...: acc.append(expr)` -> `acc = [expr for ...]` (one-statement loops only)."""

    def __init__(self) -> None:
        self.changed = 0

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        node.body = self._rewrite(node.body)
        return node

    def visit_For(self, node: ast.For) -> ast.For:
        self.generic_visit(node)
        node.body = self._rewrite(node.body)
        return node

    def _rewrite(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in body:
            previous = out[-1] if out else None
            merged = self._merge(previous, statement) if previous is not None else None
            if merged is not None:
                out[-1] = merged
                self.changed += 1
            else:
                out.append(statement)
        return out

    @staticmethod
    def _merge(previous: ast.stmt, loop: ast.stmt) -> ast.stmt | None:
        if not (isinstance(loop, ast.For) and len(loop.body) == 1 and not loop.orelse
                and isinstance(previous, ast.Assign) and len(previous.targets) == 1
                and isinstance(previous.targets[0], ast.Name)):
            return None
        name, inner = previous.targets[0].id, loop.body[0]
        generator = ast.comprehension(target=loop.target, iter=loop.iter, ifs=[], is_async=0)
        if (isinstance(inner, ast.AugAssign) and isinstance(inner.op, ast.Add)
                and isinstance(inner.target, ast.Name) and inner.target.id == name):
            total = ast.Call(ast.Name("sum", ast.Load()), [ast.GeneratorExp(inner.value, [generator])], [])
            return ast.Assign([ast.Name(name, ast.Store())], ast.BinOp(previous.value, ast.Add(), total))
        if (isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Call)
                and isinstance(inner.value.func, ast.Attribute) and inner.value.func.attr == "append"
                and isinstance(inner.value.func.value, ast.Name) and inner.value.func.value.id == name
                and isinstance(previous.value, ast.List) and not previous.value.elts):
            return ast.Assign([ast.Name(name, ast.Store())], ast.ListComp(inner.value.args[0], [generator]))
        return None


def loops_to_comprehensions(source: str) -> tuple[str, str | None]:
    """The first function with a loop that can become a comprehension, rewritten; (source, its name or None)."""
    spans = _function_spans(source)
    for function in _top_level_functions(ast.parse(source)):
        rewriter = _LoopsToComprehensions()
        rewritten = rewriter.visit(function)
        if rewriter.changed:
            start, end = spans[function.name]
            lines = source.splitlines()
            ast.fix_missing_locations(rewritten)
            lines[start:end] = ast.unparse(rewritten).splitlines()
            return "\n".join(lines) + "\n", function.name
    return source, None


def swap_function(source: str, donor: str, name: str) -> str:
    """The function called name replaced by the donor module's function of that name."""
    start, end = _function_spans(source)[name]
    donor_start, donor_end = _function_spans(donor)[name]
    lines = source.splitlines()
    lines[start:end] = donor.splitlines()[donor_start:donor_end]
    return "\n".join(lines) + "\n"
