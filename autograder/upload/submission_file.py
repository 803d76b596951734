"""Choose which submitted file to grade, and say why in one sentence for the student.

    choice = choose_file(submission.files, "hw1_linear_regression.py", ["fit", "predict"])
    if choice.source is None:
        feedback(choice.reason)            # e.g. "No Python file found (submitted: report.pdf)."

Rules, first match wins (file names compared case-insensitively; "depth" = number of folders):
  1. A file named exactly `module_name`, shallowest first (then alphabetical).
  2. The same inside an uploaded .zip (one level, same size caps and path checks; a damaged inner
     zip becomes part of the reason, never an exception). Shown as "hw1.zip:hw1_linear_regression.py".
  3. A notebook: one named `<module stem>*.ipynb` (exact `<stem>.ipynb` first, then shallowest,
     then outside zips first), else the only notebook, unless a Python file defines one of
     `function_names` (then rule 4 decides: a lone notebook of experiments must not win over a
     .py file holding the graded functions).
  4. The .py file (anywhere, zips included) that defines the most of `function_names` at top
     level (def, class or assignment; found with `ast`, nothing is imported or executed). A file
     with a syntax error defines nothing, but a lone .py file is chosen anyway so the grader can
     report its error. A tie, or no file defining any function, is no choice. Parsing is bounded
     (MAX_PARSED_FILE_BYTES per file, MAX_PARSED_TOTAL_BYTES per submission): a file beyond
     that defines nothing, and a note says so.
Ignored everywhere: `__MACOSX/`, `.ipynb_checkpoints/`, `__pycache__/`, and `._*` AppleDouble files.
The reason also names the other .py and .ipynb files that were not graded; a name that is not
a plain file name (spaces, quotes, other punctuation) is shown in quotes, as the student's text.
Python files are decoded as they declare (PEP 263: a `# -*- coding: cp1255 -*-` line, else
UTF-8, a BOM accepted; the declaration is then rewritten to utf-8, as the text is passed on as
UTF-8), notebooks as UTF-8; a chosen file that cannot be decoded gives `source=None` with `path`
set and the reason.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from autograder.moodle.safe_zip import (
    EntryRefused,
    EntryTooLarge,
    describe_size,
    entry_name,
    is_directory,
    path_parts,
    read_entry,
    unsafe_path_reason,
)
from checklib.student_text import quoted

FileKind = Literal["module", "notebook"]
IGNORED_FOLDERS = frozenset({"__macosx", ".ipynb_checkpoints", "__pycache__"})
MAX_LISTED_NAMES = 8  # how many file names a reason lists before "and N more"
# How much Python source is parsed to choose the file (rules 3 and 4): far more than a homework
# file, and little enough to parse in a few seconds even at worst (CPython 3.11 parses a long
# f-string in quadratic time: 100 kB of one takes about a second).
MAX_PARSED_FILE_BYTES = 100_000
MAX_PARSED_TOTAL_BYTES = 300_000
_CODING_LINE = re.compile(r"^([ \t\f]*#.*?coding[:=][ \t]*)([-\w.]+)")  # PEP 263
_PLAIN_NAME = re.compile(r"[\w.\-/:()+]{1,200}")  # shown as it is; any other name is quoted


@dataclass(frozen=True)
class FileChoice:
    """The file to grade: `source` text (Python, or notebook JSON for kind "notebook"), the path it
    came from, and a one-sentence `reason` for the student. No choice: source and kind are None."""

    source: str | None
    path: str | None
    kind: FileKind | None
    reason: str


@dataclass(frozen=True)
class _Candidate:
    """A .py or .ipynb file, outside or inside an uploaded zip."""

    path: str  # as shown to the student: "work/hw1.py" or "hw1.zip:hw1.py"
    inner: str  # path within its container
    data: bytes
    in_zip: bool

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.inner).name.lower()

    @property
    def depth(self) -> int:
        return self.inner.count("/")


def choose_file(
    files: dict[str, bytes],
    module_name: str,
    function_names: Sequence[str],
    *,
    max_file_bytes: int = 5_000_000,
    max_total_bytes: int = 50_000_000,
) -> FileChoice:
    """Pick the file to grade from one submission's files (path -> bytes); see the module rules.

    module_name: the expected file name, e.g. "hw1_linear_regression.py".
    function_names: the names the graded module must define.
    max_file_bytes / max_total_bytes: caps for files read out of uploaded zips.
    """
    if not module_name.lower().endswith(".py"):
        module_name += ".py"
    wanted = module_name.lower()
    stem = wanted.removesuffix(".py")
    outer = [
        _Candidate(path, path, data, in_zip=False)
        for path, data in sorted(files.items())
        if not _is_ignored(path) and path.lower().endswith((".py", ".ipynb"))
    ]
    # Rule 1: the exact file name.
    exact = _shallowest_named(outer, wanted)
    if exact is not None:
        return _chosen(exact, "module", f"Graded {_shown(exact)}.{_not_graded(outer, exact)}", [])

    # Rule 2: the exact file name inside an uploaded zip.
    inner, notes = _candidates_in_zips(files, max_file_bytes, max_total_bytes)
    everything = outer + inner
    exact = _shallowest_named(inner, wanted)
    if exact is not None:
        return _chosen(exact, "module", f"Graded {_shown(exact)}.{_not_graded(everything, exact)}", notes)

    # Rule 3: a notebook.
    python_files = [c for c in everything if c.file_name.endswith(".py")]
    notebooks = [c for c in everything if c.file_name.endswith(".ipynb")]
    named = sorted(
        (c for c in notebooks if c.file_name.startswith(stem)),
        key=lambda c: (c.file_name != f"{stem}.ipynb", c.depth, c.in_zip, c.path),
    )
    missing = f"No file named {module_name}"
    if named:
        return _chosen(named[0], "notebook",
                       f"{missing}; graded the notebook {_shown(named[0])}.{_not_graded(everything, named[0])}", notes)
    needs_counts = len(notebooks) == 1 or len(python_files) > 1
    defined = _defined_counts(python_files, function_names, notes) if needs_counts else {}
    if len(notebooks) == 1 and not any(defined.values()):
        return _chosen(notebooks[0], "notebook", f"{missing}; graded {_shown(notebooks[0])}, the only notebook.", notes)

    # Rule 4: the Python file that defines the most of the required names.
    if not python_files:
        submitted = _list_names(sorted(p for p in files if not _is_ignored(p)))
        nothing = "No Python file could be read" if notes else "No Python file found"
        found = f"{nothing} (submitted: {submitted})." if submitted else "No files were submitted."
        return _no_choice(found, notes)
    if len(python_files) == 1:
        only = python_files[0]
        return _chosen(only, "module", f"{missing}; graded {_shown(only)}, the only Python file.", notes)
    best = max(defined.values())
    leaders = [c for c in python_files if defined[c.path] == best]
    listed = _list_names([c.path for c in python_files])
    if best == 0:
        return _no_choice(
            f"{missing}, and none of the Python files defines {_list_names(list(function_names))} "
            f"(found: {listed}); resubmit with the file named {module_name}.",
            notes,
        )
    if len(leaders) > 1:
        tied = _list_names([c.path for c in leaders])
        return _no_choice(
            f"{missing}, and {tied} each define {best} of the {len(function_names)} required functions, "
            f"so none was graded; resubmit with the file named {module_name}.",
            notes,
        )
    winner = leaders[0]
    return _chosen(
        winner,
        "module",
        f"{missing}; graded {_shown(winner)}, which defines {best} of the {len(function_names)} "
        f"required functions (Python files found: {listed}).",
        notes,
    )


def _shallowest_named(candidates: list[_Candidate], file_name: str) -> _Candidate | None:
    named = sorted((c for c in candidates if c.file_name == file_name), key=lambda c: (c.depth, c.path))
    return named[0] if named else None


def _is_ignored(path: str) -> bool:
    parts = path_parts(path)
    return (
        not parts
        or any(part.lower() in IGNORED_FOLDERS for part in parts[:-1])
        or parts[-1].startswith("._")
        or parts[-1] == ".DS_Store"
    )


def _candidates_in_zips(
    files: dict[str, bytes], max_file_bytes: int, max_total_bytes: int
) -> tuple[list[_Candidate], list[str]]:
    """The .py and .ipynb files inside uploaded zips (one level), and notes about what was refused."""
    candidates: list[_Candidate] = []
    notes: list[str] = []
    budget = max_total_bytes
    for zip_path, data in sorted(files.items()):
        if _is_ignored(zip_path) or not zip_path.lower().endswith(".zip"):
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, EOFError, ValueError) as error:
            notes.append(f"{_name(zip_path)} could not be opened ({error}).")
            continue
        with archive:
            for info in archive.infolist():
                name = entry_name(info)
                if is_directory(name) or _is_ignored(name) or not name.lower().endswith((".py", ".ipynb")):
                    continue
                shown = _name(f"{zip_path}:{name}")
                unsafe = unsafe_path_reason(name)
                if unsafe:
                    notes.append(f"Ignored {shown}: {unsafe}.")
                    continue
                try:
                    content = read_entry(archive, info, min(max_file_bytes, budget))
                except EntryTooLarge:
                    notes.append(f"Ignored {shown}: it is {describe_size(info.file_size)} unpacked, over the "
                                 f"{describe_size(min(max_file_bytes, budget))} limit.")
                    continue
                except EntryRefused as error:
                    notes.append(f"Ignored {shown}: {error}.")
                    continue
                budget -= len(content)
                inner = "/".join(path_parts(name))
                candidates.append(_Candidate(f"{zip_path}:{inner}", inner, content, in_zip=True))
    return candidates, notes


def _decode(data: bytes, python: bool) -> str | None:
    """The file's text (see the module docstring), or None when it cannot be decoded."""
    encoding = "utf-8-sig"
    if python:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError:  # an unknown or contradictory encoding declaration
            return None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if python and encoding not in ("utf-8", "utf-8-sig"):
        lines = text.split("\n", 2)
        lines[:2] = [_CODING_LINE.sub(r"\1utf-8", line) for line in lines[:2]]
        text = "\n".join(lines)
    return text


def _defined_counts(python_files: list[_Candidate], function_names: Sequence[str], notes: list[str]) -> dict[str, int]:
    """path -> how many of function_names the file defines, within the parsing caps (a note for each file beyond)."""
    counts, budget = {}, MAX_PARSED_TOTAL_BYTES
    for candidate in python_files:
        size = len(candidate.data)
        counts[candidate.path] = 0
        if size > MAX_PARSED_FILE_BYTES:
            notes.append(f"{_name(candidate.path)} was not read to choose the file to grade: it is "
                         f"{describe_size(size)}, over the {describe_size(MAX_PARSED_FILE_BYTES)} the grader reads "
                         "of one file.")
        elif size > budget:
            notes.append(f"{_name(candidate.path)} was not read to choose the file to grade: the grader reads at most "
                         f"{describe_size(MAX_PARSED_TOTAL_BYTES)} of one submission's Python files.")
        else:
            budget -= size
            counts[candidate.path] = _count_defined(candidate.data, function_names)
    return counts


def _count_defined(data: bytes, function_names: Sequence[str]) -> int:
    """How many of function_names the source defines at top level (0 if it does not parse)."""
    source = _decode(data, python=True)
    if source is None:
        return 0
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return 0
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return len(names & set(function_names))


def _name(path: str) -> str:
    """A file name the student chose, for a sentence: as it is if plain, else quoted."""
    return path if _PLAIN_NAME.fullmatch(path) else quoted(path, 200)


def _shown(candidate: _Candidate) -> str:
    if candidate.in_zip:
        zip_path, inner = candidate.path.split(":", 1)
        return f"{_name(inner)} from {_name(zip_path)}"
    return _name(candidate.path)


def _not_graded(candidates: list[_Candidate], chosen: _Candidate) -> str:
    others = [c.path for c in candidates if c is not chosen]
    return f" Not graded: {_list_names(others)}." if others else ""


def _chosen(candidate: _Candidate, kind: FileKind, reason: str, notes: list[str]) -> FileChoice:
    source = _decode(candidate.data, python=kind == "module")
    if source is None:
        reason = f"{_name(candidate.path)} is not UTF-8 text, so it could not be graded; save it as UTF-8 and resubmit."
        return FileChoice(source=None, path=candidate.path, kind=None, reason=_with_notes(reason, notes))
    return FileChoice(source=source, path=candidate.path, kind=kind, reason=_with_notes(reason, notes))


def _no_choice(reason: str, notes: list[str]) -> FileChoice:
    return FileChoice(source=None, path=None, kind=None, reason=_with_notes(reason, notes))


def _with_notes(reason: str, notes: list[str]) -> str:
    return " ".join([reason, *notes[:MAX_LISTED_NAMES]])


def _list_names(names: list[str]) -> str:
    shown = ", ".join(_name(name) for name in names[:MAX_LISTED_NAMES])
    extra = len(names) - MAX_LISTED_NAMES
    return f"{shown} and {extra} more" if extra > 0 else shown
