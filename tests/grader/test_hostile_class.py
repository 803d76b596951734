"""A whole class graded as an ordinary user: the hostile corpus beside honest students, as a TA's laptop sees it.

One export: every attack of tests/hostile/, a parse bomb (a student whose upload holds files built
to be slow to parse beside a correct file, which is graded), hogs of memory the address space does
not count (SysV shared memory, memfds), a kernel keyring writer and a later reader, and honest students. It is graded by
`run_grading` (what `make grade` runs, with short limits) as an unprivileged user, once with full
isolation through user namespaces and once in basic mode, both at once while CPU burners load the machine.
Each time: every attack fails, every honest student passes, no row is missing, nothing is a
grader failure, the grader's memory stays within its bound, and nothing is left outside OUT.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.authoring.stubs import without_markers
from autograder.paths import REPO_ROOT, SOLUTIONS_DIR
from tests.unprivileged import UNPRIVILEGED_UID, as_unprivileged_user, shared_folder

HOSTILE_DIR = REPO_ROOT / "tests" / "hostile"
HONEST_IDS = (1001, 1002, 1003)
PARSE_BOMB_ID = 3001
KEYRING_READER_ID = 4004  # honest, unless it finds what the keyring writer (4003) left
GRADER_MEMORY_BOUND = 1024**3  # above what the grader had when it started

# Runs as the unprivileged user: `make grade`'s run_grading, with short limits (an attack that hangs costs 2 s),
# generous enough for an honest submission on a machine loaded by both runs, CPU burners and the other tests.
RUN = '''
import dataclasses, json, resource, sys
from pathlib import Path
import psutil
import autograder.grading.executors as executors
import autograder.grading.run as run
from autograder.grading.config import GradeConfig
from autograder.sandbox import Sandbox

mode, export, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
run.load_config = lambda key: GradeConfig(call_timeout=2, submission_timeout=10)


@dataclasses.dataclass(frozen=True)
class TestLimits(run.Limits):
    max_restarts: int = 0  # an attack that hangs is stopped once, then given up (the sandbox tests restart it)


run.Limits = TestLimits
if mode == "basic":
    class BasicSandbox(Sandbox):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, namespaces=False, **kwargs)

    executors.Sandbox = BasicSandbox
start = psutil.Process().memory_info().rss
code = run.run_grading(run.GradingRequest(hw="hw1", submissions=export, worksheet=None, out=out, workers=16,
                                          progress=False))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
(out.parent / "run.json").write_text(json.dumps({"code": code, "start": start, "peak": peak}))
'''

# Appended to the reference: cost does the attack first, and fails loudly if it is refused.
CLEANUP_FREE_ATTACKS = {
    4001: '''
import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
def _hog():  # 4 segments of 512 MiB of SysV shared memory, detached: held by the kernel, not by the process
    for _ in range(4):
        segment = _libc.shmget(0, 512 * 1024**2, 0o1600)
        if segment < 0:
            raise OSError(ctypes.get_errno(), "shmget: " + os.strerror(ctypes.get_errno()))
        address = _libc.shmat(segment, None, 0)
        ctypes.memset(address, 1, 512 * 1024**2)
''',
    4002: '''
import os
def _hog():  # memfds written full and kept open: memory outside the address space
    for number in range(60):
        fd = os.memfd_create(f"hog{number}")
        os.ftruncate(fd, 64 * 1024**2)
        os.pwrite(fd, b"x" * 1024**2, 0)
''',
    4003: '''
import ctypes, os
_libc = ctypes.CDLL(None, use_errno=True)
def _hog():  # a key in the per-user keyring, for a later submission of the same user to find
    key = _libc.syscall(ADD_KEY, b"user", b"autograder-test-secret", b"the answers", 11, -4)  # to @u
    if key < 0:
        raise OSError(ctypes.get_errno(), "add_key: " + os.strerror(ctypes.get_errno()))
''',
}
KEYRING_READER = '''
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_reference_predict = predict
def predict(X, w, b):  # honest, unless an earlier submission's key can be found
    found = _libc.syscall(KEYCTL, 10, -4, b"user", b"autograder-test-secret", 0)  # KEYCTL_SEARCH in @u
    return _reference_predict(X, w, b) if found < 0 else _reference_predict(X, w, b) + 1.0
'''
HOG_COST = '''
_reference_cost = cost
def cost(X, t, w, b):
    _hog()
    return _reference_cost(X, t, w, b)
'''


KEY_SYSCALLS = {"x86_64": (248, 250), "aarch64": (217, 219)}  # add_key, keyctl


def _with_key_syscalls(source: str) -> str:
    """The source with the keyring system calls' numbers on this machine (ADD_KEY, KEYCTL) at its end."""
    add_key, keyctl = KEY_SYSCALLS.get(platform.machine(), (-1, -1))
    return f"{source}\nADD_KEY, KEYCTL = {add_key}, {keyctl}\n"


def _reference() -> str:
    return without_markers((SOLUTIONS_DIR / "hw1_linear_regression.py").read_text())


def _parse_bombs() -> dict[str, bytes]:
    """Files built to be expensive to parse (CPython 3.11 parses a long f-string in quadratic time), beside the
    student's work: two over the size the grader parses, one just under it (a second or so of CPU time to parse,
    within the 5 s of CPU time reading an upload may take, however busy the machine)."""
    return {"bomb_fstring.py": ('x = f"' + "{a}b" * 80_000 + '"\n').encode(),
            "bomb_nested.py": ("y = " + "-" * 200_000 + "1\n").encode(),
            "bomb_small_fstring.py": ('z = f"' + "{a}b" * 24_000 + '"\n').encode(),
            "my_work.py": _reference().encode()}  # not named hw1_linear_regression.py: every file is looked at


def build_export(folder: Path, port: int) -> tuple[Path, set[int]]:
    """The class's Moodle export, and the ids of the hostile students."""
    reference = _reference()
    students: dict[int, dict[str, bytes]] = {number: {"hw1_linear_regression.py": reference.encode()}
                                             for number in HONEST_IDS}
    hostile = {}
    for number, path in enumerate(sorted(HOSTILE_DIR.glob("*.py")), start=2001):
        source = path.read_text().replace("__REPO_ROOT__", str(REPO_ROOT)).replace("__LISTENER_PORT__", str(port))
        students[number] = {"hw1_linear_regression.py": source.encode()}
        hostile[number] = path.stem
    students[PARSE_BOMB_ID] = _parse_bombs()
    for number, attack in CLEANUP_FREE_ATTACKS.items():
        students[number] = {"hw1_linear_regression.py": _with_key_syscalls(reference + attack + HOG_COST).encode()}
    students[KEYRING_READER_ID] = {"hw1_linear_regression.py": _with_key_syscalls(reference + KEYRING_READER).encode()}
    export = folder / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for number, files in students.items():
            for name, data in files.items():
                archive.writestr(f"Student {number}_{number}_assignsubmission_file/{name}", data)
    return export, {*hostile, *CLEANUP_FREE_ATTACKS}


def _left_by_the_user() -> set[str]:
    """What the unprivileged user has in the temporary folder, SysV IPC objects and keyrings."""
    found = set()
    for path in Path("/tmp").iterdir():
        try:
            if path.lstat().st_uid == UNPRIVILEGED_UID:
                found.add(str(path))
        except OSError:
            continue
    for table in ("/proc/sysvipc/shm", "/proc/sysvipc/msg", "/proc/sysvipc/sem"):
        if os.path.exists(table):
            found.update(f"{table}: {line.split()[1]}" for line in Path(table).read_text().splitlines()[1:]
                         if str(UNPRIVILEGED_UID) in line.split()[7:9])
    if os.path.exists("/proc/keys"):
        found.update(line for line in Path("/proc/keys").read_text().splitlines() if "autograder-test" in line)
    return found


def _grade_as_unprivileged_user(mode: str) -> tuple[dict, dict[int, dict], set[int], set[str]]:
    command, why_not = as_unprivileged_user([sys.executable, "-c", RUN, mode, "EXPORT", "OUT"])
    if why_not:
        pytest.skip(f"cannot grade as a second, unprivileged user here: {why_not}")
    folder = shared_folder()
    try:
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            export, hostile = build_export(folder, listener.getsockname()[1])
            if os.geteuid() == 0:
                os.chown(export, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
            out = folder / "out"
            command = [part.replace("EXPORT", str(export)).replace("OUT", str(out)) for part in command]
            home = folder / "home"  # the TA's: matplotlib keeps its cache there
            home.mkdir()
            if os.geteuid() == 0:
                os.chown(home, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
            finished = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                      env={**os.environ, "HOME": str(home)})
            listener.setblocking(False)
            with pytest.raises(BlockingIOError):
                listener.accept()
        assert (folder / "run.json").exists(), finished.stderr[-3000:]
        run = json.loads((folder / "run.json").read_text())
        results = json.loads((out / "results.json").read_text())
        run["isolation"] = results["isolation"]
        students = {student["participant_id"]: student for student in results["students"]}
        written = {str(path.relative_to(folder)) for path in folder.rglob("*")}
        return run, students, hostile, written
    finally:
        shutil.rmtree(folder, ignore_errors=True)


MODES = ("full", "basic")  # full: through user namespaces, as the unprivileged user cannot be root


@pytest.fixture(scope="module")
def runs():
    """Both modes graded at once, with two CPU burners loading the machine all along."""
    before = _left_by_the_user()
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        with ThreadPoolExecutor(len(MODES)) as pool:
            graded = dict(zip(MODES, pool.map(_grade_as_unprivileged_user, MODES), strict=True))
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    return graded, _left_by_the_user() - before


@pytest.fixture(params=MODES)
def graded(request, runs):
    return runs[0][request.param]


def test_each_mode_is_what_it_says(runs):
    assert runs[0]["full"][0]["isolation"].startswith("full (without root, through unprivileged user namespaces)")
    assert runs[0]["basic"][0]["isolation"].startswith("basic")


def test_every_hostile_student_fails_and_every_honest_one_passes(graded):
    run, students, hostile, _ = graded
    assert run["code"] == 0
    assert len(students) == len(hostile) + len(HONEST_IDS) + 2  # + the keyring reader and the parse bomb's owner
    outcomes = {number: student["outcome"] for number, student in students.items()}
    passed = {number for number, outcome in outcomes.items() if outcome == "passed"}
    honest = {*HONEST_IDS, KEYRING_READER_ID, PARSE_BOMB_ID}  # the parse bomb's owner uploaded a correct file too
    assert passed == honest, {number: students[number]["reason"] for number in honest ^ passed}
    assert {outcomes[number] for number in hostile} <= {"failed", "error"}, {
        number: (outcomes[number], students[number]["reason"]) for number in hostile if outcomes[number] == "passed"}


def test_the_parse_bomb_costs_its_owner_a_clear_message(graded):
    _, students, _, _ = graded
    bomb = students[PARSE_BOMB_ID]
    assert bomb["graded_file"] == "my_work.py", bomb["reason"]
    notes = " ".join(bomb["notes"])
    for name in ("bomb_fstring.py", "bomb_nested.py"):
        assert f"{name} was not read to choose the file to grade" in notes, notes


def test_memory_outside_the_address_space_and_keyrings_are_refused(graded):
    _, students, _, _ = graded
    for number in CLEANUP_FREE_ATTACKS:
        messages = " ".join(test["message"] for test in students[number]["tests"] if test["status"] != "passed")
        assert "Operation not permitted" in messages, messages


def test_the_grader_stays_small_and_writes_only_into_out(graded):
    run, _, _, written = graded
    assert run["peak"] - run["start"] < GRADER_MEMORY_BOUND
    assert {path for path in written if not path.startswith(("out", "home", "export.zip", "run.json"))} == set()


def test_nothing_of_either_run_is_left_in_tmp_ipc_or_keyrings(runs):
    assert runs[1] == set()
