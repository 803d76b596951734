"""The command line: wires each verb to its module in autograder.commands (one module per verb).

Each command module has `add_arguments(parser)` and `run(args) -> int`; its docstring is the
verb's help.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# In the order a TA meets them: author an assignment, generate its files, release it, grade it.
VERBS = ("new", "validate", "assign", "demo", "notebooks", "otter", "nbgrader", "release", "grade", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="The linear-models homework kit.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        module = importlib.import_module(f"autograder.commands.{verb}")
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
