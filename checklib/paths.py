"""Where the kit's files are: the folder holding checklib/, and each assignment's files in it.

The same layout in the student kit and in the instructor's repository (which has more:
autograder.paths):

    assignments/<module>.py              the student's file (a stub until they fill it)
    tests/public/test_<key>_public.py    the public checks
    tests/hidden/test_<key>_hidden.py    the hidden checks (instructor only)
    solutions/<module>.py                the reference solution (instructor only)

Standard library only: `checklib.environment` uses it before anything else may import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checklib.assignments import Assignment

KIT_ROOT = Path(__file__).resolve().parent.parent  # the kit's folder (or the repository)
VISIBILITIES = ("public", "hidden")


def check_file(root: Path, assignment_key: str, visibility: str) -> Path:
    """Where an assignment's public or hidden checks live below root (the repository or the kit)."""
    return root / "tests" / visibility / f"test_{assignment_key}_{visibility}.py"


def check_files(root: Path, assignment_key: str) -> dict[str, Path]:
    """visibility -> the file that holds (or would hold) the assignment's checks of that visibility."""
    return {visibility: check_file(root, assignment_key, visibility) for visibility in VISIBILITIES}


def reference_file(root: Path, assignment: Assignment) -> Path:
    """The reference solution (only in the instructor's repository)."""
    return root / "solutions" / assignment.filename
