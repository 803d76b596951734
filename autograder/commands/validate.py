"""Check that an assignment meets every requirement, and say how to meet each one it does not.

    make validate HW=hw4        # one assignment
    make validate               # every assignment (make test runs this too)

Settings, generated files (make assign), public and hidden checks for every graded function,
the reference passing them, the corpus, the demo (make demo), LaTeX and the notebook exports
(make notebooks): every unmet requirement at once, each with its fix. Exit status 1 when one is
unmet.
"""

from __future__ import annotations

import argparse

from autograder.authoring.requirements import unmet_requirements
from autograder.authoring.settings import settings_paths
from autograder.paths import SOLUTIONS_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", help="one assignment (default: every one in solutions/)")


def run(args: argparse.Namespace) -> int:
    keys = [args.hw] if args.hw else list(settings_paths(SOLUTIONS_DIR))
    failed = 0
    for key in keys:
        unmet = unmet_requirements(key)
        if not unmet:
            print(f"{key}: every requirement is met.")
            continue
        failed += 1
        print(f"{key}: {len(unmet)} requirement(s) not met:")
        for item in unmet:
            print(f"  - {item}")
    return 1 if failed else 0
