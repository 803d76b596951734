"""Write the bundled demo exports, demo/<hw>/moodle-export.zip and grading-worksheet.csv (generated).

A small fictional class per assignment, made from the reference solution and the corpus
(autograder.authoring.demo); `make grade` without SUBMISSIONS grades it. An assignment whose demo
cannot be made yet (its settings' [demo] mistakes, its corpus) is said and skipped. With --check,
write nothing and fail when a committed demo file differs from what would be generated.
"""

from __future__ import annotations

import argparse
import sys

from autograder.authoring.demo import assignment_demo_files
from autograder.paths import REPO_ROOT, shown
from checklib.assignments import all_assignments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only check that demo/ is up to date")


def run(args: argparse.Namespace) -> int:
    """Write the demo files (or, with --check, fail when a committed one is stale)."""
    failed = False
    for assignment in all_assignments(REPO_ROOT).values():
        try:
            files = assignment_demo_files(assignment)
        except (ValueError, OSError, IndexError) as error:
            print(f"error: {assignment.key}: no demo: {error} (`make validate HW={assignment.key}` says what it needs)",
                  file=sys.stderr)
            failed = True
            continue
        for path, content in files.items():
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                print(f"wrote {shown(path)}")
            elif not path.is_file() or path.read_bytes() != content:
                print(f"{shown(path)} is out of date: run `make demo`", file=sys.stderr)
                failed = True
    return 1 if failed else 0
