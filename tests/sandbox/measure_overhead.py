"""Print what the sandbox costs per submission on this machine (not a test: times are not asserted).

    .venv/bin/python -m tests.sandbox.measure_overhead [ROUNDS]

For each mode (the best this machine allows, basic, portable), one submission is: open (fork
a child, wall it off, import the file), one call, close (kill the child and everything it
started, wait until it is gone).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from autograder.sandbox import Limits, Sandbox


def measure(namespaces: bool, portable: bool, rounds: int) -> None:
    source = (SOLUTIONS_DIR / "hw1_linear_regression.py").read_text()
    X, w = np.ones((3, 2)), np.ones(2)
    started = time.perf_counter()
    with Sandbox(limits=Limits(), namespaces=namespaces, portable=portable) as sandbox:
        print(f"{sandbox.isolation_level}\n  zygote start: {time.perf_counter() - started:.2f} s")
        phases: dict[str, list[float]] = {"open (fork + isolate + import)": [], "one call": [], "close": [],
                                          "whole submission": []}
        for _ in range(rounds):
            t0 = time.perf_counter()
            with sandbox.open(source, "hw1_linear_regression.py", [REPO_ROOT]) as subject:
                t1 = time.perf_counter()
                subject.call("predict", X, w, 0.5)
                t2 = time.perf_counter()
            t3 = time.perf_counter()
            for name, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
                phases[name].append(seconds * 1000)
        for name, values in phases.items():
            print(f"  {name}: median {statistics.median(values):.1f} ms, max {max(values):.1f} ms")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    for namespaces, portable in ((True, False), (False, False), (False, True)):
        measure(namespaces, portable, count)
