"""Moodle's file formats: read the submissions export and the grading worksheet, choose the file
to grade, and write the filled worksheet and the feedback zip. One module per job:

    export           read_export: "Download all submissions" zip/folder -> StudentSubmission list
    submission_file  choose_file: which of a student's files to grade, with a reason
    worksheet        read_worksheet / write_worksheet: the grading worksheet CSV
    feedback_zip     write_feedback_zip: "Upload multiple feedback files in a zip"
    atomic           write_bytes_atomic: every output is written through it
    safe_zip         reading untrusted zips into memory (shared by export and submission_file)
"""

from autograder.moodle.atomic import write_bytes_atomic
from autograder.moodle.export import MoodleExport, MoodleExportError, StudentSubmission, read_export
from autograder.moodle.feedback_zip import FeedbackFile, write_feedback_zip
from autograder.moodle.submission_file import FileChoice, choose_file
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
    "FileChoice",
    "GradeRow",
    "MoodleExport",
    "MoodleExportError",
    "StudentSubmission",
    "Worksheet",
    "WorksheetError",
    "WorksheetReport",
    "choose_file",
    "read_export",
    "read_worksheet",
    "write_bytes_atomic",
    "write_feedback_zip",
    "write_worksheet",
]
