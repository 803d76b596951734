"""What a child can see and do under full isolation (Linux, as root) and in the degraded mode."""

import os
import socket
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder.paths import REPO_ROOT
from autograder.sandbox import isolation
from autograder.sandbox.isolation import FULL_LEVELS, ROOT, SYSTEM_DIRS, python_dirs

from .conftest import HIDE, HW1, linux_root, sandbox_processes

PROBE_SOURCE = '''
import gc
import os
import socket
import sys
import types


def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError as error:
        return type(error).__name__


def can_write(path):
    try:
        with open(path, "w") as file:
            file.write("x")
        return True
    except OSError:
        return False


def connect(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return "connected"
    except OSError as error:
        return type(error).__name__


def process_ids():
    listed = listing("/proc")  # Linux only: elsewhere the name of the error
    return [name for name in listed if name.isdigit()] if type(listed) is list else listed


def facts():
    return {"uid": os.getuid(), "pid": os.getpid(), "processes": process_ids(),
            "root": listing("/"), "cwd": os.getcwd(), "workdir": listing("."), "env": dict(os.environ),
            "hostname": socket.gethostname(), "argv": list(sys.argv)}


def writable(paths):
    return {path: can_write(path) for path in paths}


def listings(paths):
    return {path: listing(path) for path in paths}


def grader_modules():
    """Modules or objects in memory that belong to the grader, the checks or the reference."""
    names = [name for name in sys.modules if name.split(".")[0] in ("autograder", "tests", "solutions")
             or name.startswith(("reference_", "checks_", "hidden_support"))]
    for thing in gc.get_objects():
        if isinstance(thing, types.ModuleType) and thing.__name__.startswith(("reference_", "checks_")):
            names.append(thing.__name__)
        if isinstance(thing, types.FunctionType) and thing.__name__.startswith("test_"):
            names.append(thing.__qualname__)
    return names
'''


@pytest.fixture(scope="module")
def probe(full_sandbox):
    with full_sandbox.open(PROBE_SOURCE, HW1.filename, HIDE) as subject:
        yield subject


@linux_root
def test_full_isolation_is_reached_as_root(sandbox):
    assert sandbox.isolation_level == FULL_LEVELS[ROOT]


def test_the_child_is_an_unprivileged_pid_1_that_sees_no_other_process(full_sandbox, probe):
    facts = probe.call("facts")
    assert facts["uid"] in full_sandbox.uids
    assert facts["pid"] == 1 and facts["processes"] == ["1"]


def test_the_child_starts_in_a_folder_holding_only_the_submission_with_an_empty_environment(probe):
    facts = probe.call("facts")
    assert facts["workdir"] == [HW1.filename]
    assert facts["env"]["HOME"] == facts["cwd"]
    assert set(facts["env"]) == {"PATH", "HOME", "TMPDIR", "LANG", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                 "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"}
    assert facts["hostname"] == "sandbox"


def _top_folder(path: str) -> str:
    return Path(path).parts[1]


def test_the_root_holds_only_what_python_needs(probe):
    """Only the system folders, Python's own folders (wherever the clone lives), /etc, /dev, /proc, /tmp, /home."""
    needed = {*SYSTEM_DIRS, *python_dirs(), *(os.path.realpath(path) for path in python_dirs())}
    allowed = {_top_folder(path) for path in needed} | {"dev", "etc", "home", "proc", "tmp"}
    root = probe.call("facts")["root"]
    assert set(root) <= allowed
    assert {"solutions", "tests", "autograder"}.isdisjoint(root)
    assert probe.call("listings", ["/dev"])["/dev"] == sorted(
        ["fd", "full", "null", "random", "stderr", "stdin", "stdout", "urandom", "zero"])


def test_the_repository_shows_only_the_virtual_environment(probe):
    """The venv lives inside the repository here; nothing else of it (solutions, tests) is visible."""
    visible = probe.call("listings", [str(REPO_ROOT), str(REPO_ROOT / "solutions"), str(REPO_ROOT / "tests")])
    assert visible[str(REPO_ROOT)] in ("FileNotFoundError", [".venv"])
    assert visible[str(REPO_ROOT / "solutions")] == "FileNotFoundError"
    assert visible[str(REPO_ROOT / "tests")] == "FileNotFoundError"


def test_a_hidden_path_inside_a_mounted_folder_is_covered(full_sandbox):
    import numpy

    hidden = os.path.dirname(numpy.__file__) + "/linalg"
    with full_sandbox.open(PROBE_SOURCE, HW1.filename, [*HIDE, hidden]) as subject:
        assert subject.call("listings", [hidden])[hidden] == "PermissionError"


def test_the_child_writes_only_to_its_folder_and_its_private_tmp(probe):
    written = probe.call("writable", ["note.txt", "/tmp/note.txt", "/usr/note.txt", "/note.txt",
                                      str(REPO_ROOT / "note.txt"), "/etc/passwd"])
    assert written == {"note.txt": True, "/tmp/note.txt": True, "/usr/note.txt": False, "/note.txt": False,
                       str(REPO_ROOT / "note.txt"): False, "/etc/passwd": False}
    assert not (REPO_ROOT / "note.txt").exists()


def test_the_child_has_no_network(probe):
    listener = socket.socket()
    with listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        assert probe.call("connect", "127.0.0.1", listener.getsockname()[1]) == "OSError"
        with pytest.raises(BlockingIOError):
            listener.accept()


def test_nothing_of_the_grader_is_in_the_childs_memory(probe):
    assert probe.call("grader_modules") == []


def test_a_search_of_the_whole_disk_finds_no_instructor_file(full_sandbox):
    source = (REPO_ROOT / "tests" / "hostile" / "read_solution_from_disk.py").read_text()
    with full_sandbox.open(source, HW1.filename, HIDE) as subject:
        assert subject.load_error is None
        assert subject.call("instructor_files") == []


def test_degraded_mode_says_what_it_lacks(basic_sandbox):
    assert basic_sandbox.mode == "basic"
    assert basic_sandbox.isolation_level.startswith("basic: rlimits")
    reason = f"namespaces need Linux, this is {sys.platform}" if sys.platform != "linux" else "namespaces turned off"
    assert reason in basic_sandbox.isolation_level
    assert "no namespaces" in basic_sandbox.isolation_level


@pytest.mark.parametrize("root", [True, False])
def test_the_level_off_linux_says_plainly_what_is_missing(monkeypatch, root):
    """What a TA's Mac would report: only isolation's own view of the platform is changed, no sandbox runs."""
    monkeypatch.setattr(isolation, "sys", SimpleNamespace(**{**vars(sys), "platform": "darwin"}))
    monkeypatch.setattr(isolation, "can_drop_privileges", lambda: root)
    monkeypatch.setattr(isolation, "python_dirs", lambda: [])
    portable = isolation.portable_only(False)
    route, reason = isolation.full_isolation_route(namespaces=True, portable=False)
    level = isolation.level_text(isolation.BASIC, reason, memory_check_every=0.2 if portable else None,
                                 catches_detached=root)
    assert route is None
    assert portable  # off Linux, always: RLIMIT_AS caps nothing there
    assert level.startswith("basic: rlimits, process groups")
    assert "(namespaces need Linux, this is darwin)" in level
    assert "no namespaces" in level and "use the network" in level
    assert "memory is not capped by RLIMIT_AS but checked every 0.2 s" in level
    if root:
        assert "an unprivileged user" in level and "can read world-readable files" in level
        assert "outlive" not in level
    else:
        assert "the grader's own user" in level and "can read every file the grader's user can read" in level
        assert "a process the student's code detaches (double fork and setsid) can outlive its submission" in level


def test_degraded_mode_still_separates_the_child(basic_sandbox):
    with basic_sandbox.open(PROBE_SOURCE, HW1.filename, HIDE) as subject:
        facts = subject.call("facts")
        assert facts["workdir"] == [HW1.filename] and facts["cwd"] != os.getcwd()
        if os.geteuid() == 0:
            assert facts["uid"] in basic_sandbox.uids
        assert facts["pid"] != os.getpid()
    assert sandbox_processes(range(facts["uid"], facts["uid"] + 1)) == []
