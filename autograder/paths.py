"""Where everything is in the instructor's repository: every path the engine uses, defined once.

    from autograder.paths import REPO_ROOT, SOLUTIONS_DIR, shown

The student kit's own layout (assignments/, tests/public/, ...) is `checklib.paths`, shipped with
the kit; the repository is a kit plus the folders below, which never ship.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"  # the reference solutions (hidden)
STUBS_DIR = REPO_ROOT / "assignments"  # the student stubs, generated from SOLUTIONS_DIR
CORPUS_DIR = REPO_ROOT / "tests" / "corpus"  # correct/<hw>/ and buggy/<hw>/ implementations
DEMO_DIR = REPO_ROOT / "demo"  # <hw>/moodle-export.zip and <hw>/grading-worksheet.csv, generated
GRADING_DEFAULTS_FILE = REPO_ROOT / "grading.toml"  # the course's grading defaults
DIST_DIR = REPO_ROOT / "dist"  # the released student kits


def shown(path: Path) -> Path:
    """path relative to the repository when it is inside it, for messages."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
