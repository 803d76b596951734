"""Helpers for the student-kit tests: copying the instructor tree, unpacking a kit, running
Python inside it with this test run's interpreter (the repo's .venv: nothing is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The folders a release is built from; a copy of them is a complete source tree.
SOURCE_FOLDERS = ("solutions", "assignments", "checklib", "kit", "tests/public", "tests/hidden")
SUBPROCESS_TIMEOUT = 300


def copy_source_tree(destination: Path) -> Path:
    """A copy of the folders a release needs, so that a test can change them freely."""
    for folder in SOURCE_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, destination / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return destination


def unpack(zip_path: Path, destination: Path) -> Path:
    """Unpack a kit; returns its top folder (student-kit-<label>)."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(destination)
        return destination / archive.namelist()[0].split("/")[0]


def run_python(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """python *args in folder, with this test run's Python (the repo's .venv): nothing is installed."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "HW_IMPL")}
    return subprocess.run([sys.executable, *args], cwd=folder, capture_output=True, text=True, env=env,
                          timeout=SUBPROCESS_TIMEOUT, stdin=subprocess.DEVNULL)


def use_reference(kit: Path, filename: str = "hw1_linear_regression.py") -> Path:
    """Put the reference module in the kit's assignments/, as a student who finished would."""
    target = kit / "assignments" / filename
    shutil.copyfile(REPO / "solutions" / filename, target)
    return target
