"""Limits: sensible defaults, refused nonsense, and the rlimits a child really gets."""

import resource

import pytest

from autograder.sandbox import Limits
from autograder.sandbox.limits import GiB, describe_bytes

from .conftest import HIDE, TEST_LIMITS

RLIMITS_SOURCE = '''
import resource

def rlimits():
    names = ["RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_CORE"]
    return {name: list(resource.getrlimit(getattr(resource, name))) for name in names}
'''


def test_defaults_are_those_of_a_real_grading_run():
    limits = Limits()
    assert limits.call_timeout == 10 and limits.submission_timeout == 60
    assert 2 * GiB <= limits.memory_bytes <= 4 * GiB  # torch needs room
    assert limits.cpu_limit == 60  # no cpu_seconds: as long as the submission may run


def test_nonsense_limits_are_refused():
    with pytest.raises(ValueError, match="call_timeout must be positive"):
        Limits(call_timeout=0)
    with pytest.raises(ValueError, match="memory_bytes"):
        Limits(memory_bytes=-1)
    assert Limits(max_restarts=0).max_restarts == 0  # no restarts at all is a valid choice


def test_limits_survive_the_trip_to_the_zygote():
    assert Limits.from_plain(TEST_LIMITS.as_plain()) == TEST_LIMITS


def test_sizes_read_well():
    assert describe_bytes(2 * GiB) == "2 GiB"
    assert describe_bytes(512 * 1024**2) == "512 MiB"


@pytest.mark.parametrize("fixture", ["sandbox", "basic_sandbox", "portable_sandbox"])
def test_the_child_gets_the_rlimits(request, fixture):
    sandbox = request.getfixturevalue(fixture)
    with sandbox.open(RLIMITS_SOURCE, "hw1_linear_regression.py", HIDE) as subject:
        limits = subject.call("rlimits")
    assert limits["RLIMIT_CPU"] == [TEST_LIMITS.cpu_limit] * 2
    assert limits["RLIMIT_FSIZE"] == [TEST_LIMITS.file_bytes] * 2
    assert limits["RLIMIT_NOFILE"] == [TEST_LIMITS.open_files] * 2
    assert limits["RLIMIT_CORE"] == [0, 0]
    assert limits["RLIMIT_NPROC"][0] >= TEST_LIMITS.processes  # plus the user's other processes, if shared
    if sandbox.memory_watchdog:  # the zygote watches memory instead: no cap, as the grader has
        assert limits["RLIMIT_AS"] == list(resource.getrlimit(resource.RLIMIT_AS))
        return
    # The address space is what numpy and torch already take, plus memory_bytes.
    assert TEST_LIMITS.memory_bytes < limits["RLIMIT_AS"][0] < TEST_LIMITS.memory_bytes + 8 * GiB
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != limits["RLIMIT_AS"][0]  # the grader's own are untouched
