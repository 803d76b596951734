"""Adding an assignment is content, not engine code: the whole path of a new one, in a copy of
the repository, through the Makefiles a TA and a student use.

`make new HW=hw9`, then the scaffold is filled with a small assignment (hw9/: a line fit, its
corpus made from its reference one change at a time), then `make validate`, `make grade` (its
demo), `make release` (then `make check`, plain `pytest`, `make plot` and `make submit` in the
unpacked kit) and `make notebooks`; and no file outside hw9's own changed. The copy uses this
repository's .venv (a symlink: nothing is installed).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder.authoring.stubs import without_markers
from checklib.loading import load_module

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("hw9")
KEY, MODULE = "hw9", "hw9_line_fit"
# Not sources: what the commands write as their output, and caches.
OUTPUTS = ("out/", "dist/", "build/", ".venv")
IGNORED = shutil.ignore_patterns(".venv", ".git", "out", "build", "dist", "__pycache__", "*.pyc", ".pytest_cache",
                                 ".ruff_cache", "*.egg-info", "plots", "submit")
TIMEOUT = 600


def run(command: list[str], folder: Path, expect: int = 0) -> str:
    """command in folder, as a TA or student runs it (no PYTHONPATH); its output; fails on another exit status."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "HW_IMPL", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                            stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    assert result.returncode == expect, f"{' '.join(command)} exited {result.returncode}:\n{output}"
    return output


def make(repo: Path, *arguments: str, expect: int = 0) -> str:
    # -o: never remake the environment (the .venv is this repository's, shared through a symlink)
    return run(["make", "--no-print-directory", "-o", ".venv/.installed", *arguments], repo, expect)


def snapshot(repo: Path) -> dict[str, str]:
    """Every source file's path -> a hash of its content."""
    return {path.relative_to(repo).as_posix(): hashlib.blake2b(path.read_bytes()).hexdigest()
            for path in repo.rglob("*") if path.is_file() and not path.is_symlink()
            and not path.relative_to(repo).as_posix().startswith(OUTPUTS) and "__pycache__" not in path.parts}


def with_docstring(source: str, docstring: str) -> str:
    """source with its module docstring replaced."""
    end = ast.parse(source).body[0].end_lineno
    return f'"""{docstring}\n"""\n' + "".join(source.splitlines(keepends=True)[end:])


def fill_scaffold(repo: Path) -> None:
    """hw9's files, written over the scaffold: the reference, settings, checks and corpus."""
    for name, target in (("solution.py", f"solutions/{MODULE}.py"), ("settings.toml", f"solutions/{MODULE}.toml"),
                         ("public.py", f"tests/public/test_{KEY}_public.py"),
                         ("hidden.py", f"tests/hidden/test_{KEY}_hidden.py")):
        shutil.copyfile(FIXTURE / name, repo / target)
    reference = without_markers((FIXTURE / "solution.py").read_text())
    corpus = load_module(FIXTURE / "corpus.py", "hw9_corpus")
    for kind in ("correct", "buggy"):
        shutil.rmtree(repo / "tests" / "corpus" / kind / KEY)
        (repo / "tests" / "corpus" / kind / KEY).mkdir()
    for name, changes in corpus.CORRECT.items():
        write_variant(repo / "tests" / "corpus" / "correct" / KEY / f"{name}.py", reference, changes,
                      f"A correct {KEY} written another way: {name}.")
    for name, (bug, caught_by, changes) in corpus.BUGGY.items():
        write_variant(repo / "tests" / "corpus" / "buggy" / KEY / f"{name}.py", reference, changes,
                      f"Bug: {bug}.\n\nCaught by: {caught_by}.")


def write_variant(path: Path, reference: str, changes: list[tuple[str, str]], docstring: str) -> None:
    source = reference
    for old, new in changes:
        assert source.count(old) == 1, f"{path.name}: {old!r} is not once in the reference"
        source = source.replace(old, new)
    path.write_text(with_docstring(source, docstring))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository with this repository's environment."""
    copy = Path(shutil.copytree(REPO, tmp_path_factory.mktemp("course") / "repo", ignore=IGNORED))
    (copy / ".venv").symlink_to(REPO / ".venv")
    return copy


def test_a_new_assignment_goes_from_make_new_to_the_student_kit(repo, tmp_path):
    before = snapshot(repo)

    checklist = make(repo, "new", f"HW={KEY}", 'TITLE=Line fit')
    assert f"wrote solutions/{MODULE}.py" in checklist and f"wrote assignments/{MODULE}.toml" in checklist
    assert f"make validate HW={KEY}" in checklist
    unmet = make(repo, "validate", f"HW={KEY}", expect=2)  # what is missing, at once, each with its fix (make: 2)
    for missing in (f"tests/corpus/correct/{KEY}/ has 1 implementation(s), fewer than 4",
                    f"tests/corpus/buggy/{KEY}/ has 1 implementation(s), fewer than 12",
                    "[demo] mistakes names 0 file(s)", "make notebooks"):
        assert missing in unmet, unmet
    assert unmet.count("Fix: ") >= 4

    fill_scaffold(repo)
    make(repo, "assign")
    make(repo, "demo")
    make(repo, "notebooks")
    assert f"{KEY}: every requirement is met." in make(repo, "validate", f"HW={KEY}")

    out = tmp_path / "graded"
    make(repo, "grade", f"HW={KEY}", f"OUT={out}", "WORKERS=2")
    outcomes = {student["participant_id"]: student["outcome"]
                for student in json.loads((out / "results.json").read_text())["students"]}
    assert outcomes[1001] == "passed" and outcomes[1002] == "failed" and outcomes[1004] == "failed"
    assert outcomes[1007] == "failed" and outcomes[1010] == "no_submission"

    make(repo, "release", f"HW={KEY}")
    with zipfile.ZipFile(repo / "dist" / f"student-kit-{KEY}.zip") as archive:
        archive.extractall(tmp_path / "kit")
    kit = tmp_path / "kit" / f"student-kit-{KEY}"
    shutil.copyfile(repo / "solutions" / f"{MODULE}.py", kit / "assignments" / f"{MODULE}.py")  # a finished student
    student = ["make", "--no-print-directory", f"VENV={REPO / '.venv'}"]
    assert "This kit's homework: hw9" in run([*student, "help"], kit)
    assert "4 of 4 functions done." in run([*student, "check", f"HW={KEY}"], kit)
    assert "4 passed" in run([str(REPO / ".venv" / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider"], kit)
    run([*student, "plot", f"HW={KEY}"], kit)
    assert (kit / "plots" / f"{KEY}_training.png").read_bytes().startswith(b"\x89PNG")
    assert "Ready" in run([*student, "submit", f"HW={KEY}"], kit)
    assert (kit / "submit" / f"{MODULE}.py").is_file()
    assert "Say which homework, for example: make plot HW=hw9" in run([*student, "plot"], kit, expect=2)

    make(repo, "notebooks")
    after = snapshot(repo)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed and all(KEY in path for path in changed), sorted(path for path in changed if KEY not in path)
