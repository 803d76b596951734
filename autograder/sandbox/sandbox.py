"""`Sandbox`: the grader's handle on the zygote, opening one sandboxed child per submission.

    with Sandbox(limits=Limits(), workers=2) as sandbox:
        print(sandbox.isolation_level)
        with sandbox.open(source, "hw1_linear_regression.py", hide=[repo_root]) as subject:
            subject.load_error   # None, or the ErrorInfo of a failed import
            subject.call("cost", X, t, w, b)

Starting the sandbox starts the zygote (one fresh interpreter that imports numpy and torch);
each `open` asks it to fork a child, so a submission costs a fork, not an interpreter.
`open` may be called from many threads at once; at most `workers` children are open at a
time (more callers wait). With ahead=True, children are also forked and walled off ahead of
need (`spares`: at most `workers` more, waiting), so that `open` finds one ready. Should the
zygote die (whatever killed it), the next `open` starts a new one (`restarts` counts them);
the children of the dead one are gone with it, and their calls raise SandboxError, so the
grader can grade those submissions again.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import autograder
from autograder.sandbox import protocol, scratch
from autograder.sandbox.child import THREAD_VARIABLES
from autograder.sandbox.connection import ChildConnection
from autograder.sandbox.limits import Limits
from autograder.sandbox.plan import CallPlan
from autograder.sandbox.spares import SpareChildren
from autograder.sandbox.subject import SandboxError, SandboxSubject, Upload
from autograder.upload import intake
from checklib.assignments import find_assignment

STARTUP_TIMEOUT = 120.0  # importing torch in a cold cache can be slow
SPAWN_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
PACKAGE_ROOT = Path(autograder.__file__).resolve().parent.parent


def zygote_environment() -> dict[str, str]:
    """The zygote's whole environment: single-threaded numerics, nothing of the grader's (no tokens)."""
    environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
                   "PYTHONNOUSERSITE": "1", **dict.fromkeys(THREAD_VARIABLES, "1")}
    if "PYTHONPATH" in os.environ:  # how this interpreter finds its packages, if not installed
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return environment


def _assignment_key(filename: str) -> str:
    try:
        return find_assignment(filename).key
    except KeyError:
        return Path(filename).stem


class Sandbox:
    """Runs students' modules in isolated children of one zygote; see the module docstring.

    namespaces=False skips the namespaces and private root even where they work (the
    degraded mode, for testing it; a child started as root still gets its own uid).
    portable=True also leaves out what only Linux has, as on macOS (where it is always so):
    the zygote's memory watchdog instead of RLIMIT_AS, and no child subreaper. For testing
    on Linux the code that macOS runs; it implies namespaces=False.
    ahead=True keeps children forked and walled off ahead of need (`spares`), up to `workers`
    of them besides the open ones: for grading a class, not for opening one child now and then.
    warm_optimizers=True has the zygote make a PyTorch optimizer before its first fork (see
    `warm_up`): a second longer to start, a second less for each child whose code makes one.
    """

    def __init__(self, limits: Limits | None = None, workers: int = 1, namespaces: bool = True,
                 portable: bool = False, ahead: bool = False, warm_optimizers: bool = False):
        self.limits = limits or Limits()
        self.workers = max(1, workers)
        self.namespaces = namespaces
        self.portable = portable
        self.ahead = ahead
        self.warm_optimizers = warm_optimizers
        self._spares: SpareChildren | None = None
        self.isolation_level = "not started"
        self.mode = "not started"
        self.memory_watchdog = False  # the zygote watches memory (no RLIMIT_AS)
        self.uids = range(0)  # the uids its children run as (none when it cannot change uid)
        self._zygote: subprocess.Popen | None = None
        self._scratch: str | None = None  # the zygote's temporary files, removed on close
        self._control: socket.socket | None = None
        self._control_lock = threading.Lock()
        self._restart_lock = threading.Lock()
        self._scratch_lock: int | None = None
        self._started = False  # between start() and close()
        self.restarts = 0  # zygotes started again after one died
        self._slots = threading.BoundedSemaphore(self.workers)

    @classmethod
    def for_class(cls, limits: Limits, workers: int) -> Sandbox:
        """A sandbox for grading a whole class: children opened ahead, and optimizers warmed up (worth the
        zygote's extra second to start over many submissions)."""
        return cls(limits=limits, workers=workers, ahead=True, warm_optimizers=True)

    @property
    def zygote_pid(self) -> int | None:
        return None if self._zygote is None else self._zygote.pid

    @property
    def running(self) -> bool:
        """The zygote is up (it may have died: the attacks in tests/hostile try to kill it)."""
        return self._zygote is not None and self._zygote.poll() is None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the zygote and wait until it is ready (removing what killed runs left behind first)."""
        scratch.remove_stale()
        self._launch()
        self._started = True
        if self.ahead:
            self._spares = SpareChildren(self._fork_spare, capacity=self.workers)

    def _launch(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._scratch, self._scratch_lock = scratch.create()
        command = [sys.executable, "-m", "autograder.sandbox.zygote", str(theirs.fileno()), self._scratch]
        if not self.namespaces:
            command.append("--no-namespaces")
        if self.portable:
            command.append("--portable")
        if self.warm_optimizers:
            command.append("--warm-optimizers")
        with theirs:
            self._zygote = subprocess.Popen(command, pass_fds=[theirs.fileno()], cwd=PACKAGE_ROOT,
                                            env=zygote_environment(), stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, start_new_session=True)
        self._control = ours
        ours.settimeout(STARTUP_TIMEOUT)
        try:
            ready, _ = protocol.receive_message(ours)
        except (OSError, protocol.ProtocolError) as error:
            ready = None
            detail = str(error)
        else:
            detail = "it exited"
        ours.settimeout(None)
        if not ready or not ready.get("ready"):
            self._stop()
            raise SandboxError(f"the sandbox's zygote did not start ({detail}); see the messages above")
        self.isolation_level = ready["isolation"]
        self.mode = ready["mode"]
        self.memory_watchdog = ready["memory_watchdog"]
        self.uids = range(*ready["uids"])

    @contextlib.contextmanager
    def open(self, source: str | None, filename: str, hide: Sequence[Path] = (),
             upload: Upload | None = None, plan: CallPlan | None = None) -> Iterator[SandboxSubject]:
        """A fresh child with source imported as filename; hide: paths the child must not see.

        With source None and an upload, the child first reads the upload (`subject.intake`: which file,
        decoded, a notebook's module extracted) under its limits, then imports what it chose. With a plan,
        the child runs the calls the checks will make ahead of them (`autograder.sandbox.plan`).
        """
        if not self._started:
            raise SandboxError("the sandbox is not started: use `with Sandbox(...) as sandbox:`")
        config = {"limits": self.limits.as_plain(), "hide": [str(Path(path).resolve()) for path in hide],
                  "filename": Path(filename).name,
                  "notebooks": upload is not None and intake.may_hold_notebook(upload.files)}
        with self._slots:
            subject = SandboxSubject(_assignment_key(filename), source, filename, self.limits,
                                     spawn=lambda: self._child(config), upload=upload, plan=plan)
            try:
                yield subject
            finally:
                subject.close()

    def _child(self, config: dict) -> ChildConnection:
        """A spare forked ahead for this config if one is ready, else a child forked now."""
        spares = self._spares
        # A dead zygote's spares are dying too, though the kernel may not have closed their sockets yet.
        running_zygote = self.zygote_pid if self.running else None
        if spares is not None and (child := spares.take(config, running_zygote)) is not None:
            return child
        return self._spawn(config)

    def _fork_spare(self, config: dict) -> tuple[ChildConnection, int]:
        """A child forked ahead (its time limits start when it is taken), and its zygote's pid.

        Never starts a zygote: after one died, the next `open` does.
        """
        with self._restart_lock:
            zygote_pid = self.zygote_pid
            if not self._started or not self.running or zygote_pid is None:
                raise SandboxError("no zygote to fork a spare child")
        return self._spawn_once({**config, "ahead": True}), zygote_pid

    def _spawn(self, config: dict) -> ChildConnection:
        """Have the zygote fork a child (starting a new zygote if it died); its connection."""
        if not self.running:
            self._restart()
        try:
            return self._spawn_once(config)
        except SandboxError:
            if self.running:
                raise
        self._restart()  # it died while we asked
        return self._spawn_once(config)

    def _restart(self) -> None:
        """Replace a dead zygote with a new one (once, however many threads find it dead)."""
        with self._restart_lock, self._control_lock:
            if self.running or not self._started:
                return
            self._stop()
            self._launch()
            self.restarts += 1

    def _spawn_once(self, config: dict) -> ChildConnection:
        call, call_for_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        monitor, monitor_for_zygote = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with self._control_lock:
                if self._control is None:
                    raise OSError("no zygote")
                protocol.send_message(self._control, {"op": "spawn", "config": config},
                                      [call_for_child.fileno(), monitor_for_zygote.fileno()])
        except OSError as error:
            call.close()
            monitor.close()
            raise SandboxError(f"the sandbox's zygote is not running any more ({error})") from None
        finally:
            call_for_child.close()
            monitor_for_zygote.close()
        monitor.settimeout(SPAWN_TIMEOUT)
        try:
            reply, _ = protocol.receive_message(monitor)
        except (OSError, protocol.ProtocolError):
            reply = None
        monitor.settimeout(None)
        if not reply or "started" not in reply:
            call.close()
            monitor.close()
            why = reply.get("error") if reply else "the zygote did not answer"
            raise SandboxError(f"could not start a sandboxed child: {why}")
        return ChildConnection(call, monitor, reply["started"], self.limits.reply_bytes)

    def close(self) -> None:
        """Stop the zygote, which kills every child still running, and wait for it."""
        self._started = False
        if self._spares is not None:
            self._spares.close()
            self._spares = None
        self._stop()

    def _stop(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._zygote is not None:
            try:
                self._zygote.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait()
            self._zygote = None
        if self._scratch is not None:
            scratch.remove(self._scratch, self._scratch_lock)
            self._scratch = self._scratch_lock = None
