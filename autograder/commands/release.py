"""Build the student kit, dist/student-kit-<hw or all>.zip, after checking that nothing secret is in it.

The build fails (and writes nothing) when assignments/ is out of date with solutions/, when
a line specific to the reference or the hidden checks, or a file of solutions/ or tests/hidden/,
is in the kit, or when the unpacked kit's public tests do not pass against the solutions. Of an
assignment's settings, only the [kit] table ships (assignments/<module>.toml).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from autograder.paths import REPO_ROOT
from autograder.release import ReleaseError, build_release
from checklib.assignments import assignment_key, listed_keys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", type=assignment_key(REPO_ROOT), default=None,
                        help=f"release one assignment: {listed_keys(REPO_ROOT)} (default: all of them)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "dist", help="where the zip goes (default: dist/)")
    parser.add_argument("--root", type=Path, default=REPO_ROOT,
                        help="the instructor tree to build from (default: this repository)")
    parser.add_argument("--no-verify", dest="verify", action="store_false",
                        help="skip running the unpacked kit's public tests against the solutions")


def _contents(names: list[str]) -> str:
    folders = Counter(name.split("/")[0] if "/" in name else "." for name in names)
    return ", ".join(f"{folder}/ ({count})" if folder != "." else f"{count} top-level files"
                     for folder, count in sorted(folders.items()))


def run(args: argparse.Namespace) -> int:
    try:
        release = build_release(args.root, [args.hw] if args.hw else None, args.out, verify=args.verify)
    except ReleaseError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"Release refused: {len(error.problems)} problem(s) above; nothing was written.", file=sys.stderr)
        return 1
    for warning in release.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    shown = release.path.relative_to(REPO_ROOT) if release.path.is_relative_to(REPO_ROOT) else release.path
    print(f"wrote {shown}: {len(release.files)} files: {_contents([f.name for f in release.files])}")
    if args.verify:
        print("checked: no solution or hidden-test lines inside; its public tests pass against solutions/")
    return 0
