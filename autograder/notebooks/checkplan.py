"""Which checks go with which graded function, for the notebook generators.

Checks are named test_<function>_<what> (see checklib.checks.function_of_check); a
check whose name names no graded function is kept in a trailing "general" group rather
than dropped. A missing check file is not an error: the plan says so in its notes, and
the notebooks are generated with the checks that exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograder.paths import REPO_ROOT
from checklib.assignments import Assignment
from checklib.checks import Check, collect_checks, function_of_check
from checklib.paths import check_files

GENERAL = "general"  # the group of checks that name no graded function


@dataclass(frozen=True)
class CheckPlan:
    assignment: Assignment
    files: dict[str, Path]  # visibility -> its check file, for the files that exist
    by_group: dict[str, dict[str, tuple[Check, ...]]] = field(default_factory=dict)  # group -> visibility -> checks
    notes: tuple[str, ...] = ()

    def groups(self) -> list[str]:
        """The graded functions in order, then "general" when some check names none of them."""
        return list(self.assignment.functions) + ([GENERAL] if GENERAL in self.by_group else [])

    def checks(self, group: str, visibility: str) -> tuple[Check, ...]:
        return self.by_group.get(group, {}).get(visibility, ())

    def has_checks(self, group: str) -> bool:
        return any(self.by_group.get(group, {}).values())


def plan_checks(assignment: Assignment) -> CheckPlan:
    """The assignment's checks grouped by function and visibility."""
    files, notes = {}, []
    for visibility, path in check_files(REPO_ROOT, assignment.key).items():
        if path.is_file():
            files[visibility] = path
        else:
            notes.append(f"{assignment.key}: no {visibility} checks yet ({path.name} is missing)")
    grouped: dict[str, dict[str, list[Check]]] = {}
    for check in collect_checks(assignment, REPO_ROOT):
        group = function_of_check(check.name, assignment.functions) or GENERAL
        grouped.setdefault(group, {}).setdefault(check.visibility, []).append(check)
    if GENERAL in grouped:
        names = [check.name for checks in grouped[GENERAL].values() for check in checks]
        notes.append(f"{assignment.key}: {', '.join(names)} name no graded function; kept as '{GENERAL}' checks")
    by_group = {group: {visibility: tuple(checks) for visibility, checks in by_visibility.items()}
                for group, by_visibility in grouped.items()}
    return CheckPlan(assignment, files, by_group, tuple(notes))
