"""The wire between the grader, the zygote and a child: framed bytes and small JSON messages.

Two kinds of channel:

- The call channel (a stream socket): the grader sends requests, the child sends results.
  The student's code runs in the child and could write anything to it, so each message is
  a frame (a 4-byte big-endian length, then that many bytes) and `FrameReader` refuses a
  frame larger than its cap before reading it. Payloads are `checklib.codec` bytes.
- Control channels (SOCK_SEQPACKET sockets that only trusted code holds: grader <-> zygote,
  and per child a monitor channel between the grader and the zygote): one JSON object per
  message, optionally with file descriptors attached (SCM_RIGHTS).
"""

from __future__ import annotations

import json
import math
import os
import select
import socket
import struct
from collections.abc import Sequence

HEADER = struct.Struct("!I")
MAX_CONTROL_MESSAGE = 1024**2


class ProtocolError(Exception):
    """Bytes on a channel that are not a valid message (garbage, or a frame over the cap)."""


def pack_frame(payload: bytes) -> bytes:
    if len(payload) >= 2**32:
        raise ProtocolError(f"a frame of {len(payload)} bytes does not fit the 4-byte length")
    return HEADER.pack(len(payload)) + payload


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(pack_frame(payload))


class FrameReader:
    """Cuts a byte stream into frames; refuses a frame larger than max_size from its header."""

    def __init__(self, max_size: int):
        self.max_size = max_size
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data
        self._check_header()

    def _check_header(self) -> None:
        """Every header buffered so far must announce a frame within the cap."""
        offset = 0
        while offset + HEADER.size <= len(self._buffer):
            (size,) = HEADER.unpack_from(self._buffer, offset)
            if size > self.max_size:
                raise ProtocolError(f"a message of {size} bytes, over the limit of {self.max_size}")
            offset += HEADER.size + size

    def next_frame(self) -> bytes | None:
        """The next whole frame, or None until more bytes arrive."""
        if len(self._buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self._buffer)
        end = HEADER.size + size
        if len(self._buffer) < end:
            return None
        frame = bytes(self._buffer[HEADER.size:end])
        del self._buffer[:end]
        return frame


def read_frame(sock: socket.socket, max_size: int) -> bytes:
    """Block until one whole frame arrives; EOFError if the other end closed."""
    reader = FrameReader(max_size)
    while (frame := reader.next_frame()) is None:
        data = sock.recv(64 * 1024)
        if not data:
            raise EOFError("the other end closed the channel")
        reader.feed(data)
    return frame


def send_message(sock: socket.socket, message: dict, fds: Sequence[int] = ()) -> None:
    """One JSON message on a SOCK_SEQPACKET socket, with fds attached if any."""
    data = json.dumps(message).encode("utf-8")
    if len(data) > MAX_CONTROL_MESSAGE:
        raise ProtocolError(f"a control message of {len(data)} bytes is too large")
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


def receive_message(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """The next message and its fds; (None, []) when the other end closed."""
    data, fds, flags, _ = socket.recv_fds(sock, MAX_CONTROL_MESSAGE, 4)
    if not data and not fds:
        return None, []
    try:
        if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
            raise ProtocolError("a control message was truncated")
        try:
            message = json.loads(data.decode("utf-8"))
        except ValueError as error:
            raise ProtocolError(f"a control message is not JSON: {error}") from None
        if type(message) is not dict:
            raise ProtocolError("a control message must be a JSON object")
    except ProtocolError:
        for fd in fds:
            os.close(fd)
        raise
    return message, fds


def wait_readable(channels: Sequence[socket.socket | int], timeout: float | None) -> list:
    """The channels (sockets or fds) that can be read without blocking, waiting up to timeout seconds.

    poll, not select: select fails on file descriptors above 1023, which a busy grader may use.
    """
    poller = select.poll()
    by_fd = {}
    for channel in channels:
        fd = channel if isinstance(channel, int) else channel.fileno()
        by_fd[fd] = channel
        poller.register(fd, select.POLLIN)
    milliseconds = None if timeout is None else max(0, math.ceil(timeout * 1000))
    return [by_fd[fd] for fd, _ in poller.poll(milliseconds)]
