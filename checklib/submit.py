"""`make submit HW=hw1`: check your file before you upload it, and put a copy where you find it.

    python -m checklib.submit hw1      # writes submit/hw1_linear_regression.py

Pre-flight, in order: the file exists; it compiles; it imports only numpy, torch, math and
the standard library (nothing that reaches files, processes or the network; a block under
`if __name__ == "__main__":` is exempt: the grader never runs it); no graded function is
missing or unfinished (a body that only raises NotImplementedError or does nothing); it
imports on its own within a few seconds; then every public check must pass. Anything else
stops here (exit 1) and says what to fix; otherwise the file is copied to submit/, the one
file to upload to Moodle, and only then does it say "Ready".
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checklib.assignments import Assignment, find_assignment, listed_keys, say_which
from checklib.check import check
from checklib.environment import kit_packages, missing_package_message, missing_packages
from checklib.paths import KIT_ROOT
from checklib.short_run import run_and_exit

SUBMIT_DIR = "submit"
IMPORT_TIMEOUT = 30  # seconds: importing numpy and torch on a slow laptop takes a few
ALLOWED_PACKAGES = frozenset({"numpy", "torch", "math"})
# Standard-library modules that reach outside the computation (files, processes, network,
# the interpreter itself): the grader does not allow them, so they are refused here too.
FORBIDDEN_STDLIB = frozenset({
    "asyncio", "builtins", "code", "ctypes", "ftplib", "gc", "glob", "http", "importlib", "inspect", "io",
    "marshal", "mmap", "multiprocessing", "os", "pathlib", "pickle", "poplib", "pty", "resource", "runpy",
    "shelve", "shutil", "signal", "smtplib", "socket", "socketserver", "ssl", "subprocess", "sys", "tempfile",
    "threading", "urllib", "webbrowser", "xmlrpc", "zipimport",
})
FORBIDDEN_CALLS = frozenset({"eval", "exec", "compile", "open", "input", "__import__", "breakpoint"})


@dataclass(frozen=True)
class Problem:
    message: str
    hard: bool = True  # a hard error stops the submission


def module_allowed(name: str) -> bool:
    top = name.split(".")[0]
    if top in ALLOWED_PACKAGES:
        return True
    return top in sys.stdlib_module_names and top not in FORBIDDEN_STDLIB


def _is_main_block(node: ast.stmt) -> bool:
    """Whether node is `if __name__ == "__main__":`, whose body the grader never runs."""
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def graded_code(tree: ast.Module) -> ast.Module:
    """The file without its `if __name__ == "__main__":` blocks: what the grader runs."""
    return ast.Module(body=[node for node in tree.body if not _is_main_block(node)], type_ignores=[])


def import_problems(tree: ast.AST) -> list[Problem]:
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            problems.append(Problem(f"line {node.lineno}: a relative import (from .{node.module or ''} ...): "
                                    "the grader imports your file alone, so it cannot import other files"))
            continue
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        for name in names:
            if not module_allowed(name):
                problems.append(Problem(f"line {node.lineno}: `{name}` may not be imported: only numpy, torch, "
                                        "math and the standard library (without modules that reach files, "
                                        "processes or the network) are available to the grader"))
    return problems


def call_problems(tree: ast.AST) -> list[Problem]:
    return [Problem(f"line {node.lineno}: your file calls {node.func.id}(): submissions may not read or write "
                    "files, run code from strings or ask for input; remove it (print() is fine)")
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS]


def _does_nothing(statement: ast.stmt) -> bool:
    """pass, a bare constant (a docstring, ...), or `return` / `return None`."""
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return True
    return isinstance(statement, ast.Return) and (
        statement.value is None or (isinstance(statement.value, ast.Constant) and statement.value.value is None))


def _raises_not_implemented(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Raise) or statement.exc is None:
        return False
    raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def is_unfinished(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function's body only raises NotImplementedError or does nothing (pass, return None)."""
    body = [statement for statement in function.body if not _does_nothing(statement)]
    return not body or (len(body) == 1 and _raises_not_implemented(body[0]))


def function_problems(tree: ast.Module, assignment: Assignment) -> list[Problem]:
    defined = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    missing = [name for name in assignment.functions if name not in defined]
    unfinished = [name for name in assignment.functions if name in defined and is_unfinished(defined[name])]
    problems = []
    if missing:
        problems.append(Problem(f"your file has no function named {', '.join(missing)}: the grader calls each "
                                "graded function by its name (restore it from the kit if you renamed it)"))
    if unfinished:
        problems.append(Problem(f"still not implemented: {', '.join(unfinished)} (the body only raises "
                                "NotImplementedError, or does nothing). Each assignment is pass/fail, so every "
                                "function counts"))
    return problems


def import_run_problems(path: Path, timeout: float = IMPORT_TIMEOUT) -> list[Problem]:
    """Import the file alone in a fresh Python, as the grader will."""
    code = ("import importlib.util, sys\n"
            "spec = importlib.util.spec_from_file_location('submission', sys.argv[1])\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n")
    try:
        result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                                timeout=timeout, cwd=path.parent, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return [Problem(f"importing your file took more than {timeout:g} s: code outside functions runs at import; "
                        "move experiments under `if __name__ == \"__main__\":`")]
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        missing = re.fullmatch(r"ModuleNotFoundError: No module named '([\w.]+)'", last)
        package = missing.group(1).split(".")[0].lower() if missing else ""
        if package in kit_packages() and missing_packages([package]):
            return [Problem(f"cannot check your file yet: {missing_package_message(package)}")]
        return [Problem(f"your file fails when imported on its own: {last}")]
    if result.stdout.strip():
        return [Problem("your file prints when it is imported: code outside functions runs at import; move "
                        "experiments under `if __name__ == \"__main__\":`", hard=False)]
    return []


def preflight(path: Path, assignment: Assignment) -> list[Problem]:
    """Every problem found in the file, static checks first; stops at the first step with hard errors."""
    if not path.is_file():
        return [Problem(f"{path} does not exist: your work for {assignment.key} goes in assignments/"
                        f"{assignment.filename}")]
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
    except UnicodeDecodeError:
        return [Problem(f"{path} is not UTF-8 text: save it as UTF-8")]
    except SyntaxError as error:
        return [Problem(f"syntax error at line {error.lineno}: {error.msg}"
                        + (f": {error.text.strip()}" if error.text else ""))]
    graded = graded_code(tree)
    steps: list[Callable[[], list[Problem]]] = [
        lambda: import_problems(graded) + call_problems(graded),
        lambda: function_problems(tree, assignment),
        lambda: import_run_problems(path),
    ]
    problems: list[Problem] = []
    for step in steps:
        problems += step()
        if any(problem.hard for problem in problems):
            break
    return problems


def _remove_stale(target: Path) -> None:
    if target.is_file():
        target.unlink()
        print(f"(Removed the old {target} so that you do not upload an outdated file.)")


def submit(key: str, root: Path = KIT_ROOT, run_checks: bool = True) -> int:
    """Pre-flight the student's file for key; copy it to submit/ when nothing stops it."""
    assignment = find_assignment(key, root)
    path = root / "assignments" / assignment.filename
    target = root / SUBMIT_DIR / assignment.filename
    print(f"Checking {path.relative_to(root)} before you submit it...")
    problems = preflight(path, assignment)
    for problem in problems:
        print(textwrap.fill(f"{'ERROR' if problem.hard else 'note'}: {problem.message}", 100,
                            initial_indent="  ", subsequent_indent="    "))
    if any(problem.hard for problem in problems):
        _remove_stale(target)
        print(f"\nNot ready to submit {assignment.key}: fix the errors above, then run `make submit HW={key}` again.")
        return 1
    print("  file, imports and functions: OK\n")
    if run_checks and check(assignment.key, root=root, footer=False) != 0:
        _remove_stale(target)
        print(f"\nNot ready to submit {assignment.key}: some public checks do not pass (see above). Each "
              "assignment is graded pass/fail on these checks and hidden ones, so this file would fail. Fix them, "
              f"then run `make submit HW={key}` again.")
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    print(f"\nReady: {target.relative_to(root)}\n"
          f"Upload this one file, {assignment.filename}, to the Moodle assignment for {assignment.key} "
          f"({assignment.title}), keeping its name.\n"
          "You can upload again until the deadline: the last file you upload is the one graded.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checklib.submit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="?", default="all", help=f"which one: {listed_keys()}")
    args = parser.parse_args(argv)
    if args.assignment == "all":
        print(say_which("submit"), file=sys.stderr)
        return 2
    try:
        return submit(args.assignment)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    run_and_exit(main)
