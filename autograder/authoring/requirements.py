"""`make validate HW=hw4`: every requirement an assignment must meet, each unmet one with its fix.

    unmet = unmet_requirements("hw4")      # [Unmet("...", "Fix: ..."), ...]; [] when ready

The requirements, checked in this order, all at once (an unmet one does not hide the next,
except that nothing can be checked without readable settings):

    settings    its settings file reads, its solution exists and has graded functions
    generated   its stub and the kit's settings are what `make assign` writes
    checks      public and hidden checks load, are named test_<function>_<what>, have a docstring,
                take the right fixtures, and cover every graded function (both kinds)
    reference   the reference passes every check; the untouched stub fails each as not implemented
    corpus      at least MIN_CORRECT correct and MIN_BUGGY buggy implementations, each buggy one
                saying its bug and the hidden checks that catch it (tests/kit/test_corpus.py runs them)
    demo        [demo] names two buggy files; demo/<hw>/ is what `make demo` writes
    notebooks   every docstring formula has LaTeX; the notebook exports are what `make notebooks` writes
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.demo import WITH_A_MISTAKE, assignment_demo_files
from autograder.authoring.generated import stale_files
from autograder.authoring.settings import AssignmentSettings, key_of, settings_for
from autograder.authoring.stubs import SolutionMarkerError
from autograder.paths import CORPUS_DIR, REPO_ROOT, SOLUTIONS_DIR, shown
from checklib.assignments import Assignment, SettingsError
from checklib.checks import Check, Status, collect_checks, function_of_check, load_reference, run_checks
from checklib.loading import load_module
from checklib.paths import VISIBILITIES, check_files
from checklib.subject import InProcessSubject

# Enough variety that a check testing something the docstrings do not say, or a bug the checks
# miss, shows up in tests/kit/test_corpus.py.
MIN_CORRECT, MIN_BUGGY = 4, 12
# The grader runs every check for every submission: keep the hidden sets small.
MAX_HIDDEN_CHECKS = 48


@dataclass(frozen=True)
class Unmet:
    what: str  # what is wrong, and where
    fix: str  # what to do about it

    def __str__(self) -> str:
        return f"{self.what}\n    Fix: {self.fix}"


@dataclass(frozen=True)
class Draft:
    """The assignment being validated: as the kit will see it (from its settings, not from the
    generated file, which may be stale) and its settings."""

    assignment: Assignment
    settings: AssignmentSettings


# --- each requirement ----------------------------------------------------------------------------


def generated(draft: Draft) -> list[Unmet]:
    module = draft.assignment.module
    try:
        stale = [path for path in stale_files(REPO_ROOT) if path.stem == module]
    except (SolutionMarkerError, SettingsError) as error:
        return [Unmet(str(error), "correct the solution markers or the settings")]
    return [Unmet(f"{path} is out of date with solutions/", "make assign") for path in stale]


def _load_checks(draft: Draft) -> tuple[list[Check], list[Unmet]]:
    try:
        return collect_checks(draft.assignment, REPO_ROOT), []
    except Exception as error:  # a check file that does not import, or @cases that do not fit
        return [], [Unmet(f"the checks of {draft.assignment.key} cannot be loaded: {type(error).__name__}: "
                          f"{error}", "correct the check file it names")]


def checks(draft: Draft) -> list[Unmet]:
    assignment, files = draft.assignment, check_files(REPO_ROOT, draft.assignment.key)
    unmet = [Unmet(f"{shown(path)} is missing", f"write the {visibility} checks there (make new writes an example)")
             for visibility, path in files.items() if not path.is_file()]
    found, problems = _load_checks(draft)
    unmet += problems
    names = [check.name for check in found]
    unmet += [Unmet(f"two checks are named {name}", "give each check a name of its own: results are reported by name")
              for name in sorted({name for name in names if names.count(name) > 1})]
    for check in found:
        where = f"{check.name} ({check.visibility})"
        if function_of_check(check.name, assignment.functions) is None:
            unmet.append(Unmet(f"{where} names no graded function",
                               f"name it test_<function>_<what>, <function> one of {', '.join(assignment.functions)}"))
        if check.description == check.name:
            unmet.append(Unmet(f"{where} has no docstring", "its first line tells the student what it verifies"))
        wanted = ("hw",) if check.visibility == "public" else ("hw", "ref")
        if check.fixtures != wanted:
            unmet.append(Unmet(f"{where} takes {list(check.fixtures)}",
                               f"a {check.visibility} check takes ({', '.join(wanted)})"))
    hidden = [check for check in found if check.visibility == "hidden"]
    if len(hidden) > MAX_HIDDEN_CHECKS:
        unmet.append(Unmet(f"{len(hidden)} hidden checks, more than {MAX_HIDDEN_CHECKS}",
                           "merge some: the grader runs every check for every submission"))
    for visibility, fixtures in zip(VISIBILITIES, ("hw", "hw, ref"), strict=True):
        covered = {function_of_check(check.name, assignment.functions) for check in found
                   if check.visibility == visibility}
        unmet += [Unmet(f"{function} has no {visibility} check",
                        f"add test_{function}_<what>({fixtures}) to {shown(files[visibility])}")
                  for function in assignment.functions if function not in covered]
    return unmet


def reference(draft: Draft) -> list[Unmet]:
    found, problems = _load_checks(draft)
    if problems or not found:
        return []  # said by `checks`
    assignment, unmet = draft.assignment, []
    ref = load_reference(assignment, REPO_ROOT)
    for folder, wanted in (("solutions", Status.PASSED), ("assignments", Status.NOT_IMPLEMENTED)):
        path = REPO_ROOT / folder / assignment.filename
        if not path.is_file():
            continue  # said by `settings` or `generated`
        module = load_module(path, f"{folder}_{assignment.key}")
        for result in run_checks(found, InProcessSubject(assignment.key, module), ref):
            if result.status != wanted:
                what = "the reference" if folder == "solutions" else "the untouched stub"
                unmet.append(Unmet(f"{what} gets {result.status} from {result.name}: {result.message}",
                                   "the check must pass on the reference" if folder == "solutions" else
                                   "a check must call the student's functions, which raise NotImplementedError"))
    return unmet


def _docstring_lines(path: Path) -> list[str]:
    try:
        return (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "").splitlines()
    except SyntaxError:
        return []


def corpus(draft: Draft) -> list[Unmet]:
    key, unmet = draft.assignment.key, []
    for kind, least, advice in (
            ("correct", MIN_CORRECT, "right implementations written other ways (Python loops, other formulas, "
                                     "other return types): each must pass every check"),
            ("buggy", MIN_BUGGY, "one classic mistake each, with 'Bug: ...' and 'Caught by: <hidden checks>.' in "
                                 "its docstring; each must also fail a public check")):
        folder = CORPUS_DIR / kind / key
        count = len(list(folder.glob("*.py")))
        if count < least:
            unmet.append(Unmet(f"{shown(folder)}/ has {count} implementation(s), fewer than {least}",
                               f"add {least - count} more: {advice}"))
    found, _ = _load_checks(draft)
    hidden = {check.name for check in found if check.visibility == "hidden"}
    for path in sorted((CORPUS_DIR / "buggy" / key).glob("*.py")):
        lines = _docstring_lines(path)
        caught = next((line.removeprefix("Caught by:").strip().rstrip(".") for line in lines
                       if line.startswith("Caught by:")), "")
        names = [name.strip() for name in caught.split(",") if name.strip()]
        if not lines or not lines[0].startswith("Bug: ") or not names:
            unmet.append(Unmet(f"{shown(path)} does not say its bug", "its docstring starts with 'Bug: <the "
                               "mistake>' and has a line 'Caught by: test_a, test_b.'"))
        unknown = [name for name in names if name not in hidden]
        if unknown and hidden:
            unmet.append(Unmet(f"{shown(path)} names {', '.join(unknown)}, not hidden checks of {key}",
                               "name the hidden checks this mistake fails"))
    return unmet


def demo(draft: Draft) -> list[Unmet]:
    mistakes, key = draft.settings.demo_mistakes, draft.assignment.key
    missing = [name for name in mistakes if not (CORPUS_DIR / "buggy" / key / f"{name}.py").is_file()]
    if len(mistakes) != len(WITH_A_MISTAKE) or missing:
        return [Unmet(f"{shown(draft.settings.path)} [demo] mistakes names {len(mistakes)} file(s)"
                      + (f", {', '.join(missing)} not in tests/corpus/buggy/{key}/" if missing else ""),
                      f"name {len(WITH_A_MISTAKE)} files of the buggy corpus (without .py): the demo class's "
                      "students with a mistake")]
    try:
        files = assignment_demo_files(draft.assignment)
    except (ValueError, OSError, IndexError) as error:
        return [Unmet(f"the demo class of {key} cannot be made: {error}",
                      f"it needs {MIN_CORRECT} correct implementations and files that import numpy as np")]
    stale = [path for path, content in files.items() if not path.is_file() or path.read_bytes() != content]
    return [Unmet(f"{shown(path)} is missing or out of date", "make demo") for path in stale]


def notebooks(draft: Draft) -> list[Unmet]:
    from autograder.notebooks.exports import nbgrader_exports, otter_exports, student_exports  # nbformat: slow

    key, unmet = draft.assignment.key, []
    try:
        exports = [student_exports([key]), otter_exports([key]), nbgrader_exports([key])]
    except (ValueError, SyntaxError) as error:
        return [Unmet(f"the notebooks of {key} cannot be made: {error}", "correct the solution or its settings")]
    for note in dict.fromkeys(note for export in exports for note in export.notes):
        if note.startswith(f"{key}: no LaTeX for formula"):
            unmet.append(Unmet(note.split(" (add it")[0], f"add it to [latex] in {shown(draft.settings.path)}"))
    unmet += [Unmet(f"{path} is missing or out of date", "make notebooks")
              for export in exports for path in export.stale(REPO_ROOT)]
    return unmet


REQUIREMENTS: tuple[Callable[[Draft], list[Unmet]], ...] = (generated, checks, reference, corpus, demo, notebooks)


def _draft(key: str) -> tuple[Draft | None, list[Unmet]]:
    same_key = [path.name for path in sorted(SOLUTIONS_DIR.glob("*.toml")) if key_of(path.stem) == key]
    if len(same_key) > 1:
        return None, [Unmet(f"{key} has {len(same_key)} settings files: {', '.join(same_key)}",
                            "keep one per assignment (the key is the module name's part before its first _)")]
    try:
        settings = settings_for(key)
    except (KeyError, SettingsError) as error:
        return None, [Unmet(str(error.args[0]), f"make new HW={key} TITLE=\"...\" writes one")]
    if not settings.solution.is_file():
        return None, [Unmet(f"{shown(settings.solution)} is missing",
                            "write the reference solution beside its settings")]
    if not settings.functions:
        return None, [Unmet(f"{shown(settings.solution)} has no graded function",
                            "put each graded function's body between ### BEGIN SOLUTION and ### END SOLUTION")]
    try:
        return Draft(settings.assignment(), settings), []
    except SettingsError as error:
        return None, [Unmet(str(error), "correct the [kit] table")]


def unmet_requirements(key: str) -> list[Unmet]:
    """Every unmet requirement of assignment key, in the order of REQUIREMENTS; [] when it is ready."""
    draft, unmet = _draft(key)
    if draft is None:
        return unmet
    for requirement in REQUIREMENTS:
        unmet += requirement(draft)
    return unmet
