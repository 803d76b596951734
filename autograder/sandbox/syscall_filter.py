"""The system calls a child may not make (seccomp, Linux), in every mode: what would outlive it or escape its limits.

    if syscall_filter.available():
        syscall_filter.compile_once()  # in the zygote: the BPF program every child loads
        syscall_filter.install()      # in the child, after PR_SET_NO_NEW_PRIVS, before the student's code

Each is refused with EPERM (a Python `PermissionError`), so a student who tries one reads why:

- kernel keyrings (`add_key`, `keyctl`, `request_key`): kept per user by the kernel, so one
  submission could leave a key for a later one;
- memory outside the address space, which RLIMIT_AS does not count: `memfd_create`, `memfd_secret`
  and SysV IPC objects (`shmget`, `msgget`, `semget`), which in basic mode would also outlive the child;
- new namespaces (`unshare`, `setns`, `clone` with a `CLONE_NEW*` flag): in a user namespace of its
  own the child could mount a tmpfs as large as the machine's memory. `clone3` answers ENOSYS, so
  that the C library falls back to `clone`, whose flags the filter can read;
- mounting (`mount`, `umount2`, `pivot_root`, the new mount API), `io_uring_setup` (its requests
  bypass this filter), `bpf`, `userfaultfd`, `perf_event_open`;
- reaching other processes: `ptrace`, `process_vm_readv`/`writev`, `pidfd_getfd` (in basic mode the
  child runs as the grader's user, whose memory holds the reference solution).

Built with libseccomp (through `pyseccomp`); where libseccomp is missing, `available()` is False
and the isolation level says what that leaves open.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import tempfile

try:
    if sys.platform != "linux":
        raise ImportError("seccomp is Linux only")
    import pyseccomp
except (ImportError, OSError):  # OSError: the libseccomp shared library is not installed
    pyseccomp = None

DENIED = ("add_key", "keyctl", "request_key",
          "memfd_create", "memfd_secret", "shmget", "msgget", "semget",
          "unshare", "setns",
          "mount", "umount2", "pivot_root", "fsopen", "fsmount", "fsconfig", "move_mount", "open_tree",
          "io_uring_setup", "bpf", "userfaultfd", "perf_event_open",
          "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd")
NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000)  # CLONE_NEW*
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
BPF_INSTRUCTION = 8  # bytes of one struct sock_filter


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
# The compiled filter (`compile_once`) and the sock_fprog that points at it, which forked children inherit.
_program: tuple[ctypes.Array, _SockFprog] | None = None


def available() -> bool:
    return pyseccomp is not None


def _rules() -> pyseccomp.SyscallFilter:
    refuse = pyseccomp.ERRNO(errno.EPERM)
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    for name in DENIED:
        try:
            rules.add_rule(refuse, name)
        except (OSError, ValueError):  # a system call this kernel or libseccomp does not know
            continue
    for flag in NAMESPACE_FLAGS:
        rules.add_rule(refuse, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    rules.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    return rules


def compile_once() -> None:
    """Compile the filter to its BPF program now (in the zygote), so that each child only loads it.

    Should that fail (no temporary folder?), each child compiles it for itself, as `install` then does.
    """
    global _program
    try:
        with tempfile.TemporaryFile() as exported:
            _rules().export_bpf(exported)
            exported.seek(0)
            program = exported.read()
    except OSError:
        return
    if program and len(program) % BPF_INSTRUCTION == 0:
        code = ctypes.create_string_buffer(program, len(program))
        _program = code, _SockFprog(len(program) // BPF_INSTRUCTION, ctypes.cast(code, ctypes.c_void_p))


def install() -> None:
    """Load the filter into this process; it holds for every thread and process it starts.

    Needs PR_SET_NO_NEW_PRIVS set (or CAP_SYS_ADMIN), as the kernel requires for any filter.
    """
    if _program is None:
        _rules().load()
        return
    _, program = _program
    if _libc.prctl(ctypes.c_int(PR_SET_SECCOMP), ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(program),
                   ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"loading the system call filter: {os.strerror(number)}")
