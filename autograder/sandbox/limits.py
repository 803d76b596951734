"""How much a student's code may use: time, memory, processes, files, output.

One `Limits` applies to every submission a `Sandbox` grades. Wall-clock limits are enforced
by the grader (it kills the child's whole process tree); the others are resource limits
(setrlimit) the child gets after numpy and torch are loaded, so they count only what the
student's code adds. Reading the upload runs no student code, so its limit is CPU time, which
a busy machine does not use up: the grader stops the child once it has used that much.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

MiB = 1024**2
GiB = 1024**3
DEADLINE_GRACE = 10.0  # the zygote kills a child this long after its submission time is up (a backstop)


@dataclass(frozen=True)
class Limits:
    call_timeout: float = 10.0  # wall-clock seconds for one call (and for importing the file)
    intake_cpu_seconds: float = 5.0  # CPU seconds to read the upload (choose the file, decode, extract a notebook)
    submission_timeout: float = 60.0  # wall-clock seconds for everything one submission runs
    cpu_seconds: float | None = None  # CPU time of each of its processes (RLIMIT_CPU); None: submission_timeout
    memory_bytes: int = 2 * GiB  # address space on top of numpy + torch (RLIMIT_AS)
    file_bytes: int = 64 * MiB  # largest file it may write (RLIMIT_FSIZE); also its private disk
    processes: int = 32  # processes and threads of the child's user (RLIMIT_NPROC)
    open_files: int = 64  # open file descriptors (RLIMIT_NOFILE)
    # Largest message the grader reads back from the child (a check's values are a few kB); the
    # grader holds about 4 times this per worker while it reads and decodes one.
    reply_bytes: int = 16 * MiB
    max_restarts: int = 3  # fresh children after the child died or was stopped; then every call fails

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value is not None and (value < 0 or (value == 0 and name != "max_restarts")):
                raise ValueError(f"Limits.{name} must be positive, got {value!r}")

    @property
    def cpu_limit(self) -> int:
        """Whole seconds of CPU time per process: cpu_seconds, or the submission's wall time."""
        return math.ceil(self.submission_timeout if self.cpu_seconds is None else self.cpu_seconds)

    @property
    def intake_wait(self) -> float:
        """Wall-clock seconds the grader waits for the upload to be read: only a backstop for a child the machine
        starves (reading is limited by intake_cpu_seconds). That time is given back to the submission, so it stays
        within the zygote's grace."""
        return min(self.submission_timeout, DEADLINE_GRACE)

    def as_plain(self) -> dict:
        return asdict(self)

    @classmethod
    def from_plain(cls, plain: dict) -> Limits:
        return cls(**plain)


def describe_bytes(size: int) -> str:
    """2147483648 -> "2 GiB", for messages."""
    for unit, scale in (("GiB", GiB), ("MiB", MiB)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"
