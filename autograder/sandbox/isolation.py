"""Walling a child off: namespaces, a private root file system, an unprivileged user, rlimits.

The zygote picks how to isolate once, before it loads anything (`full_isolation_route`,
`probe_full_isolation`): "full" on Linux when namespaces work, reached either as root
(ROOT) or, as an ordinary user, through an unprivileged user namespace (USER_NAMESPACE:
the zygote becomes root of a user namespace of its own, mapped to the grader's user, so
the same namespaces can be made without any privilege on the machine); else "basic".
In full mode the zygote first becomes PID 1 of a PID namespace of its own
(`enter_zygote_namespaces`: when it dies, the kernel kills every child with it), then
starts each child in a new PID namespace (`new_pid_namespace_for_next_fork`), and the
child calls `enter_private_root`: new mount, network, IPC and UTS namespaces and a fresh
tmpfs root holding only read-only bind mounts of what Python needs, a fresh /proc, a
minimal /dev, a private /tmp and the work folder, then pivot_root into it. An allow-list,
not a deny-list: the instructor's files simply are not there. Paths the grader asks to hide
that lie inside one of those mounts are covered with an empty mount. Then the child gives
up every privilege (`become_sandbox_user`): as root, a uid of its own (`drop_privileges`);
through user namespaces, a user namespace of its own with no capabilities
(`enter_own_user_namespace`). Every child gets rlimits (`apply_rlimits`), except RLIMIT_AS
off Linux, which caps nothing there (macOS): the zygote watches memory instead
(`portable_only`). `level_text` says in words what the mode gives and, in basic mode, lacks.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import platform
import resource
import site
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import psutil

from autograder.sandbox.limits import Limits

FULL = "full"
BASIC = "basic"
ROOT = "root"  # how full isolation is reached: as root...
USER_NAMESPACE = "user namespace"  # ...or as an ordinary user, through unprivileged user namespaces
FULL_LEVELS = {
    ROOT: "full (as root): namespaces (pid, net, mount, ipc, uts), a uid of its own per child, "
          "private filesystem view, system call filter, rlimits",
    USER_NAMESPACE: "full (without root, through unprivileged user namespaces): namespaces (user, pid, net, "
                    "mount, ipc, uts), no capabilities, private filesystem view, system call filter, rlimits",
}
SANDBOX_USER_ID = 1000  # the child's uid inside its own user namespace (USER_NAMESPACE)

# Each child runs as a uid of its own, so RLIMIT_NPROC (counted per uid) is per child and
# one fork bomb cannot starve a concurrent child, and a child cannot signal another. Each
# zygote claims a block of uids (a lock file per block), so two sandboxes never share one.
# Far above any real user's uid; none of them owns anything on the host.
FIRST_SANDBOX_UID = 2_100_000_000
UIDS_PER_SANDBOX = 1000
MAX_SANDBOXES = 40

WORKDIR = "/home/student"  # the child's work folder (and HOME) inside the private root
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime")
DEVICES = ("null", "zero", "full", "random", "urandom")

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 1, 38, 36
PR_CAPBSET_DROP = 24
LINUX_CAPABILITY_VERSION_3 = 0x20080522
# statvfs flags a bind mount must keep when remounted in a user namespace (the kernel locks them): MS_NOEXEC,
# MS_NOATIME, MS_NODIRATIME, MS_RELATIME (statvfs reports them with the same values)
LOCKED_MOUNT_FLAGS = 8 | 1024 | 2048 | 4096
PIVOT_ROOT_SYSCALL = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else os.fsencode(text)


def unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def setns(fd: int, nstype: int) -> None:
    _check(_libc.setns(ctypes.c_int(fd), ctypes.c_int(nstype)), "setns")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    result = _libc.mount(_bytes(source), _bytes(target), _bytes(fstype), ctypes.c_ulong(flags), _bytes(data))
    _check(result, f"mount {target}")


def umount2(target: str, flags: int) -> None:
    _check(_libc.umount2(_bytes(target), ctypes.c_int(flags)), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    number = PIVOT_ROOT_SYSCALL.get(platform.machine())
    if number is None:
        raise OSError(f"pivot_root: unknown system call number on {platform.machine()}")
    _check(_libc.syscall(ctypes.c_long(number), _bytes(new_root), _bytes(put_old)), "pivot_root")


def prctl(option: int, value: int) -> None:
    _check(_libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), 0, 0, 0), "prctl")


def cpu_clock(pid: int) -> int:
    """The id of the CPU-time clock of process pid, for time.clock_gettime (ProcessLookupError if it is gone).
    Unlike /proc, this finds the pid in the caller's own PID namespace."""
    clock = ctypes.c_int()
    number = _libc.clock_getcpuclockid(ctypes.c_int(pid), ctypes.byref(clock))  # returns the error number
    if number != 0:
        raise OSError(number, f"clock_getcpuclockid: {os.strerror(number)}")
    return clock.value


def sethostname(name: str) -> None:
    data = name.encode()
    _check(_libc.sethostname(data, ctypes.c_size_t(len(data))), "sethostname")


# --- choosing the mode -----------------------------------------------------------------


def portable_only(portable: bool) -> bool:
    """Whether to use only what every POSIX system has: always off Linux, on Linux when asked (to test that path)."""
    return portable or sys.platform != "linux"


def full_isolation_route(namespaces: bool, portable: bool = False) -> tuple[str | None, str]:
    """How full isolation can be tried here (ROOT or USER_NAMESPACE), or None and why not."""
    if sys.platform != "linux":
        return None, f"namespaces need Linux, this is {sys.platform}"
    if portable:
        return None, "portable mode: what macOS gets"
    if not namespaces:
        return None, "namespaces turned off"
    if platform.machine() not in PIVOT_ROOT_SYSCALL:
        return None, f"pivot_root is not known on {platform.machine()}"
    return (ROOT if os.geteuid() == 0 else USER_NAMESPACE), ""


def level_text(mode: str, reason: str = "", memory_check_every: float | None = None,
               catches_detached: bool = True, route: str | None = None, confinement: Sequence[str] = (),
               own_uid: bool | None = None) -> str:
    """The isolation level in words, for the grading report; for basic mode, also what it lacks.

    route: how full isolation was reached (ROOT or USER_NAMESPACE).
    memory_check_every: seconds between the memory watchdog's checks (None: RLIMIT_AS caps memory).
    catches_detached: processes the student's code detaches from its process group are killed too.
    confinement: what confines a basic-mode child besides rlimits (`basic_confinement`: what the
    kernel's Landlock or macOS's sandbox profile denies it), each said in words.
    own_uid: the children run as uids of their own (default: whether this process is root).
    """
    if mode == FULL:
        return FULL_LEVELS[route or ROOT]
    own_uid = can_drop_privileges() if own_uid is None else own_uid
    safeguards = ["rlimits", "process groups", *(["an unprivileged user"] if own_uid else []),
                  *(["a memory watchdog"] if memory_check_every is not None else []), *confinement]
    if confinement:
        lacking = ["no namespaces: the student's code can see the machine's other processes"]
    elif own_uid:
        lacking = ["no namespaces: the student's code can read world-readable files and use the network"]
    else:
        lacking = ["no namespaces and the grader's own user: the student's code can read every file the "
                   "grader's user can read (the reference solution and hidden checks too), use the network "
                   "and signal the grader's processes"]
    if memory_check_every is not None:
        lacking.append(f"memory is not capped by RLIMIT_AS but checked every {memory_check_every:g} s, "
                       "so it can briefly go over the limit")
    if not catches_detached:
        lacking.append("a process the student's code detaches (double fork and setsid) can outlive its submission")
    if own_uid and (unreadable := [folder for folder in python_dirs() if not _readable_by_others(folder)]):
        lacking.append(f"{', '.join(unreadable)} cannot be read by that user, so imports of modules not yet "
                       "loaded fail")
    return f"basic: {_and(safeguards)} ({reason}); " + "; ".join(lacking)


def _and(items: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _readable_by_others(folder: str) -> bool:
    path = Path(folder).resolve()
    searchable = all(parent.stat().st_mode & stat.S_IXOTH for parent in (path, *path.parents))
    return searchable and bool(path.stat().st_mode & stat.S_IROTH)


def counts_processes_per_namespace() -> bool:
    """Whether RLIMIT_NPROC counts a user's processes per user namespace (Linux 5.14 and later)."""
    try:
        major, minor = (int(part) for part in platform.release().split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 14)


def can_drop_privileges() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _uid_block_lock(block: int) -> Path:
    return Path(tempfile.gettempdir()) / f"autograder-sandbox-uids-{block}.lock"


def claim_uid_block() -> tuple[range, int]:
    """A block of uids no other sandbox on this machine uses, held while the returned fd is open."""
    for block in range(MAX_SANDBOXES):
        path = _uid_block_lock(block)
        lock = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(lock).st_ino != os.stat(path).st_ino:  # removed (as stale) before we locked it
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            os.close(lock)
            continue
        first = FIRST_SANDBOX_UID + block * UIDS_PER_SANDBOX
        return range(first, first + UIDS_PER_SANDBOX), lock
    raise RuntimeError(f"more than {MAX_SANDBOXES} sandboxes are running on this machine")


def release_uid_block(uids: range, lock: int) -> None:
    """Give a block back, leaving no lock file behind (removed while still locked, so no one else holds it)."""
    block = (uids.start - FIRST_SANDBOX_UID) // UIDS_PER_SANDBOX
    try:
        _uid_block_lock(block).unlink()
    except OSError:
        pass
    os.close(lock)


# --- the zygote's own namespaces (called once, before it loads numpy and torch) --------------


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def map_own_ids(inside: int, uid: int, gid: int) -> None:
    """In a fresh user namespace: user and group `inside` here are uid and gid outside (one id each)."""
    _write("/proc/self/setgroups", "deny")  # required before an unprivileged gid_map
    _write("/proc/self/uid_map", f"{inside} {uid} 1")
    _write("/proc/self/gid_map", f"{inside} {gid} 1")


def enter_zygote_namespaces(route: str) -> None:
    """Become PID 1 of a new PID namespace (and, without root, root of a new user namespace).

    Must be called while the process has one thread. Forks: this process waits for the new one
    and exits as it does (with every fd above 2 closed, so the grader sees only the new one's);
    the call returns in the new process. When the new one dies, the kernel kills every process
    of its PID namespace: every child, with all they started.
    """
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWPID | (CLONE_NEWUSER if route == USER_NAMESPACE else 0))
    if route == USER_NAMESPACE:
        map_own_ids(0, uid, gid)
    pid = os.fork()
    if pid == 0:
        prctl(PR_SET_PDEATHSIG, 9)  # the grader kills the zygote by killing the process it started
        return
    os.closerange(3, highest_open_fd() + 1)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


def highest_open_fd() -> int:
    """From /dev/fd (Linux and macOS); a loop over a million fds would take macOS a good second."""
    try:
        return max(int(name) for name in os.listdir("/dev/fd"))
    except (OSError, ValueError):
        return (1 << 20) - 1


def probe_full_isolation(route: str, mount_point: str, uid: int | None) -> str | None:
    """Try the zygote's and a child's whole setup in throw-away processes; None if it works, else what failed.

    uid: the child's uid as root (ROOT), None through user namespaces.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            enter_zygote_namespaces(route)
            new_pid_namespace_for_next_fork()
            child = os.fork()
            if child == 0:
                enter_private_root(mount_point, [], uid, 1024**2)
                become_sandbox_user(uid)
                forbid_new_privileges()
                os._exit(0)
            _, status = os.waitpid(child, 0)
            os._exit(0 if os.waitstatus_to_exitcode(status) == 0 else 1)
        except BaseException as error:
            os.write(write_end, f"{type(error).__name__}: {error}".encode()[:500])
        finally:
            os._exit(1)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        failure = reader.read(1000).decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        return None
    return failure or f"the probe ended with status {os.waitstatus_to_exitcode(status)}"


# --- the PID namespace (called by the zygote around its fork) -----------------------------


def new_pid_namespace_for_next_fork() -> None:
    """The next fork's child becomes PID 1 of a new PID namespace."""
    unshare(CLONE_NEWPID)


def restore_pid_namespace_for_children(own_namespace_fd: int) -> None:
    """Undo `new_pid_namespace_for_next_fork` for later forks (fd of /proc/self/ns/pid)."""
    setns(own_namespace_fd, CLONE_NEWPID)


# --- the private root (called by the child, as root, in its new PID namespace) ------------


def python_dirs() -> list[str]:
    """The folders Python and its packages (numpy, torch) live in."""
    return list(_python_dirs())


@functools.cache  # found once in the zygote; each child walls itself off with the same folders
def _python_dirs() -> tuple[str, ...]:
    candidates = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages()]
    return tuple(path for path in dict.fromkeys(candidates) if os.path.isdir(path))


def is_inside(path: str, folder: str) -> bool:
    """path is folder or lies somewhere below it (both absolute, resolved)."""
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _mirror(path: str, root: str, bound: list[str]) -> None:
    """Make path (and what a symlink at path points to) visible, read-only, under root."""
    if any(is_inside(path, done) for done in bound) or not os.path.lexists(path):
        return
    target = root + path
    if os.path.islink(path):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.readlink(path), target)
        _mirror(os.path.realpath(path), root, bound)
        return
    if os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        Path(target).touch()
    mount(path, target, None, MS_BIND | MS_REC)
    locked = os.statvfs(path).f_flag & LOCKED_MOUNT_FLAGS  # a user namespace may not clear these
    mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | locked)
    bound.append(path)


def _cover_hidden(hide: Iterable[str], root: str, bound: Sequence[str]) -> None:
    """Cover each hidden path that lies inside a mounted folder with an empty read-only mount."""
    for path in hide:
        if not os.path.lexists(path) or not any(is_inside(path, folder) and path != folder for folder in bound):
            continue
        if os.path.isdir(path):
            mount("tmpfs", root + path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000")
        else:
            mount("/dev/null", root + path, None, MS_BIND)
            mount(None, root + path, None, MS_BIND | MS_REMOUNT | MS_RDONLY)


def _make_dev(root: str) -> None:
    os.mkdir(root + "/dev", 0o755)
    for name in DEVICES:
        target = f"{root}/dev/{name}"
        Path(target).touch()
        mount(f"/dev/{name}", target, None, MS_BIND)
    os.symlink("/proc/self/fd", root + "/dev/fd")
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        os.symlink(f"/proc/self/fd/{number}", f"{root}/dev/{name}")


def _write_etc(root: str, uid: int) -> None:
    os.makedirs(root + "/etc", 0o755, exist_ok=True)
    Path(root + "/etc/passwd").write_text(f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
                                          f"student:x:{uid}:{uid}:student:{WORKDIR}:/usr/sbin/nologin\n")
    Path(root + "/etc/group").write_text(f"root:x:0:\nstudent:x:{uid}:\n")
    Path(root + "/etc/hostname").write_text("sandbox\n")


def enter_private_root(mount_point: str, hide: Sequence[str], uid: int | None, disk_bytes: int) -> str:
    """Enter new namespaces and a root that holds only what Python needs; returns the work folder.

    Must run as root (of the machine, or of the zygote's user namespace), as PID 1 of a new
    PID namespace (so /proc shows only the child's processes). uid: the child's uid to come
    (ROOT), or None when it will have a user namespace of its own (USER_NAMESPACE).
    Afterwards the old root is detached: nothing else of the host is reachable.
    """
    owner, shown_uid = (uid, uid) if uid is not None else (os.getuid(), SANDBOX_USER_ID)
    unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = mount_point
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk_bytes},nr_inodes=10000,mode=0755")
    bound: list[str] = []
    for path in (*SYSTEM_DIRS, *python_dirs(), *ETC_FILES):
        _mirror(path, root, bound)
    _cover_hidden([os.path.realpath(path) for path in hide], root, bound)
    _write_etc(root, shown_uid)
    _make_dev(root)
    os.mkdir(root + "/proc", 0o555)
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # exist_ok: Python itself may live under /tmp (a clone there with its .venv), already mirrored.
    os.makedirs(root + "/tmp", exist_ok=True)
    os.chmod(root + "/tmp", 0o1777)
    os.makedirs(root + WORKDIR, 0o700)
    os.chown(root + WORKDIR, owner, owner)
    os.chdir(root)
    pivot_root(".", ".")  # the old root ends up stacked under the new one...
    umount2(".", MNT_DETACH)  # ...and is detached here
    os.chdir("/")
    sethostname("sandbox")
    return WORKDIR


# --- privileges and limits -------------------------------------------------------------------


def become_sandbox_user(uid: int | None) -> None:
    """Give up every privilege: become uid (ROOT), or, with uid None, enter a user namespace of one's own."""
    if uid is not None:
        drop_privileges(uid)
    else:
        enter_own_user_namespace()


def enter_own_user_namespace() -> None:
    """Become SANDBOX_USER_ID of a new user namespace, with no capabilities and no way to nest another.

    The child's mounts and namespaces belong to the zygote's user namespace, where it now has no
    capability left. Its own namespace also gives it fresh kernel keyrings and, since Linux
    5.14, a count of processes (RLIMIT_NPROC) of its own.
    """
    uid, gid = os.getuid(), os.getgid()  # in the zygote's user namespace
    unshare(CLONE_NEWUSER)
    map_own_ids(SANDBOX_USER_ID, uid, gid)
    _write("/proc/sys/user/max_user_namespaces", "0")
    drop_capabilities()


def drop_capabilities() -> None:
    """Clear every capability: the bounding set, then the effective, permitted and inheritable sets."""
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for capability in range(last + 1):
        prctl(PR_CAPBSET_DROP, capability)
    header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.capset(header, data), "capset")


def drop_privileges(uid: int) -> None:
    """Become uid (and gid uid) with no supplementary groups and no way back."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def forbid_new_privileges() -> None:
    """No setuid binary can give the child root again; it dies with its parent (the zygote)."""
    if sys.platform == "linux":
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        prctl(PR_SET_PDEATHSIG, 9)


def _address_space_now() -> int:
    try:  # Linux: read directly, a tenth of what psutil takes
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        pass
    try:
        return psutil.Process().memory_info().vms
    except psutil.Error:
        return 0


def _tasks_of_this_user() -> int:
    """Processes and threads of this uid (RLIMIT_NPROC counts them all on Linux, processes on macOS)."""
    uid, count = os.getuid(), 0
    for process in psutil.process_iter(["uids"]):
        uids = process.info["uids"]
        if uids is None or uids.real != uid:
            continue
        try:
            count += process.num_threads()
        except psutil.Error:
            continue
    return count


def apply_rlimits(limits: Limits, own_uid: bool, cap_address_space: bool = True) -> None:
    """Resource limits for the student's code, on top of what is already loaded.

    own_uid: the child runs as a uid of its own. Otherwise it shares the grader's uid, whose
    processes RLIMIT_NPROC counts too, so the limit is set above what already runs.
    cap_address_space=False: no RLIMIT_AS (where it caps nothing, the zygote watches memory).
    """
    processes = limits.processes
    if not own_uid:
        processes += _tasks_of_this_user()
    rlimits = [(resource.RLIMIT_CORE, 0),
               (resource.RLIMIT_CPU, limits.cpu_limit),
               (resource.RLIMIT_FSIZE, limits.file_bytes),
               (resource.RLIMIT_NOFILE, limits.open_files),
               (resource.RLIMIT_NPROC, processes)]
    if cap_address_space:
        rlimits.append((resource.RLIMIT_AS, _address_space_now() + limits.memory_bytes))
    for kind, value in rlimits:
        soft, hard = resource.getrlimit(kind)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))
