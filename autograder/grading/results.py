"""What grading decided for each student, and the one-line reason shown in Moodle."""

from __future__ import annotations

from dataclasses import dataclass, field

from checklib.checks import CheckResult, Status

PASSED, FAILED, NO_SUBMISSION, ERROR = "passed", "failed", "no_submission", "error"
GRADER_FAILURE = "grader_failure"
OUTCOMES = (PASSED, FAILED, NO_SUBMISSION, ERROR, GRADER_FAILURE)
MAX_REASON = 250


@dataclass(frozen=True)
class StudentResult:
    """One student's (or group's) grade, the reason, and every check's result.

    outcome is "passed", "failed" (the code was graded and did not pass), "no_submission",
    "error" (nothing gradable: no Python file, an unreadable notebook, refused files), or
    "grader_failure" (the grader could not grade it, for a reason not the student's, even when
    tried again: it gets no grade at all, and the TA grades it again); only "passed" gets the
    pass grade.
    """

    participant_id: int
    name: str
    outcome: str
    reason: str
    graded_file: str | None = None
    notes: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    # The source that was graded (a notebook's extracted code), for the similarity report only:
    # never written to results.json or shown to the student.
    graded_source: str | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.outcome == PASSED

    @property
    def graded(self) -> bool:
        """False for a grader failure: no grade may be written for it."""
        return self.outcome != GRADER_FAILURE


def clip(text: str, limit: int = MAX_REASON) -> str:
    """text on one line, at most limit characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def verdict(checks: list[CheckResult]) -> tuple[str, str]:
    """(outcome, reason) from the checks: pass when every required check passed."""
    required = [check for check in checks if check.required]
    failing = [check for check in required if not check.passed]
    if not failing:
        return PASSED, f"Passed: all {len(required)} required checks pass."
    not_implemented = sorted({check.message.split(":")[0] for check in failing
                              if check.status == Status.NOT_IMPLEMENTED})
    first = failing[0]
    summary = f"Failed {len(failing)} of {len(required)} checks."
    if not_implemented:
        summary += f" Not implemented yet: {', '.join(not_implemented)}."
    return FAILED, clip(f"{summary} First: {first.description.rstrip('.')}: {first.message}")
