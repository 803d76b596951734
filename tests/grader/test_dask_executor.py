"""`make grade EXECUTOR=dask://HOST:PORT`: grading on a Dask cluster gives the local run's files.

One real local cluster for the module (two worker processes, one thread each, on 127.0.0.1
only); the last test closes it and checks that no worker or sandbox process is left.
"""

import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dask.config
import distributed
import psutil
import pytest

import autograder
from autograder.cli import main
from autograder.grading import cluster_worker, executors
from autograder.sandbox.isolation import FULL_LEVELS, ROOT

OUTPUT_FILES = ("grading_worksheet.csv", "feedback.zip", "results.json", "summary.md", "summary.png",
                "similarity.html", "similarity.png")  # the same similarity report: Dask results carry the source
full_isolation = pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                                    reason="grading on Dask needs the sandbox's full isolation (Linux, root)")


def grade(out: Path, *args: str) -> int:
    return main(["grade", "--hw", "hw1", "--no-progress", "--workers", "2", "--out", str(out), *args])


class LocalDask:
    """A LocalCluster on 127.0.0.1 and a client to look inside its workers."""

    def __init__(self, scratch: Path) -> None:
        with dask.config.set({"temporary-directory": str(scratch)}):  # Dask's lock files too, not in /tmp
            self.cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                    host="127.0.0.1", dashboard_address=None)
        self.client = distributed.Client(self.cluster, set_as_default=False)
        self.executor = "dask://" + self.cluster.scheduler_address.removeprefix("tcp://")
        self.graded_by: set[str] = set()  # the workers that ran grading tasks

    def close(self) -> None:
        self.client.close()
        self.cluster.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalDask]:
    local = LocalDask(tmp_path_factory.mktemp("dask-scratch"))
    yield local
    local.close()  # again, if the last test did not get to it


@pytest.fixture(scope="module")
def runs(cluster: LocalDask, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled hw1 demo export graded locally and on the cluster (and which worker graded what)."""
    root = tmp_path_factory.mktemp("dask-vs-local")
    assert grade(root / "local", "--executor", "local") == 0
    with distributed.get_task_stream(client=cluster.client) as tasks:
        assert grade(root / "dask", "--executor", cluster.executor) == 0
    cluster.graded_by = {task["worker"] for task in tasks.data if task["key"].startswith("grade_on_worker")}
    return {"local": root / "local", "dask": root / "dask"}


def is_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until_gone(pids: list[int], grace: float = 15.0) -> list[int]:
    deadline = time.monotonic() + grace
    while (alive := [pid for pid in pids if is_running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@full_isolation
def test_dask_run_writes_the_local_runs_files_byte_for_byte(runs):
    for name in OUTPUT_FILES:
        assert (runs["dask"] / name).read_bytes() == (runs["local"] / name).read_bytes(), name


@full_isolation
def test_each_dask_worker_grades_in_a_sandbox_of_its_own(runs, cluster):
    zygotes = cluster.client.run(cluster_worker.running_zygotes)
    worker_pids = cluster.client.run(os.getpid)
    assert cluster.graded_by == set(worker_pids)  # 11 submissions on 2 idle workers: both get some
    for address, pids in zygotes.items():
        assert len(pids) == 1, address  # one zygote per worker process, reused by all its tasks
        assert psutil.Process(pids[0]).ppid() == worker_pids[address]
    assert json.loads((runs["dask"] / "results.json").read_text())["isolation"] == FULL_LEVELS[ROOT]


@pytest.mark.parametrize("executor", ["dask", "threads", "tcp://127.0.0.1:8786", "dask://", "dask://host:port",
                                      "dask://127.0.0.1:8786/path"])
def test_bad_executor_is_a_clear_error_and_writes_nothing(tmp_path, capsys, executor):
    out = tmp_path / "out"
    assert grade(out, "--executor", executor) == 2
    assert not out.exists()
    error = capsys.readouterr().err
    assert repr(executor) in error and "dask://HOST:PORT" in error


def test_unreachable_scheduler_is_a_clear_error_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 0.5)
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    assert grade(out, "--executor", f"dask://127.0.0.1:{port}") == 2
    assert not out.exists()
    assert f"Could not reach the Dask scheduler at tcp://127.0.0.1:{port}" in capsys.readouterr().err


def test_workers_with_another_grader_version_are_refused(cluster, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(autograder, "__version__", "0.0.0-not-the-workers")
    out = tmp_path / "out"
    assert grade(out, "--executor", cluster.executor) == 2
    assert not out.exists()
    error = capsys.readouterr().err
    assert "another autograder version" in error and "0.0.0-not-the-workers" in error


def test_workers_with_other_checks_are_refused(cluster, tmp_path, capsys, monkeypatch):
    real = cluster_worker.grader_identity
    monkeypatch.setattr(cluster_worker, "grader_identity",
                        lambda assignment: cluster_worker.GraderIdentity(real(assignment).version, "edited here"))
    out = tmp_path / "out"
    assert grade(out, "--executor", cluster.executor) == 2
    assert not out.exists()
    assert "other checks or reference for hw1" in capsys.readouterr().err


@full_isolation
def test_closing_the_cluster_leaves_no_worker_or_sandbox_running(cluster, runs):
    worker_pids = list(cluster.client.run(os.getpid).values())
    zygote_pids = [pid for pids in cluster.client.run(cluster_worker.running_zygotes).values() for pid in pids]
    assert len(worker_pids) == 2 and len(zygote_pids) == 2
    cluster.close()
    assert wait_until_gone(worker_pids + zygote_pids) == []
