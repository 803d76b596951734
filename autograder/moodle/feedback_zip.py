"""Write the zip for Moodle's "Upload multiple feedback files in a zip": one HTML page per student.

    write_feedback_zip(out / "feedback.zip", [FeedbackFile(12345, "Dana Levi", "<html>...</html>")])

Each student gets `<name>_<id>_assignfeedback_file/feedback.html`. Moodle's importer splits every
path part on "_" (at most 5 pieces) and wants the id as the 2nd piece and "assignfeedback",
"file" as the 3rd and 4th, so the name is cleaned of "_", "/" and the characters Moodle's own
file names never hold. Python's zipfile sets the UTF-8 flag on every non-ASCII name (ASCII names
need none). The bytes depend only on the input (fixed 1980-01-01 timestamps, entries
sorted by participant id, fixed modes and compression), so a rerun gives an identical file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.moodle.atomic import write_bytes_atomic

FEEDBACK_FILE_NAME = "feedback.html"
FALLBACK_NAME = "Participant"
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can store: no clock in outputs
FILE_MODE = 0o100644  # regular file, rw-r--r--
UNIX_SYSTEM = 3

# Lone surrogates too: a name read from a folder of the export may hold them (undecodable
# bytes), and no encoding can write them.
_NOT_IN_NAMES = re.compile(r'[_/\\:*?"<>|\x00-\x1f\x7f\ud800-\udfff]')


@dataclass(frozen=True)
class FeedbackFile:
    """One student's feedback page. name: the name part of the export entry (or any name)."""

    participant_id: int
    name: str
    html: str


def clean_name(name: str) -> str:
    """The name part Moodle's importer parses: no _ / \\ : * ? " < > |, control characters or lone
    surrogates, no leading '.' or '~' (the importer skips hidden files), never empty."""
    cleaned = " ".join(_NOT_IN_NAMES.sub(" ", name).split()).lstrip(".~ ")
    return cleaned or FALLBACK_NAME


def feedback_entry_path(feedback: FeedbackFile) -> str:
    """`<clean name>_<id>_assignfeedback_file/feedback.html`."""
    return f"{clean_name(feedback.name)}_{feedback.participant_id}_assignfeedback_file/{FEEDBACK_FILE_NAME}"


def feedback_zip_bytes(feedback: Sequence[FeedbackFile]) -> bytes:
    """The zip's bytes (deterministic for the same input). Raises ValueError on a repeated id."""
    ids = [item.participant_id for item in feedback]
    repeated = sorted({number for number in ids if ids.count(number) > 1})
    if repeated:
        raise ValueError(f"Participants {repeated} have more than one feedback file; pass one per participant.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(feedback, key=lambda item: item.participant_id):
            info = zipfile.ZipInfo(feedback_entry_path(item), date_time=FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = UNIX_SYSTEM
            info.external_attr = FILE_MODE << 16
            archive.writestr(info, item.html.encode("utf-8", errors="replace"))  # a lone surrogate: "?"
    return buffer.getvalue()


def write_feedback_zip(path: Path, feedback: Sequence[FeedbackFile]) -> None:
    """Write the feedback zip atomically."""
    write_bytes_atomic(Path(path), feedback_zip_bytes(feedback))
