"""The degraded mode (no namespaces: rlimits, process groups, a uid of its own as root) still holds.

It cannot hide files or the network (test_isolation shows what it says about that), so only
the attacks it must stop are graded here: exits, time, memory, processes, the channel. Twice:
as on Linux, and in the portable mode that macOS gets (memory watchdog, no child subreaper).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.checks import collect_checks, load_reference
from autograder.sandbox.limits import describe_bytes

from .conftest import HW1, as_root, reference_source, sandbox_processes
from .test_hostile import HOSTILE_DIR, grade, hostile_source

EXPECTED_REASONS = {
    "exit_at_import_os": "your code ended the process while your file was being imported",
    "os_exit_in_function": "cost: your code ended the process (os._exit or sys.exit?",
    "infinite_loop": "cost: did not finish within 2 s (an infinite loop?)",
    "fork_bomb": "cost: did not finish within 2 s",
    "daemon": "solve_exact(X, t) should return a tuple of 2 values, but it returned a NoneType",
    "kill_parent": "cost: your code's process was killed (SIGKILL)",  # kill -1 reached only itself
    "memory_bomb": "gradient: your code used more than {memory} of memory",
    "recursion_bomb": "gradient: your code crashed the Python process (SIGSEGV)",
    "garbage_on_channel": "cost: the grader could not read what came back",
    "always_equal_ndarray": "AgreeableArray",
}
# Graded by itself after the others: a watchdog must see it grow, and the others' CPU load slows that down.
GRADED_ALONE = ("memory_bomb",)


@pytest.fixture(scope="module", params=["basic_sandbox", "portable_sandbox"])
def degraded(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def graded(degraded):
    checks, reference = collect_checks(HW1), load_reference(HW1)
    together = [name for name in EXPECTED_REASONS if name not in GRADED_ALONE]
    with ThreadPoolExecutor(len(together)) as pool:
        futures = {name: pool.submit(grade, degraded, hostile_source(HOSTILE_DIR / f"{name}.py", 0), checks,
                                     reference) for name in together}
        hostile = {name: future.result() for name, future in futures.items()}
    for name in GRADED_ALONE:
        hostile[name] = grade(degraded, hostile_source(HOSTILE_DIR / f"{name}.py", 0), checks, reference)
    return hostile, grade(degraded, reference_source(), checks, reference)[1]


@as_root  # not as root, kill_parent's kill -1 would reach the grader: that is what "basic" means
@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_a_hostile_submission_fails_in_degraded_mode_too(degraded, graded, name):
    load_error, results = graded[0][name]
    reasons = [result.message for result in results if not result.passed] + ([load_error] if load_error else [])
    expected = EXPECTED_REASONS[name].format(memory=describe_bytes(degraded.limits.memory_bytes))
    assert any(expected in reason for reason in reasons), reasons


@as_root
def test_a_correct_submission_still_passes_and_nothing_is_left_running(degraded, graded):
    assert [result.message for result in graded[1] if not result.passed] == []
    assert degraded.running
    assert sandbox_processes(degraded.uids) == []


def test_the_portable_mode_watches_memory_instead_of_capping_it(portable_sandbox):
    """So the memory bomb above was stopped by the watchdog: its child had no RLIMIT_AS."""
    assert portable_sandbox.mode == "basic" and portable_sandbox.memory_watchdog
    assert "a memory watchdog" in portable_sandbox.isolation_level
