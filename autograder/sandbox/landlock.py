"""Landlock (Linux 5.13 and later): walls for a basic-mode child, with neither root nor namespaces.

    version = landlock.abi_version()                         # 0: this kernel has no Landlock
    landlock.restrict(readable=python_folders, writable=[workdir])   # in the child, after NO_NEW_PRIVS

What the child can no longer do, by the kernel's Landlock ABI version (`guarantees` says it in words):

- files (ABI 1): open, list or run only what lies below `readable` (the system and Python folders),
  and write only below `writable` (its own folder): the repository, the reference solution, the
  hidden checks, the submissions and the outputs cannot be read, wherever they are;
- TCP (ABI 4, Linux 6.7): no connect and no bind;
- signals and abstract unix sockets (ABI 6, Linux 6.12): only between its own processes, so it
  cannot kill or reach the grader, which runs as the same user;
- ptrace and /proc/PID/mem of processes outside its own (every ABI).

Landlock needs no privilege: a process restricts itself, for good, with everything it starts.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterable

CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446  # the same numbers on every architecture
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
ALL_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | (1 << 14) | (1 << 15)  # rights a rule on a single file may hold
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
DEVICES_READ = ("/dev/urandom", "/dev/random", "/dev/zero")
DEVICES_WRITE = ("/dev/null", "/dev/full")

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when it has none (or it is turned off)."""
    if _libc is None:
        return 0
    version = _libc.syscall(ctypes.c_long(CREATE_RULESET), None, ctypes.c_size_t(0),
                            ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(0, version)


def guarantees(version: int) -> list[str]:
    """What a child restricted on this ABI version cannot do, in words (empty without Landlock)."""
    if version < 1:
        return []
    said = ["Landlock: only the system and Python folders can be read"]
    if version >= 4:
        said.append("no TCP connections")
    if version >= 6:
        said.append("no signals to processes outside its own")
    return said


def gaps(version: int) -> list[str]:
    """What Landlock at this version leaves open, in words."""
    if version < 1:
        return ["no Landlock in this kernel: the student's code can read every file the grader's user can read "
                "(the reference solution and hidden checks too), use the network and signal the grader's processes"]
    left = []
    if version < 4:
        left.append("it can use the network (TCP is denied from Linux 6.7 on)")
    else:
        left.append("it can send UDP")
    if version < 6:
        left.append("it can signal the grader's processes, which run as the same user (denied from Linux 6.12 on)")
    return left


def _check(result: int, what: str) -> int:
    if result < 0:
        number = ctypes.get_errno()
        raise OSError(number, f"landlock {what}: {os.strerror(number)}")
    return result


def restrict(readable: Iterable[str], writable: Iterable[str]) -> None:
    """Restrict this process (and all it starts) to reading readable and writing writable, for good."""
    version = abi_version()
    if version < 1:
        raise OSError("this kernel has no Landlock")
    all_fs = ALL_FS_BY_ABI.get(version, ALL_FS_BY_ABI[5])
    attr = _RulesetAttr(all_fs, NET_BIND_TCP | NET_CONNECT_TCP if version >= 4 else 0,
                        SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 else 0)
    size = 8 if version < 4 else 16 if version < 6 else 24
    ruleset = _check(_libc.syscall(ctypes.c_long(CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size),
                                   ctypes.c_uint32(0)), "create_ruleset")
    try:
        read_only = EXECUTE | READ_FILE | READ_DIR
        for path in readable:
            _allow(ruleset, path, read_only)
        for path in DEVICES_READ:
            _allow(ruleset, path, READ_FILE)
        for path in DEVICES_WRITE:
            _allow(ruleset, path, READ_FILE | WRITE_FILE)
        for path in writable:
            _allow(ruleset, path, all_fs)
        _check(_libc.syscall(ctypes.c_long(RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)),
               "restrict_self")
    finally:
        os.close(ruleset)


def _allow(ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # nothing there to allow
    try:
        if not os.path.isdir(path):
            access &= FILE_ONLY
        rule = _PathBeneathAttr(access, fd)
        _check(_libc.syscall(ctypes.c_long(ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH),
                             ctypes.byref(rule), ctypes.c_uint32(0)), f"add_rule {path}")
    finally:
        os.close(fd)
