"""What a submission sends back or uploads is hostile data: one `make grade` run of an export that
mixes honest students with students whose code or upload is built to stop, swell or fool the
grader (lone surrogates, forged replies, spoofed exception names, huge values and frames,
notebooks and files that are slow or impossible to parse).

The run must finish and write every output, the grader's memory must stay bounded, the honest
students must pass, and each hostile one must fail with a message in the grader's words.
All inputs are built here.
"""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.authoring.stubs import without_markers
from autograder.cli import main
from autograder.paths import SOLUTIONS_DIR
from autograder.sandbox import Limits
from autograder.upload.notebook_limits import MAX_CELL_CHARS, MAX_IPYTHON_LINES, MAX_NESTING
from checklib.codec import MAX_DECODED_CONTAINERS

from .test_grade_end_to_end import OUTPUT_FILES

MiB = 1024**2
# The grader's own growth while it grades this class (a normal run adds about 100 MiB). Before
# the budgets, one 20 MB string per call took it to 4.4 GiB, a frame of empty dicts to 1.7 GiB.
MEMORY_BOUND = 600 * MiB
REFERENCE = without_markers((SOLUTIONS_DIR / "hw1_linear_regression.py").read_text(encoding="utf-8"))


def overriding(*definitions: str) -> str:
    """The reference with some functions defined again after it (the later definition wins)."""
    return REFERENCE + "\n\n" + "\n\n".join(definitions) + "\n"


def notebook(*sources: str) -> bytes:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])).encode()


def frame_writer(payload: str) -> str:
    """Source that writes one frame of payload (Python bytes expression) onto the grader's channel."""
    return ("import os as _os, struct as _struct\n"
            f"_payload = {payload}\n"
            "_os.write(3, _struct.pack('!I', len(_payload)) + _payload)\n")


ALL_FUNCTIONS = ("predict", "cost", "gradient", "solve_exact", "gradient_descent")
SPOOFED = overriding(
    "class SubmissionStopped(Exception):\n    pass",
    "class MissingFunction(Exception):\n    pass",
    "def cost(X, t, w, b):\n    raise SubmissionStopped('your code used more than 2 GiB of memory')",
    "def gradient(X, t, w, b):\n"
    "    raise type('Passed: all 30 required checks pass.', (Exception,), {})('The grader failed')",
    "def predict(X, w, b):\n    raise MemoryError('fake')",
    "def solve_exact(X, t):\n    raise NotImplementedError('Passed: all checks: not implemented yet')",
    "def gradient_descent(X, t, alpha, num_epochs, w0=None, b0=0.0):\n    raise MissingFunction('none')",
)
# A string just under the largest reply, from every function (the child refuses a larger one itself).
HUGE = Limits().reply_bytes * 6 // 10
HUGE_STRING = overriding(*(f"def {name}(*args, **kwargs):\n    return 'x' * {HUGE}" for name in ALL_FUNCTIONS))
# The largest frame the grader accepts, all of it empty dicts (json.loads would build millions).
MANY_DICTS = overriding("def predict(X, w, b):\n" + "".join(
    "    " + line + "\n" for line in frame_writer(f"b'[' + b'{{}},' * {(Limits().reply_bytes - 4) // 3} + b'{{}}]'")
    .splitlines()) + "    return X @ w + b")
CHAIN = 3_000
CHAINED_NOTEBOOK = notebook(  # each assignment reads the next: reading it took cubic time
    REFERENCE + "\n" + "\n".join(f"_a{i} = np.add(_a{i + 1}, 0)" for i in reversed(range(CHAIN)))
    .replace(f"np.add(_a{CHAIN}, 0)", "0.0") + "\n_OFFSET = _a0\n",
    "def predict(X, w, b):\n    return X @ w + b + _OFFSET")

# participant id -> (name, {file: bytes}, words its reason must contain, or None for an honest student)
STUDENTS: dict[int, tuple[str, dict[str, bytes], str | None]] = {
    301: ("Honest Module", {"hw1_linear_regression.py": REFERENCE.encode()}, None),
    302: ("Honest Notebook", {"hw1_linear_regression.ipynb": notebook(REFERENCE)}, None),
    303: ("Chained Notebook", {"hw1_linear_regression.ipynb": CHAINED_NOTEBOOK}, None),
    304: ("Honest Among Bombs", {  # the graded file is chosen without parsing the bomb
        "mine.py": REFERENCE.encode(),
        "bomb.py": ("x = f'" + "{x}" * 400_000 + "'\n").encode(),
        "deep.py": ("x = " + "(" * 100_000 + ")" * 100_000 + "\n").encode()}, None),
    311: ("Lone Surrogate", {"hw1_linear_regression.py": overriding(
        "def cost(X, t, w, b):\n    raise ValueError('bad value \\ud800')").encode()},
         "cost raised 'ValueError: bad value \ufffd'"),
    312: ("Forged Setup Error", {"hw1_linear_regression.py": (
        frame_writer("b'{\"dict\":{\"setup_error\":\"please grade this student by hand\"}}'") + REFERENCE).encode()},
         "the grader could not read what came back while your file was being imported"),
    313: ("Spoofed Names", {"hw1_linear_regression.py": SPOOFED.encode()}, "Not implemented yet: solve_exact"),
    314: ("Huge String", {"hw1_linear_regression.py": HUGE_STRING.encode()}, f"({HUGE} characters in all)"),
    315: ("Many Dicts", {"hw1_linear_regression.py": MANY_DICTS.encode()},
          f"was too large for the grader to read ({(Limits().reply_bytes - 4) // 3 + 2} lists or dicts, more than the "
          f"{MAX_DECODED_CONTAINERS} the grader reads)"),
    321: ("Deep Json", {"hw1_linear_regression.ipynb": b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"},
          "could not be read: it is too large: its JSON is nested too deeply"),
    322: ("Minus Cell", {"hw1_linear_regression.ipynb": notebook(REFERENCE, "x = " + "-" * 1_500 + "X")},
          f"levels deep; the grader reads at most {MAX_NESTING}"),
    323: ("Many Magics", {"hw1_linear_regression.ipynb": notebook(REFERENCE, "%time x = 1\n" * 501)},
          f"more than {MAX_IPYTHON_LINES} lines of IPython syntax"),
    324: ("Huge Magic Cell", {"hw1_linear_regression.ipynb": notebook(
        REFERENCE, "%matplotlib inline\n" + "y = 1\n" * 100_000)},
          f"the grader reads at most {MAX_CELL_CHARS} in one cell"),
}
HONEST = {pid for pid, (_, _, words) in STUDENTS.items() if words is None}


class PeakMemory:
    """The highest resident memory of this process above its level at the start, sampled in a thread."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.start


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> tuple[Path, dict, int]:
    folder = tmp_path_factory.mktemp("hostile")
    export = folder / "course-hw1-99.zip"
    with zipfile.ZipFile(export, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for pid, (name, files, _) in STUDENTS.items():
            for file_name, data in files.items():
                archive.writestr(f"{name}_{pid}_assignsubmission_file/{file_name}", data)
    out = folder / "out"
    with PeakMemory() as memory:
        code = main(["grade", "--no-progress", "--workers", "2", "--hw", "hw1", "--submissions", str(export),
                     "--out", str(out)])
    assert code == 0
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return out, {student["participant_id"]: student for student in document["students"]}, memory.growth


def test_the_run_writes_every_output_and_every_honest_student_passes(hostile_run):
    out, students, _ = hostile_run
    assert {path.name for path in out.iterdir()} == OUTPUT_FILES
    assert set(students) == set(STUDENTS)
    assert {pid: students[pid]["outcome"] for pid in HONEST} == dict.fromkeys(HONEST, "passed")


@pytest.mark.parametrize("pid", sorted(set(STUDENTS) - HONEST))
def test_each_hostile_student_fails_in_the_graders_words(hostile_run, pid):
    student = hostile_run[1][pid]
    assert student["outcome"] in ("failed", "error")
    texts = [student["reason"], *(check["message"] for check in student["tests"])]
    assert any(STUDENTS[pid][2] in text for text in texts), texts
    assert not student["reason"].startswith("Passed") and "grader failed" not in student["reason"]


def test_nothing_the_child_sends_decides_a_status_or_the_graders_words(hostile_run):
    spoofed = {check["name"]: check for check in hostile_run[1][313]["tests"]}
    statuses = {check["status"] for check in spoofed.values()}
    assert "stopped" not in statuses and "passed" not in statuses
    messages = " ".join(check["message"] for check in spoofed.values())
    assert "cost raised 'SubmissionStopped: your code used more than 2 GiB of memory'" in messages
    assert "gradient raised 'Passed: all 30 required checks pass.: The grader failed'" in messages
    assert "predict raised 'MemoryError: fake'" in messages
    assert "gradient_descent: your file has no function named gradient_descent" in messages
    assert "solve_exact: not implemented yet" in messages and "Passed: all checks" not in messages


def test_a_lone_surrogate_reaches_every_output_as_valid_text(hostile_run):
    out = hostile_run[0]
    for name in ("grading_worksheet.csv", "results.json", "summary.md"):
        (out / name).read_bytes().decode("utf-8")  # strict: nothing unencodable was written
    with zipfile.ZipFile(out / "feedback.zip") as archive:
        page = archive.read("Lone Surrogate_311_assignfeedback_file/feedback.html").decode("utf-8")
    assert "bad value \ufffd" in page


def test_the_graders_memory_and_outputs_stay_small(hostile_run):
    out, students, growth = hostile_run
    assert growth < MEMORY_BOUND, f"the grader grew by {growth / MiB:.0f} MiB"
    assert (out / "results.json").stat().st_size < 1_000_000
    assert all(len(check["message"]) <= 1000 for student in students.values() for check in student["tests"])
