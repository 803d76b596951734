"""Hostile submissions (tests/hostile/) graded through the sandbox with the real hw1 checks.

Graded as `make grade` grades, with the call plan (the child runs the checks' calls ahead);
test_degraded grades them without it. All of them are graded at once (the timeouts overlap,
so this takes one submission's time limit), while a correct submission is graded again and
again in another thread; then the correct one is graded once more. Each hostile file must
fail with a reason a person understands, and the grader, the repository and the machine
must be as they were.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.grading.pipeline import GradingJob
from autograder.paths import REPO_ROOT
from autograder.sandbox import Sandbox
from autograder.sandbox.plan import CallPlan
from checklib.checks import CheckResult, run_checks

from .conftest import HIDE, HW1, reference_source, sandbox_processes

HOSTILE_DIR = REPO_ROOT / "tests" / "hostile"
FAKE_FILE_NAMES = {"results.json", "grading_worksheet.csv", "HOSTILE_WAS_HERE.txt"}

# file -> words that the failure of at least one check (or the import error) must contain
EXPECTED_REASONS = {
    "exit_at_import_sys": "your file called sys.exit(0) while being imported",
    "exit_at_import_os": "your code ended the process while your file was being imported",
    "os_exit_in_function": "cost: your code ended the process (os._exit or sys.exit?",
    "monkeypatch_numpy": "predict(X, w, b)[2] is 0 but should be -1.4",
    "always_equal_object": "predict(X, w, b) should be an ndarray of shape (3,), but it is a",
    "always_equal_ndarray": "AgreeableArray",
    "introspection": "predict(X, w, b)[2] is 0 but should be -1.4",
    "read_solution_from_disk": "predict(X, w, b)[2] is 0 but should be -1.4",
    "fake_results": "cost(X, t, w, b) is 0 but should be",
    "fake_summary": "cost(X, t, w, b) is 0 but should be",
    "infinite_loop": "cost: did not finish within 2 s (an infinite loop?)",
    "sleep": "gradient_descent: did not finish within 2 s",
    "memory_bomb": "gradient raised 'MemoryError: Unable to allocate",  # RLIMIT_AS: its own error, quoted
    "fork_bomb": "cost: did not finish within 2 s",
    "daemon": "solve_exact(X, t) should return a tuple of 2 values, but it returned a NoneType",
    "kill_parent": "cost(X, t, w, b) is 0 but should be",
    "huge_output": "predict: did not finish within 2 s",
    "network": "Network is unreachable",
    "recursion_bomb": "gradient: your code crashed the Python process (SIGSEGV)",
    "subprocess_spawn": "predict(X, w, b)[2] is 0 but should be -1.4",
    "garbage_on_channel": "cost: the grader could not read what came back",
    "huge_frame": "over the limit of",
    "close_channel": "the grader could not read what came back (the connection was closed)",
}


@dataclass
class Grading:
    """Everything the tests below look at, from one concurrent grading of the whole corpus."""

    hostile: dict[str, tuple[str | None, list[CheckResult]]]  # name -> (load error, results)
    correct_during: list[list[CheckResult]] = field(default_factory=list)
    correct_after: list[CheckResult] = field(default_factory=list)
    connections: int = 0
    leftover_processes: list[str] = field(default_factory=list)
    started: float = 0.0


def hostile_source(path: Path, port: int) -> str:
    return path.read_text().replace("__REPO_ROOT__", str(REPO_ROOT)).replace("__LISTENER_PORT__", str(port))


def grade(sandbox: Sandbox, source: str, checks: list, reference,
          plan: CallPlan | None = None) -> tuple[str | None, list[CheckResult]]:
    with sandbox.open(source, HW1.filename, HIDE, plan=plan) as subject:
        load_error = None if subject.load_error is None else subject.load_error.message
        return load_error, run_checks(checks, subject, reference)


def accepted_connections(listener: socket.socket) -> int:
    count = 0
    while True:
        try:
            listener.accept()[0].close()
            count += 1
        except BlockingIOError:
            return count


@pytest.fixture(scope="module")
def graded(full_sandbox: Sandbox) -> Grading:
    job = GradingJob.load(HW1, full_sandbox, HIDE)
    checks, reference, plan = job.checks, job.reference, job.plan
    correct = reference_source()
    paths = sorted(HOSTILE_DIR.glob("*.py"))
    started = time.time()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        port = listener.getsockname()[1]
        hostile_done = threading.Event()
        grading = Grading({}, started=started)

        def grade_correct_meanwhile() -> None:
            while not hostile_done.is_set():
                grading.correct_during.append(grade(full_sandbox, correct, checks, reference, plan)[1])
                time.sleep(0.2)

        with ThreadPoolExecutor(len(paths) + 1) as pool:
            meanwhile = pool.submit(grade_correct_meanwhile)
            futures = {path.stem: pool.submit(grade, full_sandbox, hostile_source(path, port), checks, reference, plan)
                       for path in paths}
            grading.hostile = {name: future.result() for name, future in futures.items()}
            hostile_done.set()
            meanwhile.result()
        grading.connections = accepted_connections(listener)
    grading.correct_after = grade(full_sandbox, correct, checks, reference, plan)[1]
    grading.leftover_processes = sandbox_processes(full_sandbox.uids)
    return grading


def test_every_hostile_file_has_an_expected_reason():
    assert {path.stem for path in HOSTILE_DIR.glob("*.py")} == set(EXPECTED_REASONS)


@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_a_hostile_submission_fails_with_a_reason_a_person_understands(graded, name):
    load_error, results = graded.hostile[name]
    failures = [result for result in results if not result.passed]
    assert failures, f"{name} passed every check"
    reasons = [result.message for result in failures] + ([load_error] if load_error else [])
    assert any(EXPECTED_REASONS[name] in reason for reason in reasons), reasons


def test_a_correct_submission_passes_during_and_after_the_attacks(graded):
    assert graded.correct_during, "the correct submission was never graded during the attacks"
    for results in [*graded.correct_during, graded.correct_after]:
        assert [(result.name, result.message) for result in results if not result.passed] == []


def test_the_grader_survives_and_still_grades(full_sandbox, graded):
    assert full_sandbox.running  # the zygote too, though the attackers tried to kill it
    with full_sandbox.open(reference_source(), HW1.filename, HIDE) as subject:
        assert subject.call("cost", *_small_problem()) == pytest.approx(2.75 / 6)


def _small_problem():
    import numpy as np

    return np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.zeros(3), np.array([0.5, -1.0]), 2.0


def test_no_process_of_a_child_is_left_behind(graded):
    assert graded.leftover_processes == []


def test_nothing_was_written_to_the_repository_or_the_shared_tmp(full_sandbox, graded):
    written = []
    for folder, dirs, files in os.walk(REPO_ROOT):
        dirs[:] = [name for name in dirs if name not in (".git", ".venv")]
        for name in files:
            path = Path(folder, name)
            try:
                info = path.lstat()
            except OSError:
                continue
            if info.st_uid in full_sandbox.uids or (name in FAKE_FILE_NAMES and info.st_mtime >= graded.started):
                written.append(str(path))
    for path in Path("/tmp").iterdir():
        try:
            if path.lstat().st_uid in full_sandbox.uids or path.name == "HOSTILE_WAS_HERE.txt":
                written.append(str(path))
        except OSError:
            continue
    assert written == []


def test_nothing_reached_the_network(graded):
    assert graded.connections == 0
