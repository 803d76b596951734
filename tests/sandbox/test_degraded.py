"""The degraded mode (no namespaces: rlimits, process groups, a uid of its own as root) still holds.

It cannot hide files or the network (test_isolation shows what it says about that), so only
the attacks it must stop are graded here: exits, time, memory, processes, the channel. Twice:
as on Linux, and in the portable mode that macOS gets (memory watchdog, no child subreaper).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.sandbox.limits import describe_bytes
from checklib.checks import collect_checks, load_reference

from .conftest import HW1, as_root, reference_source, sandbox_processes
from .test_hostile import HOSTILE_DIR, grade, hostile_source

EXPECTED_REASONS = {
    "exit_at_import_os": "your code ended the process while your file was being imported",
    "os_exit_in_function": "cost: your code ended the process (os._exit or sys.exit?",
    "infinite_loop": "cost: did not finish within 2 s (an infinite loop?)",
    "fork_bomb": "cost: did not finish within 2 s",
    "daemon": "solve_exact(X, t) should return a tuple of 2 values, but it returned a NoneType",
    "kill_parent": "cost: your code's process was killed (SIGKILL)",  # kill -1 reached only itself
    "recursion_bomb": "gradient: your code crashed the Python process (SIGSEGV)",
    "garbage_on_channel": "cost: the grader could not read what came back",
    "always_equal_ndarray": "AgreeableArray",
}


@pytest.fixture(scope="module", params=["basic_sandbox", "portable_sandbox"])
def degraded(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def graded(degraded):
    checks, reference = collect_checks(HW1), load_reference(HW1)
    with ThreadPoolExecutor(len(EXPECTED_REASONS)) as pool:
        futures = {name: pool.submit(grade, degraded, hostile_source(HOSTILE_DIR / f"{name}.py", 0), checks,
                                     reference) for name in EXPECTED_REASONS}
        hostile = {name: future.result() for name, future in futures.items()}
    return hostile, grade(degraded, reference_source(), checks, reference)[1]


def _reasons(load_error: str | None, results: list) -> list[str]:
    return [result.message for result in results if not result.passed] + ([load_error] if load_error else [])


@as_root  # not as root, kill_parent's kill -1 would reach the grader: that is what "basic" means
@pytest.mark.parametrize("name", sorted(EXPECTED_REASONS))
def test_a_hostile_submission_fails_in_degraded_mode_too(graded, name):
    reasons = _reasons(*graded[0][name])
    assert any(EXPECTED_REASONS[name] in reason for reason in reasons), reasons


def test_a_memory_bomb_is_stopped_in_degraded_mode_too(degraded):
    """Graded by itself (a watchdog must see it grow, which the other attacks' CPU load slows
    down), and without root too: it attacks nothing but memory."""
    source = hostile_source(HOSTILE_DIR / "memory_bomb.py", 0)
    reasons = _reasons(*grade(degraded, source, collect_checks(HW1), load_reference(HW1)))
    if degraded.memory_watchdog:  # the zygote saw it and killed it: the grader's own words
        expected = f"gradient: your code used more than {describe_bytes(degraded.limits.memory_bytes)} of memory"
    else:  # RLIMIT_AS made its allocation fail: the student's own MemoryError, quoted
        expected = "gradient raised 'MemoryError: Unable to allocate"
    assert any(expected in reason for reason in reasons), reasons


@as_root
def test_a_correct_submission_still_passes_and_nothing_is_left_running(degraded, graded):
    assert [result.message for result in graded[1] if not result.passed] == []
    assert degraded.running
    assert sandbox_processes(degraded.uids) == []


def test_the_portable_mode_watches_memory_instead_of_capping_it(portable_sandbox):
    """So the watchdog stopped the memory bomb above: the child had no RLIMIT_AS (test_limits)."""
    assert portable_sandbox.mode == "basic" and portable_sandbox.memory_watchdog
    assert "a memory watchdog" in portable_sandbox.isolation_level
