"""A submitted notebook as module source, without running anything.

    module = extract_module(path.read_text())   # raises NotebookError
    module.source, module.notes                  # notes: cells that were skipped, and why

The grader writes the result into the sandbox as the student's module and grades it like
a `.py` submission. Only what the graded functions need is kept, so importing the module
runs nothing heavy or interactive:

- kept: function and class definitions, simple constants (an assignment whose value calls
  nothing and reads only names already kept, such as `EPS = 1e-8`), any other assignment to
  a name that what is kept reads (`TINY = np.finfo(float).tiny` used in a function), as
  long as its value reads only kept names, and the imports that all these use (plus
  `from __future__` and `*` imports);
- dropped: IPython syntax (`%magic`, `!shell`, `%%cell magics`), imports nothing kept uses
  (otter, checklib's `check`, matplotlib for plots), `grader.check(...)` and `check(...)`
  cells, plots, and any other top-level code (experiments, prints, loops, `if` blocks).

Each kept statement keeps its own text (comments included), under a `# cell N` line that
says where it came from. Later definitions replace earlier ones, as when the notebook runs.
A code cell that is not valid Python is skipped, and a note says which one and why.

Reading takes time linear in the notebook's size, within the caps of
`autograder.upload.notebook_limits`; a notebook over one is refused with `NotebookTooLarge`.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from autograder.source_spans import first_line
from autograder.upload.notebook_limits import MAX_CELLS, SyntaxBudget, cells_problem
from checklib.student_text import quoted, readable

HEADER = '"""Extracted from a submitted notebook: its imports, definitions and the assignments they need."""\n'
_CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")  # nbformat 4.5's cell id
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# What a simple constant's value may not contain: anything that runs code when it is evaluated.
RUNS_CODE = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr,
             ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
MAX_NOTES = 10  # notes about skipped cells; then one that says how many more


class NotebookError(ValueError):
    """The submission is not a notebook that can be read as Python."""


class NotebookTooLarge(NotebookError):
    """A notebook over one of the caps of autograder.upload.notebook_limits."""

    def __init__(self, problem: str):
        super().__init__(f"it is too large: {problem}")


def read_notebook(notebook_json: str) -> nbformat.NotebookNode:
    """The notebook, or NotebookError saying why it is not one."""
    try:
        data = json.loads(notebook_json)
    except json.JSONDecodeError as error:
        raise NotebookError(f"the file is not a notebook: it is not valid JSON ({error}); "
                            "download it again with File > Download > .ipynb") from error
    except RecursionError:
        raise NotebookTooLarge("its JSON is nested too deeply to read") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        raise NotebookError("the file is JSON but not a Jupyter notebook (it has no cells or no nbformat version); "
                            "submit the .ipynb file of your notebook")
    if len(data["cells"]) > MAX_CELLS:
        raise NotebookTooLarge(f"it has {len(data['cells'])} cells; the grader reads at most {MAX_CELLS}")
    try:
        return nbformat.reads(json.dumps(_with_cell_ids(data)), as_version=4)
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        raise NotebookError(f"the notebook cannot be read: {error}") from error


def _with_cell_ids(data: dict) -> dict:
    """The notebook with a valid, unique id on every cell where its format (4.5+) wants one.

    nbformat would repair missing or duplicate ids itself, warning on the TA's console each time.
    """
    if data.get("nbformat") != 4 or not isinstance(data.get("nbformat_minor"), int) or data["nbformat_minor"] < 5:
        return data
    seen: set[str] = set()
    for number, cell in enumerate(data["cells"]):
        if not isinstance(cell, dict):
            continue
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or cell_id in seen or not _CELL_ID.fullmatch(cell_id):
            cell["id"] = cell_id = f"cell-{number}"
        seen.add(cell_id)
    return data


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
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for child in ast.iter_child_nodes(current)
                     if not (isinstance(current, ast.Lambda) and child is current.body))


def _is_name_assignment(node: ast.stmt) -> bool:
    """An assignment (any value) to plain names only."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        targets = [node.target]
    else:
        return False
    return all(isinstance(part, ast.Name | ast.Tuple | ast.List | ast.Load | ast.Store)
               for target in targets for part in ast.walk(target))


def _is_simple_constant(node: ast.stmt, known: set[str]) -> bool:
    """An assignment to plain names whose value calls nothing and reads only known names."""
    if not _is_name_assignment(node):
        return False
    for part in _evaluated_now(node.value):
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


def _names_read(node: ast.AST) -> set[str]:
    return {part.id for part in ast.walk(node) if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load)}


def _outside_names_read(node: ast.stmt) -> set[str]:
    """The names an assignment's value reads from outside it (not its lambdas' or comprehensions' own)."""
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else node
    own = {part.arg for part in ast.walk(value) if isinstance(part, ast.arg)}
    own |= {part.id for part in ast.walk(value) if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Store)}
    return _names_read(value) - own


def _statement_text(lines: list[str], node: ast.stmt) -> str:
    """The statement's own text: whole lines for a definition (from its first decorator),
    the exact span for a simple statement (which may share its line with others via `;`)."""
    if isinstance(node, DEFINITIONS):
        return "\n".join(lines[first_line(node) - 1: node.end_lineno])
    if node.lineno == node.end_lineno:
        return lines[node.lineno - 1][node.col_offset:node.end_col_offset]
    return "\n".join([lines[node.lineno - 1][node.col_offset:], *lines[node.lineno: node.end_lineno - 1],
                      lines[node.end_lineno - 1][:node.end_col_offset]])


class _CellSkipped(Exception):
    """A code cell that is not valid Python; the message says where and why."""


def _python_source(cell_source: str, label: str) -> str:
    """The cell as plain Python: IPython syntax becomes ordinary calls (dropped later)."""
    try:
        return TransformerManager().transform_cell(cell_source)
    except SyntaxError as error:
        raise _CellSkipped(f"{label} is not valid Python ({error}), so it was skipped") from error
    except (RuntimeError, RecursionError, MemoryError):  # IPython gives up after 500 rewrites of one cell
        raise NotebookTooLarge(f"{label} has too much IPython syntax (%magic, !shell) to read") from None


def _parse(source: str, cell_source: str, label: str) -> ast.Module:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError) as error:
        lineno = getattr(error, "lineno", None)
        lines = cell_source.splitlines()
        line = lines[lineno - 1].strip() if lineno and lineno <= len(lines) else ""
        shown = f": {quoted(line, 200)}" if line else ""
        reason = getattr(error, "msg", str(error))
        raise _CellSkipped(f"{label} has a syntax error at line {lineno}{shown} ({reason}), so it was skipped: "
                           "fix it and run the cell to check") from error
    except (RecursionError, MemoryError):  # how CPython's parser refuses very deep nesting
        raise NotebookTooLarge(f"{label} is nested too deeply to read") from None


@dataclass(frozen=True, eq=False)  # each statement is itself: sets of them compare identities, in O(1)
class Statement:
    cell_number: int  # 1-based, counting every cell of the notebook
    node: ast.stmt
    text: str


def code_statements(notebook: nbformat.NotebookNode) -> tuple[list[Statement], list[str]]:
    """Every top-level statement of the notebook's valid code cells, in order (IPython syntax made
    Python), and a note for each code cell skipped because it is not valid Python."""
    code_cells = []  # (label, cell number, source)
    for cell_number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code":
            label = f"code cell {len(code_cells) + 1} (cell {cell_number} of the notebook)"
            code_cells.append((label, cell_number, readable(cell.source)))  # its JSON may hold lone surrogates
    if problem := cells_problem([(label, source) for label, _, source in code_cells]):
        raise NotebookTooLarge(problem)
    statements, notes = [], []
    budget = SyntaxBudget()
    for label, cell_number, source in code_cells:
        try:
            python = _python_source(source, label)
            body = _parse(python, source, label).body
        except _CellSkipped as skipped:
            notes.append(f"Your notebook's {skipped}.")
            continue
        if problem := budget.add(label, body):
            raise NotebookTooLarge(problem)
        lines = python.splitlines()
        statements += [Statement(cell_number, node, _statement_text(lines, node)) for node in body]
    if len(notes) > MAX_NOTES:
        notes[MAX_NOTES:] = [f"{len(notes) - MAX_NOTES} more code cells of your notebook were skipped "
                             "because they are not valid Python."]
    return statements, notes


def _needed_assignments(statements: list[Statement], kept: list[Statement]) -> set[Statement]:
    """The other assignments to names the kept statements read (and, in turn, those read).

    A worklist over names: each statement and each name is looked at once, so the time is
    linear in the notebook's size (a chain of assignments, each reading the next, included).
    """
    kept_set = set(kept)
    others = [statement for statement in statements
              if statement not in kept_set and _is_name_assignment(statement.node)]
    available = set(dir(builtins)).union(*(_bound_names(statement.node) for statement in kept + others))
    binding: dict[str, list[Statement]] = {}  # name -> the other assignments to it that could be kept
    for statement in others:
        if _outside_names_read(statement.node) <= available:  # else importing the module would fail
            for name in _bound_names(statement.node):
                binding.setdefault(name, []).append(statement)
    wanted = set().union(*(_names_read(statement.node) for statement in kept if not _is_import(statement.node)))
    to_visit = list(wanted)
    needed: set[Statement] = set()
    while to_visit:
        for statement in binding.pop(to_visit.pop(), ()):
            if statement not in needed:
                needed.add(statement)
                new_names = _names_read(statement.node) - wanted
                wanted |= new_names
                to_visit += new_names
    return needed


def select_statements(statements: list[Statement]) -> list[Statement]:
    """Definitions, constants, the assignments these read and the imports they use (module docstring)."""
    known, candidates = set(dir(builtins)), []
    for statement in statements:
        if _is_candidate(statement.node, known):
            candidates.append(statement)
            known |= _bound_names(statement.node)
    kept = set(candidates) | _needed_assignments(statements, candidates)
    used = set().union(*(_names_read(statement.node) for statement in kept if not _is_import(statement.node)))
    return [statement for statement in statements if statement in kept and (
        not _is_import(statement.node) or _is_future(statement.node) or _is_star(statement.node)
        or _bound_names(statement.node) & used)]


@dataclass(frozen=True)
class ExtractedModule:
    source: str
    notes: tuple[str, ...]  # for the student: code cells skipped because they are not valid Python


def extract_module(notebook_json: str) -> ExtractedModule:
    """Module source made of the notebook's imports, definitions and the assignments they need."""
    notebook = read_notebook(notebook_json)
    if _language(notebook).lower() != "python":
        raise NotebookError(f"the notebook is written in {_language(notebook)}, not Python; submit a Python notebook")
    statements, notes = code_statements(notebook)
    selected = select_statements(statements)
    futures = dict.fromkeys(statement.text for statement in selected if _is_future(statement.node))
    blocks: dict[int, list[str]] = {}
    for statement in selected:
        if not _is_future(statement.node):
            blocks.setdefault(statement.cell_number, []).append(statement.text)
    parts = [HEADER + "".join(f"{future}\n" for future in futures)]
    parts += [f"# cell {number}\n" + "\n".join(texts) for number, texts in blocks.items()]
    return ExtractedModule("\n\n".join(parts) + "\n", tuple(notes))
