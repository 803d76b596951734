"""macOS's sandbox (Seatbelt, what `sandbox-exec` applies) for a basic-mode child on a Mac.

    macos.restrict(readable=python_folders, writable=[workdir])   # in the child, before the student's code

`sandbox-exec -p PROFILE command` applies a profile to a program it starts; a child forked
from the zygote applies the same kind of profile to itself with `sandbox_init` (libSystem;
deprecated by Apple but still what `sandbox-exec` calls). The profile allows everything
(NumPy's Accelerate and PyTorch need mach services and sysctls that an allow-list would have
to name one by one), then denies, later rules winning:

- the network, all of it;
- reading the contents of any file outside the system folders, the Python folders and the
  child's own folder (so the repository, the reference solution and the hidden checks);
  file metadata (stat) stays readable, as Python's imports need it;
- writing anywhere but the child's own folder and /dev/null;
- signals to processes outside the sandbox (the grader and the zygote run as the same user).

Not verified on a Mac (this code was written and tested on Linux, where `sys.platform` is never
"darwin"): see the README's isolation section. If `sandbox_init` refuses the profile, the child
does not run and the submission is reported as a grader failure, never graded without it.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterable

SYSTEM_FOLDERS = ("/System", "/usr", "/bin", "/sbin", "/Library", "/private/var/db/timezone",
                  "/private/etc", "/etc", "/dev", "/opt/homebrew", "/usr/local")


def _quoted(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def profile(readable: Iterable[str], writable: Iterable[str]) -> str:
    """The Seatbelt profile (SBPL) for a child that may read readable and write writable."""
    writable = list(writable)
    readable_rules = " ".join(f"(subpath {_quoted(path)})" for path in (*SYSTEM_FOLDERS, *readable, *writable))
    writable_rules = " ".join(f"(subpath {_quoted(path)})" for path in writable)
    return "\n".join([
        "(version 1)",
        "(allow default)",
        "(deny network*)",
        f"(deny file-read-data (require-not (require-any {readable_rules})))",
        f'(deny file-write* (require-not (require-any {writable_rules} (literal "/dev/null"))))',
        "(deny signal (target others))",
        "(allow signal (target same-sandbox))",
    ])


def restrict(readable: Iterable[str], writable: Iterable[str]) -> None:
    """Apply the profile to this process, for good; OSError if macOS refuses it."""
    if sys.platform != "darwin":
        raise OSError("the macOS sandbox exists only on macOS")
    library = ctypes.CDLL("/usr/lib/libSystem.B.dylib")
    library.sandbox_init.argtypes = [ctypes.c_char_p, ctypes.c_uint64, ctypes.POINTER(ctypes.c_char_p)]
    library.sandbox_init.restype = ctypes.c_int
    error = ctypes.c_char_p()
    if library.sandbox_init(profile(readable, writable).encode(), 0, ctypes.byref(error)) != 0:
        message = error.value.decode(errors="replace") if error.value else "unknown error"
        raise OSError(f"sandbox_init refused the profile: {message}")
