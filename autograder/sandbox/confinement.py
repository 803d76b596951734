"""Basic mode's walls from the operating system: Landlock on Linux, the Seatbelt sandbox on macOS.

    kind = working_confinement(scratch, portable)   # in the zygote: LANDLOCK, SEATBELT or None
    confine(kind, workdir)                          # in each child, before the student's code

Without namespaces, these are what keep a child's hands off the grader's files (the reference
solution, the hidden checks) and, as far as the system allows, the network and the grader's
processes: see `landlock` and `macos`.
"""

from __future__ import annotations

import os
import sys

from autograder.sandbox import isolation, landlock, macos

LANDLOCK, SEATBELT = "landlock", "seatbelt"


def confine(kind: str | None, workdir: str) -> None:
    """Basic mode, in the child: the system's walls around its files (and, with Landlock, TCP and signals)."""
    readable = [*isolation.SYSTEM_DIRS, *isolation.python_dirs(), *isolation.ETC_FILES]
    if kind == LANDLOCK:
        landlock.restrict(readable, [workdir])
    elif kind == SEATBELT:
        macos.restrict(readable, [workdir])


def working_confinement(scratch: str, portable: bool) -> str | None:
    """LANDLOCK (Linux) or SEATBELT (macOS) if a throw-away child can confine itself with it, else None."""
    if sys.platform == "darwin":
        candidate = SEATBELT
    elif sys.platform == "linux" and not portable and landlock.abi_version() > 0:
        candidate = LANDLOCK
    else:
        return None
    pid = os.fork()
    if pid == 0:
        try:
            isolation.forbid_new_privileges()
            confine(candidate, scratch)
            os.listdir(isolation.python_dirs()[0])
            with open(os.devnull, "wb"):
                os._exit(0)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return candidate if os.waitstatus_to_exitcode(status) == 0 else None
