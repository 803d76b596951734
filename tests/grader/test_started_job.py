"""`started_job`: the class's job loads while the sandbox starts; nothing is left running when either fails."""

from __future__ import annotations

import threading

import psutil
import pytest

from autograder.grading import pipeline
from autograder.grading.pipeline import GradingJob, started_job
from autograder.paths import REPO_ROOT
from autograder.sandbox import Limits, Sandbox, SandboxError
from checklib.assignments import find_assignment

HW1 = find_assignment("hw1")


def test_the_job_loads_while_the_zygote_starts(monkeypatch):
    load = GradingJob.load
    sandbox = Sandbox(Limits())
    seen = {}

    def loading(*args, **kwargs):
        seen["zygote ready by then"] = sandbox.mode != "not started"
        seen["thread"] = threading.current_thread()
        return load(*args, **kwargs)

    monkeypatch.setattr(GradingJob, "load", loading)
    with started_job(HW1, sandbox, [REPO_ROOT]) as job:
        assert sandbox.running and job.sandbox is sandbox and len(job.plan) > 0
        zygote = psutil.Process(sandbox.zygote_pid)
        with sandbox.open("def cost(X, y, w, b):\n    return 1.0\n", HW1.filename) as child:
            assert child.call("cost", 0, 0, 0, 0) == 1.0
    assert seen == {"zygote ready by then": False, "thread": threading.main_thread()}
    assert not sandbox.running and not zygote.is_running()


def test_a_job_that_fails_to_load_leaves_no_zygote(monkeypatch):
    sandbox = Sandbox(Limits())
    zygotes = []
    start = sandbox.start

    def starting():
        start()
        zygotes.append(psutil.Process(sandbox.zygote_pid))

    def broken_load(*_args, **_kwargs):
        raise SyntaxError("the reference solution does not compile")

    monkeypatch.setattr(sandbox, "start", starting)
    monkeypatch.setattr(GradingJob, "load", broken_load)
    with pytest.raises(SyntaxError), started_job(HW1, sandbox, [REPO_ROOT]):
        pytest.fail("the job did not load: nothing to grade with")
    assert len(zygotes) == 1 and not zygotes[0].is_running() and not sandbox.running


def test_a_zygote_that_does_not_start_is_the_error(monkeypatch):
    def failing_launch(self):
        raise SandboxError("the sandbox's zygote did not start (it exited)")

    monkeypatch.setattr(Sandbox, "_launch", failing_launch)
    loaded = []
    monkeypatch.setattr(pipeline.GradingJob, "load", lambda *args, **kwargs: loaded.append(True))
    with pytest.raises(SandboxError, match="did not start"), started_job(HW1, Sandbox(Limits()), [REPO_ROOT]):
        pytest.fail("no sandbox: nothing to grade in")
    assert loaded == [True]
