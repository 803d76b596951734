"""Writing every output of a grading run into OUT, each file atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.grading.config import GradeConfig
from autograder.grading.feedback import feedback_html
from autograder.grading.report import ClassReport, results_json, summary_markdown, summary_plot
from autograder.moodle.atomic import write_bytes_atomic
from autograder.moodle.feedback_zip import FeedbackFile, write_feedback_zip
from autograder.moodle.worksheet import GradeRow, Worksheet, write_worksheet
from autograder.similarity import SimilarityReport
from autograder.similarity.report import similarity_html, similarity_markdown, similarity_png

WORKSHEET_FILE = "grading_worksheet.csv"
FEEDBACK_FILE = "feedback.zip"
RESULTS_FILE = "results.json"
SUMMARY_FILE = "summary.md"
PLOT_FILE = "summary.png"
SIMILARITY_FILE = "similarity.html"
SIMILARITY_PLOT_FILE = "similarity.png"


@dataclass(frozen=True)
class WrittenOutputs:
    files: list[Path]
    report: ClassReport  # with the worksheet writer's warnings added


def write_outputs(out: Path, report: ClassReport, roster_results: Sequence, worksheet: Worksheet | None,
                  config: GradeConfig, similarity: SimilarityReport) -> WrittenOutputs:
    """Write the worksheet and feedback zip (roster rows) and the TA's reports (similarity too) into out."""
    out.mkdir(parents=True, exist_ok=True)
    # A grader failure gets no grade (an empty cell, which Moodle's upload skips) and no feedback file.
    grades = [GradeRow(result.participant_id, result.name, result.passed if result.graded else None, result.reason)
              for result in roster_results]
    worksheet_report = write_worksheet(out / WORKSHEET_FILE, worksheet, grades, scale_pass=config.scale_pass,
                                       scale_fail=config.scale_fail, max_points=config.max_points)
    report = replace(report, warnings=[*report.warnings, *worksheet_report.problems])
    write_feedback_zip(out / FEEDBACK_FILE, [
        FeedbackFile(result.participant_id, result.name, feedback_html(result, report.assignment))
        for result in roster_results if result.graded
    ])
    write_bytes_atomic(out / RESULTS_FILE, results_json(report))
    write_bytes_atomic(out / PLOT_FILE, summary_plot(report))
    similarity_plot = similarity_png(similarity)
    write_bytes_atomic(out / SIMILARITY_PLOT_FILE, similarity_plot)
    write_bytes_atomic(out / SIMILARITY_FILE, similarity_html(similarity, similarity_plot).encode("utf-8"))
    write_bytes_atomic(out / SUMMARY_FILE, summary_markdown(report, PLOT_FILE)
                       + similarity_markdown(similarity, SIMILARITY_FILE, SIMILARITY_PLOT_FILE).encode("utf-8"))
    names = (WORKSHEET_FILE, FEEDBACK_FILE, RESULTS_FILE, SUMMARY_FILE, PLOT_FILE, SIMILARITY_FILE,
             SIMILARITY_PLOT_FILE)
    return WrittenOutputs([out / name for name in names], report)
