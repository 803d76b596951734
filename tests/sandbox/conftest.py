"""Fixtures for the sandbox tests: one full and one degraded sandbox per session, short limits.

Starting a sandbox costs an interpreter that imports torch (about a second), so every test
shares the same two. Limits are short so that timeouts are quick: 2 s per call, 6 s per
submission.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.checks import REPO_ROOT, SOLUTIONS_DIR
from autograder.sandbox import Limits, Sandbox
from checklib.assignments import find_assignment

MiB = 1024**2
TEST_LIMITS = Limits(call_timeout=2, submission_timeout=6, max_restarts=2, memory_bytes=512 * MiB,
                     processes=16, reply_bytes=8 * MiB)
HW1 = find_assignment("hw1")
HIDE = (REPO_ROOT,)

if sys.platform != "linux":  # the sandbox needs Linux (see autograder/sandbox/__init__.py)
    collect_ignore_glob = ["test_*.py"]

linux_root = pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                                reason="full isolation needs Linux and root")


def reference_source(hw: str = "hw1") -> str:
    return (SOLUTIONS_DIR / find_assignment(hw).filename).read_text()


def sandbox_processes(uids: range) -> list[str]:
    """Processes running as one of these uids (a sandbox's: none once its children are closed)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid in uids:
                found.append(f"{entry.name}: {(entry / 'cmdline').read_bytes()!r}")
        except OSError:
            continue
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
