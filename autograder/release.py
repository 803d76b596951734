"""The student kit: dist/student-kit-<hw or all>.zip, built only when nothing secret is in it.

    zip_path = build_release(REPO_ROOT, ["hw2"], REPO_ROOT / "dist")   # raises ReleaseError

The kit holds the stubs and the kit's settings of each assignment (assignments/), the public
tests (tests/public/), checklib/ and the student templates in kit/ (README, Makefile,
requirements, pytest config), all under one
folder `student-kit-<label>/`. The build is a pipeline of small steps, every one of which
must find no problem:

  1. stale_stubs       assignments/ is exactly what `make assign` writes from solutions/
                       (the stubs, and the [kit] tables of the settings: nothing else of them)
  2. collect_kit       the kit's files, as bytes
  3. find_leaks        no line of a solution region, of a hidden test or any solutions/ file
  4. foreign_imports   the kit's Python files import nothing the kit lacks (autograder, ...)
  5. write_zip         sorted entries, fixed timestamps and permissions: same input, same bytes
  6. verify_kit        (optional) unpacked, the kit's public tests pass with the solutions

What counts as a leaked line: one specific to the reference or the hidden checks, that is a
stripped line of at least MIN_SECRET_LENGTH characters, not trivial (a bare `return w, b,
costs`), that no public source also has. The public sources are the generated stubs (their
docstrings state formulas on purpose) and the kit's own library and templates (checklib/, the
kit's README and Makefile, the kit's settings): the checks are built from that library, so its
ordinary lines (`rng = np.random.default_rng(seed)`) are no secret. The lines are
  - those inside a solution region: the answer, so a public check holding one leaks it, or
  - those of a hidden check file but imports and lines a public check also has (public and
    hidden checks are written alike); a hidden check's `def test_...` line always counts, even
    in the public sources (its name is part of the secret).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring.generated import assignment_files
from autograder.authoring.stubs import SolutionMarkerError, generated_stubs, solution_regions
from checklib.assignments import Assignment, SettingsError, all_assignments
from checklib.paths import check_file

MIN_SECRET_LENGTH = 12
_TRIVIAL = re.compile(r"return\s+[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*")
ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # every entry's timestamp: the archive depends only on its contents
FILE_MODE = 0o100644
IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
# What the kit's own Python files may import besides the standard library and the kit itself.
KIT_DEPENDENCIES = frozenset({"numpy", "torch", "pytest", "_pytest", "matplotlib", "checklib"})
VERIFY_TIMEOUT = 600


class ReleaseError(Exception):
    """The kit was not built; problems says why, one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class KitFile:
    name: str  # the path inside the kit, e.g. "assignments/hw1_linear_regression.py"
    data: bytes


@dataclass(frozen=True)
class Leak:
    name: str  # the kit file
    line: int
    text: str
    origin: str  # where the secret comes from

    def __str__(self) -> str:
        return f"{self.name}, line {self.line}: {self.origin}: {self.text.strip()}"


@dataclass(frozen=True)
class Release:
    path: Path
    files: list[KitFile]
    warnings: list[str]


def kit_label(keys: list[str], every_key: list[str]) -> str:
    return "all" if sorted(keys) == sorted(every_key) else "-".join(keys)


# --- 1. the stubs are up to date ---------------------------------------------------------


def stale_stubs(root: Path, assignments: list[Assignment]) -> list[str]:
    """The assignments' generated files (stub, kit settings) that differ from what `make assign` writes."""
    try:
        generated = assignment_files(root)
    except (SolutionMarkerError, SettingsError) as error:
        return [f"solutions/: {error}"]
    problems = []
    for assignment in assignments:
        if not (root / "solutions" / assignment.filename).is_file():
            problems.append(f"solutions/{assignment.filename} is missing: there is nothing to make the stub from")
            continue
        for name in (assignment.filename, f"{assignment.module}.toml"):
            path, expected = root / "assignments" / name, generated.get(Path("assignments") / name)
            if expected is None or not path.is_file() or path.read_text(encoding="utf-8") != expected:
                problems.append(f"assignments/{name} is out of date with solutions/: run `make assign`")
    return problems


# --- 2. the kit's files ------------------------------------------------------------------


def _files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix != ".pyc"
                  and not IGNORED_PARTS & set(path.relative_to(folder).parts))


def collect_kit(root: Path, assignments: list[Assignment]) -> tuple[list[KitFile], list[str]]:
    """The kit's files, and warnings (an assignment without public tests). Public files of the
    assignments left out stay out; any other file of tests/public/ goes with every kit."""
    files = [KitFile(path.relative_to(root / "kit").as_posix(), path.read_bytes())
             for path in _files_under(root / "kit")]
    for assignment in assignments:
        for name in (assignment.filename, f"{assignment.module}.toml"):  # the stub and the kit's settings
            if (root / "assignments" / name).is_file():
                files.append(KitFile(f"assignments/{name}", (root / "assignments" / name).read_bytes()))
    others = {check_file(root, other.key, "public") for other in all_assignments(root).values()
              if other not in assignments}
    files += [KitFile(path.relative_to(root).as_posix(), path.read_bytes())
              for path in _files_under(root / "tests" / "public") if path not in others]
    files += [KitFile(path.relative_to(root).as_posix(), path.read_bytes()) for path in _files_under(root / "checklib")]
    warnings = [f"no public tests for {a.key} ({check_file(root, a.key, 'public').relative_to(root)}): "
                "the kit has no checks for it" for a in assignments if not check_file(root, a.key, "public").is_file()]
    return sorted(files, key=lambda kit_file: kit_file.name), warnings


# --- 3. leaks ----------------------------------------------------------------------------


def _significant(line: str) -> str | None:
    stripped = line.strip()
    if len(stripped) < MIN_SECRET_LENGTH or _TRIVIAL.fullmatch(stripped):
        return None
    return stripped


def _text_lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()


def _stripped_lines(texts: Iterable[str]) -> set[str]:
    return {line.strip() for text in texts for line in text.splitlines()}


def public_sources(solutions_dir: Path, files: Iterable[KitFile]) -> set[str]:
    """The lines of what is public by nature: the generated stubs and the kit's library and templates
    (every kit file but the stubs on disk, which must equal the generated ones, and the checks)."""
    stub_or_check = ("assignments/", "tests/")
    library = [kit_file.data.decode("utf-8", errors="replace") for kit_file in files
               if not kit_file.name.startswith(stub_or_check) or kit_file.name.endswith(".toml")]
    return _stripped_lines([*generated_stubs(solutions_dir).values(), *library])


def solution_secrets(solutions_dir: Path, public: set[str]) -> dict[str, str]:
    """Significant solution-region lines that no public source also holds -> their origin."""
    secrets: dict[str, str] = {}
    for path in sorted(solutions_dir.glob("*.py")):
        for line in solution_regions(path.read_text(encoding="utf-8")):
            stripped = _significant(line)
            if stripped and stripped not in public:
                secrets.setdefault(stripped, f"solution code from solutions/{path.name}")
    return secrets


def _is_import(line: str) -> bool:
    return line.startswith(("import ", "from ")) and " import " in f" {line}"


def hidden_secrets(hidden_dir: Path, public_dir: Path, public: set[str]) -> dict[str, str]:
    """Significant lines of the hidden tests that no public source or public test also holds -> their origin."""
    shared = public | {line.strip() for path in _files_under(public_dir) for line in _text_lines(path.read_bytes())}
    secrets: dict[str, str] = {}
    for path in _files_under(hidden_dir):
        origin = f"hidden test line from tests/hidden/{path.relative_to(hidden_dir).as_posix()}"
        for line in _text_lines(path.read_bytes()):
            stripped = line.strip()
            if stripped.startswith("def test_") or (
                    _significant(line) and stripped not in shared and not _is_import(stripped)):
                secrets.setdefault(stripped, origin)
    return secrets


def secret_files(root: Path) -> dict[bytes, str]:
    """The bytes of every solutions/ and tests/hidden/ file -> its path."""
    found = {}
    for folder in (root / "solutions", root / "tests" / "hidden"):
        for path in _files_under(folder):
            found.setdefault(path.read_bytes(), path.relative_to(root).as_posix())
    return found


def find_leaks(files: Iterable[KitFile], secrets: dict[str, str], copies: dict[bytes, str]) -> list[Leak]:
    leaks = []
    for kit_file in files:
        if kit_file.data in copies:
            leaks.append(Leak(kit_file.name, 1, "(whole file)", f"a copy of {copies[kit_file.data]}"))
            continue
        for number, line in enumerate(_text_lines(kit_file.data), start=1):
            origin = secrets.get(line.strip())
            if origin:
                leaks.append(Leak(kit_file.name, number, line, origin))
    return leaks


def leak_problems(root: Path, files: list[KitFile]) -> list[str]:
    try:
        public = public_sources(root / "solutions", files)
        secrets = solution_secrets(root / "solutions", public)
    except SolutionMarkerError as error:
        return [f"solution markers: {error}"]
    secrets.update(hidden_secrets(root / "tests" / "hidden", root / "tests" / "public", public))
    return [f"leak: {leak}" for leak in find_leaks(files, secrets, secret_files(root))]


# --- 4. imports the kit cannot satisfy ---------------------------------------------------


def _imported_modules(tree: ast.AST) -> Iterable[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def foreign_imports(files: list[KitFile]) -> list[str]:
    own = {Path(kit_file.name).stem for kit_file in files if kit_file.name.startswith("assignments/")}
    allowed = KIT_DEPENDENCIES | own | set(sys.stdlib_module_names)
    problems = []
    for kit_file in files:
        if not kit_file.name.endswith(".py"):
            continue
        try:
            tree = ast.parse(kit_file.data, filename=kit_file.name)
        except SyntaxError as error:
            problems.append(f"{kit_file.name}, line {error.lineno}: syntax error: {error.msg}")
            continue
        for line, module in _imported_modules(tree):
            if module.split(".")[0] not in allowed:
                problems.append(f"{kit_file.name}, line {line}: imports {module}, which the student kit does not "
                                "have (only the standard library, numpy, torch, pytest, matplotlib and checklib)")
    return problems


# --- 5. the archive ----------------------------------------------------------------------


def write_zip(files: list[KitFile], path: Path, folder: str) -> None:
    """A deterministic zip: sorted entries under folder/, fixed timestamps and permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for kit_file in sorted(files, key=lambda f: f.name):
                info = zipfile.ZipInfo(f"{folder}/{kit_file.name}", date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so that the permissions below are read
                info.external_attr = FILE_MODE << 16
                archive.writestr(info, kit_file.data, compresslevel=9)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the kit is for sharing
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# --- 6. the unpacked kit works -----------------------------------------------------------


def verify_kit(zip_path: Path, solutions_dir: Path) -> list[str]:
    """Unpack the kit in a temporary folder and run its public tests against the solutions."""
    with tempfile.TemporaryDirectory(prefix="kit-verify-") as folder:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(folder)
            top = Path(folder) / archive.namelist()[0].split("/")[0]
        if not (top / "tests" / "public").is_dir():
            return []
        # "--impl=PATH" in one piece: pytest would take a separate PATH for a test path and look
        # for its configuration there, missing the kit's pytest.ini.
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 f"--rootdir={top}", f"--impl={solutions_dir.resolve()}"],
                                cwd=top, capture_output=True, text=True, timeout=VERIFY_TIMEOUT,
                                stdin=subprocess.DEVNULL)
    if result.returncode == 0:
        return []
    tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
    return [f"the kit's public tests do not pass against solutions/ when the kit is unpacked:\n{tail}"]


# --- the pipeline ------------------------------------------------------------------------


def build_release(root: Path, keys: list[str] | None, out_dir: Path, verify: bool = True) -> Release:
    """Build out_dir/student-kit-<label>.zip from the tree at root; raises ReleaseError."""
    every = all_assignments(root)
    assignments = [every[key] for key in keys] if keys else list(every.values())
    label = kit_label([a.key for a in assignments], list(every))
    problems = stale_stubs(root, assignments)
    files, warnings = collect_kit(root, assignments)
    problems += leak_problems(root, files) + foreign_imports(files)
    if problems:
        raise ReleaseError(problems)
    path = out_dir / f"student-kit-{label}.zip"
    write_zip(files, path, f"student-kit-{label}")
    if verify and (problems := verify_kit(path, root / "solutions")):
        path.unlink()
        raise ReleaseError(problems)
    return Release(path, files, warnings)
