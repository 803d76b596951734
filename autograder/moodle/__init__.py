"""Moodle's file formats: read the submissions export and the grading worksheet, and write the
filled worksheet and the feedback zip (which of a student's files to grade: autograder.upload).
One module per job:

    export           read_export: "Download all submissions" zip/folder -> StudentSubmission list
    worksheet        read_worksheet / write_worksheet: the grading worksheet CSV
    feedback_zip     write_feedback_zip: "Upload multiple feedback files in a zip"
    atomic           write_bytes_atomic: every output is written through it
    safe_zip         reading untrusted zips into memory (shared by export and autograder.upload)
"""

from autograder.moodle.atomic import write_bytes_atomic
from autograder.moodle.export import MoodleExport, MoodleExportError, StudentSubmission, read_export
from autograder.moodle.feedback_zip import FeedbackFile, write_feedback_zip
from autograder.moodle.worksheet import (
    GradeRow,
    Worksheet,
    WorksheetError,
    WorksheetReport,
    read_worksheet,
    write_worksheet,
)

__all__ = [
    "FeedbackFile",
    "GradeRow",
    "MoodleExport",
    "MoodleExportError",
    "StudentSubmission",
    "Worksheet",
    "WorksheetError",
    "WorksheetReport",
    "read_export",
    "read_worksheet",
    "write_bytes_atomic",
    "write_feedback_zip",
    "write_worksheet",
]
