"""Running the public checks in this process with pytest, and keeping each ending as a CheckResult.

    run = run_public_checks(Path("."), ["hw1"])
    run.results["hw1"]      # [CheckResult(name="test_cost_small_example", status=Status.FAILED, ...)]
    run.pytest_output       # what pytest printed (shown with --details, or when pytest itself failed)

Used by `make check` (checklib.check) and `make submit` (checklib.submit).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from unittest import mock

import pytest

from checklib.assignments import Assignment, all_assignments
from checklib.checks import CheckResult, Status, description, outcome_of
from checklib.hints import improve_message
from checklib.loading import ImportFailed, MissingPackage
from checklib.paths import check_file
from checklib.subject import NotImplementedYet

PLUGIN = "checklib.pytest_plugin"
NO_AUTOLOAD = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


@dataclass
class PytestRun:
    results: dict[str, list[CheckResult]] = field(default_factory=dict)  # assignment key -> results, in order
    problems: list[str] = field(default_factory=list)  # checks that could not even be loaded
    pytest_output: str = ""
    exit_code: int = 0


def _assertion_message(error: AssertionError) -> str:
    """The check's own message, without pytest's "assert ..." explanation."""
    text = str(error).strip()
    kept = []
    for line in text.splitlines():
        if line.startswith("assert ") and kept:
            break
        kept.append(line)
    return " ".join(kept).strip() or "the check failed"


def _raised_in(error: NotImplementedYet) -> str:
    """The function whose stub raised: the innermost frame of the student's file, else the one called."""
    frames = re.findall(r"in (\w+): ", error.error.where)
    return frames[-1] if frames else error.function


def _name_and_description(item: pytest.Item) -> tuple[str, str]:
    """The check's name and description, as the grader names it (a case of a parametrized check: its own)."""
    function = getattr(item, "function", None)
    name = getattr(item, "originalname", item.name)
    if function is None:
        return name, item.name
    callspec = getattr(item, "callspec", None)
    for one in getattr(function, "cases", ()) if callspec is not None else ():
        if one.name == callspec.id:
            return f"{name}_{one.name}", one.description
    return name, description(function)


def _result(item: pytest.Item, report: pytest.TestReport, error: BaseException | None,
            assignment: Assignment | None) -> CheckResult:
    name, what = _name_and_description(item)
    public = partial(CheckResult, name, "public", what, duration=report.duration)
    if error is None:
        return public(Status.PASSED if report.passed else Status.FAILED)
    if isinstance(error, NotImplementedYet):
        return public(Status.NOT_IMPLEMENTED, error.describe(), unimplemented=_raised_in(error))
    if isinstance(error, ImportFailed):
        return public(Status.MISSING_PACKAGE if isinstance(error, MissingPackage) else Status.IMPORT_ERROR,
                      error.describe())
    if isinstance(error, AssertionError):  # pytest rewrote it: keep the check's own words
        overflow_hint = assignment.overflow_hint if assignment is not None else ""
        return public(Status.FAILED, improve_message(overflow_hint, _assertion_message(error)))
    return public(*outcome_of(error, hints_for=assignment))


class ResultCollector:
    """A pytest plugin object: keeps a CheckResult per test, by assignment."""

    def __init__(self) -> None:
        self.run = PytestRun()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        result = yield
        report = result.get_result()
        if report.when == "call" or (report.failed and report.when == "setup"):
            key = getattr(item.module, "ASSIGNMENT", "?")
            error = call.excinfo.value if call.excinfo is not None else None
            assignment = all_assignments(item.config.rootpath).get(key)
            self.run.results.setdefault(key, []).append(_result(item, report, error, assignment))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.run.problems.append(f"{report.nodeid or 'the public checks'} could not be loaded:\n"
                                     f"{report.longreprtext}")


def run_public_checks(root: Path, keys: list[str], impl: str | None = None, details: bool = False) -> PytestRun:
    """Run tests/public/test_<key>_public.py for each key; pytest's output is kept, or shown if details.

    Only the checks' own plugin is loaded: the plugins other packages install (a student's
    environment may hold many, Jupyter's among them) would only slow `make check` down.
    """
    files = [str(check_file(root, key, "public")) for key in keys]
    args = [*files, f"--rootdir={root}", "-p", PLUGIN, "-p", "no:cacheprovider",
            *([f"--impl={impl}"] if impl else []), *(["-v", "--tb=short"] if details else ["-q", "--tb=line"])]
    collector = ResultCollector()
    with mock.patch.dict(os.environ, {NO_AUTOLOAD: "1"}):  # unlike the flag, known to every pytest version
        exit_code, output = _run_pytest(args, collector, details)
    collector.run.exit_code = int(exit_code)
    collector.run.pytest_output = output
    return collector.run


def _run_pytest(args: list[str], collector: ResultCollector, details: bool) -> tuple[int, str]:
    if details:
        exit_code = pytest.main(args, plugins=[collector])
        output = ""
    else:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            exit_code = pytest.main(args, plugins=[collector])
        output = buffer.getvalue()
    return exit_code, output
