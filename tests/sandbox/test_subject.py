"""SandboxSubject behaves like InProcessSubject, and says in words why it stopped the code."""

import os
import signal
import time

import numpy as np
import pytest

from autograder.sandbox import Limits, Sandbox, SandboxError
from checklib import data
from checklib.codec import TorchTensor
from checklib.subject import MissingFunction, NotImplementedYet, StudentCodeError, SubmissionStopped

from .conftest import HIDE, HW1, TEST_LIMITS

SOURCE = '''
import os
import sys
import time

import numpy as np

calls = 0


def scale_in_place(values, factor):
    values *= factor
    return None


def count():
    global calls
    calls += 1
    return calls


def stub():
    raise NotImplementedError("write this")


def divide(a, b):
    return a / b


def exits():
    sys.exit(3)


def interrupted():
    raise KeyboardInterrupt


def crashes():
    os._exit(7)


def spins():
    while True:
        pass


def huge():
    return np.zeros(2 * 2**20)  # 16 MiB: more than the tests' 8 MiB reply limit


def chatty():
    print("== 30 passed ==")
    return 1.5


def identity(*args, **kwargs):
    return args, kwargs


def double(x):
    return (x * 2).sum()
'''


@pytest.fixture
def subject(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE) as opened:
        assert opened.load_error is None
        yield opened


def test_values_round_trip_as_plain_data(subject):
    x = np.arange(6.0).reshape(2, 3)
    args, kwargs = subject.call("identity", x, 2, 0.5, None, "s", (1, 2), flag=True)
    np.testing.assert_array_equal(args[0], x)
    assert args[1:] == (2, 0.5, None, "s", (1, 2)) and kwargs == {"flag": True}


def test_a_writeable_array_modified_by_the_student_is_modified_for_the_caller(subject):
    values = np.array([1.0, 2.0, 3.0])
    subject.call("scale_in_place", values, 2.0)
    np.testing.assert_array_equal(values, [2.0, 4.0, 6.0])


def test_a_request_larger_than_the_socket_buffer_arrives_whole(subject):
    values = np.arange(2**19, dtype=np.float64)  # 4 MiB: the grader waits for the child to read it
    assert subject.call("double", values) == 2 * values.sum()
    args, _ = subject.call("identity", values[:3], values[3:5])
    np.testing.assert_array_equal(args[1], values[3:5])


def test_a_read_only_array_stays_read_only_in_the_child(subject):
    (values,) = data.read_only(np.array([1.0, 2.0]))
    with pytest.raises(StudentCodeError, match="read-only"):
        subject.call("scale_in_place", values, 2.0)
    np.testing.assert_array_equal(values, [1.0, 2.0])


def test_the_module_keeps_its_state_between_calls(subject):
    assert [subject.call("count") for _ in range(3)] == [1, 2, 3]


def test_errors_are_those_of_the_in_process_subject(subject):
    with pytest.raises(NotImplementedYet):
        subject.call("stub")
    with pytest.raises(MissingFunction, match="no function named nowhere"):
        subject.call("nowhere")
    with pytest.raises(StudentCodeError, match="ZeroDivisionError") as raised:
        subject.call("divide", 1, 0)
    assert "line" in raised.value.error.where and "in divide" in raised.value.error.where


def test_sys_exit_and_keyboard_interrupt_are_errors_not_the_end(subject):
    with pytest.raises(StudentCodeError, match="SystemExit"):
        subject.call("exits")
    with pytest.raises(StudentCodeError, match="KeyboardInterrupt"):
        subject.call("interrupted")
    assert subject.call("count") == 1  # the same child, still running


def test_printing_does_not_reach_the_grader(subject):
    assert subject.call("chatty") == 1.5


def test_torch_calls_get_tensors_and_gradients(subject):
    value, (grad,) = subject.call_torch("double", np.array([1.0, 2.0]), requires_grad=(0,))
    assert type(value) is TorchTensor and value.value == 6.0 and value.has_grad_fn
    np.testing.assert_array_equal(grad.value, [2.0, 2.0])


def test_a_too_large_result_is_refused_in_words(subject):
    with pytest.raises(StudentCodeError, match="more than the 8 MiB the grader accepts"):
        subject.call("huge")


def test_an_unsendable_argument_is_the_graders_mistake(subject):
    with pytest.raises(TypeError, match="cannot be sent to the sandbox"):
        subject.call("identity", object())


def test_after_the_process_ended_the_next_call_gets_a_fresh_child(subject):
    assert subject.call("count") == 1
    with pytest.raises(SubmissionStopped, match=r"crashes: your code ended the process \(os._exit or sys.exit\?"):
        subject.call("crashes")
    assert subject.call("count") == 1  # a fresh child: the file was imported again


def test_a_call_that_does_not_finish_is_stopped_in_time(subject):
    with pytest.raises(SubmissionStopped, match=r"did not finish within 2 s \(an infinite loop\?\)"):
        subject.call("spins")
    assert subject.call("count") == 1


def test_after_max_restarts_every_call_fails_at_once(sandbox):
    with sandbox.open(SOURCE, HW1.filename, HIDE) as subject:
        for _ in range(TEST_LIMITS.max_restarts + 1):
            with pytest.raises(SubmissionStopped, match="ended the process"):
                subject.call("crashes")
        with pytest.raises(SubmissionStopped, match="stopped its process 3 times already"):
            subject.call("count")


def test_after_the_submission_time_every_call_fails_with_a_time_message():
    limits = Limits(call_timeout=1, submission_timeout=1.5)
    with Sandbox(limits=limits) as sandbox, sandbox.open(SOURCE, HW1.filename, HIDE) as subject:
        with pytest.raises(SubmissionStopped, match="did not finish within 1 s"):
            subject.call("spins")
        with pytest.raises(SubmissionStopped, match="used up its 1.5 s of running time"):
            subject.call("spins")
        with pytest.raises(SubmissionStopped, match="not run: your submission had already used up its 1.5 s"):
            subject.call("count")


@pytest.mark.parametrize(("source", "type_name", "message"), [
    ("def f(:\n    pass\n", "SyntaxError", "line 1"),
    ("import numpy\nraise ValueError('at import')\n", "ValueError", "at import"),
    ("import sys\nsys.exit(2)\n", "SystemExit", "called sys.exit(2) while being imported"),
    ("import os\nos._exit(0)\n", "SubmissionStopped", "ended the process while your file was being imported"),
    ("while True:\n    pass\n", "SubmissionStopped", "importing your file did not finish within 2 s"),
])
def test_a_file_that_cannot_be_imported_has_a_load_error(sandbox, source, type_name, message):
    with sandbox.open(source, HW1.filename, HIDE) as subject:
        assert subject.load_error is not None
        assert subject.load_error.type_name == type_name and message in subject.load_error.message
        with pytest.raises(StudentCodeError, match="your file could not be imported"):
            subject.call("predict")


def test_a_dead_zygote_is_the_graders_problem_not_the_students_and_the_next_open_starts_a_new_one():
    with Sandbox(limits=TEST_LIMITS) as sandbox:
        with sandbox.open(SOURCE, HW1.filename, HIDE) as subject:
            os.kill(sandbox.zygote_pid, signal.SIGKILL)
            with pytest.raises(SandboxError, match="zygote"):
                for _ in range(200):  # the children die with the zygote, a moment after the process we killed
                    subject.call("count")
                    time.sleep(0.02)
        with sandbox.open(SOURCE, HW1.filename, HIDE) as subject:
            assert subject.call("count") == 1
        assert sandbox.restarts == 1 and sandbox.running

