"""Generate the otter-grader master notebooks and run the real `otter assign` on each.

Writes notebooks/otter/<hw>/<hw>-master.ipynb (committed), then, in build/otter/<hw>/ (not
committed: the autograder zip holds the hidden checks and the reference solution), lays
out the master with the kit files it lists and runs `otter assign`, which writes
dist/student/ (the notebook and files for students) and dist/autograder/ (the solution
notebook and the Gradescope autograder zip), after grading the solution notebook with that
zip (no Docker) and failing unless it gets full marks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.commands.notebooks import print_notes
from autograder.notebooks.checkplan import plan_checks
from autograder.notebooks.exports import otter_exports, otter_master_path
from autograder.notebooks.otter import bundle_files
from autograder.notebooks.otter_build import OtterError, assemble, otter_assign
from autograder.paths import REPO_ROOT, shown
from checklib.assignments import all_assignments, assignment_key, listed_keys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", action="append", type=assignment_key(REPO_ROOT),
                        help=f"only this assignment: {listed_keys(REPO_ROOT)} (repeatable; default: all)")
    parser.add_argument("--build", type=Path, default=Path("build/otter"),
                        help="where otter assign writes (default: build/otter)")
    parser.add_argument("--no-run-tests", action="store_true",
                        help="do not grade the solution notebook during otter assign (faster)")


def run(args: argparse.Namespace) -> int:
    exports = otter_exports(args.hw)
    print_notes(exports)
    build = args.build if args.build.is_absolute() else REPO_ROOT / args.build
    for assignment in all_assignments(REPO_ROOT).values():
        path = otter_master_path(assignment)
        if path not in exports.files:
            continue
        (REPO_ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (REPO_ROOT / path).write_text(exports.files[path], encoding="utf-8")
        print(f"wrote {path}")
        master = assemble(assignment.key, exports.files[path], bundle_files(plan_checks(assignment)),
                          build / assignment.key)
        try:
            output = otter_assign(master, run_tests=not args.no_run_tests)
        except OtterError as error:
            print(f"error: {assignment.key}: {error}", file=sys.stderr)
            return 1
        for built in (output.student_notebook, output.solution_notebook, output.autograder_zip):
            print(f"  otter assign wrote {shown(built)}")
    return 0
