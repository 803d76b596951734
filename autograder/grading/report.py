"""The TA's reports: results.json, summary.md with its plot, and the console table.

Everything here is a pure function of the results, so re-running on the same inputs gives
byte-identical files (durations are reported in whole seconds for that reason, and not at all for
checks the sandbox stopped).
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from autograder import __version__
from autograder.grading.results import GRADER_FAILURE, OUTCOMES, StudentResult
from checklib.assignments import Assignment
from checklib.checks import CheckResult, Status

OUTCOME_LABELS = {"passed": "passed", "failed": "failed", "no_submission": "no submission", "error": "errors",
                  "grader_failure": "not graded"}
OUTCOME_COLORS = ["#2e7d32", "#c62828", "#9e9e9e", "#ef6c00", "#6a1b9a"]


@dataclass(frozen=True)
class CheckRate:
    name: str
    visibility: str
    description: str
    passed: int
    graded: int

    @property
    def label(self) -> str:
        """The check's name as the plot shows it: public ones plain, hidden ones marked."""
        short = self.name.removeprefix("test_")
        return short if self.visibility == "public" else f"{short} (hidden)"


@dataclass(frozen=True)
class ClassReport:
    """Everything the reports show about one grading run."""

    assignment: Assignment
    results: Sequence[StudentResult]
    isolation: str
    warnings: Sequence[str] = ()
    regrade_command: str = ""  # grades just the grader failures again (ONLY=...)

    @property
    def not_graded(self) -> list[StudentResult]:
        """The grader failures: no grade was written for them."""
        return [result for result in self.results if result.outcome == GRADER_FAILURE]

    def counts(self) -> dict[str, int]:
        counter = Counter(result.outcome for result in self.results)
        return {outcome: counter.get(outcome, 0) for outcome in OUTCOMES}

    def check_pass_rates(self) -> list[CheckRate]:
        """Each check's pass rate over the graded students, in check order."""
        rates: dict[tuple[str, str], CheckRate] = {}
        for result in self.results:
            for check in result.checks:
                key = (check.visibility, check.name)  # a public and a hidden check may share a name
                rate = rates.get(key, CheckRate(check.name, check.visibility, check.description, 0, 0))
                rates[key] = replace(rate, passed=rate.passed + check.passed, graded=rate.graded + 1)
        return list(rates.values())


def _duration(check: CheckResult) -> int | None:
    """Whole seconds, so reruns are byte-identical; None for a check the sandbox stopped (a time or
    memory limit, a crash), whose time depends on the machine's load: its message says which limit."""
    return None if check.status == Status.STOPPED else math.floor(check.duration)


def results_json(report: ClassReport) -> bytes:
    """results.json: per student and per check, with the grader's version and isolation level."""
    document = {
        "assignment": report.assignment.key,
        "grader_version": __version__,
        "isolation": report.isolation,
        "counts": report.counts(),
        "warnings": list(report.warnings),
        "students": [
            {
                "participant_id": result.participant_id,
                "name": result.name,
                "outcome": result.outcome,
                "passed": result.passed,
                "reason": result.reason,
                "graded_file": result.graded_file,
                "notes": list(result.notes),
                "tests": [
                    {"name": check.name, "visibility": check.visibility, "description": check.description,
                     "required": check.required, "status": check.status, "message": check.message,
                     "duration_seconds": _duration(check)}
                    for check in result.checks
                ],
            }
            for result in report.results
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8", errors="replace")


def summary_markdown(report: ClassReport, plot_name: str) -> bytes:
    counts = report.counts()
    lines = [
        f"# {report.assignment.key}: {report.assignment.title}: grading summary",
        "",
        *not_graded_lines(report, markdown=True),
        f"Graded {len(report.results)} students with autograder {__version__}.",
        f"Isolation: {report.isolation}.",
        *([f"**{basic_isolation_warning(report.isolation)}**"] if report.isolation.startswith("basic") else []),
        "",
        "| outcome | students |",
        "| --- | ---: |",
        *(f"| {OUTCOME_LABELS[outcome]} | {count} |" for outcome, count in counts.items()),
        "",
        f"![pass rate per check and outcomes]({plot_name})",
        "",
        "## Pass rate per check",
        "",
        "| check | visibility | passed | graded | rate |",
        "| --- | --- | ---: | ---: | ---: |",
        *(f"| {rate.description} (`{rate.name}`) | {rate.visibility} | {rate.passed} | {rate.graded} | "
          f"{rate.passed / rate.graded:.0%} |" for rate in report.check_pass_rates()),
    ]
    if report.warnings:
        lines += ["", "## Warnings", "", *(f"- {warning}" for warning in report.warnings)]
    return ("\n".join(lines) + "\n").encode("utf-8", errors="replace")


def summary_plot(report: ClassReport) -> bytes:
    """A PNG: pass rate per check (left) and students per outcome (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rates = report.check_pass_rates()
    counts = report.counts()
    height = max(3.0, 0.28 * len(rates) + 1.2)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, height), width_ratios=(3, 1), layout="constrained")
    names = [rate.label for rate in rates][::-1]
    values = [rate.passed / rate.graded for rate in rates][::-1]
    left.barh(names, values, color=["#2e7d32" if value >= 0.5 else "#c62828" for value in values])
    left.set_xlim(0, 1)
    left.set_xlabel("share of graded students passing")
    left.set_title("Pass rate per check")
    left.tick_params(axis="y", labelsize=8)
    labels = [OUTCOME_LABELS[outcome] for outcome in counts]
    bars = right.bar(labels, list(counts.values()), color=OUTCOME_COLORS[:len(labels)])
    right.bar_label(bars)
    right.set_title("Students per outcome")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    plt.setp(right.get_xticklabels(), rotation=30, ha="right")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def basic_isolation_warning(isolation: str) -> str:
    """What a hostile submission could still do where only basic isolation was possible."""
    return ("Only basic isolation was possible on this machine: a hostile submission can still do what the "
            "isolation level above says it lacks. For full isolation, grade on Linux with user namespaces "
            "allowed (most distributions), or as root.")


def not_graded_lines(report: ClassReport, markdown: bool) -> list[str]:
    """The grader failures, first thing the TA reads: who, why, and the command that grades just them again."""
    failures = report.not_graded
    if not failures:
        return []
    head = (f"{len(failures)} submission(s) were NOT graded: the grader failed on them, for a reason not the "
            "student's, even when tried again. They have no grade in the worksheet (Moodle leaves them "
            "unchanged) and no feedback file. Grade just them again with:")
    rows = [f"{result.participant_id} ({result.name}): {result.reason}" for result in failures]
    if not markdown:
        return [head, f"  {report.regrade_command}", *(f"  - {row}" for row in rows)]
    return [f"**{head}**", "", "```sh", report.regrade_command, "```", "", *(f"- {row}" for row in rows), ""]


def console_table(report: ClassReport) -> str:
    counts = report.counts()
    width = max(len(label) for label in OUTCOME_LABELS.values())
    rows = [f"  {OUTCOME_LABELS[outcome]:<{width}}  {count:>5}" for outcome, count in counts.items()]
    return "\n".join([f"{report.assignment.key}: {len(report.results)} students", *rows])
