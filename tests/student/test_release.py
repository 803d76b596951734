"""`make release`: what the student kit holds, and the checks that refuse to build a leaky one."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.authoring.stubs import solution_regions
from autograder.cli import main as autograder_main
from autograder.release import ReleaseError, build_release

from .helpers import REPO

KIT_TEMPLATES = ("README.md", "Makefile", "requirements.txt", "pytest.ini")


def _names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


def _contents(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def _region_line(filename: str = "hw1_linear_regression.py") -> str:
    """A real line of a solution region: the kind of line that must never reach students."""
    return next(line for line in solution_regions((REPO / "solutions" / filename).read_text())
                if len(line.strip()) > 20)


def test_release_all_has_stubs_public_tests_checklib_and_templates(tmp_path):
    release = build_release(REPO, None, tmp_path, verify=False)
    names = set(_names(release.path))
    assert release.path.name == "student-kit-all.zip"
    top = "student-kit-all/"
    assert {top + name for name in KIT_TEMPLATES} <= names
    for stub in sorted((REPO / "assignments").glob("*.py")):
        assert top + f"assignments/{stub.name}" in names
    for public in sorted((REPO / "tests" / "public").glob("test_*.py")):
        assert top + f"tests/public/{public.name}" in names
    for helper in ("__init__.py", "gradcheck.py", "check.py", "submit.py", "plot.py", "pytest_plugin.py"):
        assert top + f"checklib/{helper}" in names


def test_release_has_nothing_from_solutions_or_hidden_tests(tmp_path):
    release = build_release(REPO, None, tmp_path, verify=False)
    names = _names(release.path)
    assert not [name for name in names if "/solutions/" in name or "/hidden/" in name]
    text = _contents(release.path)
    for solution in sorted((REPO / "solutions").glob("*.py")):
        assert _region_line(solution.name).strip() not in text
    for hidden in sorted((REPO / "tests" / "hidden").glob("test_*.py")):
        test_names = [line.strip() for line in hidden.read_text().splitlines() if line.startswith("def test_")]
        assert test_names, f"{hidden.name} has no tests to look for"
        assert not [name for name in test_names if name in text]


def test_release_of_one_assignment_holds_only_its_files(tmp_path):
    release = build_release(REPO, ["hw2"], tmp_path, verify=False)
    names = _names(release.path)
    assert release.path.name == "student-kit-hw2.zip"
    assert [n for n in names if "/assignments/" in n] == ["student-kit-hw2/assignments/hw2_logistic_regression.py",
                                                         "student-kit-hw2/assignments/hw2_logistic_regression.toml"]
    assert not [n for n in names if "/tests/" in n and "hw2" not in n]


def test_release_zip_is_deterministic(tmp_path):
    first = build_release(REPO, ["hw1"], tmp_path / "a", verify=False).path.read_bytes()
    second = build_release(REPO, ["hw1"], tmp_path / "b", verify=False).path
    assert first == second.read_bytes()
    with zipfile.ZipFile(second) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(2024, 1, 1, 0, 0, 0)}


def test_leak_check_fails_the_build_when_a_solution_line_is_planted_in_a_stub(source_tree, tmp_path, capsys):
    stub = source_tree / "assignments" / "hw1_linear_regression.py"
    lines = stub.read_text().splitlines()
    planted_at = lines.index('    raise NotImplementedError("predict: not implemented yet")') + 1
    lines.insert(planted_at, _region_line())
    stub.write_text("\n".join(lines) + "\n")

    status = autograder_main(["release", "--root", str(source_tree), "--out", str(tmp_path / "dist"), "--no-verify"])

    err = capsys.readouterr().err
    assert status == 1
    assert f"assignments/hw1_linear_regression.py, line {planted_at + 1}: solution code" in err
    assert _region_line().strip() in err
    assert not (tmp_path / "dist" / "student-kit-all.zip").exists()


def test_leak_check_fails_the_build_when_hidden_test_lines_reach_the_kit(source_tree, tmp_path):
    hidden = (source_tree / "tests" / "hidden" / "test_hw1_hidden.py").read_text().splitlines()
    test_line = next(line for line in hidden if line.startswith("def test_"))
    with (source_tree / "checklib" / "data.py").open("a") as data:
        data.write(f"\n\n{test_line}\n    pass\n")
    with pytest.raises(ReleaseError) as refused:
        build_release(source_tree, ["hw1"], tmp_path, verify=False)
    assert any("checklib/data.py" in problem and "hidden test line from tests/hidden/test_hw1_hidden.py" in problem
               for problem in refused.value.problems)


def _append(path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_a_hidden_check_line_the_kit_library_has_is_no_leak(source_tree, tmp_path):
    """An ordinary line a hidden check shares with checklib (here checklib/data.py's) is no secret."""
    _append(source_tree / "tests" / "hidden" / "test_hw1_hidden.py",
            "\n\ndef fresh_rng(seed):\n    rng = np.random.default_rng(seed)\n    return rng\n")
    assert build_release(source_tree, ["hw1"], tmp_path, verify=False).path.is_file()


def test_a_hidden_check_line_a_stub_docstring_states_is_no_leak(source_tree, tmp_path):
    """A formula the docstring states on purpose, written in a hidden check too, is no secret."""
    stub = (source_tree / "assignments" / "hw1_linear_regression.py").read_text()
    formula = next(line.strip() for line in stub.splitlines() if line.strip().startswith("dJ/dw = X^T"))
    _append(source_tree / "tests" / "hidden" / "test_hw1_hidden.py", f'\nGRADIENT = """\n    {formula}\n"""\n')
    assert build_release(source_tree, ["hw1"], tmp_path, verify=False).path.is_file()


def test_a_solution_line_in_a_public_check_is_still_a_leak(source_tree, tmp_path):
    public = source_tree / "tests" / "public" / "test_hw1_public.py"
    line_number = len(public.read_text().splitlines()) + 4
    _append(public, f"\n\ndef reference_answer(X, t, w, b):\n{_region_line()}\n")
    with pytest.raises(ReleaseError) as refused:
        build_release(source_tree, ["hw1"], tmp_path, verify=False)
    assert f"leak: tests/public/test_hw1_public.py, line {line_number}: solution code from " \
           f"solutions/hw1_linear_regression.py: {_region_line().strip()}" in refused.value.problems


def test_leak_check_fails_the_build_for_a_copy_of_a_solution_file(source_tree, tmp_path):
    solution = (REPO / "solutions" / "hw2_logistic_regression.py").read_bytes()
    (source_tree / "checklib" / "reference.py").write_bytes(solution)
    with pytest.raises(ReleaseError) as refused:
        build_release(source_tree, ["hw1"], tmp_path, verify=False)
    assert any("checklib/reference.py" in p and "a copy of solutions/hw2_logistic_regression.py" in p
               for p in refused.value.problems)


def test_release_refuses_stubs_out_of_date_with_solutions(source_tree, tmp_path):
    solution = source_tree / "solutions" / "hw1_linear_regression.py"
    solution.write_text(solution.read_text().replace("Homework 1:", "Homework 1 (new wording):", 1))
    with pytest.raises(ReleaseError) as refused:
        build_release(source_tree, ["hw1"], tmp_path, verify=False)
    assert "assignments/hw1_linear_regression.py is out of date with solutions/: run `make assign`" in \
        refused.value.problems


def test_release_refuses_kit_code_that_imports_what_the_kit_lacks(source_tree, tmp_path):
    (source_tree / "checklib" / "extra.py").write_text('"""Extra."""\n\nfrom autograder.checks import Check\n')
    with pytest.raises(ReleaseError) as refused:
        build_release(source_tree, ["hw1"], tmp_path, verify=False)
    assert any(p.startswith("checklib/extra.py, line 3: imports autograder.checks") for p in refused.value.problems)


def test_release_verifies_the_unpacked_kit_against_the_solutions(source_tree, tmp_path):
    assert build_release(source_tree, ["hw1"], tmp_path / "good", verify=True).path.is_file()

    public = source_tree / "tests" / "public" / "test_hw1_public.py"
    public.write_text(public.read_text() + '\n\ndef test_predict_impossible(hw):\n    """Never true."""\n'
                      "    assert False, 'planted failure'\n")
    with pytest.raises(ReleaseError) as refused:
        build_release(source_tree, ["hw1"], tmp_path / "bad", verify=True)
    assert "do not pass against solutions/" in refused.value.problems[0]
    assert not (tmp_path / "bad" / "student-kit-hw1.zip").exists()
