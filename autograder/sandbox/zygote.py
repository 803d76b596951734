"""The fork server: a fresh interpreter with numpy and torch loaded that forks one child per submission.

`Sandbox` starts it once (`python -m autograder.sandbox.zygote CONTROL_FD SCRATCH [--no-namespaces]
[--portable] [--warm-optimizers]`; SCRATCH is a folder the Sandbox creates and removes, for the zygote's
temporary files) with an environment of its own (single-threaded BLAS and OpenMP, nothing of the grader's).
Before it loads anything, it chooses the isolation (`choose_isolation`): for full isolation it
tries the whole setup once in throw-away processes, then becomes PID 1 of a PID namespace of its
own (without root, in a user namespace of its own too), so that its death ends every child.
It imports numpy, torch and the child-side code, and nothing of the tests, the reference
solutions or the grader, so a forked child's memory holds no secrets. Forking it costs a
few milliseconds instead of a new interpreter.

It is also every child's keeper, in one single-threaded event loop:

- on the control channel, the grader asks for a child: {"op": "spawn", "config": {...}}
  with two fds attached, the child's end of its call channel and the zygote's end of a
  monitor channel. The zygote forks (in full mode into a new PID namespace, so the child
  is its PID 1 and killing it kills everything it started) and replies on the monitor
  channel {"started": pid} or {"error": text};
- a child forked ahead of need ({"ahead": true} in its config, see `spares`) has no deadline
  until the grader takes it: {"op": "arm"} on its monitor channel starts its time limits;
- {"op": "cpu"} on a monitor channel asks how much CPU time that child has used: {"cpu": seconds}
  (the grader limits reading an upload by it);
- on a monitor channel, any other message ({"op": "kill"}) or the grader hanging up kills that child;
- when a child ends, the zygote reaps it, kills what it left behind (basic mode: its
  process group, and any orphan the zygote adopted as Linux's child subreaper, or without
  one every process of the child's own uid), and reports
  {"exit": {"code", "signal", "cpu", "killed", "memory", "setup_error"}} on the monitor channel;
  setup_error (None, or why the child could not wall itself off) comes from a pipe the child
  closes before it runs any student code, so no student can write it;
- a child still alive past its deadline is killed (a backstop for the grader's own timers);
- where RLIMIT_AS caps nothing (macOS, or --portable), a child whose processes together hold
  more resident memory than its limit is killed ("memory": true in its report);
- when the grader closes the control channel, every child is killed and the zygote exits.
"""

from __future__ import annotations

import gc
import math
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass

import psutil

from autograder.sandbox import confinement, huge_pages, isolation, landlock, protocol, syscall_filter, warm_up
from autograder.sandbox.limits import DEADLINE_GRACE, Limits

# numpy, torch and the child's code (which imports them) are loaded by `main` once the
# zygote's namespaces are entered, which must happen while it has a single thread.

SWEEP_INTERVAL = 0.2  # seconds between searches for escaped processes and memory checks (basic mode)
KILL_ROUNDS = 100  # a fork bomb may still be forking while we kill it: try again, this many times at most
SHUTDOWN_WAIT = 5.0


@dataclass(frozen=True)
class IsolationChoice:
    """How the zygote isolates its children, chosen once before it loads anything (`choose_isolation`)."""

    mode: str  # isolation.FULL or isolation.BASIC
    route: str | None  # full mode: isolation.ROOT or isolation.USER_NAMESPACE
    reason: str  # basic mode: why not full
    uids: range  # uids of the children's own (as root), else empty
    uid_lock: int | None  # holds the block of uids while open
    confinement: str | None  # basic mode: confinement.LANDLOCK or SEATBELT when the system's walls work here


def choose_isolation(mount_point: str, scratch: str, namespaces: bool, portable: bool) -> IsolationChoice:
    """The best isolation that works here, each way tried in throw-away processes first."""
    route, reason = isolation.full_isolation_route(namespaces, portable)
    own_uids = isolation.can_drop_privileges() and route != isolation.USER_NAMESPACE
    uids, lock = isolation.claim_uid_block() if own_uids else (range(0), None)
    if route is not None:
        failure = isolation.probe_full_isolation(route, mount_point, uids[0] if uids else None)
        if failure is None:
            return IsolationChoice(isolation.FULL, route, "", uids, lock, None)
        reason = f"namespaces unavailable: {failure}"
    walls = confinement.working_confinement(scratch, portable)
    return IsolationChoice(isolation.BASIC, None, reason, uids, lock, walls)


@dataclass
class ChildRecord:
    pid: int
    monitor: socket.socket | None  # None once the grader hung up
    uid: int | None
    workdir: str | None  # basic mode: a host folder to remove afterwards
    deadline: float  # math.inf for a child forked ahead, until it is armed
    run_seconds: float  # from arming to the deadline
    memory_limit: int  # resident bytes its processes may add to what the zygote had at the fork (watchdog)
    resident_at_fork: int  # the zygote's resident memory when it forked this child (watchdog only)
    setup_pipe: int  # the child writes why its setup failed here, and closes it before any student code runs
    killed: bool = False
    over_memory: bool = False  # the watchdog killed it


class Zygote:
    """portable: use only what every POSIX system has (as on macOS, where it is always so): the
    memory watchdog instead of RLIMIT_AS, and no child subreaper (a child's detached processes
    are found by its uid, when it has one of its own)."""

    def __init__(self, control: socket.socket, scratch: str, choice: IsolationChoice, portable: bool = False):
        self.control = control
        self.portable = isolation.portable_only(portable)
        self.memory_watchdog = self.portable  # RLIMIT_AS caps memory on Linux only
        self.adopts_orphans = False  # Linux's child subreaper: orphans of a child's processes become ours
        self.process = psutil.Process()
        self.children: dict[int, ChildRecord] = {}
        self.scratch = scratch  # basic mode: children's work folders; full mode: where their roots are mounted
        self.mount_point = os.path.join(scratch, "root")
        self.choice = choice
        self.mode, self.uids = choice.mode, choice.uids
        self._next_uid = -1  # the last uid of the block given to a child
        self.syscall_filter = syscall_filter.available() and not self.portable
        if self.syscall_filter:
            syscall_filter.compile_once()
        if self.mode == isolation.BASIC and not self.portable:
            try:
                isolation.prctl(isolation.PR_SET_CHILD_SUBREAPER, 1)
                self.adopts_orphans = True
            except OSError:
                pass
        self.level = self._level_text()
        self.own_pid_namespace = os.open("/proc/self/ns/pid", os.O_RDONLY) if self.mode == isolation.FULL else None
        self.wakeup_read, wakeup_write = os.pipe()
        os.set_blocking(wakeup_write, False)
        signal.set_wakeup_fd(wakeup_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self._wakeup_write = wakeup_write
        self.next_sweep = 0.0

    def _level_text(self) -> str:
        choice = self.choice
        gives, lacks = [], []
        if choice.confinement == confinement.LANDLOCK:
            version = landlock.abi_version()
            gives, lacks = landlock.guarantees(version), landlock.gaps(version)
        elif choice.confinement == confinement.SEATBELT:
            gives = ["the macOS sandbox: only the system and Python folders can be read, no network, "
                     "no signals outside it"]
        if self.mode == isolation.BASIC and self.syscall_filter:
            gives.append("a system call filter")
        if not self.syscall_filter and sys.platform == "linux" and not self.portable:
            lacks.append("no system call filter (libseccomp is not installed): kernel keyrings, memfds and SysV "
                         "shared memory are open to the student's code")
        level = isolation.level_text(self.mode, choice.reason, SWEEP_INTERVAL if self.memory_watchdog else None,
                                     catches_detached=self.adopts_orphans or bool(self.uids), route=choice.route,
                                     confinement=gives, own_uid=bool(self.uids))
        return "; ".join([level, *lacks])

    # --- the loop ------------------------------------------------------------------------------

    def run(self) -> None:
        protocol.send_message(self.control, {"ready": True, "mode": self.mode, "isolation": self.level,
                                             "uids": [self.uids.start, self.uids.stop],
                                             "memory_watchdog": self.memory_watchdog})
        while True:
            monitors = {record.monitor: record for record in self.children.values() if record.monitor is not None}
            ready = protocol.wait_readable([self.control, self.wakeup_read, *monitors], self._timeout())
            if self.wakeup_read in ready:
                os.read(self.wakeup_read, 4096)
                self._reap()
            for monitor in ready:
                if monitor in monitors:
                    self._on_monitor(monitors[monitor])
            if self.control in ready and not self._on_control():
                return
            self._kill_overdue()
            self._sweep_if_due()

    def _timeout(self) -> float | None:
        until_deadline = min((record.deadline for record in self.children.values()), default=math.inf)
        timeout = max(0.0, until_deadline - time.monotonic())
        if self.mode == isolation.BASIC and self.children:
            return min(timeout, SWEEP_INTERVAL)
        return None if timeout == math.inf else timeout

    def _on_control(self) -> bool:
        """Handle one control message; False when the grader hung up."""
        try:
            message, fds = protocol.receive_message(self.control)
        except (OSError, protocol.ProtocolError):
            return False
        if message is None:
            return False
        if message.get("op") == "spawn" and len(fds) == 2:
            self._spawn(message["config"], *fds)
        else:
            for fd in fds:
                os.close(fd)
        return True

    def _on_monitor(self, record: ChildRecord) -> None:
        try:
            message, fds = protocol.receive_message(record.monitor)
        except (OSError, protocol.ProtocolError):
            message, fds = None, []
        for fd in fds:
            os.close(fd)
        if message == {"op": "arm"} and not fds:
            if record.deadline == math.inf:
                record.deadline = time.monotonic() + record.run_seconds
            return
        if message == {"op": "cpu"} and not fds:
            self._send(record.monitor, {"cpu": _cpu_seconds(record.pid)})
            return
        if message is None:  # the grader hung up: nobody needs this child any more
            record.monitor.close()
            record.monitor = None
        self._kill(record)

    # --- children --------------------------------------------------------------------------

    def _free_uid(self) -> int | None:
        """The next uid of the block in turn that no running child has (a uid is reused as late as possible)."""
        if not self.uids:
            return None
        used = {record.uid for record in self.children.values()}
        for _ in range(len(self.uids)):
            self._next_uid += 1
            uid = self.uids[self._next_uid % len(self.uids)]
            if uid not in used:
                return uid
        raise RuntimeError("every uid of the sandbox's block is in use")

    def _spawn(self, config: dict, call_fd: int, monitor_fd: int) -> None:
        monitor = socket.socket(fileno=monitor_fd)
        workdir = None
        try:
            if config.get("notebooks"):
                self._load_notebook_reader()
            uid = self._free_uid()
            limits = Limits.from_plain(config["limits"])
            run_seconds = limits.submission_timeout + DEADLINE_GRACE
            deadline = math.inf if config.get("ahead") else time.monotonic() + run_seconds
            resident = self.process.memory_info().rss if self.memory_watchdog else 0
            workdir = self._make_workdir(uid)
            pid, setup_pipe = self._fork(call_fd, config, uid, workdir)
        except Exception as error:  # a bad request or a full disk: the grader hears why
            pid, why = None, f"{type(error).__name__}: {error}"
        else:
            why = "could not fork a child (too many processes?)"
        os.close(call_fd)
        if pid is None:
            self._send(monitor, {"error": why})
            monitor.close()
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
            return
        self.children[pid] = ChildRecord(pid, monitor, uid, workdir, deadline, run_seconds, limits.memory_bytes,
                                         resident, setup_pipe)
        self._send(monitor, {"started": pid})

    @staticmethod
    def _load_notebook_reader() -> None:
        """Once, when a first upload may hold a notebook (see `intake`)."""
        from autograder.sandbox import child
        from autograder.upload import intake

        if intake.load_notebook_reader():
            child.remember_grader_modules()  # its modules too are dropped from each child's sys.modules

    def _make_workdir(self, uid: int | None) -> str | None:
        """Basic mode: a fresh host folder for the child, holding its empty work, home and tmp folders."""
        if self.mode != isolation.BASIC:
            return None
        from autograder.sandbox.child import PRIVATE_FOLDERS

        workdir = tempfile.mkdtemp(prefix="child-", dir=self.scratch)
        for folder in (workdir, *(os.path.join(workdir, name) for name in PRIVATE_FOLDERS)):
            if folder != workdir:
                os.mkdir(folder, 0o700)
            if uid is not None:
                os.chown(folder, uid, uid)
        return workdir

    def _fork(self, call_fd: int, config: dict, uid: int | None, workdir: str | None) -> tuple[int | None, int]:
        """Fork a child (into a new PID namespace in full mode); its pid (None if fork failed) and setup pipe."""
        full = self.mode == isolation.FULL
        setup_read, setup_write = os.pipe()
        if full:
            isolation.new_pid_namespace_for_next_fork()
        try:
            pid = os.fork()
        except OSError:
            pid = None
        if pid == 0:
            from autograder.sandbox import child

            self._forget_own_sockets()
            setup = child.ChildSetup(self.mode, uid, workdir, self.mount_point,
                                     cap_address_space=not self.memory_watchdog,
                                     own_user_namespace=self.choice.route == isolation.USER_NAMESPACE,
                                     syscall_filter=self.syscall_filter, confinement=self.choice.confinement)
            child.run_child(call_fd, setup_write, config, setup)
        if full:
            isolation.restore_pid_namespace_for_children(self.own_pid_namespace)
        os.close(setup_write)
        if pid is None:
            os.close(setup_read)
        return pid, setup_read

    def _forget_own_sockets(self) -> None:
        """In a fresh child: let go of the zygote's sockets without closing them twice later."""
        self.control.detach()
        for record in self.children.values():
            if record.monitor is not None:
                record.monitor.detach()

    def _kill(self, record: ChildRecord) -> None:
        record.killed = True
        if self.mode == isolation.BASIC:
            _kill_process_group(record.pid)
        try:  # not reaped yet, so the pid is still this child's
            os.kill(record.pid, signal.SIGKILL)
        except OSError:
            pass

    def _kill_overdue(self) -> None:
        now = time.monotonic()
        for record in self.children.values():
            if record.deadline <= now and not record.killed:
                self._kill(record)

    def _reap(self) -> None:
        """Reap every child that has ended (wait4: Python has no os.waitid on macOS)."""
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            record = self.children.pop(pid, None)
            if record is not None:  # else an orphan we adopted: reaping it was all it needed
                self._finish(record, status, usage.ru_utime + usage.ru_stime)

    def _finish(self, record: ChildRecord, status: int, cpu: float) -> None:
        if self.mode == isolation.BASIC:
            # What the child left in its process group. The group outlives its reaped leader
            # while a member is left, and no new process can take its id meanwhile (POSIX);
            # killing it right after the reap leaves no time for the id to come round again.
            _kill_process_group(record.pid)
            self._kill_detached(record)
        if record.workdir:
            shutil.rmtree(record.workdir, ignore_errors=True)
        code = os.waitstatus_to_exitcode(status)
        exit_info = {"code": code if code >= 0 else None, "signal": -code if code < 0 else None,
                     "cpu": cpu, "killed": record.killed, "memory": record.over_memory,
                     "setup_error": _setup_error(record.setup_pipe)}
        if record.monitor is not None:
            self._send(record.monitor, {"exit": exit_info})
            record.monitor.close()

    # --- escaped processes and memory (basic mode) ------------------------------------------

    def _sweep_if_due(self) -> None:
        if self.mode == isolation.BASIC and time.monotonic() >= self.next_sweep:
            self.next_sweep = time.monotonic() + SWEEP_INTERVAL
            if self.adopts_orphans:
                self._kill_orphans()
            if self.memory_watchdog and self.children:
                self._enforce_memory_limits()

    def _kill_detached(self, record: ChildRecord) -> None:
        """Kill what an ended child left outside its process group (a double fork and setsid)."""
        if self.adopts_orphans:
            self._kill_orphans()
        elif record.uid is not None:
            _kill_every_process_of(record.uid)

    def _kill_orphans(self) -> None:
        """Kill every child of ours that is not a child we forked: an orphan we adopted."""
        for _ in range(KILL_ROUNDS):
            orphans = [pid for pid in _children_of(os.getpid()) if pid not in self.children]
            if not orphans:
                return
            for pid in orphans:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            for pid in orphans:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass

    def _enforce_memory_limits(self) -> None:
        """The watchdog: kill each child whose processes hold more memory than its limit allows."""
        for pid, (resident, processes) in self._resident_memory().items():
            record = self.children[pid]
            if record.killed or resident <= record.memory_limit:
                continue
            record.over_memory = True
            self._kill(record)
            for process in processes:  # those that left its process group too
                try:
                    process.kill()
                except psutil.Error:
                    pass

    def _resident_memory(self) -> dict[int, tuple[int, list[psutil.Process]]]:
        """Per child: the resident memory its processes added to what the zygote had at its fork, and them.

        Each process counts beyond the zygote's size, as a fork of it would (its pages are the
        zygote's until written): a backstop against runaway memory, not an exact meter; a
        program the student's code runs with exec counts only beyond that size too.
        """
        try:
            descendants = self.process.children(recursive=True)  # a parent always before its children
        except psutil.Error:
            return {}
        child_of: dict[int, int] = {}  # descendant's pid -> the pid of the child it belongs to
        usage: dict[int, tuple[int, list[psutil.Process]]] = {}
        for process in descendants:
            try:
                owner = process.pid if process.pid in self.children else child_of.get(process.ppid())
                if owner is None:
                    continue
                resident = process.memory_info().rss
            except psutil.Error:
                continue
            child_of[process.pid] = owner
            total, processes = usage.get(owner, (0, []))
            added = max(0, resident - self.children[owner].resident_at_fork)
            usage[owner] = (total + added, [*processes, process])
        return usage

    # --- the end ---------------------------------------------------------------------------------

    def shutdown(self) -> None:
        for record in self.children.values():
            self._kill(record)
        give_up = time.monotonic() + SHUTDOWN_WAIT
        while self.children and time.monotonic() < give_up:
            self._reap()
            time.sleep(0.01)
        if self.adopts_orphans:
            self._kill_orphans()
        if self.choice.uid_lock is not None:
            isolation.release_uid_block(self.uids, self.choice.uid_lock)

    @staticmethod
    def _send(monitor: socket.socket, message: dict) -> None:
        try:
            protocol.send_message(monitor, message)
        except OSError:
            pass  # the grader hung up; it does not need the message


def _setup_error(pipe: int) -> str | None:
    """What the ended child wrote to its setup pipe (why it could not wall itself off), or None; closes the pipe."""
    try:
        os.set_blocking(pipe, False)
        text = os.read(pipe, 1000).decode(errors="replace")
    except OSError:  # nothing written: the child's setup went through
        text = ""
    finally:
        os.close(pipe)
    return text or None


def _children_of(parent: int) -> list[int]:
    """The pids whose parent is parent."""
    try:
        return [child.pid for child in psutil.Process(parent).children()]
    except psutil.Error:
        return []


def _cpu_seconds(pid: int) -> float | None:
    """The CPU time a child has used (not counting its own children); None if it cannot be read.

    On Linux, by its CPU-time clock: psutil reads /proc, which shows the grader's PID namespace, not ours.
    """
    try:
        if sys.platform == "linux":
            return time.clock_gettime(isolation.cpu_clock(pid))
        times = psutil.Process(pid).cpu_times()
    except (OSError, psutil.Error):
        return None
    return times.user + times.system


def _kill_process_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def _kill_every_process_of(uid: int) -> None:
    """SIGKILL every process running as uid, from a helper that becomes uid: kill(-1) reaches
    exactly what that uid may signal, on every POSIX system, without listing processes."""
    try:
        pid = os.fork()
    except OSError:  # the machine cannot spare a process now: nothing to do but go on
        return
    if pid == 0:
        try:
            os.setuid(uid)
            for _ in range(KILL_ROUNDS):  # until no process is left to signal (ESRCH)
                os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def main(argv: list[str]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the grader, which then closes us
    control, scratch = socket.socket(fileno=int(argv[0])), argv[1]
    os.chdir("/")
    portable = "--portable" in argv[2:]
    mount_point = os.path.join(scratch, "root")
    os.mkdir(mount_point, 0o700)
    # Torch makes a cache folder when a first optimizer is made (`warm_up`): in the scratch folder, removed
    # with it, not in the machine's /tmp.
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(scratch, "torch")
    choice = choose_isolation(mount_point, scratch, namespaces="--no-namespaces" not in argv[2:], portable=portable)
    if choice.mode == isolation.FULL:
        isolation.enter_zygote_namespaces(choice.route)  # from here on, this is PID 1 of its own PID namespace
    from autograder.sandbox import child  # loads numpy: only now may the zygote have threads

    isolation.python_dirs()  # found once, for every child's private root and sys.path
    warm_up.run(optimizers="--warm-optimizers" in argv[2:])
    zygote = Zygote(control, scratch, choice, portable=portable)
    child.remember_grader_modules()
    gc.freeze()  # children's garbage collections skip what is loaded now, so they share its pages
    huge_pages.collapse_anonymous_memory()  # last: what is loaded now is what every fork copies
    status = 0
    try:
        zygote.run()
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        zygote.shutdown()
    sys.stderr.flush()
    os._exit(status)  # skips tearing torch down at exit, which takes about a second


if __name__ == "__main__":
    main(sys.argv[1:])
