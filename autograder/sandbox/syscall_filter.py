"""The system calls a child may not make (seccomp, Linux), in every mode: what would outlive it or escape its limits.

    if syscall_filter.available():
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

import errno
import sys

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


def available() -> bool:
    return pyseccomp is not None


def install() -> None:
    """Load the filter into this process; it holds for every thread and process it starts."""
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
    rules.load()
