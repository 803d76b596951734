"""Write the bundled demo exports, demo/<hw>/moodle-export.zip and grading-worksheet.csv (generated).

A small fictional class per assignment, made from the reference solution and the corpus
(autograder.authoring.demo); `make grade` without SUBMISSIONS grades it. With --check, write
nothing and fail when a committed demo file differs from what would be generated.
"""

from __future__ import annotations

import argparse
import sys

from autograder.authoring.demo import demo_files
from autograder.paths import shown


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only check that demo/ is up to date")


def run(args: argparse.Namespace) -> int:
    """Write the demo files (or, with --check, fail when a committed one is stale)."""
    stale = []
    for path, content in demo_files().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(path)
                print(f"{shown(path)} is out of date: run `python -m autograder demo`", file=sys.stderr)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"wrote {shown(path)}")
    return 1 if stale else 0
