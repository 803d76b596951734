"""A submitted notebook as module source, without running anything.

    source = notebook_to_source(path.read_text())   # raises NotebookError

The grader writes the result into the sandbox as the student's module and grades it like
a `.py` submission. Only what the graded functions need is kept, so importing the module
runs nothing heavy or interactive:

- kept: function and class definitions, simple constants (an assignment whose value calls
  nothing and reads only names already kept, such as `EPS = 1e-8`), and the imports that
  these use (plus `from __future__` and `*` imports);
- dropped: IPython syntax (`%magic`, `!shell`, `%%cell magics`), imports nothing kept uses
  (otter, checklib's `check`, matplotlib for plots), `grader.check(...)` and `check(...)`
  cells, plots, and any other top-level code (experiments, prints, loops, `if` blocks).

Each kept statement keeps its own text (comments included), under a `# cell N` line that
says where it came from. Later definitions replace earlier ones, as when the notebook runs.
"""

from __future__ import annotations

import ast
import builtins
import json
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

HEADER = '"""Extracted from a submitted notebook: its imports, definitions and simple constants."""\n'
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# What a simple constant's value may not contain: anything that runs code when it is evaluated.
RUNS_CODE = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr,
             ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class NotebookError(ValueError):
    """The submission is not a notebook that can be read as Python."""


def read_notebook(notebook_json: str) -> nbformat.NotebookNode:
    """The notebook, or NotebookError saying why it is not one."""
    try:
        data = json.loads(notebook_json)
    except json.JSONDecodeError as error:
        raise NotebookError(f"the file is not a notebook: it is not valid JSON ({error}); "
                            "download it again with File > Download > .ipynb") from error
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        raise NotebookError("the file is JSON but not a Jupyter notebook (it has no cells or no nbformat version); "
                            "submit the .ipynb file of your notebook")
    try:
        return nbformat.reads(notebook_json, as_version=4)
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        raise NotebookError(f"the notebook cannot be read: {error}") from error


def _language(notebook: nbformat.NotebookNode) -> str:
    metadata = notebook.get("metadata", {})
    return (metadata.get("kernelspec", {}).get("language") or metadata.get("language_info", {}).get("name")
            or "python")


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, DEFINITIONS):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)}


def _evaluated_now(node: ast.AST) -> Iterator[ast.AST]:
    """The parts of an expression evaluated when it is: all of it but lambda bodies."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not (isinstance(node, ast.Lambda) and child is node.body):
            yield from _evaluated_now(child)


def _is_simple_constant(node: ast.stmt, known: set[str]) -> bool:
    """An assignment to plain names whose value calls nothing and reads only known names."""
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        targets, value = [node.target], node.value
    else:
        return False
    names_only = all(isinstance(part, ast.Name | ast.Tuple | ast.List | ast.Load | ast.Store)
                     for target in targets for part in ast.walk(target))
    if not names_only:
        return False
    for part in _evaluated_now(value):
        if isinstance(part, RUNS_CODE) or (isinstance(part, ast.Name) and part.id not in known):
            return False
    return True


def _is_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.Import | ast.ImportFrom)


def _is_future(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _is_star(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)


def _is_candidate(node: ast.stmt, known: set[str]) -> bool:
    return _is_import(node) or isinstance(node, DEFINITIONS) or _is_simple_constant(node, known)


def _statement_text(lines: list[str], node: ast.stmt) -> str:
    """The statement's own text: whole lines for a definition (from its first decorator),
    the exact span for a simple statement (which may share its line with others via `;`)."""
    if isinstance(node, DEFINITIONS):
        first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
        return "\n".join(lines[first - 1: node.end_lineno])
    if node.lineno == node.end_lineno:
        return lines[node.lineno - 1][node.col_offset:node.end_col_offset]
    return "\n".join([lines[node.lineno - 1][node.col_offset:], *lines[node.lineno: node.end_lineno - 1],
                      lines[node.end_lineno - 1][:node.end_col_offset]])


def _python_source(cell_source: str, cell_number: int, code_number: int) -> str:
    """The cell as plain Python: IPython syntax becomes ordinary calls (dropped later)."""
    try:
        return TransformerManager().transform_cell(cell_source)
    except SyntaxError as error:
        raise NotebookError(f"code cell {code_number} (cell {cell_number} of the notebook) is not valid Python: "
                            f"{error}") from error


def _parse(source: str, cell_source: str, cell_number: int, code_number: int) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as error:
        line = cell_source.splitlines()[error.lineno - 1].strip() if error.lineno and cell_source.strip() else ""
        shown = f": {line}" if line else ""
        raise NotebookError(f"code cell {code_number} (cell {cell_number} of the notebook) has a syntax error "
                            f"at line {error.lineno}{shown} ({error.msg}); fix it and run the cell to check"
                            ) from error


@dataclass(frozen=True)
class Statement:
    cell_number: int  # 1-based, counting every cell of the notebook
    node: ast.stmt
    text: str


def code_statements(notebook: nbformat.NotebookNode) -> list[Statement]:
    """Every top-level statement of the notebook's code cells, in order (IPython syntax made Python)."""
    statements = []
    code_number = 0
    for cell_number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        code_number += 1
        python = _python_source(cell.source, cell_number, code_number)
        lines = python.splitlines()
        statements += [Statement(cell_number, node, _statement_text(lines, node))
                       for node in _parse(python, cell.source, cell_number, code_number).body]
    return statements


def select_statements(statements: list[Statement]) -> list[Statement]:
    """Definitions, simple constants, and the imports that these use (see the module docstring)."""
    known, candidates = set(dir(builtins)), []
    for statement in statements:
        if _is_candidate(statement.node, known):
            candidates.append(statement)
            known |= _bound_names(statement.node)
    used = {part.id for statement in candidates if not _is_import(statement.node)
            for part in ast.walk(statement.node) if isinstance(part, ast.Name)}
    return [statement for statement in candidates
            if not _is_import(statement.node) or _is_future(statement.node) or _is_star(statement.node)
            or _bound_names(statement.node) & used]


def notebook_to_source(notebook_json: str) -> str:
    """Module source made of the notebook's imports, definitions and simple constants."""
    notebook = read_notebook(notebook_json)
    if _language(notebook).lower() != "python":
        raise NotebookError(f"the notebook is written in {_language(notebook)}, not Python; submit a Python notebook")
    selected = select_statements(code_statements(notebook))
    futures = dict.fromkeys(statement.text for statement in selected if _is_future(statement.node))
    blocks: dict[int, list[str]] = {}
    for statement in selected:
        if not _is_future(statement.node):
            blocks.setdefault(statement.cell_number, []).append(statement.text)
    parts = [HEADER + "".join(f"{future}\n" for future in futures)]
    parts += [f"# cell {number}\n" + "\n".join(texts) for number, texts in blocks.items()]
    return "\n\n".join(parts) + "\n"
