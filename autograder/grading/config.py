"""An assignment's grading settings: its own [grading] table over grading.toml's [defaults].

grading.toml holds the course's defaults; each assignment may change them in the [grading]
table of its settings file, solutions/<module>.toml (autograder.authoring.settings).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from autograder.authoring.settings import settings_for
from autograder.paths import GRADING_DEFAULTS_FILE, SOLUTIONS_DIR
from checklib.assignments import read_toml


@dataclass(frozen=True)
class GradeConfig:
    max_points: float = 100
    scale_pass: str = "Pass"
    scale_fail: str = "Fail"
    optional_checks: tuple[str, ...] = ()
    call_timeout: float = 10
    submission_timeout: float = 120


def course_defaults(path: Path = GRADING_DEFAULTS_FILE) -> dict[str, Any]:
    """grading.toml's [defaults] ({} without the file); ValueError for any other table."""
    if not path.is_file():
        return {}
    table = read_toml(path)
    others = sorted(set(table) - {"defaults"})
    if others:
        raise ValueError(f"{path}: only [defaults] belongs here; move [{'], ['.join(others)}] to the [grading] "
                         "table of that assignment's settings file, solutions/<module>.toml")
    return table.get("defaults", {})


def grade_config(settings: dict[str, Any], where: str) -> GradeConfig:
    """The GradeConfig of merged settings; ValueError naming an unknown one."""
    known = {field.name for field in fields(GradeConfig)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ValueError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if "optional_checks" in settings:
        settings = {**settings, "optional_checks": tuple(settings["optional_checks"])}
    return GradeConfig(**settings)


def load_config(assignment_key: str, path: Path = GRADING_DEFAULTS_FILE,
                solutions_dir: Path = SOLUTIONS_DIR) -> GradeConfig:
    """The settings for one assignment: its [grading] over grading.toml's [defaults] over built-in defaults."""
    own = settings_for(assignment_key, solutions_dir)
    return grade_config({**course_defaults(path), **own.grading}, f"{path} [defaults] and {own.path} [grading]")
