"""The wire between the grader, the zygote and a child: framed bytes and small JSON messages.

Two kinds of channel:

- The call channel (a stream socket): the grader sends requests, the child sends results.
  The student's code runs in the child and could write anything to it, so each message is
  a frame (a 4-byte big-endian length, then that many bytes) and `FrameReader` refuses a
  frame larger than its cap before reading it. Results are `checklib.codec` bytes, which
  the grader decodes as hostile data. Requests come only from the grader, so they are
  pickled (`encode_request`), the fastest way to send them: only the child unpickles them
  (`decode_request`), never the grader anything that came from a child.
- Control channels (stream sockets that only trusted code holds: grader <-> zygote, and per
  child a monitor channel between the grader and the zygote): one JSON object per frame,
  optionally with file descriptors attached (SCM_RIGHTS) to the frame's first bytes. Plain
  stream sockets, not SOCK_SEQPACKET, so that the same code runs on macOS. The reader takes
  exactly one frame's bytes, never more, so a message still unread keeps its socket readable
  for `wait_readable`.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import select
import socket
import struct
from collections.abc import Sequence

HEADER = struct.Struct("!I")
MAX_CONTROL_MESSAGE = 1024**2
MAX_CONTROL_FDS = 4  # file descriptors one control message may carry


class ProtocolError(Exception):
    """Bytes on a channel that are not a valid message (garbage, or a frame over the cap)."""


def pack_frame(payload: bytes) -> bytes:
    if len(payload) >= 2**32:
        raise ProtocolError(f"a frame of {len(payload)} bytes does not fit the 4-byte length")
    return HEADER.pack(len(payload)) + payload


def send_frame(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(pack_frame(payload))


def encode_request(request: dict) -> bytes:
    """A request of the grader's (plain values) as bytes for the child."""
    return pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)


def decode_request(payload: bytes) -> dict:
    """The child's side of `encode_request`. Never call it in the grader: the bytes it reads from a
    child are the student's (the grader reads them with `checklib.codec.decode`)."""
    return pickle.loads(payload)


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
        with memoryview(self._buffer) as view:  # one copy of a frame that may be large, not two
            frame = bytes(view[HEADER.size:end])
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
    """One JSON message as a frame on a stream socket, with fds attached to its first bytes if any."""
    data = json.dumps(message).encode("utf-8")
    if len(data) > MAX_CONTROL_MESSAGE:
        raise ProtocolError(f"a control message of {len(data)} bytes is too large")
    if len(fds) > MAX_CONTROL_FDS:
        raise ProtocolError(f"a control message carries at most {MAX_CONTROL_FDS} fds, not {len(fds)}")
    frame = pack_frame(data)
    sent = socket.send_fds(sock, [frame], list(fds)) if fds else 0
    sock.sendall(frame[sent:])


def receive_message(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """The next message and its fds, however many recv calls its bytes take; (None, []) when the other end closed.

    Raises ProtocolError (after closing the fds that came with it) for a message that is
    not a JSON object, is over MAX_CONTROL_MESSAGE, or is cut off by the other end closing.
    """
    fds: list[int] = []
    try:
        header = _receive_exactly(sock, HEADER.size, fds, closed_is_fine=True)
        if header is None:
            return None, []
        (size,) = HEADER.unpack(header)
        if size > MAX_CONTROL_MESSAGE:
            raise ProtocolError(f"a control message of {size} bytes, over the limit of {MAX_CONTROL_MESSAGE}")
        data = _receive_exactly(sock, size, fds)
        try:
            message = json.loads(data.decode("utf-8"))
        except ValueError as error:
            raise ProtocolError(f"a control message is not JSON: {error}") from None
        if type(message) is not dict:
            raise ProtocolError("a control message must be a JSON object")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return message, fds


def _receive_exactly(sock: socket.socket, size: int, fds: list[int], closed_is_fine: bool = False) -> bytes | None:
    """Exactly size bytes, in as many recv calls as it takes; fds that come along are added to fds.

    None if the other end closed before the first byte and closed_is_fine (between messages).
    """
    chunks, received = [], 0
    while received < size:
        data, new_fds, flags, _ = socket.recv_fds(sock, size - received, MAX_CONTROL_FDS)
        fds.extend(new_fds)
        if flags & socket.MSG_CTRUNC:
            raise ProtocolError(f"a control message carried more than {MAX_CONTROL_FDS} fds")
        if not data:
            if closed_is_fine and received == 0 and not fds:
                return None
            raise ProtocolError("the channel was closed in the middle of a control message")
        chunks.append(data)
        received += len(data)
    return b"".join(chunks)


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


def wait_writable(sock: socket.socket, timeout: float) -> bool:
    """Whether sock can take more bytes within timeout seconds."""
    poller = select.poll()
    poller.register(sock, select.POLLOUT)
    return bool(poller.poll(max(0, math.ceil(timeout * 1000))))
