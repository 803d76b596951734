"""Run the detector in its own process under a time and a memory budget.

    reply = run_detector(request, DetectorLimits())     # raises DetectorFailed(reason)

The child (autograder.similarity.child) limits itself with rlimits before it reads anything;
this side enforces the wall-clock limit and, on every OS (macOS ignores address-space limits),
watches the child's memory, killing its whole process group on either. The request and reply
go through files in a private temporary folder; the reply is read only up to reply_bytes.
PYTHONHASHSEED is fixed: copydetect hashes k-grams with Python's hash(), so the scores (and
the report) are the same on every run.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from autograder.similarity.detector import DetectionRequest

MiB = 1024**2
GiB = 1024**3
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class DetectorLimits:
    seconds: float = 120.0  # wall clock for the whole comparison
    memory_bytes: int = 2 * GiB  # on top of the detector's libraries
    reply_bytes: int = 256 * MiB  # largest file the child may write (its reply)


class DetectorFailed(Exception):
    """The comparison could not be made; the message says why, for the summary."""


def _describe(size: int) -> str:
    return f"{size / GiB:g} GiB" if size >= GiB else f"{size / MiB:g} MiB"


def _memory(process: psutil.Process) -> int:
    try:
        return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])
    except psutil.Error:
        return 0


def _kill(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    child.wait()


def _watch(child: subprocess.Popen, limits: DetectorLimits, baseline: int) -> None:
    """Wait for the child; kill it when it passes the time or memory limit (DetectorFailed)."""
    deadline = time.monotonic() + limits.seconds
    watched = psutil.Process(child.pid)
    while True:
        try:
            child.wait(timeout=POLL_SECONDS)
            return
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() > deadline:
            _kill(child)
            raise DetectorFailed(f"the comparison did not finish within {limits.seconds:g} s")
        if _memory(watched) > baseline + limits.memory_bytes:
            _kill(child)
            raise DetectorFailed(f"the comparison needed more than {_describe(limits.memory_bytes)} of memory")


def run_detector(request: DetectionRequest, limits: DetectorLimits = DetectorLimits()) -> dict:
    """The detector's reply (see detector.compare_documents); DetectorFailed if it failed or passed a limit."""
    with tempfile.TemporaryDirectory(prefix="autograder-similarity-") as temp:
        folder = Path(temp)
        request_path, reply_path, errors_path = folder / "request.json", folder / "reply.json", folder / "errors.txt"
        request_path.write_text(json.dumps(request.as_plain(), ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, "-m", "autograder.similarity.child", str(request_path), str(reply_path),
                   "--memory-bytes", str(limits.memory_bytes), "--cpu-seconds", str(math.ceil(limits.seconds)),
                   "--file-bytes", str(limits.reply_bytes)]
        environment = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       "MPLBACKEND": "Agg"}
        with open(errors_path, "wb") as errors:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                                     cwd=folder, env=environment, start_new_session=True)
            try:
                _watch(child, limits, baseline=300 * MiB)  # the libraries' own memory
            except BaseException:
                _kill(child)
                raise
        if child.returncode != 0:
            lines = errors_path.read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit code {child.returncode}"
            if child.returncode < 0:
                why = f"the detector was stopped by signal {-child.returncode} (a resource limit?)"
            raise DetectorFailed(why)
        if not reply_path.is_file() or reply_path.stat().st_size > limits.reply_bytes:
            raise DetectorFailed("the detector wrote no reply")
        try:
            return json.loads(reply_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise DetectorFailed(f"the detector's reply could not be read ({error})") from None
