"""Per-assignment grading settings, read from grading.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from autograder.paths import GRADING_DEFAULTS_FILE

CONFIG_FILE = GRADING_DEFAULTS_FILE


@dataclass(frozen=True)
class GradeConfig:
    max_points: float = 100
    scale_pass: str = "Pass"
    scale_fail: str = "Fail"
    optional_checks: tuple[str, ...] = ()
    call_timeout: float = 10
    submission_timeout: float = 120


def load_config(assignment_key: str, path: Path = CONFIG_FILE) -> GradeConfig:
    """The settings for one assignment: its section over [defaults] over built-in defaults."""
    if not path.is_file():
        return GradeConfig()
    with path.open("rb") as file:
        table = tomllib.load(file)
    merged = {**table.get("defaults", {}), **table.get(assignment_key, {})}
    known = {field.name for field in fields(GradeConfig)}
    unknown = sorted(set(merged) - known)
    if unknown:
        raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if "optional_checks" in merged:
        merged["optional_checks"] = tuple(merged["optional_checks"])
    return GradeConfig(**merged)
