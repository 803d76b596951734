"""The grading-speed targets (issue 12, and the earlier ones kept), each judged met or missed on one run.

Every target compares numbers measured side by side in the same `make bench` run. The class
targets read the run with CLASS_WORKERS workers; the 1,000-submission time is projected from
the class of N (time per submission x 1,000). The ratios to nbgrader and to a fresh pytest,
which grade one submission at a time, read the run with one worker, like for like.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.bench.measure import BenchResult, ClassRun

ISOLATION_OVERHEAD_MS = 15.0
CLASS_SIZE = 1000
CLASS_SECONDS = 30.0
CLASS_WORKERS = 2
NBGRADER_RATIO = 30.0
NAIVE_RATIO = 20.0
# Flat memory: the grader's RSS at the end of a class run is at most this much above its start
# (either bound suffices: 10 % of a large start, or 30 MiB of a small one).
MEMORY_GROWTH_MIB = 30.0
MEMORY_GROWTH_SHARE = 0.10
MAKE_CHECK_SECONDS = 3.0
SIMILARITY_SHARE = 0.10


@dataclass(frozen=True)
class Target:
    key: str  # its name in out/bench.json
    measure: str  # what is measured
    limit: str  # what it must be
    measured: str  # what it was, in words
    met: bool

    def line(self) -> str:
        return f"  {'met' if self.met else 'MISSED':<7} {self.measure} {self.limit}: {self.measured}"


def class_run(result: BenchResult) -> ClassRun | None:
    """The run the class targets are judged on: the one with CLASS_WORKERS workers."""
    return next((run for run in result.runs if run.workers == CLASS_WORKERS), None)


def single_run(result: BenchResult) -> ClassRun | None:
    """The run the ratios are judged on: one worker, as nbgrader and the naive baseline grade."""
    return next((run for run in result.runs if run.workers == 1), None)


def memory_is_flat(run: ClassRun) -> bool:
    if not run.rss_mib_samples:
        return False
    start, end = run.rss_mib_samples[0], run.rss_mib_samples[-1]
    return end - start <= max(MEMORY_GROWTH_MIB, MEMORY_GROWTH_SHARE * start)


def _memory(run: ClassRun) -> str:
    if not run.rss_mib_samples:
        return f"{run.workers} worker(s) not sampled"
    start, end = run.rss_mib_samples[0], run.rss_mib_samples[-1]
    return f"{run.workers} worker(s) {start:.0f} -> {end:.0f} MiB ({end - start:+.0f})"


def _ratio(baseline: str, baseline_seconds: float | None, run: ClassRun | None, at_least: float,
           key: str) -> Target:
    measure, limit = f"faster per submission than {baseline}", f">= {at_least:.0f}x"
    if baseline_seconds is None or run is None:
        return Target(key, measure, limit, "not measured", False)
    ratio = baseline_seconds / run.per_submission
    return Target(key, measure, limit, f"{ratio:.0f}x ({run.per_submission * 1000:.1f} ms with {run.workers} "
                  f"worker(s) vs {baseline_seconds:.2f} s)", ratio >= at_least)


def judge(result: BenchResult) -> list[Target]:
    """Every target, met or missed, in the order the issue lists them."""
    run = class_run(result)
    overhead_ms = result.isolation_overhead * 1000
    targets = [Target("isolation_overhead", "isolation overhead", f"<= {ISOLATION_OVERHEAD_MS:.0f} ms per submission",
                      f"{overhead_ms:.1f} ms", overhead_ms <= ISOLATION_OVERHEAD_MS)]
    wrong = sum(item.wrong_verdicts for item in result.runs)
    class_measure = f"{CLASS_SIZE:,} {result.assignment} submissions with {CLASS_WORKERS} workers"
    class_limit = f"<= {CLASS_SECONDS:.0f} s and 0 wrong verdicts"
    if run is None:
        targets.append(Target("class_time", class_measure, class_limit, "not measured", False))
    else:
        projected = run.per_submission * CLASS_SIZE
        how = "measured" if run.submissions == CLASS_SIZE else f"projected from {run.submissions}"
        targets.append(Target("class_time", class_measure, class_limit,
                              f"{projected:.0f} s ({how}), {wrong} wrong verdicts",
                              projected <= CLASS_SECONDS and wrong == 0))
    nbgrader = result.nbgrader.per_submission if result.nbgrader is not None else None
    single = single_run(result)
    targets.append(_ratio("nbgrader autograde", nbgrader, single, NBGRADER_RATIO, "nbgrader_ratio"))
    targets.append(_ratio("a fresh pytest", result.naive_seconds, single, NAIVE_RATIO, "naive_ratio"))
    targets.append(Target("memory_flat", "grader memory flat (RSS end - start",
                          f"<= {MEMORY_GROWTH_MIB:.0f} MiB or {MEMORY_GROWTH_SHARE:.0%} per class run)",
                          "; ".join(_memory(item) for item in result.runs),
                          bool(result.runs) and all(memory_is_flat(item) for item in result.runs)))
    targets.append(Target("make_check", f"a student's make check {result.assignment}",
                          f"< {MAKE_CHECK_SECONDS:.0f} s", f"{result.make_check_seconds:.2f} s",
                          result.make_check_seconds < MAKE_CHECK_SECONDS))
    if result.similarity is None:
        targets.append(Target("similarity", "the similarity report adds", f"<= {SIMILARITY_SHARE:.0%} to grading",
                              "not measured", False))
    else:
        share = result.similarity.added_share
        targets.append(Target("similarity", "the similarity report adds", f"<= {SIMILARITY_SHARE:.0%} to grading",
                              f"{share:+.1%}", share <= SIMILARITY_SHARE))
    return targets
