"""The per-student feedback page (HTML) for Moodle's feedback files."""

from __future__ import annotations

import jinja2

from autograder import __version__
from autograder.grading.results import StudentResult
from checklib.assignments import Assignment
from checklib.checks import Status

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("autograder.grading", "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)
VERDICT_TEXT = {"passed": "Pass", "failed": "Fail", "no_submission": "Fail", "error": "Fail",
                "grader_failure": "Not graded yet"}
STATUS_TEXT = {Status.PASSED: "passed", Status.FAILED: "failed", Status.NOT_IMPLEMENTED: "not implemented yet",
               Status.ERROR: "error", Status.STOPPED: "stopped"}
STATUS_CLASS = {Status.PASSED: "ok", Status.FAILED: "bad", Status.NOT_IMPLEMENTED: "todo", Status.ERROR: "bad",
                Status.STOPPED: "bad"}


def feedback_html(result: StudentResult, assignment: Assignment) -> str:
    """The feedback page for one student."""
    return _environment.get_template("feedback.html.j2").render(
        title=f"{assignment.key}: {assignment.title}", key=assignment.key, result=result,
        verdict_text=VERDICT_TEXT[result.outcome], status_text=STATUS_TEXT, status_class=STATUS_CLASS,
        passed_count=sum(check.passed for check in result.checks), version=__version__,
    )
