"""The pytest side of the checks: `--impl`, the `hw` fixture, a test per case, short student messages.

A test module names its assignment (`ASSIGNMENT = "hw1"`) and takes the `hw` fixture: the
module under test, chosen by `--impl` (or the HW_IMPL environment variable): the student's
`assignments/` by default, `solutions/`, a folder, or a file. In the student kit, plain
`pytest` loads this plugin through the kit's conftest.py; in the instructor's repository,
through pyproject.toml's addopts.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from checklib.environment import missing_package_message, missing_packages

# Said before anything below fails to import: which package is missing, and how to install it.
if _missing := missing_packages(("numpy",)):
    raise pytest.UsageError(f"Cannot run the checks: {missing_package_message(_missing[0])}.")

from checklib.assignments import find_assignment  # noqa: E402
from checklib.checks import FIXTURES  # noqa: E402
from checklib.loading import ImportFailed, impl_help, import_student_file, resolve_impl  # noqa: E402
from checklib.subject import InProcessSubject, NotImplementedYet, StudentCodeError  # noqa: E402

# assignment -> the functions that are not implemented yet, in the order their checks ran
UNIMPLEMENTED = pytest.StashKey[dict[str, list[str]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--impl", default=None, help=impl_help("what to test"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A check function with cases (checklib.checks.cases) becomes one test per case, named by the case."""
    each = getattr(metafunc.function, "cases", None)
    if not each:
        return
    names = [name for name in inspect.signature(metafunc.function).parameters if name not in FIXTURES]
    values = [tuple(one.arguments[name] for name in names) for one in each]
    metafunc.parametrize(names, values, ids=[one.name for one in each])


_loaded: dict[Path, object] = {}


@pytest.fixture
def hw(request: pytest.FixtureRequest) -> InProcessSubject:
    """The module under test for this test module's ASSIGNMENT."""
    assignment = find_assignment(request.module.ASSIGNMENT, request.config.rootpath)
    path = resolve_impl(request.config.getoption("--impl"), assignment, request.config.rootpath)
    if path not in _loaded:
        _loaded[path] = import_student_file(path)
    module = _loaded[path]
    if isinstance(module, ImportFailed):
        raise module
    return InProcessSubject(assignment.key, module)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    error = call.excinfo.value if call.excinfo is not None else None
    if isinstance(error, StudentCodeError):
        report.longrepr = error.describe()
    if isinstance(error, NotImplementedYet):
        function = error.describe().removesuffix(": not implemented yet")
        found = item.config.stash.setdefault(UNIMPLEMENTED, {}).setdefault(getattr(item.module, "ASSIGNMENT", "?"), [])
        if function not in found:
            found.append(function)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Once per function: which ones are not implemented yet (each of their checks failed for that alone)."""
    found = config.stash.get(UNIMPLEMENTED, {})
    if found:
        terminalreporter.section("not implemented yet")
        for assignment, functions in found.items():
            terminalreporter.write_line(f"{assignment}: {', '.join(functions)}")
