"""`make assign`: the student stubs, generated from the reference solutions.

Each region between `### BEGIN SOLUTION` and `### END SOLUTION` (whole lines) becomes
`raise NotImplementedError("<function>: not implemented yet")` at the marker's
indentation; everything else (docstrings, TODO hints) is kept as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

BEGIN_MARKER = "### BEGIN SOLUTION"
END_MARKER = "### END SOLUTION"
_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)\s*\(")


class SolutionMarkerError(ValueError):
    """Solution markers that are unbalanced or nested."""


def _enclosing_function(lines: list[str], marker_indent: int) -> str:
    for line in reversed(lines):
        match = _DEF.match(line)
        if match and len(match.group(1)) < marker_indent:
            return match.group(2)
    return "this code"


def strip_solutions(source: str, filename: str = "<source>") -> str:
    """source with every solution region replaced by a NotImplementedError stub."""
    output: list[str] = []
    begin_line: int | None = None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        stripped = line.strip()
        if stripped == BEGIN_MARKER:
            if begin_line is not None:
                raise SolutionMarkerError(
                    f"{filename}:{number}: nested {BEGIN_MARKER} (line {begin_line} is still open)")
            begin_line = number
            indent = line[: len(line) - len(line.lstrip())]
            function = _enclosing_function(output, len(indent))
            output.append(f'{indent}raise NotImplementedError("{function}: not implemented yet")\n')
        elif stripped == END_MARKER:
            if begin_line is None:
                raise SolutionMarkerError(f"{filename}:{number}: {END_MARKER} without a {BEGIN_MARKER}")
            begin_line = None
        elif begin_line is None:
            output.append(line)
    if begin_line is not None:
        raise SolutionMarkerError(f"{filename}:{begin_line}: {BEGIN_MARKER} is never closed")
    return "".join(output)


def without_markers(source: str) -> str:
    """source with the solution marker lines removed: the reference as a student would write it."""
    return "".join(line for line in source.splitlines(keepends=True)
                   if line.strip() not in (BEGIN_MARKER, END_MARKER))


def solution_regions(source: str) -> list[str]:
    """The lines inside solution regions (for leak checks)."""
    lines, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped in (BEGIN_MARKER, END_MARKER):
            inside = stripped == BEGIN_MARKER
        elif inside:
            lines.append(line)
    return lines


def generated_stubs(solutions_dir: Path) -> dict[str, str]:
    """File name -> stub text, for every solution module."""
    return {path.name: strip_solutions(path.read_text(encoding="utf-8"), str(path))
            for path in sorted(solutions_dir.glob("*.py"))}
