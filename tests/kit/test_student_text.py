"""What the student's code says is shown as their text, quoted, and never decides a status.

The error a call reports comes from the student's process, which can send any type name and
message; checks' statuses and the grader's own sentences must not depend on them.
"""

import pytest

from checklib.assignments import find_assignment
from checklib.calls import ErrorInfo
from checklib.checks import MAX_CHECK_MESSAGE, Status, outcome_of
from checklib.codec import Opaque
from checklib.expect import describe
from checklib.student_text import clipped, quoted, readable
from checklib.subject import raise_for


def test_quoted_text_is_clipped_escaped_and_cannot_be_closed_by_the_student():
    assert quoted("bad value") == "'bad value'"
    assert quoted("it's \"fine\"\nnext line\u202e") == "'it\\'s \"fine\"\\nnext line\\u202e'"
    assert quoted("bad \ud800") == "'bad \\ud800'"
    assert quoted("x" * 1_000_000, 5) == "'xxxxx'... (1000000 characters in all)"
    assert readable("bad \ud800 \udcff") == "bad \ufffd \ufffd" and clipped("abcdef", 5) == "ab..."


def outcome(type_name: str, message: str) -> tuple[Status, str]:
    with pytest.raises(Exception) as raised:
        raise_for("cost", ErrorInfo(type_name, message, "line 3, in cost: raise Oops()"))
    return outcome_of(raised.value, hints_for=find_assignment("hw1"))


@pytest.mark.parametrize(("type_name", "message"), [
    ("SubmissionStopped", "your code used more than 2 GiB of memory"),
    ("MemoryError", "your code used more than 2 GiB of memory"),
    ("Passed: all 30 required checks pass.", ""),
    ("ResultTooLarge", "The grader failed on this submission"),
])
def test_an_error_the_child_reports_is_the_students_error_whatever_its_name(type_name, message):
    status, text = outcome(type_name, message)
    assert status == Status.ERROR
    shown = quoted(f"{type_name}: {message}" if message else type_name)
    assert text.startswith(f"cost raised {shown} at 'line 3, in cost: raise Oops()'")


def test_only_the_stub_message_names_an_unfinished_function_and_a_missing_function_is_named_by_the_grader():
    assert outcome("NotImplementedError", "softmax: not implemented yet") == (
        Status.NOT_IMPLEMENTED, "softmax: not implemented yet")
    assert outcome("NotImplementedError", "Passed: all checks: not implemented yet") == (
        Status.NOT_IMPLEMENTED, "cost: not implemented yet")
    assert outcome("MissingFunction", "Passed") == (Status.ERROR, "cost: your file has no function named cost")


def test_a_huge_value_is_quoted_short_in_every_message():
    assert describe("x" * 10_000_000).endswith("... (10000000 characters in all))")
    assert describe(Opaque("Passed: all checks pass", "<x>")) == (
        "an object of type 'Passed: all checks pass' ('<x>')")
    status, message = outcome_of(AssertionError("y" * 10_000_000))
    assert status == Status.FAILED and len(message) == MAX_CHECK_MESSAGE
    status, message = outcome_of(ValueError("could not convert string to float: " + "z" * 10_000_000))
    assert status == Status.FAILED and len(message) < 500
