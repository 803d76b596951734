"""The command line: wires each verb to the module that does the work."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# verb -> module with `add_arguments(parser)` and `run(args) -> int`
VERBS = {
    "assign": "autograder.assign_cli",
    "demo": "autograder.demo",
    "grade": "autograder.grade_cli",
    "bench": "autograder.bench_cli",
    "release": "autograder.release_cli",
    "notebooks": "autograder.notebooks_cli",
    "otter": "autograder.notebooks.otter_cli",
    "nbgrader": "autograder.notebooks.nbgrader_cli",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="The linear-models homework kit.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, module_name in VERBS.items():
        module = importlib.import_module(module_name)
        sub = verbs.add_parser(verb, help=module.__doc__.strip().splitlines()[0],
                               description=module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
