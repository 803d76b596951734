"""The grader's end of one child: its call channel and its monitor channel (to the zygote).

`request` sends one frame and waits, up to a deadline, for the reply frame, the child's end
(the zygote's {"exit": ...} report) or garbage; `send` and `receive` are its two halves, for
a child that answers several requests sent at once (a call plan), one frame each, in order.
`stop` has the zygote kill the child and returns once it is gone, with everything it started;
`cpu_time` asks the zygote how much CPU time the child has used.
"""

from __future__ import annotations

import math
import select
import socket
import time
from dataclasses import dataclass, field

from autograder.sandbox import protocol

EXIT_REPORT_WAIT = 5.0  # the zygote reports a child's end within milliseconds; this is a backstop
CHUNK = 64 * 1024  # small enough that each recv buffer is not a fresh mmap


class ChildEnded(Exception):
    """The child's process ended; exit_info is the zygote's report (None if it never came)."""

    def __init__(self, exit_info: dict | None):
        super().__init__(f"the child ended: {exit_info}")
        self.exit_info = exit_info


class ReplyTimeout(Exception):
    """No reply before the deadline."""


@dataclass
class ChildConnection:
    call: socket.socket  # stream of frames; the student's code could write to it too
    monitor: socket.socket  # control messages to and from the zygote; only trusted code holds it
    pid: int
    reply_bytes: int  # the largest reply frame accepted
    exit_info: dict | None = None
    started: float = field(default_factory=time.monotonic)  # when the zygote forked it

    def __post_init__(self) -> None:
        # Set up once for every request of this child: the call channel never blocks (a deadline
        # bounds each wait), one poller watches both channels, and replies land in one buffer.
        self.call.setblocking(False)
        self._poller = select.poll()
        self._poller.register(self.call, select.POLLIN)
        self._poller.register(self.monitor, select.POLLIN)
        self._call_fd = self.call.fileno()
        self._received = bytearray(CHUNK)
        self._reader = protocol.FrameReader(self.reply_bytes)  # frames may arrive back to back

    @property
    def ended(self) -> bool:
        return self.exit_info is not None

    def request(self, payload: bytes, deadline: float) -> bytes:
        """Send payload as one frame; the reply frame.

        Raises ReplyTimeout, ChildEnded, or protocol.ProtocolError (garbage, a frame over
        the cap, or the child closed the channel while alive).
        """
        self.send(payload, deadline)
        return self.receive(deadline)

    def send(self, payload: bytes, deadline: float) -> None:
        """Send payload as one frame (ReplyTimeout if the child does not take it before the deadline)."""
        self._send(protocol.pack_frame(payload), deadline)

    def receive(self, deadline: float) -> bytes:
        """The child's next frame, as `request` waits for it."""
        reader = self._reader
        while (frame := reader.next_frame()) is None:
            remaining = deadline - time.monotonic()
            # Past the deadline, what has arrived already is still read (the grader may have been busy).
            ready = [fd for fd, _ in self._poller.poll(max(0, math.ceil(remaining * 1000)))]
            if not ready and remaining <= 0:
                raise ReplyTimeout()
            if self._call_fd in ready:
                try:
                    size = self.call.recv_into(self._received)
                except BlockingIOError:  # woken up with nothing to read after all
                    continue
                if not size:
                    self._on_hang_up()
                with memoryview(self._received) as received:
                    reader.feed(received[:size])
            elif ready:
                raise ChildEnded(self._wait_exit(EXIT_REPORT_WAIT))
        return frame

    def _send(self, frame: bytes, deadline: float) -> None:
        unsent = memoryview(frame)
        while unsent:
            try:
                unsent = unsent[self.call.send(unsent):]
            except BlockingIOError:  # the child is not reading: wait for room, up to the deadline
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not protocol.wait_writable(self.call, remaining):
                    raise ReplyTimeout() from None
            except (BrokenPipeError, ConnectionResetError):
                self._on_hang_up()

    def _on_hang_up(self) -> None:
        """The call channel closed: the child died, or its code closed the channel."""
        exit_info = self._wait_exit(1.0)
        if exit_info is not None:
            raise ChildEnded(exit_info)
        self.stop()
        raise protocol.ProtocolError("the connection was closed")

    def cpu_time(self) -> float | None:
        """The CPU time the child has used since its fork, as the zygote reads it; None once it has ended."""
        if self.exit_info is not None:
            return None
        try:
            protocol.send_message(self.monitor, {"op": "cpu"})
        except OSError:  # the zygote is gone: the call channel says so next
            return None
        # Waited for in full: an answer left on the channel would read as the child's end to `receive`.
        cpu = self._monitor_message("cpu", EXIT_REPORT_WAIT).get("cpu")
        return float(cpu) if type(cpu) in (int, float) else None

    def _wait_exit(self, timeout: float) -> dict | None:
        """The zygote's exit report, waiting up to timeout; None if none came."""
        self._monitor_message("exit", timeout)
        return self.exit_info

    def _monitor_message(self, key: str, timeout: float) -> dict:
        """The zygote's next message holding key, waiting up to timeout ({} if none came); an exit report
        on the way becomes exit_info and ends the wait."""
        give_up = time.monotonic() + timeout
        while self.exit_info is None and (remaining := give_up - time.monotonic()) > 0:
            if not protocol.wait_readable([self.monitor], remaining):
                break
            try:
                message, _ = protocol.receive_message(self.monitor)
            except (OSError, protocol.ProtocolError):
                message = None
            if message is None:
                self.exit_info = {"code": None, "signal": None, "cpu": 0.0, "killed": True, "lost": True}
            elif type(message.get("exit")) is dict:
                self.exit_info = message["exit"]
            elif key in message:
                return message
        return {}

    def stop(self) -> dict | None:
        """Have the zygote kill the child (and all it started); its exit report."""
        if self.exit_info is None:
            try:
                protocol.send_message(self.monitor, {"op": "kill"})
            except OSError:
                pass
        return self._wait_exit(EXIT_REPORT_WAIT)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            self.call.close()
            self.monitor.close()

    def release(self) -> None:
        """Hang up without waiting: the zygote kills the child and reaps it in the background."""
        self.call.close()
        self.monitor.close()
