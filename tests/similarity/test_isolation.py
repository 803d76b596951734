"""The detector runs in its own process under a time and a memory limit; past either, it is stopped."""

import psutil
import pytest

from autograder.similarity.detector import DetectionRequest
from autograder.similarity.isolation import DetectorFailed, DetectorLimits, MiB, run_detector


def detector_processes() -> list[psutil.Process]:
    return [process for process in psutil.Process().children(recursive=True)
            if "autograder.similarity.child" in " ".join(process.cmdline())]


def test_a_detector_past_its_time_limit_is_stopped_with_the_reason():
    request = DetectionRequest(["x = 1\n"] * 3, "x = 1\n", "")
    with pytest.raises(DetectorFailed, match=r"did not finish within 0\.3 s"):
        run_detector(request, DetectorLimits(seconds=0.3))
    assert detector_processes() == []


def test_a_detector_past_its_memory_limit_fails_with_the_reason():
    source = "".join(f"value_{number} = [{number}] * {number}\n" for number in range(4000))  # ~100 KB
    request = DetectionRequest([source] * 30, source, "")
    with pytest.raises(DetectorFailed, match="memory|MemoryError"):
        run_detector(request, DetectorLimits(memory_bytes=4 * MiB))
    assert detector_processes() == []
