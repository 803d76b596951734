"""Every file `make assign` writes into assignments/, generated from solutions/ (never edited by hand).

    files = assignment_files(REPO_ROOT)   # {Path("assignments/hw1_linear_regression.py"): "...", ...}
    stale_files(REPO_ROOT)                # what differs on disk, or is left over: ["assignments/..."]

Per assignment (one per settings file, solutions/<module>.toml): the stub <module>.py (the
solution with each solution region replaced, autograder.authoring.stubs) and the kit's settings
<module>.toml (the [kit] table, autograder.authoring.settings). Raises SolutionMarkerError or
SettingsError for a solution or settings file that cannot be read.
"""

from __future__ import annotations

from pathlib import Path

from autograder.authoring.settings import kit_settings_text, master_settings
from autograder.authoring.stubs import strip_solutions
from autograder.paths import REPO_ROOT

ASSIGNMENTS = Path("assignments")


def assignment_files(root: Path = REPO_ROOT) -> dict[Path, str]:
    """Path (relative to root) -> text, for each assignment's stub and kit settings."""
    files = {}
    for settings in master_settings(root / "solutions").values():
        if settings.solution.is_file():
            source = settings.solution.read_text(encoding="utf-8")
            files[ASSIGNMENTS / f"{settings.module}.py"] = strip_solutions(source, str(settings.solution))
        files[ASSIGNMENTS / f"{settings.module}.toml"] = kit_settings_text(settings)
    return files


def stale_files(root: Path = REPO_ROOT) -> list[Path]:
    """Generated files that differ from (or lack) what would be generated, and kit settings that
    no assignment generates any more (the kit would still find that assignment)."""
    files = assignment_files(root)
    stale = [path for path, text in files.items()
             if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]
    left_over = [path.relative_to(root) for path in sorted((root / ASSIGNMENTS).glob("*.toml"))
                 if path.relative_to(root) not in files]
    return stale + left_over


def write_assignment_files(root: Path = REPO_ROOT) -> list[Path]:
    """Write every generated file under root; returns their relative paths."""
    files = assignment_files(root)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return list(files)
