"""Benchmark grading speed: a synthetic class graded with 1 and 2 workers, against the naive way.

Prints a table (submissions per second, time per submission, isolation overhead, the
grader's memory, the ratio to a fresh `python -m pytest` per submission) and writes it as
JSON so runs can be compared across commits.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from autograder.paths import REPO_ROOT
from checklib.assignments import all_assignments, assignment_key, listed_keys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", type=assignment_key(REPO_ROOT),
                        help=f"assignment: {listed_keys(REPO_ROOT)} (default: the last, the largest today)")
    parser.add_argument("--n", type=int, default=200, help="synthetic submissions (default: 200)")
    parser.add_argument("--naive", type=int, default=5, help="submissions graded the naive way (default: 5)")
    parser.add_argument("--json", type=Path, default=Path("out/bench.json"), help="where to write the JSON")


def run(args: argparse.Namespace) -> int:
    from autograder.bench.measure import run_bench  # heavy: only when benchmarking
    from autograder.bench.report import table
    from autograder.moodle.atomic import write_bytes_atomic

    assignments = all_assignments(REPO_ROOT)
    assignment = assignments[args.hw] if args.hw else list(assignments.values())[-1]
    result = run_bench(assignment, max(1, args.n), max(1, args.naive))
    print(table(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(args.json, (json.dumps(result.as_json(), indent=2) + "\n").encode())
    print(f"\nwrote {args.json}")
    return 1 if any(run.wrong_verdicts for run in result.runs) else 0
