"""Generate the nbgrader course folder and release it with the real `nbgrader generate_assignment`.

Writes notebooks/nbgrader/ (committed: nbgrader_config.py and source/<hw>/<hw>.ipynb), then
copies it to build/nbgrader/ (not committed: nbgrader adds its gradebook database and
folders there) and runs `nbgrader generate_assignment` for each assignment, which writes the
students' notebooks to build/nbgrader/release/<hw>/. To grade, run nbgrader's own commands
(`nbgrader collect`, `nbgrader autograde <hw>`) in that copy, with the kit installed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.commands.notebooks import print_notes
from autograder.notebooks.exports import NBGRADER_DIR, nbgrader_exports
from autograder.notebooks.nbgrader_build import NbgraderError, copy_course, generate_assignment
from autograder.paths import REPO_ROOT, shown
from checklib.assignments import all_assignments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build", type=Path, default=Path("build/nbgrader"),
                        help="the copy of the course folder nbgrader works in (default: build/nbgrader)")


def run(args: argparse.Namespace) -> int:
    exports = nbgrader_exports()
    print_notes(exports)
    for path in exports.write(REPO_ROOT):
        print(f"wrote {shown(path)}")
    course = copy_course(REPO_ROOT / NBGRADER_DIR, args.build if args.build.is_absolute() else REPO_ROOT / args.build)
    for key in all_assignments(REPO_ROOT):
        if not (course / "source" / key).is_dir():
            continue
        try:
            release = generate_assignment(course, key)
        except NbgraderError as error:
            print(f"error: {key}: {error}", file=sys.stderr)
            return 1
        print(f"  nbgrader generate_assignment wrote {shown(release)}")
    return 0
