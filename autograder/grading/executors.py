"""Where a class is graded: on this machine (the default) or on a Dask distributed cluster.

    scheduler = scheduler_address("dask://10.0.0.5:8786")   # None for "local"; ValueError otherwise
    with open_executor(scheduler, assignment, limits, optional_checks, hide, workers) as executor:
        results = executor.grade(submissions, on_done=lambda result: bar.update())
        executor.isolation_level()                       # what the sandbox(es) could do, in words

`LocalExecutor`: one Sandbox on this machine and `workers` threads (pipeline.grade_all).
`DaskExecutor`: each submission is one task on the cluster, graded by
`cluster_worker.grade_on_worker` in that worker's own sandbox (a task whose worker dies is run
again elsewhere by Dask; one that still fails is that submission's grader failure). Both give the
same results, sorted by participant id. `distributed` is imported only for a Dask run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from autograder.grading.pipeline import GradingJob, grade_all, grader_failure, started_job
from autograder.grading.results import StudentResult
from autograder.moodle.export import StudentSubmission
from autograder.sandbox import Limits, Sandbox
from checklib.assignments import Assignment

if TYPE_CHECKING:
    from distributed import Client, Future

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler
WORKERS_TIMEOUT = 30.0  # seconds for the scheduler to have a worker (they may be starting)
DEFAULT_DASK_PORT = 8786  # what `dask scheduler` listens on unless told otherwise
EXECUTOR_FORMS = "'local' (this machine) or 'dask://HOST:PORT' (a Dask scheduler, e.g. dask://10.0.0.5:8786)"

OnDone = Callable[[StudentResult], None]


class ExecutorError(Exception):
    """The cluster cannot grade (unreachable, no workers, another grader version); nothing was written."""


class GradingExecutor(Protocol):
    """Grades a class inside a `with` block; results sorted by participant id."""

    def __enter__(self) -> GradingExecutor: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def grade(self, submissions: Sequence[StudentSubmission], on_done: OnDone) -> list[StudentResult]: ...

    def isolation_level(self) -> str: ...


def scheduler_address(spec: str) -> str | None:
    """The Dask scheduler's tcp:// address in an --executor value; None for 'local'."""
    if spec == "local":
        return None
    try:
        parts = urlsplit(spec)
        port = parts.port or DEFAULT_DASK_PORT  # .port raises ValueError unless a number in 0-65535
        valid = (parts.scheme == "dask" and bool(parts.hostname) and parts.path in ("", "/")
                 and not (parts.query or parts.fragment or parts.username))
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(f"--executor must be {EXECUTOR_FORMS}; got {spec!r}.")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname  # IPv6
    return f"tcp://{host}:{port}"


def open_executor(scheduler: str | None, assignment: Assignment, limits: Limits, optional_checks: frozenset[str],
                  hide: Sequence[Path], workers: int) -> GradingExecutor:
    """A LocalExecutor when scheduler is None, else a DaskExecutor on that scheduler (use it in `with`)."""
    if scheduler is None:
        return LocalExecutor(assignment, limits, optional_checks, hide, workers)
    return DaskExecutor(scheduler, assignment, limits, optional_checks, hide)


class LocalExecutor:
    """One Sandbox on this machine, for a class (`Sandbox.for_class`); `workers` threads."""

    def __init__(self, assignment: Assignment, limits: Limits, optional_checks: frozenset[str],
                 hide: Sequence[Path], workers: int):
        self.assignment, self.limits, self.optional_checks = assignment, limits, optional_checks
        self.hide, self.workers = list(hide), max(1, workers)
        self._job: GradingJob | None = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> LocalExecutor:
        sandbox = Sandbox.for_class(self.limits, self.workers)
        self._job = self._stack.enter_context(started_job(self.assignment, sandbox, self.hide, self.optional_checks))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._job = None
        self._stack.close()

    def grade(self, submissions: Sequence[StudentSubmission], on_done: OnDone) -> list[StudentResult]:
        return grade_all(submissions, self._started(), self.workers, on_done)

    def isolation_level(self) -> str:
        return self._started().sandbox.isolation_level

    def _started(self) -> GradingJob:
        if self._job is None:
            raise RuntimeError("use the LocalExecutor in a `with` block")
        return self._job


class DaskExecutor:
    """Each submission a task on a Dask cluster whose workers have this repository set up."""

    def __init__(self, scheduler: str, assignment: Assignment, limits: Limits, optional_checks: frozenset[str],
                 hide: Sequence[Path]):
        from autograder.grading.cluster_worker import ClusterJob, grader_identity

        self.scheduler = scheduler
        self.job = ClusterJob(assignment.key, limits, frozenset(optional_checks),
                              tuple(str(Path(path).resolve()) for path in hide), grader_identity(assignment))
        self._client: Client | None = None

    def __enter__(self) -> DaskExecutor:
        from autograder.grading.cluster_worker import SandboxTeardown

        self._client = self._connect()
        try:
            self._check_workers()
            self._client.register_plugin(SandboxTeardown())
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _connect(self) -> Client:
        from distributed import Client

        try:
            client = Client(self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise ExecutorError(
                f"Could not reach the Dask scheduler at {self.scheduler} ({error}). Check the address and port "
                "in --executor, that `dask scheduler` is running there, and that this machine may connect to it."
            ) from None
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except (OSError, TimeoutError):
            client.close()
            raise ExecutorError(
                f"The Dask scheduler at {self.scheduler} has no workers (waited {WORKERS_TIMEOUT:g} s). On each "
                f"grading machine, in its copy of this repository: .venv/bin/dask worker {self.scheduler}") from None
        return client

    def _check_workers(self) -> None:
        from autograder.grading.cluster_worker import worker_version

        try:
            versions = self._started().run(worker_version)
        except Exception as error:  # e.g. a worker that cannot import autograder to run worker_version
            raise ExecutorError(
                f"The Dask workers at {self.scheduler} could not run the grader ({type(error).__name__}: {error}). "
                "Start every worker from a copy of this repository set up with `make setup` (.venv/bin/dask worker)."
            ) from None
        ours = self.job.grader.version
        others = sorted(f"{address} has {version}" for address, version in versions.items() if version != ours)
        if others:
            raise ExecutorError(f"Dask workers run another autograder version than this machine ({ours}): "
                                f"{'; '.join(others)}. Set up every worker from the same commit (make setup).")

    def grade(self, submissions: Sequence[StudentSubmission], on_done: OnDone) -> list[StudentResult]:
        from distributed import as_completed

        from autograder.grading.cluster_worker import grade_on_worker

        client = self._started()
        futures = client.map(grade_on_worker, submissions, job=self.job, pure=False)
        owners = {future.key: submission for future, submission in zip(futures, submissions, strict=True)}
        results = []
        try:
            for future in as_completed(futures, loop=client.loop):
                result = self._result(future, owners[future.key])
                results.append(result)
                on_done(result)
        except BaseException:
            client.cancel(futures)
            raise
        return sorted(results, key=lambda result: result.participant_id)

    @staticmethod
    def _result(future: Future, submission: StudentSubmission) -> StudentResult:
        from autograder.grading.cluster_worker import GraderMismatch, UnsafeWorker

        try:
            return future.result()
        except (GraderMismatch, UnsafeWorker) as error:
            raise ExecutorError(str(error)) from None
        except Exception as error:  # the task failed even where Dask ran it again: workers died, no sandbox, ...
            return grader_failure(submission, error)

    def isolation_level(self) -> str:
        """The workers' isolation level; every distinct one when they differ."""
        from autograder.grading.cluster_worker import UnsafeWorker, worker_isolation

        try:
            levels = sorted(set(self._started().run(worker_isolation, self.job.limits).values()))
        except UnsafeWorker as error:
            raise ExecutorError(str(error)) from None
        except Exception as error:
            raise ExecutorError(f"Could not ask the Dask workers for their isolation level "
                                f"({type(error).__name__}: {error}).") from None
        return levels[0] if len(levels) == 1 else "differs between Dask workers: " + " | ".join(levels)

    def _started(self) -> Client:
        if self._client is None:
            raise RuntimeError("use the DaskExecutor in a `with` block")
        return self._client
