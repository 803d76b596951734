"""Generate the student stubs in assignments/ from the reference solutions in solutions/.

With --check, write nothing and fail when assignments/ differs from what would be generated.
"""

from __future__ import annotations

import argparse
import sys

from autograder.authoring.stubs import SolutionMarkerError, generated_stubs, write_stubs
from autograder.paths import REPO_ROOT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only check that assignments/ is up to date")


def run(args: argparse.Namespace) -> int:
    solutions, assignments = REPO_ROOT / "solutions", REPO_ROOT / "assignments"
    try:
        if args.check:
            stale = [name for name, text in generated_stubs(solutions).items()
                     if not (assignments / name).is_file() or (assignments / name).read_text(encoding="utf-8") != text]
            for name in stale:
                print(f"assignments/{name} is out of date: run `make assign`", file=sys.stderr)
            return 1 if stale else 0
        for path in write_stubs(solutions, assignments):
            print(f"wrote {path.relative_to(REPO_ROOT)}")
    except SolutionMarkerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
