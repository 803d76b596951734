"""The degraded mode (no namespaces: rlimits, process groups, a uid of its own as root) still holds.

It cannot hide files or the network (test_isolation shows what it says about that), so only
the attacks it must stop are graded here: exits, time, memory, processes, the channel.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.checks import collect_checks, load_reference

from .conftest import HW1, linux_root, reference_source, sandbox_processes
from .test_hostile import HOSTILE_DIR, grade, hostile_source

EXPECTED_REASONS = {
    "exit_at_import_os": "your code ended the process while your file was being imported",
    "os_exit_in_function": "cost: your code ended the process (os._exit or sys.exit?",
    "infinite_loop": "cost: did not finish within 2 s (an infinite loop?)",
    "fork_bomb": "cost: did not finish within 2 s",
    "daemon": "solve_exact(X, t) should return a tuple of 2 values, but it returned a NoneType",
    "kill_parent": "cost: your code's process was killed (SIGKILL)",  # kill -1 reached only itself
    "memory_bomb": "gradient: your code used more than 512 MiB of memory",
    "recursion_bomb": "gradient: your code crashed the Python process (SIGSEGV)",
    "garbage_on_channel": "cost: the grader could not read what came back",
    "always_equal_ndarray": "AgreeableArray",
}


@pytest.fixture(scope="module")
def graded(basic_sandbox):
    checks, reference = collect_checks(HW1), load_reference(HW1)
    with ThreadPoolExecutor(len(EXPECTED_REASONS)) as pool:
        futures = {name: pool.submit(grade, basic_sandbox, hostile_source(HOSTILE_DIR / f"{name}.py", 0), checks,
                                     reference) for name in EXPECTED_REASONS}
        hostile = {name: future.result() for name, future in futures.items()}
    return hostile, grade(basic_sandbox, reference_source(), checks, reference)[1]


@linux_root  # not as root, kill_parent's kill -1 would reach the grader: that is what "basic" means
@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_a_hostile_submission_fails_in_degraded_mode_too(graded, name):
    load_error, results = graded[0][name]
    reasons = [result.message for result in results if not result.passed] + ([load_error] if load_error else [])
    assert any(EXPECTED_REASONS[name] in reason for reason in reasons), reasons


@linux_root
def test_a_correct_submission_still_passes_and_nothing_is_left_running(basic_sandbox, graded):
    assert [result.message for result in graded[1] if not result.passed] == []
    assert basic_sandbox.running
    assert sandbox_processes(basic_sandbox.uids) == []
