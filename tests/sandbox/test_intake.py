"""Reading an upload in the sandbox (intake) is limited by the CPU time it takes, not by how busy the machine is.

No student code runs while the upload is read, so only the files' own cost can make it slow: the
grader stops the child once it has used its CPU time (as the zygote reads it), and a child the
machine starves of CPU reads on. Every limit here is a multiple of what parsing the test's file
costs on this machine.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from autograder.paths import REPO_ROOT
from autograder.sandbox import Sandbox, Upload
from autograder.sandbox.subject import SandboxSubject
from tests.sandbox.conftest import HIDE, HW1, TEST_LIMITS, reference_source
from tests.unprivileged import as_unprivileged_user

REPEATS = 12_000  # a 48 kB f-string: CPython 3.11 parses a long f-string in quadratic time
LIMIT_PER_PARSE = 3  # the intake's CPU limit, in parses of that file
BURNERS = 5  # processes spinning on the child's only CPU: it gets about a sixth of it


def _fstring_bomb(repeats: int) -> bytes:
    return ('z = f"' + "{a}b" * repeats + '"\n').encode()


@pytest.fixture(scope="module")
def parse_cpu() -> float:
    """CPU seconds this machine takes to parse the f-string bomb (the least of three)."""
    source = _fstring_bomb(REPEATS).decode()
    times = []
    for _ in range(3):
        started = time.process_time()
        ast.parse(source)
        times.append(time.process_time() - started)
    return min(times)


def _upload(files: dict[str, bytes]) -> Upload:
    return Upload(files, HW1.filename, tuple(HW1.functions))


def _slow_upload() -> dict[str, bytes]:
    """About ten parses of the f-string bomb: three twice as long, just under the grader's parsing caps."""
    files = {f"bomb{number}.py": _fstring_bomb(2 * REPEATS) for number in range(3)}
    files["my_work.py"] = reference_source().encode()  # not the expected name: every file is read
    return files


def read_cpu_bombs(namespaces: bool, limit: float) -> dict:
    """Read the slow upload with `limit` CPU seconds to read it."""
    limits = dataclasses.replace(TEST_LIMITS, intake_cpu_seconds=limit)
    with Sandbox(limits=limits, namespaces=namespaces) as sandbox, \
            sandbox.open(None, HW1.filename, HIDE, upload=_upload(_slow_upload())) as subject:
        return {"isolation": sandbox.isolation_level, "intake": subject.intake is not None,
                "message": subject.load_error.message, "timed_out": subject.timed_out}


def _expect_stopped_in_words(read: dict, limit: float) -> None:
    assert not read["intake"]
    assert read["message"] == ("reading your upload (choosing the file to grade among your files) took more than "
                               f"{limit:g} s of CPU time: do your files hold code built to be slow to read?")
    assert not read["timed_out"]  # its own cost, not the machine's: no second look


@pytest.mark.parametrize("namespaces", [True, False], ids=["best", "basic"])
def test_an_upload_that_takes_more_cpu_than_its_limit_to_read_is_stopped_in_words(parse_cpu, namespaces):
    limit = LIMIT_PER_PARSE * parse_cpu
    _expect_stopped_in_words(read_cpu_bombs(namespaces, limit), limit)


def test_an_ordinary_user_s_sandbox_stops_it_too(parse_cpu):
    """The zygote reads the CPU time of a child of another uid, in a user namespace of its own."""
    limit = LIMIT_PER_PARSE * parse_cpu
    script = ("import json, sys\nfrom tests.sandbox.test_intake import read_cpu_bombs\n"
              "print(json.dumps(read_cpu_bombs(True, float(sys.argv[1]))))")
    command, why_not = as_unprivileged_user([sys.executable, "-c", script, str(limit)])
    if why_not:
        pytest.skip(f"cannot run as a second, unprivileged user here: {why_not}")
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert finished.returncode == 0, finished.stderr[-3000:]
    read = json.loads(finished.stdout)
    assert read["isolation"].startswith("full (without root"), read["isolation"]
    _expect_stopped_in_words(read, limit)


def test_waiting_for_the_upload_to_be_read_has_a_backstop_that_blames_the_machine(parse_cpu):
    # Only a machine that starves the child could reach it; here the CPU limit is out of reach instead.
    limits = dataclasses.replace(TEST_LIMITS, submission_timeout=parse_cpu, intake_cpu_seconds=100 * parse_cpu)
    with Sandbox(limits=limits) as sandbox, \
            sandbox.open(None, HW1.filename, HIDE, upload=_upload(_slow_upload())) as subject:
        assert subject.intake is None
        assert subject.load_error.message == ("reading your upload (choosing the file to grade among your files) did "
                                              f"not finish within {parse_cpu:g} s: the grading machine was too busy")


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="starving the child needs Linux's CPU affinity")
def test_a_child_starved_of_cpu_still_reads_an_upload_within_its_cpu_limit(parse_cpu, monkeypatch):
    read_for = []
    read_upload = SandboxSubject._read_upload

    def timed(subject, upload):
        started = time.monotonic()
        try:
            return read_upload(subject, upload)
        finally:
            read_for.append(time.monotonic() - started)

    monkeypatch.setattr(SandboxSubject, "_read_upload", timed)
    limits = dataclasses.replace(TEST_LIMITS, intake_cpu_seconds=LIMIT_PER_PARSE * parse_cpu)
    files = {"bomb.py": _fstring_bomb(REPEATS), "my_work.py": reference_source().encode()}
    every_cpu = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(every_cpu)})  # the zygote, its children and the burners inherit it
    burners = []
    try:
        with Sandbox(limits=limits) as sandbox:
            burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                       for _ in range(BURNERS)]  # each a session: the kernel may share the CPU by session
            with sandbox.open(None, HW1.filename, HIDE, upload=_upload(files)) as subject:
                assert subject.intake is not None and subject.intake.path == "my_work.py", subject.load_failure
                assert subject.load_error is None
                assert subject.call("predict", np.ones((2, 3)), np.ones(3), 0.5).shape == (2,)  # then graded
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
        os.sched_setaffinity(0, every_cpu)
    # The machine was busy enough that a wall-clock limit as long as the CPU limit would have stopped it.
    assert read_for[0] > limits.intake_cpu_seconds, (read_for, limits.intake_cpu_seconds)
