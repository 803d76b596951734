"""Run the detector in its own process under a time and a memory budget.

    detector = DetectorProcess(stub_source)         # started before grading: it loads while the class is graded
    detector.add(participant_id, source)            # from any thread, never blocks
    reply = detector.finish(order, reference, archive)   # raises DetectorFailed(reason); always stops the child
    detector.close()                                # if finish is never reached

The child (autograder.similarity.child) limits itself with rlimits before it reads anything.
This side watches its memory on every OS (macOS ignores address-space limits) from the start,
and its wall-clock time from `finish` on (before that it only waits for the grader), killing
its whole process group on either. Messages go through its standard input from one sender
thread, so a grading thread never waits for the detector; the reply comes back as a file in a
private temporary folder, at most reply_bytes. PYTHONHASHSEED is fixed: copydetect hashes
k-grams with Python's hash(), so the scores (and the report) are the same on every run.
"""

from __future__ import annotations

import json
import math
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

MiB = 1024**2
GiB = 1024**3
POLL_SECONDS = 0.05
LIBRARIES_BYTES = 400 * MiB  # what the detector's libraries take before it starts working


@dataclass(frozen=True)
class DetectorLimits:
    seconds: float = 120.0  # wall clock from the end of grading to the reply
    memory_bytes: int = 2 * GiB  # on top of the detector's libraries
    reply_bytes: int = 256 * MiB  # largest file the child may write (its reply)


class DetectorFailed(Exception):
    """The comparison could not be made; the message says why, for the summary."""


def _describe(size: int) -> str:
    return f"{size / GiB:g} GiB" if size >= GiB else f"{size / MiB:g} MiB"


class DetectorProcess:
    """The detector's child process, fed as the class is graded (see the module docstring)."""

    def __init__(self, stub: str, limits: DetectorLimits | None = None):
        self.limits = limits or DetectorLimits()
        self._folder = tempfile.TemporaryDirectory(prefix="autograder-similarity-")
        folder = Path(self._folder.name)
        self._reply, self._errors_path = folder / "reply.json", folder / "errors.txt"
        command = [sys.executable, "-m", "autograder.similarity.child", str(self._reply),
                   "--memory-bytes", str(self.limits.memory_bytes),
                   "--cpu-seconds", str(math.ceil(max(self.limits.seconds, 1) * 10)),  # it also works while grading
                   "--file-bytes", str(self.limits.reply_bytes)]
        environment = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "MPLBACKEND": "Agg"}
        with open(self._errors_path, "wb") as errors:
            self._child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                           cwd=folder, env=environment, start_new_session=True)
        self._failure: str | None = None
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, name="similarity-sender", daemon=True)
        self._watcher = threading.Thread(target=self._watch_memory, name="similarity-watch", daemon=True)
        self._sender.start()
        self._watcher.start()
        self._send({"stub": stub})

    def add(self, key: int, source: str) -> None:
        """One student's source; fingerprinted in the child while grading goes on."""
        self._send({"id": key, "source": source})

    def finish(self, order: list[int], reference: str, archive: list[tuple[str, str]]) -> dict:
        """The reply for the students in order (ids given to add), the reference and the archive."""
        try:
            self._send({"finish": order, "reference": reference, "archive": [list(item) for item in archive]})
            self._outbox.put(None)  # the sender closes the child's input
            self._wait(time.monotonic() + self.limits.seconds)
            return self._read_reply()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child (if it still runs) and remove the temporary folder."""
        self._outbox.put(None)
        self._kill()
        self._folder.cleanup()

    def _send(self, message: dict) -> None:
        self._outbox.put((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))

    def _send_all(self) -> None:
        stdin = self._child.stdin
        try:
            while (data := self._outbox.get()) is not None:
                stdin.write(data)
            stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the child is gone: finish reports why

    def _memory(self) -> int:
        try:
            process = psutil.Process(self._child.pid)
            return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
        except psutil.Error:
            return 0

    def _watch_memory(self) -> None:
        limit = LIBRARIES_BYTES + self.limits.memory_bytes
        while self._child.poll() is None:
            if self._memory() > limit:
                self._failure = f"the comparison needed more than {_describe(self.limits.memory_bytes)} of memory"
                self._kill()
                return
            time.sleep(POLL_SECONDS)

    def _kill(self) -> None:
        if self._child.poll() is None:
            try:
                os.killpg(self._child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._child.wait()

    def _wait(self, deadline: float) -> None:
        while self._child.poll() is None:
            if time.monotonic() > deadline:
                self._failure = self._failure or f"the comparison did not finish within {self.limits.seconds:g} s"
                self._kill()
                break
            time.sleep(POLL_SECONDS)
        if self._failure:
            raise DetectorFailed(self._failure)
        if self._child.returncode != 0:
            lines = self._errors_path.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit code {self._child.returncode}"
            if self._child.returncode < 0:
                why = f"the detector was stopped by signal {-self._child.returncode} (a resource limit?)"
            raise DetectorFailed(why)

    def _read_reply(self) -> dict:
        if not self._reply.is_file() or self._reply.stat().st_size > self.limits.reply_bytes:
            raise DetectorFailed("the detector wrote no reply")
        try:
            return json.loads(self._reply.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise DetectorFailed(f"the detector's reply could not be read ({error})") from None
