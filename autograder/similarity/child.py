"""The detector's own process: limits itself, then fingerprints what the grader sends.

    python -m autograder.similarity.child REPLY.json --memory-bytes N --cpu-seconds N --file-bytes N

Started by autograder.similarity.isolation, never by hand. It lowers its CPU priority (grading
goes first; the fingerprints are taken in the CPU time grading leaves), loads its libraries, lowers its
own resource limits (address space on top of what the libraries took, CPU time, size of any
file it writes, no core dumps), and only then reads its standard input, one JSON object a line:

    {"stub": "..."}                                  first: the released stub (boilerplate)
    {"id": 1001, "source": "..."}                    a student, as soon as the grader graded them
    {"finish": [1001, ...], "reference": "...", "archive": [["...", "module"], ...]}

On "finish" it writes the reply (JSON) and exits 0; on any error, or if its input ends first,
it exits 1 with one line on stderr saying why. Nothing of a student's code runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from pathlib import Path

LOWER_PRIORITY = 10  # added to the process's nice value: the grader's own work goes first


def lower_limits(memory_bytes: int, cpu_seconds: int, file_bytes: int) -> None:
    """Soft and hard limits together, so they cannot be raised again; a limit the OS refuses is skipped
    (macOS does not enforce an address-space limit: the parent also watches the memory)."""
    import psutil

    address_space = psutil.Process().memory_info().vms + memory_bytes
    for kind, value in ((resource.RLIMIT_AS, address_space), (resource.RLIMIT_CPU, cpu_seconds),
                        (resource.RLIMIT_FSIZE, file_bytes), (resource.RLIMIT_CORE, 0)):
        _, hard = resource.getrlimit(kind)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            pass


def serve(lines, reply: Path) -> None:
    """Fingerprint each student as it comes; on "finish", write the reply. Raises EOFError if input ends first."""
    from autograder.similarity.detector import StreamingDetector

    detector = None
    for line in lines:
        message = json.loads(line)
        if "stub" in message:
            detector = StreamingDetector(message["stub"])
        elif "source" in message:
            detector.add(int(message["id"]), message["source"])
        elif "finish" in message:
            archive = [(source, kind) for source, kind in message["archive"]]
            result = detector.finish([int(key) for key in message["finish"]], message["reference"], archive)
            reply.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
            return
    raise EOFError("the grader stopped before the class was complete")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.similarity.child")
    parser.add_argument("reply", type=Path)
    parser.add_argument("--memory-bytes", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--file-bytes", type=int, required=True)
    args = parser.parse_args(argv)
    os.nice(LOWER_PRIORITY)  # grading comes first: fingerprints are taken in the CPU time it leaves

    import copydetect  # noqa: F401  (loaded before the limits, like numpy: they count only the work)

    import autograder.similarity.detector  # noqa: F401

    lower_limits(args.memory_bytes, args.cpu_seconds, args.file_bytes)
    try:
        serve(sys.stdin, args.reply)
    except MemoryError:
        print("the detector ran out of memory", file=sys.stderr)
        return 1
    except Exception as error:  # reported to the TA in one line; the grader writes every other output
        print(f"the detector failed: {type(error).__name__}: {error}"[:500], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
