"""The child: one student's module, loaded and called on the grader's request.

The zygote forks a child per submission and calls `run_child`, which never returns. The
child walls itself off (`autograder.sandbox.isolation`), then serves requests on the call
channel, one frame each (pickled by the grader: `protocol.encode_request`), replying with plain
data (`checklib.codec`):

    {"op": "intake", "paths": [...], "contents": [...], ...}  ->  Intake.as_plain() (see `intake`)
    {"op": "load", "source": str, "filename": str}  ->  {"error": ErrorInfo | None}
    {"op": "call", "function": str, "args": [...], "kwargs": {...}, "read_only": [...],
     "torch": bool, "requires_grad": [...]}          ->  CallOutcome.as_plain()
    {"op": "plan", "requests": [call request, ...]}  ->  one call reply per request, in order
                                                        (each request pickled on its own)

Nothing the child sends is trusted: the grader validates every reply. stdout and stderr
go to /dev/null, and a copy of the child made by `os.fork()` in the student's code exits
instead of replying.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from autograder.sandbox import confinement, isolation, protocol, syscall_filter
from autograder.sandbox.limits import Limits, describe_bytes
from autograder.upload import intake
from checklib.calls import CallOutcome, ErrorInfo, describe_error, run_call, run_torch_call
from checklib.codec import TorchTensor, encode
from checklib.loading import load_module

CALL_FD = 3
SETUP_FD = 4
PRIVATE_FOLDERS = ("work", "home", "tmp")  # basic mode: its work folder, HOME and TMPDIR, inside its own folder
MAX_REQUEST = 1024**3  # requests come from the trusted grader; this only guards against a bug
# One thread for every BLAS numpy and torch may use: OpenMP, MKL, OpenBLAS, numexpr, and macOS's Accelerate.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS")
SETUP_FAILED = 70  # exit status when the child could not wall itself off


_grader_modules: tuple[str, ...] = ()  # filled in by `remember_grader_modules`, in the zygote


def remember_grader_modules() -> None:
    """Note which of the zygote's modules are the grader's, for each child to drop from sys.modules.

    The zygote calls this once: a child that scanned sys.modules itself would touch (and so
    copy) many of the zygote's memory pages it otherwise shares.
    """
    global _grader_modules
    _grader_modules = tuple(name for name in sys.modules if name == "autograder" or name.startswith("autograder."))


@dataclass(frozen=True)
class ChildSetup:
    """How the zygote walls this child off (see `autograder.sandbox.zygote`)."""

    mode: str  # isolation.FULL or isolation.BASIC
    uid: int | None  # a uid of its own (as root), else None
    folder: str | None  # basic mode: its own folder on the host, holding PRIVATE_FOLDERS (full mode has a private root)
    mount_point: str  # full mode: where its private root is built
    cap_address_space: bool = True  # False: no RLIMIT_AS (the zygote's memory watchdog stands in for it)
    own_user_namespace: bool = False  # full isolation without root: a user namespace of its own
    syscall_filter: bool = False  # load `syscall_filter` before the student's code
    confinement: str | None = None  # basic mode: the system's walls (confinement.LANDLOCK or SEATBELT)


def run_child(call_fd: int, setup_fd: int, spawn: dict, setup: ChildSetup) -> NoReturn:
    """Wall off this (freshly forked) process, then serve the grader until it hangs up.

    setup_fd: the zygote reads why the setup failed from here; closed before any student code runs.
    """
    status = 0
    try:
        _reset_signals()
        _keep_only_channels(call_fd, setup_fd)
        channel = socket.socket(fileno=CALL_FD)
    except BaseException:
        os._exit(SETUP_FAILED)
    try:
        limits = Limits.from_plain(spawn["limits"])
        workdir = _wall_off(setup, spawn["hide"], limits)
        os.close(SETUP_FD)
    except BaseException as error:
        _report_setup_error(error)
        os._exit(SETUP_FAILED)
    try:
        serve(channel, Path(workdir), limits)
    except BaseException:
        status = 1
    os._exit(status)


def _wall_off(setup: ChildSetup, hide: list[str], limits: Limits) -> str:
    """Namespaces, user, rlimits, filters: everything before the student's code; the work folder."""
    os.setsid()
    if setup.mode == isolation.FULL:
        workdir = isolation.enter_private_root(setup.mount_point, hide, setup.uid, limits.file_bytes)
        isolation.become_sandbox_user(setup.uid)
        home, temporary = workdir, "/tmp"
    else:
        workdir, home, temporary = (os.path.join(setup.folder, name) for name in PRIVATE_FOLDERS)
        if setup.uid is not None:
            isolation.drop_privileges(setup.uid)
    isolation.forbid_new_privileges()
    _clean_process_state(workdir, home, temporary, hide)
    own_count = setup.uid is not None or (setup.own_user_namespace and isolation.counts_processes_per_namespace())
    isolation.apply_rlimits(limits, own_uid=own_count, cap_address_space=setup.cap_address_space)
    if setup.mode == isolation.BASIC and setup.confinement is not None:
        confinement.confine(setup.confinement, setup.folder)
    if setup.syscall_filter:
        syscall_filter.install()
    return workdir


def _reset_signals() -> None:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large file raises OSError instead of killing


def _keep_only_channels(call_fd: int, setup_fd: int) -> None:
    """fd 3 is the call channel, 4 the setup pipe; 0, 1, 2 are /dev/null; every other inherited fd is closed."""
    above = [fcntl.fcntl(fd, fcntl.F_DUPFD, SETUP_FD + 1) for fd in (call_fd, setup_fd)]  # either may be 3 or 4
    os.dup2(above[0], CALL_FD)
    os.dup2(above[1], SETUP_FD)
    os.closerange(SETUP_FD + 1, isolation.highest_open_fd() + 1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def _report_setup_error(error: BaseException) -> None:
    try:
        os.write(SETUP_FD, f"{type(error).__name__}: {error}".encode(errors="replace")[:900])
    except BaseException:
        pass


def _is_python_path(entry: str, allowed: list[str], hidden: list[str]) -> bool:
    """entry is inside a Python folder, and not inside a hidden path within that folder."""
    def depth_of_match(folders: list[str]) -> int:
        return max((len(folder) for folder in folders if isolation.is_inside(real, folder)), default=-1)

    real = os.path.realpath(entry) if entry else ""
    return depth_of_match(allowed) > depth_of_match(hidden)


def _clean_process_state(workdir: str, home: str, temporary: str, hide: list[str]) -> None:
    """An empty environment (HOME and TMPDIR the child's own), the work folder, and nothing of the grader on
    sys.path or sys.modules."""
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": temporary, "LANG": "C.UTF-8",
                       **dict.fromkeys(THREAD_VARIABLES, "1")})
    tempfile.tempdir = None  # chosen again from TMPDIR
    os.chdir(workdir)
    allowed = [os.path.realpath(folder) for folder in isolation.python_dirs()]
    hidden = [os.path.realpath(path) for path in hide]
    sys.path[:] = [workdir] + [entry for entry in sys.path if _is_python_path(entry, allowed, hidden)]
    sys.meta_path[:] = [finder for finder in sys.meta_path
                        if not getattr(finder, "__module__", "").startswith("__editable__")]
    for name in _grader_modules:
        sys.modules.pop(name, None)
    sys.modules["__main__"] = types.ModuleType("__main__")
    sys.argv = [""]


# --- serving requests --------------------------------------------------------------------------


def serve(channel: socket.socket, workdir: Path, limits: Limits) -> None:
    """Answer requests until the grader closes the channel."""
    module: types.ModuleType | None = None
    own_pid = os.getpid()
    while True:
        try:
            request = protocol.decode_request(protocol.read_frame(channel, MAX_REQUEST))
        except EOFError:
            return
        if request["op"] == "plan":
            for payload in request["requests"]:
                call = protocol.decode_request(payload)
                _reply(channel, _call(module, call).as_plain(), call, limits, own_pid)
            continue
        if request["op"] == "intake":
            reply = intake.read_upload(request)
        elif request["op"] == "load":
            module, reply = _load(request, workdir)
        else:
            reply = _call(module, request).as_plain()
        _reply(channel, reply, request, limits, own_pid)


def _reply(channel: socket.socket, reply: dict, request: dict, limits: Limits, own_pid: int) -> None:
    if os.getpid() != own_pid:  # a copy made by os.fork() in the student's code
        os._exit(0)
    protocol.send_frame(channel, _encode_reply(reply, request, limits))


def _load(request: dict, workdir: Path) -> tuple[types.ModuleType | None, dict]:
    path = workdir / Path(request["filename"]).name
    path.write_text(request["source"], encoding="utf-8")
    try:
        return load_module(path, path.stem), {"error": None}
    except SystemExit as error:
        where = describe_error(error, str(path)).where
        info = ErrorInfo("SystemExit", f"your file called sys.exit({error.code!r}) while being imported: "
                                       "remove top-level code that exits", where)
        return None, {"error": info.as_plain()}
    except BaseException as error:
        return None, {"error": describe_error(error, str(path)).as_plain()}


def _argument(value: Any, read_only: bool) -> Any:
    if type(value) is np.ndarray and read_only:
        value.setflags(write=False)
    if type(value) is TorchTensor:
        import torch

        return torch.from_numpy(value.value.copy())
    return value


def _call(module: types.ModuleType | None, request: dict) -> CallOutcome:
    if module is None:
        return CallOutcome(error=ErrorInfo("ImportError", "the file was not loaded", ""))
    read_only = set(request["read_only"])
    args = [_argument(value, index in read_only) for index, value in enumerate(request["args"])]
    kwargs = {name: _argument(value, name in read_only) for name, value in request["kwargs"].items()}
    if request["torch"]:
        return run_torch_call(module, request["function"], args, tuple(request["requires_grad"]))
    # run_call reports only writeable arguments the call changed: the read-only ones are never sent back.
    return run_call(module, request["function"], args, kwargs, report_args=True)


def _encode_reply(reply: dict, request: dict, limits: Limits) -> bytes:
    what = {"intake": "reading your upload", "load": "importing your file"}.get(
        request["op"], f"the result of {request.get('function')}")
    try:
        payload = encode(reply)
    except BaseException as error:  # MemoryError, or a value encode does not know
        message = f"{what} could not be sent to the grader ({type(error).__name__})"
        return encode(CallOutcome(error=ErrorInfo("ResultNotSent", message, "")).as_plain())
    if len(payload) > limits.reply_bytes:
        message = (f"{what} is {describe_bytes(len(payload))} of data, more than the "
                   f"{describe_bytes(limits.reply_bytes)} the grader accepts")
        return encode(CallOutcome(error=ErrorInfo("ResultTooLarge", message, "")).as_plain())
    return payload
