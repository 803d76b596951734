"""What a student reads when the sandbox stopped their code: what happened, where, what to try.

A message about a call follows the function's name, as `SubmissionStopped` prints it
("cost: did not finish within 10 s (an infinite loop?)"), so it does not repeat it.
`IMPORT` stands for importing the file rather than calling a function; those messages
stand alone (they become the submission's `load_error`).
"""

from __future__ import annotations

import signal

from autograder.sandbox.limits import Limits, describe_bytes

IMPORT = "import"
INTAKE = "intake"  # reading the upload: choosing the file, decoding it, extracting a notebook


def _during(function: str) -> str:
    if function == INTAKE:
        return " while your upload was being read"
    return " while your file was being imported" if function == IMPORT else ""


def call_timeout(function: str, limits: Limits) -> str:
    if function == INTAKE:  # only a backstop: reading the upload is limited by its CPU time (intake_cpu)
        return (f"reading your upload (choosing the file to grade among your files) did not finish within "
                f"{limits.intake_wait:g} s: the grading machine was too busy")
    if function == IMPORT:
        return (f"importing your file did not finish within {limits.call_timeout:g} s "
                "(an infinite loop or a long computation at the top level?)")
    return f"did not finish within {limits.call_timeout:g} s (an infinite loop?)"


def intake_cpu(limits: Limits) -> str:
    return (f"reading your upload (choosing the file to grade among your files) took more than "
            f"{limits.intake_cpu_seconds:g} s of CPU time: do your files hold code built to be slow to read?")


def submission_timeout(function: str, limits: Limits) -> str:
    return (f"your submission used up its {limits.submission_timeout:g} s of running time{_during(function)}; "
            "the remaining calls were not run (make your code faster: is something much slower than needed?)")


def not_run_after_timeout(limits: Limits) -> str:
    return f"not run: your submission had already used up its {limits.submission_timeout:g} s of running time"


def not_run_after_restarts(stops: int) -> str:
    return (f"not run: your code stopped its process {stops} times already "
            "(see the first check that was stopped)")


def memory(function: str, limits: Limits) -> str:
    return f"your code used more than {describe_bytes(limits.memory_bytes)} of memory{_during(function)}"


def unreadable_reply(function: str, detail: str) -> str:
    return (f"the grader could not read what came back{_during(function)} ({detail}); "
            "does your code write to file descriptors it did not open?")


def reply_too_large(function: str, detail: str) -> str:
    return (f"what came back{_during(function)} was too large for the grader to read ({detail}): "
            "return arrays and numbers, not huge lists, and do not write to file descriptors your code did not open")


def process_ended(function: str, exit_info: dict, limits: Limits) -> str:
    """Why the child ended, from the zygote's report {"code", "signal", "cpu", "memory"}."""
    if exit_info.get("memory"):  # the zygote's memory watchdog killed it (where RLIMIT_AS caps nothing)
        return memory(function, limits)
    number = exit_info.get("signal")
    if number is None:
        code = exit_info.get("code")
        return (f"your code ended the process{_during(function)} (os._exit or sys.exit?"
                + ("" if code is None else f" exit status {code}") + ")")
    cpu = exit_info.get("cpu") or 0.0
    if number in (signal.SIGXCPU, signal.SIGKILL) and cpu >= limits.cpu_limit - 0.5:
        return f"your code used more than {limits.cpu_limit} s of CPU time{_during(function)}"
    name = _signal_name(number)
    if number == signal.SIGSEGV:
        return (f"your code crashed the Python process ({name}){_during(function)}: "
                "very deep recursion, or a crash inside a library?")
    if number == signal.SIGKILL:
        return (f"your code's process was killed ({name}){_during(function)}: "
                "did your code kill it, or did the machine run out of memory?")
    return f"your code's process was ended by {name}{_during(function)}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
