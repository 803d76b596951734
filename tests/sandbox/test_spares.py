"""Children opened ahead (`Sandbox(ahead=True)`): walled off like any child, never handed out spoiled, none left."""

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.sandbox import Sandbox, isolation, protocol

from .conftest import HIDE, HW1, TEST_LIMITS, sandbox_processes

WAIT = 60.0  # seconds a spare may take to be forked on a busy machine (a bound, not a measure)

PROBE_SOURCE = '''
import os
import resource
import socket


def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError as error:
        return type(error).__name__


def status(names):
    try:
        with open("/proc/self/status") as lines:
            return {line.split(":")[0]: line.split(":")[1].strip() for line in lines if line.split(":")[0] in names}
    except OSError as error:  # basic mode: Landlock keeps /proc out of reach
        return type(error).__name__


def facts(hidden):
    kinds = ["RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC"]
    return {"pid": os.getpid(), "root": listing("/"), "cwd": os.getcwd(), "workdir": listing("."),
            "env": sorted(os.environ), "hostname": socket.gethostname(), "hidden": listing(hidden),
            "limits": {kind: resource.getrlimit(getattr(resource, kind)) for kind in kinds},
            "address_space_capped": resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY,
            "status": status(["NoNewPrivs", "Seccomp", "Seccomp_filters", "CapEff", "CapPrm", "CapBnd"]),
            "uid": os.getuid()}
'''


def _wait_for(condition, what: str) -> None:
    give_up = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < give_up, f"waited {WAIT:g} s for {what}"
        time.sleep(0.02)


def _wait_for_spares(sandbox: Sandbox, count: int = 1) -> None:
    _wait_for(lambda: sandbox._spares.waiting >= count, f"{count} spare child(ren)")


def _probe(sandbox: Sandbox) -> dict:
    with sandbox.open(PROBE_SOURCE, HW1.filename, HIDE) as subject:
        assert subject.load_error is None
        return subject.call("facts", str(HIDE[0]))


def _facts_of_a_spare(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The probe's facts in a child that certainly came from the spares (forking on demand fails)."""
    _probe(sandbox)  # the first open forks on demand, and asks for a spare
    _wait_for_spares(sandbox)
    with monkeypatch.context() as patched:
        patched.setattr(sandbox, "_spawn", lambda config: pytest.fail("a child was forked on demand"))
        return _probe(sandbox)


@pytest.fixture(scope="module")
def ahead_sandbox() -> Iterator[Sandbox]:
    """As `make grade` opens it."""
    with Sandbox(limits=TEST_LIMITS, workers=2, ahead=True, warm_optimizers=True) as started:
        yield started


@pytest.fixture(scope="module")
def ahead_basic_sandbox() -> Iterator[Sandbox]:
    with Sandbox(limits=TEST_LIMITS, workers=2, namespaces=False, ahead=True) as started:
        yield started


@pytest.mark.parametrize("mode", ["best", "basic"])
def test_a_child_taken_from_the_spares_is_walled_off_exactly_like_one_forked_on_demand(
        mode, request, monkeypatch):
    on_demand_sandbox = request.getfixturevalue("sandbox" if mode == "best" else "basic_sandbox")
    ahead = request.getfixturevalue("ahead_sandbox" if mode == "best" else "ahead_basic_sandbox")
    assert ahead.isolation_level == on_demand_sandbox.isolation_level
    on_demand, spare = _probe(on_demand_sandbox), _facts_of_a_spare(ahead, monkeypatch)
    if ahead.uids:
        assert spare.pop("uid") in ahead.uids and on_demand.pop("uid") in on_demand_sandbox.uids
    else:  # the grader's own uid, whose processes (a number that changes) RLIMIT_NPROC counts too
        assert spare.pop("uid") == on_demand.pop("uid")
        del spare["limits"]["RLIMIT_NPROC"], on_demand["limits"]["RLIMIT_NPROC"]
    if ahead.mode == "basic":  # a folder of its own on the host, and a host pid
        assert spare.pop("cwd") != on_demand.pop("cwd") and spare.pop("pid") != on_demand.pop("pid")
    assert spare == on_demand


def test_a_spare_that_ended_while_it_waited_is_not_handed_out(ahead_sandbox):
    _probe(ahead_sandbox)
    _wait_for_spares(ahead_sandbox)
    for spare in list(ahead_sandbox._spares._waiting):
        protocol.send_message(spare.child.monitor, {"op": "kill"})  # the zygote kills it
        _wait_for(lambda child=spare.child: protocol.wait_readable([child.monitor], 0), "the spare's end")
    assert _probe(ahead_sandbox)["workdir"] == [HW1.filename]


def test_a_zygote_killed_while_spares_wait_is_replaced_at_the_next_open(monkeypatch):
    # The next open starts a zygote, which counts against that submission's time: more of it than TEST_LIMITS.
    with Sandbox(limits=dataclasses.replace(TEST_LIMITS, submission_timeout=30), workers=2, ahead=True) as sandbox:
        _probe(sandbox)
        _wait_for_spares(sandbox)
        os.kill(sandbox.zygote_pid, signal.SIGKILL)
        _wait_for(lambda: not sandbox.running, "the zygote's end")
        # For a moment after the zygote's end, its spares still look fit (the kernel has not closed their
        # sockets yet): that moment, made to last.
        monkeypatch.setattr("autograder.sandbox.spares.claim", lambda child: True)
        facts = _probe(sandbox)
        assert sandbox.restarts == 1 and sandbox.running
        assert facts["workdir"] == [HW1.filename]


def test_spares_never_outnumber_the_workers_and_nothing_is_left_after_close():
    sandbox = Sandbox(limits=TEST_LIMITS, workers=2, ahead=True)
    sandbox.start()
    try:
        uids, scratch, spares = sandbox.uids, Path(sandbox._scratch), sandbox._spares
        both_open = threading.Barrier(2)

        def open_at_once() -> None:
            with sandbox.open(PROBE_SOURCE, HW1.filename, HIDE):
                both_open.wait(WAIT)

        threads = [threading.Thread(target=open_at_once) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _wait_for_spares(sandbox, 2)
        for _ in range(3):
            _probe(sandbox)
        assert sandbox._spares.waiting <= sandbox.workers
    finally:
        sandbox.close()
    assert not scratch.exists()
    assert spares.waiting == 0 and not spares._thread.is_alive()
    if uids:
        block = (uids.start - isolation.FIRST_SANDBOX_UID) // isolation.UIDS_PER_SANDBOX
        assert not isolation._uid_block_lock(block).exists()
        assert sandbox_processes(uids) == []


OPTIMIZER_SOURCE = '''
import sys

import torch


def modules_imported_by_a_first_optimizer():
    before = set(sys.modules)
    weights = torch.zeros(3, requires_grad=True)
    optimizer = torch.optim.SGD([weights], lr=0.1)
    (weights * 2.0).sum().backward()
    optimizer.step()
    return sorted(set(sys.modules) - before)
'''


def test_a_child_of_a_zygote_that_warmed_optimizers_up_makes_one_without_importing_anything(ahead_sandbox):
    with ahead_sandbox.open(OPTIMIZER_SOURCE, HW1.filename, HIDE) as subject:
        assert subject.call("modules_imported_by_a_first_optimizer") == []
