"""`SandboxSubject`: a student's module in a sandboxed child, with `InProcessSubject`'s behaviour.

Calls are forwarded to the child as plain data and come back as plain data, validated by
`checklib.codec.decode`. As in-process, a function that modifies a writeable array
argument modifies the caller's array (the child reports positional array arguments after
the call and they are copied back), and a read-only argument is read-only in the child too.

When the child's process ends or is stopped (os._exit, a time or memory limit, a crash,
garbage on the channel), that call raises `SubmissionStopped` with a message for the
student, and the next call starts a fresh child (a fork, and the file imported again), so
one crash does not void the other checks. After `Limits.max_restarts` fresh children, or
once the submission's total time is used up, every later call raises `SubmissionStopped`
at once.

Nothing the child sends decides a status or a word of the grader's: replies are decoded
within `checklib.codec`'s budget, an exception the child reports (whatever its type name,
MemoryError included) is the student's error, shown quoted, and only this module's own
observations (a timeout, the zygote's report of the child's end, an unreadable or too large
reply) stop a call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.sandbox import messages
from autograder.sandbox.connection import ChildConnection, ChildEnded, ReplyTimeout
from autograder.sandbox.limits import Limits
from autograder.sandbox.protocol import ProtocolError, encode_request
from autograder.upload.intake import Intake, intake_request
from checklib.calls import ErrorInfo
from checklib.codec import CodecError, Opaque, TooMuchData, decode, to_plain
from checklib.student_text import MAX_QUOTED, clipped
from checklib.subject import ImportFailed, Subject, SubmissionStopped, import_failure, raise_for

STOPPED = "SubmissionStopped"  # the type name of load_error when the grader stopped the import
# A child stopped at a time limit that had the CPU for less than this share of its life may have
# been starved by a busy machine rather than stuck in a loop: `timed_out` says so (a second look).
BUSY_SHARE = 0.5
_INTAKE_KEYS = {"source", "path", "kind", "reason", "notes"}


@dataclass(frozen=True)
class Upload:
    """A student's uploaded files, for the child to choose the graded module from (`autograder.upload.intake`)."""

    files: dict[str, bytes]
    module_name: str  # the expected file name, e.g. "hw1_linear_regression.py"
    function_names: tuple[str, ...]


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code): the grader cannot go on."""


class _Stopped(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _error_info(plain: Any) -> ErrorInfo | None:
    if plain is None:
        return None
    if type(plain) is not dict or set(plain) != {"type_name", "message", "where"} or not all(
            type(value) is str for value in plain.values()):
        raise CodecError("malformed error")
    return ErrorInfo(plain["type_name"][:100], plain["message"][:1000], plain["where"][:1000])


def _warning_texts(plain: Any) -> list[str]:
    if type(plain) is not list or not all(type(text) is str for text in plain):
        raise CodecError("malformed warnings")
    return [clipped(" ".join(text.split()), MAX_QUOTED) for text in plain[:10]]


def _reply(payload: bytes, keys: set[str]) -> dict:
    reply = decode(payload)
    if type(reply) is not dict or not keys <= set(reply):
        raise CodecError("malformed reply")
    return reply


def _contains_opaque(value: Any) -> bool:
    if type(value) is Opaque:
        return True
    if type(value) in (list, tuple):
        return any(_contains_opaque(item) for item in value)
    if type(value) is dict:
        return any(_contains_opaque(item) for item in value.values())
    return False


def _read_only(values: Sequence[Any] | dict[str, Any]) -> list:
    items = values.items() if isinstance(values, dict) else enumerate(values)
    return [key for key, value in items if type(value) is np.ndarray and not value.flags.writeable]


class SandboxSubject(Subject):
    """A student's module loaded in a sandboxed child; see the module docstring."""

    def __init__(self, assignment: str, source: str | None, filename: str, limits: Limits,
                 spawn: Callable[[], ChildConnection], upload: Upload | None = None):
        super().__init__(assignment)
        self.limits = limits
        self._source, self._filename, self._spawn, self._upload = source, filename, spawn, upload
        self._deadline = time.monotonic() + limits.submission_timeout
        self._child: ChildConnection | None = None
        self._stops = 0
        self._gave_up: str | None = None  # why every later call fails at once
        self.load_error: ErrorInfo | None = None  # the child's import error, or STOPPED when the grader stopped it
        self._load_stopped: str | None = None  # why the grader stopped the import, in its own words
        self.intake: Intake | None = None  # with an upload: what the child read from it (None if it was stopped)
        self.timed_out = False  # a child ran out of wall-clock time without using the CPU (the machine busy?)
        # The sandbox failed under this submission (a check that caught it only saw "could not be checked"):
        # its grading does not count.
        self.sandbox_failure: SandboxError | None = None
        try:
            self.load_error = self._start()
        except _Stopped as stop:
            self._load_stopped = stop.message
            self.load_error = ErrorInfo(STOPPED, stop.message, "")
        except BaseException:
            self.close()
            raise

    @property
    def load_failure(self) -> str | None:
        """Why the file could not be imported, for the student (their own error quoted); None if it was."""
        if self._load_stopped is not None:
            return f"your file could not be imported: {self._load_stopped}"
        return None if self.load_error is None else import_failure(self.load_error)

    # --- the child's life -----------------------------------------------------------------

    def _start(self) -> ErrorInfo | None:
        """A fresh child with the file imported (read from the upload first, once); the import error, if any."""
        self._child = self._spawn()
        if self._source is None and self._upload is not None:
            request = intake_request(self._upload.files, self._upload.module_name, list(self._upload.function_names))
            try:
                self.intake = Intake.from_plain(self._exchange(messages.INTAKE, request, _INTAKE_KEYS))
            except CodecError as bad:
                raise self._stopped(messages.unreadable_reply(messages.INTAKE, str(bad))) from None
            if self.intake.source is None:
                return None
            self._source = self.intake.source
        request = {"op": "load", "source": self._source, "filename": self._filename}
        reply = self._exchange(messages.IMPORT, request, {"error"})
        return _error_info(reply["error"])

    def _exchange(self, function: str, request: dict, keys: set[str]) -> dict:
        """Send request to the child and return its validated reply; _Stopped if the child stopped."""
        child = self._child
        seconds = self.limits.intake_timeout if function == messages.INTAKE else self.limits.call_timeout
        deadline = min(time.monotonic() + seconds, self._deadline)
        try:
            return _reply(child.request(encode_request(request), deadline), keys)
        except ReplyTimeout:
            exit_info = child.stop() or {}
            lifetime = time.monotonic() - child.started
            if (exit_info.get("cpu") or 0.0) < BUSY_SHARE * lifetime:  # not running flat out: asleep, or starved
                self.timed_out = True
            raise self._stopped(self._timeout_message(function)) from None
        except ChildEnded as ended:
            if ended.exit_info is None or ended.exit_info.get("lost"):
                raise self._failed("the sandbox's zygote stopped answering: no submission can be graded now") from None
            if setup_error := ended.exit_info.get("setup_error"):  # the zygote's word, not the child's
                raise self._failed(f"the sandboxed child could not be set up: {setup_error}") from None
            raise self._stopped(messages.process_ended(function, ended.exit_info, self.limits)) from None
        except TooMuchData as error:
            child.stop()
            raise self._stopped(messages.reply_too_large(function, str(error))) from None
        except (ProtocolError, CodecError) as error:
            child.stop()
            raise self._stopped(messages.unreadable_reply(function, str(error))) from None

    def _timeout_message(self, function: str) -> str:
        if time.monotonic() >= self._deadline:
            self._gave_up = messages.not_run_after_timeout(self.limits)
            return messages.submission_timeout(function, self.limits)
        return messages.call_timeout(function, self.limits)

    def _failed(self, message: str) -> SandboxError:
        """The sandbox itself failed (not the student's code): remember it, and let the child go."""
        self.close()
        self.sandbox_failure = SandboxError(message)
        return self.sandbox_failure

    def _stopped(self, message: str) -> _Stopped:
        """The child is gone: forget it, count the stop, and say why."""
        if self._child is not None:
            self._child.close()
            self._child = None
        self._stops += 1
        if self._stops > self.limits.max_restarts and self._gave_up is None:
            self._gave_up = messages.not_run_after_restarts(self._stops)
        return _Stopped(message)

    def _ensure_child(self, function: str) -> None:
        if self._load_stopped is not None:
            raise SubmissionStopped(function, self.load_failure)
        if self.load_error is not None:
            raise ImportFailed(function, self.load_error)
        if self._gave_up is None and time.monotonic() >= self._deadline:
            self._gave_up = messages.not_run_after_timeout(self.limits)
        if self._gave_up is not None:
            raise SubmissionStopped(function, self._gave_up)
        if self._child is None:
            try:
                error = self._start()
            except SandboxError as failure:
                self.sandbox_failure = failure
                raise
            except _Stopped as stop:
                raise SubmissionStopped(function, stop.message) from None
            if error is not None:  # it imported before: the file behaves differently now
                self._gave_up = f"not run: your file could not be imported again: {error.shown()}"
                raise SubmissionStopped(function, self._gave_up)

    # --- calls ------------------------------------------------------------------------------------

    def _run(self, function: str, request: dict) -> Any:
        self._ensure_child(function)
        try:
            reply = self._exchange(function, request, {"value", "error", "args_after", "warnings"})
            error = _error_info(reply["error"])
            self.last_warnings = _warning_texts(reply["warnings"])
        except _Stopped as stop:
            raise SubmissionStopped(function, stop.message) from None
        except CodecError as bad:
            stop = self._stopped(messages.unreadable_reply(function, str(bad)))
            raise SubmissionStopped(function, stop.message) from None
        if error is not None:
            raise_for(function, error)
        return reply

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        request = self._request(function, args, kwargs)
        reply = self._run(function, request)
        self._copy_back(args, reply["args_after"])
        return reply["value"]

    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        request = self._request(function, args, {}, torch=True, requires_grad=list(requires_grad))
        return self._run(function, request)["value"]

    def _request(self, function: str, args: Sequence[Any], kwargs: dict[str, Any], torch: bool = False,
                 requires_grad: list[int] | None = None) -> dict:
        plain_args, plain_kwargs = to_plain(list(args)), to_plain(kwargs)
        if _contains_opaque(plain_args) or _contains_opaque(plain_kwargs):
            raise TypeError(f"{function}: an argument cannot be sent to the sandbox (only plain values and arrays)")
        return {"op": "call", "function": function, "args": plain_args, "kwargs": plain_kwargs,
                "read_only": _read_only(args) + _read_only(kwargs), "torch": torch,
                "requires_grad": requires_grad or []}

    @staticmethod
    def _copy_back(args: Sequence[Any], after: Any) -> None:
        """Modified array arguments, as the student's function left them, into the caller's arrays."""
        if type(after) is not list:
            return
        for original, changed in zip(args, after, strict=False):
            if (type(original) is np.ndarray and original.flags.writeable and type(changed) is np.ndarray
                    and changed.shape == original.shape and changed.dtype == original.dtype
                    and not np.array_equal(original, changed, equal_nan=original.dtype.kind in "fc")):
                np.copyto(original, changed)

    def close(self) -> None:
        """End the child and everything it started (the zygote finishes that in the background)."""
        if self._child is not None:
            self._child.release()
            self._child = None
