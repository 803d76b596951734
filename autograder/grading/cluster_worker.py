"""What runs on each Dask worker when grading on a cluster (`--executor dask://HOST:PORT`).

Every Dask worker process is trusted grader code: this repository, set up as on the TA's
machine. Student code runs only in that worker's own `Sandbox`, exactly as on one machine.
Per worker process, the checks and the cached reference are loaded once per grading run,
and the sandbox (one zygote) is started by the first task and reused by the next ones;
`SandboxTeardown`, a worker plugin the client registers, stops it when the worker closes
(and atexit, for a worker that never got the plugin).

Only trusted objects travel through Dask: a StudentSubmission and a `ClusterJob` in, a
StudentResult out. What a student's child sends is never unpickled: between a worker and
its children, the sandbox's plain-data protocol is unchanged.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin, get_worker

import autograder
from autograder.grading.pipeline import GradingJob, grade_safely
from autograder.grading.results import StudentResult
from autograder.moodle.export import StudentSubmission
from autograder.paths import REPO_ROOT
from autograder.sandbox import Limits, Sandbox
from autograder.sandbox.isolation import FULL
from checklib.assignments import Assignment, find_assignment
from checklib.paths import check_files, reference_file


class GraderMismatch(Exception):
    """This worker's grader (version, checks or reference) differs from the client's."""


class UnsafeWorker(Exception):
    """This worker's sandbox cannot keep student code away from the cluster's network."""


@dataclass(frozen=True)
class GraderIdentity:
    """What must be the same on the client and every worker for results to be the same."""

    version: str  # autograder.__version__
    checks_digest: str  # the assignment's check files and reference solution, hashed


@dataclass(frozen=True)
class ClusterJob:
    """One grading run's settings, sent with every task (plain, trusted data)."""

    assignment_key: str
    limits: Limits
    optional_checks: frozenset[str]
    hide: tuple[str, ...]  # the client's instructor paths; each worker also hides its own repository
    grader: GraderIdentity


def grader_identity(assignment: Assignment) -> GraderIdentity:
    """This process's grader version and the digest of the assignment's checks and reference."""
    digest = hashlib.blake2b()
    for path in [*check_files(REPO_ROOT, assignment.key).values(), reference_file(REPO_ROOT, assignment)]:
        digest.update(f"{path.relative_to(REPO_ROOT)}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        digest.update(b"\0")
    return GraderIdentity(autograder.__version__, digest.hexdigest())


# --- per worker process: loaded once, shared by the worker's task threads -------------------

_lock = threading.Lock()
_identities: dict[str, GraderIdentity] = {}  # assignment key -> this worker's identity for it
_jobs: dict[ClusterJob, GradingJob] = {}  # a run's job: its checks and cached reference, loaded once
_sandboxes: dict[Limits, Sandbox] = {}  # one zygote per worker process (per distinct Limits; in practice one)


def _identity(assignment_key: str) -> GraderIdentity:
    with _lock:
        if assignment_key not in _identities:
            _identities[assignment_key] = grader_identity(find_assignment(assignment_key))
        return _identities[assignment_key]


def _grading_job(job: ClusterJob, sandbox: Sandbox, worker: Any) -> GradingJob:
    with _lock:
        if job not in _jobs:
            _jobs.clear()  # an earlier run's cached reference results are of no more use
            # The worker's own folder too: data Dask spilled there is other students' submissions.
            hide = [Path(path) for path in (*job.hide, REPO_ROOT, worker.local_directory)]
            _jobs[job] = GradingJob.load(find_assignment(job.assignment_key), sandbox, hide, job.optional_checks)
        return _jobs[job]


def _sandbox(limits: Limits, threads: int) -> Sandbox:
    with _lock:
        if limits not in _sandboxes:
            sandbox = Sandbox.for_class(limits, threads)
            sandbox.start()
            if not _sandboxes:
                atexit.register(close_sandboxes)
            _sandboxes[limits] = sandbox
        return _sandboxes[limits]


def _checked_sandbox(limits: Limits, worker: Any) -> Sandbox:
    sandbox = _sandbox(limits, worker.state.nthreads)
    if sandbox.mode != FULL:
        # Without its own network namespace, a child could connect to this worker or the
        # scheduler and have arbitrary code run as the grader.
        raise UnsafeWorker(
            f"Dask worker {worker.address} cannot isolate student code from the cluster's network "
            f"(its sandbox: {sandbox.isolation_level}). Grading on Dask needs full isolation: run the "
            "workers on Linux where namespaces work (as root, or as a user where user namespaces are allowed), "
            "or grade with --executor local.")
    return sandbox


def close_sandboxes() -> None:
    """Stop this worker process's sandboxes (their zygotes and any child still running)."""
    with _lock:
        sandboxes = list(_sandboxes.values())
        _sandboxes.clear()
    for sandbox in sandboxes:
        sandbox.close()


def running_zygotes() -> list[int]:
    """The process ids of this worker process's running sandbox zygotes."""
    with _lock:
        return [sandbox.zygote_pid for sandbox in _sandboxes.values() if sandbox.running]


class SandboxTeardown(WorkerPlugin):
    """Closes the worker's sandboxes when the worker closes; registered once per cluster."""

    name = "autograder-sandbox-teardown"
    idempotent = True  # registering again (the next grading run) must not close sandboxes in use

    def teardown(self, worker: Any) -> None:
        close_sandboxes()


# --- what the client runs on the workers -----------------------------------------------------

def grade_on_worker(submission: StudentSubmission, job: ClusterJob) -> StudentResult:
    """The Dask task: grade one submission in this worker's sandbox (as grade_all does locally)."""
    identity = _identity(job.assignment_key)
    worker = get_worker()
    if identity != job.grader:
        raise GraderMismatch(
            f"Dask worker {worker.address} has a different grader than this machine "
            f"(version {identity.version} vs {job.grader.version}"
            f"{'' if identity.checks_digest == job.grader.checks_digest else ', other checks or reference'}"
            f" for {job.assignment_key}). Set up every worker from the same commit of the repository (make setup).")
    sandbox = _checked_sandbox(job.limits, worker)
    return grade_safely(submission, _grading_job(job, sandbox, worker))


def worker_version() -> str:
    """This worker's autograder version."""
    return autograder.__version__


async def worker_isolation(limits: Limits, dask_worker: Any) -> str:
    """The isolation level of this worker's sandbox (started if it is not yet, off the event loop)."""
    sandbox = await asyncio.to_thread(_checked_sandbox, limits, dask_worker)
    return sandbox.isolation_level
