"""The benchmark's measurements, all taken side by side in one run.

- in-process: the checks run on the reference in this process (the floor: no isolation);
- the checks alone on the class: the CPU time the checks take on the class's own files in this process,
  with no sandbox at all (what grading would cost if isolation cost nothing);
- isolation overhead: per submission, grading copies of the reference through the sandbox
  minus the in-process time (child start, loading the module, teardown, messages), the two
  measured in turn, the fastest of each counted;
- the class: N synthetic submissions graded with 2 workers (and the first FEWER_WORKERS_SAMPLE
  with 1), verdicts checked, the grader's memory sampled as it goes;
- the naive way: a fresh `python -m pytest` per submission running the same checks, on a sample of the
  class's correct and buggy submissions (as nbgrader's);
- nbgrader: a sample of the class graded by nbgrader's own `nbgrader autograde` (nbgrader_baseline.py),
  its verdicts compared with ours;
- the similarity report: the class graded again (most workers) with the detector fed as
  `make grade` feeds it, then the rest of the comparison and the report rendered: the time
  added to grading, against the run without it.
"""

from __future__ import annotations

import io
import math
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from autograder.bench.nbgrader_baseline import NbgraderRun, run_nbgrader_baseline
from autograder.bench.synthetic import SAMPLED_KINDS, SyntheticSubmission, baseline_sample, write_synthetic_export
from autograder.grading.pipeline import GradingJob, grade_all, started_job
from autograder.moodle.export import read_export
from autograder.paths import REPO_ROOT
from autograder.sandbox import Limits, Sandbox
from autograder.similarity import SimilaritySession
from autograder.similarity.report import similarity_html, similarity_png
from checklib.assignments import Assignment
from checklib.checks import load_reference, run_checks
from checklib.loading import load_module
from checklib.paths import check_files, reference_file
from checklib.subject import InProcessSubject

# Short limits keep the few hanging submissions from dominating the run.
BENCH_LIMITS = Limits(call_timeout=1.0, submission_timeout=6.0, max_restarts=1)
# The class is graded whole with the most workers; with fewer, only its first this many submissions
# (enough for a steady time per submission), so that N=1000 takes minutes, not a quarter of an hour.
FEWER_WORKERS_SAMPLE = 300


def rss_mib() -> float:
    """This process's resident memory now, in MiB."""
    return psutil.Process().memory_info().rss / 1024**2


@dataclass
class ClassRun:
    workers: int
    submissions: int
    seconds: float
    wrong_verdicts: int
    rss_mib_samples: list[float] = field(default_factory=list)
    passed: dict[int, bool] = field(default_factory=dict, repr=False)  # participant -> our verdict (not in JSON)

    @property
    def per_submission(self) -> float:
        return self.seconds / self.submissions

    @property
    def rate(self) -> float:
        return self.submissions / self.seconds


@dataclass
class SimilarityRun:
    workers: int
    grading_seconds: float  # the class graded with the detector fingerprinting each submission as it is graded
    after_grading_seconds: float  # the rest of the comparison, and the report's HTML and histogram
    plain_seconds: float  # the same class graded without the similarity report (the ClassRun)
    flagged_pairs: int

    @property
    def added_share(self) -> float:
        """The time the similarity report adds to grading, as a share of grading without it."""
        return (self.grading_seconds + self.after_grading_seconds - self.plain_seconds) / self.plain_seconds


@dataclass
class BenchResult:
    assignment: str
    submissions: int
    isolation: str
    in_process_seconds: float  # per submission, the checks on the reference, no isolation
    sandboxed_reference_seconds: float  # per submission, the same checks through the sandbox
    runs: list[ClassRun]
    naive_seconds: float  # per submission, a fresh pytest process
    naive_sample: int
    make_check_seconds: float  # a student's `make check` for this assignment, on the reference
    similarity: SimilarityRun | None = None
    nbgrader: NbgraderRun | None = None
    checks_alone_cpu_seconds: float | None = None  # per submission, the class's checks in-process (time_checks_alone)

    @property
    def isolation_overhead(self) -> float:
        return self.sandboxed_reference_seconds - self.in_process_seconds

    def as_json(self) -> dict:
        document = asdict(self)
        document["isolation_overhead_seconds"] = self.isolation_overhead
        nbgrader = self.nbgrader.per_submission if self.nbgrader is not None else None
        for run, plain in zip(self.runs, document["runs"], strict=True):
            del plain["passed"]
            plain["per_submission_seconds"] = run.per_submission
            plain["submissions_per_second"] = run.rate
            plain["naive_ratio"] = self.naive_seconds / run.per_submission
            plain["nbgrader_ratio"] = nbgrader / run.per_submission if nbgrader is not None else None
        if self.similarity is not None:
            document["similarity"]["added_share"] = self.similarity.added_share
        if self.nbgrader is not None:
            document["nbgrader"]["per_submission_seconds"] = nbgrader
            document["nbgrader"]["agreements"] = self.nbgrader.agreements
        return document


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    """Torch on one thread, as in the sandbox's children: on a busy machine its thread pool would
    otherwise spin against other processes, and the in-process time would measure that."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def time_isolation(job: GradingJob, rounds: int) -> tuple[float, float]:
    """Per submission, the checks on the reference (the grader's cached reference behind them) in this
    process, and through the sandbox (a child opened, the module loaded, the checks, the child closed).

    Taken in turn for some rounds, the fastest of each counted: load from elsewhere on the machine
    only ever adds time, and it falls on both alike."""
    assignment, sandbox = job.assignment, job.sandbox
    source = reference_file(REPO_ROOT, assignment).read_text(encoding="utf-8")
    checks, subject = list(job.checks), InProcessSubject(assignment.key, load_reference(assignment))

    def in_process() -> None:
        run_checks(checks, subject, job.reference)

    def sandboxed() -> None:
        with sandbox.open(source, assignment.filename, job.hide, plan=job.plan) as child:
            run_checks(checks, child, job.reference)

    fastest = {in_process: math.inf, sandboxed: math.inf}
    with _one_torch_thread():
        in_process()  # warm up: fills the reference cache, first torch calls are slow
        sandboxed()
        for _ in range(rounds):
            for measured in fastest:
                start = time.perf_counter()
                measured()
                fastest[measured] = min(fastest[measured], time.perf_counter() - start)
    return fastest[in_process], fastest[sandboxed]


def time_checks_alone(job: GradingJob, expected: list[SyntheticSubmission]) -> float:
    """CPU seconds per submission that the checks take on the class's own files in this process, with no sandbox:
    the floor under any isolation. Each distinct correct or buggy file is checked twice (the second timed) and
    counted as often as the class holds it; the crashing and hanging ones are left out (they would stop this
    process). The job's checks and reference are used here: its sandbox need not be started."""
    assignment = job.assignment
    counts = Counter(item.path.read_text(encoding="utf-8") for item in expected if item.kind in SAMPLED_KINDS)
    cpu = 0.0
    with (_one_torch_thread(), tempfile.TemporaryDirectory(prefix="autograder-bench-") as folder,
          redirect_stdout(io.StringIO())):  # a buggy file may print
        for number, (source, count) in enumerate(counts.items()):
            path = Path(folder) / f"{Path(assignment.filename).stem}_{number}.py"
            path.write_text(source, encoding="utf-8")
            subject = InProcessSubject(assignment.key, load_module(path, path.stem))
            run_checks(job.checks, subject, job.reference)  # warm up, as a class run's zygote is warm
            start = time.process_time()
            run_checks(job.checks, subject, job.reference)
            cpu += count * (time.process_time() - start)
    return cpu / sum(counts.values())


def grade_class(assignment: Assignment, export_dir: Path, expected: list[SyntheticSubmission],
                workers: int, limit: int | None = None) -> tuple[ClassRun, str]:
    """The class (its first limit submissions, if given) graded with workers; verdicts checked, memory sampled."""
    export = read_export(export_dir)
    submissions = export.submissions[:limit]
    samples: list[float] = [rss_mib()]
    step = max(1, len(submissions) // 10)
    done = [0]

    def on_done(_result: object) -> None:
        done[0] += 1
        if done[0] % step == 0:
            samples.append(rss_mib())

    start = time.perf_counter()
    with started_job(assignment, Sandbox.for_class(BENCH_LIMITS, workers), [REPO_ROOT, export_dir]) as job:
        results = grade_all(submissions, job, workers, on_done)
        isolation = job.sandbox.isolation_level
    seconds = time.perf_counter() - start
    should_pass = {item.participant_id: item.should_pass for item in expected}
    passed = {result.participant_id: result.passed for result in results}
    wrong = sum(passed[participant] != should_pass[participant] for participant in passed)
    return ClassRun(workers, len(results), seconds, wrong, samples, passed), isolation


def time_similarity(assignment: Assignment, export_dir: Path, plain: ClassRun) -> SimilarityRun:
    """The class graded as `make grade` does with the similarity report; the time it adds to plain's run."""
    export = read_export(export_dir)
    import matplotlib.pyplot  # noqa: F401  (`make grade` imports it for summary.png in any case: not the report's cost)

    start = time.perf_counter()
    session = SimilaritySession(assignment)
    with started_job(assignment, Sandbox.for_class(BENCH_LIMITS, plain.workers), [REPO_ROOT, export_dir]) as job:
        results = grade_all(export.submissions, job, plain.workers, session.add)
    graded = time.perf_counter()
    report = session.finish(results)
    similarity_html(report, similarity_png(report))
    end = time.perf_counter()
    if not report.made:
        raise RuntimeError(f"the similarity report could not be made: {report.reason}")
    return SimilarityRun(plain.workers, graded - start, end - graded, plain.seconds, len(report.flagged_pairs()))


def time_naive(assignment: Assignment, files: list[Path]) -> float:
    """Per submission: `python -m pytest <public> <hidden> --impl <file>`, a fresh process each."""
    tests = [str(path) for path in check_files(REPO_ROOT, assignment.key).values() if path.is_file()]
    start = time.perf_counter()
    for path in files:
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, f"--impl={path}"],
                       cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - start) / len(files)


def time_make_check(assignment: Assignment) -> float:
    """Wall time of what `make check HW=<hw>` runs in the student kit, on the reference, a fresh process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checklib.check", assignment.key, "--impl=solutions"], cwd=REPO_ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def run_bench(assignment: Assignment, n: int, naive_sample: int, nbgrader_sample: int,
              worker_counts: tuple[int, ...] = (1, 2)) -> BenchResult:
    """Every measurement, side by side, on a synthetic class of n submissions in a temporary folder;
    nbgrader_sample: submissions graded by `nbgrader autograde` (0: not run)."""
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as temp:
        export_dir = Path(temp) / "export"
        expected = write_synthetic_export(assignment, n, export_dir)
        with Sandbox.for_class(BENCH_LIMITS, 1) as sandbox:
            job = GradingJob.load(assignment, sandbox, [REPO_ROOT])
            in_process, sandboxed = time_isolation(job, rounds=15)
        checks_alone = time_checks_alone(job, expected)
        runs, isolation = [], ""
        for workers in worker_counts:
            limit = None if workers == max(worker_counts) else FEWER_WORKERS_SAMPLE
            run, isolation = grade_class(assignment, export_dir, expected, workers, limit)
            runs.append(run)
        similarity = time_similarity(assignment, export_dir, runs[-1])
        sample = [item.path for item in baseline_sample(expected, naive_sample)]
        naive = time_naive(assignment, sample)
        ours = runs[-1].passed
        nbgrader = (run_nbgrader_baseline(assignment, expected, ours, nbgrader_sample, Path(temp) / "nbgrader")
                    if nbgrader_sample else None)
    make_check = time_make_check(assignment)
    return BenchResult(assignment.key, n, isolation, in_process, sandboxed, runs, naive, len(sample),
                       make_check, similarity, nbgrader, checks_alone)
