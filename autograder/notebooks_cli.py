"""Generate the student notebooks in notebooks/student/ (one per assignment, for Colab or Jupyter).

They are made from solutions/ and tests/public/ and are never edited by hand. With --check,
write nothing and fail when any committed notebook export (student notebooks, otter master
notebooks, nbgrader course folder) differs from what would be generated now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.cli import REPO_ROOT
from autograder.notebooks.exports import Exports, nbgrader_exports, otter_exports, student_exports

REGENERATE = {"student": "make notebooks", "otter": "make otter", "nbgrader": "make nbgrader"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="only check that every notebook export under notebooks/ is up to date")


def shown(path: Path) -> Path:
    """path relative to the repository when it is inside it, for messages."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path


def print_notes(exports: Exports) -> None:
    for note in exports.notes:
        print(f"note: {note}")


def check_all() -> int:
    kinds = {"student": student_exports(), "otter": otter_exports(), "nbgrader": nbgrader_exports()}
    stale = [(path, kind) for kind, exports in kinds.items() for path in exports.stale(REPO_ROOT)]
    for path, kind in stale:
        print(f"{path} is out of date: run `{REGENERATE[kind]}`", file=sys.stderr)
    return 1 if stale else 0


def run(args: argparse.Namespace) -> int:
    if args.check:
        return check_all()
    exports = student_exports()
    print_notes(exports)
    for path in exports.write(REPO_ROOT):
        print(f"wrote {shown(path)}")
    return 0
