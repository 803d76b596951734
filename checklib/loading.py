"""Finding and importing the implementation under test (the student's, or any file)."""

from __future__ import annotations

import importlib.util
import itertools
import os
from pathlib import Path
from types import ModuleType

from checklib.assignments import Assignment

IMPL_ENV = "HW_IMPL"
DEFAULT_IMPL = "assignments"
_counter = itertools.count()


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
