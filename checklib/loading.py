"""Finding and importing the implementation under test (the student's, or any file)."""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
from pathlib import Path
from types import ModuleType

from checklib.assignments import Assignment

IMPL_ENV = "HW_IMPL"
DEFAULT_IMPL = "assignments"
_counter = itertools.count()
# The instructor's tree has the reference solutions next to checklib/; the student kit does not.
INSTRUCTOR_SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def impl_help(what: str) -> str:
    """The help of an --impl option ("what to check"): testing another file than the student's
    (the solutions, above all) is for the instructor, so students' --help does not show it."""
    if not INSTRUCTOR_SOLUTIONS.is_dir():
        return argparse.SUPPRESS
    return f"{what}: assignments (default), solutions, a folder or a file"


def resolve_impl(impl: str | None, assignment: Assignment, root: Path) -> Path:
    """The file to test for assignment.

    impl is "assignments" (the student's stubs, the default), "solutions", a folder that
    holds the assignment's file, or a file; relative paths are taken from root.
    """
    impl = impl or os.environ.get(IMPL_ENV) or DEFAULT_IMPL
    path = Path(impl) if Path(impl).is_absolute() else root / impl
    if path.is_dir():
        path = path / assignment.filename
    if not path.is_file():
        raise FileNotFoundError(f"no file to test for {assignment.key}: {path} does not exist")
    return path


def load_module(path: Path, name: str) -> ModuleType:
    """Import the file at path as a new module (never cached, so each call re-reads it)."""
    spec = importlib.util.spec_from_file_location(f"{name}_{next(_counter)}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
