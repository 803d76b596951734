"""A call plan: the child runs the checks' calls ahead of them, and every call ends as it would without one."""

import time

import pytest

from autograder.sandbox.plan import CallPlan, call_request
from checklib.subject import SubmissionStopped

from .conftest import HIDE, HW1, TEST_LIMITS

SOURCE = '''
import os
import time

ran = []


def double(x):
    ran.append(x)
    return 2 * x


def crash(x):
    os._exit(3)


def nap(seconds):
    time.sleep(seconds)
    return seconds


def history():
    return list(ran)
'''


def plan_of(*calls: tuple) -> CallPlan:
    return CallPlan(tuple(call_request(function, args, {}) for function, *args in calls))


def test_a_plan_finds_the_first_position_of_a_request_from_where_the_checks_are():
    plan = plan_of(("double", 1), ("double", 2), ("double", 1))
    request = call_request("double", (1,), {})
    assert (plan.find(request, 0), plan.find(request, 1), plan.find(request, 3)) == (0, 2, None)
    assert plan.find(call_request("double", (3,), {}), 0) is None


def test_the_child_runs_the_plan_ahead_and_each_planned_call_gets_its_reply(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan_of(("double", 1), ("double", 2), ("double", 3))) as hw:
        assert hw.double(1) == 2
        assert hw.history() == [1, 2, 3]  # not planned: sent once the child has answered the whole plan
        assert (hw.double(2), hw.double(3)) == (4, 6)  # the replies it kept
        assert hw.history() == [1, 2, 3]  # not run again


def test_a_call_the_plan_does_not_hold_is_sent_on_its_own(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan_of(("double", 1), ("double", 2))) as hw:
        assert (hw.double(1), hw.double(5), hw.double(2), hw.double(1)) == (2, 10, 4, 2)
        assert hw.history() == [1, 2, 5, 1]  # double(1) again: the plan has it once


def test_planned_requests_no_check_made_are_passed_over(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan_of(("double", 1), ("double", 2), ("double", 3))) as hw:
        assert hw.double(3) == 6
        assert hw.double(2) == 4  # behind the checks now: sent on its own
        assert hw.history() == [1, 2, 3, 2]


def test_a_planned_call_that_ends_the_process_stops_it_with_the_same_message(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE) as alone:
        with pytest.raises(SubmissionStopped) as without_plan:
            alone.crash(0)
    plan = plan_of(("double", 1), ("crash", 0), ("double", 2))
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan) as hw:
        assert hw.double(1) == 2
        with pytest.raises(SubmissionStopped) as stopped:
            hw.crash(0)
        assert str(stopped.value) == str(without_plan.value)
        assert hw.double(2) == 4  # a new child, which runs the rest of the plan
        assert hw.history() == [2]


def test_a_planned_call_that_hangs_times_out_with_the_same_message(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan_of(("nap", 0.1), ("nap", 60.0))) as hw:
        assert hw.nap(0.1) == 0.1
        with pytest.raises(SubmissionStopped, match=f"nap: did not finish within {TEST_LIMITS.call_timeout:g} s"):
            hw.nap(60.0)


def test_a_crash_in_a_request_no_check_made_is_not_the_students(sandbox):
    plan = plan_of(("crash", 0), ("double", 1), ("crash", 0), ("crash", 0), ("double", 2))
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan) as hw:
        assert hw.double(1) == 2
        assert hw.double(2) == 4  # the third crash passed over would have been one restart too many
        assert hw._stops == 0


def test_a_hang_in_a_request_no_check_made_gives_its_time_back(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan_of(("nap", 60.0), ("double", 1))) as hw:
        deadline = hw._deadline
        start = time.monotonic()
        assert hw.double(1) == 2
        waited = time.monotonic() - start
        assert waited >= TEST_LIMITS.call_timeout
        assert hw._deadline - deadline >= TEST_LIMITS.call_timeout and hw._stops == 0
        assert not hw.timed_out


def test_a_request_that_stops_the_child_while_it_finishes_the_plan_is_sent_alone_later(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE, plan=plan_of(("double", 1), ("crash", 0), ("double", 2))) as hw:
        assert hw.double(7) == 14  # the child finishes the plan first, and crashes on the way: not counted
        assert hw.double(2) == 4 and hw._stops == 0
        with pytest.raises(SubmissionStopped, match="crash: your code ended the process"):
            hw.crash(0)  # made by a check now: the student's stop
        assert hw._stops == 1


DEAF_SOURCE = SOURCE + '''
import socket

socket.socket.recv = lambda *args, **kwargs: time.sleep(60)  # the child never reads another request
'''


def test_a_child_that_does_not_take_the_plan_is_replaced_quietly_and_calls_end_as_without_it(sandbox):
    import numpy as np

    big = np.zeros(1_000_000)  # 8 MB a request: more than the channel holds unread
    with sandbox.open(DEAF_SOURCE, HW1.filename, HIDE) as alone:
        with pytest.raises(SubmissionStopped) as without_plan:
            alone.double(big)
    with sandbox.open(DEAF_SOURCE, HW1.filename, HIDE, plan=plan_of(("double", big), ("double", big))) as hw:
        with pytest.raises(SubmissionStopped) as stopped:
            hw.double(big)
        assert str(stopped.value) == str(without_plan.value)
        assert hw._stops == 1 and hw._plan_off
