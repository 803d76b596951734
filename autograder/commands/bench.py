"""Benchmark grading speed: a synthetic class graded with 1 and 2 workers, against the naive way and nbgrader.

Prints a table (submissions per second, time per submission, isolation overhead, the
grader's memory, the ratio to a fresh `python -m pytest` per submission and to nbgrader's own
`nbgrader autograde` on a sample) and each target met or missed; writes the numbers as JSON so
runs can be compared across commits, and the README's performance table as Markdown.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from autograder.paths import REPO_ROOT
from checklib.assignments import all_assignments, assignment_key, listed_keys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", type=assignment_key(REPO_ROOT),
                        help=f"assignment: {listed_keys(REPO_ROOT)} (default: the last, the largest today)")
    parser.add_argument("--n", type=_class_size, default=200, help="synthetic submissions (default: 200)")
    parser.add_argument("--naive", type=int, default=5, help="submissions graded the naive way (default: 5)")
    parser.add_argument("--nbgrader", type=int, default=5,
                        help="submissions graded by `nbgrader autograde`, a few seconds each (default: 5; 0: skip)")
    parser.add_argument("--json", type=Path, default=Path("out/bench.json"), help="where to write the JSON")
    parser.add_argument("--markdown", type=Path, default=Path("out/bench.md"),
                        help="where to write the README's performance table")


def _class_size(text: str) -> int:
    from autograder.bench.synthetic import SMALLEST_CLASS  # not imported for the other verbs

    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if size < SMALLEST_CLASS:
        raise argparse.ArgumentTypeError(
            f"{size} is too few: the synthetic class's first {SMALLEST_CLASS - 1} submissions crash, and the baselines "
            f"need one that runs to the end; use at least {SMALLEST_CLASS}")
    return size


def run(args: argparse.Namespace) -> int:
    from autograder.bench.measure import run_bench  # heavy: only when benchmarking
    from autograder.bench.report import bench_json, markdown, table
    from autograder.bench.synthetic import CorpusMissing
    from autograder.moodle.atomic import write_bytes_atomic

    assignments = all_assignments(REPO_ROOT)
    assignment = assignments[args.hw] if args.hw else list(assignments.values())[-1]
    try:
        result = run_bench(assignment, args.n, max(1, args.naive), max(0, args.nbgrader))
    except CorpusMissing as error:
        print(error, file=sys.stderr)
        return 2
    print(table(result))
    for path, text in ((args.json, json.dumps(bench_json(result), indent=2) + "\n"), (args.markdown, markdown(result))):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, text.encode())
    print(f"\nwrote {args.json} and {args.markdown} (the README's performance table)")
    return 1 if any(run.wrong_verdicts for run in result.runs) else 0
