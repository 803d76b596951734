"""Running the public checks in this process with pytest, and keeping each outcome as data.

    run = run_public_checks(Path("."), ["hw1"])
    run.outcomes["hw1"]     # [CheckOutcome(name="test_cost_small_example", status="failed", ...)]
    run.pytest_output       # what pytest printed (shown with --details, or when pytest itself failed)

Used by `make check` (checklib.check) and `make submit` (checklib.submit).
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checklib.checks import outcome_of
from checklib.hints import improve_message
from checklib.loading import ImportFailed, MissingPackage
from checklib.paths import check_file
from checklib.subject import NotImplementedYet

PLUGIN = "checklib.pytest_plugin"


@dataclass(frozen=True)
class CheckOutcome:
    """One public check's result, in words."""

    name: str  # the test function, e.g. "test_cost_small_example"
    description: str  # the first line of its docstring
    # "passed", "failed", "not_implemented", "error" (the student's code raised), "import_error" (the file
    # could not be imported), "missing_package" (this Python lacks a package of the kit the file imports)
    status: str
    message: str = ""
    # For "not_implemented": the function that still raises NotImplementedError.
    unimplemented: str | None = None


@dataclass
class PublicRun:
    outcomes: dict[str, list[CheckOutcome]] = field(default_factory=dict)  # assignment key -> outcomes
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


def _outcome(item: pytest.Item, report: pytest.TestReport, error: BaseException | None,
             assignment: str) -> CheckOutcome:
    doc = (getattr(getattr(item, "function", None), "__doc__", None) or item.name).strip().splitlines()[0]
    name = getattr(item, "originalname", item.name)
    if error is None:
        return CheckOutcome(name, doc, "passed" if report.passed else "failed")
    if isinstance(error, NotImplementedYet):
        return CheckOutcome(name, doc, "not_implemented", error.describe(), unimplemented=_raised_in(error))
    if isinstance(error, ImportFailed):
        status = "missing_package" if isinstance(error, MissingPackage) else "import_error"
        return CheckOutcome(name, doc, status, error.describe())
    if isinstance(error, AssertionError):  # pytest rewrote it: keep the check's own words
        return CheckOutcome(name, doc, "failed", improve_message(assignment, _assertion_message(error)))
    return CheckOutcome(name, doc, *outcome_of(error, hints_for=assignment))


class OutcomeCollector:
    """A pytest plugin object: keeps a CheckOutcome per test, by assignment."""

    def __init__(self) -> None:
        self.run = PublicRun()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        result = yield
        report = result.get_result()
        if report.when == "call" or (report.failed and report.when == "setup"):
            assignment = getattr(item.module, "ASSIGNMENT", "?")
            error = call.excinfo.value if call.excinfo is not None else None
            self.run.outcomes.setdefault(assignment, []).append(_outcome(item, report, error, assignment))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.run.problems.append(f"{report.nodeid or 'the public checks'} could not be loaded:\n"
                                     f"{report.longreprtext}")


def public_test_file(root: Path, key: str) -> Path:
    return check_file(root, key, "public")


def run_public_checks(root: Path, keys: list[str], impl: str | None = None, details: bool = False) -> PublicRun:
    """Run tests/public/test_<key>_public.py for each key; pytest's output is kept, or shown if details."""
    files = [str(public_test_file(root, key)) for key in keys]
    args = [*files, f"--rootdir={root}", "-p", PLUGIN, "-p", "no:cacheprovider",
            *([f"--impl={impl}"] if impl else []), *(["-v", "--tb=short"] if details else ["-q", "--tb=line"])]
    collector = OutcomeCollector()
    if details:
        exit_code = pytest.main(args, plugins=[collector])
        output = ""
    else:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            exit_code = pytest.main(args, plugins=[collector])
        output = buffer.getvalue()
    collector.run.exit_code = int(exit_code)
    collector.run.pytest_output = output
    return collector.run
