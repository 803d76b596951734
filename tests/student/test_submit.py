"""`make submit`: the pre-flight that stops a broken file, and the one file Moodle carries to the grader."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from autograder.cli import main as grade_main
from autograder.moodle import read_export
from autograder.upload.submission_file import choose_file
from checklib.assignments import find_assignment
from checklib.submit import FORBIDDEN_CALLS, FORBIDDEN_STDLIB, import_run_problems, preflight, submit

from .helpers import REPO, run_python, use_reference

HW1 = find_assignment("hw1")


def _reference_with(tmp_path, old: str, new: str):
    source = (REPO / "solutions" / HW1.filename).read_text()
    assert old in source
    path = tmp_path / HW1.filename
    path.write_text(source.replace(old, new, 1))
    return path


def _hard_errors(path) -> list[str]:
    return [problem.message for problem in preflight(path, HW1) if problem.hard]


def test_preflight_reports_a_syntax_error_with_its_line(tmp_path):
    path = _reference_with(tmp_path, "    return X @ w + b\n", "    return X @ w +\n")
    errors = _hard_errors(path)
    assert len(errors) == 1 and errors[0].startswith("syntax error at line ")
    assert "return X @ w +" in errors[0]


@pytest.mark.parametrize(("imports", "module"), [("import requests\n", "requests"),
                                                 ("import os\nos.system('ls')\n", "os"),
                                                 ("from subprocess import run\n", "subprocess")])
def test_preflight_refuses_modules_the_grader_does_not_allow(tmp_path, imports, module):
    path = _reference_with(tmp_path, "import numpy as np\n", f"import numpy as np\n{imports}")
    errors = _hard_errors(path)
    assert any(f"`{module}` may not be imported" in error for error in errors), errors


def test_preflight_allows_numpy_torch_math_and_harmless_standard_modules(tmp_path):
    path = _reference_with(tmp_path, "import numpy as np\n", "import math\nimport itertools\nimport numpy as np\n")
    assert preflight(path, HW1) == []


def test_preflight_refuses_functions_left_unimplemented(tmp_path):
    errors = _hard_errors(REPO / "assignments" / HW1.filename)
    assert errors == ["still not implemented: predict, cost, gradient, solve_exact, gradient_descent (the body only "
                      "raises NotImplementedError, or does nothing). Each assignment is pass/fail, so every function "
                      "counts"]


@pytest.mark.parametrize("body", ["    pass\n", "    return None\n", "    return\n"])
def test_preflight_refuses_a_function_that_does_nothing_like_an_unimplemented_one(tmp_path, body):
    solution = "    ### BEGIN SOLUTION\n    return X @ w + b\n"
    path = _reference_with(tmp_path, solution, f"    ### BEGIN SOLUTION\n{body}")
    assert _hard_errors(path) == ["still not implemented: predict (the body only raises NotImplementedError, or does "
                                  "nothing). Each assignment is pass/fail, so every function counts"]


def test_preflight_ignores_experiments_under_main(tmp_path):
    path = _reference_with(tmp_path, "import numpy as np\n", "import numpy as np\n")
    path.write_text(path.read_text() + '\n\nif __name__ == "__main__":\n    import os\n    import matplotlib\n'
                    '    print(open(os.devnull).read())\n')
    assert preflight(path, HW1) == []


def test_preflight_names_a_missing_package_of_the_kit_not_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr("checklib.submit.kit_packages", lambda: ("numpy", "kit_package_not_installed"))
    path = _reference_with(tmp_path, "import numpy as np\n", "import numpy as np\nimport kit_package_not_installed\n")
    (problem,) = import_run_problems(path)
    assert problem.hard and problem.message.startswith("cannot check your file yet: the package "
                                                       "kit_package_not_installed is not installed")
    assert "make setup" in problem.message


def test_kit_readme_lists_exactly_the_refused_modules_and_calls():
    readme = " ".join((REPO / "kit" / "README.md").read_text().split())
    rules = readme.split("This checks your file first:")[1].split("Then it runs the public checks.")[0]
    named = set(re.findall(r"`(\w+)`", rules))
    assert FORBIDDEN_STDLIB <= named and FORBIDDEN_CALLS <= named
    assert named - FORBIDDEN_STDLIB - FORBIDDEN_CALLS <= {"NotImplementedError", "pass"}, named
    assert 'if __name__ == "__main__":' in readme and "graded pass/fail" in readme


def test_preflight_refuses_a_renamed_graded_function(tmp_path):
    path = _reference_with(tmp_path, "def solve_exact(X, t):", "def solve(X, t):")
    assert _hard_errors(path)[0].startswith("your file has no function named solve_exact")


def test_preflight_refuses_a_file_that_does_not_import_in_time(tmp_path):
    path = tmp_path / "slow.py"
    path.write_text("import time\n\ntime.sleep(60)\n")
    problems = import_run_problems(path, timeout=0.5)
    assert problems[0].hard and problems[0].message.startswith("importing your file took more than 0.5 s")


def test_preflight_notes_a_file_that_prints_when_imported(tmp_path):
    path = _reference_with(tmp_path, "import numpy as np\n", "import numpy as np\n\nprint('experiments')\n")
    problems = preflight(path, HW1)
    assert [problem.hard for problem in problems] == [False]
    assert "prints when it is imported" in problems[0].message


def test_submit_of_an_unfinished_file_stops_and_removes_an_old_copy(kit, capsys):
    (kit / "submit").mkdir()
    (kit / "submit" / HW1.filename).write_text("old\n")
    assert submit("hw1", root=kit, run_checks=False) == 1
    out = capsys.readouterr().out
    assert "ERROR: still not implemented: predict" in out
    assert "Not ready to submit hw1" in out
    assert not (kit / "submit" / HW1.filename).exists()


def test_submit_is_not_ready_while_a_public_check_fails(kit):
    work = use_reference(kit)
    work.write_text(work.read_text().replace("/ (2 * X.shape[0])", "/ X.shape[0]", 1))
    (kit / "submit").mkdir()
    (kit / "submit" / HW1.filename).write_text("old\n")
    result = run_python(kit, "-m", "checklib.submit", "hw1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL  cost" in result.stdout and "Ready" not in result.stdout
    assert "Not ready to submit hw1: some public checks do not pass" in result.stdout
    assert not (kit / "submit" / HW1.filename).exists()


def test_submit_writes_the_file_a_moodle_export_carries_to_the_grader(kit):
    work = use_reference(kit)
    result = run_python(kit, "-m", "checklib.submit", "hw1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 of 5 functions done." in result.stdout
    assert "Ready: submit/hw1_linear_regression.py" in result.stdout
    assert "Upload this one file, hw1_linear_regression.py, to the Moodle assignment" in result.stdout
    uploaded = kit / "submit" / HW1.filename
    assert uploaded.read_bytes() == work.read_bytes()

    # What Moodle's "Download all submissions" gives the TA: one folder per student.
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(f"Ada Lovelace_4242_assignsubmission_file/{HW1.filename}", uploaded.read_bytes())
    export_path = kit / "course-hw1-7.zip"
    export_path.write_bytes(export.getvalue())
    (submission,) = read_export(export_path).submissions
    assert submission.participant_id == 4242
    choice = choose_file(submission.files, HW1.filename, list(HW1.functions))
    assert choice.source == uploaded.read_text()

    # ...and the grader passes it: the round trip `make submit` -> Moodle -> `make grade`.
    out = kit / "graded"
    assert grade_main(["grade", "--hw", "hw1", "--submissions", str(export_path), "--out", str(out),
                       "--no-progress", "--workers", "1"]) == 0
    (student,) = json.loads((out / "results.json").read_text(encoding="utf-8"))["students"]
    assert (student["participant_id"], student["outcome"]) == (4242, "passed")
