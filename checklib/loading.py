"""Finding and importing the implementation under test (the student's, or any file), and saying
in words why a student's file could not be imported."""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
from pathlib import Path
from types import ModuleType

from checklib.assignments import Assignment
from checklib.calls import ErrorInfo, describe_error
from checklib.environment import missing_kit_package, missing_package_message
from checklib.subject import ImportFailed

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


class MissingPackage(ImportFailed):
    """The student's file imports a package of the kit that this Python does not have."""

    def __init__(self, package: str, error: ErrorInfo):
        self.package = package
        super().__init__("import", error)

    def describe(self) -> str:
        return f"your file cannot be checked yet: {missing_package_message(self.package)}"


def import_student_file(path: Path) -> ModuleType | ImportFailed:
    """The student's file imported as a new module, or why it could not be (a missing package of
    the kit is the environment's problem, not the file's)."""
    try:
        return load_module(path, path.stem)
    except BaseException as error:  # a student's file may raise anything at import
        info = describe_error(error, str(path))
        package = missing_kit_package(error)
        return MissingPackage(package, info) if package else ImportFailed("import", info)
