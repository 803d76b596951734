"""The kit's assignments, found from the files: each `assignments/<module>.toml` is one.

    find_assignment("hw1")            # Assignment(key="hw1", module="hw1_linear_regression", ...)
    all_assignments()                 # {"hw1": ..., "hw2": ..., ...}, in their natural order

`make assign` writes that file beside the stub, from the [kit] table of the instructor's
settings (solutions/<module>.toml): what the kit needs to know about an assignment, and
nothing hidden. In the student kit and in the instructor's repository alike, an assignment is
there when its file is; no list names them.

    key = "hw1"                          # what students type: make check HW=hw1
    module = "hw1_linear_regression"     # the file they fill in and upload: <module>.py
    title = "Linear regression"
    functions = ["predict", "cost", ...] # the graded functions, in order
    overflow_hint = "..."                # optional: advice for a nan or inf that a check did not explain
    [plot]                               # optional: how `make plot` trains it (checklib.plot_setup)
"""

from __future__ import annotations

import argparse
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checklib.paths import KIT_ROOT, settings_files
from checklib.plot_setup import PlotSetup

REQUIRED = {"key": str, "module": str, "title": str, "functions": list}
OPTIONAL = {"overflow_hint": str, "plot": dict}


class SettingsError(ValueError):
    """An assignment's settings file cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Assignment:
    key: str  # "hw1"
    module: str  # "hw1_linear_regression"
    title: str
    functions: tuple[str, ...]
    overflow_hint: str = ""  # the advice for a nan or inf in a check's message that says nothing more
    plot: PlotSetup | None = None

    @property
    def filename(self) -> str:
        return f"{self.module}.py"


def assignment_from_table(table: dict[str, Any], where: str) -> Assignment:
    """The Assignment a settings table describes; SettingsError for a missing, unknown or wrong entry."""
    problems = [f"{key} is missing" for key in REQUIRED if key not in table]
    problems += [f"unknown setting {key!r} (known: {', '.join([*REQUIRED, *OPTIONAL])})"
                 for key in table if key not in REQUIRED and key not in OPTIONAL]
    problems += [f"{key} must be a {kind.__name__}" for key, kind in {**REQUIRED, **OPTIONAL}.items()
                 if key in table and not isinstance(table[key], kind)]
    if problems:
        raise SettingsError(f"{where}: {'; '.join(problems)}")
    try:
        plot = PlotSetup.from_table(table["plot"]) if "plot" in table else None
    except ValueError as error:
        raise SettingsError(f"{where}: {error}") from None
    return Assignment(table["key"], table["module"], table["title"], tuple(table["functions"]),
                      table.get("overflow_hint", ""), plot)


def read_toml(path: Path) -> dict[str, Any]:
    """A settings file's tables; SettingsError when it is not valid TOML."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from None


def read_assignment(path: Path) -> Assignment:
    return assignment_from_table(read_toml(path), str(path))


def natural_key(key: str) -> list[Any]:
    """Sort key that puts hw2 before hw10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


_cache: dict[Path, tuple[tuple, dict[str, Assignment]]] = {}


def all_assignments(root: Path = KIT_ROOT) -> dict[str, Assignment]:
    """key -> Assignment, for every settings file under root/assignments/, in natural order of keys."""
    files = settings_files(root)
    signature = tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    cached = _cache.get(root)
    if cached is None or cached[0] != signature:
        found = [read_assignment(path) for path in files]
        cached = (signature, {a.key: a for a in sorted(found, key=lambda a: natural_key(a.key))})
        _cache[root] = cached
    return cached[1]


def find_assignment(name: str, root: Path = KIT_ROOT) -> Assignment:
    """The assignment called name: its key ("hw1"), module name or file name."""
    stem = name.removesuffix(".py")
    assignments = all_assignments(root)
    for assignment in assignments.values():
        if stem in (assignment.key, assignment.module):
            return assignment
    known = ", ".join(assignments) or "none"
    raise KeyError(f"unknown assignment {name!r}; the kit has {known}")


def say_which(command: str, root: Path = KIT_ROOT) -> str:
    """What to tell a student who ran `make <command>` without saying which homework."""
    keys = list(all_assignments(root))
    example = keys[0] if keys else "<homework>"
    return f"Say which homework, for example: make {command} HW={example} (this kit has {', '.join(keys) or 'none'})"


def listed_keys(root: Path = KIT_ROOT) -> str:
    """The assignments' keys for a help text ("hw1, hw2, hw3"), or why they cannot be read."""
    try:
        return ", ".join(all_assignments(root)) or "none yet"
    except SettingsError as error:
        return f"(unreadable: {error})"


def assignment_key(root: Path = KIT_ROOT) -> Callable[[str], str]:
    """An argparse type: the key of an assignment found under root (its module name works too)."""
    def key(name: str) -> str:
        try:
            return find_assignment(name, root).key
        except (KeyError, SettingsError) as error:
            raise argparse.ArgumentTypeError(str(error.args[0])) from None
    key.__name__ = "assignment"
    return key
