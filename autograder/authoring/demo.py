"""The bundled demo exports: a small fictional class per assignment, as Moodle exports it.

`make demo` (autograder.commands.demo) writes demo/<hw>/moodle-export.zip and
grading-worksheet.csv, made here by `assignment_demo_files`. Each student starts from a base of
their own, so that the class looks like a real one to the
similarity report: the reference solution (Ada, who is flagged for it), an independent correct
implementation of tests/corpus/correct/ or a buggy one of tests/corpus/buggy/, and then one
realistic change each (a misnamed file, a zip, a syntax error...), in every Moodle layout,
with Hebrew and Latin names. One student copied another's file and disguised it (renamed
variables, reordered functions, other comments): the report's planted copy. `make grade`
shows the whole flow with one command. Two students make a classic mistake each: the buggy
corpus files the assignment's settings name ([demo] mistakes).
"""

from __future__ import annotations

import ast
import builtins
import csv
import io
import keyword
import tokenize
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.authoring.settings import settings_for
from autograder.authoring.stubs import strip_solutions, without_markers
from autograder.paths import CORPUS_DIR, REPO_ROOT, SOLUTIONS_DIR, demo_inputs
from autograder.source_spans import first_line
from checklib.assignments import Assignment, all_assignments

ZIP_TIME = (2026, 11, 23, 10, 15, 0)
WORKSHEET_HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                    "Grade can be changed", "Last modified (submission)", "Online text", "Last modified (grade)",
                    "Feedback comments"]


@dataclass(frozen=True)
class DemoStudent:
    participant_id: int
    name: str
    email: str
    story: str  # what this student's submission shows
    files: Callable[[Assignment, str], dict[str, bytes]] | None  # (assignment, base source) -> path: content
    layout: str = "folders"  # "folders" (4.1+), "folders_" (before 4.1), "flat", "onlinetext"
    base: str = "reference"  # "reference", "correct/<n>" (the n-th of tests/corpus/correct/<hw>), "buggy/<name>"


def base_source(assignment: Assignment, base: str) -> str:
    """A student's starting point: the reference (without solution markers) or a corpus implementation
    under the stub's module docstring (the corpus file's own says what it is for the kit's tests)."""
    reference = without_markers((SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8"))
    if base == "reference":
        return reference
    kind, name = base.split("/")
    folder = CORPUS_DIR / kind / assignment.key
    files = sorted(folder.glob("*.py"))
    if name.isdigit() and int(name) >= len(files):
        raise ValueError(f"the demo class needs {int(name) + 1} files in tests/corpus/{kind}/{assignment.key}/, "
                         f"which has {len(files)}")
    path = files[int(name)] if name.isdigit() else folder / f"{name}.py"
    source = path.read_text(encoding="utf-8")
    own, stubs = (ast.get_docstring(ast.parse(text), clean=False) for text in (source, reference))
    return source.replace(f'"""{own}"""', f'"""{stubs}"""', 1) if own and stubs else source


def mutated(old: str, new: str) -> Callable[[Assignment, str], dict[str, bytes]]:
    """The base with one change; fails loudly if the base no longer has `old`."""

    def files(assignment: Assignment, source: str) -> dict[str, bytes]:
        if old not in source:
            raise ValueError(f"demo: {assignment.filename} no longer contains {old!r}; update "
                             "autograder/authoring/demo.py")
        return {assignment.filename: source.replace(old, new, 1).encode("utf-8")}

    return files


def correct(name: str | None = None) -> Callable[[Assignment, str], dict[str, bytes]]:
    return lambda assignment, source: {name or assignment.filename: source.encode("utf-8")}


def zipped(assignment: Assignment, source: str) -> dict[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(f"homework/{assignment.filename}", ZIP_TIME), source)
        archive.writestr(zipfile.ZipInfo("homework/notes.txt", ZIP_TIME), "my notes\n")
    return {f"{assignment.key}.zip": buffer.getvalue()}


def renamed_locals(source: str, keep: set[str], parameters: bool = False) -> str:
    """Every name the code assigns (with parameters: theirs too) renamed wherever it is used as a name,
    except those in keep; attributes, strings and comments are left alone."""
    bound = {node.arg if isinstance(node, ast.arg) else node.id for node in ast.walk(ast.parse(source))
             if (parameters and isinstance(node, ast.arg))
             or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store))}
    renames = {name: f"my_{name.lower()}_{number}"
               for number, name in enumerate(sorted(bound - keep - set(dir(builtins)) - set(keyword.kwlist)))}
    lines = source.splitlines(keepends=True)
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for before, token in reversed(list(zip([None, *tokens], tokens, strict=False))):
        if token.type == tokenize.NAME and token.string in renames and not (before and before.string == "."):
            (row, start), (_, end) = token.start, token.end
            lines[row - 1] = lines[row - 1][:start] + renames[token.string] + lines[row - 1][end:]
    return "".join(lines)


def reversed_functions(source: str) -> str:
    """The top-level functions in the reverse order (with the comments just above each); the rest first."""
    lines = source.splitlines()
    spans = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            start = first_line(node) - 1
            while start > 0 and lines[start - 1].lstrip().startswith("#"):
                start -= 1
            spans.append((start, node.end_lineno))
    head = "\n".join(lines[: spans[0][0]]).rstrip()
    blocks = ["\n".join(lines[start:end]) for start, end in reversed(spans)]
    return "\n\n\n".join([head, *blocks]) + "\n"


def disguised(assignment: Assignment, source: str) -> dict[str, bytes]:
    """A copy of another student's file, disguised: variables renamed, functions reordered, a comment of its own."""
    copy = reversed_functions(renamed_locals(source, set(assignment.functions)))
    copy = copy.replace('"""', '"""My own work. ', 1)
    return {assignment.filename: copy.encode("utf-8")}


def stub(assignment: Assignment, reference: str) -> dict[str, bytes]:
    source = (SOLUTIONS_DIR / assignment.filename).read_text(encoding="utf-8")
    return {assignment.filename: strip_solutions(source).encode("utf-8")}


COMMON = [
    DemoStudent(1001, "Ada Lovelace", "ada@example.edu",
                "correct: the reference solution itself (the similarity report flags it)", correct()),
    DemoStudent(1003, "Yosef Levi", "yosef@example.edu", "correct, uploaded as a zip (Moodle before 4.1)",
                zipped, "folders_", base="correct/0"),
    DemoStudent(1005, "Grace Hopper", "grace@example.edu", "correct, but the file is misnamed",
                correct("my_homework.py"), "flat", base="correct/1"),
    DemoStudent(1006, "Alan Turing", "alan@example.edu", "a syntax error",
                mutated("import numpy as np", "import numpy as np\n\ndef broken(:\n    pass"), base="correct/2"),
    DemoStudent(1007, "שירה מזרחי", "shira@example.edu", "the untouched stub", stub),
    DemoStudent(1008, "Linus Berg", "linus@example.edu", "online text only", None, "onlinetext"),
    DemoStudent(1009, "Rivka Stern", "rivka@example.edu", "imports a helper file she did not upload",
                mutated("import numpy as np", "import numpy as np\nfrom my_helpers import plot_costs"),
                base="correct/3"),
    DemoStudent(1010, "Dan Katz", "dan@example.edu", "no submission", None),
    DemoStudent(1011, "עומר פרץ", "omer@example.edu",
                "copied Yosef's file and disguised it (the similarity report's planted copy)", disguised,
                base="correct/0"),
]

# The two students who make a classic mistake, each one of the buggy corpus named by the
# assignment's settings ([demo] mistakes in solutions/<module>.toml).
WITH_A_MISTAKE = (
    DemoStudent(1002, "נועה כהן", "noa@example.edu", "a classic mistake (the first of [demo] mistakes)", correct()),
    DemoStudent(1004, "מיכאל אברהם", "michael@example.edu", "another classic mistake (the second)", correct(),
                "flat"),
)


def demo_students(assignment: Assignment, mistakes: tuple[str, ...]) -> list[DemoStudent]:
    """The demo class of assignment; mistakes names the buggy corpus files of its two students with one."""
    if len(mistakes) != len(WITH_A_MISTAKE):
        raise ValueError(f"demo: the settings of {assignment.key} name {len(mistakes)} mistake(s) of the buggy "
                         f"corpus; the demo class needs {len(WITH_A_MISTAKE)} ([demo] mistakes = [...])")
    buggy = [replace(student, base=f"buggy/{name}") for student, name in zip(WITH_A_MISTAKE, mistakes, strict=True)]
    return sorted(COMMON + buggy, key=lambda student: student.participant_id)


def _entry_name(student: DemoStudent, path: str) -> str:
    prefix = f"{student.name}_{student.participant_id}_assignsubmission"
    if student.layout == "flat":
        return f"{prefix}_file_{path}"
    if student.layout == "folders_":
        return f"{prefix}_file_/{path}"
    return f"{prefix}_file/{path}"


def export_zip(assignment: Assignment, students: list[DemoStudent]) -> bytes:
    """The demo class's "Download all submissions" zip, byte-for-byte reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in students:
            if student.layout == "onlinetext":
                name = f"{student.name}_{student.participant_id}_assignsubmission_onlinetext/onlinetext.html"
                archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), "<p>I could not upload my file, here it is: ...</p>")
            elif student.files is not None:
                for path, content in student.files(assignment, base_source(assignment, student.base)).items():
                    info = zipfile.ZipInfo(_entry_name(student, path), ZIP_TIME)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, content)
    return buffer.getvalue()


def worksheet_csv(students: list[DemoStudent]) -> bytes:
    """The demo class's grading worksheet, as Moodle's "Download grading worksheet" writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WORKSHEET_HEADER)
    for student in students:
        submitted = student.files is not None or student.layout == "onlinetext"
        writer.writerow([f"Participant {student.participant_id}", student.name, student.email,
                         "Submitted for grading" if submitted else "No submission", "", "100.00", "Yes",
                         "Monday, 23 November 2026, 10:15 AM" if submitted else "-", "", "-", ""])
    return buffer.getvalue().encode("utf-8")


def assignment_demo_files(assignment: Assignment) -> dict[Path, bytes]:
    """One assignment's demo files, path -> content."""
    students = demo_students(assignment, settings_for(assignment.key).demo_mistakes)
    export, worksheet = demo_inputs(assignment.key)
    return {export: export_zip(assignment, students), worksheet: worksheet_csv(students)}


def demo_files() -> dict[Path, bytes]:
    """Every demo file, path -> content."""
    return {path: content for assignment in all_assignments(REPO_ROOT).values()
            for path, content in assignment_demo_files(assignment).items()}
