"""The benchmark's measurements, all taken side by side in one run.

- in-process: the checks run on the reference in this process (the floor: no isolation);
- isolation overhead: per submission, grading copies of the reference through the sandbox
  minus the in-process time (child start, loading the module, teardown, messages);
- the class: N synthetic submissions graded with 1 and with 2 workers, verdicts checked,
  the grader's memory sampled as it goes;
- the naive way: a fresh `python -m pytest` per submission running the same checks;
- the similarity report: the class graded again (most workers) with the detector fed as
  `make grade` feeds it, then the rest of the comparison and the report rendered: the time
  added to grading, against the run without it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from autograder.bench.synthetic import SyntheticSubmission, write_synthetic_export
from autograder.grading.pipeline import GradingJob, grade_all
from autograder.moodle.export import read_export
from autograder.paths import REPO_ROOT
from autograder.reference_cache import CachedReference
from autograder.sandbox import Limits, Sandbox
from autograder.similarity import SimilaritySession
from autograder.similarity.report import similarity_html, similarity_png
from checklib.assignments import Assignment
from checklib.checks import collect_checks, load_reference, run_checks
from checklib.paths import check_files
from checklib.subject import InProcessSubject

# Short limits keep the few hanging submissions from dominating the run.
BENCH_LIMITS = Limits(call_timeout=1.0, submission_timeout=6.0, max_restarts=1)


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

    @property
    def isolation_overhead(self) -> float:
        return self.sandboxed_reference_seconds - self.in_process_seconds

    def as_json(self) -> dict:
        document = asdict(self)
        document["isolation_overhead_seconds"] = self.isolation_overhead
        for run, plain in zip(self.runs, document["runs"], strict=True):
            plain["per_submission_seconds"] = run.per_submission
            plain["submissions_per_second"] = run.rate
            plain["naive_ratio"] = self.naive_seconds / run.per_submission
        if self.similarity is not None:
            document["similarity"]["added_share"] = self.similarity.added_share
        return document


def time_in_process(assignment: Assignment, repeats: int) -> float:
    """Per submission: the checks on the reference in this process, with the grader's cached reference."""
    checks, module = collect_checks(assignment), load_reference(assignment)
    subject, reference = InProcessSubject(assignment.key, module), CachedReference(module)
    run_checks(checks, subject, reference)  # warm up: fills the cache, first torch calls are slow
    start = time.perf_counter()
    for _ in range(repeats):
        run_checks(checks, subject, reference)
    return (time.perf_counter() - start) / repeats


def _job(assignment: Assignment, sandbox: Sandbox, hide: list[Path]) -> GradingJob:
    return GradingJob.load(assignment, sandbox, hide)


def time_sandboxed_reference(assignment: Assignment, sandbox: Sandbox, repeats: int) -> float:
    """Per submission: the reference graded through the sandbox, one at a time."""
    source = (REPO_ROOT / "solutions" / assignment.filename).read_text(encoding="utf-8")
    job = _job(assignment, sandbox, [REPO_ROOT])
    with sandbox.open(source, assignment.filename, job.hide) as subject:  # warm up
        run_checks(list(job.checks), subject, job.reference)
    start = time.perf_counter()
    for _ in range(repeats):
        with sandbox.open(source, assignment.filename, job.hide) as subject:
            run_checks(list(job.checks), subject, job.reference)
    return (time.perf_counter() - start) / repeats


def grade_class(assignment: Assignment, export_dir: Path, expected: list[SyntheticSubmission],
                workers: int) -> tuple[ClassRun, str]:
    export = read_export(export_dir)
    samples: list[float] = [rss_mib()]
    step = max(1, len(expected) // 10)
    done = [0]

    def on_done(_result: object) -> None:
        done[0] += 1
        if done[0] % step == 0:
            samples.append(rss_mib())

    start = time.perf_counter()
    with Sandbox(limits=BENCH_LIMITS, workers=workers, ahead=True, warm_optimizers=True) as sandbox:
        results = grade_all(export.submissions, _job(assignment, sandbox, [REPO_ROOT, export_dir]), workers, on_done)
        isolation = sandbox.isolation_level
    seconds = time.perf_counter() - start
    should_pass = {item.participant_id: item.should_pass for item in expected}
    wrong = sum(result.passed != should_pass[result.participant_id] for result in results)
    return ClassRun(workers, len(results), seconds, wrong, samples), isolation


def time_similarity(assignment: Assignment, export_dir: Path, plain: ClassRun) -> SimilarityRun:
    """The class graded as `make grade` does with the similarity report; the time it adds to plain's run."""
    export = read_export(export_dir)
    start = time.perf_counter()
    session = SimilaritySession(assignment)
    with Sandbox(limits=BENCH_LIMITS, workers=plain.workers, ahead=True, warm_optimizers=True) as sandbox:
        results = grade_all(export.submissions, _job(assignment, sandbox, [REPO_ROOT, export_dir]), plain.workers,
                            session.add)
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


def run_bench(assignment: Assignment, n: int, naive_sample: int,
              worker_counts: tuple[int, ...] = (1, 2)) -> BenchResult:
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as temp:
        export_dir = Path(temp) / "export"
        expected = write_synthetic_export(assignment, n, export_dir)
        in_process = time_in_process(assignment, repeats=5)
        with Sandbox(limits=BENCH_LIMITS, workers=1, ahead=True, warm_optimizers=True) as sandbox:
            sandboxed = time_sandboxed_reference(assignment, sandbox, repeats=10)
        runs, isolation = [], ""
        for workers in worker_counts:
            run, isolation = grade_class(assignment, export_dir, expected, workers)
            runs.append(run)
        similarity = time_similarity(assignment, export_dir, runs[-1])
        sample = [item.path for item in expected if item.kind == "correct"]
        naive = time_naive(assignment, sample[:naive_sample])
    make_check = time_make_check(assignment)
    return BenchResult(assignment.key, n, isolation, in_process, sandboxed, runs, naive, len(sample[:naive_sample]),
                       make_check, similarity)
