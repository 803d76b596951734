"""The pytest side of the checks: `--impl`, the `hw` fixture, short student messages.

A test module names its assignment (`ASSIGNMENT = "hw1"`) and takes the `hw` fixture: the
module under test, chosen by `--impl` (or the HW_IMPL environment variable): the student's
`assignments/` by default, `solutions/`, a folder, or a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checklib.assignments import find_assignment
from checklib.calls import describe_error
from checklib.loading import load_module, resolve_impl
from checklib.subject import ImportFailed, InProcessSubject, StudentCodeError


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--impl", default=None,
                     help="what to test: assignments (default), solutions, a folder or a file")


_loaded: dict[Path, object] = {}


def _load(path: Path) -> object:
    if path not in _loaded:
        try:
            _loaded[path] = load_module(path, path.stem)
        except BaseException as error:  # a student's file may raise anything at import
            _loaded[path] = ImportFailed("import", describe_error(error, str(path)))
    return _loaded[path]


@pytest.fixture
def hw(request: pytest.FixtureRequest) -> InProcessSubject:
    """The module under test for this test module's ASSIGNMENT."""
    assignment = find_assignment(request.module.ASSIGNMENT)
    path = resolve_impl(request.config.getoption("--impl"), assignment, request.config.rootpath)
    module = _load(path)
    if isinstance(module, ImportFailed):
        raise module
    return InProcessSubject(assignment.key, module)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and isinstance(call.excinfo.value, StudentCodeError):
        report.longrepr = call.excinfo.value.describe()
