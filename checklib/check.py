"""`make check`: run the public checks and show, for each graded function, whether it is done.

    python -m checklib.check                 # every assignment of the kit
    python -m checklib.check hw1             # one assignment (or all)
    python -m checklib.check hw1 --details   # pytest's own report as well

For each graded function: done, failed (and why, in words), or not implemented yet; then
"N of M functions done" (and, when all are, the next step: `make submit`) and tips (not graded)
about Python loops. Exit status: 0 when every function with public checks passes them, 1 when
some do not, 2 when the checks could not run.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from checklib.assignments import Assignment, all_assignments, find_assignment, listed_keys
from checklib.checks import CheckResult, Status, function_of_check
from checklib.loading import impl_help, resolve_impl
from checklib.loops import find_python_loops
from checklib.paths import KIT_ROOT, check_file
from checklib.pytest_run import PytestRun, run_public_checks
from checklib.short_run import run_and_exit

WIDTH = 100
INDENT = " " * 8
LABELS = {"done": "done", "failed": "FAIL", "todo": "todo", "waiting": "todo", "unchecked": "----"}


@dataclass(frozen=True)
class FunctionStatus:
    """What the public checks say about one graded function."""

    function: str
    state: str  # "done", "failed", "todo", "waiting" (on another function), "unchecked"
    results: tuple[CheckResult, ...]

    @property
    def waits_for(self) -> str:
        names = sorted({r.unimplemented for r in self.results if r.unimplemented and r.unimplemented != self.function})
        return ", ".join(names)


FAILING = (Status.FAILED, Status.ERROR)


def _state(function: str, results: tuple[CheckResult, ...]) -> str:
    if not results:
        return "unchecked"
    statuses = {result.status for result in results}
    if statuses & set(FAILING):
        return "failed"
    if any(result.unimplemented == function for result in results):
        return "todo"
    if Status.NOT_IMPLEMENTED in statuses:
        return "waiting"
    return "done"


def function_statuses(assignment: Assignment, results: list[CheckResult]) -> list[FunctionStatus]:
    """One FunctionStatus per graded function, in the assignment's order."""
    by_function: dict[str, list[CheckResult]] = {function: [] for function in assignment.functions}
    for result in results:
        function = function_of_check(result.name, assignment.functions)
        if function is not None:
            by_function[function].append(result)
    return [FunctionStatus(function, _state(function, tuple(found)), tuple(found))
            for function, found in by_function.items()]


def _wrap(text: str, indent: str = INDENT) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def _failure_lines(result: CheckResult, function: str, not_passing: set[str]) -> list[str]:
    message, _, hint = result.message.partition(". Hint: ")
    lines = _wrap(f"check: {result.description}")
    lines += _wrap(message if message.endswith((".", ":")) or not hint else f"{message}.")
    if hint:
        lines += _wrap(f"Hint: {hint}")
    text = f"{result.description} {result.message}"
    used = sorted(other for other in not_passing if other != function and re.search(rf"\byour {other}\b", text))
    if used:
        names = " and ".join(used)
        lines += _wrap(f"Note: this check uses your {names}, which does not pass yet: fix {names} first.")
    return lines


def format_function(status: FunctionStatus, name_width: int, not_passing: set[str] = frozenset()) -> list[str]:
    """The lines for one function; not_passing names the functions that do not pass yet."""
    head = f"  {LABELS[status.state]}  {status.function:<{name_width}}"
    if status.state == "done":
        count = len(status.results)
        return [f"{head}  passed {count} check{'s' if count > 1 else ''}"]
    if status.state == "todo":
        return [f"{head}  not implemented yet"]
    if status.state == "waiting":
        return [f"{head}  its checks need {status.waits_for}, which is not implemented yet"]
    if status.state == "unchecked":
        return [f"{head}  no public check (the grader tests it)"]
    failing = [result for result in status.results if result.status in FAILING]
    total = len(status.results)
    lines = [f"{head}  {'failed' if total == 1 else f'{len(failing)} of {total} checks failed'}"]
    for result in failing:
        lines += _failure_lines(result, status.function, not_passing)
    return lines


def _shown(path: Path) -> str:
    """path relative to the current folder when it is inside it (shorter to read)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def format_assignment(assignment: Assignment, path: Path, results: list[CheckResult],
                      next_step: bool = True) -> tuple[str, bool]:
    """The report for one assignment, and whether every checked function is done; with next_step,
    a finished assignment ends with what to do next (submit it)."""
    lines = [f"{assignment.key}: {assignment.title} ({_shown(path)})"]
    for status, advice in ((Status.MISSING_PACKAGE, "Install it first: no check can run without it."),
                           (Status.IMPORT_ERROR, "Fix this first: no check can run until your file imports.")):
        stopped = [result for result in results if result.status == status]
        if stopped:
            lines += _wrap(stopped[0].message, "  ")
            lines.append(f"  {advice}")
            return "\n".join(lines), False
    statuses = function_statuses(assignment, results)
    width = max(len(function) for function in assignment.functions)
    not_passing = {status.function for status in statuses if status.state in ("failed", "todo")}
    for status in statuses:
        lines += format_function(status, width, not_passing)
    checked = [status for status in statuses if status.state != "unchecked"]
    done = sum(status.state == "done" for status in checked)
    lines.append(f"  {done} of {len(checked)} functions done.")
    if next_step and done == len(checked):
        lines += _wrap(f"Every function passes its public checks. Next: `make submit HW={assignment.key}` "
                       "checks your file once more and puts the file to upload in submit/ (the grader also "
                       "runs hidden checks, on other data).", "  ")
    return "\n".join(lines), done == len(checked)


def format_tips(path: Path, assignment: Assignment) -> list[str]:
    notes = find_python_loops(path, assignment.functions)
    return [line for note in notes for line in _wrap(str(note), "  ")]


def selected_assignments(name: str, root: Path) -> list[Assignment]:
    """The assignments to check: one by name, or "all" = every one with public checks in root."""
    if name != "all":
        return [find_assignment(name, root)]
    return [a for a in all_assignments(root).values() if check_file(root, a.key, "public").is_file()]


def _report(run: PytestRun, assignments: list[Assignment], paths: dict[str, Path],
            next_step: bool) -> tuple[str, bool]:
    blocks, tips, all_done = [], [], True
    for assignment in assignments:
        text, done = format_assignment(assignment, paths[assignment.key], run.results.get(assignment.key, []),
                                       next_step)
        blocks.append(text)
        tips += format_tips(paths[assignment.key], assignment)
        all_done = all_done and done
    if tips:
        blocks.append("Tips (not graded):\n" + "\n".join(tips))
    return "\n\n".join(blocks), all_done


def _problem(root: Path, assignment: Assignment, impl: str | None) -> tuple[Path | None, str]:
    if not check_file(root, assignment.key, "public").is_file():
        return None, f"{assignment.key}: this kit has no public checks for {assignment.key} " \
                     f"(tests/public/test_{assignment.key}_public.py is missing)"
    try:
        return resolve_impl(impl, assignment, root), ""
    except FileNotFoundError as error:
        return None, f"{assignment.key}: {error}. Your work goes in assignments/{assignment.filename}."


def check(name: str, root: Path = KIT_ROOT, impl: str | None = None, details: bool = False,
          footer: bool = True) -> int:
    """Run the public checks of name ("hw1" or "all"), print the summary; returns the exit status."""
    assignments = selected_assignments(name, root)
    if not assignments:
        print(f"No public checks found in {root / 'tests' / 'public'}.", file=sys.stderr)
        return 2
    paths, problems = {}, []
    for assignment in assignments:
        path, problem = _problem(root, assignment, impl)
        if path is None:
            problems.append(problem)
        else:
            paths[assignment.key] = path
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    run = run_public_checks(root, [a.key for a in assignments], impl=impl, details=details)
    if run.problems or not run.results:
        print(run.pytest_output + "\n".join(run.problems), file=sys.stderr)
        print("The public checks could not run (see pytest's messages above).", file=sys.stderr)
        return 2
    text, all_done = _report(run, assignments, paths, next_step=footer)
    print(("\n" if details else "") + text)
    if footer and not details and not all_done:
        print(f"\npytest's full report: `make test`, or `python -m checklib.check {name} --details`.")
    return 0 if all_done else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checklib.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="?", default="all",
                        help=f"{listed_keys()} or all (default: all)")
    parser.add_argument("-v", "--details", action="store_true", help="show pytest's own report too")
    parser.add_argument("--impl", default=None, help=impl_help("what to check"))
    args = parser.parse_args(argv)
    try:
        return check(args.assignment, impl=args.impl, details=args.details)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    run_and_exit(main)
