"""The detector runs in its own process under a time and a memory limit; past either, it is stopped."""

import psutil
import pytest

from autograder.similarity.isolation import DetectorFailed, DetectorLimits, DetectorProcess, MiB


def detector_processes() -> list[psutil.Process]:
    return [process for process in psutil.Process().children(recursive=True)
            if "autograder.similarity.child" in " ".join(process.cmdline())]


def run(students: list[str], limits: DetectorLimits) -> dict:
    detector = DetectorProcess("", limits)
    for key, source in enumerate(students):
        detector.add(key, source)
    return detector.finish(list(range(len(students))), students[0], [])


def test_a_detector_past_its_time_limit_is_stopped_with_the_reason():
    with pytest.raises(DetectorFailed, match=r"did not finish within 0 s"):
        run(["x = 1\n"] * 3, DetectorLimits(seconds=0))
    assert detector_processes() == []


def test_a_detector_past_its_memory_limit_fails_with_the_reason():
    source = "".join(f"value_{number} = [{number}] * {number}\n" for number in range(4000))  # ~100 KB
    with pytest.raises(DetectorFailed, match="memory|MemoryError"):
        run([source] * 30, DetectorLimits(memory_bytes=4 * MiB))
    assert detector_processes() == []


def test_a_detector_within_its_limits_replies():
    reply = run(["x = 1\n", "y = 2\n"], DetectorLimits())
    assert len(reply["pair_scores"]) == 1 and reply["identical_to_reference"] == [False, False]
