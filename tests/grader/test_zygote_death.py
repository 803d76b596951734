"""The sandbox's zygote killed in the middle of a run: the run goes on, and every student gets their own verdict."""

from __future__ import annotations

import os
import signal

from autograder.authoring.stubs import without_markers
from autograder.grading.pipeline import GradingJob, grade_all
from autograder.moodle.export import StudentSubmission
from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from autograder.sandbox import Limits, Sandbox
from checklib.assignments import find_assignment
from checklib.checks import collect_checks, load_reference

HW1 = find_assignment("hw1")
BUGGY = ("cost_sum_not_mean.py", "gradient_wrong_sign.py")


def _submission(number: int, source: str) -> StudentSubmission:
    return StudentSubmission(number, f"Student {number}", {HW1.filename: source.encode()}, False, [])


def test_a_run_whose_zygote_is_killed_midway_gives_every_student_their_own_verdict():
    reference = without_markers((SOLUTIONS_DIR / HW1.filename).read_text())
    honest = [_submission(number, reference) for number in range(1, 7)]
    buggy = [_submission(10 + number, (REPO_ROOT / "tests" / "corpus" / "buggy" / "hw1" / name).read_text())
             for number, name in enumerate(BUGGY)]
    with Sandbox(limits=Limits(call_timeout=5, submission_timeout=20), workers=2) as sandbox:
        first_zygote = sandbox.zygote_pid
        job = GradingJob(HW1, collect_checks(HW1), load_reference(HW1), sandbox, [REPO_ROOT])

        def kill_the_zygote_once(result) -> None:
            if sandbox.zygote_pid == first_zygote:  # the first result is in: others are being graded now
                os.kill(first_zygote, signal.SIGKILL)

        results = grade_all([*honest, *buggy], job, workers=2, on_done=kill_the_zygote_once)
        assert sandbox.restarts >= 1
    outcomes = {result.participant_id: result.outcome for result in results}
    assert outcomes == {**{number: "passed" for number in range(1, 7)}, 10: "failed", 11: "failed"}


def test_a_run_with_children_opened_ahead_whose_zygote_is_killed_midway_gives_every_student_their_own_verdict():
    """As above, with spare children waiting (the local executor's way): those of the dead zygote are never used."""
    reference = without_markers((SOLUTIONS_DIR / HW1.filename).read_text())
    honest = [_submission(number, reference) for number in range(1, 5)]
    buggy = [_submission(10, (REPO_ROOT / "tests" / "corpus" / "buggy" / "hw1" / BUGGY[0]).read_text())]
    with Sandbox(limits=Limits(call_timeout=5, submission_timeout=20), workers=2, ahead=True) as sandbox:
        first_zygote = sandbox.zygote_pid
        job = GradingJob(HW1, collect_checks(HW1), load_reference(HW1), sandbox, [REPO_ROOT])
        killed = []

        def kill_the_zygote_once(result) -> None:
            if not killed:
                killed.append(first_zygote)
                os.kill(first_zygote, signal.SIGKILL)

        results = grade_all([*honest, *buggy], job, workers=2, on_done=kill_the_zygote_once)
        assert sandbox.restarts >= 1
    outcomes = {result.participant_id: result.outcome for result in results}
    assert outcomes == {**{number: "passed" for number in range(1, 5)}, 10: "failed"}
