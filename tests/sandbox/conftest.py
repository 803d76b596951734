"""Fixtures for the sandbox tests: one full and one degraded sandbox per session, short limits.

Starting a sandbox costs an interpreter that imports torch (about a second), so every test
shares the same two. Limits are short so that timeouts are quick: 2 s per call, 6 s per
submission.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Iterator

import psutil
import pytest

from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from autograder.sandbox import Limits, Sandbox
from checklib.assignments import find_assignment

MiB = 1024**2
TEST_LIMITS = Limits(call_timeout=2, submission_timeout=6, max_restarts=2, memory_bytes=512 * MiB,
                     processes=16, reply_bytes=8 * MiB)
# The memory watchdog must see a memory bomb grow past the limit within the 2 s call limit,
# on a slow or busy machine too: a lower limit, reached sooner.
PORTABLE_LIMITS = dataclasses.replace(TEST_LIMITS, memory_bytes=256 * MiB)
HW1 = find_assignment("hw1")
HIDE = (REPO_ROOT,)

linux_root = pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                                reason="full isolation needs Linux and root")
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")


def reference_source(hw: str = "hw1") -> str:
    return (SOLUTIONS_DIR / find_assignment(hw).filename).read_text()


def _processes_of(uids: range) -> list[str]:
    return [f"{process.pid}: {process.info['cmdline']!r}"
            for process in psutil.process_iter(["uids", "cmdline"])
            if any(uid in uids for uid in process.info["uids"] or ())]


def sandbox_processes(uids: range, grace: float = 5.0) -> list[str]:
    """Processes still running as one of these uids after closed children had `grace` seconds to go.

    Closing a child hangs up at once and the zygote kills and reaps it in the background,
    so a child closed a moment ago may still be on its way out.
    """
    deadline = time.monotonic() + grace
    while (found := _processes_of(uids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The sandbox with the best isolation this machine allows."""
    with Sandbox(limits=TEST_LIMITS, workers=64) as started:
        yield started


@pytest.fixture(scope="session")
def full_sandbox(sandbox: Sandbox) -> Sandbox:
    if sandbox.mode != "full":
        pytest.skip(f"full isolation is not available here: {sandbox.isolation_level}")
    return sandbox


@pytest.fixture(scope="session")
def basic_sandbox() -> Iterator[Sandbox]:
    """The degraded mode: rlimits and process groups (and a uid of its own when run as root)."""
    with Sandbox(limits=TEST_LIMITS, workers=64, namespaces=False) as started:
        yield started


@pytest.fixture(scope="session")
def portable_sandbox() -> Iterator[Sandbox]:
    """The degraded mode with only what every POSIX system has (what macOS gets): a memory
    watchdog instead of RLIMIT_AS, no child subreaper."""
    with Sandbox(limits=PORTABLE_LIMITS, workers=64, portable=True) as started:
        yield started
