"""Generate assignments/ from solutions/: each assignment's stub and the kit's settings of it.

The stub is the reference solution with every solution region replaced by
`raise NotImplementedError(...)`; the settings file is the [kit] table of solutions/<module>.toml
with the graded functions. With --check, write nothing and fail when assignments/ differs from
what would be generated.
"""

from __future__ import annotations

import argparse
import sys

from autograder.authoring.generated import stale_files, write_assignment_files
from autograder.authoring.stubs import SolutionMarkerError
from autograder.paths import REPO_ROOT
from checklib.assignments import SettingsError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only check that assignments/ is up to date")


def run(args: argparse.Namespace) -> int:
    try:
        if args.check:
            stale = stale_files(REPO_ROOT)
            for path in stale:
                print(f"{path} is out of date: run `make assign`", file=sys.stderr)
            return 1 if stale else 0
        for path in write_assignment_files(REPO_ROOT):
            print(f"wrote {path}")
    except (SolutionMarkerError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
