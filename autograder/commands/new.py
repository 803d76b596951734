"""Scaffold a new assignment: its reference, settings, checks and corpus, each a working example.

    make new HW=hw4 TITLE="Two-layer net"

Writes solutions/hw4_two_layer_net.py and .toml, tests/public/test_hw4_public.py,
tests/hidden/test_hw4_hidden.py and a first file of each corpus folder; generates assignments/
(`make assign`); prints the checklist. No other file changes: every command finds the new
assignment from its files.
"""

from __future__ import annotations

import argparse
import sys

from autograder.authoring.generated import write_assignment_files
from autograder.authoring.requirements import MIN_BUGGY, MIN_CORRECT
from autograder.authoring.scaffold import CHECKLIST, ScaffoldError, module_name, scaffold
from autograder.authoring.settings import key_of
from autograder.paths import REPO_ROOT


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", required=True, help="the new assignment's key, e.g. hw4 (make new HW=hw4)")
    parser.add_argument("--title", required=True, help='its title, e.g. "Two-layer net" (TITLE="...")')


def run(args: argparse.Namespace) -> int:
    try:
        written = scaffold(args.hw, args.title, REPO_ROOT)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    generated = [str(path) for path in write_assignment_files(REPO_ROOT) if key_of(path.stem) == args.hw]
    for path in written + generated:
        print(f"wrote {path}")
    module = module_name(args.hw, args.title)
    print("\n" + CHECKLIST.format(key=args.hw, title=args.title.strip(), module=module, correct=MIN_CORRECT,
                                  buggy=MIN_BUGGY))
    return 0
