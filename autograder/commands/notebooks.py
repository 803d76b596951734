"""Generate every notebook export under notebooks/ (never edited by hand).

Made from solutions/ and tests/: the student notebooks (notebooks/student/, for Colab or
Jupyter), the otter-grader master notebooks (notebooks/otter/) and the nbgrader course folder
(notebooks/nbgrader/). `make otter` and `make nbgrader` also run those tools on them. With
--check, write nothing and fail when a committed export differs from what would be generated.
"""

from __future__ import annotations

import argparse
import sys

from autograder.notebooks.exports import Exports, all_exports
from autograder.paths import REPO_ROOT, shown


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="only check that every notebook export under notebooks/ is up to date")


def print_notes(exports: Exports) -> None:
    for note in exports.notes:
        print(f"note: {note}")


def check_all() -> int:
    stale = all_exports().stale(REPO_ROOT)
    for path in stale:
        print(f"{path} is out of date: run `make notebooks`", file=sys.stderr)
    return 1 if stale else 0


def run(args: argparse.Namespace) -> int:
    if args.check:
        return check_all()
    exports = all_exports()
    print_notes(exports)
    for path in exports.write(REPO_ROOT):
        print(f"wrote {shown(path)}")
    return 0
