"""The released kit, unpacked in an empty folder, works on its own: plain `pytest` in a fresh
environment, `make check` and the README's gradient-checker example (with the repo's packages:
nothing is installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checklib.assignments import find_assignment

from .helpers import SUBPROCESS_TIMEOUT, run_activated, run_python, use_reference

HW1 = find_assignment("hw1")


def _public_test_count(kit: Path) -> int:
    return (kit / "tests" / "public" / "test_hw1_public.py").read_text().count("\ndef test_")


def test_kit_public_tests_report_the_stubs_as_not_implemented(kit):
    result = run_python(kit, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{_public_test_count(kit)} failed" in result.stdout
    assert "not implemented yet" in result.stdout
    assert "Traceback" not in result.stdout


def test_kit_public_tests_pass_with_the_reference_module(kit):
    use_reference(kit)
    result = run_python(kit, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{_public_test_count(kit)} passed" in result.stdout


def test_plain_pytest_in_a_fresh_environment_says_which_stub_functions_are_not_implemented(kit, student_environment):
    result = run_activated(kit, student_environment, "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Error importing plugin" not in result.stdout + result.stderr
    assert f"{_public_test_count(kit)} failed" in result.stdout
    for function in HW1.functions:
        assert f"{function}: not implemented yet" in result.stdout, function
    # ...and once per function at the end: the stubs' one reason.
    assert re.search(rf" not implemented yet =+\nhw1: {', '.join(HW1.functions)}\n", result.stdout), result.stdout
    assert "Traceback" not in result.stdout


def test_plain_pytest_in_a_fresh_environment_passes_with_the_reference_module(kit, student_environment):
    use_reference(kit)
    result = run_activated(kit, student_environment, "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{_public_test_count(kit)} passed" in result.stdout
    some = run_activated(kit, student_environment, "pytest", "tests/public/test_hw1_public.py", "-k", "cost", "-q",
                         "-p", "no:cacheprovider")
    assert some.returncode == 0 and " passed, " in some.stdout and "deselected" in some.stdout, some.stdout


def test_students_help_shows_no_instructor_option(kit, student_environment):
    for command in (("pytest", "--help"), ("python", "-m", "checklib.check", "--help"),
                    ("python", "-m", "checklib.plot", "--help")):
        result = run_activated(kit, student_environment, *command)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "--impl" not in result.stdout and "solutions" not in result.stdout, command


def test_a_missing_package_is_named_with_how_to_install_it(kit, environment_without_torch):
    work = use_reference(kit)
    work.write_text(work.read_text().replace("import numpy as np\n", "import numpy as np\nimport torch\n", 1))
    result = run_activated(kit, environment_without_torch, "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 1
    assert "your file cannot be checked yet: the package torch is not installed" in result.stdout
    assert "could not be imported" not in result.stdout
    summary = run_activated(kit, environment_without_torch, "python", "-m", "checklib.check", "hw1")
    flat = " ".join(summary.stdout.split())
    assert "the package torch is not installed" in flat and "make setup" in flat, summary.stdout
    assert "Install it first" in flat and "Fix this first" not in flat


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_kit_make_check_uses_an_existing_environment_and_summarizes_the_stubs(kit):
    venv = Path(sys.executable).parent.parent  # the repo's .venv: make must not create or install anything
    result = subprocess.run(["make", "check", "HW=hw1", f"VENV={venv}"], cwd=kit, capture_output=True, text=True,
                            timeout=SUBPROCESS_TIMEOUT, stdin=subprocess.DEVNULL)
    assert "venv" not in result.stdout.split("hw1:")[0]  # no setup ran before the summary
    assert "hw1: Linear regression (assignments/hw1_linear_regression.py)" in result.stdout
    assert re.search(r"todo\s+cost\s+not implemented yet", result.stdout)
    assert "0 of 5 functions done." in result.stdout
    assert result.returncode != 0  # make reports that the checks do not all pass


def test_readme_gradient_checker_example_runs_in_the_kit(kit):
    readme = (kit / "README.md").read_text()
    example = re.search(r"## 4\. The gradient checker.*?```python\n(.*?)```", readme, re.S).group(1)
    (kit / "gradcheck_hw1.py").write_text(example)
    use_reference(kit)
    result = run_python(kit, "gradcheck_hw1.py")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"dw: OK: relative error \S+\ndb: OK: relative error \S+\n", result.stdout)


def test_readme_names_only_make_targets_and_modules_the_kit_has(kit):
    readme = (kit / "README.md").read_text()
    makefile = (kit / "Makefile").read_text()
    targets = set(re.findall(r"`make (\w+)", readme)) | set(re.findall(r"^make (\w+)", readme, re.M))
    assert targets == {"setup", "check", "test", "plot", "submit", "help"}
    assert all(re.search(rf"^{target}:", makefile, re.M) for target in targets)
    for module in set(re.findall(r"-m checklib\.(\w+)", readme)):
        assert (kit / "checklib" / f"{module}.py").is_file(), module
    assert "student-kit-all.zip" in readme  # the name of the zip `make release` writes
