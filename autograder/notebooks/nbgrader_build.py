"""Running the real nbgrader on a copy of the course folder: release, then autograde.

The committed course folder notebooks/nbgrader/ holds only what is generated (config and
source notebooks). nbgrader writes a gradebook database and release/, submitted/ and
autograded/ folders next to them, so the commands run in a copy (build/nbgrader/ for
`make nbgrader`, a temporary folder in the tests):

    course = copy_course(NBGRADER_DIR, Path("build/nbgrader"))
    release = generate_assignment(course, "hw1")          # build/nbgrader/release/hw1/hw1.ipynb
    autograde(course, "hw1", {"alice": notebook_path})    # copies it to submitted/alice/hw1/
    scores(course, "hw1")                                  # {"alice": {"cost-checks": 1.0, ...}}
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

GENERATED = ("nbgrader_config.py", "source")


class NbgraderError(RuntimeError):
    """nbgrader failed; the message holds what it printed."""


def copy_course(course_dir: Path, target: Path) -> Path:
    """A fresh copy of the course folder's generated files at target."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in GENERATED:
        source = course_dir / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def _nbgrader(course: Path, *arguments: str, timeout: float | None = None) -> str:
    # nbgrader runs `alembic` (installed beside it) by name: put this Python's scripts first on PATH.
    scripts = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")}
    # Its own session, so that a timeout ends nbgrader and the Jupyter kernels it started, and nothing else.
    process = subprocess.Popen([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        raise NbgraderError(f"nbgrader {arguments[0]} did not finish within {timeout:.0f} s:\n"
                            f"{stdout}\n{stderr}") from None
    if process.returncode != 0:
        raise NbgraderError(f"nbgrader {arguments[0]} failed (exit {process.returncode}):\n"
                            f"{stdout}\n{stderr}")
    return stdout + stderr


def generate_assignment(course: Path, key: str, timeout: float | None = None) -> Path:
    """`nbgrader generate_assignment key`: the student release notebook it writes."""
    _nbgrader(course, "generate_assignment", key, "--force", timeout=timeout)
    return course / "release" / key / f"{key}.ipynb"


def autograde(course: Path, key: str, submissions: dict[str, Path], timeout: float | None = None) -> None:
    """Put each student's notebook in submitted/ and run `nbgrader autograde key` (timeout: in seconds)."""
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / key
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, folder / f"{key}.ipynb")
    _nbgrader(course, "autograde", key, "--create", "--force", timeout=timeout)


def scores(course: Path, key: str) -> dict[str, dict[str, float]]:
    """student -> graded cell (grade_id) -> score, from the course's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {submission.student.id: {grade.name: float(grade.score)
                                         for notebook in submission.notebooks for grade in notebook.grades}
                for submission in gradebook.find_assignment(key).submissions}
