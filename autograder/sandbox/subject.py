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

With a `CallPlan` (`autograder.sandbox.plan`), each child runs the plan's requests ahead,
right after importing the file, and a call whose request is the next planned one (or a later
one: the requests in between were never made) takes the child's reply to it, with the same
time limit counted from the previous reply, and the same messages; any other call is sent
on its own once the child has answered the plan (the replies to the rest are kept for later
calls). A planned request no check made that stops the child costs it nothing: the child is
replaced without counting a restart, the time it took is given back, and after
MAX_QUIET_RESTARTS of these (or one while finishing the plan) the calls are sent one by one.

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
from autograder.sandbox.plan import CallPlan, call_request
from autograder.sandbox.protocol import ProtocolError, encode_request
from autograder.upload.intake import Intake, intake_request
from checklib.calls import ErrorInfo
from checklib.codec import CodecError, TooMuchData, decode
from checklib.student_text import MAX_QUOTED, clipped
from checklib.subject import ImportFailed, Subject, SubmissionStopped, import_failure, raise_for

STOPPED = "SubmissionStopped"  # the type name of load_error when the grader stopped the import
# A child stopped at a time limit that had the CPU for less than this share of its life may have
# been starved by a busy machine rather than stuck in a loop: `timed_out` says so (a second look).
BUSY_SHARE = 0.5
_INTAKE_KEYS = {"source", "path", "kind", "reason", "notes"}
_CALL_KEYS = {"value", "error", "args_after", "warnings"}
# Children replaced because a planned request no check made stopped them; then the plan is given up
# (each costs a fork and an import, and up to a call's time limit).
MAX_QUIET_RESTARTS = 2
INTAKE_LOOK_INTERVAL = 0.1  # seconds between looks at the CPU time of a child reading an upload


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


class SandboxSubject(Subject):
    """A student's module loaded in a sandboxed child; see the module docstring."""

    def __init__(self, assignment: str, source: str | None, filename: str, limits: Limits,
                 spawn: Callable[[], ChildConnection], upload: Upload | None = None, plan: CallPlan | None = None):
        super().__init__(assignment)
        self.limits = limits
        self._source, self._filename, self._spawn, self._upload = source, filename, spawn, upload
        self._deadline = time.monotonic() + limits.submission_timeout
        self._child: ChildConnection | None = None
        self._stops = 0
        self._plan = plan
        self._plan_off = False  # no more children get the plan (its requests are sent one by one)
        self._cursor = 0  # the plan's requests before this one were made, or passed over by the checks
        self._ahead: int | None = None  # the position of the next reply of a child running the plan
        self._last_reply = 0.0  # when the child's last reply arrived (a planned request's time counts from it)
        self._early: dict[int, bytes] = {}  # replies to planned requests, kept while a call was sent on its own
        self._quiet_restarts = 0
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
            self.intake = self._read_upload(self._upload)
            if self.intake.source is None:
                return None
            self._source = self.intake.source
        request = {"op": "load", "source": self._source, "filename": self._filename}
        reply = self._exchange(messages.IMPORT, request, {"error"})
        error = _error_info(reply["error"])
        if error is None and not self._send_plan():
            return self._start()  # the plan could not be sent: a fresh child, without it
        return error

    def _read_upload(self, upload: Upload) -> Intake:
        """What the child read from the upload; _Stopped if it was stopped.

        A slow read is stopped once the child has used `Limits.intake_cpu_seconds` of CPU time; the wait is
        only a backstop (`Limits.intake_wait`), and its time is given back to the submission: no student code ran.
        """
        started = time.monotonic()
        payload = encode_request(intake_request(upload.files, upload.module_name, list(upload.function_names)))
        backstop = started + self.limits.intake_wait
        try:
            return Intake.from_plain(self._settled(messages.INTAKE, lambda: _reply(
                self._intake_reply(payload, backstop), _INTAKE_KEYS)))
        except CodecError as bad:
            raise self._stopped(messages.unreadable_reply(messages.INTAKE, str(bad))) from None
        finally:
            self._deadline += time.monotonic() - started

    def _intake_reply(self, payload: bytes, backstop: float) -> bytes:
        """The child's reply to the intake request, looking at its CPU time while it reads (since its fork:
        its setup takes milliseconds); _Stopped once it has used intake_cpu_seconds, ReplyTimeout at the backstop."""
        child = self._child
        child.send(payload, backstop)
        while True:
            try:
                return child.receive(min(time.monotonic() + INTAKE_LOOK_INTERVAL, backstop))
            except ReplyTimeout:
                if time.monotonic() >= backstop:
                    raise
                if (child.cpu_time() or 0.0) >= self.limits.intake_cpu_seconds:
                    child.stop()
                    raise self._stopped(messages.intake_cpu(self.limits)) from None

    def _exchange(self, function: str, request: dict | bytes, keys: set[str]) -> dict:
        """Send request to the child and return its validated reply; _Stopped if the child stopped."""
        child = self._child
        deadline = min(time.monotonic() + self.limits.call_timeout, self._deadline)
        payload = request if type(request) is bytes else encode_request(request)
        return self._settled(function, lambda: _reply(child.request(payload, deadline), keys))

    def _settled(self, function: str, reply: Callable[[], dict]) -> dict:
        """reply(), the child's validated reply to function; _Stopped (or SandboxError) for every way it can fail."""
        child = self._child
        try:
            return reply()
        except ReplyTimeout:
            exit_info = child.stop() or {}
            lifetime = time.monotonic() - child.started
            if (exit_info.get("cpu") or 0.0) < BUSY_SHARE * lifetime:  # not running flat out: asleep, or starved
                self.timed_out = True
            raise self._stopped(self._timeout_message(function)) from None
        except ChildEnded as ended:
            self._raise_if_sandbox_failed(ended)
            raise self._stopped(messages.process_ended(function, ended.exit_info, self.limits)) from None
        except TooMuchData as error:
            if child is not None:
                child.stop()
            raise self._stopped(messages.reply_too_large(function, str(error))) from None
        except (ProtocolError, CodecError) as error:
            if child is not None:
                child.stop()
            raise self._stopped(messages.unreadable_reply(function, str(error))) from None

    def _raise_if_sandbox_failed(self, ended: ChildEnded) -> None:
        """The child ended because the sandbox failed (not the student's code): SandboxError."""
        if ended.exit_info is None or ended.exit_info.get("lost"):
            raise self._failed("the sandbox's zygote stopped answering: no submission can be graded now") from None
        if setup_error := ended.exit_info.get("setup_error"):  # the zygote's word, not the child's
            raise self._failed(f"the sandboxed child could not be set up: {setup_error}") from None

    def _timeout_message(self, function: str) -> str:
        if function != messages.INTAKE and time.monotonic() >= self._deadline:
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
        self._forget_child()
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

    # --- the plan ---------------------------------------------------------------------------------

    def _send_plan(self) -> bool:
        """Have the (new) child run the plan's requests from the cursor on; False if it did not take them (it is
        let go quietly, its time given back, and no child gets the plan again)."""
        if self._plan is None or self._plan_off or self._cursor >= len(self._plan):
            return True
        started = time.monotonic()
        try:
            self._child.send(self._plan.batch(self._cursor), started + self.limits.call_timeout)
        except (ReplyTimeout, ChildEnded, ProtocolError) as error:
            self._let_go_quietly(started, error)
            self._plan_off = True
            return False
        self._ahead = self._cursor
        self._last_reply = time.monotonic()
        self._early.clear()  # this child answers those requests again
        return True

    def _planned(self, payload: bytes) -> int | None:
        """The plan position whose reply answers this request: kept, or still to come from the child."""
        if self._plan is None:
            return None
        position = self._plan.find(payload, self._cursor)
        if position is not None and (position in self._early or (self._ahead is not None and position >= self._ahead)):
            return position
        return None

    def _next_planned_reply(self) -> bytes:
        """The child's next reply to a planned request, within the call time counted from the previous reply."""
        frame = self._child.receive(min(self._last_reply + self.limits.call_timeout, self._deadline))
        self._last_reply = time.monotonic()
        self._ahead += 1
        return frame

    def _passed_over(self, function: str, position: int) -> bool:
        """Read and drop the child's replies before position (requests the checks did not make); False if one of
        them stopped the child, which was then replaced quietly (running the plan from position on)."""
        while self._ahead < position:
            started = self._last_reply
            try:
                self._next_planned_reply()
            except (ReplyTimeout, ChildEnded, ProtocolError) as error:
                self._quiet_restart(function, started, position, error)
                return False
        return True

    def _finish_plan(self, function: str) -> None:
        """Before a call sent on its own: the child's replies to the rest of the plan, kept for later calls
        (up to reply_bytes of them); if one stops the child, it is replaced quietly, without the plan."""
        kept = sum(len(frame) for frame in self._early.values())
        while self._ahead is not None and self._ahead < len(self._plan):
            position, started = self._ahead, self._last_reply
            try:
                frame = self._next_planned_reply()
            except (ReplyTimeout, ChildEnded, ProtocolError) as error:
                self._plan_off = True  # that request would stop the next child too
                self._quiet_restart(function, started, self._cursor, error)
                return
            if kept + len(frame) <= self.limits.reply_bytes:
                self._early[position] = frame
                kept += len(frame)

    def _quiet_restart(self, function: str, started: float, position: int, error: Exception) -> None:
        """A request no check made stopped the child: a new one (running the plan from position on, unless it is
        given up), without counting a stop."""
        self._let_go_quietly(started, error)
        self._cursor = position
        self._ensure_child(function)

    def _let_go_quietly(self, started: float, error: Exception) -> None:
        """The child failed the plan, not a check's call: let it go without counting a stop, and give back the time
        since started. SandboxError if the sandbox itself failed."""
        if isinstance(error, ChildEnded):
            self._raise_if_sandbox_failed(error)
        self._forget_child()
        self._deadline += time.monotonic() - started
        self._quiet_restarts += 1
        self._plan_off = self._plan_off or self._quiet_restarts >= MAX_QUIET_RESTARTS

    def _forget_child(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None
        self._ahead = None

    def _call_reply(self, function: str, payload: bytes) -> dict:
        """The child's validated reply to a call: the plan's, when it planned this request; else sent on its own."""
        while (position := self._planned(payload)) is not None:
            if (reply := self._plan_reply(function, position)) is not None:
                return reply
        self._finish_plan(function)
        return self._exchange(function, payload, _CALL_KEYS)

    def _plan_reply(self, function: str, position: int) -> dict | None:
        """The reply to the planned request at position, kept or from the child; None if a request passed over
        on the way stopped the child (replaced quietly)."""
        kept = self._early.pop(position, None)
        if kept is None and not self._passed_over(function, position):
            return None
        self._cursor = position + 1
        self._early = {later: frame for later, frame in self._early.items() if later > position}
        return self._settled(function, lambda: _reply(self._next_planned_reply() if kept is None else kept, _CALL_KEYS))

    # --- calls ------------------------------------------------------------------------------------

    def _run(self, function: str, payload: bytes) -> Any:
        self._ensure_child(function)
        try:
            reply = self._call_reply(function, payload)
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
        reply = self._run(function, call_request(function, args, kwargs))
        self._copy_back(args, reply["args_after"])
        return reply["value"]

    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        payload = call_request(function, args, {}, torch=True, requires_grad=requires_grad)
        return self._run(function, payload)["value"]

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
        self._ahead = None
        self._early.clear()
